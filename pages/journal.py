"""Journal: add today's pain in a few taps, edit or delete any day, see recent entries."""

import datetime as dt

import pandas as pd
import streamlit as st

from hipknee.errors import HipkneeError
from hipknee.journal import EARLIEST_DATE, NOTES_MAX_CHARS, PAIN_ANCHORS, Entry, make_entry
from hipknee.plaintext import md
from ui.daily_check import render_daily_check
from ui.router import ensure_routed
from ui.state import get_store, today

ensure_routed()

store = get_store()
TODAY = today()
DATE_KEY = "journal_date"
UNDO_KEY = "journal_undo"
SESSION_STATUS_LABELS = {
    "completed": "completed",
    "stopped": "stopped for pain",
    "in_progress": "not finished",
}

st.title("Journal")
st.caption("One entry per day. Pick a date to add it, or to change or delete what you wrote.")
render_daily_check(store, TODAY)  # today's safety check (issue 4)


def pick_date(date: dt.date) -> None:
    st.session_state[DATE_KEY] = date


def undo_delete() -> None:
    entry: Entry | None = st.session_state.pop(UNDO_KEY, None)
    if entry is None:
        return
    try:
        store.add_entry(entry)
    except HipkneeError as exc:
        st.session_state["journal_flash"] = ("error", f"Could not undo: {md(exc)}")
    else:
        st.session_state["journal_flash"] = ("success", f"Restored the entry for {entry.date:%a %d %b %Y}.")
        pick_date(entry.date)


@st.dialog("Delete this entry?")
def confirm_delete(date: dt.date) -> None:
    st.write(f"The entry for **{date:%A %d %B %Y}** will be removed. You can undo this straight after.")
    cancel, delete = st.columns(2)
    if cancel.button("Cancel", width="stretch"):
        st.rerun()
    if delete.button("Delete", type="primary", width="stretch", key="confirm_delete"):
        try:
            st.session_state[UNDO_KEY] = store.delete_entry(date)
            st.session_state["journal_flash"] = ("deleted", f"Deleted the entry for {date:%a %d %b %Y}.")
        except HipkneeError as exc:
            st.session_state["journal_flash"] = ("error", md(exc))
        st.rerun()


flash = st.session_state.pop("journal_flash", None)
if flash:
    kind, message = flash
    if kind == "error":
        st.error(message, icon=":material/error:")
    elif kind == "deleted":
        with st.container(border=True):
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f":material/delete: {message}")
            right.button("Undo", on_click=undo_delete, icon=":material/undo:", width="stretch")
    else:
        st.success(message, icon=":material/check_circle:")

if DATE_KEY not in st.session_state or st.session_state[DATE_KEY] > TODAY:
    st.session_state[DATE_KEY] = TODAY

