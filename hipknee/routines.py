"""Routines: presets, the builder's settings, expansion into timed steps, safer variants, share links.

Pure: no Streamlit. Every function takes the exercise library (``hipknee.exercises.load_exercises()``) as
an argument, so it can be tested with any set of exercises.

A routine expands to a flat list of steps, each with a whole number of seconds and its offset from the
start. The player runs it from one start time: the step on screen at time t is the one whose
``[start, start + seconds)`` holds t.

* An optional warm-up (the ``warm_up`` exercise, 5 minutes) comes first.
* Then, for each exercise, each set; in each set each side (left then right) when the exercise is
  one-sided; each side is a hold or a run of reps.
* Every hold or run of reps has a 5-second count before it: "get ready" before the first side, and
  "switch sides" (the same 5 seconds, with the other side's picture) before the second side.
* The count before an exercise is 10 seconds instead when its position (standing, sitting, kneeling, on the
  back, on the side, on the front) differs from the exercise before (``pause_before``, issue 17), and the
  player then says where to go ("Next: lie on your right side").
* Between sets there is the exercise's rest, when it has one.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeGuard
from urllib.parse import urlencode

from pydantic import Field, ValidationInfo, field_validator, model_validator

from hipknee.content import Bool, Id, Problem, Schema, Text, load_content
from hipknee.errors import ValidationError, shorten, shown_value
from hipknee.paths import DATA_DIR
from hipknee.statuses import SessionStatus

ROUTINES_PATH = DATA_DIR / "routines.toml"

WARMUP_ID = "warm_up"
GET_READY_SECONDS = 5
SWITCH_SECONDS = 5
POSITION_CHANGE_SECONDS = 10  # issue 17: 5 s is not enough to get from sitting to lying on one side
HOLD_MIN, HOLD_MAX = 5, 300
SETS_MIN, SETS_MAX = 1, 5
SIDES = ("left", "right")

# Step kinds. "hold" and "reps" are the work; the others are the gaps around it.
GET_READY, SWITCH, HOLD, REPS, REST = "get_ready", "switch", "hold", "reps", "rest"
WORK_KINDS = (HOLD, REPS)

QUERY_KEYS = ("exercises", "hold", "sets", "warmup")


class ExerciseLike(Protocol):
    """The fields of ``hipknee.exercises.Exercise`` this module reads."""

    id: str
    name: str
    kind: str
    per_side: bool
    position: str
    hold_seconds: int | None
    reps: int | None
    seconds_per_rep: int
    sets: int
    rest_seconds: int
    cues: tuple[str, ...]
    replaces: str | None
    suggested_when: str | None
    choose_variant_when: str


Library = Mapping[str, ExerciseLike]


# ---- content: presets and stop advice --------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    summary: str
    exercise_ids: tuple[str, ...]
    warmup: bool

    @property
    def settings(self) -> RoutineSettings:
        return RoutineSettings(self.exercise_ids, hold_seconds=None, sets=None, warmup=self.warmup)


@dataclass(frozen=True)
class StopAdvice:
    title: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class RoutineContent:
    presets: dict[str, Preset]  # in file order
    stop_advice: StopAdvice


class _PresetSchema(Schema):
    id: Id
    title: Text
    summary: Text
    exercises: list[Text] = Field(min_length=1)
    warmup: Bool

    @field_validator("exercises")
    @classmethod
    def _exercise_ids(cls, ids: list[str], info: ValidationInfo) -> list[str]:
        if len(set(ids)) != len(ids):
            raise Problem("lists an exercise twice")
        if WARMUP_ID in ids:
            raise Problem(f"must not list {WARMUP_ID}; set warmup = true instead")
        library = (info.context or {}).get("library")
        if library is not None:
            unknown = [i for i in ids if i not in library]
            if unknown:
                raise Problem(f"names unknown exercise(s) {', '.join(unknown)}")
        return ids


class _StopAdviceSchema(Schema):
    title: Text
    points: list[Text] = Field(min_length=1)


class RoutinesFile(Schema):
    """The schema of ``data/routines.toml``."""

    presets: list[_PresetSchema] = Field(min_length=1)
    stop_advice: _StopAdviceSchema

    @model_validator(mode="after")
    def _unique_ids(self) -> RoutinesFile:
        seen: set[str] = set()
        for index, preset in enumerate(self.presets):
            if preset.id in seen:
                raise Problem("is used twice", at=("presets", index, "id"))
            seen.add(preset.id)
        return self


def load_routine_content(path: Path | None = None, library: Library | None = None) -> RoutineContent:
    """Read presets and stop advice from ``data/routines.toml`` (schema ``RoutinesFile``); a clear
    ContentError on any problem. With ``library``, every preset's exercise ids are checked against it.
    """
    parsed = load_content(path or ROUTINES_PATH, RoutinesFile, context={"library": library})
    presets = {
        p.id: Preset(id=p.id, title=p.title, summary=p.summary, exercise_ids=tuple(p.exercises), warmup=p.warmup)
        for p in parsed.presets
    }
    advice = StopAdvice(title=parsed.stop_advice.title, points=tuple(parsed.stop_advice.points))
    return RoutineContent(presets=presets, stop_advice=advice)


# ---- settings (what the builder and the share link describe) ---------------------------------------


@dataclass(frozen=True)
class RoutineSettings:
    """A routine as the builder describes it.

    ``hold_seconds`` and ``sets`` of None mean "each exercise's own" (what the presets use). The hold length
    applies to held exercises only (not reps, not the warm-up); the number of sets applies to all but the
    warm-up.
    """

    exercise_ids: tuple[str, ...]
    hold_seconds: int | None = None
    sets: int | None = None
    warmup: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "exercises": list(self.exercise_ids),
            "hold_seconds": self.hold_seconds,
            "sets": self.sets,
            "warmup": self.warmup,
        }


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def settings_problems(settings: RoutineSettings, library: Library) -> list[str]:
    """Everything wrong with the settings, as sentences; empty when they can be played."""
    problems: list[str] = []
    ids = settings.exercise_ids
    if not ids:
        problems.append("Pick at least one exercise.")
    unknown = [i for i in ids if i not in library]
    if unknown:
        problems.append(f"Unknown exercise {', '.join(unknown)}.")
    if WARMUP_ID in ids:
        problems.append("The warm-up is switched on and off by itself, not picked as an exercise.")
    twice = [i for n, i in enumerate(ids) if i in ids[:n]]
    if twice:
        problems.append(f"{', '.join(sorted(set(twice)))} is listed more than once.")
    if settings.hold_seconds is not None and (
        not _is_int(settings.hold_seconds) or not HOLD_MIN <= settings.hold_seconds <= HOLD_MAX
    ):
        problems.append(f"The hold must be {HOLD_MIN} to {HOLD_MAX} seconds, not {settings.hold_seconds}.")
    if settings.sets is not None and (not _is_int(settings.sets) or not SETS_MIN <= settings.sets <= SETS_MAX):
        problems.append(f"Sets must be {SETS_MIN} to {SETS_MAX}, not {settings.sets}.")
    if not isinstance(settings.warmup, bool):
        problems.append("The warm-up must be on or off.")
    if settings.warmup and WARMUP_ID not in library:
        problems.append("The exercise library has no warm-up.")
    return problems


# ---- positions and sides ---------------------------------------------------------------------------

# How to get into each position (``hipknee.exercises.POSITIONS``), as the player's "Next: ..." line says it.
POSITION_WORDS = {
    "standing": "stand up",
    "sitting": "sit on the mat",
    "kneeling": "kneel on the mat",
    "floor_back": "lie on your back",
    "side_lying": "lie on your side",
    "prone": "lie on your front",
}


def _check_position(position: str) -> None:
    if position not in POSITION_WORDS:
        raise ValueError(f"unknown position {position!r}; expected one of {', '.join(POSITION_WORDS)}")


def pause_before(previous: str | None, position: str) -> int:
    """Seconds of "get ready" before an exercise in ``position`` that follows one in ``previous``.

    ``POSITION_CHANGE_SECONDS`` (10) when the position changes, so there is time to get from the floor to
    standing or from sitting onto one side (issue 17); ``GET_READY_SECONDS`` (5) otherwise, and before the
    first exercise (None: Start is pressed once in place). ValueError for an unknown position.
    """
    _check_position(position)
    if previous is None:
        return GET_READY_SECONDS
    _check_position(previous)
    return GET_READY_SECONDS if previous == position else POSITION_CHANGE_SECONDS


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def get_into(position: str, side: str | None = None) -> str:
    """Where to go, in words ("lie on your back"). Lying on one side works the top leg, so the left leg
    works lying on the RIGHT side (as the clamshell's steps say). ValueError for an unknown position."""
    _check_position(position)
    if position == "side_lying" and side in SIDES:
        return f"lie on your {_other(side)} side"
    return POSITION_WORDS[position]


def side_label(side: str | None, position: str) -> str:
    """The player's side line: which leg works ("Left leg works"), and for side-lying exercises which side
    to lie on ("Left leg works · lying on your right side"), so the label never seems to contradict an
    instruction such as "lie on your right side". "" for a two-sided exercise."""
    _check_position(position)
    if side is None:
        return ""
    label = f"{side.capitalize()} leg works"
    if position == "side_lying":
        label += f" · lying on your {_other(side)} side"
    return label


# ---- expansion into steps --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    index: int
    kind: str  # get_ready | switch | hold | reps | rest
    start: int  # seconds from the start of the routine
    seconds: int
    exercise_id: str
    name: str
    exercise_kind: str  # warmup | stretch | strength
    side: str | None  # left | right | None: the leg that works
    position: str  # hipknee.exercises.POSITIONS
    side_label: str  # "Left leg works" (side_label); "" when both sides work
    move_to: str  # on a get-ready or switch that needs a move: "lie on your right side"; else ""
    set_number: int
    sets: int
    reps: int | None  # reps steps only
    seconds_per_rep: int | None  # reps steps only
    cue: str
    title: str  # the line above the exercise name ("Get ready", "Hold", "Rest", ...)
    say: str  # what the voice says as the step begins

    @property
    def end(self) -> int:
        return self.start + self.seconds

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "start": self.start,
            "seconds": self.seconds,
            "exercise_id": self.exercise_id,
            "name": self.name,
            "exercise_kind": self.exercise_kind,
            "side": self.side,
            "position": self.position,
            "side_label": self.side_label,
            "move_to": self.move_to,
            "set_number": self.set_number,
            "sets": self.sets,
            "reps": self.reps,
            "seconds_per_rep": self.seconds_per_rep,
            "cue": self.cue,
            "title": self.title,
            "say": self.say,
            "work": self.is_work,
        }


