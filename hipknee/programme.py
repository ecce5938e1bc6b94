"""The 8-week programme: its content (data/programme.toml) and the session it gives for a day.

``load_programme`` reads and validates the file against the exercise library; every problem raises
``ProgrammeDataError`` naming the file, the exercise and the field. ``plan_for_day`` turns the programme,
its start date and what was logged *before* the day (plus the person's own level choices dated up to
and including the day) into that day's session: the week, the kind of day, and each exercise at its level
with its dose and one sentence on why it changed (or did not). The level rule is
``hipknee.progression``'s (pain-monitored, cited there).

**A choice dated D counts for D.** The person may choose an easier level for today's session before
pressing Start (``choose_easier``); that choice is stored with today's date and today's plan - on the
Routine page and in ``hipknee plan [--date D]`` alike, as both call ``plan_from_store`` - already gives the
chosen level. Sessions dated D never count for D (D's plan is judged from the sessions before it). A
choice made after a session of D was played leaves that session as it was played: in the plans of later
days the rule (``progression.replay``) orders it after that session by time.

Days are counted from the start: day 1 is the start day; days 1-7 are week 1, and so on. A day's kind:
"strength" when its place in the week (1-7) is in ``strength_days`` (warm-up, strengthening, then the
stretches for comfort when it is also a stretch day), "stretch" when it is only in ``stretch_days``
(warm-up and stretches), otherwise "rest" (nothing). After the last week the schedule and levels carry on
(``week`` keeps counting past ``weeks``) so the person can keep going.

The two functions the pages call are thin on purpose: ``todays_session`` (the Routine page's "Today's
session": RoutineSettings plus the day's doses) and ``plan_view`` (week N of 8, today, the changes and
their reasons, the level history).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, ValidationInfo, field_validator, model_validator

from hipknee.content import ContentError, Id, Int, Problem, Schema, Text, load_content
from hipknee.exercises import STRETCH_HOLD_RANGE, Exercise, PoseSchema, load_exercises
from hipknee.paths import DATA_DIR
from hipknee.progression import (
    ChoiceError,
    LevelChoice,
    Progress,
    Rules,
    SessionLog,
    Step,
    check_choice,
    choice_reason,
    replay,
)
from hipknee.statuses import Change, SessionStatus, _Ordered

if TYPE_CHECKING:  # the store is passed in (Any elsewhere here); only its record type is named
    from hipknee.store import LevelChoiceRecord

PROGRAMME_PATH = DATA_DIR / "programme.toml"


# Kept here rather than in hipknee.statuses: its words are also the exercise kinds ("strength", "stretch"),
# which tests/test_architecture.py would then take for typed statuses everywhere.
class DayType(_Ordered):
    """What a day of the programme holds (the ``day_type`` of ``hipknee plan --json``)."""

    STRENGTH = "strength"
    STRETCH = "stretch"
    REST = "rest"


WEEKS_RANGE = (1, 26)
DAYS = range(1, 8)


class ProgrammeDataError(ContentError):
    """data/programme.toml is missing, unreadable or breaks a rule; the message names file, id and field."""


class NotStartedError(ContentError):
    """There is no programme start (or the day is before it)."""


# ---- the schema ---------------------------------------------------------------------------------------


class _Plan(Schema):
    weeks: Int = Field(ge=WEEKS_RANGE[0], le=WEEKS_RANGE[1])
    warm_up: Id
    strength_days: list[Int] = Field(min_length=1)
    stretch_days: list[Int] = []

    @field_validator("strength_days", "stretch_days")
    @classmethod
    def _days(cls, days: list[int]) -> list[int]:
        bad = [d for d in days if d not in DAYS]
        if bad or len(set(days)) != len(days):
            raise Problem(f"must be different days of the week, 1 to 7, got {days!r}")
        return days


class _Limits(Schema):
    max_sets: Int = Field(ge=1, le=10)
    max_reps: Int = Field(ge=1, le=50)
    max_strength_hold_s: Int = Field(ge=1, le=120)
    max_rest_s: Int = Field(ge=0, le=300)


class _Level(Schema):
    name: Text
    sets: Int = Field(ge=1)
    reps: Int | None = Field(default=None, ge=1)
    hold_s: Int | None = Field(default=None, ge=1)
    rest_s: Int = Field(default=0, ge=0)
    cues: Annotated[list[Text], Field(min_length=1)]
    safer: Text
    pose: PoseSchema | None = None


class _Exercise(Schema):
    id: Id
    start_level: Int = Field(ge=1)
    max_level: Int = Field(ge=1)
    level: Annotated[list[_Level], Field(min_length=1)]

    @model_validator(mode="after")
    def _levels(self) -> _Exercise:
        if self.max_level > len(self.level):
            raise Problem(f"is {self.max_level} but there are only {len(self.level)} levels", "max_level")
        if self.start_level > self.max_level:
            raise Problem(f"must be at most max_level ({self.max_level})", "start_level")
        return self


class ProgrammeFile(Schema):
    """The schema of ``data/programme.toml``; the context's ``library`` is the exercise library."""

    plan: _Plan
    limits: _Limits
    exercise: Annotated[list[_Exercise], Field(min_length=1)]

    @model_validator(mode="after")
    def _against_library(self, info: ValidationInfo) -> ProgrammeFile:
        library: Mapping[str, Exercise] = (info.context or {}).get("library") or {}
        warm = library.get(self.plan.warm_up)
        if warm is None or warm.kind != "warmup":
            raise Problem(f"{self.plan.warm_up!r} is not a warm-up in the exercise library", at=("plan", "warm_up"))
        seen: set[str] = set()
        for i, ex in enumerate(self.exercise):
            if ex.id in seen:
                raise Problem("is used twice", at=("exercise", i, "id"))
            seen.add(ex.id)
            known = library.get(ex.id)
            if known is None or known.kind not in ("strength", "stretch"):
                raise Problem(
                    f"{ex.id!r} is not a strength exercise or stretch in the exercise library", at=("exercise", i, "id")
                )
            for n, level in enumerate(ex.level):
                _check_dose(level, known.kind, self.limits, ("exercise", i, "level", n))
        if any(library[ex.id].kind == "stretch" for ex in self.exercise) and not self.plan.stretch_days:
            raise Problem("must name at least one day: the plan has stretches", at=("plan", "stretch_days"))
        return self


