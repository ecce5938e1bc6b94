"""The Journal's next-morning question (issue 14): the day after a programme session, how the knee was that
morning compared with before the session. One tap answers it; once answered it is gone. Which session to
ask about is ``hipknee.programme.awaiting_next_morning``'s rule; the answer feeds the progression rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from hipknee.programme import NEXT_MORNING_DAYS, awaiting_next_morning
from hipknee.statuses import NextMorning
from ui.feedback import flash, reported, show_flash

SLOT = "next_morning"
KEY = "next_morning_"  # + the programme session's id
LABELS = {NextMorning.BETTER: "Better", NextMorning.SAME: "Same", NextMorning.WORSE: "Worse"}
THANKS = {
    NextMorning.BETTER: "Noted: your knee was better this morning.",
    NextMorning.SAME: "Noted: your knee was the same as before the session.",
    NextMorning.WORSE: (
        "Noted: your knee was worse this morning. Your plan will hold its levels for now; "
        "if it stays worse, ease off and check with a professional."
    ),
}


def _when(session_date: dt.date, today: dt.date) -> str:
    return "yesterday" if session_date == today - dt.timedelta(days=1) else f"on {session_date:%A}"


def render_next_morning(store: Any, today: dt.date) -> None:
    """Ask about the session ``awaiting_next_morning`` picks (nothing when there is none, or on sample data)."""
    show_flash(SLOT)
    if store.read_only:
        return
    recent = store.list_programme_sessions(today - dt.timedelta(days=NEXT_MORNING_DAYS), today)
    session = awaiting_next_morning(recent, today)
    if session is None:
        return
    key = f"{KEY}{session.id}"

    def answer() -> None:
        choice = st.session_state.get(key)
        if choice is None:
            return
        with reported("Your answer was not saved:", slot=SLOT) as saved:
            store.set_next_morning(session.id, str(choice))
        if saved.ok:
            flash(THANKS[NextMorning(choice)], slot=SLOT)

    with st.container(border=True, key="next_morning_box"):
        st.segmented_control(
            f"How was your knee this morning, compared with before your exercise session {_when(session.date, today)}?",
            options=list(LABELS),
            format_func=lambda value: LABELS[NextMorning(value)],
            key=key,
            on_change=answer,
            help="Your answer helps decide whether the exercises move up, stay or ease off next time.",
        )