with st.container(border=True):
    date = st.date_input(
        "Date", key=DATE_KEY, min_value=EARLIEST_DATE, max_value=TODAY, format="YYYY-MM-DD",
    )
    existing = store.get_entry(date)
    st.markdown(
        f"**{'Editing' if existing else 'New entry for'} {date:%A %d %B}**"
        + (" (today)" if date == TODAY else "")
    )
    suffix = date.isoformat()  # per-date keys: picking another day loads that day's values
    last = store.list_entries(end=TODAY)[-1:] if existing is None else []
    worst_default = existing.worst_pain if existing else (last[0].worst_pain if last else 0)
    worst = st.slider(
        "Worst knee pain today", 0, 10, worst_default, key=f"worst_{suffix}",
        help="0 means no pain at all; 10 means the worst pain you can imagine.",
    )
    st.caption(f"**{worst}** — {PAIN_ANCHORS[worst]}")
    activity = st.pills(
        "Pain during activity or exercise (optional)",
        list(range(11)),
        default=existing.activity_pain if existing else None,
        key=f"activity_{suffix}",
        help="Your pain while active (walking, stairs, the routine). Leave empty if you did not notice.",
    )
    did_routine = st.toggle(
        "I did my routine today without the player",
        value=existing.did_routine if existing else False,
        key=f"routine_{suffix}",
        help="Sessions played in the Routine page are counted automatically.",
    )
    notes = st.text_area(
        "Notes (optional)", value=existing.notes if existing else "", max_chars=NOTES_MAX_CHARS,
        key=f"notes_{suffix}", placeholder="Anything that might explain a good or bad day.",
        height=90,
    )
    read_only = store.read_only
    if read_only:
        st.caption("This is sample data, so it cannot be changed. Go back to your own data to keep a journal.")
    save_col, delete_col = st.columns(2)
    if save_col.button(
        "Update entry" if existing else "Save entry", type="primary", width="stretch",
        icon=":material/save:", key="save_entry", disabled=read_only,
    ):
        try:
            entry = make_entry(
                date, worst, activity, did_routine, notes, today=TODAY,
                day_status=existing.day_status if existing else getattr(store.get_daily_check(date), "status", None),
            )
            store.save_entry(entry)
        except HipkneeError as exc:
            st.error(f"Not saved: {md(exc)}", icon=":material/error:")
        else:
            st.session_state["journal_flash"] = (
                "success", f"{'Updated' if existing else 'Saved'} the entry for {date:%a %d %b %Y}.",
            )
            st.rerun()
    if existing and delete_col.button(
        "Delete entry", icon=":material/delete:", width="stretch", key="delete_entry", disabled=read_only,
    ):
        confirm_delete(date)

st.subheader("Recent entries")
frame = store.entries_frame()
if frame.empty:
    st.info(
        "No entries yet. Rate today's pain above and press **Save entry** — that's all it takes. "
        "To see how the app looks with a few months of data, use **Explore with sample data** on Home.",
        icon=":material/lightbulb:",
    )
else:
    recent = frame.sort_values("date", ascending=False).head(60).reset_index(drop=True)
    table = recent.assign(
        date=recent["date"].dt.date,
        did_routine=recent["did_routine"].map({True: "yes", False: ""}),
    )[["date", "worst_pain", "activity_pain", "did_routine", "notes"]]
    dates = list(table["date"])

    def open_selected_row() -> None:
        rows = st.session_state["recent_table"].selection.rows
        if rows:
            pick_date(dates[rows[0]])

    st.dataframe(
        table,
        hide_index=True,
        on_select=open_selected_row,
        selection_mode="single-row",
        key="recent_table",
        placeholder="—",
        column_config={
            "date": st.column_config.DateColumn("Date", format="ddd D MMM YYYY"),
            "worst_pain": st.column_config.ProgressColumn(
                "Worst pain", min_value=0, max_value=10, format="%d"
            ),
            "activity_pain": st.column_config.NumberColumn("During activity"),
            "did_routine": st.column_config.TextColumn("Routine (manual)"),
            "notes": st.column_config.TextColumn("Notes", width="large"),
        },
    )
    st.caption("Select a row to open that day above.")

    st.page_link("pages/data.py", label="Download, import or delete your data", icon=":material/folder_managed:")

st.subheader("Routine sessions")
sessions = store.sessions_frame()
if sessions.empty:
    st.caption(
        "Sessions you play on the Routine page appear here by themselves, finished or not."
    )
else:
    recent_sessions = sessions.sort_values("started_at", ascending=False).head(30)
    st.dataframe(
        pd.DataFrame(
            {
                "Date": recent_sessions["session_date"].dt.date,
                "Result": recent_sessions["status"].map(SESSION_STATUS_LABELS),
                "Steps": [
                    f"{done} of {planned}" if planned else "—"
                    for done, planned in zip(
                        recent_sessions["steps_done"], recent_sessions["steps_planned"]
                    )
                ],
                "Pain during": recent_sessions["pain_during"],
            }
        ),
        hide_index=True,
        key="sessions_table",
        placeholder="—",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="ddd D MMM YYYY"),
            "Pain during": st.column_config.NumberColumn("Pain during", format="%d"),
        },
    )
