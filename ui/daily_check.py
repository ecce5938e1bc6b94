"""Streamlit glue for today's safety check: near the top of the Journal page (issue 4), and on the Routine
page before Start while it is not done yet (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from hipknee.daily_check import assess_daily, day_advice, load_daily_check
from hipknee.statuses import DayStatus
from ui.feedback import flash, reported, show_flash

STATUS_BOX = {
    DayStatus.STOP: (st.error, ":material/local_hospital:"),
    DayStatus.BLOCKED: (st.error, ":material/block:"),
    DayStatus.CAUTION: (st.warning, ":material/warning:"),
}
FLASH_SLOT = "daily_check"  # "saved, all clear" after the rerun


def render_daily_check(store: Any, today: dt.date) -> None:
    """A compact "Today's safety check": what today's answers mean, and the form to (re)take it."""
    content = load_daily_check()
    record = store.get_daily_check(today)

    if record is not None and record.status in STATUS_BOX:
        status = content.statuses[record.status]
        box, icon = STATUS_BOX[record.status]
        advice = [
            line for line in day_advice(record.status, record.answers, content)
            if line != status.summary  # said once is enough
        ]
        box(
            f"**Today's safety check: {status.title}**\n\n{status.summary}\n\n"
            + "\n".join(f"- {line}" for line in advice),
            icon=icon,
        )
    else:
        show_flash(FLASH_SLOT)

    label = (
        "Today's safety check — not done yet"
        if record is None else f"Today's safety check — {content.statuses[record.status].label.lower()}"
    )
    with st.expander(label, icon=":material/health_and_safety:", expanded=False):
        _check_form(store, today, record, content, key="daily_check")
        st.caption(
            "The Routine page follows today's answers, and today's journal entry keeps the result."
        )


def _check_form(store: Any, today: dt.date, record: Any, content: Any, *, key: str) -> None:
    """The questions and the save button; a saved check reruns the page (the gate follows it)."""
    st.caption("Tick anything that is true today, then save. Leave the rest empty. It takes a few seconds.")
    previous = record.answers if record is not None else {}
    answers = {}
    for q in content.questions.values():
        answers[q.id] = st.checkbox(
            q.text, value=bool(previous.get(q.id)), key=f"{key}_{today.isoformat()}_{q.id}", help=q.help,
        )
    if st.button(
        "Save today's check" if record is None else "Update today's check",
        key=f"{key}_save", icon=":material/save:",
    ):
        with reported("Not saved:") as saved:
            result = assess_daily(answers, content)
            store.save_daily_check(today, answers, result.status)
        if saved.ok:
            if result.status not in STATUS_BOX:  # a warning box says it all; an all-clear needs saying
                ok = content.statuses[DayStatus.OK]
                flash(f"**Today's safety check: {ok.title}.** {ok.summary}", slot=FLASH_SLOT)
            st.rerun()


def render_check_before_start(store: Any, today: dt.date) -> None:
    """On the Routine page, before Start (issue 17): today's safety check in the open while it is not done
    yet, else one line when all is clear (a caution or a block is the routine gate's to say, once)."""
    content = load_daily_check()
    record = store.get_daily_check(today)
    show_flash(FLASH_SLOT)
    if record is None:
        with st.container(border=True):
            st.markdown("**Today's safety check, before you start**")
            _check_form(store, today, None, content, key="routine_check")
    elif record.status == DayStatus.OK:
        st.caption(
            f":material/health_and_safety: Today's safety check: {content.statuses[DayStatus.OK].label.lower()}. "
            "You can change it on the Journal page."
        )