@dataclass(frozen=True)
class Plan:
    settings: RoutineSettings
    steps: tuple[Step, ...]
    exercise_names: tuple[str, ...] = field(default=())

    @property
    def total_seconds(self) -> int:
        return self.steps[-1].end if self.steps else 0

    @property
    def work_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.is_work)

    @property
    def plan_id(self) -> str:
        """A short fingerprint of the steps: the same routine always gets the same id."""
        body = json.dumps([s.as_dict() for s in self.steps], sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:16]

    def summary(self) -> dict[str, Any]:
        """What a session record keeps about the routine."""
        return {
            "plan_id": self.plan_id,
            **self.settings.as_dict(),
            "exercise_names": list(self.exercise_names),
            "steps": len(self.steps),
            "work_steps": len(self.work_steps),
            "seconds": self.total_seconds,
        }


def _side_words(side: str | None) -> str:
    return f"{side} leg" if side else ""


def _pick_cue(exercise: ExerciseLike) -> str:
    return exercise.cues[0] if exercise.cues else ""


def expand(settings: RoutineSettings, library: Library) -> Plan:
    """The routine as timed steps. ValidationError if the settings cannot be played."""
    problems = settings_problems(settings, library)
    if problems:
        raise ValidationError(" ".join(problems), "routine")
    steps: list[Step] = []
    clock = 0

    def add(
        kind: str,
        seconds: int,
        ex: ExerciseLike,
        *,
        side: str | None,
        set_number: int,
        sets: int,
        title: str,
        say: str,
        reps: int | None = None,
        move_to: str = "",
    ) -> None:
        nonlocal clock
        steps.append(
            Step(
                index=len(steps),
                kind=kind,
                start=clock,
                seconds=seconds,
                exercise_id=ex.id,
                name=ex.name,
                exercise_kind=ex.kind,
                side=side,
                position=ex.position,
                side_label=side_label(side, ex.position),
                move_to=move_to,
                set_number=set_number,
                sets=sets,
                reps=reps,
                seconds_per_rep=ex.seconds_per_rep if kind == REPS else None,
                cue=_pick_cue(ex),
                title=title,
                say=say,
            )
        )
        clock += seconds

    order: list[tuple[ExerciseLike, bool]] = []
    if settings.warmup:
        order.append((library[WARMUP_ID], True))
    order.extend((library[i], False) for i in settings.exercise_ids)

    previous_position: str | None = None  # the exercise before's
    # (position, get_into()) of the last hold or reps: a move is needed when the next one's differs
    where: tuple[str, str] | None = None

    for ex, is_warmup in order:
        pause = pause_before(previous_position, ex.position)
        previous_position = ex.position
        sets = 1 if is_warmup else (settings.sets or ex.sets or 1)
        held = ex.reps is None
        if ex.reps is None:
            if is_warmup or settings.hold_seconds is None:
                work_seconds = ex.hold_seconds or HOLD_MIN
            else:
                work_seconds = settings.hold_seconds
        else:
            work_seconds = ex.reps * max(1, ex.seconds_per_rep)
        sides: tuple[str | None, ...] = SIDES if ex.per_side else (None,)
        for set_number in range(1, sets + 1):
            set_words = f"set {set_number} of {sets}" if sets > 1 else ""
            for side in sides:
                there = get_into(ex.position, side)
                move_to = there if where is not None and there != where[1] else ""
                if move_to and where is not None and where[0] == ex.position:
                    move_to = f"turn over and {there}"  # the same position, on the other side
                where = (ex.position, there)
                if side == "right":
                    add(
                        SWITCH,
                        SWITCH_SECONDS,
                        ex,
                        side=side,
                        set_number=set_number,
                        sets=sets,
                        title="Switch sides",
                        say=f"Switch sides.{_spoken_move(move_to)} Right leg next.",
                        move_to=move_to,
                    )
                else:
                    intro = ", ".join(w for w in (ex.name, _side_words(side), set_words) if w)
                    add(
                        GET_READY,
                        pause if set_number == 1 else GET_READY_SECONDS,
                        ex,
                        side=side,
                        set_number=set_number,
                        sets=sets,
                        title="Get ready",
                        say=f"Get ready.{_spoken_move(move_to)} {intro}.",
                        move_to=move_to,
                    )
                if held:
                    add(
                        HOLD,
                        work_seconds,
                        ex,
                        side=side,
                        set_number=set_number,
                        sets=sets,
                        title="Warm up" if is_warmup else "Hold",
                        say=(
                            f"Go. {_spoken_seconds(work_seconds)} of easy movement."
                            if is_warmup
                            else f"Hold for {_spoken_seconds(work_seconds)}."
                        ),
                    )
                else:
                    add(
                        REPS,
                        work_seconds,
                        ex,
                        side=side,
                        set_number=set_number,
                        sets=sets,
                        reps=ex.reps,
                        title="Reps",
                        say=f"{ex.reps} reps. Go.",
                    )
            if set_number < sets and ex.rest_seconds > 0:
                add(
                    REST,
                    ex.rest_seconds,
                    ex,
                    side=None,
                    set_number=set_number,
                    sets=sets,
                    title="Rest",
                    say=f"Rest for {_spoken_seconds(ex.rest_seconds)}.",
                )
    names = tuple(ex.name for ex, _ in order)
    return Plan(settings=settings, steps=tuple(steps), exercise_names=names)


