"""Calendar reminders (issue 15): the .ics parsed back, the public-address rule, and `hipknee reminders`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from hipknee import reminders as R
from hipknee.errors import ValidationError
from hipknee.programme import load_programme
from tests.test_cli import run

TODAY = dt.date(2026, 3, 24)  # a Tuesday, five days before Europe's clocks go forward
NOW = dt.datetime(2026, 3, 24, 9, 30, tzinfo=dt.UTC)


def parse(data: bytes) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(data)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    return calendar


def occurrences(event: icalendar.Event, count: int) -> list[dt.datetime]:
    """The first ``count`` starts of a repeating event, expanded by dateutil from what the file says."""
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.start)
    return list(rule[:count])


# ---- the .ics file ----------------------------------------------------------------------------------------


def test_journal_default_every_day_at_20_in_the_persons_zone_with_alarm_and_link():
    data = R.build_calendar([R.journal_reminder("http://192.168.1.20:8501")], "Europe/Berlin", TODAY, NOW)
    calendar = parse(data)
    [event] = calendar.events
    assert event.start == dt.datetime(2026, 3, 24, 20, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert b"DTSTART;TZID=Europe/Berlin:20260324T200000" in data
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Berlin"]
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    # Every day at 20:00 local, also after the change to summer time on 29 March (UTC offset +1 → +2).
    starts = occurrences(event, 8)
    assert [d.date() for d in starts] == [TODAY + dt.timedelta(days=i) for i in range(8)]
    assert {(d.hour, d.minute) for d in starts} == {(20, 0)}
    assert starts[0].utcoffset() == dt.timedelta(hours=1) and starts[-1].utcoffset() == dt.timedelta(hours=2)
    [alarm] = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY" and alarm.decoded("TRIGGER") == -dt.timedelta(minutes=10)
    assert event["URL"] == "http://192.168.1.20:8501/journal"
    assert "http://192.168.1.20:8501/journal" in event["DESCRIPTION"]
    assert event.decoded("DTSTAMP") == NOW.replace(microsecond=0)


def test_routine_on_the_programmes_strength_days_from_its_start():
    programme = load_programme()
    start = dt.date(2026, 3, 19)  # a Thursday: programme days 1, 3, 5 are Thu, Sat, Mon
    days = R.strength_weekdays(programme.strength_days, start)
    expected = sorted({(start + dt.timedelta(days=n - 1)).weekday() for n in programme.strength_days})
    assert list(days) == expected
    reminder = R.routine_reminder("https://clinic.example/hipknee", dt.time(7, 15), days)
    [event] = parse(R.build_calendar([reminder], "America/New_York", TODAY, NOW)).events
    assert event["RRULE"]["BYDAY"] == [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[d] for d in expected]
    starts = occurrences(event, 6)
    assert starts[0].date() >= TODAY and all(d.weekday() in expected for d in starts)
    assert {(d.hour, d.minute) for d in starts} == {(7, 15)}
    assert str(starts[0].tzinfo) == "America/New_York"
    assert event["URL"] == "https://clinic.example/hipknee/routine"


def test_strength_weekdays_count_from_the_start_day():
    assert R.strength_weekdays([1, 3, 5], dt.date(2026, 3, 2)) == (0, 2, 4)  # a Monday start: Mon, Wed, Fri
    assert R.strength_weekdays([1, 3, 5], dt.date(2026, 3, 3)) == (1, 3, 5)  # a Tuesday start: Tue, Thu, Sat


def test_first_event_is_the_first_chosen_day_on_or_after_today():
    reminder = R.journal_reminder("http://localhost:8501", dt.time(8, 0), R.parse_days("sat"))
    [event] = parse(R.build_calendar([reminder], "Asia/Kolkata", TODAY, NOW)).events
    assert event.start == dt.datetime(2026, 3, 28, 8, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def test_both_reminders_in_one_file_with_distinct_stable_uids():
    both = [R.journal_reminder("http://h:1"), R.routine_reminder("http://h:1", R.ROUTINE_TIME, (0, 2, 4))]
    first = parse(R.build_calendar(both, "Europe/London", TODAY, NOW))
    again = parse(R.build_calendar(both, "Europe/London", TODAY + dt.timedelta(days=3), NOW))
    uids = [str(e["UID"]) for e in first.events]
    assert len(set(uids)) == 2 and uids == [str(e["UID"]) for e in again.events]
    assert [e["URL"] for e in first.events] == ["http://h:1/journal", "http://h:1/routine"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("20:00", dt.time(20, 0)), ("7:05", dt.time(7, 5)), (" 00:00 ", dt.time(0, 0)), ("23:59", dt.time(23, 59))],
)
def test_parse_time_accepts_24_hour_clock(text, expected):
    assert R.parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "8pm", "20", "20:60", "", "20:00:00", "-1:00"])
def test_parse_time_refuses_with_a_clear_message(text):
    with pytest.raises(ValidationError, match="HH:MM on a 24-hour clock"):
        R.parse_time(text)


def test_parse_days():
    assert R.parse_days("mon,wed,fri") == (0, 2, 4)
    assert R.parse_days(" Fri , MONDAY,fri") == (0, 4)
    assert R.parse_days("daily") == R.EVERY_DAY
    assert R.days_text(R.parse_days("sun,tue")) == "tue,sun"
    with pytest.raises(ValidationError, match="'funday' is not a day"):
        R.parse_days("mon,funday")
    with pytest.raises(ValidationError, match="at least one day"):
        R.parse_days(" , ")


@pytest.mark.parametrize("zone", ["Mars/Base", "", "../etc/passwd", "localtime", "Europe"])
def test_unknown_time_zone_is_refused(zone):
    with pytest.raises(ValidationError, match="not a time zone"):
        R.build_calendar([R.journal_reminder("http://h")], zone, TODAY, NOW)


def test_machine_zone_name(tmp_path: Path):
    assert R.machine_zone_name({"TZ": ":Europe/Paris"}, tmp_path) == "Europe/Paris"
    (tmp_path / "timezone").write_text("Asia/Tokyo\n")
    assert R.machine_zone_name({}, tmp_path) == "Asia/Tokyo"
    (tmp_path / "localtime").symlink_to("/usr/share/zoneinfo/America/Chicago")
    assert R.machine_zone_name({"TZ": "Nowhere/Else"}, tmp_path) == "America/Chicago"
    assert R.machine_zone_name({}, tmp_path / "missing") is None


# ---- the public address -----------------------------------------------------------------------------------


def test_public_url_setting_wins_over_what_the_browser_shows():
    got = R.public_base_url("https://hipknee.clinic.example/app/", "http://127.0.0.1:8501/journal", {"Host": "x"})
    assert got == "https://hipknee.clinic.example/app"


def test_a_bad_public_url_setting_is_refused_by_name():
    with pytest.raises(ValidationError, match="HIPKNEE_PUBLIC_URL 'clinic.example' is not a web address"):
        R.public_base_url("clinic.example", "http://127.0.0.1:8501/journal")


@pytest.mark.parametrize(
    ("browser", "expected"),
    [
        ("http://192.168.1.20:8501/journal", "http://192.168.1.20:8501"),  # a phone on the same Wi-Fi
        ("https://hipknee.clinic.example/routine", "https://hipknee.clinic.example"),  # behind the proxy
        ("https://clinic.example/hipknee/journal/", "https://clinic.example/hipknee"),  # under a path
        ("http://localhost:8501", "http://localhost:8501"),  # Home has no page path
        ("http://127.0.0.1:8501/routine", "http://127.0.0.1:8501"),  # loopback only when it was opened
    ],
)
def test_the_browsers_address_minus_the_page(browser, expected):
    assert R.public_base_url(None, browser, {"Host": "127.0.0.1:8501"}) == expected
    assert R.public_base_url("", browser) == expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Host": "192.168.1.20:8501"}, "http://192.168.1.20:8501"),
        ({"host": "hipknee.example", "X-Forwarded-Proto": "https"}, "https://hipknee.example"),
        (
            {"Host": "127.0.0.1:8600", "X-Forwarded-Host": "a.example, b", "X-Forwarded-Proto": "https,http"},
            "https://a.example",
        ),
        ({"Host": "[::1]:8501"}, "http://[::1]:8501"),
        ({"Host": "evil.example/path"}, None),
        ({"Host": ""}, None),
        ({}, None),
    ],
)
def test_without_the_browsers_address_the_request_headers_decide(headers, expected):
    assert R.public_base_url(None, None, headers) == expected
    assert R.public_base_url(None, "about:blank", headers) == expected


@pytest.mark.parametrize("url", ["ftp://x", "http://", "x", "http://a b", "http://h?x=1", "http://h:port"])
def test_check_base_url_refuses(url):
    with pytest.raises(ValidationError, match="is not a web address"):
        R.check_base_url(url)


# ---- hipknee reminders ------------------------------------------------------------------------------------


@pytest.fixture
def no_public_url(monkeypatch):
    monkeypatch.delenv(R.PUBLIC_URL_ENV, raising=False)


def test_cli_defaults_every_day_at_20(tmp_path, capsys, no_public_url, monkeypatch):
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    out = tmp_path / "journal.ics"
    code, stdout, err = run(capsys, "reminders", "--out", str(out))
    assert code == 0, err
    [event] = parse(out.read_bytes()).events
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert (event.start.hour, event.start.minute) == (20, 0) and str(event.start.tzinfo) == "Pacific/Auckland"
    assert event.start.date() == dt.datetime.now(ZoneInfo("Pacific/Auckland")).date()
    assert event["URL"] == "http://localhost:8501/journal"
    assert stdout.count("\n") == 1 and "every day at 20:00 (Pacific/Auckland)" in stdout


def test_cli_options_and_public_url(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(R.PUBLIC_URL_ENV, "https://hipknee.clinic.example")
    out = tmp_path / "r.ics"
    code, _, err = run(
        capsys, "reminders", "--out", str(out), "--time", "7:30", "--days", "tue,sat", "--tz", "Asia/Tokyo"
    )
    assert code == 0, err
    [event] = parse(out.read_bytes()).events
    assert event["RRULE"]["BYDAY"] == ["TU", "SA"] and (event.start.hour, event.start.minute) == (7, 30)
    assert event["URL"] == "https://hipknee.clinic.example/journal"
    code, _, err = run(capsys, "reminders", "--out", str(out), "--tz", "UTC", "--url", "http://10.0.0.5:8501/journal")
    assert code == 0, err
    [event] = parse(out.read_bytes()).events
    assert event["URL"] == "http://10.0.0.5:8501/journal"  # --url wins; a page path in it is not doubled


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--time", "8pm"], "time '8pm' is not HH:MM"),
        (["--days", "mon,someday"], "'someday' is not a day"),
        (["--tz", "Mars/Olympus"], "'Mars/Olympus' is not a time zone"),
        (["--url", "hipknee.local"], "--url 'hipknee.local' is not a web address"),
    ],
)
def test_cli_refuses_bad_options_in_one_line_and_writes_nothing(tmp_path, capsys, no_public_url, args, message):
    out = tmp_path / "r.ics"
    code, stdout, err = run(capsys, "reminders", "--out", str(out), "--tz", "Europe/Rome", *args)
    assert code != 0 and stdout == ""
    assert err.count("\n") == 1 and err.startswith("hipknee reminders: error: ") and message in err
    assert not out.exists()


def test_cli_opens_no_database(tmp_path, capsys, no_public_url, monkeypatch):
    db = tmp_path / "never.db"
    monkeypatch.setenv("HIPKNEE_DATABASE_URL", f"sqlite:///{db}")
    code, _, err = run(capsys, "reminders", "--out", str(tmp_path / "r.ics"), "--tz", "UTC")
    assert code == 0, err
    assert not db.exists()


# ---- one page table -----------------------------------------------------------------------------------------


def test_reminder_links_and_the_navigation_share_one_page_table():
    # Issue 12: the reminders' page paths were a second copy of ui/pages.py's; both now read hipknee.page_table.
    import ast

    from hipknee import page_table
    from ui import pages

    assert pages.PAGES is page_table.PAGES and pages.JOURNAL is page_table.JOURNAL
    assert R.journal_reminder("http://h:1").link == f"http://h:1/{pages.JOURNAL.url_path}" == "http://h:1/journal"
    assert R.routine_reminder("http://h:1", R.ROUTINE_TIME, (0,)).link == f"http://h:1/{pages.ROUTINE.url_path}"
    # No page address typed by hand in the reminders' rules.
    source = ast.parse((Path(__file__).resolve().parent.parent / "hipknee" / "reminders.py").read_text())
    literals = {n.value for n in ast.walk(source) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert {spec.url_path for spec in page_table.PAGES} & literals == set()
