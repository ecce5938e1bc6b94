"""Issue 11 part 4: no tracebacks, nothing silently wrong.

Each bad input gives one clear line (CLI, non-zero exit) or a clear error, changes nothing, and never
repeats a long input in full.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipknee import cli, demo
from hipknee.cli import main
from hipknee.csvio import HEADER, CsvError, export_csv, import_csv, parse_csv, quote_field
from hipknee.errors import SHOWN_MAX_CHARS, ValidationError, shorten, shown_value
from hipknee.journal import NOTES_MAX_CHARS, Entry, parse_date
from hipknee.store import Store

CASES = Path("/work/shared/cases/import")
HEADER_LINE = ",".join(HEADER) + "\n"
TODAY = dt.date(2026, 11, 30)
HUGE = "1" * 5000  # past int()'s 4,300-digit limit
LONG = "9" * 4000  # under it, but far too long to repeat


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_clear_line(err: str, command: str) -> None:
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith(f"hipknee {command}: error: "), err
    assert_short(err)


def assert_short(message: str) -> None:
    """No run of one repeated character (our long inputs) is echoed longer than the limit allows."""
    longest = max((len(m.group(0)) for m in re.finditer(r"(.)\1*", message)), default=0)
    assert longest <= SHOWN_MAX_CHARS, message[:300]


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(cli, "_today", lambda: TODAY)


@pytest.fixture
def one_entry(store):
    store.add_entry(Entry(dt.date(2026, 1, 1), 5, notes="kept"))
    return store


# ---- numbers of thousands of digits --------------------------------------------------------------


@pytest.mark.parametrize("column", ["worst_pain", "activity_pain"])
@pytest.mark.parametrize("number", [HUGE, LONG, "-" + HUGE, "0" * 5000 + "11", "3" + "0" * 4400])
def test_a_huge_number_in_the_csv_is_refused_in_one_short_line(one_entry, fixed_today, capsys, tmp_path,
                                                                column, number):
    cells = {"worst_pain": "4", "activity_pain": ""} | {column: number}
    f = tmp_path / "huge.csv"
    f.write_text(HEADER_LINE + f"2026-02-01,{cells['worst_pain']},{cells['activity_pain']},0,\n")
    before = export_csv(one_entry.list_entries())
    with pytest.raises(CsvError) as caught:
        import_csv(one_entry, f.read_bytes(), today=TODAY)
    assert caught.value.line == 2 and caught.value.column == column
    assert_short(str(caught.value))
    code, _, err = run(capsys, "import", str(f))
    assert code == cli.EXIT_FAILURE
    assert_one_clear_line(err, "import")
    assert f"column {column}" in err and "nothing was imported" in err
    assert export_csv(one_entry.list_entries()) == before


def test_leading_zeros_still_read_as_the_number(store):
    data = (HEADER_LINE + f"2026-02-01,{'0' * 5000}7,-0,1,\n").encode()
    [row] = parse_csv(data, today=TODAY)
    assert (row.entry.worst_pain, row.entry.activity_pain) == (7, 0)


def _screen_answers(**changes: object) -> dict:
    from hipknee.screening import load_screener

    answers: dict[str, object] = {
        qid: False for qid, q in load_screener().questions.items() if q.type == "bool" and q.parent is None
    }
    answers["age"] = 40
    answers.update(changes)
    return answers


@pytest.mark.parametrize(
    "content, expected",
    [
        ('{"age": ' + HUGE + '}', "5,000 digits"),
        ('{"age": -' + HUGE + '}', "5,000 digits"),
        ('{"age": ' + LONG + '}', "4,000 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
        ('{"age": [' + "[" * 50_000 + "]" * 50_000 + "]}", "nested too deeply"),
    ],
)
def test_screen_refuses_huge_numbers_and_deep_json_in_one_line(db_url, capsys, tmp_path, content, expected):
    f = tmp_path / "answers.json"
    f.write_text(content)
    code, out, err = run(capsys, "screen", str(f))
    assert code == cli.EXIT_FAILURE and out == ""
    assert_one_clear_line(err, "screen")
    assert expected in err and "nothing was recorded" in err
    assert Store.open(db_url).list_screenings() == []


def test_screen_still_takes_a_real_age(db_url, capsys, tmp_path):
    f = tmp_path / "answers.json"
    f.write_text(json.dumps(_screen_answers(age=120)))
    code, out, _ = run(capsys, "screen", str(f))
    assert code == 0 and out.startswith("tier: ")


@pytest.mark.parametrize("age", [HUGE + ".5", "-" + HUGE + ".25", "1e999"])
def test_screen_says_a_huge_decimal_age_is_not_sensible(db_url, capsys, tmp_path, age):
    f = tmp_path / "answers.json"
    f.write_text(json.dumps(_screen_answers(age=0)).replace('"age": 0', f'"age": {age}'))
    code, out, err = run(capsys, "screen", str(f))
    assert code == cli.EXIT_FAILURE and out == ""
    assert_one_clear_line(err, "screen")
    assert "a number that large is not a sensible age" in err and "inf" not in err
    assert Store.open(db_url).list_screenings() == []


@pytest.mark.parametrize("argv", [["screen", "{ANSWERS}"], ["export"], ["trends"]])
def test_output_to_a_reader_that_went_away_ends_quietly(db_url, tmp_path, argv):
    """`hipknee screen A.json | head -1`: once the reader has gone, no BrokenPipeError traceback."""
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(_screen_answers()))
    read_end, write_end = os.pipe()
    os.close(read_end)  # gone before anything is written, as `head -1` is once it has its line
    try:
        result = subprocess.run(
            [sys.executable, "-m", "hipknee", *(str(answers) if a == "{ANSWERS}" else a for a in argv)],
            stdout=write_end, stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parent.parent, timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.stderr == b"" and result.returncode == cli.EXIT_BROKEN_PIPE


def test_screen_never_echoes_a_long_answer_or_id(db_url, capsys, tmp_path):
    f = tmp_path / "answers.json"
    f.write_text(json.dumps(_screen_answers(**{"k" * 500: True, "age": "v" * 500, "pregnant": [1] * 500})))
    code, _, err = run(capsys, "screen", str(f))
    assert code == cli.EXIT_FAILURE
    assert_one_clear_line(err, "screen")
    assert "unknown question id" in err and "age (expected" in err and "500 characters" in err


# ---- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "0001-01-01"], "--from 0001-01-01 is before 2000-01-01"),
        (["--from", "1999-12-31"], "--from 1999-12-31 is before 2000-01-01"),
        (["--from", "1999-12-31", "--to", "1999-12-31"], "--from 1999-12-31 is before 2000-01-01"),
        (["--to", "0001-01-01"], "--to 0001-01-01 is before 2000-01-01"),
        (["--from", "9999-12-31"], "--from 9999-12-31 is in the future (today is 2026-11-30)"),
        (["--from", "2020-W01-1"], "--from must be a date in YYYY-MM-DD form, like 2025-03-01, not '2020-W01-1'"),
        (["--to", "20200101"], "--to must be a date in YYYY-MM-DD form, like 2025-03-01, not '20200101'"),
    ],
)
def test_report_date_flags_follow_the_journal_rules(one_entry, fixed_today, capsys, tmp_path, args, message):
    out = tmp_path / "r.pdf"
    code, _, err = run(capsys, "report", "--out", str(out), *args)
    assert code == cli.EXIT_FAILURE
    assert err == f"hipknee report: error: {message}\n"
    assert not out.exists()


def test_report_from_the_first_allowed_day_works(one_entry, fixed_today, capsys, tmp_path):
    out = tmp_path / "r.pdf"
    code, stdout, _ = run(capsys, "report", "--out", str(out), "--from", "2000-01-01")
    assert code == 0 and out.read_bytes().startswith(b"%PDF") and "from 2000-01-01" in stdout


NOT_CALENDAR_DATES = [
    # (A time after a calendar date, "2020-01-01T00:00", is taken since issue 16: other diaries log times.)
    "2020-W01-1", "2020W011", "2020-W01", "2020-001", "2020001", "20200101",
    "2020-1-1", "2020-01-1", "+2020-01-01", "٢٠٢٠-٠١-٠١", "２０２０-01-01", "2020-01-01Z", "2020/01/01",
]


@pytest.mark.parametrize("text", NOT_CALENDAR_DATES)
def test_csv_takes_only_calendar_dates(one_entry, text):
    data = (HEADER_LINE + f"{text},3,,0,\n").encode()
    before = export_csv(one_entry.list_entries())
    with pytest.raises(CsvError) as caught:
        import_csv(one_entry, data, today=TODAY)
    assert (caught.value.line, caught.value.column) == (2, "date")
    assert "YYYY-MM-DD" in str(caught.value)
    assert export_csv(one_entry.list_entries()) == before


@pytest.mark.parametrize("text", NOT_CALENDAR_DATES)
def test_parse_date_refuses_other_iso_forms(text):
    with pytest.raises(ValidationError) as caught:
        parse_date(text, "--from")
    assert caught.value.field == "--from"


def test_parse_date_takes_calendar_dates_with_spaces_around():
    assert parse_date(" 2020-02-29 ") == dt.date(2020, 2, 29)
    with pytest.raises(ValidationError):
        parse_date("2021-02-29")


def test_demo_never_reaches_before_2000(store, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(cli, "_today", lambda: dt.date(2000, 1, 10))
    code, _, err = run(capsys, "demo", "--days", "11")
    assert code == cli.EXIT_FAILURE
    assert_one_clear_line(err, "demo")
    assert "--days must be from 1 to 10" in err
    assert store.count_entries() == 0 and store.sessions_frame().empty
    code, _, _ = run(capsys, "demo", "--days", "10", "--seed", "4")
    assert code == 0
    entries = store.list_entries()
    assert entries and min(e.date for e in entries) >= dt.date(2000, 1, 1)
    # What demo writes is what import takes back.
    exported = export_csv(entries)
    fresh = Store.open(f"sqlite:///{tmp_path / 'fresh.db'}")
    import_csv(fresh, exported.encode(), today=dt.date(2000, 1, 10))
    assert export_csv(fresh.list_entries()) == exported


def test_demo_generate_refuses_days_before_2000():
    end = dt.date(2000, 3, 1)
    assert demo.max_days(end) == 61
    assert min(e.date for e in demo.generate(61, end=end).entries) >= dt.date(2000, 1, 1)
    with pytest.raises(ValidationError):
        demo.generate(62, end=end)
    with pytest.raises(ValidationError):
        demo.generate(0, end=end)


# ---- CSV quoting: export -> import -> export is byte-identical ----------------------------------


@pytest.mark.parametrize(
    "cell, written",
    [
        ("plain", "plain"),
        ("", ""),
        ("a,b", '"a,b"'),
        ('say "hi"', '"say ""hi"""'),
        ("line\nbreak", '"line\nbreak"'),
        ("before\rafter", '"before\rafter"'),
        ("ends with CR\r", '"ends with CR\r"'),
        (" padded ", '" padded "'),
    ],
)
def test_quote_field(cell, written):
    assert quote_field(cell) == written


