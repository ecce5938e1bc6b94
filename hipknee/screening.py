"""The intake safety screening: questions and rules from ``data/screener.toml``, and ``assess``.

Three tiers (issue 4, clinically reviewed):

- ``"stop"``: a sign that needs urgent care (a hot, red, swollen knee; a fresh injury with an Ottawa knee
  rule sign or age 55+; a deformed knee or a pop with swelling; a locked knee; one-sided calf signs; new
  chest pain or breathlessness; a numb, cold foot; cauda-equina signs).
- ``"caution"``: nothing urgent, but a professional should clear the person first (PAR-Q+ items, a bone or
  joint problem with one of its follow-ups, a recent injury without red flags, age under 18, and the rest).
- ``"ok"``: start gently.

Every triggered rule gives a reason and its own advice, most urgent first. A question the person answered
"not sure" counts as yes, and the reasons it triggers say so. Tailoring questions change the routine, never
the tier. No Streamlit here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, create_model, field_validator, model_validator

from hipknee.content import Bool, Id, Int, Problem, Schema, Text, load_content
from hipknee.content import ContentError as ContentError  # re-exported: callers catch it from here
from hipknee.errors import ValidationError, shorten, shown_value
from hipknee.paths import DATA_DIR
from hipknee.statuses import RULE_TIERS, GateStatus, Tier

SCREENER_PATH = DATA_DIR / "screener.toml"

QUESTION_TYPES = ("bool", "int")
TAILORING_IDS = ("kneeling_painful", "pigeon_uncomfortable")
_COMPARISON = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(<=|>=|==|<|>)\s*(-?\d+)\s*$")


class ScreeningInputError(ValidationError):
    """Answers that cannot be assessed. ``ids`` lists every offending question id, in questionnaire order."""

    def __init__(self, message: str, ids: Iterable[str] = ()):
        self.ids = tuple(ids)
        super().__init__(message, self.ids[0] if self.ids else None)


# ---- content -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    id: str
    step: str
    type: str  # "bool" | "int"
    text: str
    help: str
    short: str
    parent: str | None = None
    required: bool = True
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    intro: str
    question_ids: tuple[str, ...]  # in order, follow-ups right after their parent


@dataclass(frozen=True)
class Condition:
    question_id: str
    op: str | None = None  # None: a yes/no question answered yes
    value: int | None = None

    def holds(self, answers: Mapping[str, Any]) -> bool:
        answer = answers.get(self.question_id)
        if self.op is None:
            return answer is True
        if answer is None or isinstance(answer, bool):
            return False
        return {
            "<": answer < self.value,
            "<=": answer <= self.value,
            ">": answer > self.value,
            ">=": answer >= self.value,
            "==": answer == self.value,
        }[self.op]


@dataclass(frozen=True)
class Rule:
    id: str
    tier: Tier
    title: str
    reason: str
    advice: str
    when_all: tuple[Condition, ...] = ()
    when_any: tuple[Condition, ...] = ()
    when_none: tuple[Condition, ...] = ()
    replaces: tuple[str, ...] = ()

    def fires(self, answers: Mapping[str, Any]) -> bool:
        return (
            all(c.holds(answers) for c in self.when_all)
            and (not self.when_any or any(c.holds(answers) for c in self.when_any))
            and not any(c.holds(answers) for c in self.when_none)
        )

    def matched_ids(self, answers: Mapping[str, Any]) -> set[str]:
        """The yes/no questions whose "yes" made this rule fire."""
        return {c.question_id for c in (*self.when_all, *self.when_any) if c.op is None and c.holds(answers)}


@dataclass(frozen=True)
class TierText:
    label: str
    title: str
    summary: str
    advice: str


@dataclass(frozen=True)
class GateText:
    title: str
    message: str


@dataclass(frozen=True)
class Screener:
    questions: dict[str, Question]  # in questionnaire order
    steps: tuple[Step, ...]
    rules: tuple[Rule, ...]  # in the order reasons are shown
    tiers: dict[Tier, TierText]
    gate: dict[GateStatus, GateText]
    name: str
    source_name: str
    source_url: str
    valid_days: int
    unsure_note: str
    path: Path

    def children(self, parent_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions.values() if q.parent == parent_id)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


# ---- the schema of data/screener.toml ------------------------------------------------------------------


class _MetaSchema(Schema):
    name: Text
    source_name: Text
    source_url: Text
    valid_days: Int = Field(ge=1)
    unsure_note: Text

    @field_validator("source_url")
    @classmethod
    def _https(cls, url: str) -> str:
        if not url.startswith("https://"):
            raise Problem("must be an https:// link")
        return url


class _TierTextSchema(Schema):
    label: Text
    title: Text
    summary: Text
    advice: Text


class _GateTextSchema(Schema):
    title: Text
    message: Text


# One [tiers.*] table per Tier and one [gate.*] table per GateStatus, each required.
_TiersSchema = create_model(  # type: ignore[call-overload]
    "_TiersSchema",
    __base__=Schema,
    **{tier.value: (_TierTextSchema, ...) for tier in Tier},
)
_GateSchema = create_model(  # type: ignore[call-overload]
    "_GateSchema",
    __base__=Schema,
    **{status.value: (_GateTextSchema, ...) for status in GateStatus},
)


class _StepSchema(Schema):
    id: Id
    title: Text
    intro: Text


class _QuestionSchema(Schema):
    id: Id
    step: Text
    type: Literal[QUESTION_TYPES]  # type: ignore[valid-type]
    text: Text
    help: Text
    short: Text
    parent: Text | None = None
    required: Bool = True
    min: Int | None = None
    max: Int | None = None

    @model_validator(mode="after")
    def _range(self) -> _QuestionSchema:
        if self.type == "int":
            for name in ("min", "max"):
                if getattr(self, name) is None:
                    raise Problem("is missing (a number question needs min and max)", name)
            if self.min > self.max:  # type: ignore[operator]
                raise Problem(f"must be at least min ({self.min})", "max")
        elif self.min is not None or self.max is not None:
            raise Problem("only number questions have min and max", "min")
        return self


class _RuleSchema(Schema):
    id: Id
    tier: Literal[RULE_TIERS]  # type: ignore[valid-type]
    title: Text
    reason: Text
    advice: Text
    when_all: list[Text] = []
    when_any: list[Text] = []
    when_none: list[Text] = []
    replaces: list[Text] = []

    @model_validator(mode="after")
    def _has_conditions(self) -> _RuleSchema:
        if not self.when_all and not self.when_any:
            raise Problem("a rule needs when_all or when_any", "when_all")
        return self


class ScreenerFile(Schema):
    """The schema of ``data/screener.toml``, with the checks that span questions, steps and rules."""

    meta: _MetaSchema
    tiers: _TiersSchema  # type: ignore[valid-type]
    gate: _GateSchema  # type: ignore[valid-type]
    step: list[_StepSchema] = Field(min_length=1)
    question: list[_QuestionSchema] = Field(min_length=1)
    rule: list[_RuleSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> ScreenerFile:
        step_ids: list[str] = []
        for i, step in enumerate(self.step):
            if step.id in step_ids:
                raise Problem("is used twice", at=("step", i, "id"))
            step_ids.append(step.id)
        questions: dict[str, _QuestionSchema] = {}
        for i, q in enumerate(self.question):
            if q.id in questions:
                raise Problem("is used twice", at=("question", i, "id"))
            if q.step not in step_ids:
                raise Problem(f"{q.step!r} is not a step id", at=("question", i, "step"))
            if q.parent is not None:
                parent = questions.get(q.parent)
                if parent is None:
                    raise Problem(
                        f"{q.parent!r} must be a question listed before this one", at=("question", i, "parent")
                    )
                if parent.type != "bool" or parent.parent is not None:
                    raise Problem(f"{q.parent!r} must be a top-level yes/no question", at=("question", i, "parent"))
                if parent.step != q.step:
                    raise Problem(f"must be the same as its parent's ({parent.step!r})", at=("question", i, "step"))
            questions[q.id] = q
        for i, step in enumerate(self.step):
            if not any(q.step == step.id for q in self.question):
                raise Problem("has no questions", at=("step", i))
        rule_ids = [r.id for r in self.rule]
        for i, rule in enumerate(self.rule):
            if rule.id in rule_ids[:i]:
                raise Problem("is used twice", at=("rule", i, "id"))
            for key in ("when_all", "when_any", "when_none"):
                for text in getattr(rule, key):
                    try:
                        condition = _parse_condition(text, questions)
                    except Problem as exc:
                        raise Problem(exc.message, at=("rule", i, key)) from None
                    if condition.question_id in TAILORING_IDS:
                        raise Problem(
                            f"tailoring question '{condition.question_id}' must not appear in a rule",
                            at=("rule", i, key),
                        )
            for other in rule.replaces:
                if other not in rule_ids or other == rule.id:
                    raise Problem(f"{other!r} is not another rule's id", at=("rule", i, "replaces"))
        for tid in TAILORING_IDS:
            if tid not in questions or questions[tid].type != "bool":
                raise Problem(f"the tailoring question '{tid}' (yes/no) is missing")
        return self


def _parse_condition(text: str, questions: Mapping[str, Any]) -> Condition:
    """A condition from its text ("locked_knee", "age >= 55"); Problem when it names no fitting question."""
    match = _COMPARISON.match(text)
    if match:
        qid, op, number = match.group(1), match.group(2), int(match.group(3))
        question = questions.get(qid)
        if question is None:
            raise Problem(f"condition {text!r} names an unknown question {qid!r}")
        if question.type != "int":
            raise Problem(f"condition {text!r} compares {qid!r}, which is not a number question")
        return Condition(qid, op, number)
    qid = text.strip()
    question = questions.get(qid)
    if question is None:
        raise Problem(f"condition {text!r} is not a question id or a comparison like 'age >= 55'")
    if question.type != "bool":
        raise Problem(f"condition {text!r} needs a comparison: {qid!r} is a number question")
    return Condition(qid)


def _load(path: Path) -> Screener:
    parsed = load_content(path, ScreenerFile)
    questions = {
        q.id: Question(
            id=q.id,
            step=q.step,
            type=q.type,
            text=q.text,
            help=q.help,
            short=q.short,
            parent=q.parent,
            required=q.required,
            min=q.min,
            max=q.max,
        )
        for q in parsed.question
    }
    steps = []
    for step in parsed.step:
        ids: list[str] = []
        for q in questions.values():
            if q.step == step.id and q.parent is None:
                ids.append(q.id)
                ids.extend(c.id for c in questions.values() if c.parent == q.id)
        steps.append(Step(step.id, step.title, step.intro, tuple(ids)))
    rules = tuple(
        Rule(
            id=r.id,
            tier=Tier(r.tier),
            title=r.title,
            reason=r.reason,
            advice=r.advice,
            replaces=tuple(r.replaces),
            **{
                key: tuple(_parse_condition(c, questions) for c in getattr(r, key))
                for key in ("when_all", "when_any", "when_none")
            },
        )
        for r in parsed.rule
    )
    meta = parsed.meta
    return Screener(
        questions=questions,
        steps=tuple(steps),
        rules=rules,
        tiers={tier: TierText(**getattr(parsed.tiers, tier.value).model_dump()) for tier in Tier},
        gate={status: GateText(**getattr(parsed.gate, status.value).model_dump()) for status in GateStatus},
        name=meta.name,
        source_name=meta.source_name,
        source_url=meta.source_url,
        valid_days=meta.valid_days,
        unsure_note=meta.unsure_note,
        path=path,
    )


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime_ns: int) -> Screener:
    return _load(path)


def load_screener(path: Path | None = None) -> Screener:
    """The questions and rules, validated (cached until the file changes)."""
    path = Path(path or SCREENER_PATH).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1  # _load reports the missing file
    return _load_cached(path, mtime)


# ---- assessment ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One triggered rule."""

    id: str
    tier: Tier
    title: str
    reason: str  # includes the "not sure" note when it applies
    advice: str
    unsure: bool = False
    questions: frozenset[str] = frozenset()  # the yes/no questions whose "yes" made the rule fire

    def as_dict(self) -> dict[str, str]:
        """The form the store keeps: {"id", "reason", "advice"} plus the rule's "tier"."""
        return {"id": self.id, "reason": self.reason, "advice": self.advice, "tier": self.tier}


