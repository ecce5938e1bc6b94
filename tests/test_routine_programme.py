"""The 8-week programme on the Routine page (issue 14), in AppTest: "Today's session" is the default, the
plan can be started (and restarted after asking), a rest day says so, a played session records its levels
and pain, the plan view shows the week and the changes, and a prescription link asks before it replaces.

The player's reports are simulated as in tests/test_routine_page.py (its JavaScript does not run here).
"""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee.exercises import load_exercises
from hipknee.programme import load_programme, plan_for_day, plan_from_store
from hipknee.programme_play import session_routine
from tests.helpers import md_unescape
from tests.test_routine_page import PAGE, no_errors, player_data, player_element, progress, report, screened

TODAY = dt.date.today()


def started(store, days_ago: int = 0, settings=None):
    store.start_programme(TODAY - dt.timedelta(days=days_ago), settings)




def all_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [b.value for kind in (at.info, at.success, at.warning, at.error) for b in kind]
    return md_unescape(" ".join(parts))


def test_the_default_routine_page_shows_todays_session(app_test, store):
    screened(store)
    started(store)
    at = app_test(PAGE)
    no_errors(at)
    assert at.segmented_control[0].value == "today"
    plan = plan_from_store(store, TODAY, load_programme())
    expected = session_routine(plan, load_exercises())
    data = player_data(at)
    assert data["plan_id"] == expected.plan_id
    names = {s["name"] for s in data["steps"]}
    assert "Clamshell" in names and "Shallow wall sit" in names  # level names from data/programme.toml
    text = all_text(at)
    assert "Week 1 of 8" in text and "strengthening day" in text
    assert "Your 8-week plan" in [h.value for h in at.header]
    assert {"Today", "What changed and why", "Level history"} <= {h.value for h in at.subheader}
    assert len(at.multiselect) == 0  # the plan decides the exercises; no builder
    assert "exercises" not in at.query_params  # and the address bar holds no routine link


def test_without_a_plan_the_page_offers_to_start_it(app_test, store):
    screened(store)
    at = app_test(PAGE)
    no_errors(at)
    assert player_element(at) is None
    assert store.programme_start() is None  # showing the offer writes nothing
    at.button(key="programme_start").click().run()
    no_errors(at)
    start = store.programme_start()
    assert start is not None and start.start_date == TODAY
    assert player_element(at) is not None
    assert "Your 8-week plan starts today" in all_text(at)


def test_restarting_asks_first(app_test, store):
    screened(store)
    started(store, days_ago=9, settings={"exercises": ["clamshell", "bridge"]})
    at = app_test(PAGE)
    at.button(key="programme_restart").click().run()
    no_errors(at)
    assert store.programme_start().start_date == TODAY - dt.timedelta(days=9)  # only asked so far
    at.button(key="programme_restart_no").click().run()
    assert store.programme_start().start_date == TODAY - dt.timedelta(days=9)
    at.button(key="programme_restart").click().run()
    at.button(key="programme_restart_yes").click().run()
    no_errors(at)
    start = store.programme_start()
    assert start.start_date == TODAY and start.settings == {"exercises": ["clamshell", "bridge"]}


def test_a_rest_day_says_so_and_offers_stretches(app_test, store):
    screened(store)
    programme = load_programme()
    rest = next(d for d in range(1, 8) if d not in programme.strength_days and d not in programme.stretch_days)
    started(store, days_ago=rest - 1)
    at = app_test(PAGE)
    no_errors(at)
    assert player_element(at) is None
    assert "rest day" in all_text(at)
    at.button(key="programme_rest_stretches").click().run()
    no_errors(at)
    assert at.segmented_control[0].value == "article"
    assert player_element(at) is not None


