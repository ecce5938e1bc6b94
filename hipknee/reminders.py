"""Calendar reminders the person controls (issue 15): an ``.ics`` file, and the app's public address.

``build_calendar`` turns one or more ``Reminder`` s into an iCalendar file (RFC 5545, written with the
``icalendar`` library) that any calendar app imports: per reminder one repeating event (``RRULE:FREQ=WEEKLY;
BYDAY=...``) at a wall-clock time in the person's own IANA time zone (``DTSTART;TZID=...`` with its
``VTIMEZONE``, so it stays at 20:00 across daylight-saving changes), a display alarm 10 minutes before, and
the link straight back to the page as ``URL`` and in the description (many calendars show only the latter).

Defaults (issue 15): the journal every day at 20:00; the routine on the programme's strength days, which
are places in the week counted from the programme's start (``strength_weekdays``).

``public_base_url`` decides the address links start with: ``HIPKNEE_PUBLIC_URL`` when set (a clinic's HTTPS
address), else the address the person's browser opened, else the ``Host`` / ``X-Forwarded-*`` headers of
their request; never a loopback address the person did not use.

Bad input raises ``ValidationError`` with a message fit to show as it is. No Streamlit here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from hipknee.errors import ValidationError, shorten
from hipknee.page_table import JOURNAL, ROUTINE, PageSpec

PUBLIC_URL_ENV = "HIPKNEE_PUBLIC_URL"
LOCAL_URL = "http://localhost:8501"  # what `make run` serves; used when nothing better is known


def _url_path(page: PageSpec) -> str:
    if page.url_path is None:
        raise ValueError(f"{page.file} has no URL path of its own")
    return page.url_path


JOURNAL_PATH, ROUTINE_PATH = _url_path(JOURNAL), _url_path(ROUTINE)  # from the page table

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY: tuple[int, ...] = tuple(range(7))

JOURNAL_TIME = dt.time(20, 0)  # issue 15: "default every day at 20:00 for the journal"
ROUTINE_TIME = dt.time(18, 0)  # an early-evening slot; the person picks their own
ALARM_BEFORE = dt.timedelta(minutes=10)  # issue 15: "a 10-minute alarm"
PRODID = "-//hipknee//reminders//EN"


@dataclass(frozen=True)
class Reminder:
    """One repeating event: ``weekdays`` are 0 (Monday) to 6, sorted and unique; ``link`` an absolute URL."""

    key: str  # "journal" or "routine": names the event's UID, so a new file updates the old event
    summary: str
    description: str
    link: str
    time: dt.time
    weekdays: tuple[int, ...]
    duration: dt.timedelta


# ---- checking what the person typed -----------------------------------------------------------------------


def parse_time(text: str) -> dt.time:
    """``HH:MM`` on a 24-hour clock (``7:30`` and ``07:30`` alike) → ``dt.time``; ValidationError otherwise."""
    match = re.fullmatch(r"\s*([01]?[0-9]|2[0-3]):([0-5][0-9])\s*", text or "")
    if not match:
        raise ValidationError(
            f"time '{shorten(text or '', 20)}' is not HH:MM on a 24-hour clock (e.g. 07:30 or 20:00)", "time"
        )
    return dt.time(int(match.group(1)), int(match.group(2)))


def parse_days(text: str) -> tuple[int, ...]:
    """Comma-separated days (``mon,wed,fri``; full names too, any case; ``daily`` for all seven) → weekday
    numbers 0 (Monday) to 6, sorted and unique. ValidationError for an unknown day or none at all."""
    words = [w.strip().lower() for w in (text or "").split(",") if w.strip()]
    if words == ["daily"]:
        return EVERY_DAY
    if not words:
        raise ValidationError("choose at least one day (mon, tue, wed, thu, fri, sat, sun)", "days")
    days = set()
    for word in words:
        if word in WEEKDAYS:
            days.add(WEEKDAYS.index(word))
        elif word in _FULL_NAMES:
            days.add(_FULL_NAMES.index(word))
        else:
            raise ValidationError(
                f"'{shorten(word, 20)}' is not a day; use mon, tue, wed, thu, fri, sat or sun, separated by commas",
                "days",
            )
    return tuple(sorted(days))


def check_weekdays(days: Iterable[int]) -> tuple[int, ...]:
    """Weekday numbers (0 = Monday) sorted and unique; ValidationError when empty or out of range."""
    chosen = sorted(set(days))
    if not chosen:
        raise ValidationError("choose at least one day for the reminder", "days")
    if any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in chosen):
        raise ValidationError(f"days must be weekday numbers 0 (Monday) to 6, not {chosen}", "days")
    return tuple(chosen)


def days_text(days: Iterable[int]) -> str:
    """``(0, 2, 4)`` → ``"mon,wed,fri"`` (the form ``parse_days`` reads)."""
    return ",".join(WEEKDAYS[d] for d in sorted(set(days)))


# Files in the zone database that are no place's zone (a calendar elsewhere would not know them).
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())  # reads the zone database's folders: once per process


def check_zone(name: str | None) -> ZoneInfo:
    """An IANA time zone name (``Europe/Berlin``) → ZoneInfo; ValidationError for anything else."""
    text = (name or "").strip()
    try:
        if text and text in _zones() and text not in _NOT_ZONES:
            return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise ValidationError(
        f"'{shorten(text, 40)}' is not a time zone; use an IANA name such as Europe/Berlin or America/New_York",
        "tz",
    )


def machine_zone_name(environ: Mapping[str, str] | None = None, etc: Path = Path("/etc")) -> str | None:
    """The IANA name of this machine's time zone (``TZ``, else where ``/etc/localtime`` points, else
    ``/etc/timezone``), or None when it cannot be told."""
    environ = os.environ if environ is None else environ
    candidates = [environ.get("TZ", "").lstrip(":")]
    localtime = etc / "localtime"
    if localtime.is_symlink():
        target = os.path.realpath(localtime)
        if "/zoneinfo/" in target:
            candidates.append(re.sub(r"^(posix|right)/", "", target.split("/zoneinfo/", 1)[1]))
    with contextlib.suppress(OSError):
        candidates.append((etc / "timezone").read_text(encoding="utf-8").strip())
    known = _zones()
    return next((name for name in candidates if name and name in known and name not in _NOT_ZONES), None)


def check_base_url(text: str, what: str = "the address") -> str:
    """An absolute ``http``/``https`` address (a path is kept, a query or fragment refused) without its
    trailing ``/``; ValidationError otherwise."""
    value = (text or "").strip()
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment
        _ = parts.port  # ValueError for a port that is not a number
    except ValueError:
        ok = False
    if not ok or re.search(r"\s", value):
        raise ValidationError(
            f"{what} '{shorten(value, 60)}' is not a web address; use one such as https://hipknee.example.org",
            "url",
        )
    return value.rstrip("/")


# ---- the address people reach the app on ------------------------------------------------------------------

_HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?$")


def public_base_url(
    public_url: str | None,
    browser_url: str | None,
    headers: Mapping[str, str] | None = None,
    page_paths: Iterable[str] = (JOURNAL_PATH, ROUTINE_PATH),
) -> str | None:
    """The address links should start with (``scheme://host[:port][/base]``, no trailing ``/``), or None.

    In order: ``public_url`` (``HIPKNEE_PUBLIC_URL``; ValidationError when it is set but not a web address);
    else ``browser_url``, the page address the person's browser shows (Streamlit's ``st.context.url``),
    with the page's own path (one of ``page_paths``), query and fragment removed; else the request's
    headers: ``X-Forwarded-Host`` or ``Host``, with ``X-Forwarded-Proto`` (default ``http``) — used only
    when the browser has not said, since a proxy may rewrite them (``Host: 127.0.0.1:8501``). None when
    none of these is usable: the caller decides (a relative link, or ``LOCAL_URL``).
    """
    if public_url and public_url.strip():
        return check_base_url(public_url, PUBLIC_URL_ENV)
    if browser_url:
        try:
            parts = urlsplit(browser_url.strip())
            usable = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            usable = False
        if usable:
            path = parts.path.rstrip("/")
            last = path.rsplit("/", 1)[-1]
            if last in set(page_paths):
                path = path[: -len(last)].rstrip("/")
            return f"{parts.scheme}://{parts.netloc}{path}"
    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    host = (lowered.get("x-forwarded-host") or lowered.get("host") or "").split(",")[0].strip()
    if not host or not _HOST.match(host):
        return None
    proto = (lowered.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    return f"{proto if proto in ('http', 'https') else 'http'}://{host}"


def page_link(base_url: str, page_path: str) -> str:
    """``base_url`` + ``/`` + the page's URL path, e.g. ``https://clinic.example/hipknee/journal``."""
    return f"{base_url.rstrip('/')}/{page_path}"


