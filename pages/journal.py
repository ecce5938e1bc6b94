"""Journal: add today's pain in a few taps, edit or delete any day, see recent entries."""

import datetime as dt

import streamlit as st

from hipknee.journal import EARLIEST_DATE, NOTES_MAX_CHARS, PAIN_ANCHORS, Entry, make_entry
from hipknee.journal_tables import worst_pain_start
from ui.daily_check import render_daily_check
from ui.feedback import flash, reported, show_flash
from ui.journal import render_recent_entries, render_sessions
from ui.next_morning import render_next_morning
from ui.questionnaires import render_due_prompt
from ui.reminders import render_calendar_reminders
from ui.router import ensure_routed
from ui.state import get_store, today

ensure_routed()

store = get_store()
TODAY = today()
DATE_KEY = "journal_date"
UNDO_KEY = "journal_undo"

st.title("Journal")
st.caption("One entry per day. Pick a date to add it, or to change or delete what you wrote.")
render_next_morning(store, TODAY)  # the programme's next-morning question (issue 14), gone once answered
render_daily_check(store, TODAY)  # today's safety check (issue 4)
render_due_prompt(store, TODAY)  # one line when a questionnaire is due (issue 15)


def pick_date(date: dt.date) -> None:
    st.session_state[DATE_KEY] = date


FORM_GEN = "journal_form_gen"  # date -> how many times its form was reset (by a delete or an undo)


def reset_form(date: dt.date) -> None:
    """Show what is stored for ``date`` (after a delete: an empty new entry) rather than the values the form
    last had: its widgets get new keys. (Setting or dropping their state is not enough: the browser keeps a
    widget's last value unless the server sends one, and sending one warns about the widget's default.)"""
    gens = st.session_state.setdefault(FORM_GEN, {})
    gens[date] = gens.get(date, 0) + 1


def undo_delete() -> None:
    entry: Entry | None = st.session_state.pop(UNDO_KEY, None)
    if entry is None:
        return
    with reported("Could not undo:", slot="page") as restored:
        store.add_entry(entry)
    if restored.ok:
        reset_form(entry.date)
        flash(f"Restored the entry for {entry.date:%a %d %b %Y}.")
        pick_date(entry.date)


@st.dialog("Delete this entry?")
def confirm_delete(date: dt.date) -> None:
    st.write(f"The entry for **{date:%A %d %B %Y}** will be removed. You can undo this straight after.")
    cancel, delete = st.columns(2)
    if cancel.button("Cancel", width="stretch"):
        st.rerun()
    if delete.button("Delete", type="primary", width="stretch", key="confirm_delete"):
        with reported("Not deleted:", slot="page") as deleted:
            st.session_state[UNDO_KEY] = store.delete_entry(date)
        if deleted.ok:
            reset_form(date)  # the form must not keep showing what was just deleted
            flash(f"Deleted the entry for {date:%a %d %b %Y}.", "undo")
        st.rerun()


with st.container(key="journal_flash"):
    shown = show_flash(on_undo=undo_delete)  # saved, deleted (with Undo), restored, or why not
if shown is not None and shown.kind == "undo":
    # On a phone the Delete button was far below this message: bring Undo into view and give it focus.
    st.html(
        "<script>(() => { let tries = 0; const go = () => {"
        " const b = document.querySelector('.st-key-journal_flash button');"
        " if (b) { b.scrollIntoView({block: 'center'}); b.focus({preventScroll: true}); }"
        " else if (tries++ < 40) setTimeout(go, 50); }; go(); })();</script>",
        unsafe_allow_javascript=True,
    )

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
    gen = st.session_state.get(FORM_GEN, {}).get(date, 0)
    # Per-date keys: picking another day loads that day's values; a delete or undo starts the form afresh.
    suffix = date.isoformat() + (f"_{gen}" if gen else "")
    # No pre-set value, not even yesterday's: a thoughtless Save must not record a number (issue 17).
    worst = st.pills(
        "Worst knee pain today", list(range(11)), default=worst_pain_start(existing), key=f"worst_{suffix}",
        help="0 means no pain at all; 10 means the worst pain you can imagine.",
    )
    st.caption(
        f"**{worst}** — {PAIN_ANCHORS[worst]}" if worst is not None
        else "Choose a number: 0 is no pain at all, 10 the worst pain you can imagine."
    )
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
        if worst is None:
            st.error(
                "Choose your worst knee pain today (0 to 10) first. Nothing was saved.", icon=":material/error:"
            )
        else:
            with reported("Not saved:") as saved:
                entry = make_entry(date, worst, activity, did_routine, notes, today=TODAY)
                store.save_entry(entry)
            if saved.ok:
                flash(f"{'Updated' if existing else 'Saved'} the entry for {date:%a %d %b %Y}.")
                st.rerun()
    if existing and delete_col.button(
        "Delete entry", icon=":material/delete:", width="stretch", key="delete_entry", disabled=read_only,
    ):
        confirm_delete(date)

render_recent_entries(store)
render_sessions(store)
render_calendar_reminders(store, TODAY)  # .ics reminders for the journal and the routine (issue 15)