def test_a_played_session_records_its_levels_and_pain(app_test, store):
    screened(store)
    started(store)
    at = app_test(PAGE)
    data = player_data(at)
    report(at, progress(data))
    [record] = store.list_programme_sessions()
    plan = plan_for_day(load_programme(), TODAY, TODAY, [])
    assert record.levels == {e.id: e.level for e in plan.exercises if e.kind != "warmup"}
    assert record.source == "player" and record.status == "in_progress"
    report(at, progress(data, status="completed", steps_done=progress(data)["steps_planned"],
                        seconds_done=data["total_seconds"], step_index=len(data["steps"])))
    assert "How much did your knee hurt during the session?" in [p.label.split(" (")[0] for p in at.pills]
    at.pills(key="routine_pain_run-1").set_value(1).run()
    at.button(key="routine_pain_save_run-1").click().run()
    no_errors(at)
    [record] = store.list_programme_sessions()
    assert (record.status, record.pain_during, record.next_morning) == ("completed", 1, None)
    assert "Journal asks how your knee was in the morning" in all_text(at)
    assert len(store.sessions_frame()) == 1  # one record, as `hipknee session add` writes
    at.run()
    assert "You have done today's session" in all_text(at)


def test_stopping_for_pain_is_recorded_as_a_stopped_programme_session(app_test, store):
    screened(store)
    started(store)
    at = app_test(PAGE)
    data = player_data(at)
    report(at, progress(data, status="stopped", seconds_done=20, step_index=1))
    [record] = store.list_programme_sessions()
    assert record.status == "stopped"
    assert "one level easier" in all_text(at)


def test_the_plan_view_shows_what_changed_and_why(app_test, store):
    screened(store)
    started(store, days_ago=4)  # today is day 5, a strengthening day
    for days_ago in (4, 2):
        store.add_programme_session(session_date=TODAY - dt.timedelta(days=days_ago), status="completed",
                                    pain_during=1, next_morning="same", levels={"clamshell": 1, "bridge": 1})
    at = app_test(PAGE)
    no_errors(at)
    text = all_text(at)
    assert "Clamshell moved up to Clamshell with a light band" in text
    assert "Week 1 of 8" in text
    names = {s["name"] for s in player_data(at)["steps"]}
    assert "Clamshell with a light band" in names and "Clamshell" not in names
    tables = [t.value for t in at.table]
    history = next(t for t in tables if "What changed and why" in t.columns)
    reasons = history["What changed and why"]
    assert any(r.startswith("Clamshell moved up to Clamshell with a light band") for r in reasons)


# ---- a physio's prescription link ----------------------------------------------------------------------


def test_a_prescription_link_shows_the_changes_and_asks_before_replacing(app_test, store):
    screened(store)
    started(store, days_ago=3)
    at = app_test(PAGE, query_params={"programme": "clamshell:2-3,bridge:1-2,wall_sit"})
    no_errors(at)
    text = all_text(at)
    assert "Leaves out" in text and "starts at level 2" in text
    assert store.programme_start().start_date == TODAY - dt.timedelta(days=3)  # nothing changed yet
    at.button(key="prescription_use").click().run()
    no_errors(at)
    start = store.programme_start()
    assert start.start_date == TODAY
    assert start.settings["exercises"] == ["clamshell", "bridge", "wall_sit"]
    assert start.settings["start_level"]["clamshell"] == 2
    assert "programme" not in at.query_params
    names = {s["name"] for s in player_data(at)["steps"]}
    assert "Clamshell with a light band" in names and "Mini-squat holding a chair" not in names


def test_declining_a_prescription_changes_nothing(app_test, store):
    screened(store)
    started(store, days_ago=3)
    at = app_test(PAGE, query_params={"programme": "clamshell:2-3"})
    at.button(key="prescription_keep").click().run()
    no_errors(at)
    start = store.programme_start()
    assert start.start_date == TODAY - dt.timedelta(days=3) and start.settings == {}
    assert "programme" not in at.query_params


@pytest.mark.parametrize("value", ["frog:1-2", "**bold**:1,<b>x</b>", ""])
def test_an_invalid_prescription_link_says_why_in_plain_text_and_changes_nothing(app_test, store, value):
    screened(store)
    at = app_test(PAGE, query_params={"programme": value})
    no_errors(at)
    warnings = [w.value for w in at.warning]
    assert any("no exercises this programme knows" in md_unescape(w) for w in warnings)
    if "frog" in value:
        assert any("'frog'" in md_unescape(w) for w in warnings)
    if "**" in value:
        assert any("\\*\\*bold\\*\\*" in w for w in warnings)  # shown as typed, not as bold
    assert store.programme_start() is None
    assert not any(b.key == "prescription_use" for b in at.button)


