"""Streamlit glue for the Screener's form: where its answers, step and mode live in session state, and the
moves between steps (start again, go to a step, submit). The rules (which questions show, what is missing,
where Next leads) are ``hipknee.screener_form``'s; the result card is ui/screening.py's.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from hipknee.screener_form import FormAnswer, ScreenerForm
from hipknee.screening import ScreeningInputError, assess
from ui.feedback import reported
from ui.screening import WIDGET_PREFIX

ANSWERS_KEY = "scr_answers"  # question id -> "yes" | "no" | "unsure" | int (survives the step widgets)
STEP_KEY, MODE_KEY = "scr_step", "scr_mode"  # mode: "form" | "result"
SHOW_KEY = "scr_show"  # id of the screening whose result is shown
MISSING_KEY = "scr_missing"
SCROLL_KEY = "scr_scroll_top"  # set when the step changes: the next run focuses the new step's first question
FOCUS_RESULT_KEY = "scr_focus_result"  # set by See my result: the next run focuses the result


def start_form(form: ScreenerForm) -> None:
    """An empty form on its first step (also an on_click: "Take the screening again")."""
    st.session_state.update({MODE_KEY: "form", STEP_KEY: 0, ANSWERS_KEY: {}})
    st.session_state.pop(MISSING_KEY, None)
    for qid in form.screener.questions:
        st.session_state.pop(WIDGET_PREFIX + qid, None)


def show_result(screening_id: int) -> None:
    """Show the result of screening ``screening_id`` instead of the form (an on_click: "Cancel ...")."""
    st.session_state.update({MODE_KEY: "result", SHOW_KEY: screening_id})


def go_to(step_index: int, missing: tuple[str, ...] | list[str] = ()) -> None:
    """Show ``step_index`` (scrolled to its top when it is another step), listing ``missing`` answers."""
    scroll = step_index != st.session_state.get(STEP_KEY)
    st.session_state.update({STEP_KEY: step_index, SCROLL_KEY: scroll, MISSING_KEY: list(missing)})
    st.rerun()


def submit(store: Any, form: ScreenerForm, answers: dict[str, FormAnswer]) -> None:
    """Assess and save the answers, then show the result; back to the first step with a gap if any."""
    data, unsure = form.for_assess(answers)
    try:
        result = assess(data, unsure=unsure)
    except ScreeningInputError as exc:  # back to the first step with a gap
        go_to(form.first_step_with(exc.ids), [q for q in exc.ids if q in form.screener.questions])
    with reported("Your answers were not saved:") as saved:
        screening_id = store.save_screening(result.tier, data, result.reason_dicts(), source="app")
    if saved.ok:
        start_form(form)
        show_result(screening_id)
        st.session_state[FOCUS_RESULT_KEY] = screening_id
        st.rerun()