def _check_dose(level: _Level, kind: str, limits: _Limits, at: tuple[str | int, ...]) -> None:
    if level.sets > limits.max_sets:
        raise Problem(f"must be at most {limits.max_sets} (the plan's limit)", at=(*at, "sets"))
    if level.rest_s > limits.max_rest_s:
        raise Problem(f"must be at most {limits.max_rest_s} (the plan's limit)", at=(*at, "rest_s"))
    if kind == "stretch":
        if level.reps is not None:
            raise Problem("must be left out for a stretch (use hold_s)", at=(*at, "reps"))
        low, high = STRETCH_HOLD_RANGE
        if level.hold_s is None or not low <= level.hold_s <= high:
            raise Problem(f"must be {low} to {high} seconds for a stretch, got {level.hold_s!r}", at=(*at, "hold_s"))
        return
    if level.reps is None or level.reps > limits.max_reps:
        raise Problem(f"must be a whole number from 1 to {limits.max_reps}, got {level.reps!r}", at=(*at, "reps"))
    if level.hold_s is not None and level.hold_s > limits.max_strength_hold_s:
        raise Problem(f"must be at most {limits.max_strength_hold_s} (the plan's limit)", at=(*at, "hold_s"))


# ---- the loaded programme -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Dose:
    """How much of one exercise at one level: ``sets``; ``reps`` per set (None for a plain hold);
    ``hold_s`` seconds per hold or per rep's hold (None for plain reps); ``rest_s`` between sets."""

    sets: int
    reps: int | None
    hold_s: int | None
    rest_s: int = 0

    def as_json(self) -> dict[str, int | None]:
        """The CLI's ``dose`` object: {"sets", "reps", "hold_s"}."""
        return {"sets": self.sets, "reps": self.reps, "hold_s": self.hold_s}


@dataclass(frozen=True)
class Level:
    number: int  # 1 = easiest
    name: str
    dose: Dose
    cues: tuple[str, ...]
    safer: str
    pose: Any | None  # hipknee.exercises.Pose, or None to use the exercise's own picture


