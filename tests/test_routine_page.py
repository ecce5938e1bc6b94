"""Routine page (AppTest): the gate comes first, share links fill the builder, the player gets the plan.

AppTest runs no browser JavaScript, so the player is checked through the data handed to it
(``el.proto.json``), and its reports are simulated by setting the component's state in session_state
(which AppTest passes to the page as the component's ``progress`` value).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hipknee import routines as R
from hipknee.exercises import load_exercises
from tests.helpers import md_unescape

PAGE = "pages/routine.py"
PLAYER_KEY = "routine_player"


@pytest.fixture
def library():
    return load_exercises()


def screened(store, tier="ok", answers=None, reasons=None):
    store.save_screening(tier, answers or {}, reasons or [])


def player_element(at):
    found = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "bidi_component" and child.key == "routine_player":
                found.append(child)
            walk(child)

    walk(at.main)
    assert len(found) <= 1
    return found[0] if found else None


def test_copy_link_button_carries_the_share_link(app_test, store):
    screened(store)
    at = app_test("pages/routine.py", query_params={"exercises": "butterfly,clamshell", "hold": "20",
                                                    "sets": "1", "warmup": "0"})
    buttons = [e for e in at.get("bidi_component") if e.key == "copy_link"]
    assert len(buttons) == 1
    data = json.loads(buttons[0].proto.json)
    assert data["url"].endswith("?exercises=butterfly,clamshell&hold=20&sets=1&warmup=0")


def player_data(at) -> dict:
    element = player_element(at)
    assert element is not None, "the player is not on the page"
    return json.loads(element.proto.json)


def steps_of(data):
    return [(s["kind"], s["exercise_id"], s["side"], s["seconds"]) for s in data["steps"]]


def no_errors(at):
    assert [e.value for e in at.exception] == []


# ---- the gate ------------------------------------------------------------------------------------


def test_without_a_screening_the_routine_is_gated(app_test, store):
    at = app_test(PAGE)
    no_errors(at)
    assert at.title[0].value == "Routine"
    assert player_element(at) is None
    assert len(at.multiselect) == 0  # no builder either
    assert not store.sessions_frame().size


def test_a_stop_screening_blocks_the_routine(app_test, store):
    screened(store, "stop", reasons=[{"id": "calf_dvt", "reason": "Calf swollen", "advice": "Get care now"}])
    at = app_test(PAGE)
    no_errors(at)
    assert player_element(at) is None
    assert at.error, "the stop tier explains itself"


def test_an_ok_screening_offers_the_article_routine_with_its_total(app_test, store, library):
    screened(store)
    at = app_test(PAGE)
    no_errors(at)
    assert at.segmented_control[0].value == "today"  # the programme's session comes first (issue 14)
    at.segmented_control[0].set_value("article").run()
    no_errors(at)
    article = R.load_routine_content(library=library).presets["article"]
    plan = R.expand(article.settings, library)
    data = player_data(at)
    assert data["plan_id"] == plan.plan_id
    assert data["total_seconds"] == plan.total_seconds
    assert steps_of(data) == [(s.kind, s.exercise_id, s.side, s.seconds) for s in plan.steps]
    assert set(data["svgs"]) >= {"hip_flexor:left", "hip_flexor:right", "butterfly:left"}
    assert all(svg.lstrip().startswith("<svg") for svg in data["svgs"].values())
    assert at.metric[0].value == R.format_clock(plan.total_seconds)
    assert at.multiselect[0].value == list(article.exercise_ids)
    # the address bar follows the routine
    assert at.query_params["exercises"] == "hip_flexor,butterfly,pigeon,it_band"
    assert at.query_params["warmup"] == "1"


# ---- share links ---------------------------------------------------------------------------------


def test_link_parameters_fill_the_builder_and_the_player(app_test, store, library):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly,clamshell", "hold": "20", "sets": "1",
                                      "warmup": "0"})
    no_errors(at)
    assert at.multiselect[0].value == ["butterfly", "clamshell"]
    toggles = {t.label: t.value for t in at.toggle}
    assert toggles["Start with a 5-minute warm-up"] is False
    assert toggles["Choose my own hold time"] is True and toggles["Choose my own number of sets"] is True
    assert at.number_input[0].value == 20 and at.slider[0].value == 1
    expected = R.expand(R.RoutineSettings(("butterfly", "clamshell"), 20, 1, False), library)
    assert steps_of(player_data(at)) == [(s.kind, s.exercise_id, s.side, s.seconds) for s in expected.steps]
    assert not at.code  # plain text: st.code would download a syntax highlighter for one line
    assert at.text[0].value.endswith("routine?exercises=butterfly,clamshell&hold=20&sets=1&warmup=0")
    assert at.segmented_control[0].value == "custom"
    assert not at.warning


def test_a_preset_link_selects_the_preset(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "clamshell,bridge,hip_extension", "warmup": "1"})
    no_errors(at)
    assert at.segmented_control[0].value == "strength"
    assert [s["kind"] for s in player_data(at)["steps"] if s["work"]].count("reps") > 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"exercises": "butterfly,frog"}, "does not have: frog"),
        ({"exercises": "frog"}, "no exercises this app knows"),
        ({"exercises": "butterfly", "hold": "999"}, "hold=999 is outside 5 to 300"),
        ({"exercises": "butterfly", "hold": "abc"}, "is not a whole number"),
        ({"exercises": "butterfly", "sets": "0"}, "sets=0 is outside 1 to 5"),
        ({"exercises": "butterfly", "warmup": "2"}, "should be 0 or 1"),
    ],
)
def test_bad_link_values_give_a_message_and_still_a_routine(app_test, store, params, message):
    screened(store)
    at = app_test(PAGE, query_params=params)
    no_errors(at)
    warnings = " ".join(md_unescape(w.value) for w in at.warning)  # shown as plain text
    assert message in warnings
    data = player_data(at)
    assert data["steps"] and "frog" not in {s["exercise_id"] for s in data["steps"]}
    assert not store.sessions_frame().size  # reading a link writes nothing


def test_changing_the_builder_updates_the_player_and_the_link(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly", "warmup": "0"})
    before = player_data(at)["plan_id"]
    at.multiselect[0].set_value(["butterfly", "bridge"]).run()
    no_errors(at)
    data = player_data(at)
    assert data["plan_id"] != before
    assert {s["exercise_id"] for s in data["steps"]} == {"butterfly", "bridge"}
    assert at.query_params["exercises"] == "butterfly,bridge"
    at.segmented_control[0].set_value("article").run()
    assert at.multiselect[0].value == ["hip_flexor", "butterfly", "pigeon", "it_band"]


# ---- safer variants --------------------------------------------------------------------------------


def test_screening_tailoring_swaps_in_safer_variants_that_can_be_switched_back(app_test, store, library):
    screened(store, answers={"kneeling_painful": True, "pigeon_uncomfortable": True})
    at = app_test(PAGE)
    at.segmented_control[0].set_value("article").run()
    no_errors(at)
    swaps = [t for t in at.toggle if t.label.startswith("Do ")]
    assert len(swaps) == 2 and all(t.value for t in swaps)
    ids = {s["exercise_id"] for s in player_data(at)["steps"]}
    assert "hip_flexor" not in ids and "pigeon" not in ids
    variants = {e.id for e in library.values() if e.replaces in ("hip_flexor", "pigeon")}
    assert ids & variants
    hip_swap = next(t for t in swaps if "Kneeling" in t.label or library["hip_flexor"].name in t.label)
    hip_swap.set_value(False).run()
    ids = {s["exercise_id"] for s in player_data(at)["steps"]}
    assert "hip_flexor" in ids and "pigeon" not in ids


# ---- the session record (player reports simulated through the component's state) ---------------


def progress(data, **overrides):
    work = sum(1 for s in data["steps"] if s["work"])
    base = {"run": "run-1", "plan_id": data["plan_id"], "status": "in_progress", "step_index": 0,
            "steps_done": 0, "steps_planned": work, "seconds_done": 0,
            "seconds_planned": data["total_seconds"]}
    return {**base, **overrides}


def report(at, value):
    at.session_state[PLAYER_KEY] = {"progress": value}
    at.run()
    no_errors(at)


def test_start_records_a_session_and_completion_asks_for_pain(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly,it_band", "hold": "5", "sets": "1",
                                      "warmup": "0"})
    data = player_data(at)
    report(at, progress(data))
    frame = store.sessions_frame()
    assert list(frame.status) == ["in_progress"]
    assert frame.iloc[0].steps_planned == 3 and frame.iloc[0].seconds_planned == data["total_seconds"]
    assert at.multiselect[0].disabled  # the routine cannot change under someone mid-stretch

    report(at, progress(data, steps_done=1, seconds_done=10, step_index=2))
    assert store.sessions_frame().iloc[0].steps_done == 1

    report(at, progress(data, status="completed", steps_done=3, seconds_done=data["total_seconds"],
                        step_index=5))
    row = store.sessions_frame().iloc[0]
    assert (row.status, row.steps_done) == ("completed", 3) and row.ended_at is not None
    assert any("Routine complete" in s.value for s in at.success)
    assert not at.multiselect[0].disabled
    save = at.button(key="routine_pain_save_run-1")
    assert save.disabled
    at.pills(key="routine_pain_run-1").set_value(3).run()
    at.button(key="routine_pain_save_run-1").click().run()
    no_errors(at)
    assert store.sessions_frame().iloc[0].pain_during == 3
    assert any("Pain saved" in c.value for c in at.caption)


def test_stop_this_hurts_records_a_stopped_session_with_advice(app_test, store, library):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly", "hold": "30", "warmup": "0"})
    data = player_data(at)
    report(at, progress(data, status="stopped", seconds_done=12, step_index=1))
    row = store.sessions_frame().iloc[0]
    assert (row.status, row.steps_done, row.seconds_done) == ("stopped", 0, 12)
    advice = R.load_routine_content(library=library).stop_advice
    assert any(advice.title in e.value for e in at.error)
    assert all(point in " ".join(m.value for m in at.markdown) for point in advice.points)
    at.pills(key="routine_pain_run-1").set_value(8).run()
    at.button(key="routine_pain_save_run-1").click().run()
    no_errors(at)
    assert store.sessions_frame().iloc[0].pain_during == 8
    assert any("get it checked" in w.value for w in at.warning)


def test_a_run_left_behind_stays_unfinished_and_does_not_lock_the_builder(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly", "warmup": "0"})
    report(at, progress(player_data(at)))
    assert at.multiselect[0].disabled
    report(at, {})  # the player was unmounted (another page, then back): it starts afresh
    assert not at.multiselect[0].disabled
    assert list(store.sessions_frame().status) == ["in_progress"]  # counts as not finished


def test_a_malformed_report_is_ignored(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly", "warmup": "0"})
    report(at, {"run": "x", "status": "done?"})
    assert not store.sessions_frame().size
    assert player_element(at) is not None


def test_the_session_date_is_the_persons_today(app_test, store):
    screened(store)
    at = app_test(PAGE, query_params={"exercises": "butterfly", "warmup": "0"})
    report(at, progress(player_data(at)))
    assert store.sessions_frame().iloc[0].session_date.date() == dt.date.today()
