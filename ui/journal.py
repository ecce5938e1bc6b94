"""Streamlit glue for the Journal page's two tables: recent entries and routine sessions, as plain tables.
The shaping lives in ``hipknee.journal_tables``."""

from __future__ import annotations

from typing import Any

import streamlit as st

from hipknee.journal_tables import recent_entries, recent_sessions
from hipknee.plaintext import html_table
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


def _table(frame: Any) -> str:
    """A shaped table (hipknee.journal_tables) as a plain HTML table: notes are shown as typed."""
    return html_table(list(frame.columns), list(frame.itertuples(index=False, name=None)))


def render_recent_entries(store: Any) -> None:
    st.header("Recent entries")
    table = recent_tables(store)[0]
    if table is None:
        st.info(
            "No entries yet. Rate today's pain above and press **Save entry** — that's all it takes. "
            "To see how the app looks with a few months of data, use **Explore with sample data** on Home.",
            icon=":material/lightbulb:",
        )
        return
    # A plain table rather than the interactive grid: a screen reader reads it as a table, it reflows on a
    # phone, and the page does not download 1.3 MB of grid code for a fortnight of rows (issue 18).
    st.html(_table(table))
    st.caption(
        f"Your last {len(table)} {'entry' if len(table) == 1 else 'entries'}. To change or delete a day, choose its "
        "date at the top of this page. Trends shows your whole history."
    )
    link(DATA, "Download, import or delete your data", ":material/folder_managed:")


def render_sessions(store: Any) -> None:
    st.header("Routine sessions")
    sessions = recent_tables(store)[1]
    if sessions is None:
        st.caption("Sessions you play on the Routine page appear here by themselves, finished or not.")
        return
    st.html(_table(sessions))
