"""The Journal page's tables, shaped from the store's frames (pure pandas, no Streamlit).

``recent_entries`` takes ``Store.entries_frame()`` (a datetime64 ``date`` column, Int64 pains, a bool
``did_routine``); ``recent_sessions`` takes ``Store.sessions_frame()``. Both return the newest rows first,
with plain dates, ready to show.
"""

from __future__ import annotations

import pandas as pd

from hipknee.journal import Entry
from hipknee.statuses import SessionStatus

RECENT_ENTRIES = 60  # rows shown in "Recent entries"
RECENT_SESSIONS = 30  # rows shown in "Routine sessions"
SESSION_STATUS_LABELS = {
    SessionStatus.COMPLETED: "completed",
    SessionStatus.STOPPED: "stopped for pain",
    SessionStatus.IN_PROGRESS: "not finished",
}


def recent_entries(frame: pd.DataFrame, limit: int = RECENT_ENTRIES) -> pd.DataFrame:
    """Columns date (datetime.date), worst_pain, activity_pain, did_routine ("yes" or ""), notes."""
    recent = frame.sort_values("date", ascending=False).head(limit).reset_index(drop=True)
    return recent.assign(
        date=recent["date"].dt.date,
        did_routine=recent["did_routine"].map({True: "yes", False: ""}),
    )[["date", "worst_pain", "activity_pain", "did_routine", "notes"]]


def recent_sessions(sessions: pd.DataFrame, limit: int = RECENT_SESSIONS) -> pd.DataFrame:
    """Columns Date, Result (in words), Steps ("3 of 12", or "—" when none were planned), Pain during."""
    recent = sessions.sort_values("started_at", ascending=False).head(limit)
    return pd.DataFrame(
        {
            "Date": recent["session_date"].dt.date,
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
