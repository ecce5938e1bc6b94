"""Streamlit glue for the Journal page's two tables: recent entries (select a row to open that day) and
routine sessions. The shaping lives in ``hipknee.journal_tables``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from hipknee.journal_tables import recent_entries, recent_sessions
from ui.pages import DATA, link


# Per-rerun work must not grow with the journal: what the page shows from the whole history (two short
# tables) is computed again only when this person's data changes (its fingerprint).
@st.cache_data(max_entries=32, ttl=3600, show_spinner=False)
def _tables(url: str, user: str, fingerprint: tuple, _store: Any) -> tuple[Any, Any]:
    entries, sessions = _store.entries_frame(), _store.sessions_frame()
    return (
        None if entries.empty else recent_entries(entries),
        None if sessions.empty else recent_sessions(sessions),
    )


def recent_tables(store: Any) -> tuple[Any, Any]:
    """(recent entries table or None, recent sessions table or None), cached on the data fingerprint."""
    return _tables(str(store.engine.url), store.user_id, store.data_fingerprint(), store)


def render_recent_entries(store: Any, open_day: Callable[[dt.date], None]) -> None:
    st.header("Recent entries")
    table = recent_tables(store)[0]
    if table is None:
        st.info(
            "No entries yet. Rate today's pain above and press **Save entry** — that's all it takes. "
            "To see how the app looks with a few months of data, use **Explore with sample data** on Home.",
            icon=":material/lightbulb:",
        )
        return
    dates = list(table["date"])

    def open_selected_row() -> None:
        rows = st.session_state["recent_table"].selection.rows
        if rows:
            open_day(dates[rows[0]])

    st.dataframe(
        table,
        hide_index=True,
        on_select=open_selected_row,
        selection_mode="single-row",
        key="recent_table",
        placeholder="—",
        column_config={
            # Narrow columns, so a 390 px phone shows the date, both pains and the routine without scrolling.
            "date": st.column_config.DateColumn("Date", format="D MMM YY", width="small"),
            "worst_pain": st.column_config.ProgressColumn(
                "Worst pain", min_value=0, max_value=10, format="%d", width="small"
            ),
            "activity_pain": st.column_config.NumberColumn("Activity", width="small", help="Pain during activity"),
            "did_routine": st.column_config.TextColumn("Routine", width="small", help="Routine done without the player"),
            "notes": st.column_config.TextColumn("Notes", width="large"),
        },
    )
    st.caption("Select a row to open that day above.")
    link(DATA, "Download, import or delete your data", ":material/folder_managed:")


def render_sessions(store: Any) -> None:
    st.header("Routine sessions")
    sessions = recent_tables(store)[1]
    if sessions is None:
        st.caption("Sessions you play on the Routine page appear here by themselves, finished or not.")
        return
    st.dataframe(
        sessions,
        hide_index=True,
        key="sessions_table",
        placeholder="—",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="ddd D MMM YYYY"),
            "Pain during": st.column_config.NumberColumn("Pain during", format="%d"),
        },
    )
