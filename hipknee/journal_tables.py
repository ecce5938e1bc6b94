"""The Journal page's tables, shaped from the store's frames (pure pandas, no Streamlit).

``recent_entries`` takes ``Store.entries_frame()`` (a datetime64 ``date`` column, Int64 pains, a bool
``did_routine``); ``recent_sessions`` takes ``Store.sessions_frame()``. Both return the newest rows first,
with their column titles and dates in words ("28 Nov 2026"), ready to show as a plain table.
"""

from __future__ import annotations

import pandas as pd

from hipknee.journal import Entry
from hipknee.statuses import SessionStatus

# Two weeks or so at a glance: the whole history is on Trends (calendar) and Your data (download).
RECENT_ENTRIES = 14  # rows shown in "Recent entries"
RECENT_SESSIONS = 10  # rows shown in "Routine sessions"
ENTRY_COLUMNS = ("Date", "Worst pain", "Activity", "Routine", "Notes")
SESSION_STATUS_LABELS = {
    SessionStatus.COMPLETED: "completed",
    SessionStatus.STOPPED: "stopped for pain",
    SessionStatus.IN_PROGRESS: "not finished",
}


def day_words(day: object) -> str:
    """A date as people read it in a table: "28 Nov 2026" (``datetime.date`` or pandas Timestamp).
    The clinician report writes its dates the same way."""
    return f"{day.day} {day:%b %Y}"  # type: ignore[attr-defined]


def recent_entries(frame: pd.DataFrame, limit: int = RECENT_ENTRIES) -> pd.DataFrame:
    """Columns ``ENTRY_COLUMNS``: the date in words, worst and activity pain (0-10, missing as NA), "yes"
    or "" for a routine done without the player, and the note as typed."""
    recent = frame.sort_values("date", ascending=False).head(limit).reset_index(drop=True)
    return pd.DataFrame(
        {
            "Date": [day_words(d) for d in recent["date"]],
            "Worst pain": recent["worst_pain"],
            "Activity": recent["activity_pain"],
            "Routine": recent["did_routine"].map({True: "yes", False: ""}),
            "Notes": recent["notes"],
        },
        columns=list(ENTRY_COLUMNS),
    )


def recent_sessions(sessions: pd.DataFrame, limit: int = RECENT_SESSIONS) -> pd.DataFrame:
    """The ``limit`` latest sessions by date, newest first (the last one started first within a day): columns
    Date (in words), Result (in words), Steps ("3 of 12", or "—" when none were planned), Pain during.

    By date, not by start time alone: sessions logged by hand (``hipknee session add``, the demo) start when
    they are written, whatever day they are for.
    """
    recent = sessions.sort_values(["session_date", "started_at"], ascending=False).head(limit)
    return pd.DataFrame(
        {
            "Date": [day_words(d) for d in recent["session_date"]],
            "Result": recent["status"].map(SESSION_STATUS_LABELS),
            "Steps": [
                f"{done} of {planned}" if planned else "—"
                for done, planned in zip(recent["steps_done"], recent["steps_planned"], strict=True)
            ],
            "Pain during": recent["pain_during"],
        }
    )


def worst_pain_start(existing: Entry | None) -> int | None:
    """Where the "worst pain" choice starts: the day's own entry, else unset (None). Never yesterday's
    value or 0: a Save without thinking must not record "no pain" or copy a number forward (issue 17)."""
    return existing.worst_pain if existing is not None else None
