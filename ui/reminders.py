"""Links that work where the person is, and "Add reminders to my calendar" (issue 15).

The rules (which address, which days, the .ics itself) are hipknee.reminders'; this wires them to
``st.context`` and the widgets. The calendar file is built only when the download button is pressed.
"""

from __future__ import annotations

import datetime as dt
import os

import streamlit as st

from hipknee import reminders as R
from hipknee.errors import HipkneeError
from hipknee.plaintext import md
from hipknee.programme import load_programme
from hipknee.statuses import ALLOWED_GATE_STATUSES
from hipknee.store import Store
from ui import pages
from ui.gate import current_gate

_PAGE_PATHS = tuple(p.url_path for p in pages.PAGES if p.url_path)
_DAY_LABELS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def public_base_url() -> str | None:
    """Where this person reaches the app: HIPKNEE_PUBLIC_URL, else the address in their browser, else their
    request's Host header (hipknee.reminders.public_base_url); None when nothing tells. A malformed
    HIPKNEE_PUBLIC_URL is reported on the page and the browser's address used instead."""
    headers = dict(st.context.headers.to_dict()) if st.context.headers else {}
    setting = os.environ.get(R.PUBLIC_URL_ENV)
    try:
        return R.public_base_url(setting, st.context.url, headers, _PAGE_PATHS)
    except HipkneeError as exc:
        st.warning(md(f"{exc}. Links use this page's address instead."), icon=":material/warning:")
        return R.public_base_url(None, st.context.url, headers, _PAGE_PATHS)


def page_url(spec: pages.PageSpec) -> str:
    """The full address of a page (``https://clinic.example/routine``), or ``/routine`` when unknown."""
    path = spec.url_path or ""
    base = public_base_url()
    return R.page_link(base, path) if base else f"/{path}"


def _zone() -> tuple[str, bool]:
    """(IANA zone, whether it is the browser's): the browser's, else the server's, else UTC."""
    name = st.context.timezone
    for candidate in (name, R.machine_zone_name()):
        try:
            return R.check_zone(candidate).key, candidate == name
        except HipkneeError:
            continue
    return "UTC", False


def _when(label: str, key: str, time: dt.time, days: tuple[int, ...]) -> tuple[dt.time, tuple[int, ...]]:
    """A time and a set of days for one reminder."""
    chosen_time = st.time_input(f"{label}: time", value=time, step=dt.timedelta(minutes=5), key=f"{key}_time")
    chosen = st.pills(
        f"{label}: days", list(range(7)), selection_mode="multi", default=list(days),
        format_func=lambda d: _DAY_LABELS[d], key=f"{key}_days",
    )
    return chosen_time, tuple(sorted(chosen))


OPEN_KEY = "journal_reminders"  # the expander's open state


def render_calendar_reminders(store: Store, today: dt.date) -> None:
    """The "Add reminders to my calendar" section: journal and routine reminders as one .ics download.

    Built only while it is open (``OPEN_KEY``): a first load of the Journal neither sends these widgets nor
    fetches their code (issue 18). Closing it puts the choices back to their defaults.
    """
    box = st.expander("Add reminders to my calendar", icon=":material/event:", key=OPEN_KEY, on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(
            "Your calendar app reminds you, 10 minutes before, with a link straight back here. "
            "Nothing is sent anywhere: you download a file and open it with your calendar."
        )
        zone, from_browser = _zone()
        want_journal = st.toggle("Remind me to fill in the journal", value=True, key="reminder_journal")
        journal_time, journal_days = R.JOURNAL_TIME, R.EVERY_DAY
        if want_journal:
            journal_time, journal_days = _when("Journal", "reminder_journal", R.JOURNAL_TIME, R.EVERY_DAY)
        start = store.programme_start()
        strength = R.strength_weekdays(load_programme().strength_days, start.start_date if start else today)
        # A reminder to exercise is an invitation to exercise: only while the screening lets the routine start
        # (never after a "see a professional" or "get care" answer, nor before any screening).
        may_exercise = current_gate(store, today).status in ALLOWED_GATE_STATUSES
        want_routine = may_exercise and st.toggle(
            "Remind me of my exercise sessions", value=False, key="reminder_routine",
            help="Preset to the programme's strengthening days"
            + ("." if start else ", counted from today (the programme has not started yet)."),
        )
        if not may_exercise:
            st.caption(
                "Reminders for exercise sessions are offered once the safety screening says you can start "
                "the routine."
            )
        routine_time, routine_days = R.ROUTINE_TIME, strength
        if want_routine:
            routine_time, routine_days = _when("Exercises", "reminder_routine", R.ROUTINE_TIME, strength)
        base = public_base_url() or R.LOCAL_URL
        chosen: list[R.Reminder] = []
        problems = []
        for wanted, days, make in (
            (want_journal, journal_days, lambda: R.journal_reminder(base, journal_time, journal_days)),
            (want_routine, routine_days, lambda: R.routine_reminder(base, routine_time, routine_days)),
        ):
            if wanted and not days:
                problems.append("Choose at least one day for each reminder.")
            elif wanted:
                chosen.append(make())
        where = "your browser's time zone" if from_browser else "the server's time zone (your browser did not say)"
        if chosen and not problems:
            st.caption(f"Times are in {where}, {md(zone)}. The links open {md(base)}.")
        for problem in sorted(set(problems)) or (["Turn on at least one reminder."] if not chosen else []):
            st.info(problem, icon=":material/info:")
        ready = bool(chosen) and not problems
        st.download_button(
            "Download calendar file (.ics)",
            data=(lambda: R.build_calendar(chosen, zone, today)) if ready else b"",
            file_name="hipknee-reminders.ics",
            mime="text/calendar",
            icon=":material/download:",
            disabled=not ready,
            on_click="ignore",
            key="reminder_download",
        )
