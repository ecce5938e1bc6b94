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

import builtins
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

from hipknee.content import ContentError, read_toml
from hipknee.errors import ValidationError
from hipknee.paths import DATA_DIR

SCREENER_PATH = DATA_DIR / "screener.toml"

TIERS = ("stop", "caution", "ok")  # most serious first
RULE_TIERS = ("stop", "caution")
QUESTION_TYPES = ("bool", "int")
TAILORING_IDS = ("kneeling_painful", "pigeon_uncomfortable")
GATE_STATUSES = (
    "no_screening", "expired", "stop", "needs_clearance", "day_stop", "day_blocked", "day_caution", "ok",
)
_COMPARISON = re.compile(r"^\s*([a-z][a-z0-9_]*)\s*(<=|>=|==|<|>)\s*(-?\d+)\s*$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


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
            "<": answer < self.value, "<=": answer <= self.value, ">": answer > self.value,
            ">=": answer >= self.value, "==": answer == self.value,
        }[self.op]


@dataclass(frozen=True)
class Rule:
    id: str
    tier: str
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
        return {
            c.question_id for c in (*self.when_all, *self.when_any)
            if c.op is None and c.holds(answers)
        }


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
    tiers: dict[str, TierText]
    gate: dict[str, GateText]
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


class _Reader:
    """Typed access to one TOML table, raising ContentError that names file, item and field."""

    def __init__(self, path: Path, where: str, table: Any):
        self.path, self.where = path, where
        if not isinstance(table, dict):
            self.fail(None, "must be a table")
        self.table = table

    def fail(self, field_name: str | None, problem: str) -> NoReturn:
        name = f"{self.path.parent.name}/{self.path.name}" if self.path.parent.name else str(self.path)
        at = f"{self.where}, field '{field_name}'" if field_name else self.where
        raise ContentError(f"{name}: {at}: {problem}")

    def str(self, key: str, *, required: bool = True, default: str = "") -> str:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(key, "is missing")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, f"must be non-empty text, not {value!r}")
        return value.strip()

    # Below, the methods named str/int/bool shadow the builtins in annotations: spell those as builtins.X.
    def id(self, key: builtins.str = "id") -> builtins.str:
        value = self.str(key)
        if not _ID.match(value):
            self.fail(key, f"{value!r} is not an id (lower-case letters, digits and _)")
        return value

    @overload
    def int(self, key: builtins.str) -> builtins.int: ...
    @overload
    def int(self, key: builtins.str, *, required: Literal[True]) -> builtins.int: ...
    @overload
    def int(self, key: builtins.str, *, required: builtins.bool) -> builtins.int | None: ...

    def int(self, key: builtins.str, *, required: builtins.bool = True) -> builtins.int | None:
        value = self.table.get(key)
        if value is None:
            if required:
                self.fail(key, "is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, not {value!r}")
        return value

    def bool(self, key: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {value!r}")
        return value

    def str_list(self, key: builtins.str) -> tuple[builtins.str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"must be a list of text, not {value!r}")
        return tuple(v.strip() for v in value)

    def only(self, *allowed: builtins.str) -> None:
        unknown = sorted(set(self.table) - set(allowed))
        if unknown:
            self.fail(unknown[0], f"is not a known field (known: {', '.join(allowed)})")


def table_list(path: Path, data: dict[str, Any], key: str) -> list[Any]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path}: needs at least one [[{key}]]")
    return items


def _parse_condition(reader: _Reader, field_name: str, text: str,
                     questions: dict[str, Question]) -> Condition:
    match = _COMPARISON.match(text)
    if match:
        qid, op, number = match.group(1), match.group(2), int(match.group(3))
        question = questions.get(qid)
        if question is None:
            reader.fail(field_name, f"condition {text!r} names an unknown question {qid!r}")
        if question.type != "int":
            reader.fail(field_name, f"condition {text!r} compares {qid!r}, which is not a number question")
        return Condition(qid, op, number)
    qid = text.strip()
    question = questions.get(qid)
    if question is None:
        reader.fail(field_name, f"condition {text!r} is not a question id or a comparison like 'age >= 55'")
    if question.type != "bool":
        reader.fail(field_name, f"condition {text!r} needs a comparison: {qid!r} is a number question")
    return Condition(qid)


