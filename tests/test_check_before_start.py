"""Issue 17: today's safety check is asked on the Routine page before Start (in the open, not in a collapsed
section); a day it blocks never also suggests "an easier version today"; the caution is said once."""

from __future__ import annotations

import datetime as dt

from hipknee.daily_check import advice_lines, assess_daily, day_advice, load_daily_check
from hipknee.gate import routine_gate
from hipknee.statuses import DayStatus
from tests.helpers import md_unescape
from tests.test_gate import TODAY, check, screen
from tests.test_routine_page import PAGE, no_errors, player_element, screened

CONTENT = load_daily_check()
CAUTION_IDS = [q.id for q in CONTENT.questions.values() if q.tier == DayStatus.CAUTION]
BLOCKED_IDS = [q.id for q in CONTENT.questions.values() if q.tier == DayStatus.BLOCKED]
STOP_IDS = [q.id for q in CONTENT.questions.values() if q.tier == DayStatus.STOP]


def test_advice_lines_leave_out_caution_advice_on_a_day_without_the_routine():
    pairs = [(DayStatus.CAUTION, "easier"), (DayStatus.BLOCKED, "rest"), (DayStatus.STOP, "urgent"),
             (DayStatus.BLOCKED, "rest")]
    assert advice_lines(DayStatus.BLOCKED, pairs) == ("urgent", "rest")
    assert advice_lines(DayStatus.STOP, pairs) == ("urgent", "rest")
    assert advice_lines(DayStatus.CAUTION, pairs[:1]) == ("easier",)


def test_a_blocked_check_with_pain_much_worse_does_not_suggest_an_easier_version():
    answers = {q: False for q in CONTENT.questions}
    answers.update({CAUTION_IDS[0]: True, BLOCKED_IDS[0]: True})
    result = assess_daily(answers)
    assert result.status == DayStatus.BLOCKED
    caution_advice = CONTENT.questions[CAUTION_IDS[0]].advice
    assert "easier version" in caution_advice  # the line that must not show on a blocked day
    assert caution_advice not in result.advice
    assert caution_advice not in day_advice(result.status, answers)


def test_the_gate_on_a_blocked_day_does_not_suggest_an_easier_version(store):
    screen(store)
    check(store, **{CAUTION_IDS[0]: True, BLOCKED_IDS[0]: True})
    gate = routine_gate(store, TODAY)
    assert gate.status == "day_blocked"
    assert not any("easier" in line for line in (gate.message, *gate.advice))
    assert CONTENT.questions[BLOCKED_IDS[0]].advice in gate.advice


def test_the_caution_from_todays_check_is_said_once(store):
    screen(store)
    check(store, **{CAUTION_IDS[0]: True})
    gate = routine_gate(store, TODAY)
    assert gate.status == "day_caution" and gate.allowed
    assert gate.message == CONTENT.questions[CAUTION_IDS[0]].advice and gate.advice == ()
    text = " ".join((gate.title, gate.message, *gate.advice))
    assert text.lower().count("easier version") == 1


def test_the_routine_page_asks_todays_check_before_start_in_the_open(app_test, store):
    screened(store)
    at = app_test(PAGE)
    no_errors(at)
    assert "**Today's safety check, before you start**" in [m.value for m in at.markdown]
    boxes = [c for c in at.checkbox if c.key.startswith(f"routine_check_{dt.date.today().isoformat()}_")]
    assert len(boxes) == len(CONTENT.questions)
    assert not any("Today's safety check" in e.label for e in at.expander)  # not collapsed away
    # Ticking a blocking answer closes the routine, with no "easier version" anywhere on the page.
    at.checkbox(key=f"routine_check_{dt.date.today().isoformat()}_{BLOCKED_IDS[0]}").check()
    at.checkbox(key=f"routine_check_{dt.date.today().isoformat()}_{CAUTION_IDS[0]}").check()
    at.button(key="routine_check_save").click().run()
    no_errors(at)
    assert store.get_daily_check(dt.date.today()).status == DayStatus.BLOCKED
    assert player_element(at) is None
    shown = md_unescape(" ".join([e.value for e in at.error] + [m.value for m in at.markdown]))
    assert "No routine today" in shown and "easier" not in shown


def test_an_all_clear_check_is_one_line_and_the_routine_plays(app_test, store):
    screened(store)
    at = app_test(PAGE)
    at.button(key="routine_check_save").click().run()  # nothing ticked: all clear
    no_errors(at)
    assert store.get_daily_check(dt.date.today()).status == DayStatus.OK
    assert not [c for c in at.checkbox if c.key.startswith("routine_check_")]
    assert any("Today's safety check: all clear" in md_unescape(c.value) for c in at.caption)
    at.segmented_control[0].set_value("article").run()
    assert player_element(at) is not None


def test_a_caution_check_shows_one_warning_and_lets_the_routine_start(app_test, store):
    screened(store)
    answers = {q: q == CAUTION_IDS[0] for q in CONTENT.questions}
    store.save_daily_check(dt.date.today(), answers, DayStatus.CAUTION)
    at = app_test(PAGE)
    no_errors(at)
    warnings = [md_unescape(w.value) for w in at.warning]
    assert sum(w.lower().count("easier version") for w in warnings) == 1
    at.segmented_control[0].set_value("article").run()
    assert player_element(at) is not None