# ---- the two reminders ------------------------------------------------------------------------------------


def strength_weekdays(strength_days: Iterable[int], start: dt.date) -> tuple[int, ...]:
    """The weekdays (0 = Monday) of the programme's strength days: day ``n`` (1-7) of every programme week
    is ``start + n - 1`` (hipknee.programme counts weeks from the start day), so [1, 3, 5] from a Tuesday
    start are Tuesday, Thursday and Saturday."""
    return tuple(sorted({(start + dt.timedelta(days=n - 1)).weekday() for n in strength_days}))


def journal_reminder(base_url: str, time: dt.time = JOURNAL_TIME, days: Iterable[int] = EVERY_DAY) -> Reminder:
    """The daily journal reminder, linking to the Journal page."""
    link = page_link(check_base_url(base_url), JOURNAL_PATH)
    return Reminder(
        key=JOURNAL_PATH,
        summary="hipknee: how is your knee today?",
        description=f"A minute to note today's knee pain in your hipknee journal: {link}",
        link=link,
        time=time,
        weekdays=check_weekdays(days),
        duration=dt.timedelta(minutes=5),
    )


def routine_reminder(base_url: str, time: dt.time, days: Iterable[int]) -> Reminder:
    """The routine reminder (usually on the strength days), linking to the Routine page (today's session)."""
    link = page_link(check_base_url(base_url), ROUTINE_PATH)
    return Reminder(
        key=ROUTINE_PATH,
        summary="hipknee: today's exercise session",
        description="Time for today's hip and knee exercises (stop if the pain is sharp or getting worse). "
        f"Open your session: {link}",
        link=link,
        time=time,
        weekdays=check_weekdays(days),
        duration=dt.timedelta(minutes=30),
    )