@dataclass(frozen=True)
class ProgrammeExercise:
    id: str
    kind: str  # "strength" | "stretch"
    start_level: int
    max_level: int
    levels: tuple[Level, ...]

    def level(self, number: int) -> Level:
        return self.levels[min(max(number, 1), len(self.levels)) - 1]


@dataclass(frozen=True)
class Programme:
    weeks: int
    warm_up: str
    strength_days: tuple[int, ...]
    stretch_days: tuple[int, ...]
    exercises: dict[str, ProgrammeExercise]  # in file order
    warm_up_dose: Dose

    def rules(self, settings: Mapping[str, Any] | None = None) -> Rules:
        """The progression rules, with a prescription's ``start_level``/``max_level`` maps (``settings``,
        as stored with the programme start) applied within what the file allows."""
        settings = settings or {}
        start = {i: e.start_level for i, e in self.exercises.items()}
        top = {i: e.max_level for i, e in self.exercises.items()}
        for key, target in (("max_level", top), ("start_level", start)):
            for ex, value in dict(settings.get(key) or {}).items():
                if ex in target and isinstance(value, int) and not isinstance(value, bool):
                    target[ex] = min(max(value, 1), self.exercises[ex].max_level)
        start = {ex: min(level, top[ex]) for ex, level in start.items()}
        names = {i: [lvl.name for lvl in e.levels] for i, e in self.exercises.items()}
        return Rules(start_level=start, max_level=top, names=names)


def _build(parsed: ProgrammeFile, library: Mapping[str, Exercise]) -> Programme:
    exercises = {}
    for ex in parsed.exercise:
        levels = tuple(
            Level(
                n,
                lvl.name,
                Dose(lvl.sets, lvl.reps, lvl.hold_s, lvl.rest_s),
                tuple(lvl.cues),
                lvl.safer,
                lvl.pose.to_pose() if lvl.pose is not None else None,
            )
            for n, lvl in enumerate(ex.level, 1)
        )
        exercises[ex.id] = ProgrammeExercise(ex.id, library[ex.id].kind, ex.start_level, ex.max_level, levels)
    warm = library[parsed.plan.warm_up]
    return Programme(
        weeks=parsed.plan.weeks,
        warm_up=parsed.plan.warm_up,
        strength_days=tuple(parsed.plan.strength_days),
        stretch_days=tuple(parsed.plan.stretch_days),
        exercises=exercises,
        warm_up_dose=Dose(warm.sets, None, warm.hold_seconds, warm.rest_seconds),
    )


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> Programme:
    library = load_exercises()
    return _build(
        load_content(Path(path), ProgrammeFile, context={"library": library}, error=ProgrammeDataError), library
    )


def load_programme(path: Path | None = None, library: Mapping[str, Exercise] | None = None) -> Programme:
    """The programme in ``path`` (default data/programme.toml), checked against ``library`` (default: the
    exercise library). ProgrammeDataError on any problem."""
    path = Path(path) if path is not None else PROGRAMME_PATH
    if library is None:
        try:
            return _cached(str(path), path.stat().st_mtime)
        except OSError:
            pass  # load_content below says "file not found" clearly
        library = load_exercises()
    return _build(load_content(path, ProgrammeFile, context={"library": library}, error=ProgrammeDataError), library)