@dataclass(frozen=True)
class Screening:
    tier: Tier
    reasons: tuple[str, ...]  # plain words, one per triggered rule, most urgent first
    advice: tuple[str, ...]  # what to do next: each reason's advice, then the tier's own
    findings: tuple[Finding, ...] = ()
    tailoring: frozenset[str] = field(default_factory=frozenset)

    def reason_dicts(self) -> list[dict[str, str]]:
        return [f.as_dict() for f in self.findings]

    @property
    def reason_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.findings)


def _describe(question: Question) -> str:
    if question.type == "bool":
        return "true or false"
    return f"a whole number from {question.min} to {question.max}"


def validate_answers(answers: object, screener: Screener | None = None, *, partial: bool = False) -> dict[str, Any]:
    """The answers that count (follow-ups only under a "yes"), or ScreeningInputError naming every bad id.

    Unknown ids, missing required answers (a follow-up only when its parent is yes; a missing value and
    ``None`` are the same) and values of the wrong type or out of range are all reported in one error.
    ``partial=True`` is for answers still being given: nothing counts as missing, the rest is checked.
    """
    screener = screener or load_screener()
    if not isinstance(answers, Mapping):
        raise ScreeningInputError(
            f"the answers must be an object mapping question ids to answers, not {type(answers).__name__}"
        )
    questions = screener.questions
    order = {qid: i for i, qid in enumerate(questions)}
    unknown = sorted(shorten(str(k)) for k in answers if k not in questions)
    wrong: dict[str, str] = {}
    for qid, question in questions.items():
        value = answers.get(qid)
        if value is None:
            continue
        if question.type == "bool":
            if not isinstance(value, bool):
                wrong[qid] = f"{qid} (expected true or false, got {shown_value(value)})"
        elif isinstance(value, float) and not math.isfinite(value):  # JSON's 1e999 or 5,000 digits with a decimal
            wrong[qid] = f"{qid} (expected {_describe(question)}; a number that large is not a sensible {qid})"
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or (question.min is not None and question.max is not None and not question.min <= value <= question.max)
        ):
            wrong[qid] = f"{qid} (expected {_describe(question)}, got {shown_value(value)})"
    missing = []
    for qid, question in questions.items():
        if partial or not question.required or answers.get(qid) is not None:
            continue
        if question.parent is not None:
            parent_value = answers.get(question.parent)
            if parent_value is not True:  # parent no, or itself missing/wrong (reported there)
                continue
        missing.append(qid)

    if unknown or missing or wrong:
        parts = []
        if unknown:
            parts.append("unknown question id" + ("s" if len(unknown) > 1 else "") + ": " + ", ".join(unknown))
        if missing:
            parts.append("missing answer" + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing))
        if wrong:
            parts.append("wrong type or value: " + "; ".join(wrong[q] for q in sorted(wrong, key=order.__getitem__)))
        ids = [*unknown, *sorted({*missing, *wrong}, key=order.__getitem__)]
        raise ScreeningInputError("invalid screening answers — " + "; ".join(parts), ids)

    valid: dict[str, Any] = {}
    for qid, question in questions.items():
        value = answers.get(qid)
        if value is None:
            continue
        if question.parent is not None and answers.get(question.parent) is not True:
            continue  # a follow-up under a "no" does not count
        valid[qid] = value
    return valid


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _check_unsure(answers: Mapping[str, Any], unsure: Iterable[str], screener: Screener) -> set[str]:
    unsure_ids = set(unsure)
    bad_unsure = sorted(
        qid
        for qid in unsure_ids
        if qid not in screener.questions or screener.questions[qid].type != "bool" or answers.get(qid) is not True
    )
    if bad_unsure:
        raise ScreeningInputError(
            "invalid screening answers — “not sure” must name yes/no questions answered true: " + ", ".join(bad_unsure),
            bad_unsure,
        )
    return unsure_ids


