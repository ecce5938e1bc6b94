"""Today's safety check (the Journal page): a few quick yes/no questions from ``data/daily_check.toml``.

Each question carries its own tier and advice (issue 4):

- knee hot, red and swollen; knee locked; one calf painful and swollen -> ``"stop"`` (urgent care);
- new swelling or redness; less movement -> ``"blocked"`` (no routine today; stop and seek a professional's
  advice, as the article says);
- fever or feeling unwell -> ``"blocked"`` (no routine today: PAR-Q+ advises delaying activity while
  temporarily ill; issue 11);
- pain much worse than usual -> ``"caution"`` (skip or ease the routine today; see a professional if it
  persists).

The day's status is the strictest tier answered yes, else ``"ok"``. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, create_model, model_validator

from hipknee.content import Id, Problem, Schema, Text, load_content
from hipknee.errors import shorten, shown_value
from hipknee.paths import DATA_DIR
from hipknee.screening import ScreeningInputError
from hipknee.statuses import QUESTION_TIERS, DayStatus

DAILY_CHECK_PATH = DATA_DIR / "daily_check.toml"


@dataclass(frozen=True)
class DailyQuestion:
    id: str
    tier: DayStatus
    short: str
    text: str
    help: str
    advice: str


@dataclass(frozen=True)
class StatusText:
    label: str
    title: str
    summary: str


@dataclass(frozen=True)
class DailyCheckContent:
    questions: dict[str, DailyQuestion]
    statuses: dict[DayStatus, StatusText]
    path: Path


@dataclass(frozen=True)
class DailyFinding:
    id: str
    tier: DayStatus
    short: str
    advice: str


@dataclass(frozen=True)
class DailyResult:
    status: DayStatus
    findings: tuple[DailyFinding, ...]  # most serious first

    @property
    def advice(self) -> tuple[str, ...]:
        """The findings' advice, most serious first, each line once; see ``advice_lines``."""
        return advice_lines(self.status, [(f.tier, f.advice) for f in self.findings])


def advice_lines(status: str, advice: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """The advice to show for a day of ``status`` from (question tier, advice) pairs, most serious first,
    each line once. On a day without the routine (stop or blocked), advice from "caution" questions ("do an
    easier version today") is left out, since it would contradict the day (issue 17)."""
    no_routine = status in (DayStatus.STOP, DayStatus.BLOCKED)
    ordered = sorted(advice, key=lambda pair: DayStatus.rank(pair[0]))
    return tuple(dict.fromkeys(line for tier, line in ordered if not (no_routine and tier == DayStatus.CAUTION)))


def day_advice(status: str, answers: Mapping[str, Any], content: DailyCheckContent | None = None) -> tuple[str, ...]:
    """``advice_lines`` for a saved check: its status and answers (question id -> True when ticked)."""
    content = content or load_daily_check()
    return advice_lines(status, [(q.tier, q.advice) for q in content.questions.values() if answers.get(q.id) is True])


class _QuestionSchema(Schema):
    id: Id
    tier: Literal[QUESTION_TIERS]  # type: ignore[valid-type]
    short: Text
    text: Text
    help: Text
    advice: Text


class _StatusTextSchema(Schema):
    label: Text
    title: Text
    summary: Text


# One [status.*] table per DayStatus, each required.
_StatusesSchema = create_model(  # type: ignore[call-overload]
    "_StatusesSchema",
    __base__=Schema,
    **{status.value: (_StatusTextSchema, ...) for status in DayStatus},
)


class DailyCheckFile(Schema):
    """The schema of ``data/daily_check.toml``."""

    status: _StatusesSchema  # type: ignore[valid-type]
    question: list[_QuestionSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> DailyCheckFile:
        seen: set[str] = set()
        for index, question in enumerate(self.question):
            if question.id in seen:
                raise Problem("is used twice", at=("question", index, "id"))
            seen.add(question.id)
        return self


def _load(path: Path) -> DailyCheckContent:
    parsed = load_content(path, DailyCheckFile)
    statuses = {status: StatusText(**getattr(parsed.status, status.value).model_dump()) for status in DayStatus}
    questions = {
        q.id: DailyQuestion(q.id, DayStatus(q.tier), q.short, q.text, q.help, q.advice) for q in parsed.question
    }
    return DailyCheckContent(questions, statuses, path)


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime_ns: int) -> DailyCheckContent:
    return _load(path)


def load_daily_check(path: Path | None = None) -> DailyCheckContent:
    """The daily questions, validated (cached until the file changes)."""
    path = Path(path or DAILY_CHECK_PATH).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1
    return _load_cached(path, mtime)


def assess_daily(answers: Mapping[str, Any], content: DailyCheckContent | None = None) -> DailyResult:
    """The day's status from a yes/no answer to every daily question.

    Raises ScreeningInputError (a ValueError) naming every unknown id, missing answer and non-boolean value.
    """
    content = content or load_daily_check()
    if not isinstance(answers, Mapping):
        raise ScreeningInputError(f"the daily check answers must be an object, not {type(answers).__name__}")
    unknown = sorted(shorten(str(k)) for k in answers if k not in content.questions)
    missing = [qid for qid in content.questions if answers.get(qid) is None]
    wrong = [qid for qid in content.questions if answers.get(qid) is not None and not isinstance(answers[qid], bool)]
    if unknown or missing or wrong:
        parts = []
        if unknown:
            parts.append("unknown question ids: " + ", ".join(unknown))
        if missing:
            parts.append("missing answers: " + ", ".join(missing))
        if wrong:
            parts.append("expected true or false: " + ", ".join(f"{q} (got {shown_value(answers[q])})" for q in wrong))
        raise ScreeningInputError("invalid daily check answers — " + "; ".join(parts), [*unknown, *missing, *wrong])
    findings = sorted(
        (DailyFinding(q.id, q.tier, q.short, q.advice) for q in content.questions.values() if answers[q.id] is True),
        key=lambda f: DayStatus.rank(f.tier),
    )
    status = findings[0].tier if findings else DayStatus.OK
    return DailyResult(status, tuple(findings))
