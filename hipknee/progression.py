"""Pain-monitored progression: which level of each exercise the next programme session uses, and why.

Pure functions, no storage and no Streamlit. The rule (issue 14), applied to the programme sessions logged
from the programme's start up to (not including) the day being planned, and the person's own level choices
(see "The person's own choice" below for which of them count), oldest first:

- **Zone of a session** (``zone``), from the pain during it (0-10) and how the knee was the next morning
  compared with before the session (better / same / worse):

  - red: the session was stopped for pain (status "stopped"), or pain during it above 5;
  - amber: pain during 3-5, or the next morning worse;
  - green: pain during 0-2 and the next morning not worse (better or same).

  A completed session without a pain score, or a comfortable one whose next-morning answer is not in yet,
  has no zone (``None``): it is not counted as green (the morning after is half of the rule) and changes
  nothing, but it does not break a run of green sessions either.
- **Levels** (``replay``), for each exercise done in a session (the session's ``levels`` say which):

  - two green sessions in a row at the exercise's current level -> the next session moves it up one level,
    at most one step up in any 7 days and never above the plan's ``max_level`` ("harder only as the plan
    allows"); when the week is not up yet the run stays counted and the step comes with the next green
    session a week or more after the last step;
  - amber -> it stays where it is (and the run of greens starts again);
  - red -> one level down (or, already at level 1, it stays there and the easier/safer way is suggested),
    with a suggestion to check the form.

  A session done at an easier level than planned (the person may always choose easier) does not count
  towards moving up from the planned level; a red one still moves down from the easier level done.
- **The person's own choice** (``LevelChoice``; "the person can always choose easier; harder only as the
  plan allows"): choosing an easier level sets the exercise to it, the run of greens starts again, and
  the rule carries on from there (two green sessions at the chosen level -> up one from it). A choice of
  the current level changes nothing; a harder one is never a choice (``check_choice`` refuses it with a
  clear message; ``replay`` ignores one that got stored anyway, e.g. from an old backup).
  **When it counts**: a choice applies to the sessions played after it was made. On its own day it comes
  before the sessions that started after it (``LevelChoice.at`` vs ``SessionLog.at``) and after the ones
  that started before it; without a time a choice comes before every session of its day (it is made
  before playing). So choosing easier today, before playing, makes today's session easier; choosing after
  today's session leaves that session as it was played and makes the next one easier.
- **Explanations**: every change comes with one plain sentence (``Step.reason``), e.g. "Clamshell moved up
  to with a light band: your last two sessions were comfortable and your knee was fine the next morning."

Source: the pain-monitoring model, tested in a randomised trial in Achilles tendinopathy (Silbernagel,
Thomeé, Eriksson, Karlsson 2007, Am J Sports Med 35(6):897-906; citation ``silbernagel2007``, checked
against the published abstract): exercise may cause some pain as long as it settles by the next morning.
Issue 14 also names Thomeé 1997 (the model's use for patellofemoral pain); that paper's details could not
be checked here, so it is not in data/citations.toml. The thresholds (2 and 5 out of 10) and the
two-green-sessions step are issue 14's, reviewed for this app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from hipknee.errors import ValidationError
from hipknee.statuses import Change, NextMorning, SessionStatus, Zone

GREEN_MAX_PAIN = 2  # pain during a session of 0..2 can be green
AMBER_MAX_PAIN = 5  # 3..5 is amber; above 5 is red
GREENS_TO_STEP_UP = 2
DAYS_BETWEEN_STEPS_UP = 7


@dataclass(frozen=True)
class SessionLog:
    """One programme session as the progression rule sees it.

    ``status``: "completed" or "stopped" (stopped for pain); ``pain_during``: 0-10 or None;
    ``next_morning``: "better" | "same" | "worse" or None (not answered yet); ``levels``: exercise id ->
    the level done (exercises not in it were not done in that session).
    """

    date: dt.date
    status: str
    pain_during: int | None = None
    next_morning: str | None = None
    levels: Mapping[str, int] = field(default_factory=dict)
    at: dt.datetime | None = None  # when it started (naive UTC); orders it against choices of the same day


@dataclass(frozen=True)
class LevelChoice:
    """The person chose ``level`` of ``exercise_id`` from ``date`` on (easier only; see ``replay``).
    ``at``: when the choice was made (naive UTC, as ``SessionLog.at``), None for "before the day's
    sessions"."""

    date: dt.date
    exercise_id: str
    level: int
    at: dt.datetime | None = None