# ---- choosing an easier level --------------------------------------------------------------------------


def bridge_work(data: dict) -> list[tuple[str, int, int]]:
    return [(s["name"], s["reps"], s["seconds_per_rep"]) for s in data["steps"]
            if s["exercise_id"] == "bridge" and s["work"]]


def test_choosing_an_easier_level_changes_todays_session_and_says_why(app_test, store):
    screened(store)
    started(store, settings={"start_level": {"bridge": 2}})
    at = app_test(PAGE)
    no_errors(at)
    before = bridge_work(player_data(at))
    assert before and all(name == "Glute bridge with a 5-second hold" for name, _, _ in before)
    exercise = at.selectbox(key="programme_easier_exercise")
    # Only the exercises above level 1 (here only the bridge); the others show their easier way instead.
    assert exercise.options == ["Glute bridge with a 5-second hold"]
    assert "do it the easier way" in all_text(at) and "Clamshell" in all_text(at)
    exercise.set_value("bridge").run()
    level = at.selectbox(key="programme_easier_level_bridge")
    assert level.options == ["Level 1: Glute bridge (2 sets of 10)"]  # easier only: never a harder level
    level.set_value(1).run()
    at.button(key="programme_easier").click().run()
    no_errors(at)
    [choice] = store.list_level_choices()
    assert (choice.date, choice.exercise_id, choice.level) == (TODAY, "bridge", 1)
    after = bridge_work(player_data(at))
    assert after and all(name == "Glute bridge" for name, _, _ in after)
    assert after[0][2] < before[0][2]  # no 5-second hold: a shorter rep
    text = all_text(at)
    assert "Today's session now has Glute bridge." in text
    sentence = (f"You chose Glute bridge instead of Glute bridge with a 5-second hold on {TODAY.day} "
                f"{TODAY:%B %Y}")
    assert sentence in text  # in "What changed and why"
    today_table = next(t.value for t in at.table if "Level" in t.value.columns)
    row = today_table[today_table["Exercise"] == "Glute bridge"].iloc[0]
    assert (row["Level"], row["Dose"], row["Change"]) == ("1 of 3", "2 sets of 10", "moved down")
    history = next(t.value for t in at.table if "What changed and why" in t.value.columns)
    assert any(r.startswith(sentence) for r in history["What changed and why"])
    # Already at the easiest level now: nothing easier to offer for the bridge.
    assert not any(s.key == "programme_easier_level_bridge" for s in at.selectbox)
    # A session played now records the chosen level.
    report(at, progress(player_data(at)))
    [record] = store.list_programme_sessions()
    assert record.levels["bridge"] == 1


def test_undo_straight_after_choosing_an_easier_level_brings_the_plan_back(app_test, store):
    screened(store)
    started(store, settings={"start_level": {"bridge": 2}})
    at = app_test(PAGE)
    before = bridge_work(player_data(at))
    at.selectbox(key="programme_easier_exercise").set_value("bridge").run()
    at.selectbox(key="programme_easier_level_bridge").set_value(1).run()
    at.button(key="programme_easier").click().run()
    assert len(store.list_level_choices()) == 1 and bridge_work(player_data(at)) != before
    [undo] = [b for b in at.button if b.label == "Undo"]
    undo.click().run()
    no_errors(at)
    assert store.list_level_choices() == []
    assert bridge_work(player_data(at)) == before  # the plan's own level again
    assert "Taken back: today's session is as your plan gives it." in all_text(at)
    assert not [b for b in at.button if b.label == "Undo"]  # offered once, straight after the choice


def test_a_prescription_link_before_any_plan_says_it_starts_not_starts_again(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"programme": "clamshell:2-3"})
    no_errors(at)
    text = all_text(at)
    assert "The programme starts today with these settings." in text and "starts again" not in text
    assert store.programme_start() is None
