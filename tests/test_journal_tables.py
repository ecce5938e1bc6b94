"""The Journal page's tables and slider start (hipknee.journal_tables), from a real store's frames."""

from __future__ import annotations

import datetime as dt

from hipknee.journal import Entry
from hipknee.journal_tables import SESSION_STATUS_LABELS, recent_entries, recent_sessions, worst_pain_start

DAY = dt.date(2026, 3, 2)


def test_recent_entries_newest_first_with_plain_dates_and_words(store):
    for offset, (worst, routine) in enumerate([(2, True), (5, False), (7, True)]):
        store.save_entry(Entry(DAY + dt.timedelta(days=offset), worst, did_routine=routine, notes=f"n{offset}"))
    table = recent_entries(store.entries_frame())
    assert list(table.columns) == ["Date", "Worst pain", "Activity", "Routine", "Notes"]
    assert list(table["Date"]) == ["4 Mar 2026", "3 Mar 2026", "2 Mar 2026"]
    assert list(table["Worst pain"]) == [7, 5, 2]
    assert list(table["Routine"]) == ["yes", "", "yes"]
    assert list(table["Notes"]) == ["n2", "n1", "n0"]
    assert len(recent_entries(store.entries_frame(), limit=2)) == 2


def test_recent_sessions_in_words(store):
    done = store.start_session(session_date=DAY, routine={}, steps_planned=12, seconds_planned=600)
    store.update_session(done, steps_done=12, status="completed", pain_during=3)
    store.start_session(session_date=DAY + dt.timedelta(days=1), routine={}, steps_planned=0, seconds_planned=0)
    table = recent_sessions(store.sessions_frame())
    assert list(table.columns) == ["Date", "Result", "Steps", "Pain during"]
    assert list(table["Date"]) == ["3 Mar 2026", "2 Mar 2026"]  # started last, shown first
    assert list(table["Result"]) == [SESSION_STATUS_LABELS["in_progress"], SESSION_STATUS_LABELS["completed"]]
    assert list(table["Steps"]) == ["—", "12 of 12"]
    assert table["Pain during"].iloc[1] == 3


def test_recent_sessions_are_the_latest_days_even_when_logged_later(store):
    # Logged by hand in one go, oldest day last: all start at the moment they are written.
    days = [DAY + dt.timedelta(days=n) for n in (5, 9, 1, 7, 3)]
    store.add_manual_sessions([{"session_date": d, "pain_during": n} for n, d in enumerate(days)])
    table = recent_sessions(store.sessions_frame(), limit=3)
    assert list(table["Date"]) == ["11 Mar 2026", "9 Mar 2026", "7 Mar 2026"]
    assert list(table["Pain during"]) == [1, 3, 0]


def test_worst_pain_starts_from_the_day_or_unset():
    assert worst_pain_start(Entry(DAY, 6)) == 6
    assert worst_pain_start(Entry(DAY, 0)) == 0
    assert worst_pain_start(None) is None  # not 0, and not yesterday's value either