class ChoiceError(ValidationError):
    """A level the person may not choose (harder than the plan gives, not a level, unknown exercise);
    the message says why in plain words."""


@dataclass(frozen=True)
class Rules:
    """The plan's side of the rule: the level each exercise starts at, the highest it may reach, and the
    name of every level for the sentences (``names[id][0]`` is level 1)."""

    start_level: Mapping[str, int]
    max_level: Mapping[str, int]
    names: Mapping[str, Sequence[str]]
    greens_to_step_up: int = GREENS_TO_STEP_UP
    days_between_steps_up: int = DAYS_BETWEEN_STEPS_UP

    def name(self, exercise_id: str, level: int) -> str:
        names = self.names.get(exercise_id, ())
        return names[level - 1] if 1 <= level <= len(names) else f"{exercise_id} level {level}"


@dataclass(frozen=True)
class Step:
    """What one session (or choice) did to one exercise's level: ``change`` "up" | "down" | "same",
    from ``before`` to ``after``, with a one-sentence ``reason``. ``date`` is the session's (or choice's)."""

    date: dt.date
    exercise_id: str
    before: int
    after: int
    change: str
    reason: str
    zone: str | None = None
    chosen: bool = False  # the person's own choice, not the rule
    choice_id: int | None = None  # the stored choice, when ``choose_easier`` just made it (for its Undo)


@dataclass
class _State:
    level: int
    greens: int = 0
    last_up: dt.date | None = None
    last: Step | None = None


@dataclass(frozen=True)
class Progress:
    """The outcome of ``replay``: the level each exercise is at now, the last step of each (None if it has
    not been done yet), and every step in date order (the level history)."""

    levels: dict[str, int]
    last: dict[str, Step | None]
    history: list[Step]


def zone(session: SessionLog) -> Zone | None:
    """The zone of one session by the rule in this module's docstring; None when it cannot be judged yet."""
    if session.status == SessionStatus.STOPPED:
        return Zone.RED
    pain = session.pain_during
    if pain is not None and pain > AMBER_MAX_PAIN:
        return Zone.RED
    if (pain is not None and pain > GREEN_MAX_PAIN) or session.next_morning == NextMorning.WORSE:
        return Zone.AMBER
    if pain is None or session.next_morning is None:
        return None
    return Zone.GREEN


def _why(session: SessionLog, z: Zone | None) -> str:
    """Why a session was amber or red, in a few words."""
    if session.status == SessionStatus.STOPPED:
        return "you stopped your last session because of pain"
    pain = session.pain_during
    if pain is not None and pain > GREEN_MAX_PAIN:
        return f"your knee hurt {pain}/10 during your last session"
    if session.next_morning == NextMorning.WORSE:
        return "your knee was worse the morning after your last session"
    return "your last session was not comfortable enough"


def replay(
    sessions: Iterable[SessionLog],
    rules: Rules,
    *,
    choices: Iterable[LevelChoice] = (),
) -> Progress:
    """Apply the rule to ``sessions`` (any order; sorted by date here) and ``choices``; see the module
    docstring. Exercises in ``rules.start_level`` are tracked; levels in sessions outside 1..max_level are
    clamped. Returns the levels for the *next* session."""
    states = {ex: _State(level=min(max(1, lvl), rules.max_level.get(ex, lvl))) for ex, lvl in rules.start_level.items()}
    history: list[Step] = []
    # Same day: by time; a choice without one comes before the day's sessions (it is made before playing),
    # and on equal times the choice comes first too. Sorting is stable, so input order breaks other ties.
    events: list[tuple[tuple[dt.date, dt.datetime, int], SessionLog | LevelChoice]] = [
        ((c.date, c.at or dt.datetime.min, 0), c) for c in choices
    ] + [((s.date, s.at or dt.datetime.min, 1), s) for s in sessions]
    events.sort(key=lambda e: e[0])
    for _, event in events:
        if isinstance(event, LevelChoice):
            state = states.get(event.exercise_id)
            if state is None or not 1 <= event.level < state.level:
                continue  # only easier is a choice; harder comes from the rule
            step = Step(
                event.date,
                event.exercise_id,
                state.level,
                event.level,
                Change.DOWN,
                choice_reason(rules, event.exercise_id, state.level, event.level, event.date),
                chosen=True,
            )
            state.level, state.greens, state.last = event.level, 0, step
            history.append(step)
            continue
        z = zone(event)
        for ex, done in event.levels.items():
            state = states.get(ex)
            if state is None:
                continue
            step = _apply(state, ex, done, event, z, rules)
            state.last = step
            if step.change != Change.SAME:
                history.append(step)
    return Progress(
        levels={ex: s.level for ex, s in states.items()},
        last={ex: s.last for ex, s in states.items()},
        history=history,
    )


