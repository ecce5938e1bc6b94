"""Outcome questionnaires (issue 15): the Kujala Anterior Knee Pain Scale and the PEG.

Content (items, options, points, intervals, thresholds) lives in ``data/questionnaires.toml`` and is
validated on load. Everything here is pure: scoring, when a questionnaire is due, and the change from the
first score. No Streamlit, no storage.

Rules and their sources:

- **AKPS** (Kujala et al., Arthroscopy 1993): 13 items; the score is the sum of the chosen options' points,
  0–100, 100 = no problems. The file's ``score_min``/``score_max`` are checked against the items on load, so
  a typo in a point value is a load error, not a wrong score.
- **PEG** (Krebs et al., J Gen Intern Med 2009): 3 ratings 0–10; the score is their mean (0–10, lower is
  better).
- **Change that matters**: AKPS 10 points (Crossley et al., Arch Phys Med Rehabil 2004, abstract: "the minimal
  difference that patients or clinicians consider clinically important for the AKPS is 10 (out of 100)
  points"); PEG 1 point (the low end of the anchor-based estimates, 1.0–1.75, in Reed et al., J Pain 2023/24;
  see the file's ``mid_source``).
- **When due**: at the start and then every ``interval_days`` (AKPS 28, PEG 7), counted from the programme's
  start date when there is one; without a programme, from the first time the questionnaire was answered, else
  from the first day of the journal (first use). Someone with none of these (a first visit) is not prompted
  yet; the page still lets them take it. A due date counts as done when an answer was saved on it, after it, or
  up to ``early_days`` before it (so an AKPS taken the day before the programme starts is the start's).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StrictStr, StringConstraints, model_validator

from hipknee.content import Bool, Id, Int, Problem, Schema, Text, load_content
from hipknee.errors import ValidationError, shorten, shown_value
from hipknee.paths import DATA_DIR

QUESTIONNAIRES_PATH = DATA_DIR / "questionnaires.toml"
_EPS = 1e-9  # PEG means are thirds: compare changes with a tolerance, never exactly


class Scoring(StrEnum):
    SUM = "sum"
    MEAN = "mean"


class AnswerError(ValidationError):
    """Answers that cannot be scored: unknown or missing items, or a value an item does not offer."""


# ---- the content -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    points: int


@dataclass(frozen=True)
class Item:
    """One question: ``options`` for a choice, or a ``min``..``max`` rating (then ``options`` is empty)."""

    id: str
    text: str
    options: tuple[Option, ...] = ()
    min: int | None = None
    max: int | None = None
    min_label: str = ""
    max_label: str = ""

    @property
    def is_rating(self) -> bool:
        return not self.options

    @property
    def lowest(self) -> int:
        return self.min if self.is_rating else min(o.points for o in self.options)  # type: ignore[return-value]

    @property
    def highest(self) -> int:
        return self.max if self.is_rating else max(o.points for o in self.options)  # type: ignore[return-value]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Questionnaire:
    id: str
    name: str
    short: str
    intro: str
    source: str
    scoring: Scoring
    score_min: float
    score_max: float
    higher_is_better: bool
    interval_days: int
    early_days: int
    mid: float
    mid_source: str
    licence: str
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def scale(self) -> str:
        """'0–100, higher is better' / '0–10, lower is better'."""
        return f"{self.score_min:g}–{self.score_max:g}, {'higher' if self.higher_is_better else 'lower'} is better"

    def format_score(self, score: float) -> str:
        """'72' for the AKPS, '4.3' for the PEG (one decimal: its scores are thirds)."""
        return f"{score:.0f}" if self.scoring == Scoring.SUM else f"{score:.1f}"

    def as_json(self) -> list[dict[str, Any]]:
        """The items in order for ``hipknee questionnaire show ID --json``: each ``{"id", "text", "options":
        [{"id", "text", "points"}]}``, or ``{"id", "text", "min", "max"}`` for a 0–10 rating."""
        out: list[dict[str, Any]] = []
        for item in self.items:
            if item.is_rating:
                out.append({"id": item.id, "text": item.text, "min": item.min, "max": item.max})
            else:
                options = [{"id": o.id, "text": o.text, "points": o.points} for o in item.options]
                out.append({"id": item.id, "text": item.text, "options": options})
        return out


class _OptionSchema(Schema):
    id: Id
    text: Text
    points: Int = Field(ge=0)


class _ItemSchema(Schema):
    id: Id
    text: Text
    option: list[_OptionSchema] = Field(default_factory=list)
    min: Int | None = None
    max: Int | None = None
    min_label: Annotated[StrictStr, StringConstraints(strip_whitespace=True)] = ""
    max_label: Annotated[StrictStr, StringConstraints(strip_whitespace=True)] = ""

    @model_validator(mode="after")
    def _choice_or_rating(self) -> _ItemSchema:
        rating = self.min is not None or self.max is not None
        if rating and self.option:
            raise Problem("has both options and a min/max rating; give one or the other", "option")
        if rating:
            if self.min is None or self.max is None or self.min >= self.max:
                raise Problem("a rating needs whole numbers min < max", "min")
            if not self.min_label or not self.max_label:
                raise Problem("a rating needs min_label and max_label", "min_label")
            return self
        if len(self.option) < 2:
            raise Problem("needs at least two options (or a min/max rating)", "option")
        seen: set[str] = set()
        points: set[int] = set()
        for index, option in enumerate(self.option):
            if option.id in seen:
                raise Problem(f"option id '{option.id}' is used twice", f"option[{index}].id")
            if option.points in points:  # a number answer names an option by its points: they must differ
                raise Problem(f"two options give {option.points} points", f"option[{index}].points")
            seen.add(option.id)
            points.add(option.points)
        return self


class _QuestionnaireSchema(Schema):
    id: Id
    name: Text
    short: Text
    intro: Text
    source: Text
    scoring: Scoring
    score_min: float
    score_max: float
    higher_is_better: Bool
    interval_days: Int = Field(ge=1, le=366)
    early_days: Int = Field(ge=0)
    mid: float = Field(gt=0)
    mid_source: Text
    licence: Text
    item: list[_ItemSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> _QuestionnaireSchema:
        seen: set[str] = set()
        for index, item in enumerate(self.item):
            if item.id in seen:
                raise Problem(f"item id '{item.id}' is used twice", f"item[{index}].id")
            seen.add(item.id)
        if self.early_days >= self.interval_days:
            raise Problem("must be smaller than interval_days", "early_days")
        if self.scoring == Scoring.MEAN and any(i.min is None for i in self.item):
            raise Problem("a 'mean' questionnaire needs 0–10 style ratings (min/max) for every item", "item")
        lows = [_item(i).lowest for i in self.item]
        highs = [_item(i).highest for i in self.item]
        low, high = (sum(lows), sum(highs)) if self.scoring == Scoring.SUM else (_mean(lows), _mean(highs))
        if not (math.isclose(low, self.score_min) and math.isclose(high, self.score_max)):
            raise Problem(
                f"the items give scores from {low:g} to {high:g}, not {self.score_min:g} to {self.score_max:g}",
                "score_max",
            )
        return self


class QuestionnairesFile(Schema):
    """The schema of ``data/questionnaires.toml``."""

    questionnaire: list[_QuestionnaireSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> QuestionnairesFile:
        seen: set[str] = set()
        for index, q in enumerate(self.questionnaire):
            if q.id in seen:
                raise Problem("is used twice", at=("questionnaire", index, "id"))
            seen.add(q.id)
        return self


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _item(raw: _ItemSchema) -> Item:
    return Item(
        id=raw.id,
        text=raw.text,
        options=tuple(Option(o.id, o.text, o.points) for o in raw.option),
        min=raw.min,
        max=raw.max,
        min_label=raw.min_label,
        max_label=raw.max_label,
    )


def _load(path: Path) -> dict[str, Questionnaire]:
    parsed = load_content(path, QuestionnairesFile)
    return {
        q.id: Questionnaire(
            id=q.id,
            name=q.name,
            short=q.short,
            intro=q.intro,
            source=q.source,
            scoring=Scoring(q.scoring),
            score_min=q.score_min,
            score_max=q.score_max,
            higher_is_better=q.higher_is_better,
            interval_days=q.interval_days,
            early_days=q.early_days,
            mid=q.mid,
            mid_source=q.mid_source,
            licence=q.licence,
            items=tuple(_item(i) for i in q.item),
        )
        for q in parsed.questionnaire
    }


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime_ns: int) -> dict[str, Questionnaire]:
    return _load(path)


def load_questionnaires(path: Path | None = None) -> dict[str, Questionnaire]:
    """Every questionnaire by id, in file order, validated (cached until the file changes).

    Raises ContentError naming the file, the item and the field on any problem."""
    path = Path(path or QUESTIONNAIRES_PATH).resolve()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = -1
    return _load_cached(path, mtime)


def get_questionnaire(questionnaire_id: object, path: Path | None = None) -> Questionnaire:
    """The questionnaire with this id, or ValidationError listing the known ids."""
    known = load_questionnaires(path)
    if not isinstance(questionnaire_id, str) or questionnaire_id not in known:
        raise ValidationError(
            f"no questionnaire {shown_value(questionnaire_id)}; known: {', '.join(known)}", "questionnaire_id"
        )
    return known[questionnaire_id]


# ---- scoring -----------------------------------------------------------------------------------------


def check_answers(questionnaire: Questionnaire, answers: object) -> dict[str, str | int]:
    """The answers in canonical form (item id -> option id, or -> the rating), or AnswerError naming every
    unknown item, missing item and value the item does not offer.

    ``answers`` maps item id to an option id, or to a whole number: a rating for a 0–10 item, or an option's
    points for a choice item (each item's options have different points). Booleans are not numbers here.
    """
    if not isinstance(answers, Mapping):
        raise AnswerError(f"answers must be an object of item ids to answers, not {type(answers).__name__}")
    unknown = sorted(shorten(str(k), 40) for k in answers if questionnaire.item(str(k)) is None)
    missing = [i.id for i in questionnaire.items if answers.get(i.id) is None]
    wrong: list[str] = []
    canonical: dict[str, str | int] = {}
    for item in questionnaire.items:
        value = answers.get(item.id)
        if value is None:
            continue
        chosen = _canonical(item, value)
        if chosen is None:
            wrong.append(f"{item.id} ({_expected(item)}; got {shown_value(value, 40)})")  # several may be listed
        else:
            canonical[item.id] = chosen
    if unknown or missing or wrong:
        parts = []
        if unknown:
            parts.append("unknown items: " + ", ".join(unknown))
        if missing:
            listed = ", ".join(missing[:5]) + (f", … ({len(missing)} in all)" if len(missing) > 5 else "")
            parts.append("missing answers: " + listed)
        if wrong:
            parts.append("not a valid answer: " + "; ".join(wrong))
        raise AnswerError(f"invalid {questionnaire.id} answers — " + "; ".join(parts), "answers")
    return canonical


def _canonical(item: Item, value: object) -> str | int | None:
    number = value if isinstance(value, int) and not isinstance(value, bool) else None
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    if item.is_rating:
        return number if number is not None and item.min <= number <= item.max else None  # type: ignore[operator]
    if isinstance(value, str):
        return value if item.option(value) else None
    if number is not None:
        return next((o.id for o in item.options if o.points == number), None)
    return None


def _expected(item: Item) -> str:
    if item.is_rating:
        return f"a whole number {item.min}–{item.max}"
    return "one of " + ", ".join(o.id for o in item.options)


def item_points(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[int]:
    """Each item's points (or rating), in item order, for already checked answers."""
    points = []
    for item in questionnaire.items:
        value = answers[item.id]
        points.append(int(value) if item.is_rating else item.option(str(value)).points)  # type: ignore[union-attr]
    return points


def score(questionnaire: Questionnaire, answers: object) -> float:
    """The score for a full set of answers: the sum of the points (AKPS, 0–100, higher is better) or the
    mean of the ratings (PEG, 0–10, lower is better). AnswerError on any bad answer (see ``check_answers``)."""
    canonical = check_answers(questionnaire, answers)
    points = item_points(questionnaire, canonical)
    if questionnaire.scoring == Scoring.SUM:
        return float(sum(points))
    return _mean(points)


# ---- when due ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueState:
    """Where one questionnaire stands on ``today``.

    ``due``: it should be taken today (the current due date is not done yet); ``due_since``: that due date
    (None when not due); ``next_date``: the next due date after today's state (today when due now);
    ``anchor``: the day the cycle counts from (None: never answered and no programme).
    """

    questionnaire_id: str
    due: bool
    due_since: dt.date | None
    next_date: dt.date
    anchor: dt.date | None


def due_state(
    questionnaire: Questionnaire,
    taken: Iterable[dt.date],
    *,
    today: dt.date,
    programme_start: dt.date | None = None,
    first_use: dt.date | None = None,
) -> DueState:
    """Is ``questionnaire`` due on ``today``, given the dates it was ``taken`` on (any order)?

    Due dates are ``anchor + k * interval_days`` (k = 0, 1, ...). The anchor is ``programme_start`` when given,
    else the first date taken, else ``first_use`` (the journal's first day); with none of them nothing is due
    (``next_date`` is today: it may be taken any time). The latest due date on or before today is done when any
    answer falls on or after ``due date - early_days``; then the next due date is the following one. Before a
    programme's start date nothing is due.
    """
    dates = sorted(d for d in taken if d <= today)
    anchor = programme_start or (dates[0] if dates else None) or first_use
    qid = questionnaire.id
    if anchor is None:
        return DueState(qid, False, None, today, None)
    interval = questionnaire.interval_days
    if anchor > today:  # the programme starts later; an AKPS taken a few days early still counts for day 0
        return DueState(qid, False, None, anchor, anchor)
    k = (today - anchor).days // interval
    current = anchor + dt.timedelta(days=k * interval)
    done = any(d >= current - dt.timedelta(days=questionnaire.early_days) for d in dates)
    if done:
        return DueState(qid, False, None, current + dt.timedelta(days=interval), anchor)
    return DueState(qid, True, current, today, anchor)


# ---- change from the first score ---------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """First and latest score, and whether the change reaches the questionnaire's threshold (``mid``).

    ``change``: latest - first, in the scale's own direction; ``improvement``: the same, positive when better
    (AKPS up, PEG down); ``improved``/``worsened``: the improvement reaches +mid / -mid.
    """

    questionnaire_id: str
    first_date: dt.date
    first: float
    latest_date: dt.date
    latest: float
    change: float
    improvement: float
    mid: float
    improved: bool
    worsened: bool

    @property
    def verdict(self) -> str:
        """A short phrase for the change, for pages and the report."""
        if self.improved:
            return "better by at least the threshold"
        if self.worsened:
            return "worse by at least the threshold"
        return "less than the threshold either way"


def change_from_first(questionnaire: Questionnaire, scores: Iterable[tuple[dt.date, float]]) -> Change | None:
    """The change from the first to the latest score (by date), or None with fewer than two scores."""
    ordered = sorted(scores, key=lambda pair: pair[0])
    if len(ordered) < 2:
        return None
    (first_date, first), (latest_date, latest) = ordered[0], ordered[-1]
    change = latest - first
    improvement = change if questionnaire.higher_is_better else -change
    mid = questionnaire.mid
    return Change(
        questionnaire_id=questionnaire.id,
        first_date=first_date,
        first=first,
        latest_date=latest_date,
        latest=latest,
        change=change,
        improvement=improvement,
        mid=mid,
        improved=improvement >= mid - _EPS,
        worsened=improvement <= -mid + _EPS,
    )


def change_sentence(questionnaire: Questionnaire, change: Change) -> str:
    """One plain sentence: 'From 62 on 1 Mar to 75 on 29 Mar: up 13 points, better by at least the
    threshold (10 points).'"""
    fmt = questionnaire.format_score
    direction = "up" if change.change > _EPS else "down" if change.change < -_EPS else "no change"
    amount = (
        "" if direction == "no change" else f" {fmt(abs(change.change))} point{'s' if abs(change.change) != 1 else ''}"
    )
    return (
        f"From {fmt(change.first)} on {change.first_date:%-d %b %Y} to {fmt(change.latest)} on "
        f"{change.latest_date:%-d %b %Y}: {direction}{amount}, {change.verdict} "
        f"({questionnaire.mid:g} point{'s' if questionnaire.mid != 1 else ''})."
    )


# ---- a person's history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One saved questionnaire with its score (from the answers, by today's rules)."""

    questionnaire: Questionnaire
    date: dt.date
    score: float
    answers: Mapping[str, Any]

    def as_json(self) -> dict[str, Any]:
        """``{"questionnaire", "date", "score", "answers"}`` for ``hipknee questionnaire history --json``."""
        value: float | int = round(self.score, 2) if self.questionnaire.scoring == Scoring.MEAN else int(self.score)
        return {
            "questionnaire": self.questionnaire.id,
            "date": self.date.isoformat(),
            "score": value,
            "answers": dict(self.answers),
        }


def history(records: Iterable[Any], path: Path | None = None) -> list[Scored]:
    """Score saved records (each with ``questionnaire_id``, ``date`` and ``answers``), oldest first.

    A record of a questionnaire no longer in the file, or whose answers no longer score, is left out: the
    store only saves answers that score, so this happens only after the content file changed."""
    known = load_questionnaires(path)
    out: list[Scored] = []
    for record in records:
        q = known.get(record.questionnaire_id)
        if q is None:
            continue
        try:
            out.append(Scored(q, record.date, score(q, record.answers), record.answers))
        except AnswerError:
            continue
    return sorted(out, key=lambda s: (s.date, s.questionnaire.id))


def scores_of(rows: Iterable[Scored], questionnaire_id: str) -> list[tuple[dt.date, float]]:
    """(date, score) pairs of one questionnaire, oldest first."""
    return [(r.date, r.score) for r in rows if r.questionnaire.id == questionnaire_id]


def due_states(
    taken: Iterable[Any],
    *,
    today: dt.date,
    programme_start: dt.date | None = None,
    first_use: dt.date | None = None,
    path: Path | None = None,
) -> list[DueState]:
    """``due_state`` for every questionnaire, from saved records (each with ``questionnaire_id`` and ``date``)."""
    records = list(taken)
    return [
        due_state(
            q,
            [r.date for r in records if r.questionnaire_id == q.id],
            today=today,
            programme_start=programme_start,
            first_use=first_use,
        )
        for q in load_questionnaires(path).values()
    ]
