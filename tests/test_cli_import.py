"""Issue 16 from the command line: --map/--scale/--date-order, every problem listed, export --excel, and
--tz for import and report (a UTC+14 person's today)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipknee.cli import main
from hipknee.journal import Entry
from hipknee.store import DATABASE_URL_ENV, Store

CASES = Path(__file__).parent / "cases" / "import"
PROJECT_DIR = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_spreadsheet_files_import_without_options(store, capsys):
    code, out, _ = run(capsys, "import", CASES / "03b_semicolon_iso.csv")
    assert code == 0 and "2 added" in out
    code, out, _ = run(capsys, "import", CASES / "09_extra_column.csv", "--on-conflict", "replace")
    assert code == 0 and "ignored columns: sleep_hours" in out


def test_other_columns_need_a_map_and_the_message_says_how(store, capsys):
    code, _, err = run(capsys, "import", CASES / "15_generic_sheet_diary.csv")
    assert code == 1 and err.count("\n") == 1
    assert "found Date, Pain (0-10), Exercises done?, Notes" in err and "--map date=When,worst_pain=Pain" in err
    assert store.count_entries() == 0
    code, out, _ = run(
        capsys, "import", CASES / "15_generic_sheet_diary.csv",
        "--map", "date=Date,worst_pain=Pain (0-10)", "--map", "did_routine=Exercises done?,notes=Notes",
    )
    assert code == 0 and "2 added" in out
    assert store.list_entries() == [
        Entry(dt.date(2026, 10, 31), 6, None, True, "stiff"), Entry(dt.date(2026, 11, 1), 5, None, False, ""),
    ]


def test_scale_is_converted_and_said(store, capsys, tmp_path):
    f = tmp_path / "moods.csv"
    f.write_text("When;Level;Note\n2025-03-01 08:00;2;a\n2025-03-01 21:00;4;b\n2025-03-02;5;\n")
    code, out, _ = run(capsys, "import", f, "--map", "date=When,worst_pain=Level,notes=Note", "--scale", "1-5")
    assert code == 0 and "2 added" in out and "1 days had several rows" in out and "(value - 1) x 2.5" in out
    assert [(e.worst_pain, e.notes) for e in store.list_entries()] == [(8, "a; b"), (10, "")]


def test_every_problem_is_listed_one_a_line(store, capsys, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("date,worst_pain\n" + "".join(f"2025-01-{d:02d},{20 + d}\n" for d in range(1, 31)))
    code, _, err = run(capsys, "import", f)
    assert code == 1 and store.count_entries() == 0
    lines = err.splitlines()
    assert "30 problems; nothing was imported" in lines[0]
    assert (
        lines[1].strip() == "line 2, column worst_pain, value '21': must be from 0 to 10 (write a number from 0 to 10)"
    )
    assert len(lines) == 1 + 20 + 1 and lines[-1].strip() == "...and 10 more"


def test_ambiguous_dates_say_how_to_choose(store, capsys, tmp_path):
    f = tmp_path / "dates.csv"
    f.write_text("date,worst_pain\n03/04/2025,3\n")
    code, _, err = run(capsys, "import", f)
    assert code == 1 and "'03/04/2025' could be 3 April 2025" in err and "--date-order dmy" in err
    code, _, _ = run(capsys, "import", f, "--date-order", "mdy")
    assert code == 0 and store.list_entries()[0].date == dt.date(2025, 3, 4)


def test_export_excel_has_bom_and_crlf_and_plain_stays_plain(store, capsys, tmp_path):
    store.add_entry(Entry(dt.date(2025, 3, 1), 4, 2, True, "apr\u00e8s"))
    code, out, _ = run(capsys, "export")
    assert out == "date,worst_pain,activity_pain,did_routine,notes\n2025-03-01,4,2,1,apr\u00e8s\n"
    target = tmp_path / "excel.csv"
    code, _, _ = run(capsys, "export", "--excel", "--out", target)
    data = target.read_bytes()
    assert code == 0 and data == b"\xef\xbb\xbf" + out.replace("\n", "\r\n").encode()
    code, out, _ = run(capsys, "import", target, "--on-conflict", "skip")
    assert code == 0 and "1 skipped" in out


@pytest.fixture
def machine_at_utc_minus_12(monkeypatch):
    """The machine's clock in UTC-12, so a UTC+14 person's today is always one or two days later."""
    monkeypatch.setenv("TZ", "Etc/GMT+12")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_tz_lets_a_utc_plus_14_person_import_and_report_their_today(store, capsys, tmp_path, machine_at_utc_minus_12):
    their_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert their_today > dt.date.today()
    text = (CASES / "23_backup_with_kiritimati_today.csv").read_text(encoding="utf-8")
    text = text.replace("2026-12-01", their_today.isoformat()).replace(
        "2026-11-30", (their_today - dt.timedelta(days=1)).isoformat()
    )
    f = tmp_path / "backup.csv"
    f.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", f)
    assert code == 1 and f"{their_today.isoformat()} is in the future" in err and store.count_entries() == 0
    assert f"{their_today.isoformat()} are already today east of this machine's time zone" in err or (
        f"{their_today.isoformat()} is already today east of this machine's time zone" in err
    )
    assert "add --tz with your time zone (e.g. --tz Pacific/Auckland)" in err
    code, out, _ = run(capsys, "import", f, "--tz", "Pacific/Kiritimati")
    assert code == 0 and "4 added" in out
    pdf = tmp_path / "r.pdf"
    code, out, _ = run(capsys, "report", "--out", pdf, "--from", their_today.isoformat(), "--tz", "Pacific/Kiritimati")
    assert code == 0 and f"1 entry from {their_today.isoformat()} to {their_today.isoformat()}" in out
    code, out, _ = run(capsys, "trends", "--tz", "Pacific/Kiritimati")
    assert code == 0 and out
    code, _, err = run(capsys, "import", f, "--tz", "Mars/Olympus")
    assert code == 1 and "not a time zone" in err


def test_an_undecided_date_order_is_said_with_every_other_problem(store, capsys, tmp_path):
    f = tmp_path / "dates.csv"
    f.write_text("date,worst_pain\n03/04/2025,x\n04/05/2025,4,5\n05/06/2025,3\n")
    code, _, err = run(capsys, "import", f)
    lines = err.splitlines()
    assert code == 1 and store.count_entries() == 0
    assert "'03/04/2025' could be 3 April 2025" in lines[0] and "--date-order dmy" in lines[0]
    assert lines[1].strip() == "and 2 more problems to fix:"
    assert lines[2].strip() == "line 2, column worst_pain, value 'x': is not a number (write a number from 0 to 10)"
    assert lines[3].strip().startswith("line 3, value '04/05/2025,4,5': expected 2 cells, found 3 (")


def test_rows_with_the_wrong_number_of_cells_are_listed_one_a_line(store, capsys, tmp_path):
    f = tmp_path / "short.csv"
    f.write_text("date,worst_pain,notes\n" + "".join(f"2025-01-{d:02d}\n" for d in range(1, 23)) + "2025-02-01,11,\n")
    code, _, err = run(capsys, "import", f)
    lines = err.splitlines()
    assert code == 1 and "23 problems; nothing was imported" in lines[0] and store.count_entries() == 0
    assert lines[1].strip().startswith("line 2, value '2025-01-01': expected 3 cells, found 1 (")
    assert len(lines) == 1 + 20 + 1 and lines[-1].strip() == "...and 3 more"


def test_map_takes_the_time_column_and_the_notes_are_joined_in_time_order(store, capsys, tmp_path):
    f = tmp_path / "daylio.csv"
    f.write_text(
        "full_date,date,weekday,time,mood,activities,note_title,note\n"
        "2025-10-31,October 31,Friday,20:39,4,,,evening\n"
        "2025-10-31,October 31,Friday,08:20,2,,,morning\n"
    )
    code, out, _ = run(
        capsys, "import", f, "--map", "date=full_date,time=time,worst_pain=mood,notes=note", "--scale", "1-5"
    )
    assert code == 0 and "1 added" in out and "ignored columns: date, weekday, activities, note_title" in out
    assert store.list_entries() == [Entry(dt.date(2025, 10, 31), 8, None, False, "morning; evening")]


# ---- the machine's time zone is the default; --tz changes what the commands do --------------------------


def cli_in_zone(tz: str, db: Path, *argv) -> subprocess.CompletedProcess:
    """``hipknee ARGV`` in a fresh process whose machine time zone is ``tz`` (the TZ variable)."""
    env = {**os.environ, "TZ": tz, DATABASE_URL_ENV: f"sqlite:///{db}", "PYTHONPATH": str(PROJECT_DIR)}
    return subprocess.run(
        [sys.executable, "-m", "hipknee", *map(str, argv)],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "machine, flags, day",
    [
        ("Europe/Berlin", [], "2025-11-01"),  # 23:30 UTC is 00:30 the next day in Berlin: the machine's zone
        ("UTC", [], "2025-10-31"),
        ("UTC", ["--tz", "Europe/Berlin"], "2025-11-01"),
        ("Europe/Berlin", ["--tz", "America/New_York"], "2025-10-31"),
        ("XYZ-3", [], "2025-11-01"),  # a POSIX rule, not a zone name: the C library's offset (UTC+3)
    ],
)
def test_timestamps_with_a_utc_offset_land_in_the_machines_zone_unless_tz(tmp_path, machine, flags, day):
    f = tmp_path / "stamps.csv"
    f.write_text("date,worst_pain\n2025-10-31T23:30:00Z,5\n")
    db = tmp_path / "j.db"
    done = cli_in_zone(machine, db, "import", f, *flags)
    assert done.returncode == 0, done.stderr
    assert cli_in_zone(machine, db, "export").stdout.splitlines()[1].startswith(f"{day},5,")


def test_report_without_tz_says_which_days_it_leaves_out(store, capsys, tmp_path, machine_at_utc_minus_12):
    their_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    store.add_entry(Entry(their_today - dt.timedelta(days=3), 4))
    store.add_entry(Entry(their_today, 6))
    pdf = tmp_path / "r.pdf"
    code, out, err = run(capsys, "report", "--out", pdf)
    assert code == 0 and "(1 entry to" in out
    assert f"left out: {their_today.isoformat()}; if it is already that day where you are, add --tz" in err
    code, out, err = run(capsys, "report", "--out", pdf, "--tz", "Pacific/Kiritimati")
    assert code == 0 and f"(2 entries to {their_today.isoformat()})" in out and err == ""
    code, _, err = run(capsys, "report", "--out", pdf, "--to", their_today.isoformat())
    assert code == 1 and "is in the future" in err and "add --tz with your time zone" in err
    far = (their_today + dt.timedelta(days=30)).isoformat()
    code, _, err = run(capsys, "report", "--out", pdf, "--to", far)
    assert code == 1 and "is in the future" in err and "--tz" not in err  # not a time zone matter


def test_import_of_a_far_future_date_does_not_blame_the_time_zone(store, capsys, tmp_path):
    f = tmp_path / "future.csv"
    f.write_text(f"date,worst_pain\n{(dt.date.today() + dt.timedelta(days=30)).isoformat()},3\n")
    code, _, err = run(capsys, "import", f)
    assert code == 1 and "is in the future" in err and "--tz" not in err


def test_trends_tz_changes_what_today_is(store, capsys, machine_at_utc_minus_12):
    their_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    machine_today = dt.date.today()
    for back in range(1, 10):
        store.add_entry(Entry(machine_today - dt.timedelta(days=back), 2))
    store.add_entry(Entry(their_today, 9))
    code, out, err = run(capsys, "trends", "--json")
    here = json.loads(out)["current"]
    assert code == 0 and here["end"] == machine_today.isoformat() and here["mean"] == 2
    assert "left out" in err and their_today.isoformat() in err
    code, out, err = run(capsys, "trends", "--json", "--tz", "Pacific/Kiritimati")
    there = json.loads(out)["current"]
    assert code == 0 and there["end"] == their_today.isoformat() and there["mean"] > 2 and err == ""


def test_restore_tz_takes_a_backup_whose_last_day_is_today_in_kiritimati(
    store, capsys, tmp_path, monkeypatch, machine_at_utc_minus_12
):
    their_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    store.add_entry(Entry(their_today - dt.timedelta(days=1), 4, notes="yesterday"))
    store.add_entry(Entry(their_today, 5, notes="their today"))
    backup = tmp_path / "backup.json"
    code, _, err = run(capsys, "backup", "--out", backup)
    assert code == 0, err
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'fresh.db'}")
    code, _, err = run(capsys, "restore", backup)
    assert code == 1 and "is in the future" in err and "nothing was restored" in err
    assert "already today further east: if it is that day where you are, add --tz with your time zone" in err
    code, out, err = run(capsys, "restore", backup, "--tz", "Pacific/Kiritimati")
    assert code == 0, err
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        assert [e.notes for e in fresh.list_entries()] == ["yesterday", "their today"]
    finally:
        fresh.engine.dispose()


def test_latest_today_is_the_date_at_utc_plus_14():
    from hipknee.journal import latest_today

    assert latest_today(dt.datetime(2026, 12, 1, 9, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 1)
    assert latest_today(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 2)
    assert latest_today(dt.datetime(2026, 12, 1, 23, 0, tzinfo=ZoneInfo("Etc/GMT+12"))) == dt.date(2026, 12, 3)


def test_restore_of_a_far_future_date_does_not_blame_the_time_zone(store, capsys, tmp_path, monkeypatch):
    store.add_entry(Entry(dt.date.today() + dt.timedelta(days=30), 4))
    backup = tmp_path / "backup.json"
    assert run(capsys, "backup", "--out", backup)[0] == 0
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{tmp_path / 'fresh.db'}")
    code, _, err = run(capsys, "restore", backup)
    assert code == 1 and "is in the future" in err and "--tz" not in err
