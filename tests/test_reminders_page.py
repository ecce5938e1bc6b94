"""The Journal's "Add reminders to my calendar" (issue 15) and the routine share link's address, in AppTest."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from hipknee import reminders as R
from hipknee.programme import load_programme
from tests.conftest import APP_PATH, APPTEST_TIMEOUT, PROJECT_DIR
from ui.reminders import OPEN_KEY

PHONE_URL = "http://192.168.1.20:8501/journal"  # a phone on the same Wi-Fi, as its browser shows the page


@pytest.fixture
def built(monkeypatch) -> list:
    """The calendar files the download button would serve: its deferred callable is kept and called here
    (AppTest has no browser to click it), through Streamlit's own MediaFileManager.add_deferred."""
    callables: list = []
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kwargs):
        callables.append(data_callable)
        return original(self, data_callable, *args, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return callables


@pytest.fixture(autouse=True)
def no_public_url(monkeypatch):
    monkeypatch.delenv(R.PUBLIC_URL_ENV, raising=False)


def open_page(page: str, *, url: str | None = PHONE_URL, zone: str | None = "America/Chicago", **state) -> AppTest:
    at = AppTest.from_file(str(APP_PATH), default_timeout=APPTEST_TIMEOUT)
    at.context = {k: v for k, v in {"url": url, "timezone": zone}.items() if v is not None}
    for key, value in {OPEN_KEY: True, **state}.items():  # the reminders section opened, unless told
        at.session_state[key] = value
    at.switch_page(str(PROJECT_DIR / page))
    return at.run()


def last_calendar(built: list) -> icalendar.Calendar:
    assert built, "the download button registered no file"
    return icalendar.Calendar.from_ical(built[-1]())


def test_journal_offers_the_daily_reminder_by_default(db_url, built):
    at = open_page("pages/journal.py")
    assert not at.exception
    assert "Add reminders to my calendar" in [e.label for e in at.expander]
    button = at.get("download_button")[0]
    assert button.proto.label == "Download calendar file (.ics)" and not button.proto.disabled
    [event] = last_calendar(built).events
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert (event.start.hour, event.start.minute) == (20, 0)
    assert str(event.start.tzinfo) == "America/Chicago"  # the browser's zone
    assert event["URL"] == "http://192.168.1.20:8501/journal"  # the address the phone opened, not 127.0.0.1
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=10)
    assert any("Chicago" in c.value and "192" in c.value for c in at.caption)


def test_the_reminders_are_built_only_once_opened(db_url, built):
    """Issue 18: closed, the section sends no widgets and registers no file."""
    at = open_page("pages/journal.py", **{OPEN_KEY: False})
    assert not at.exception
    assert "Add reminders to my calendar" in [e.label for e in at.expander]
    assert not at.get("download_button") and not at.get("time_input") and not built


def test_chosen_time_and_days_and_the_routine_on_strength_days(db_url, store, built):
    start = dt.date.today() - dt.timedelta(days=10)
    store.save_screening("ok", {}, [])
    store.start_programme(start)
    at = open_page("pages/journal.py", zone="Europe/Berlin")
    at.time_input(key="reminder_journal_time").set_value(dt.time(21, 30)).run()
    at.pills(key="reminder_journal_days").set_value([0, 3]).run()
    at.toggle(key="reminder_routine").set_value(True).run()
    assert not at.exception
    strength = R.strength_weekdays(load_programme().strength_days, start)
    assert at.pills(key="reminder_routine_days").value == list(strength)
    at.time_input(key="reminder_routine_time").set_value(dt.time(7, 0)).run()
    journal, routine = last_calendar(built).events
    assert journal["RRULE"]["BYDAY"] == ["MO", "TH"] and (journal.start.hour, journal.start.minute) == (21, 30)
    assert routine["RRULE"]["BYDAY"] == [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in strength]
    assert (routine.start.hour, routine.start.minute) == (7, 0) and str(routine.start.tzinfo) == "Europe/Berlin"
    assert routine["URL"] == "http://192.168.1.20:8501/routine"


@pytest.mark.parametrize("tier", [None, "stop", "caution"])
def test_no_exercise_reminder_unless_the_screening_lets_the_routine_start(db_url, store, built, tier):
    """Safety: a reminder to exercise is never offered after a "get care" or "see a professional first"
    answer, nor before any screening; the journal reminder still is."""
    if tier is not None:
        store.save_screening(tier, {}, [{"id": "x", "tier": tier, "reason": "r", "advice": "a"}])
    at = open_page("pages/journal.py")
    assert not at.exception
    assert "reminder_routine" not in [t.key for t in at.toggle]
    assert any("once the safety screening says you can start" in c.value for c in at.caption)
    assert [e["SUMMARY"] for e in last_calendar(built).events] == [R.journal_reminder(R.LOCAL_URL).summary]


def test_no_day_chosen_means_no_file_and_says_why(db_url, built):
    at = open_page("pages/journal.py")
    at.pills(key="reminder_journal_days").set_value([]).run()
    assert not at.exception
    assert at.get("download_button")[0].proto.disabled
    assert any("at least one day" in i.value for i in at.info)


def test_public_url_setting_is_used_for_the_links(db_url, built, monkeypatch):
    monkeypatch.setenv(R.PUBLIC_URL_ENV, "https://hipknee.clinic.example")
    at = open_page("pages/journal.py", url="http://127.0.0.1:8501/journal")
    assert not at.exception
    [event] = last_calendar(built).events
    assert event["URL"] == "https://hipknee.clinic.example/journal"


def test_a_malformed_public_url_is_reported_and_the_browsers_address_used(db_url, built, monkeypatch):
    monkeypatch.setenv(R.PUBLIC_URL_ENV, "clinic example")
    at = open_page("pages/journal.py")
    assert not at.exception
    assert any("PUBLIC" in w.value and "not a web address" in w.value for w in at.warning)
    [event] = last_calendar(built).events
    assert event["URL"] == "http://192.168.1.20:8501/journal"


def test_routine_share_link_uses_the_address_the_person_opened(db_url, store):
    store.save_screening("ok", {}, [])  # the routine opens after a screening
    at = open_page("pages/routine.py", url="http://192.168.1.20:8501/routine")
    assert not at.exception
    at.segmented_control[0].set_value("article").run()  # a routine of its own (Today's session has no link)
    links = [t.value for t in at.text if "?" in t.value]
    assert links and all(link.startswith("http://192.168.1.20:8501/routine?") for link in links)