def first_occurrence(today: dt.date, weekdays: Sequence[int]) -> dt.date:
    """The first day on or after ``today`` that falls on one of ``weekdays`` (so DTSTART is an occurrence,
    as RFC 5545 asks of a recurring event's start)."""
    return next(today + dt.timedelta(days=i) for i in range(7) if (today.weekday() + i) % 7 in weekdays)


def build_calendar(reminders: Sequence[Reminder], zone: str, today: dt.date, now: dt.datetime | None = None) -> bytes:
    """The ``.ics`` file (UTF-8 bytes, CRLF lines) holding one weekly-repeating event per reminder.

    ``zone`` is an IANA name (the browser's, or ``--tz``); events start on their first day on or after
    ``today`` (a date in that zone) at their time there. ``now`` (UTC, default the current time) stamps the
    file. A reminder's UID depends only on its kind and link, so importing a newer file updates the event
    in calendars that match on UID instead of adding a second one.
    """
    import icalendar  # here, not at the top: only building a file needs it (keeps `hipknee --help` quick)

    tz = check_zone(zone)
    if not reminders:
        raise ValidationError("choose at least one reminder", "reminders")
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name="hipknee reminders",
        uid=uuid.uuid5(uuid.NAMESPACE_URL, "|".join(r.link for r in reminders)),
    )
    for reminder in reminders:
        first = first_occurrence(today, reminder.weekdays)
        event = icalendar.Event.new(
            uid=f"{reminder.key}-{uuid.uuid5(uuid.NAMESPACE_URL, reminder.link)}@hipknee",
            summary=reminder.summary,
            description=reminder.description,
            url=reminder.link,
            start=dt.datetime.combine(first, reminder.time, tzinfo=tz),
            stamp=stamp,
            transparency=icalendar.TRANSP.TRANSPARENT,  # a reminder, not a meeting: not "busy"
        )
        event.duration = reminder.duration
        event.add("rrule", {"freq": "weekly", "byday": [_BYDAY[d] for d in reminder.weekdays]})
        event.add_component(icalendar.Alarm.new_display(description=reminder.summary, trigger=-ALARM_BEFORE))
        calendar.add_component(event)
    # The VTIMEZONE covers the zone's rules from just before the first event to ten years on.
    calendar.add_missing_timezones(
        first_date=today - dt.timedelta(days=7), last_date=today + dt.timedelta(days=365 * 10)
    )
    return calendar.to_ical()