def _spoken_move(move_to: str) -> str:
    return f" Next, {move_to}." if move_to else ""


def _spoken_seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if minutes and not rest:
        return f"{minutes} minute{'s' if minutes > 1 else ''}"
    if minutes:
        return f"{minutes} minute{'s' if minutes > 1 else ''} {rest} seconds"
    return f"{seconds} seconds"


def format_clock(seconds: float) -> str:
    """``m:ss`` (minutes not capped at 59), rounding part-seconds up like a countdown does."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def describe_duration(seconds: int) -> str:
    """'about 14 minutes', '45 seconds'."""
    if seconds < 60:
        return f"{seconds} seconds"
    minutes = round(seconds / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


# ---- safer variants --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Substitution:
    original_id: str
    variant_id: str
    flag: str  # the screener tailoring id that suggested it
    advice: str  # the variant's choose_variant_when


def suggest_substitutions(
    exercise_ids: Sequence[str], tailoring: Iterable[str], library: Library
) -> list[Substitution]:
    """Safer variants the screener's tailoring flags call for, one per original in the routine.

    A variant qualifies when its ``replaces`` is in the routine and its ``suggested_when`` is one of the
    flags. A variant already in the routine is not suggested again.
    """
    flags = set(tailoring)
    present = set(exercise_ids)
    suggestions: list[Substitution] = []
    for original in exercise_ids:
        for variant in library.values():
            if variant.replaces == original and variant.suggested_when in flags and variant.id not in present:
                suggestions.append(
                    Substitution(original, variant.id, variant.suggested_when, variant.choose_variant_when)
                )
                break
    return suggestions


def apply_substitutions(
    exercise_ids: Sequence[str], substitutions: Iterable[Substitution], keep_original: Iterable[str] = ()
) -> tuple[str, ...]:
    """The ids with each suggested variant in its original's place, except originals the person kept."""
    keep = set(keep_original)
    swap = {s.original_id: s.variant_id for s in substitutions if s.original_id not in keep}
    return tuple(swap.get(i, i) for i in exercise_ids)


