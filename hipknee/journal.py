"""The daily journal entry and its rules.

One entry per person and date: worst pain today (0-10, required), pain during activity (0-10, optional),
whether the routine was done (manual adherence) and free-text notes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hipknee.errors import ValidationError, shorten, shown_value

EARLIEST_DATE = dt.date(2000, 1, 1)
NOTES_MAX_CHARS = 2000
PAIN_MIN, PAIN_MAX = 0, 10

# The 0-10 numeric rating scale with the anchors people are usually given.
PAIN_ANCHORS = {
    0: "no pain",
    1: "barely noticeable",
    2: "mild, easy to ignore",
    3: "mild, noticeable",
    4: "moderate, distracting",
    5: "moderate, hard to ignore",
    6: "moderate to severe, gets in the way of daily tasks",
    7: "severe, hard to concentrate",
    8: "severe, limits most activity",
    9: "very severe, can barely move or talk",
    10: "worst pain imaginable",
}


@dataclass(frozen=True)
class Entry:
    date: dt.date
    worst_pain: int
    activity_pain: int | None = None
    did_routine: bool = False
    notes: str = ""


def today_in(timezone: str | None) -> dt.date:
    """Today's date in the named IANA time zone (the browser's); the machine's own when unknown."""
    if timezone:
        try:
            return dt.datetime.now(ZoneInfo(timezone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.date.today()


EASTERNMOST_OFFSET = dt.timedelta(hours=14)  # UTC+14 (Kiritimati): the first place where a day begins


def latest_today(now: dt.datetime | None = None) -> dt.date:
    """The latest date that is today somewhere on Earth at ``now`` (default: this moment).

    A date after the machine's today but not after this one may be someone's today further east: a hint to
    give the time zone rather than a mistake in the date.
    """
    moment = now if now is not None else dt.datetime.now(dt.UTC)
    return moment.astimezone(dt.timezone(EASTERNMOST_OFFSET)).date()


@overload
def check_pain(value: object, field: str, *, required: Literal[True]) -> int: ...
@overload
def check_pain(value: object, field: str, *, required: bool) -> int | None: ...


def check_pain(value: object, field: str, *, required: bool) -> int | None:
    """An integer 0-10 (or None when optional and missing)."""
    if value is None:
        if required:
            raise ValidationError(f"{field} is required (a whole number from 0 to 10)", field)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number from 0 to 10, not {shown_value(value)}", field)
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise ValidationError(f"{field} must be from 0 to 10, not {shown_value(value)}", field)
    return value


_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(text: str, field: str = "date") -> dt.date:
    """A calendar date written YYYY-MM-DD (spaces around it ignored), or ValidationError naming ``field``.

    Only this one form: ``date.fromisoformat`` alone would also take ISO week dates (``2020-W01-1`` is
    2019-12-30), ordinal dates (``2020-001``) and compact ``20200101``, which people do not mean as dates.
    Range rules are ``check_date``'s.
    """
    stripped = text.strip()
    try:
        if not _CALENDAR_DATE.fullmatch(stripped):
            raise ValueError
        return dt.date.fromisoformat(stripped)
    except ValueError:
        raise ValidationError(
            f"{field} must be a date in YYYY-MM-DD form, like 2025-03-01, not '{shorten(text, 20)}'", field
        ) from None


def check_date(value: object, *, today: dt.date, field: str = "date") -> dt.date:
    """A date from EARLIEST_DATE (2000-01-01) to ``today``, or ValidationError naming ``field``."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(f"{field} must be a calendar date, not {shown_value(value)}", field)
    if value < EARLIEST_DATE:
        raise ValidationError(f"{field} {value.isoformat()} is before {EARLIEST_DATE.isoformat()}", field)
    if value > today:
        raise ValidationError(f"{field} {value.isoformat()} is in the future (today is {today.isoformat()})", field)
    return value


def check_notes(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError("notes must be text", "notes")
    if "\x00" in value:
        raise ValidationError("notes contain a NUL character", "notes")
    if len(value) > NOTES_MAX_CHARS:
        raise ValidationError(f"notes are {len(value):,} characters long; the limit is {NOTES_MAX_CHARS:,}", "notes")
    return value


def make_entry(
    date: object,
    worst_pain: object,
    activity_pain: object = None,
    did_routine: object = False,
    notes: object = "",
    *,
    today: dt.date,
) -> Entry:
    """Validate raw values and build an Entry, or raise ValidationError naming the field."""
    if not isinstance(did_routine, bool):
        raise ValidationError("did_routine must be yes or no", "did_routine")
    return Entry(
        date=check_date(date, today=today),
        worst_pain=check_pain(worst_pain, "worst_pain", required=True),
        activity_pain=check_pain(activity_pain, "activity_pain", required=False),
        did_routine=did_routine,
        notes=check_notes(notes),
    )