@pytest.mark.parametrize("name", ["22_bare_cr_in_note.csv", "21_cr_only_mac_excel.csv"])
def test_shared_cr_cases_round_trip_byte_identical(store, name, tmp_path):
    import_csv(store, (CASES / name).read_bytes(), today=TODAY)
    first = export_csv(store.list_entries())
    again = Store.open(f"sqlite:///{tmp_path / 'again.db'}")
    import_csv(again, first.encode(), today=TODAY)
    assert again.list_entries() == store.list_entries()
    assert export_csv(again.list_entries()) == first


def test_a_trailing_carriage_return_in_a_note_survives(store, tmp_path):
    import_csv(store, (CASES / "22_bare_cr_in_note.csv").read_bytes(), today=TODAY)
    notes = {e.date.isoformat(): e.notes for e in store.list_entries()}
    assert notes == {"2026-11-01": "before\rafter", "2026-11-02": "ends with CR\r", "2026-11-03": "ok"}
    exported = export_csv(store.list_entries())
    assert '"before\rafter"' in exported and '"ends with CR\r"' in exported


notes_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=NOTES_MAX_CHARS,
) | st.lists(st.sampled_from(["\r", "\n", "\r\n", ",", '"', " ", "'", "=", "\t", "x", "\u2028", "\x85"]),
             max_size=12).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(notes=st.lists(notes_text, min_size=1, max_size=4))