# ---- share links (query parameters) ----------------------------------------------------------------


@dataclass(frozen=True)
class QueryResult:
    settings: RoutineSettings | None  # None: the link described no routine
    messages: tuple[str, ...]  # what was wrong with it, in plain words (empty when all was fine)


def _first(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def _parse_whole(raw: str, name: str, low: int, high: int, unit: str, fallback: str, messages: list[str]) -> int | None:
    text = raw.strip()
    try:
        if len(text) > 18:  # int() refuses more than 4,300 digits; no setting needs more than a few
            raise ValueError(text)
        value = int(text)
    except ValueError:
        messages.append(
            f"The link's {name}='{shorten(raw)}' is not a whole number of {unit} ({low} to {high}); {fallback}."
        )
        return None
    if not low <= value <= high:
        messages.append(f"The link's {name}={shown_value(value)} is outside {low} to {high} {unit}; {fallback}.")
        return None
    return value


def parse_query(
    params: Mapping[str, str | Sequence[str]], library: Library, *, default_ids: Sequence[str] = ()
) -> QueryResult:
    """Read ``exercises``, ``hold``, ``sets`` and ``warmup`` from a link. Never raises on bad values.

    Bad parts are dropped with a message saying what was wrong and what is used instead. Without
    ``exercises`` (but with other routine parameters) ``default_ids`` are used. Returns settings of None
    when the link has none of the four parameters.
    """
    values = {k: _first(params.get(k)) for k in QUERY_KEYS}
    if all(v is None for v in values.values()):
        return QueryResult(None, ())
    messages: list[str] = []
    warmup = False
    ids: list[str] = []
    raw_ids = values["exercises"]
    if raw_ids is not None:
        unknown: list[str] = []
        repeated: list[str] = []
        for item in raw_ids.split(","):
            ex_id = item.strip().lower()
            if not ex_id:
                continue
            if ex_id == WARMUP_ID:
                warmup = True
                continue
            if ex_id not in library:
                unknown.append(shorten(item.strip(), 30))
            elif ex_id in ids:
                repeated.append(ex_id)
            else:
                ids.append(ex_id)
        if unknown:
            known = ", ".join(i for i in library if i != WARMUP_ID)
            messages.append(
                f"The link names exercise(s) this app does not have: {shorten(', '.join(unknown))}. They were "
                f"left out. Known exercises: {known}."
            )
        if repeated:
            messages.append(f"The link lists {', '.join(repeated)} more than once; each is done once.")
    if not ids:
        ids = [i for i in default_ids if i in library]
        if raw_ids is not None:
            messages.append("The link has no exercises this app knows, so the usual routine is shown.")
    hold = sets = None
    if values["hold"] is not None:
        hold = _parse_whole(
            values["hold"], "hold", HOLD_MIN, HOLD_MAX, "seconds", "each exercise's own hold is used", messages
        )
    if values["sets"] is not None:
        sets = _parse_whole(
            values["sets"], "sets", SETS_MIN, SETS_MAX, "sets", "each exercise's own number of sets is used", messages
        )
    if values["warmup"] is not None:
        flag = values["warmup"].strip()
        if flag in ("0", "1"):
            warmup = warmup or flag == "1"
        else:
            messages.append(f"The link's warmup='{shorten(values['warmup'])}' should be 0 or 1; no warm-up is added.")
    if warmup and WARMUP_ID not in library:
        warmup = False
    return QueryResult(RoutineSettings(tuple(ids), hold, sets, warmup), tuple(messages))


def format_query(settings: RoutineSettings) -> dict[str, str]:
    """The query parameters for a routine (``hold`` and ``sets`` only when set)."""
    params = {"exercises": ",".join(settings.exercise_ids)}
    if settings.hold_seconds is not None:
        params["hold"] = str(settings.hold_seconds)
    if settings.sets is not None:
        params["sets"] = str(settings.sets)
    params["warmup"] = "1" if settings.warmup else "0"
    return params


def query_string(settings: RoutineSettings) -> str:
    """``exercises=butterfly,clamshell&hold=20&sets=1&warmup=0`` (commas left readable)."""
    return urlencode(format_query(settings), safe=",")


def matching_preset(settings: RoutineSettings, presets: Mapping[str, Preset]) -> Preset | None:
    for preset in presets.values():
        if preset.settings == settings:
            return preset
    return None


# ---- what the player reports, and keeping the session record in step with it ----------------------

_MAX_STEPS = 10_000
_MAX_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Progress:
    """The player's report at a step boundary (it comes from the browser, so it is checked)."""

    run: str
    plan_id: str
    status: SessionStatus
    step_index: int
    steps_done: int
    steps_planned: int
    seconds_done: int
    seconds_planned: int

    @property
    def finished(self) -> bool:
        return self.status != SessionStatus.IN_PROGRESS


def parse_progress(value: object) -> Progress | None:
    """A Progress from the player's value, or None when it is missing or malformed (then it is ignored)."""
    if not isinstance(value, Mapping):
        return None
    run, plan_id, status = value.get("run"), value.get("plan_id"), value.get("status")
    if not (isinstance(run, str) and 0 < len(run) <= 100 and isinstance(plan_id, str) and len(plan_id) <= 100):
        return None
    if not isinstance(status, str) or status not in SessionStatus.values():
        return None
    numbers: dict[str, int] = {}
    for name, high in (
        ("step_index", _MAX_STEPS),
        ("steps_done", _MAX_STEPS),
        ("steps_planned", _MAX_STEPS),
        ("seconds_done", _MAX_SECONDS),
        ("seconds_planned", _MAX_SECONDS),
    ):
        number = value.get(name)
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if not _is_int(number) or not 0 <= number <= high:
            return None
        numbers[name] = number
    if numbers["steps_done"] > numbers["steps_planned"]:
        return None
    return Progress(run=run, plan_id=plan_id, status=SessionStatus(status), **numbers)


@dataclass
class RunRecord:
    """What this browser session knows about one play-through and its row in routine_sessions."""

    session_id: int
    plan_id: str
    status: str = SessionStatus.IN_PROGRESS
    steps_done: int = 0
    seconds_done: int = 0
    steps_planned: int = 0
    seconds_planned: int = 0
    pain_during: int | None = None


class SessionStore(Protocol):
    def start_session(
        self,
        *,
        session_date: Any,
        routine: dict[str, Any],
        steps_planned: int,
        seconds_planned: int,
        source: str = "player",
    ) -> int: ...

    def update_session(
        self,
        session_id: int,
        *,
        steps_done: int | None = None,
        seconds_done: int | None = None,
        status: str | None = None,
        pain_during: int | None = None,
        notes: str | None = None,
    ) -> None: ...

    def mark_programme_session(self, session_id: int, levels: dict[str, int]) -> int: ...


# In a plan's summary (``plans`` below): the programme levels it plays, when it is today's programme session.
PROGRAMME_LEVELS = "programme"


def programme_levels(plans: Mapping[str, Mapping[str, Any]] | None, plan_id: str) -> dict[str, int] | None:
    """The programme levels plan ``plan_id`` plays (today's programme session), or None for any other routine."""
    return ((plans or {}).get(plan_id) or {}).get(PROGRAMME_LEVELS)


def record_progress(
    store: SessionStore,
    progress: Progress,
    runs: dict[str, RunRecord],
    *,
    today: Any,
    plans: Mapping[str, Mapping[str, Any]] | None = None,
) -> RunRecord:
    """Bring the session row for ``progress.run`` up to date; safe to call again with the same report.

    The first report of a run creates the session (so a session exists from the moment Start is
    pressed); later reports update what was done and, at the end, the status. A finished run never goes
    back to in progress. ``plans`` maps plan ids to their ``Plan.summary()`` for the session record; a run
    of a plan with ``programme_levels`` becomes a programme session at those levels, once, on its first report
    (as ``hipknee session add`` records the levels the plan gave). The record is ``runs[progress.run]`` as soon
    as its session exists, even when a later step raises.
    """
    new = progress.run not in runs
    record = _bring_up_to_date(store, progress, runs, today=today, plans=plans)
    levels = programme_levels(plans, progress.plan_id)
    if new and levels is not None:
        store.mark_programme_session(record.session_id, levels)
    return record


def _bring_up_to_date(
    store: SessionStore,
    progress: Progress,
    runs: dict[str, RunRecord],
    *,
    today: Any,
    plans: Mapping[str, Mapping[str, Any]] | None,
) -> RunRecord:
    record = runs.get(progress.run)
    if record is None:
        summary = dict((plans or {}).get(progress.plan_id) or {"plan_id": progress.plan_id})
        session_id = store.start_session(
            session_date=today,
            routine=summary,
            steps_planned=progress.steps_planned,
            seconds_planned=progress.seconds_planned,
        )
        record = RunRecord(
            session_id=session_id,
            plan_id=progress.plan_id,
            steps_planned=progress.steps_planned,
            seconds_planned=progress.seconds_planned,
        )
        runs[progress.run] = record
    if record.status != SessionStatus.IN_PROGRESS:
        return record  # already finished: later reports change nothing
    if (progress.status, progress.steps_done, progress.seconds_done) == (
        record.status,
        record.steps_done,
        record.seconds_done,
    ):
        return record  # nothing new (the same report seen again on a rerun)
    store.update_session(
        record.session_id,
        steps_done=progress.steps_done,
        seconds_done=progress.seconds_done,
        status=progress.status,
    )
    record.status = progress.status
    record.steps_done = progress.steps_done
    record.seconds_done = progress.seconds_done
    return record


def run_in_progress(player_value: object, runs: Mapping[str, RunRecord]) -> bool:
    """Is the run the player's value reports on being played? (The value is what the player component
    holds: its ``progress`` report, or nothing once it was unmounted. A run left behind by leaving the page
    stays unfinished in the journal, but is not being played.)"""
    progress = parse_progress(player_value.get("progress") if isinstance(player_value, Mapping) else None)
    record = runs.get(progress.run) if progress else None
    return record is not None and record.status == SessionStatus.IN_PROGRESS