def _finding(rule: Rule, valid: Mapping[str, Any], unsure_ids: set[str], screener: Screener) -> Finding:
    """The reason for one rule that fired: which alternatives applied, and the "not sure" note."""
    matched = rule.matched_ids(valid)
    is_unsure = bool(matched & unsure_ids)
    reason = rule.reason
    if len(rule.when_any) > 1:  # say which of the alternatives applied
        told = [
            _lower_first(screener.questions[c.question_id].short)
            if c.op is None
            else f"{_lower_first(screener.questions[c.question_id].short)}: {valid[c.question_id]}"
            for c in rule.when_any
            if c.holds(valid)
        ]
        reason += f" (You told us: {'; '.join(told)}.)"
    if is_unsure:
        reason += f" {screener.unsure_note}"
    return Finding(rule.id, rule.tier, rule.title, reason, rule.advice, is_unsure, frozenset(matched))


def assess(answers: Mapping[str, Any], *, unsure: Iterable[str] = (), screener: Screener | None = None) -> Screening:
    """Assess a complete set of answers (question id -> bool, or int for ``age``).

    ``unsure`` names yes/no questions the person answered "not sure": they must be answered ``True`` here
    (not sure counts as yes), and every reason they trigger carries a note saying so.
    Raises ScreeningInputError (a ValueError) naming every offending id; it never guesses.
    """
    screener = screener or load_screener()
    valid = validate_answers(answers, screener)
    unsure_ids = _check_unsure(answers, unsure, screener)

    fired = [rule for rule in screener.rules if rule.fires(valid)]
    replaced = {rid for rule in fired for rid in rule.replaces}
    findings = [_finding(rule, valid, unsure_ids, screener) for rule in fired if rule.id not in replaced]
    findings.sort(key=lambda f: Tier.rank(f.tier))  # stable: file order within a tier

    tier = findings[0].tier if findings else Tier.OK
    advice: list[str] = []
    for text in [f.advice for f in findings] + [screener.tiers[tier].advice]:
        if text not in advice:
            advice.append(text)
    tailoring = frozenset(tid for tid in TAILORING_IDS if valid.get(tid) is True)
    return Screening(
        tier=tier,
        reasons=tuple(f.reason for f in findings),
        advice=tuple(advice),
        findings=tuple(findings),
        tailoring=tailoring,
    )


