"""The diary file's vocabulary: its columns, date orders and pain scales (no parsing here).

Kept apart from ``hipknee.diary_import`` so the command line can describe its flags without importing the
parser (``hipknee --help`` stays fast; issue 18).
"""

from __future__ import annotations

HEADER = ["date", "worst_pain", "activity_pain", "did_routine", "notes"]
FIELDS = tuple(HEADER)
REQUIRED_FIELDS = ("date", "worst_pain")
# A mapping may also name the column that holds the time of day, when a file keeps it apart from the date
# (Daylio does): it puts a day's notes in time order and is not stored.
TIME_FIELD = "time"
MAP_FIELDS = (*FIELDS, TIME_FIELD)
DATE_ORDERS = ("dmy", "mdy")

# How another pain scale becomes 0-10; the result is rounded to a whole number, halves up.
SCALES: dict[str, tuple[int, int, str]] = {
    "0-10": (0, 10, "used as it is"),
    "1-5": (1, 5, "converted to 0-10 as (value - 1) x 2.5, rounded: 1->0, 2->3, 3->5, 4->8, 5->10"),
    "0-100": (0, 100, "converted to 0-10 as value / 10, rounded: 0->0, 25->3, 50->5, 100->10"),
}
