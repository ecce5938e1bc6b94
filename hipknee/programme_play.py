"""Playing the programme's session on the Routine page: the day's levels as a player routine, what a played
session records, and what its pain score means for the next session.

Pure functions (no Streamlit, no storage); ``hipknee.programme`` decides the day's levels and doses, the
progression rule lives in ``hipknee.progression``.

- ``session_routine``: a day's plan (``programme.DayPlan``) as a ``routines.Plan`` the player plays, each
  exercise at its level's dose, with the level's name and first cue. A rep that holds (``hold_s`` with
  ``reps``, e.g. a bridge with a 5-second hold or a wall sit) takes the hold plus ``MOVE_SECONDS`` to move
  in and out of it, and never less than the exercise's own pace for a plain rep.
- ``played_levels``: the levels a played session records (only the programme exercises actually played:
  one swapped for its safer variant was not done at its level).
- ``pain_meaning``: one sentence on what a pain score means by the pain-monitoring rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from hipknee import routines as R
from hipknee.progression import AMBER_MAX_PAIN, GREEN_MAX_PAIN
from hipknee.statuses import Change, SessionStatus

MOVE_SECONDS = 2  # time to move into and out of each held rep


def _main(plan: Any) -> list[Any]:
    return [e for e in plan.exercises if e.kind != "warmup"]


def level_library(plan: Any, library: R.Library) -> dict[str, Any]:
    """``library`` with each of ``plan``'s exercises (a ``programme.DayPlan``) replaced by its level: the
    level's name, sets, reps or hold, rest and cues. Other exercises are as in ``library``.
    KeyError when the plan names an exercise the library does not have."""
    levelled: dict[str, Any] = dict(library)
    for e in _main(plan):
        ex = library[e.id]
        dose = e.dose
        if dose.reps is None:  # a plain hold (a stretch)
            changes: dict[str, Any] = {"hold_seconds": dose.hold_s, "reps": None}
        else:
            pace = ex.seconds_per_rep
            if dose.hold_s is not None:
                pace = max(pace, dose.hold_s + MOVE_SECONDS)
            changes = {"reps": dose.reps, "seconds_per_rep": max(1, pace), "hold_seconds": None}
        levelled[e.id] = dataclasses.replace(
            ex,  # type: ignore[type-var]  # an Exercise dataclass in practice
            name=e.level_name,
            sets=dose.sets,
            rest_seconds=dose.rest_s,
            cues=tuple(e.cues) or tuple(ex.cues),
            **changes,
        )
    return levelled


def session_routine(plan: Any, library: R.Library, exercise_ids: Iterable[str] | None = None) -> R.Plan:
    """The day's session as player steps: the warm-up, then ``exercise_ids`` (default: the plan's own, in
    order; a safer variant standing in for one is played at the library's dose). ValueError on a rest day
    (nothing to play); ValidationError from ``routines.expand`` if the ids cannot be played."""
    main = _main(plan)
    if not main:
        raise ValueError("a rest day has no session to play")
    ids = tuple(exercise_ids) if exercise_ids is not None else tuple(e.id for e in main)
    settings = R.RoutineSettings(exercise_ids=ids, hold_seconds=None, sets=None, warmup=True)
    return R.expand(settings, level_library(plan, library))


def played_levels(plan: Any, exercise_ids: Iterable[str]) -> dict[str, int]:
    """exercise id -> level for the plan's exercises that are among ``exercise_ids`` (what was played)."""
    played = set(exercise_ids)
    return {e.id: e.level for e in _main(plan) if e.id in played}


def pain_meaning(status: str, pain: int | None) -> str:
    """What a finished session's status and pain during it (0-10) mean for the next session, by the
    pain-monitoring rule (``hipknee.progression``): stopped or above 5 moves down, 3-5 stays, 0-2 counts
    towards moving up once the next morning is known."""
    if status == SessionStatus.STOPPED:
        return (
            "Because you stopped for pain, your next session goes one level easier where it can. "
            "Check your form with the cues before you go on."
        )
    if pain is None:
        return "Add how much it hurt, so your plan can adjust."
    if pain > AMBER_MAX_PAIN:
        return (
            f"{pain}/10 is more than this plan aims for: your next session goes one level easier where it "
            "can. Check your form with the cues."
        )
    if pain > GREEN_MAX_PAIN:
        return f"{pain}/10 is a little more than comfortable, so your levels stay where they are for now."
    return (
        "Comfortable. Tomorrow the Journal asks how your knee was in the morning; if it was no worse, "
        "this session counts towards moving up."
    )


def rest_day_message(finished: bool) -> str:
    """What the page says on a rest day of the plan."""
    if finished:
        return (
            "Today is a rest day. Your plan's weeks are done; keeping to the same rhythm helps you hold on to "
            "what you have built."
        )
    return (
        "Today is a rest day in your plan: muscles get stronger while they recover, so take it easy. "
        "If you would like to move, an easy walk or a few gentle stretches for comfort are fine."
    )


# ---- the plan view's tables ---------------------------------------------------------------------------

CHANGE_WORDS = {Change.UP: "moved up", Change.DOWN: "moved down", Change.SAME: ""}


def dose_text(dose: Any, per_side: bool) -> str:
    """A level's dose in words, with "each side" for an exercise done on each side."""
    from hipknee.programme import dose_words

    return dose_words(dose) + (" each side" if per_side else "")


def today_rows(plan: Any, library: R.Library) -> list[dict[str, str]]:
    """One row per exercise of the day (warm-up first) for the plan view: exercise, level ("2 of 3"),
    dose, change ("moved up", "moved down" or "")."""
    rows = []
    for e in plan.exercises:
        ex = library.get(e.id)
        if e.kind == "warmup":
            minutes = (e.dose.hold_s or 0) // 60
            dose = f"{minutes} minutes of easy movement" if minutes else dose_text(e.dose, False)
            rows.append({"Exercise": ex.name if ex else e.level_name, "Level": "", "Dose": dose, "Change": ""})
            continue
        rows.append(
            {
                "Exercise": e.level_name,
                "Level": f"{e.level} of {e.max_level}",
                "Dose": dose_text(e.dose, bool(ex and ex.per_side)),
                "Change": CHANGE_WORDS.get(Change(e.change), ""),
            }
        )
    return rows


def history_rows(view: Any) -> list[dict[str, str]]:
    """The level history of a ``programme.PlanView``, newest first: the date of the session (or choice) that
    made the change, and the change with its reason in one sentence (which names both levels)."""
    return [{"Date": f"{day:%d %b %Y}", "What changed and why": reason} for day, _ex, _b, _a, reason in view.history]
