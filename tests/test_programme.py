"""The 8-week programme content (data/programme.toml) and the day's session built from it (issue 14)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hipknee.content import ContentError
from hipknee.exercises import STRETCH_HOLD_RANGE, load_exercises, render_pose
from hipknee.programme import (
    PROGRAMME_PATH,
    NotStartedError,
    day_type,
    describe_plan,
    load_programme,
    plan_for_day,
    plan_view,
    session_levels,
    todays_session,
)
from hipknee.progression import LevelChoice, SessionLog
from hipknee.routines import settings_problems
from tests.helpers import load_poses

START = dt.date(2026, 3, 2)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n - 1)


@pytest.fixture(scope="module")
def programme():
    return load_programme()


def test_content_follows_the_plan(programme):
    library = load_exercises()
    assert programme.weeks == 8
    assert len(programme.strength_days) == 3 and len(programme.stretch_days) >= 5  # "most days"
    assert library[programme.warm_up].kind == "warmup"
    strength = [e for e in programme.exercises.values() if e.kind == "strength"]
    # Knee exercises the guideline supports, next to the hip ones.
    assert {"straight_leg_raise", "wall_sit", "mini_squat", "step_up", "clamshell", "bridge"} <= {
        e.id for e in strength}
    # Every strengthening exercise in the library has easier and harder levels here.
    assert {i for i, e in library.items() if e.kind == "strength"} == {e.id for e in strength}
    for ex in programme.exercises.values():
        assert len(ex.levels) >= 2 and 1 <= ex.start_level <= ex.max_level <= len(ex.levels), ex.id
        for level in ex.levels:
            assert level.cues and level.safer and level.name, ex.id
            if ex.kind == "stretch":
                assert STRETCH_HOLD_RANGE[0] <= level.dose.hold_s <= STRETCH_HOLD_RANGE[1], ex.id
                assert level.dose.reps is None
            else:
                assert level.dose.reps and 1 <= level.dose.sets <= 3, ex.id
        if ex.kind == "stretch":  # holds grow within 30-60 s
            holds = [lvl.dose.hold_s for lvl in ex.levels]
            assert holds == sorted(holds) and holds[0] < holds[-1]
    assert [lvl.name for lvl in programme.exercises["clamshell"].levels] == [
        "Clamshell", "Clamshell with a light band", "Clamshell with a firmer band"]
    assert programme.exercises["bridge"].levels[-1].name == "Single-leg bridge"


def test_every_exercise_and_level_has_a_picture(programme):
    poses = load_poses()
    for ex in programme.exercises.values():
        for level in ex.levels:
            pose = level.pose or poses[ex.id]
            assert render_pose(pose, label=level.name).startswith("<svg"), (ex.id, level.number)


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = PROGRAMME_PATH.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in programme.toml"
    path = tmp_path / "programme.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(("old", "new", "words"), [
    ('id = "clamshell"', 'id = "clamshel"', "'clamshel' is not a strength exercise"),
    ('id = "clamshell"', 'id = "warm_up"', "not a strength exercise or stretch"),
    ("stretch, 30 s\"\nsets = 1\nhold_s = 30", "stretch, 30 s\"\nsets = 1\nhold_s = 90",
     "30 to 60 seconds for a stretch"),
    ("reps = 10\n", "reps = 40\n", "from 1 to 15"),
    ("sets = 2\n", "sets = 5\n", "at most 3"),
    ("start_level = 1\nmax_level = 3", "start_level = 1\nmax_level = 4", "only 3 levels"),
    ("start_level = 1\nmax_level = 3", "start_level = 3\nmax_level = 2", "at most max_level"),
    ("weeks = 8", "weeks = 0", "at least 1"),
    ("strength_days = [1, 3, 5]", "strength_days = [1, 3, 9]", "1 to 7"),
    ('warm_up = "warm_up"', 'warm_up = "bridge"', "not a warm-up"),
    ('safer = "Make the lift smaller', 'unsafe = "Make the lift smaller', "unknown field 'unsafe'"),
])
def test_broken_content_is_refused_with_a_clear_message(tmp_path, old, new, words):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ContentError) as info:
        load_programme(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and words in message and "\n" not in message, message


def test_the_week(programme):
    kinds = [day_type(programme, START, day(n))[2] for n in range(1, 15)]
    assert kinds == ["strength", "stretch", "strength", "stretch", "strength", "stretch", "rest"] * 2
    assert day_type(programme, START, day(8))[:2] == (2, 1)
    assert day_type(programme, START, day(57))[0] == 9  # after the 8 weeks it carries on
    with pytest.raises(NotStartedError):
        day_type(programme, START, day(0))


def test_a_warm_up_every_time_and_stretches_on_strength_days(programme):
    strength = plan_for_day(programme, START, day(1), [])
    kinds = [e.kind for e in strength.exercises]
    assert kinds[0] == "warmup" and "strength" in kinds and "stretch" in kinds
    stretch = plan_for_day(programme, START, day(2), [])
    assert [e.kind for e in stretch.exercises][0] == "warmup" and "strength" not in {
        e.kind for e in stretch.exercises}
    assert plan_for_day(programme, START, day(7), []).exercises == ()


def test_sessions_on_or_after_the_day_or_before_the_start_do_not_count(programme):
    greens = [SessionLog(day(n), "completed", 0, "same", {"clamshell": 1}) for n in (-3, -1, 3, 5)]
    plan = plan_for_day(programme, START, day(5), greens)
    assert {e.id: e.level for e in plan.exercises}["clamshell"] == 1  # only day 3 counts
    plan = plan_for_day(programme, START, day(8), greens)
    assert {e.id: e.level for e in plan.exercises}["clamshell"] == 2


def test_prescription_settings_set_start_and_limit(programme):
    settings = {"start_level": {"bridge": 2}, "max_level": {"clamshell": 1}}
    greens = [SessionLog(day(n), "completed", 0, "same", {"clamshell": 1}) for n in (1, 3)]
    plan = plan_for_day(programme, START, day(5), greens, settings=settings)
    levels = {e.id: e.level for e in plan.exercises}
    assert levels["bridge"] == 2 and levels["clamshell"] == 1
    assert "highest level your plan allows" in {e.id: e for e in plan.exercises}["clamshell"].reason


def test_todays_session_is_playable(programme):
    library = load_exercises()
    plan = plan_for_day(programme, START, day(1), [], [LevelChoice(day(1), "bridge", 1)])
    today = todays_session(plan)
    assert settings_problems(today.settings, library) == []
    assert today.settings.warmup and "warm_up" not in today.settings.exercise_ids
    assert set(today.doses) == set(today.settings.exercise_ids) == set(today.levels)
    assert today.doses["clamshell"].reps == 10 and today.names["clamshell"] == "Clamshell"
    assert today.levels == session_levels(plan)
    rest = todays_session(plan_for_day(programme, START, day(7), []))
    assert rest.day_type == "rest" and rest.settings.exercise_ids == () and not rest.doses


def test_plan_view_shows_week_changes_and_history(programme):
    sessions = [SessionLog(day(n), "completed", 1, "better", {"clamshell": 1, "bridge": 1}) for n in (1, 3)]
    sessions.append(SessionLog(day(5), "stopped", 7, None, {"clamshell": 2, "bridge": 2}))
    plan = plan_for_day(programme, START, day(8), sessions)
    view = plan_view(programme, plan)
    assert (view.week, view.weeks, view.finished, view.day_type) == (2, 8, False, "strength")
    changed = {e.id: e for e in view.changes}
    assert set(changed) == {"clamshell", "bridge"} and changed["clamshell"].change == "down"
    assert [(d, ex, a, b) for d, ex, a, b, _ in view.history] == [
        (day(5), "clamshell", "Clamshell with a light band", "Clamshell"),
        (day(5), "bridge", "Glute bridge with a 5-second hold", "Glute bridge"),
        (day(3), "clamshell", "Clamshell", "Clamshell with a light band"),
        (day(3), "bridge", "Glute bridge", "Glute bridge with a 5-second hold"),
    ]
    text = describe_plan(plan)
    assert "week 2 of 8" in text and "moved down" in text and "form" in text


def test_awaiting_next_morning(store):
    from hipknee.programme import awaiting_next_morning

    store.add_programme_session(session_date=day(1), status="completed", pain_during=1)
    store.add_programme_session(session_date=day(2), status="stopped", pain_during=7)
    later = store.add_programme_session(session_date=day(3), status="completed", pain_during=1)
    records = store.list_programme_sessions()
    assert awaiting_next_morning(records, day(3)) is not None and awaiting_next_morning(records, day(3)).date == day(1)
    assert awaiting_next_morning(records, day(4)).id == later.id
    assert awaiting_next_morning(records, day(6)) is None  # too long ago to ask
    store.set_next_morning(later.id, "same")
    assert awaiting_next_morning(store.list_programme_sessions(), day(4)) is None  # day 2 was a stop


def prescription_value(settings) -> str:
    """The ``?programme=`` value a physio would write for ``settings`` (as ``parse_prescription`` returns them)."""
    start, top = settings.get("start_level") or {}, settings.get("max_level") or {}
    return ",".join(f"{ex}:{start[ex]}-{top[ex]}" if ex in start and ex in top else ex for ex in settings["exercises"])


def test_prescription_link_round_trip_and_changes(programme):
    from hipknee.programme import parse_prescription, prescription_changes

    settings, messages = parse_prescription("clamshell:2-3, bridge:1-2,wall_sit,squat,clamshell:1", programme)
    assert settings == {"exercises": ["clamshell", "bridge", "wall_sit"],
                        "start_level": {"clamshell": 2, "bridge": 1, "wall_sit": 1},
                        "max_level": {"clamshell": 3, "bridge": 2, "wall_sit": 3}}
    assert len(messages) == 2 and "squat" in messages[0] and "more than once" in messages[1]
    assert parse_prescription(prescription_value(settings), programme) == (settings, ())
    bad, messages = parse_prescription("bridge:3-1,clamshell:x", programme)
    assert bad == {"exercises": ["bridge", "clamshell"], "start_level": {"bridge": 1, "clamshell": 1},
                   "max_level": {"bridge": 3, "clamshell": 3}} and len(messages) == 2
    assert parse_prescription("nothing", programme)[0] is None
    assert parse_prescription(None, programme) == (None, ())

    changes = prescription_changes(programme, None, settings)
    assert any(line.startswith("Leaves out") and "Step-up" in line for line in changes)
    assert "Clamshell starts at level 2: Clamshell with a light band." in changes
    assert "Glute bridge goes no higher than level 2: Glute bridge with a 5-second hold." in changes
    assert prescription_changes(programme, settings, settings) == []
    # The plan follows the prescription: only its exercises, at its levels.
    plan = plan_for_day(programme, START, day(1), [], settings=settings)
    assert [e.id for e in plan.exercises] == ["warm_up", "clamshell", "bridge", "wall_sit"]
    assert plan.exercises[1].level == 2


def test_first_start_from_a_prescription_does_not_say_again(programme):
    from hipknee.programme import parse_prescription, prescription_changes

    settings, _ = parse_prescription("clamshell:2-3", programme)
    first = prescription_changes(programme, None, settings, started=False)
    assert first[-1] == "The programme starts today with these settings."
    assert not any("again" in line for line in first)
    assert prescription_changes(programme, None, settings)[-1].startswith("The programme starts again from today")


def test_choosing_easier_today_changes_todays_session_and_the_cli_agrees(store, programme, capsys, monkeypatch):
    import json

    from hipknee import cli
    from hipknee.programme import choose_easier, easier_levels, plan_from_store
    from hipknee.progression import ChoiceError

    store.start_programme(day(1), {"start_level": {"bridge": 2}})
    before = plan_from_store(store, day(1), programme)
    assert {e.id: e.level for e in before.exercises}["bridge"] == 2
    assert [lvl.number for lvl in easier_levels(programme, before)["bridge"]] == [1]
    assert "clamshell" not in easier_levels(programme, before)  # already the easiest: its safer way instead
    step = choose_easier(store, day(1), "bridge", 1, programme)
    assert step.reason.startswith("You chose Glute bridge instead of Glute bridge with a 5-second hold on 2 March")
    plan = plan_from_store(store, day(1), programme)
    bridge = {e.id: e for e in plan.exercises}["bridge"]
    assert (bridge.level, bridge.change, bridge.reason) == (1, "down", step.reason)
    assert bridge.dose == programme.exercises["bridge"].levels[0].dose
    # `hipknee plan --json --date D` counts a choice dated D for D, as the page does.
    monkeypatch.setattr(cli, "_today", lambda: day(1))
    assert cli.main(["plan", "--json", "--date", day(1).isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {e["id"]: e["level"] for e in out["exercises"]}["bridge"] == 1
    # Harder than the plan gives (now 1) is refused, and nothing is written.
    with pytest.raises(ChoiceError, match="harder than your plan gives today"):
        choose_easier(store, day(1), "bridge", 2, programme)
    with pytest.raises(ChoiceError, match="already your level"):
        choose_easier(store, day(1), "bridge", 1, programme)
    with pytest.raises(ChoiceError, match="not in your plan's session"):
        choose_easier(store, day(1), "squat", 1, programme)
    assert len(store.list_level_choices()) == 1
    # Two comfortable sessions at the chosen level: up one from it, not from the planned level.
    for n in (1, 3):
        store.add_programme_session(session_date=day(n), status="completed", pain_during=1, next_morning="same",
                                    levels={"bridge": 1})
    later = {e.id: e for e in plan_from_store(store, day(5), programme).exercises}["bridge"]
    assert (later.level, later.change) == (2, "up")


def test_a_choice_after_todays_session_was_played_counts_from_the_next_session(store, programme):
    from hipknee.programme import choose_easier, plan_from_store

    store.start_programme(day(1), {"start_level": {"bridge": 2}})
    store.add_programme_session(session_date=day(1), status="completed", pain_during=0, next_morning="same",
                                levels={"bridge": 2})
    choose_easier(store, day(1), "bridge", 1, programme)
    # The session played at level 2 stays as played; the next session is at the chosen level.
    assert {e.id: e.level for e in plan_from_store(store, day(1), programme).exercises}["bridge"] == 1
    nxt = {e.id: e for e in plan_from_store(store, day(3), programme).exercises}["bridge"]
    assert nxt.level == 1 and nxt.reason.startswith("You chose")
    # The green at level 2 came before the choice, so it is not part of the run at level 1: one more green
    # at level 1 is the first of two, and the level stays.
    store.add_programme_session(session_date=day(3), status="completed", pain_during=0, next_morning="same",
                                levels={"bridge": 1})
    assert {e.id: e.level for e in plan_from_store(store, day(5), programme).exercises}["bridge"] == 1


def test_undo_takes_a_choice_back_until_a_session_is_played_with_it(store, programme):
    from hipknee.programme import choose_easier, plan_from_store, undo_choice
    from hipknee.progression import ChoiceError

    def bridge_level() -> int:
        return {e.id: e.level for e in plan_from_store(store, day(1), programme).exercises}["bridge"]

    store.start_programme(day(1), {"start_level": {"bridge": 2}})
    step = choose_easier(store, day(1), "bridge", 1, programme)
    assert bridge_level() == 1 and step.choice_id is not None
    undone = undo_choice(store, step.choice_id)
    assert (undone.id, undone.exercise_id, undone.level) == (step.choice_id, "bridge", 1)
    assert bridge_level() == 2 and store.list_level_choices() == []  # the plan's own level again
    with pytest.raises(ChoiceError, match="already taken back"):
        undo_choice(store, step.choice_id)
    # Once a session has started after the choice, it was planned with it: the choice stays.
    again = choose_easier(store, day(1), "bridge", 1, programme)
    store.add_programme_session(session_date=day(1), status="completed", pain_during=1, next_morning="same",
                                levels={"bridge": 1})
    with pytest.raises(ChoiceError, match="a session was played on"):
        undo_choice(store, again.choice_id)
    assert [c.id for c in store.list_level_choices()] == [again.choice_id] and bridge_level() == 1


def test_a_session_played_before_the_choice_does_not_stop_its_undo(store, programme):
    from hipknee.programme import choose_easier, undo_choice

    store.start_programme(day(1), {"start_level": {"bridge": 2}})
    store.add_programme_session(session_date=day(1), status="completed", pain_during=0, next_morning="same",
                                levels={"bridge": 2})
    step = choose_easier(store, day(1), "bridge", 1, programme)  # counts from the next session
    undo_choice(store, step.choice_id)
    assert store.list_level_choices() == []


def test_a_level_choice_is_deleted_only_for_its_owner(store):
    from hipknee.store import Store

    choice_id = store.choose_level(day(1), "bridge", 1)
    other = Store.open(str(store.engine.url), user_id="someone-else")
    with pytest.raises(LookupError):
        other.delete_level_choice(choice_id)
    assert [c.id for c in store.list_level_choices()] == [choice_id]
    assert store.delete_level_choice(choice_id).level == 1 and store.list_level_choices() == []


def test_a_restart_drops_the_choices_made_for_the_plan_it_replaces(store, programme):
    from hipknee.programme import choose_easier, plan_from_store

    store.start_programme(day(1), {"start_level": {"bridge": 2}})
    choose_easier(store, day(1), "bridge", 1, programme)
    store.start_programme(day(1), {"start_level": {"bridge": 2}})  # started again the same day
    assert {e.id: e.level for e in plan_from_store(store, day(1), programme).exercises}["bridge"] == 2