def tailoring_from_answers(answers: Mapping[str, Any]) -> frozenset[str]:
    """The tailoring ids answered yes in a stored screening's answers."""
    return frozenset(tid for tid in TAILORING_IDS if answers.get(tid) is True)


def _settled(qid: str, valid: Mapping[str, Any], screener: Screener) -> bool:
    """True when no later answer can change whether ``qid`` holds."""
    if qid in valid:
        return True
    parent = screener.questions[qid].parent
    return parent is not None and parent in valid and valid[parent] is not True


def stop_findings(
    answers: Mapping[str, Any], *, unsure: Iterable[str] = (), screener: Screener | None = None
) -> tuple[Finding, ...]:
    """The STOP reasons that the answers given so far already make certain, in file order.

    For a form still being filled in: ``answers`` may leave any question out (ids and values are checked as
    in ``assess``; nothing counts as missing). A STOP rule counts only when no answer still to come could
    undo it. The findings are the same (reasons, advice and "not sure" notes) as the STOP findings
    ``assess`` gives once every answer is in, so the person can be sent to care at once.
    """
    screener = screener or load_screener()
    valid = validate_answers(answers, screener, partial=True)
    unsure_ids = _check_unsure(answers, unsure, screener)
    fired = [
        rule
        for rule in screener.rules
        if rule.tier == Tier.STOP
        and rule.fires(valid)
        and all(_settled(c.question_id, valid, screener) for c in rule.when_none)
    ]
    replaced = {rid for rule in fired for rid in rule.replaces}
    return tuple(_finding(rule, valid, unsure_ids, screener) for rule in fired if rule.id not in replaced)
