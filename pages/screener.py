"""Screener: the safety questions in short steps, the result card, and the screenings taken before.

The form's rules (which questions show, what is missing, where Next leads) live in hipknee.screener_form,
its session state and moves in ui/screener_form.py; the result card in ui/screening.py.
"""

from __future__ import annotations

import streamlit as st

from hipknee.gate import is_expired
from hipknee.screener_form import FormAnswer, ScreenerForm
from hipknee.screening import ScreeningInputError, load_screener, stop_findings
from hipknee.statuses import Tier
from ui.a11y import describe, focus_on
from ui.gate import bullets
from ui.router import ensure_routed
from ui.screener_form import (
    ANSWERS_KEY,
    FOCUS_RESULT_KEY,
    MISSING_KEY,
    MODE_KEY,
    SCROLL_KEY,
    SHOW_KEY,
    STEP_KEY,
    go_to,
    show_result,
    start_form,
    submit,
)
from ui.screening import question_widget, render_history, render_result, render_urgent
from ui.state import get_store, today

ensure_routed()

store = get_store()
TODAY = today()
screener = load_screener()
form = ScreenerForm(screener)
FIRST_ANSWER = (
    "[data-testid='stMain'] [role='radiogroup'] input, [data-testid='stMain'] [data-testid='stNumberInput'] input"
)


def render_form() -> None:
    answers: dict[str, FormAnswer] = st.session_state.setdefault(ANSWERS_KEY, {})
    index = form.clamp(st.session_state.setdefault(STEP_KEY, 0))
    step, total = form.steps[index], len(form.steps)
    st.progress((index + 1) / total, text=f"Step {index + 1} of {total}")
    with st.container(border=True):
        st.header(step.title, anchor=False)
        cited = form.cites_source(index)
        source = f" [See the original {screener.source_name}]({screener.source_url})." if cited else ""
        st.caption(step.intro + source)
        for qid, children in form.layout(index):
            question_widget(form, qid, answers)
            if children and form.visible(children[0], answers):
                with st.container(border=True):
                    st.markdown(f"**A little more about that:** {form.question(qid).short.lower()}")
                    for child in children:
                        question_widget(form, child, answers)

    data, unsure = form.for_assess(answers)
    try:
        urgent = stop_findings(data, unsure=unsure)
    except ScreeningInputError:
        urgent = ()  # the widgets only give valid answers; "See my result" reports anything else
    if urgent:
        render_urgent(urgent, set(step.question_ids))
    missing = [q for q in st.session_state.get(MISSING_KEY) or () if q in screener.questions]
    if missing:
        st.error(
            "Please answer every question on this step:\n\n"
            + bullets([form.question(q).short for q in missing]),
            icon=":material/priority_high:",
        )

    last = form.is_last(index)
    back_col, next_col = st.columns(2)
    if index > 0 and back_col.button("Back", icon=":material/arrow_back:", width="stretch", key="scr_back"):
        go_to(index - 1)
    if next_col.button(
        "See my result" if last else "Next", type="primary", width="stretch", key="scr_next",
        icon=":material/check:" if last else ":material/arrow_forward:",
    ):
        move = form.next_move(index, answers)
        if move.kind == "submit":
            submit(store, form, answers)
        else:
            go_to(move.step, move.missing)
    # The bar reads "Step n of 7" to a screen reader too, not a bare percentage.
    describe("[data-testid='stMain'] [data-testid='stProgress'] [role='progressbar']",
             "aria-valuetext", f"Step {index + 1} of {total}", nonce=index)
    if st.session_state.pop(SCROLL_KEY, False):
        # After Next/Back, keyboard focus moves to the new step's first question (it scrolls into view), not
        # left on a button that is now off screen.
        focus_on(FIRST_ANSWER, nonce=f"step {index}")


def expired_note(then: str) -> None:
    st.info(
        f"Your last screening, on {latest.taken_at:%d %B %Y}, is more than {screener.valid_days} days old{then}",
        icon=":material/event_repeat:",
    )


st.title("Screener")
st.markdown(
    f"A safety check before you exercise: yes/no questions in {len(form.steps)} short steps, about 3 minutes. "
    "It tells you whether to start gently, to see a professional first, or to get urgent care."
)
st.caption(
    f"The general-health questions are adapted from the [PAR-Q+]({screener.source_url}) "
    "(Physical Activity Readiness Questionnaire for Everyone); the knee questions follow common medical "
    f"warning-sign lists. A result lasts {screener.valid_days} days."
)

records = store.list_screenings()
latest = records[0] if records else None
latest_expired = latest is not None and is_expired(latest.taken_at, TODAY, screener)
if MODE_KEY not in st.session_state:
    st.session_state[MODE_KEY] = "result" if latest is not None and not latest_expired else "form"

if st.session_state[MODE_KEY] == "result" and latest is not None:
    shown = next((r for r in records if r.id == st.session_state.get(SHOW_KEY)), latest)
    if shown.id == latest.id and latest_expired:
        expired_note(". Please take it again before your next routine.")
    render_result(store, form, shown, TODAY)
    if (focus := st.session_state.pop(FOCUS_RESULT_KEY, None)) is not None:
        focus_on("[data-testid='stMain'] [data-testid='stAlert']", nonce=f"result {focus}")
    st.button(
        "I've been checked: take the screening again" if shown.tier == Tier.STOP else "Take the screening again",
        on_click=start_form, args=(form,), icon=":material/restart_alt:", key="scr_again",
    )
else:
    if latest_expired:
        expired_note(", and things can change. Please answer the questions again.")
    render_form()
    if latest is not None and not latest_expired:
        st.button(
            "Cancel and keep my last result", key="scr_cancel", type="tertiary",
            on_click=show_result, args=(latest.id,),
        )

if records:
    render_history(form, records)