def test_export_import_export_is_byte_identical_for_any_notes(notes):
    entries = [Entry(dt.date(2026, 1, 1) + dt.timedelta(days=i), i % 11, None, i % 2 == 0, note)
               for i, note in enumerate(notes)]
    first = export_csv(entries)
    rows = parse_csv(first.encode("utf-8"), today=TODAY)
    assert [r.entry for r in rows] == entries
    assert export_csv([r.entry for r in rows]) == first


# ---- long input is never echoed in full ---------------------------------------------------------


def test_shorten_and_shown_value():
    assert shorten("abc") == "abc"
    assert shorten("a\r\nb\x00") == "a\\r\\nb\\x00"
    cut = shorten("x" * 500)
    assert cut.startswith("x" * 79 + "…") and "500 characters" in cut
    assert shorten("/dir" * 50 + "/file.csv", keep_end=True).endswith("/file.csv")
    assert len(shorten("/dir" * 50, keep_end=True)) == SHOWN_MAX_CHARS
    assert shown_value(10**5000) == "a number of about 5,001 digits"
    assert shown_value("v" * 500).startswith("'vvv") and len(shown_value("v" * 500)) < 110
    assert shown_value(None) == "None"


LONG_DIR = "{LONG_DIR}"  # an existing folder whose name is 100 characters (made by the test)
BACKUP = LONG_DIR + "/backup.json"  # a good backup of ID_190's data, in that folder
ID_100, ID_190 = "i" * 100, "j" * 190  # user ids are up to 200 characters: echoed cut, like any input
# Commands that succeed: their success lines must not echo long input in full either. They run on a database
# that holds ID_190's data when ID_190 or BACKUP appears in the command line.
SUCCEEDS = [
    ["backup", "--out", LONG_DIR + "/b.json", "--user", ID_190],
    ["restore", BACKUP, "--user", ID_100],
    ["reassign", "--from", ID_190, "--to", ID_100],
    ["plan", "start", "--user", ID_190],
    ["questionnaire", "history", "--user", ID_100],
]


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--days", "x" * 500],
        ["demo", "--days", HUGE],
        ["demo", "--days", "5", "--seed", HUGE],
        ["import", "--on-conflict", "x" * 500, "f.csv"],
        ["export", "y" * 500],
        ["report", "--out", "r.pdf", "--from", "z" * 500],
        ["report", "--out", "r.pdf", "--to", "2020-01-01" + " " * 300 + "x"],
        ["import", "/nonexistent/" + "d/" * 200 + "f.csv"],
        ["screen", "/nonexistent/" + "d/" * 200 + "a.json"],
        ["export", "--out", "/nonexistent/" + "d/" * 200 + "f.csv"],
        ["export", "--user", "u" * 500],
        ["reassign", "--from", "q" * 500, "--to", "w" * 500],
        ["export", "--user", ID_100],
        ["export", "--user", "k" * 190],
        ["report", "--out", "r.pdf", "--user", ID_190 + "x"],
        ["reassign", "--from", ID_100, "--to", ID_190],  # ID_190 has data already
        ["backup", "--out", LONG_DIR + "/b.json", "--user", ID_100],  # nobody's data
        ["backup", "--out", "/nonexistent/" + "d" * 100 + "/b.json", "--user", ID_190],
        ["restore", BACKUP, "--user", ID_190],  # the journal holds data
        ["restore", LONG_DIR + "/bad.json"],
        ["restore", "/nonexistent/" + "d" * 100 + "/b.json"],
        *SUCCEEDS,
    ],
)
def test_cli_errors_never_echo_long_input(db_url, capsys, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / ("d" * 100)
    folder.mkdir()
    (folder / "bad.json").write_text('{"format": "hipknee-backup", "version": 1}')
    if ID_190 in argv or BACKUP in argv:
        from hipknee import backup

        owner = Store.open(db_url).for_user(ID_190)
        owner.add_entry(Entry(dt.date(2026, 1, 1), 5))
        (folder / "backup.json").write_bytes(backup.make_backup(owner))
        owner.engine.dispose()
    succeeds = argv in SUCCEEDS
    argv = [a.replace(LONG_DIR, str(folder)) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:  # a usage error, from argparse
        code = exc.code
    out, err = capsys.readouterr()
    assert (code == 0) is succeeds, (code, out, err)
    assert "Traceback" not in err
    assert_short(out + err)
    if not succeeds:
        assert err.strip().splitlines()[-1].startswith("hipknee")


def test_csv_errors_never_echo_long_cells(one_entry):
    long_cells = [
        ("x" * 300 + ",3,,0,", "date"),
        ("2026-02-01,3,,0,\n2026-02-02," + "y" * 300 + ",,0,", "worst_pain"),
        ("2026-02-01,3,," + "z" * 300 + ",", "did_routine"),
        ("2026-02-01,3,,0," + "n" * (NOTES_MAX_CHARS + 1), "notes"),
    ]
    for body, column in long_cells:
        with pytest.raises(CsvError) as caught:
            import_csv(one_entry, (HEADER_LINE + body + "\n").encode(), today=TODAY)
        assert caught.value.column == column
        assert_short(str(caught.value))
    with pytest.raises(CsvError) as caught:
        import_csv(one_entry, ("h" * 300 + "\n2026-02-01,3,,0,\n").encode(), today=TODAY)
    assert_short(str(caught.value))


def test_routine_link_messages_never_echo_long_values():
    from hipknee.exercises import load_exercises
    from hipknee.routines import parse_query

    result = parse_query({"exercises": "f" * 500, "hold": HUGE, "sets": LONG, "warmup": "w" * 500},
                         load_exercises())
    assert len(result.messages) >= 3
    for message in result.messages:
        assert_short(message)


def test_screening_and_daily_check_errors_never_echo_long_values():
    from hipknee.daily_check import assess_daily
    from hipknee.screening import assess

    with pytest.raises(ValueError) as caught:
        assess(_screen_answers(**{"k" * 500: True, "age": 10**5000}))
    assert_short(str(caught.value))
    with pytest.raises(ValueError) as caught:
        assess_daily({"k" * 500: True, "knee_locked": "v" * 500})
    assert_short(str(caught.value))


# ---- a little fuzzing of the whole command line ---------------------------------------------------

FUZZ_COMMANDS = ["export", "import", "demo", "screen", "report", "users", "reassign"]
FUZZ_FLAGS = ["--out", "--from", "--to", "--days", "--seed", "--on-conflict", "--user", "--replace", "-h"]
FUZZ_VALUES = [
    "0001-01-01", "1999-12-31", "2026-02-30", "2020-W01-1", "2026-11-30", "9999-12-31", "", " ", "-1", "0",
    "3", HUGE, "1e9", "x" * 300, "\x7f\x1b[31m", "\udcff", "local", "Dana@Example.org", "skip", "replace",
    "{FILE}", "{JSON}", "{DEEP}", "{DIR}", "{MISSING}", "{OUT}",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(
    command=st.sampled_from(FUZZ_COMMANDS),
    rest=st.lists(st.one_of(st.sampled_from(FUZZ_FLAGS), st.sampled_from(FUZZ_VALUES)), max_size=6),
)
def test_fuzzed_command_lines_never_raise(tmp_path_factory, monkeypatch, capsys, command, rest):
    folder = tmp_path_factory.mktemp("cli")
    monkeypatch.chdir(folder)
    monkeypatch.setenv("HIPKNEE_DATABASE_URL", f"sqlite:///{folder / 'fuzz.db'}")
    monkeypatch.setattr(cli, "_today", lambda: TODAY)
    (folder / "in.csv").write_text(HEADER_LINE + "2026-02-01,3,,1,note\r\n2026-02-02," + HUGE + ",,0,\n")
    (folder / "a.json").write_text(json.dumps(_screen_answers()))
    (folder / "deep.json").write_text("[" * 50_000 + "]" * 50_000)
    (folder / "dir").mkdir()
    files = {"{FILE}": "in.csv", "{JSON}": "a.json", "{DEEP}": "deep.json", "{DIR}": "dir",
             "{MISSING}": "missing/x.csv", "{OUT}": "out.pdf"}
    argv = [command, *(files.get(a, a) for a in rest)]
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse: usage errors and --help
        code = exc.code
    out, err = capsys.readouterr()
    assert isinstance(code, int)
    assert "Traceback" not in err
    if code:
        assert err.strip(), argv
        assert_short(err)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("postgresql//dana:s3cret-" + "p" * 300 + "@host/db", "not a valid database URL"),
        ("postgresql+psycopg://dana:s3cret@[bad" + "h" * 300, "cannot open the database"),
        ("sqlite:////proc/" + "x" * 300 + "/a.db", "cannot create the folder"),
        ("mysql://dana:s3cret@" + "h" * 300 + "/db", "cannot use database"),
    ],
)
def test_database_url_errors_are_short_and_hide_passwords(monkeypatch, capsys, url, expected):
    monkeypatch.setenv("HIPKNEE_DATABASE_URL", url)
    code, _, err = run(capsys, "export")
    assert code == cli.EXIT_FAILURE
    assert_one_clear_line(err, "export")
    assert expected in err and "s3cret" not in err
