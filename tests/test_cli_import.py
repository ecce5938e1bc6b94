"""Issue 16 from the command line: --map/--scale/--date-order, every problem listed, export --excel, and
--tz for import and report (a UTC+14 person's today)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipknee.cli import main
from hipknee.journal import Entry

CASES = Path(__file__).parent / "cases" / "import"


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
    assert lines[1].strip() == "line 2, column worst_pain, value '21': must be from 0 to 10 (write a number from 0 to 10)"
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
    text = text.replace("2026-12-01", their_today.isoformat()).replace("2026-11-30", (their_today - dt.timedelta(days=1)).isoformat())
    f = tmp_path / "backup.csv"
    f.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, "import", f)
    assert code == 1 and f"{their_today.isoformat()} is in the future" in err and store.count_entries() == 0
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
    code, out, _ = run(capsys, "import", f, "--map", "date=full_date,time=time,worst_pain=mood,notes=note", "--scale", "1-5")
    assert code == 0 and "1 added" in out and "ignored columns: date, weekday, activities, note_title" in out
    assert store.list_entries() == [Entry(dt.date(2025, 10, 31), 8, None, False, "morning; evening")]
