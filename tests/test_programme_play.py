"""hipknee.programme_play: the plan's day as player steps, what a played session records, what pain means."""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee import routines as R
from hipknee.exercises import load_exercises
from hipknee.programme import DayType, load_programme, plan_for_day, plan_view
from hipknee.programme_play import (
    MOVE_SECONDS,
    history_rows,
    level_library,
    pain_meaning,
    played_levels,
    session_routine,
    today_rows,
)
from hipknee.progression import SessionLog

LIBRARY = load_exercises()
PROGRAMME = load_programme()
START = dt.date(2026, 3, 2)


def day(n: int, sessions=()):
    return plan_for_day(PROGRAMME, START, START + dt.timedelta(days=n - 1), list(sessions))


def first_day_of(kind: str) -> int:
    return next(n for n in range(1, 8) if day(n).day_type == kind)


def work(plan: R.Plan, exercise_id: str) -> list[R.Step]:
    return [s for s in plan.steps if s.exercise_id == exercise_id and s.is_work]


def test_a_strength_day_plays_each_exercise_at_its_level_dose():
    plan = day(first_day_of(DayType.STRENGTH))
    routine = session_routine(plan, LIBRARY)
    assert routine.settings.warmup and routine.steps[0].exercise_id == "warm_up"
    played = [e for e in plan.exercises if e.kind != "warmup"]
    assert list(dict.fromkeys(s.exercise_id for s in routine.steps)) == ["warm_up", *(e.id for e in played)]
    for e in played:
        steps = work(routine, e.id)
        sides = 2 if LIBRARY[e.id].per_side else 1
        assert len(steps) == e.dose.sets * sides, e.id
        assert {s.name for s in steps} == {e.level_name}
        assert steps[0].cue == e.cues[0]
        if e.dose.reps is None:
            assert {s.seconds for s in steps} == {e.dose.hold_s}
        else:
            assert {s.reps for s in steps} == {e.dose.reps}
        rests = [s for s in routine.steps if s.exercise_id == e.id and s.kind == R.REST]
        assert len(rests) == (e.dose.sets - 1 if e.dose.rest_s else 0)
        assert all(s.seconds == e.dose.rest_s for s in rests)


def test_a_held_rep_takes_the_hold_plus_the_move_and_never_less_than_the_plain_pace():
    plan = day(first_day_of(DayType.STRENGTH))
    levelled = level_library(plan, LIBRARY)
    wall = next(e for e in plan.exercises if e.id == "wall_sit")
    assert wall.dose.hold_s is not None and wall.dose.reps is not None
    assert levelled["wall_sit"].seconds_per_rep == max(LIBRARY["wall_sit"].seconds_per_rep,
                                                       wall.dose.hold_s + MOVE_SECONDS)
    clam = next(e for e in plan.exercises if e.id == "clamshell")
    assert clam.dose.hold_s is None
    assert levelled["clamshell"].seconds_per_rep == LIBRARY["clamshell"].seconds_per_rep
    assert "pigeon" not in {e.id for e in plan.exercises} and levelled["pigeon"] is LIBRARY["pigeon"]


def test_levels_move_into_the_played_steps():
    green = {"clamshell": 1}
    sessions = [SessionLog(START, "completed", 1, "same", green),
                SessionLog(START + dt.timedelta(days=2), "completed", 0, "better", green)]
    plan = day(5, sessions)
    assert plan.day_type == DayType.STRENGTH
    steps = work(session_routine(plan, LIBRARY), "clamshell")
    level = PROGRAMME.exercises["clamshell"].level(2)
    assert {s.name for s in steps} == {level.name} and {s.reps for s in steps} == {level.dose.reps}


def test_a_stretch_day_and_a_rest_day():
    stretch = day(first_day_of(DayType.STRETCH))
    kinds = {LIBRARY[s.exercise_id].kind for s in session_routine(stretch, LIBRARY).steps}
    assert kinds == {"warmup", "stretch"}
    rest = next(n for n in range(1, 8) if day(n).day_type == DayType.REST)
    with pytest.raises(ValueError):
        session_routine(day(rest), LIBRARY)


def test_a_safer_variant_is_played_at_its_own_dose_and_not_recorded_at_a_level():
    plan = day(first_day_of(DayType.STRETCH))
    ids = tuple("standing_hip_flexor" if e.id == "hip_flexor" else e.id
                for e in plan.exercises if e.kind != "warmup")
    routine = session_routine(plan, LIBRARY, ids)
    steps = work(routine, "standing_hip_flexor")
    assert steps and {s.seconds for s in steps} == {LIBRARY["standing_hip_flexor"].hold_seconds}
    levels = played_levels(plan, ids)
    assert "hip_flexor" not in levels and "standing_hip_flexor" not in levels
    assert levels == {e.id: e.level for e in plan.exercises if e.kind != "warmup" and e.id != "hip_flexor"}


@pytest.mark.parametrize(("status", "pain", "words"), [
    ("stopped", None, "one level easier"),
    ("stopped", 1, "one level easier"),
    ("completed", 6, "one level easier"),
    ("completed", 5, "stay where they are"),
    ("completed", 3, "stay where they are"),
    ("completed", 2, "counts towards moving up"),
    ("completed", 0, "counts towards moving up"),
    ("completed", None, "Add how much it hurt"),
])
def test_what_a_pain_score_means_follows_the_rule(status, pain, words):
    assert words in pain_meaning(status, pain)


def test_the_plan_view_tables():
    sessions = [SessionLog(START, "completed", 1, "same", {"clamshell": 1}),
                SessionLog(START + dt.timedelta(days=2), "completed", 0, "same", {"clamshell": 1})]
    plan = day(5, sessions)
    rows = today_rows(plan, LIBRARY)
    assert rows[0]["Exercise"] == LIBRARY["warm_up"].name and "minutes" in rows[0]["Dose"]
    clam = next(r for r in rows if r["Exercise"] == PROGRAMME.exercises["clamshell"].level(2).name)
    assert clam["Level"] == f"2 of {PROGRAMME.exercises['clamshell'].max_level}"
    assert clam["Change"] == "moved up" and clam["Dose"].endswith("each side")
    bridge = next(r for r in rows if r["Exercise"] == "Glute bridge")
    assert bridge["Change"] == "" and not bridge["Dose"].endswith("each side")
    history = history_rows(plan_view(PROGRAMME, plan))
    assert [row["Date"] for row in history] == [f"{START + dt.timedelta(days=2):%d %b %Y}"]
    why = history[0]["What changed and why"]
    assert why.startswith("Clamshell moved up to Clamshell with a light band:") and "comfortable" in why
