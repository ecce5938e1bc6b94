"""AppTest of the Screener page, the routine gate UI and today's safety check on the Journal (issue 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from hipknee.gate import routine_gate
from hipknee.journal import Entry
from hipknee.screening import assess, load_screener
from hipknee.store import Store, utcnow
from tests.helpers import md_unescape
from tests.shown_html import html_tables

SCREENER = "pages/screener.py"
JOURNAL = "pages/journal.py"
ROUTINE = "pages/routine.py"
ROUTINE_URL, SCREENER_URL = "routine", "screener"  # what a page link points at


@pytest.fixture
def db(db_url):
    s = Store.open(db_url)
    yield s
    s.engine.dispose()


def page_links(at: AppTest) -> list[str]:
    return [el.proto.page for el in at.get("page_link")]


def offers_routine(at: AppTest) -> bool:
    """The routine is offered: as the main (primary) "Go to the routine" button, or as a page link."""
    button = [b for b in at.button if b.key == "scr_routine"]
    assert all(b.label == "Go to the routine" and b.proto.type == "primary" for b in button)
    return bool(button) or ROUTINE_URL in page_links(at)


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(el.value for el in at.get(kind))


def fill_step(at: AppTest, yes=(), unsure=(), age: int = 40) -> None:
    """Answer every question shown on the current step: ids in ``yes``/``unsure`` so, the rest no."""
    for _ in range(4):  # follow-ups appear after their parent is answered
        changed = False
        for number in at.number_input:
            if number.key == "scr_q_age" and number.value is None:
                number.set_value(age)
                changed = True
        for radio in at.radio:
            if not radio.key.startswith("scr_q_") or radio.value is not None:
                continue
            qid = radio.key.removeprefix("scr_q_")
            radio.set_value("yes" if qid in yes else "unsure" if qid in unsure else "no")
            changed = True
        if not changed:
            return
        at.run()


def take_screening(at: AppTest, yes=(), unsure=(), age: int = 40) -> AppTest:
    steps = len(load_screener().steps)
    for _ in range(steps):
        fill_step(at, yes, unsure, age)
        at.button(key="scr_next").click().run()
        assert not at.exception, at.exception
    return at


# ---- the form ------------------------------------------------------------------------------------------


def test_first_visit_shows_step_one_with_par_q_label_and_link(app_test):
    at = app_test(SCREENER)
    assert not at.exception
    assert at.title[0].value == "Screener"
    assert "Step 1 of 7" in at.get("progress")[0].proto.text
    everything = texts(at, "markdown") + texts(at, "caption")
    assert "adapted from the [PAR-Q+](https://eparmedx.com/)" in everything
    assert at.number_input(key="scr_q_age").value is None
    assert {r.key for r in at.radio} == {"scr_q_acute_illness", "scr_q_pregnant"}
    assert [b.label for b in at.button if b.key == "scr_next"] == ["Next"]


def test_next_needs_every_answer_and_names_the_missing_ones(app_test):
    at = app_test(SCREENER)
    at.radio(key="scr_q_pregnant").set_value("no").run()
    at.button(key="scr_next").click().run()
    assert "Step 1 of 7" in at.get("progress")[0].proto.text
    error = at.error[0].value
    assert "Your age" in error and "Fever or illness today" in error and "Pregnancy" not in error


def test_follow_ups_appear_only_after_yes_or_not_sure(app_test):
    at = app_test(SCREENER)
    fill_step(at)
    at.button(key="scr_next").click().run()
    assert "scr_q_cannot_walk_4_steps" not in {r.key for r in at.radio}
    at.radio(key="scr_q_recent_injury").set_value("unsure").run()
    keys = {r.key for r in at.radio}
    assert {"scr_q_cannot_walk_4_steps", "scr_q_cannot_bend_90", "scr_q_bony_tenderness"} <= keys
    assert "count “not sure” as yes" in texts(at, "caption")
    at.radio(key="scr_q_recent_injury").set_value("no").run()
    assert "scr_q_cannot_walk_4_steps" not in {r.key for r in at.radio}


def test_back_keeps_earlier_answers(app_test):
    at = app_test(SCREENER)
    fill_step(at, yes={"pregnant"}, age=33)
    at.button(key="scr_next").click().run()
    at.button(key="scr_back").click().run()
    assert at.number_input(key="scr_q_age").value == 33
    assert at.radio(key="scr_q_pregnant").value == "yes"
    assert at.radio(key="scr_q_acute_illness").value == "no"


# ---- the three outcomes --------------------------------------------------------------------------------


def test_ok_path_records_the_screening_and_offers_the_routine(app_test, db):
    at = take_screening(app_test(SCREENER), yes={"kneeling_painful"})
    record = db.latest_screening()
    assert record.tier == "ok" and record.source == "app" and record.reasons == []
    assert record.answers["age"] == 40 and record.answers["kneeling_painful"] is True
    assert "OK — start gently" in at.success[0].value
    assert offers_routine(at)
    assert "Kneeling hurts" in texts(at, "markdown")  # the tailoring is explained
    assert routine_gate(db, dt.date.today()).status == "ok"


def test_caution_path_with_clearance(app_test, db):
    at = take_screening(app_test(SCREENER), yes={"pregnant", "giving_way"})
    record = db.latest_screening()
    assert record.tier == "caution"
    assert {r["id"] for r in record.reasons} == {"pregnant", "giving_way"}
    assert "Caution — see a professional first" in at.warning[0].value
    assert not offers_routine(at)  # not before the clearance
    assert routine_gate(db, dt.date.today()).status == "needs_clearance"

    save = at.button(key="scr_clearance_save")
    assert save.disabled
    at.checkbox(key="scr_clearance_confirmed").check().run()
    at.button(key="scr_clearance_save").click().run()
    assert not at.exception
    clearance = db.latest_clearance()
    assert clearance.screening_id == record.id
    assert sorted(clearance.reason_ids) == ["giving_way", "pregnant"]
    assert routine_gate(db, dt.date.today()).status == "ok"
    assert "cleared you for these reasons" in at.success[0].value
    assert offers_routine(at)


def test_stop_path_shows_urgent_advice_and_no_way_into_the_routine(app_test, db):
    at = take_screening(app_test(SCREENER), yes={"calf_dvt_signs", "chest_pain_now", "pregnant"})
    record = db.latest_screening()
    assert record.tier == "stop"
    errors = texts(at, "error")
    assert "Stop — get urgent care" in errors
    assert "Don't start the routine" in errors
    markdown = texts(at, "markdown")
    assert "Call emergency services now" in markdown  # calf signs with breathlessness
    assert "Also tell the doctor about" in markdown and "Pregnancy" in markdown
    assert not offers_routine(at)
    assert not any("routine" in b.label.lower() and "screening" not in b.label.lower() for b in at.button)
    assert routine_gate(db, dt.date.today()).status == "stop"


def _step(at: AppTest) -> str:
    return at.get("progress")[0].proto.text


def test_a_stop_answer_shows_the_urgent_callout_at_once_and_the_screening_can_still_be_finished(app_test, db):
    at = app_test(SCREENER)
    fill_step(at)
    at.button(key="scr_next").click().run()
    assert "Step 2 of 7" in _step(at)
    assert not at.error  # nothing urgent yet
    at.radio(key="scr_q_locked_knee").set_value("yes").run()
    assert not at.exception
    assert "Step 2 of 7" in _step(at)  # still on the step, before "Next"
    rule = load_screener().rule("locked_knee")
    callout = at.error[0].value
    assert "Don't start the routine" in callout
    assert rule.reason in callout and rule.advice in callout
    assert "emergency services" in callout
    assert db.latest_screening() is None  # the screening is recorded only at the end
    assert [b.label for b in at.button if b.key == "scr_next"] == ["Next"]  # they can go on

    at.radio(key="scr_q_locked_knee").set_value("no").run()  # a changed answer takes it away
    assert not at.error
    at.radio(key="scr_q_locked_knee").set_value("unsure").run()
    assert load_screener().unsure_note in at.error[0].value

    fill_step(at)
    at.button(key="scr_next").click().run()
    assert "Step 3 of 7" in _step(at)
    reminder = texts(at, "error")
    assert "don't start the routine" in reminder and rule.title in reminder and rule.advice in reminder
    for _ in range(5):
        fill_step(at)
        at.button(key="scr_next").click().run()
    assert not at.exception
    record = db.latest_screening()
    assert record.tier == "stop" and [r["id"] for r in record.reasons] == ["locked_knee"]
    assert routine_gate(db, dt.date.today()).status == "stop"


def test_calf_signs_with_breathlessness_callout_says_call_emergency_services(app_test, db):
    at = app_test(SCREENER)
    for _ in range(2):
        fill_step(at)
        at.button(key="scr_next").click().run()
    assert "Step 3 of 7" in _step(at)
    at.radio(key="scr_q_calf_dvt_signs").set_value("yes").run()
    assert "Get seen today" in at.error[0].value
    at.radio(key="scr_q_chest_pain_now").set_value("yes").run()
    callout = at.error[0].value
    assert "Call emergency services now" in callout and "blood clot" in callout
    assert db.latest_screening() is None


def test_an_injury_answer_makes_stop_with_the_age_given_earlier(app_test, db):
    at = app_test(SCREENER)
    fill_step(at, age=60)
    at.button(key="scr_next").click().run()
    at.radio(key="scr_q_recent_injury").set_value("yes").run()
    assert "Fresh injury with signs of a possible fracture" in at.error[0].value
    assert "55 or older" in at.error[0].value


def test_not_sure_is_recorded_as_yes_with_a_note(app_test, db):
    at = take_screening(app_test(SCREENER), unsure={"giving_way"})
    record = db.latest_screening()
    assert record.tier == "caution" and record.answers["giving_way"] is True
    assert "not sure" in record.reasons[0]["reason"]
    assert "not sure" in texts(at, "markdown")


def test_previous_screenings_are_listed_and_a_new_one_can_be_taken(app_test, db):
    at = take_screening(app_test(SCREENER), yes={"pregnant"})
    at.button(key="scr_again").click().run()
    assert at.number_input(key="scr_q_age").value is None  # a fresh form
    take_screening(at)
    assert [r.tier for r in db.list_screenings()] == ["ok", "caution"]
    # A plain HTML table (no grid or Arrow code to download): the header, then one row per screening.
    assert not at.table and not at.dataframe
    header, *results = next(t for t in html_tables(at) if t[0][0] == "Date")
    assert header == ["Date", "Result", "Reasons", "Taken with"]
    assert [row[1] for row in results] == ["OK", "Caution"]
    assert "Pregnancy" in results[1][2]


def test_cancel_returns_to_the_last_result(app_test, db):
    at = take_screening(app_test(SCREENER))
    at.button(key="scr_again").click().run()
    at.button(key="scr_cancel").click().run()
    assert "OK — start gently" in at.success[0].value
    assert len(db.list_screenings()) == 1


# ---- the 30 days ---------------------------------------------------------------------------------------


def _save(db, days_ago: int, **changes) -> int:
    answers = {q.id: False for q in load_screener().questions.values()
               if q.type == "bool" and q.parent is None and q.required}
    answers["age"] = 50
    answers.update(changes)
    result = assess(answers)
    return db.save_screening(
        result.tier, answers, result.reason_dicts(), taken_at=utcnow() - dt.timedelta(days=days_ago)
    )


def test_a_screening_older_than_30_days_asks_again(app_test, db):
    _save(db, days_ago=31)
    at = app_test(SCREENER)
    assert "more than 30 days old" in at.info[0].value
    assert at.number_input(key="scr_q_age").value is None  # straight into the form
    assert routine_gate(db, dt.date.today()).status == "expired"


def test_a_screening_of_30_days_still_counts(app_test, db):
    _save(db, days_ago=29)
    at = app_test(SCREENER)
    assert not at.info
    assert "OK — start gently" in at.success[0].value
    assert "valid until" in texts(at, "caption")


# ---- the routine gate UI -------------------------------------------------------------------------------


def _gate_script():
    import streamlit as st

    from ui.gate import render_routine_gate
    from ui.state import get_store, today

    gate = render_routine_gate(get_store(), today())
    st.write(f"ROUTINE STARTS ({gate.status})")


def gate_app() -> AppTest:
    at = AppTest.from_function(_gate_script, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def started(at: AppTest) -> bool:
    return any("ROUTINE STARTS" in m.value for m in at.markdown)


def test_gate_without_screening_asks_for_one(db_url):
    at = gate_app()
    assert not started(at)
    assert "Take the safety screening first" in at.info[0].value


def test_routine_page_without_screening_links_to_the_screener(app_test, db):
    at = app_test(ROUTINE)
    assert not at.exception
    assert "Take the safety screening first" in texts(at, "info")
    assert SCREENER_URL in page_links(at)


def test_gate_stop_blocks_with_urgent_advice(db):
    _save(db, days_ago=1, hot_red_swollen=True)
    at = gate_app()
    assert not started(at)
    assert "The routine is closed for now" in at.error[0].value
    assert "hot, red and swollen" in md_unescape(at.error[0].value)  # a reason from the database: plain text


def test_gate_clearance_confirmation_opens_the_routine(db):
    sid = _save(db, days_ago=0, diagnosed_arthritis=True)
    at = gate_app()
    assert not started(at)
    assert "Check with a professional first" in at.warning[0].value
    at.checkbox(key="gate_clearance_confirmed").check().run()
    at.button(key="gate_clearance_save").click().run()
    assert started(at)
    assert db.latest_clearance().screening_id == sid
    assert "Clearance saved" in at.success[0].value


def test_gate_a_new_reason_needs_a_new_clearance(db):
    sid = _save(db, days_ago=2, diagnosed_arthritis=True)
    db.save_clearance(sid, ["diagnosed_arthritis"])
    assert started(gate_app())
    _save(db, days_ago=0, diagnosed_arthritis=True, catching=True)
    at = gate_app()
    assert not started(at)
    assert at.checkbox(key="gate_clearance_confirmed") is not None


def test_gate_day_caution_warns_but_lets_the_routine_start(db):
    _save(db, days_ago=0)
    answers = {q: False for q in ("knee_hot_red_swollen", "knee_locked", "calf_painful_swollen",
                                  "new_swelling_or_redness", "less_movement", "pain_much_worse")}
    db.save_daily_check(dt.date.today(), {**answers, "fever": True}, "caution")
    at = gate_app()
    assert started(at)
    assert "Take it easy today" in at.warning[0].value


def test_routine_page_stays_closed_after_yesterdays_stop_check(app_test, db):
    _save(db, days_ago=3)
    yesterday = dt.date.today() - dt.timedelta(days=1)
    answers = {q: False for q in ("knee_hot_red_swollen", "calf_painful_swollen", "new_swelling_or_redness",
                                  "less_movement", "pain_much_worse", "fever")}
    db.save_daily_check(yesterday, {**answers, "knee_locked": True}, "stop",
                        checked_at=utcnow() - dt.timedelta(days=1))
    at = app_test(ROUTINE)
    assert not at.exception
    error = texts(at, "error")
    assert "Stop — get urgent care" in error and "new screening" in error
    assert f"{yesterday:%d %B %Y}" in error
    assert SCREENER_URL in page_links(at)
    _save(db, days_ago=0)  # a new screening re-opens it
    assert routine_gate(db, dt.date.today()).status == "ok"


def test_routine_page_follows_a_stop_screening(app_test, db):
    _save(db, days_ago=0, locked_knee=True)
    at = app_test(ROUTINE)
    assert not at.exception
    assert "The routine is closed for now" in texts(at, "error")


# ---- today's safety check on the Journal ---------------------------------------------------------------


def _daily_key(qid: str) -> str:
    return f"daily_check_{dt.date.today().isoformat()}_{qid}"


def test_daily_check_all_clear(app_test, db):
    at = app_test(JOURNAL)
    assert "Today's safety check — not done yet" in at.expander[0].label
    at.button(key="daily_check_save").click().run()
    assert not at.exception
    record = db.get_daily_check(dt.date.today())
    assert record.status == "ok" and set(record.answers.values()) == {False}
    assert "All clear today" in at.success[0].value
    assert "all clear" in at.expander[0].label


def test_daily_check_stop_is_shown_and_blocks_the_routine(app_test, db):
    _save(db, days_ago=0)
    at = app_test(JOURNAL)
    at.checkbox(key=_daily_key("calf_painful_swollen")).check()
    at.button(key="daily_check_save").click().run()
    assert db.get_daily_check(dt.date.today()).status == "stop"
    error = at.error[0].value
    assert "Stop — get urgent care today" in error and "emergency services" in error
    assert routine_gate(db, dt.date.today()).status == "day_stop"


def test_daily_check_blocked_then_entry_saves(app_test, db):
    at = app_test(JOURNAL)
    at.checkbox(key=_daily_key("less_movement")).check()
    at.button(key="daily_check_save").click().run()
    assert "No routine today" in at.error[0].value
    at.pills(key=f"worst_{dt.date.today().isoformat()}").set_value(3)
    at.button(key="save_entry").click().run()  # today's entry, saved after the check
    assert not at.exception
    assert db.get_entry(dt.date.today()) is not None
    assert db.get_daily_check(dt.date.today()).status == "blocked"


def test_daily_check_updates_an_existing_entry(app_test, db):
    db.save_entry(Entry(date=dt.date.today(), worst_pain=5))
    at = app_test(JOURNAL)
    at.checkbox(key=_daily_key("pain_much_worse")).check()
    at.button(key="daily_check_save").click().run()
    assert "Take it easy today" in at.warning[0].value
    assert db.get_daily_check(dt.date.today()).status == "caution"
    assert db.get_entry(dt.date.today()).worst_pain == 5
    # Changing the answers later replaces today's check.
    at.checkbox(key=_daily_key("pain_much_worse")).uncheck()
    at.button(key="daily_check_save").click().run()
    assert db.get_daily_check(dt.date.today()).status == "ok"
    assert db.get_entry(dt.date.today()).worst_pain == 5
