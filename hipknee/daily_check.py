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

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from hipknee.content import ContentError, read_toml
from hipknee.paths import DATA_DIR
from hipknee.screening import ScreeningInputError, _Reader, table_list

DAILY_CHECK_PATH = DATA_DIR / "daily_check.toml"
DAY_STATUSES = ("stop", "blocked", "caution", "ok")  # most serious first
QUESTION_TIERS = ("stop", "blocked", "caution")


@dataclass(frozen=True)
class DailyQuestion:
    id: str
    tier: str
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
    statuses: dict[str, StatusText]
    path: Path


@dataclass(frozen=True)
class DailyFinding:
    id: str
    tier: str
    short: str
    advice: str


@dataclass(frozen=True)
class DailyResult:
    status: str  # "stop" | "blocked" | "caution" | "ok"
    findings: tuple[DailyFinding, ...]  # most serious first

    @property
    def advice(self) -> tuple[str, ...]:
        unique: list[str] = []
        for f in self.findings:
            if f.advice not in unique:
                unique.append(f.advice)
        return tuple(unique)


def _load(path: Path) -> DailyCheckContent:
    data = read_toml(path)
    extra = sorted(set(data) - {"status", "question"})
    if extra:
        raise ContentError(f"{path}: unknown top-level table [{extra[0]}]")
    status_tables = data.get("status") or {}
    statuses = {}
    for status in DAY_STATUSES:
        r = _Reader(path, f"[status.{status}]", status_tables.get(status))
        r.only("label", "title", "summary")
        statuses[status] = StatusText(r.str("label"), r.str("title"), r.str("summary"))
    if set(status_tables) - set(DAY_STATUSES):
        raise ContentError(
            f"{path}: unknown status [status.{sorted(set(status_tables) - set(DAY_STATUSES))[0]}]"
        )
    questions: dict[str, DailyQuestion] = {}
    for i, table in enumerate(table_list(path, data, "question"), 1):
        r = _Reader(path, f"question {i}", table)
        qid = r.id()
        r.where = f"question '{qid}'"
        r.only("id", "tier", "short", "text", "help", "advice")
        if qid in questions:
            r.fail("id", "is used twice")
        tier = r.str("tier")
        if tier not in QUESTION_TIERS:
            r.fail("tier", f"must be one of {', '.join(QUESTION_TIERS)}, not {tier!r}")
        questions[qid] = DailyQuestion(
            qid, tier, r.str("short"), r.str("text"), r.str("help"), r.str("advice"),
        )
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
        raise ScreeningInputError(
            f"the daily check answers must be an object, not {type(answers).__name__}"
        )
    unknown = sorted(str(k) for k in answers if k not in content.questions)
    missing = [qid for qid in content.questions if answers.get(qid) is None]
    wrong = [
        qid for qid in content.questions
        if answers.get(qid) is not None and not isinstance(answers[qid], bool)
    ]
    if unknown or missing or wrong:
        parts = []
        if unknown:
            parts.append("unknown question ids: " + ", ".join(unknown))
        if missing:
            parts.append("missing answers: " + ", ".join(missing))
        if wrong:
            parts.append(
                "expected true or false: "
                + ", ".join(f"{q} (got {answers[q]!r})" for q in wrong)
            )
        raise ScreeningInputError(
            "invalid daily check answers — " + "; ".join(parts), [*unknown, *missing, *wrong]
        )
    findings = sorted(
        (
            DailyFinding(q.id, q.tier, q.short, q.advice)
            for q in content.questions.values() if answers[q.id] is True
        ),
        key=lambda f: DAY_STATUSES.index(f.tier),
    )
    status = findings[0].tier if findings else "ok"
    return DailyResult(status, tuple(findings))