def _apply(state: _State, ex: str, done: int, session: SessionLog, z: Zone | None, rules: Rules) -> Step:
    """One session's effect on one exercise (mutates ``state``); the step it made."""
    top = rules.max_level.get(ex, state.level)
    done = min(max(1, done), top)
    before = state.level
    name = rules.name

    def step(after: int, change: str, reason: str) -> Step:
        state.level = after
        return Step(session.date, ex, before, after, change, reason, zone=z)

    if z == Zone.RED:
        state.greens = 0
        lower = min(before, done) - 1
        if lower >= 1:
            return step(
                lower,
                Change.DOWN,
                f"{name(ex, before)} moved down to {name(ex, lower)}: "
                f"{_why(session, z)}. Check your form with the cues before you go on.",
            )
        return step(
            before,
            Change.SAME,
            f"Staying at {name(ex, before)}: {_why(session, z)}. Check your form "
            "with the cues, and use the easier way described if it still hurts.",
        )
    if z == Zone.AMBER:
        state.greens = 0
        return step(
            before, Change.SAME, f"Staying at {name(ex, before)}: {_why(session, z)}, so this level is enough for now."
        )
    if z is None:
        return step(
            before,
            Change.SAME,
            f"Staying at {name(ex, before)}: the last session needs both the "
            "pain score and how your knee was the next morning before it can count.",
        )
    # Green.
    if done < before:
        state.greens = 0
        return step(
            before,
            Change.SAME,
            f"Staying at {name(ex, before)}: your last session was at an easier "
            "level you chose, so it does not count towards moving up.",
        )
    state.greens += 1
    if state.greens < rules.greens_to_step_up:
        return step(
            before,
            Change.SAME,
            f"Staying at {name(ex, before)}: your last session was comfortable; "
            "one more like it and this exercise moves up.",
        )
    if before >= top:
        return step(
            before,
            Change.SAME,
            f"Staying at {name(ex, before)}: your sessions are comfortable and "
            "this is the highest level your plan allows.",
        )
    if state.last_up is not None and (session.date - state.last_up).days < rules.days_between_steps_up:
        return step(
            before,
            Change.SAME,
            f"Staying at {name(ex, before)}: your sessions are comfortable, and "
            "it moves up at most once a week, so the next step comes a little later.",
        )
    state.greens = 0
    state.last_up = session.date
    return step(
        before + 1,
        Change.UP,
        f"{name(ex, before)} moved up to {name(ex, before + 1)}: your last "
        "two sessions were comfortable and your knee was fine the next morning.",
    )


def choice_reason(rules: Rules, exercise_id: str, before: int, after: int, date: dt.date) -> str:
    """The one sentence for the person's own choice of an easier level, e.g. "You chose Clamshell instead of
    Clamshell with a light band on 1 December 2026; it moves up again after two comfortable sessions"."""
    return (
        f"You chose {rules.name(exercise_id, after)} instead of {rules.name(exercise_id, before)} on "
        f"{date.day} {date:%B %Y}; it moves up again from there after two comfortable sessions."
    )


def can_choose(level: int, planned: int) -> bool:
    """May the person pick ``level`` instead of the ``planned`` one? Easier always, harder never (the plan
    moves them up); the planned level itself is fine."""
    return 1 <= level <= planned


def check_choice(rules: Rules, exercise_id: str, level: object, planned: int) -> int:
    """``level`` as a level the person may choose for ``exercise_id`` when the plan gives ``planned``:
    the planned level or an easier one (``can_choose``). Returns it; ChoiceError, naming the exercise and
    the levels, for an exercise the plan does not track, a level that is not a whole number from 1, or
    one harder than the plan gives ("harder only as the plan allows")."""
    if exercise_id not in rules.start_level:
        raise ChoiceError(f"{exercise_id!r} is not an exercise of your plan")
    if isinstance(level, bool) or not isinstance(level, int) or level < 1:
        raise ChoiceError(f"the level for {rules.name(exercise_id, 1)} must be a whole number from 1, not {level!r}")
    if level > planned:
        raise ChoiceError(
            f"level {level} ({rules.name(exercise_id, level)}) is harder than your plan gives today "
            f"(level {planned}, {rules.name(exercise_id, planned)}): harder levels come only from the plan, "
            "after comfortable sessions"
        )
    return level