# ---- the session for a day ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedExercise:
    """One exercise of a day: its ``level`` and ``dose``, and how and why the level changed ("up" | "down"
    | "same") since the last session that did it."""

    id: str
    kind: str  # "warmup" | "strength" | "stretch"
    level: int
    level_name: str
    dose: Dose
    change: str
    reason: str
    cues: tuple[str, ...]
    safer: str
    max_level: int

    def as_json(self) -> dict[str, Any]:
        """The CLI's exercise object: {"id", "level", "dose", "change", "reason"}."""
        return {
            "id": self.id,
            "level": self.level,
            "dose": self.dose.as_json(),
            "change": self.change,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class DayPlan:
    date: dt.date
    start: dt.date
    week: int  # 1 = the first week; keeps counting after the last
    weeks: int
    day: int  # 1-7, the place in the week
    day_type: str  # a DayType
    exercises: tuple[PlannedExercise, ...]
    progress: Progress = field(repr=False)

    @property
    def finished(self) -> bool:
        return self.week > self.weeks

    def as_json(self) -> dict[str, Any]:
        """The ``hipknee plan --json`` object."""
        return {
            "week": self.week,
            "weeks": self.weeks,
            "day_type": self.day_type,
            "exercises": [e.as_json() for e in self.exercises],
        }


def day_type(programme: Programme, start: dt.date, day: dt.date) -> tuple[int, int, str]:
    """(week, day of the week 1-7, kind of day) for ``day``; NotStartedError when it is before ``start``."""
    offset = (day - start).days
    if offset < 0:
        raise NotStartedError(f"{day.isoformat()} is before the programme's start ({start.isoformat()})")
    week, place = offset // 7 + 1, offset % 7 + 1
    if place in programme.strength_days:
        return week, place, DayType.STRENGTH
    if place in programme.stretch_days:
        return week, place, DayType.STRETCH
    return week, place, DayType.REST


def plan_for_day(
    programme: Programme,
    start: dt.date,
    day: dt.date,
    sessions: Iterable[SessionLog],
    choices: Iterable[LevelChoice] = (),
    settings: Mapping[str, Any] | None = None,
) -> DayPlan:
    """The session for ``day``, judged from ``sessions`` dated from ``start`` up to the day before ``day``
    and ``choices`` dated from ``start`` up to ``day`` itself (a choice made for today counts today; see
    the module docstring). Others are ignored here, so callers may pass everything. ``settings``: the
    prescription stored with the start (see ``Programme.rules``). NotStartedError before the start."""
    week, place, kind = day_type(programme, start, day)
    rules = programme.rules(settings)
    progress = replay(
        [s for s in sessions if start <= s.date < day],
        rules,
        choices=[c for c in choices if start <= c.date <= day],
    )
    items: list[PlannedExercise] = []
    if kind != DayType.REST:
        w = programme.warm_up_dose
        items.append(
            PlannedExercise(
                programme.warm_up,
                "warmup",
                1,
                "Warm-up",
                w,
                Change.SAME,
                "A few minutes of easy movement before every session.",
                (),
                "",
                1,
            )
        )
        wanted = (
            ("strength", "stretch")
            if kind == DayType.STRENGTH and place in programme.stretch_days
            else (("strength",) if kind == DayType.STRENGTH else ("stretch",))
        )
        chosen = set((settings or {}).get("exercises") or programme.exercises)
        for want in wanted:
            for ex in programme.exercises.values():
                if ex.kind == want and ex.id in chosen:
                    items.append(_planned(ex, progress, rules))
    return DayPlan(day, start, week, programme.weeks, place, kind, tuple(items), progress)


def _planned(ex: ProgrammeExercise, progress: Progress, rules: Rules) -> PlannedExercise:
    number = progress.levels[ex.id]
    level = ex.level(number)
    last: Step | None = progress.last.get(ex.id)
    change: str
    if last is None:
        change, reason = Change.SAME, f"Starting at {level.name}: the level your plan begins with."
    else:
        change, reason = last.change, last.reason
    return PlannedExercise(
        ex.id, ex.kind, number, level.name, level.dose, change, reason, level.cues, level.safer, rules.max_level[ex.id]
    )


def session_levels(plan: DayPlan) -> dict[str, int]:
    """exercise id -> level for the exercises of ``plan`` that progress (not the warm-up): what a session
    done as planned records as its ``levels``."""
    return {e.id: e.level for e in plan.exercises if e.kind != "warmup"}


# ---- thin wiring for the pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class TodaysSession:
    """The Routine page's "Today's session": ``settings`` is a ``hipknee.routines.RoutineSettings`` (the
    exercise ids in order, warm-up on) and ``doses`` each exercise's dose for today (exercise id -> Dose),
    ``levels`` its level (to record with the session), ``names`` its level name. Empty on a rest day."""

    day_type: str
    settings: Any  # RoutineSettings
    doses: dict[str, Dose]
    levels: dict[str, int]
    names: dict[str, str]


def todays_session(plan: DayPlan) -> TodaysSession:
    """``plan`` (from ``plan_for_day``) as the Routine page plays it. On a rest day ``settings`` has no
    exercises (``settings_problems`` would refuse it: the page says it is a rest day instead)."""
    from hipknee.routines import RoutineSettings

    main = [e for e in plan.exercises if e.kind != "warmup"]
    return TodaysSession(
        day_type=plan.day_type,
        settings=RoutineSettings(exercise_ids=tuple(e.id for e in main), warmup=bool(main)),
        doses={e.id: e.dose for e in main},
        levels=session_levels(plan),
        names={e.id: e.level_name for e in main},
    )


@dataclass(frozen=True)
class PlanView:
    """What the plan view shows: "week N of M", today's kind and exercises, the exercises whose level
    changed for today (with the one-sentence reasons), and the history of level changes, newest first,
    as (date, exercise id, from level name, to level name, reason)."""

    week: int
    weeks: int
    finished: bool
    day_type: str
    today: tuple[PlannedExercise, ...]
    changes: tuple[PlannedExercise, ...]
    history: tuple[tuple[dt.date, str, str, str, str], ...]


def plan_view(programme: Programme, plan: DayPlan, settings: Mapping[str, Any] | None = None) -> PlanView:
    """The plan view for ``plan`` (from ``plan_for_day``)."""
    rules = programme.rules(settings)
    history = tuple(
        (s.date, s.exercise_id, rules.name(s.exercise_id, s.before), rules.name(s.exercise_id, s.after), s.reason)
        for s in sorted(plan.progress.history, key=lambda step: step.date, reverse=True)  # stable: file order
    )
    return PlanView(
        week=plan.week,
        weeks=plan.weeks,
        finished=plan.finished,
        day_type=plan.day_type,
        today=plan.exercises,
        changes=tuple(e for e in plan.exercises if e.change != Change.SAME),
        history=history,
    )


def dose_words(dose: Dose) -> str:
    """A dose in words: "2 sets of 10", "5 holds of 15 s", "hold 30 s"."""
    if dose.reps is None:
        hold = f"hold {dose.hold_s} s"
        return hold if dose.sets == 1 else f"{dose.sets} times: {hold}"
    if dose.hold_s is not None:
        each = (
            f"{dose.reps} holds of {dose.hold_s} s"
            if dose.hold_s >= 10
            else (f"{dose.reps} with a {dose.hold_s}-second hold")
        )
        return each if dose.sets == 1 else f"{dose.sets} sets of {each}"
    return f"{dose.reps} reps" if dose.sets == 1 else f"{dose.sets} sets of {dose.reps}"


def describe_plan(plan: DayPlan) -> str:
    """The plan as a few plain lines (the CLI's text output)."""
    head = f"week {plan.week} of {plan.weeks}" + (" (the 8 weeks are done; keep going)" if plan.finished else "")
    kinds = {DayType.STRENGTH: "a strengthening day", DayType.STRETCH: "a stretching day", DayType.REST: "a rest day"}
    lines = [f"{plan.date.isoformat()}: {head}, {kinds[DayType(plan.day_type)]}"]
    if not plan.exercises:
        lines.append("nothing planned today: rest, or go for an easy walk")
    for e in plan.exercises:
        if e.kind == "warmup" and e.dose.hold_s:
            lines.append(f"- {e.level_name}: {e.dose.hold_s // 60} minutes of easy movement")
            continue
        lines.append(f"- {e.level_name}: {dose_words(e.dose)}")
        if e.change != Change.SAME:
            lines.append(f"  {e.reason}")
    return "\n".join(lines)


# ---- the Journal's next-morning question --------------------------------------------------------------

NEXT_MORNING_DAYS = 2  # ask about a session from yesterday, or the day before when yesterday was missed


def awaiting_next_morning(sessions: Iterable[Any], today: dt.date) -> Any | None:
    """The programme session the Journal should ask about today ("how was your knee this morning,
    compared with before the session?"), or None. ``sessions``: records with ``date``, ``status`` and
    ``next_morning`` (e.g. ``Store.list_programme_sessions()``). The newest completed session from the
    last ``NEXT_MORNING_DAYS`` days before today with no answer yet; a session stopped for pain is red
    whatever the morning brings, so it is not asked about."""
    earliest = today - dt.timedelta(days=NEXT_MORNING_DAYS)
    waiting = [
        s
        for s in sessions
        if earliest <= s.date < today and s.status == SessionStatus.COMPLETED and s.next_morning is None
    ]
    return max(waiting, key=lambda s: (s.date, getattr(s, "id", 0)), default=None)


# ---- a physio's prescription link ---------------------------------------------------------------------

PRESCRIPTION_KEY = "programme"  # ?programme=clamshell:1-2,bridge:2,wall_sit:1-3


def parse_prescription(value: str | None, programme: Programme) -> tuple[dict[str, Any] | None, tuple[str, ...]]:
    """Read a prescription link's ``programme`` value: comma-separated ``id:start-max`` (or ``id:start``,
    or ``id``) items naming the exercises of the plan, the level each starts at and the highest it may
    reach. Never raises: bad items are left out with a message saying so. Returns (settings as stored with
    the programme start - {"exercises", "start_level", "max_level"} - or None when nothing usable, messages).
    """
    if value is None:
        return None, ()
    from hipknee.errors import shorten

    messages: list[str] = []
    exercises: list[str] = []
    start: dict[str, int] = {}
    top: dict[str, int] = {}
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        ex_id, _, levels = item.partition(":")
        ex_id = ex_id.strip().lower()
        ex = programme.exercises.get(ex_id)
        if ex is None:
            messages.append(f"The link names '{shorten(ex_id, 30)}', which is not in the programme; it was left out.")
            continue
        if ex_id in exercises:
            messages.append(f"The link lists {ex_id} more than once; the first is used.")
            continue
        low_text, _, high_text = levels.partition("-")
        try:
            low = int(low_text) if low_text.strip() else ex.start_level
            high = int(high_text) if high_text.strip() else max(low, ex.max_level)
        except ValueError:
            messages.append(
                f"The link's levels for {ex_id} ('{shorten(levels, 20)}') are not numbers; the plan's own are used."
            )
            low, high = ex.start_level, ex.max_level
        if not 1 <= low <= high <= ex.max_level:
            messages.append(
                f"The link's levels for {ex_id} must be from 1 to {ex.max_level}, the start no "
                "higher than the top; the plan's own are used."
            )
            low, high = ex.start_level, ex.max_level
        exercises.append(ex_id)
        start[ex_id], top[ex_id] = low, high
    if not exercises:
        messages.append("The link has no exercises this programme knows, so the plan stays as it is.")
        return None, tuple(messages)
    return {"exercises": exercises, "start_level": start, "max_level": top}, tuple(messages)


def prescription_changes(
    programme: Programme,
    current: Mapping[str, Any] | None,
    new: Mapping[str, Any],
    *,
    started: bool = True,
) -> list[str]:
    """What opening a prescription link would change, one plain sentence each (empty: nothing changes),
    so the page can ask before replacing the plan. ``current``: the settings of the programme now (None or
    {} for the plan as the file has it). ``started``: whether a plan has been started at all (the last
    sentence says the programme starts *again* only then)."""

    def effective(settings: Mapping[str, Any] | None) -> tuple[list[str], Rules]:
        ids = list((settings or {}).get("exercises") or programme.exercises)
        return ids, programme.rules(settings)

    old_ids, old = effective(current)
    new_ids, rules = effective(new)
    lines: list[str] = []
    added = [i for i in new_ids if i not in old_ids]
    dropped = [i for i in old_ids if i not in new_ids]
    if added:
        lines.append("Adds " + ", ".join(rules.name(i, 1) for i in added) + ".")
    if dropped:
        lines.append("Leaves out " + ", ".join(old.name(i, 1) for i in dropped) + ".")
    for ex in new_ids:
        if ex in added or old.start_level.get(ex) != rules.start_level[ex]:
            lines.append(
                f"{rules.name(ex, 1)} starts at level {rules.start_level[ex]}: {rules.name(ex, rules.start_level[ex])}."
            )
        if ex in added or old.max_level.get(ex) != rules.max_level[ex]:
            lines.append(
                f"{rules.name(ex, 1)} goes no higher than level {rules.max_level[ex]}: "
                f"{rules.name(ex, rules.max_level[ex])}."
            )
    if lines:
        lines.append(
            "The programme starts again from today with these settings."
            if started
            else "The programme starts today with these settings."
        )
    return lines


# ---- from the store -----------------------------------------------------------------------------------


def plan_from_store(store: Any, day: dt.date, programme: Programme | None = None) -> DayPlan:
    """The plan for ``day`` for ``store``'s person (a ``hipknee.store.Store``): their newest programme start
    and prescription, the sessions they logged from the start up to the day before, and their level
    choices from the start up to and including ``day`` that were made after the start was set (see the
    module docstring). NotStartedError when
    they have not started the programme or ``day`` is before the start. What the CLI and the pages both
    call, so they agree."""
    start = store.programme_start()
    if start is None:
        raise NotStartedError("no programme started yet")
    sessions = [
        SessionLog(r.date, r.status, r.pain_during, r.next_morning, r.levels, r.started_at)
        for r in store.list_programme_sessions(start.start_date, day)
    ]
    # A choice made before the (re)start belongs to the plan it replaced: a restart goes back to the levels
    # the plan begins with, even for a choice made earlier on the start day.
    choices = [
        LevelChoice(c.date, c.exercise_id, c.level, c.chosen_at)
        for c in store.list_level_choices(start.start_date, day + dt.timedelta(days=1))
        if c.chosen_at >= start.created_at
    ]
    return plan_for_day(programme or load_programme(), start.start_date, day, sessions, choices, start.settings)


def easier_levels(programme: Programme, plan: DayPlan) -> dict[str, tuple[Level, ...]]:
    """For each exercise of ``plan`` that has one, the levels the person may choose instead of the planned
    one today: the easier ones, easiest first (never a harder one). An exercise already at level 1 is left
    out: its level's ``safer`` text is the easier way."""
    return {
        e.id: programme.exercises[e.id].levels[: e.level - 1]
        for e in plan.exercises
        if e.kind != "warmup" and e.id in programme.exercises and e.level > 1
    }


def choose_easier(
    store: Any, day: dt.date, exercise_id: str, level: object, programme: Programme | None = None
) -> Step:
    """Record the person's choice of an easier ``level`` of ``exercise_id`` from ``day`` on (made now, so
    it counts for the day's session if that has not been played yet; see the module docstring). Returns the
    step it makes, with its one-sentence reason. ``progression.ChoiceError`` (nothing written) for a level
    harder than the day's plan gives, the planned level itself, an exercise not in the day's session, or
    not a level; NotStartedError as ``plan_from_store``."""
    programme = programme or load_programme()
    plan = plan_from_store(store, day, programme)
    planned = {e.id: e.level for e in plan.exercises if e.kind != "warmup"}
    start = store.programme_start()
    rules = programme.rules(start.settings if start is not None else None)
    if exercise_id not in planned:
        raise ChoiceError(f"{exercise_id!r} is not in your plan's session for {day.isoformat()}")
    chosen = check_choice(rules, exercise_id, level, planned[exercise_id])
    if chosen == planned[exercise_id]:
        raise ChoiceError(
            f"{rules.name(exercise_id, chosen)} is already your level for {day.isoformat()}; pick an easier one"
        )
    choice_id = store.choose_level(day, exercise_id, chosen)
    return Step(
        day,
        exercise_id,
        planned[exercise_id],
        chosen,
        Change.DOWN,
        choice_reason(rules, exercise_id, planned[exercise_id], chosen, day),
        chosen=True,
        choice_id=choice_id,
    )


def undo_choice(store: Any, choice_id: int) -> LevelChoiceRecord:
    """Take back the level choice ``choice_id`` (the Undo offered straight after "Use the easier level"): the
    plan then gives what it gave without it, which is never harder than the plan allows. Returns the deleted
    choice. ChoiceError, nothing deleted, when the person has no such choice (taken back already, or not
    theirs), or once a programme session started after it: that session was planned with the chosen level,
    and the plan's history keeps what was played."""
    choice = next((c for c in store.list_level_choices() if c.id == choice_id), None)
    if choice is None:
        raise ChoiceError("that choice is not there any more (it was already taken back)")
    played = [
        s
        for s in store.list_programme_sessions(choice.date)
        if s.started_at is None or s.started_at >= choice.chosen_at
    ]
    if played:
        raise ChoiceError(
            f"a session was played on {played[0].date:%d %B %Y} after the choice, so it stays; the plan moves "
            "the level up again after two comfortable sessions"
        )
    return store.delete_level_choice(choice_id)