def _load(path: Path) -> Screener:
    data = read_toml(path)
    extra = sorted(set(data) - {"meta", "tiers", "gate", "step", "question", "rule"})
    if extra:
        raise ContentError(f"{path}: unknown top-level table [{extra[0]}]")

    meta = _Reader(path, "[meta]", data.get("meta", None) or {})
    meta.only("name", "source_name", "source_url", "valid_days", "unsure_note")
    valid_days = meta.int("valid_days")
    if valid_days < 1:
        meta.fail("valid_days", "must be at least 1")
    source_url = meta.str("source_url")
    if not source_url.startswith("https://"):
        meta.fail("source_url", "must be an https:// link")

    tiers: dict[str, TierText] = {}
    tier_tables = data.get("tiers") or {}
    for tier in TIERS:
        r = _Reader(path, f"[tiers.{tier}]", tier_tables.get(tier))
        r.only("label", "title", "summary", "advice")
        tiers[tier] = TierText(r.str("label"), r.str("title"), r.str("summary"), r.str("advice"))
    if set(tier_tables) - set(TIERS):
        raise ContentError(f"{path}: unknown tier [tiers.{sorted(set(tier_tables) - set(TIERS))[0]}]")

    gate: dict[str, GateText] = {}
    gate_tables = data.get("gate") or {}
    for status in GATE_STATUSES:
        r = _Reader(path, f"[gate.{status}]", gate_tables.get(status))
        r.only("title", "message")
        gate[status] = GateText(r.str("title"), r.str("message"))
    if set(gate_tables) - set(GATE_STATUSES):
        raise ContentError(
            f"{path}: unknown gate status [gate.{sorted(set(gate_tables) - set(GATE_STATUSES))[0]}]"
        )

    step_rows: list[tuple[str, str, str]] = []
    for i, table in enumerate(table_list(path, data, "step"), 1):
        r = _Reader(path, f"step {i}", table)
        sid = r.id()
        r.where = f"step '{sid}'"
        r.only("id", "title", "intro")
        if any(s[0] == sid for s in step_rows):
            r.fail("id", "is used twice")
        step_rows.append((sid, r.str("title"), r.str("intro")))
    step_ids = [s[0] for s in step_rows]

    questions: dict[str, Question] = {}
    for i, table in enumerate(table_list(path, data, "question"), 1):
        r = _Reader(path, f"question {i}", table)
        qid = r.id()
        r.where = f"question '{qid}'"
        r.only("id", "step", "type", "text", "help", "short", "parent", "required", "min", "max")
        if qid in questions:
            r.fail("id", "is used twice")
        qtype = r.str("type")
        if qtype not in QUESTION_TYPES:
            r.fail("type", f"must be one of {', '.join(QUESTION_TYPES)}, not {qtype!r}")
        step = r.str("step")
        if step not in step_ids:
            r.fail("step", f"{step!r} is not a step id")
        parent = r.str("parent", required=False) or None
        if parent is not None:
            parent_q = questions.get(parent)
            if parent_q is None:
                r.fail("parent", f"{parent!r} must be a question listed before this one")
            if parent_q.type != "bool" or parent_q.parent is not None:
                r.fail("parent", f"{parent!r} must be a top-level yes/no question")
            if parent_q.step != step:
                r.fail("step", f"must be the same as its parent's ({parent_q.step!r})")
        lo, hi = r.int("min", required=qtype == "int"), r.int("max", required=qtype == "int")
        if qtype == "int" and lo is not None and hi is not None and lo > hi:
            r.fail("max", f"must be at least min ({lo})")
        if qtype == "bool" and (lo is not None or hi is not None):
            r.fail("min", "only number questions have min and max")
        questions[qid] = Question(
            id=qid, step=step, type=qtype, text=r.str("text"), help=r.str("help"), short=r.str("short"),
            parent=parent, required=r.bool("required", True), min=lo, max=hi,
        )

    steps = []
    for sid, title, intro in step_rows:
        ids: list[str] = []
        for q in questions.values():
            if q.step == sid and q.parent is None:
                ids.append(q.id)
                ids.extend(c.id for c in questions.values() if c.parent == q.id)
        if not ids:
            raise ContentError(f"{path}: step '{sid}' has no questions")
        steps.append(Step(sid, title, intro, tuple(ids)))

    rules: list[Rule] = []
    for i, table in enumerate(table_list(path, data, "rule"), 1):
        r = _Reader(path, f"rule {i}", table)
        rid = r.id()
        r.where = f"rule '{rid}'"
        r.only("id", "tier", "title", "reason", "advice", "when_all", "when_any", "when_none", "replaces")
        if any(x.id == rid for x in rules):
            r.fail("id", "is used twice")
        tier = r.str("tier")
        if tier not in RULE_TIERS:
            r.fail("tier", f"must be one of {', '.join(RULE_TIERS)}, not {tier!r}")
        conditions = {
            key: tuple(_parse_condition(r, key, c, questions) for c in r.str_list(key))
            for key in ("when_all", "when_any", "when_none")
        }
        if not conditions["when_all"] and not conditions["when_any"]:
            r.fail("when_all", "a rule needs when_all or when_any")
        rules.append(Rule(
            id=rid, tier=tier, title=r.str("title"), reason=r.str("reason"), advice=r.str("advice"),
            replaces=r.str_list("replaces"), **conditions,
        ))
    rule_ids = {x.id for x in rules}
    for rule in rules:
        for other in rule.replaces:
            if other not in rule_ids or other == rule.id:
                raise ContentError(
                    f"{path}: rule '{rule.id}', field 'replaces': {other!r} is not another rule's id"
                )
    for tid in TAILORING_IDS:
        if tid not in questions or questions[tid].type != "bool":
            raise ContentError(f"{path}: the tailoring question '{tid}' (yes/no) is missing")
        if any(c.question_id == tid for x in rules for c in (*x.when_all, *x.when_any, *x.when_none)):
            raise ContentError(f"{path}: tailoring question '{tid}' must not appear in a rule")

    return Screener(
        questions=questions, steps=tuple(steps), rules=tuple(rules), tiers=tiers, gate=gate,
        name=meta.str("name"), source_name=meta.str("source_name"), source_url=source_url,
        valid_days=valid_days, unsure_note=meta.str("unsure_note"), path=path,
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
    tier: str
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
    tier: str  # "stop" | "caution" | "ok"
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


def validate_answers(
    answers: object, screener: Screener | None = None, *, partial: bool = False
) -> dict[str, Any]:
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
    unknown = sorted((str(k) for k in answers if k not in questions), key=str)
    wrong: dict[str, str] = {}
    for qid, question in questions.items():
        value = answers.get(qid)
        if value is None:
            continue
        if question.type == "bool":
            if not isinstance(value, bool):
                wrong[qid] = f"{qid} (expected true or false, got {value!r})"
        elif isinstance(value, bool) or not isinstance(value, int):
            wrong[qid] = f"{qid} (expected {_describe(question)}, got {value!r})"
        elif question.min is not None and question.max is not None and not question.min <= value <= question.max:
            wrong[qid] = f"{qid} (expected {_describe(question)}, got {value})"
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
        qid for qid in unsure_ids
        if qid not in screener.questions or screener.questions[qid].type != "bool"
        or answers.get(qid) is not True
    )
    if bad_unsure:
        raise ScreeningInputError(
            "invalid screening answers — “not sure” must name yes/no questions answered true: "
            + ", ".join(bad_unsure),
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
            _lower_first(screener.questions[c.question_id].short) if c.op is None
            else f"{_lower_first(screener.questions[c.question_id].short)}: {valid[c.question_id]}"
            for c in rule.when_any if c.holds(valid)
        ]
        reason += f" (You told us: {'; '.join(told)}.)"
    if is_unsure:
        reason += f" {screener.unsure_note}"
    return Finding(rule.id, rule.tier, rule.title, reason, rule.advice, is_unsure, frozenset(matched))


def assess(
    answers: Mapping[str, Any], *, unsure: Iterable[str] = (), screener: Screener | None = None
) -> Screening:
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
    findings = [
        _finding(rule, valid, unsure_ids, screener) for rule in fired if rule.id not in replaced
    ]
    findings.sort(key=lambda f: TIERS.index(f.tier))  # stable: file order within a tier

    tier = findings[0].tier if findings else "ok"
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
        rule for rule in screener.rules
        if rule.tier == "stop" and rule.fires(valid)
        and all(_settled(c.question_id, valid, screener) for c in rule.when_none)
    ]
    replaced = {rid for rule in fired for rid in rule.replaces}
    return tuple(_finding(rule, valid, unsure_ids, screener) for rule in fired if rule.id not in replaced)
