"""Issue 16: every file in tests/cases/import/ (built the way spreadsheets and other diaries write them)
is imported with the right stored values, or refused with the right message; nothing is half written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipknee import csvio, diary_format
from hipknee.diary_import import (
    MAX_PROBLEMS,
    CsvError,
    DateOrderError,
    Mapping,
    NeedsMappingError,
    parse_file,
    parse_map_option,
    parse_pain,
    parse_time,
    read_table,
)
from hipknee.journal import Entry

CASES = Path(__file__).parent / "cases" / "import"
TODAY = dt.date(2026, 12, 1)
OCT31, NOV1, NOV2 = dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 11, 2)
THREE_DAYS = [
    Entry(OCT31, 6, 5, True, "knee stiff on stairs"),
    Entry(NOV1, 5, None, False, ""),
    Entry(NOV2, 4, 4, True, "better"),
]
TWO_DAYS_STIFF = [Entry(OCT31, 6, 5, True, "stiff"), Entry(NOV1, 5, None, False, "")]


def case(name: str) -> bytes:
    return (CASES / name).read_bytes()


def entries(name: str, mapping: Mapping | None = None, **kw) -> list[Entry]:
    return parse_file(case(name), mapping, today=kw.pop("today", TODAY), **kw).entries


def refused(name: str, mapping: Mapping | None = None, **kw) -> CsvError:
    with pytest.raises(CsvError) as info:
        parse_file(case(name), mapping, today=kw.pop("today", TODAY), **kw)
    return info.value


def test_every_case_file_has_a_test():
    tested = set(EXPECTED) | set(REFUSED) | {"23_backup_with_kiritimati_today.csv"}
    assert {p.name for p in CASES.iterdir()} == tested


EXPECTED: dict[str, list[Entry]] = {
    "01_dmy_slash.csv": THREE_DAYS,
    "02_mdy_excel_us.csv": THREE_DAYS,
    "03b_semicolon_iso.csv": [Entry(OCT31, 6, 5, True, "knee stiff"), Entry(NOV1, 5, None, False, "")],
    "04_utf16_tab_excel.csv": [Entry(OCT31, 6, 5, True, "genou raide"), Entry(NOV1, 5, None, False, "")],
    "04b_utf16_comma.csv": [Entry(OCT31, 6, 5, True, "genou raide"), Entry(NOV1, 5, None, False, "")],
    "05_cp1252_accents.csv": [
        Entry(OCT31, 6, 5, True, "genou raide apr\u00e8s l\u2019escalier"),
        Entry(NOV1, 5, None, False, "M\u00fcde; Kn\u00f6chel ok"),
    ],
    "06_utf8_bom_crlf.csv": [
        Entry(OCT31, 6, 5, True, "genou raide apr\u00e8s l\u2019escalier"),
        Entry(NOV1, 5, None, False, ""),
    ],
    "07_quoted_newline_notes.csv": [
        Entry(OCT31, 6, 5, True, 'line one\nline two, with comma\nsaid "ouch"'),
        Entry(NOV1, 5, None, False, "single line"),
    ],
    "08_trailing_empty_cols_rows.csv": TWO_DAYS_STIFF,
    "08b_trailing_empty_rows.csv": TWO_DAYS_STIFF,
    "09_extra_column.csv": TWO_DAYS_STIFF,
    "09b_reordered_columns.csv": TWO_DAYS_STIFF,
    "10_header_case_space.csv": TWO_DAYS_STIFF,
    "10b_header_human_labels.csv": TWO_DAYS_STIFF,
    "11b_pain_slash10.csv": [Entry(OCT31, 7, 5, True, ""), Entry(NOV1, 5, None, False, "")],
    # Several rows a day: the worst pain, routine done if any row says so, notes joined in time order.
    "12_timestamps_multi_per_day.csv": [
        Entry(OCT31, 6, 6, True, "morning; evening after routine"),
        Entry(NOV1, 5, None, False, ""),
    ],
    "12b_iso_datetime_single.csv": [Entry(OCT31, 6, 6, True, ""), Entry(NOV1, 5, None, False, "")],
    "12c_same_date_twice.csv": [Entry(OCT31, 6, 6, True, "morning; evening")],
    "13_bool_true_false.csv": [Entry(OCT31, 6, 5, True, ""), Entry(NOV1, 5, None, False, "")],
    "13b_bool_yes_no.csv": [Entry(OCT31, 6, 5, True, ""), Entry(NOV1, 5, None, False, "")],
    "13c_bool_empty.csv": [Entry(OCT31, 6, 5, False, ""), Entry(NOV1, 5, None, False, "")],
    "16_google_sheets_us.csv": [Entry(OCT31, 6, 5, True, "stiff"), Entry(NOV1, 5, None, False, "")],
    # Excel re-saved hipknee's own export: US dates, and the formula apostrophe is still removed.
    "17_excel_roundtrip_us.csv": [Entry(OCT31, 6, 5, True, "-2 since last week"), Entry(NOV1, 5, None, False, "")],
    "19_report_special_chars.csv": [
        Entry(
            dt.date(2026, 11, 20),
            6,
            5,
            True,
            "0.1 <A <0.9 & knee <b>bold?</b> J&C gym; S&P; &amp; &#169; &nbsp; </para>",
        ),
        Entry(dt.date(2026, 11, 21), 5, 4, True, "emoji \U0001f600\U0001f9b5\U0001f44d and \u2080 subscript CO\u2082"),
        Entry(
            dt.date(2026, 11, 22),
            5,
            None,
            False,
            "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442, "
            "\u4e2d\u6587 \u819d\u76d6\u75bc, "
            "\u0627\u0644\u0639\u0631\u0628\u064a\u0629 \u0623\u0644\u0645 \u0627\u0644\u0631\u0643\u0628\u0629, "
            "\u05e2\u05d1\u05e8\u05d9\u05ea",
        ),
        Entry(dt.date(2026, 11, 23), 4, 3, True, "tab\there; long-word-" + "x" * 120),
        Entry(dt.date(2026, 11, 24), 4, None, True, "line one\nline two\nline three"),
    ],
    "21_cr_only_mac_excel.csv": TWO_DAYS_STIFF,
    "22_bare_cr_in_note.csv": [
        Entry(NOV1, 5, None, True, "before\rafter"),
        Entry(NOV2, 4, None, False, "ends with CR\r"),
        Entry(dt.date(2026, 11, 3), 4, None, False, "ok"),
    ],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_case_is_imported_with_the_right_values(name, store):
    assert entries(name) == EXPECTED[name]
    result = csvio.import_csv(store, case(name), today=TODAY)
    assert result.added == len(EXPECTED[name])
    assert store.list_entries() == EXPECTED[name]


def test_detected_encoding_and_delimiter():
    assert (
        read_table(case("03_semicolon_de_excel.csv")).delimiter,
        read_table(case("04_utf16_tab_excel.csv")).delimiter,
    ) == (";", "\t")
    assert read_table(case("05_cp1252_accents.csv")).encoding == "cp1252"
    assert read_table(case("04b_utf16_comma.csv")).encoding == "utf-16"
    assert read_table(case("06_utf8_bom_crlf.csv")).encoding == "utf-8-sig"
    assert read_table("date,worst_pain\n2026-01-01,3\n".encode("utf-16-le")).encoding == "utf-16-le"


def test_extra_columns_are_named_as_ignored_and_combined_days_counted():
    parsed = parse_file(case("09_extra_column.csv"), today=TODAY)
    assert parsed.ignored_columns == ["sleep_hours"]
    assert parse_file(case("12_timestamps_multi_per_day.csv"), today=TODAY).combined_days == 1


REFUSED: dict[str, tuple[type[CsvError], int | None, str | None, str]] = {
    # Decimal pain is refused (pain is a whole number), with the line, column, value and the way out.
    "03_semicolon_de_excel.csv": (
        CsvError,
        4,
        "worst_pain",
        "value '4,5': is not a whole number (pain is a whole number: write 4 or 5)",
    ),
    "11_pain_decimal.csv": (
        CsvError,
        2,
        "worst_pain",
        "value '6.5': is not a whole number (pain is a whole number: write 6 or 7)",
    ),
    "14_daylio_export.csv": (NeedsMappingError, 1, None, "found full_date, date, weekday, time, mood"),
    "15_generic_sheet_diary.csv": (NeedsMappingError, 1, None, "found Date, Pain (0-10), Exercises done?, Notes"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_case_is_refused_with_the_right_message(name, store):
    kind, line, column, words = REFUSED[name]
    err = refused(name)
    assert type(err) is kind and err.line == line and err.column == column
    assert words in str(err)
    with pytest.raises(CsvError):
        csvio.import_csv(store, case(name), today=TODAY)
    assert store.count_entries() == 0


def test_semicolon_file_imports_once_the_decimal_is_fixed():
    fixed = case("03_semicolon_de_excel.csv").replace(b";4,5;", b";5;")
    assert parse_file(fixed, today=TODAY).entries == [
        Entry(OCT31, 6, 5, True, "Knie steif, Treppe"),
        Entry(NOV1, 5, None, False, ""),
        Entry(NOV2, 5, 4, True, "besser"),
    ]


def test_generic_diary_with_a_mapping():
    mapping = Mapping(parse_map_option("date=Date,worst_pain=Pain (0-10),did_routine=Exercises done?,notes=Notes"))
    assert entries("15_generic_sheet_diary.csv", mapping) == [
        Entry(OCT31, 6, None, True, "stiff"),
        Entry(NOV1, 5, None, False, ""),
    ]


def test_daylio_moods_are_not_pain_numbers_every_row_is_listed():
    mapping = Mapping({"date": "full_date", "worst_pain": "mood", "notes": "note"}, scale="1-5")
    err = refused("14_daylio_export.csv", mapping)
    assert err.problem_count == 3
    assert [(p.line, p.column, p.value) for p in err.problems] == [
        (2, "mood", "meh"),
        (3, "mood", "good"),
        (4, "mood", "rad"),
    ]
    assert all("from 1 to 5" in p.fix for p in err.problems)


def test_daylio_with_numbers_on_a_1_to_5_scale_combines_the_day():
    data = case("14_daylio_export.csv").replace(b",meh,", b",4,").replace(b",good,", b",2,").replace(b",rad,", b",1,")
    mapping = Mapping({"date": "full_date", "worst_pain": "mood", "notes": "note"}, scale="1-5")
    got = parse_file(data, mapping, today=TODAY)
    assert got.entries == [Entry(OCT31, 8, None, False, "knee sore"), Entry(NOV1, 0, None, False, "")]
    assert got.rows[0].lines == (2, 3)


@pytest.mark.parametrize(
    "text, scale, expected",
    [
        ("1", "1-5", 0),
        ("2", "1-5", 3),
        ("3", "1-5", 5),
        ("4", "1-5", 8),
        ("5", "1-5", 10),
        ("0", "0-100", 0),
        ("25", "0-100", 3),
        ("44", "0-100", 4),
        ("100", "0-100", 10),
        ("7/10", "0-10", 7),
        ("5.0", "0-10", 5),
        ("", "0-10", None),
    ],
)
def test_scale_conversion_as_stated(text, scale, expected):
    assert parse_pain(text, scale) == expected


@pytest.mark.parametrize("text, scale", [("0", "1-5"), ("6", "1-5"), ("101", "0-100"), ("11", "0-10"), ("x", "0-10")])
def test_values_off_the_scale_are_refused(text, scale):
    with pytest.raises(ValueError):
        parse_pain(text, scale)


def test_ambiguous_dates_are_refused_with_an_example_until_the_order_is_chosen():
    data = b"date,worst_pain\n01/11/2026,3\n02/11/2026,4\n"
    with pytest.raises(DateOrderError) as info:
        parse_file(data, today=TODAY)
    assert "'01/11/2026' could be 1 November 2026 (day/month/year) or 11 January 2026 (month/day/year)" in str(
        info.value
    )
    assert info.value.line == 2 and info.value.example == "01/11/2026"
    assert parse_file(data, today=TODAY, date_order="dmy").entries[0].date == NOV1
    assert parse_file(data, today=TODAY, date_order="mdy").entries[0].date == dt.date(2026, 1, 11)


@pytest.mark.parametrize("sep", ["/", ".", "-"])
def test_day_first_decided_by_a_day_above_12(sep):
    data = f"date,worst_pain\n01{sep}11{sep}2026,3\n13{sep}11{sep}2026,4\n".encode()
    assert [e.date for e in parse_file(data, today=TODAY).entries] == [NOV1, dt.date(2026, 11, 13)]


def test_mixed_date_orders_are_refused():
    err = pytest.raises(CsvError, parse_file, b"date,worst_pain\n13/11/2026,3\n11/14/2026,4\n", today=TODAY).value
    assert "mix day/month/year" in str(err)


def test_all_problems_at_once_up_to_20():
    rows = "".join(f"2026-01-{d:02d},{11 + d},,0,\n" for d in range(1, 26))
    err = pytest.raises(
        CsvError, parse_file, ("date,worst_pain,activity_pain,did_routine,notes\n" + rows).encode(), today=TODAY
    ).value
    assert err.problem_count == 25 and len(err.problems) == MAX_PROBLEMS
    assert [p.line for p in err.problems] == list(range(2, 22))
    assert "25 problems" in str(err) and "first 20" in str(err)
    assert all(p.column == "worst_pain" and "from 0 to 10" in p.reason for p in err.problems)


def test_every_kind_of_problem_in_one_file_is_listed():
    body = "2026-13-01,3,,0,\n2027-01-01,3,,0,\n2026-01-01,x,,maybe,\n2026-01-02,,,0,\n"
    err = pytest.raises(
        CsvError, parse_file, ("date,worst_pain,activity_pain,did_routine,notes\n" + body).encode(), today=TODAY
    ).value
    shown = [str(p) for p in err.problems]
    assert shown == [
        "line 2, column date, value '2026-13-01': is not a date on the calendar (check the day and the month)",
        "line 3, column date, value '2027-01-01': 2027-01-01 is in the future (today is 2026-12-01) "
        "(dates after today cannot be recorded; check the date, or the time zone)",
        "line 4, column worst_pain, value 'x': is not a number (write a number from 0 to 10)",
        "line 4, column did_routine, value 'maybe': is not yes or no "
        "(write 1, yes, true or x when the routine was done; 0, no or nothing when not)",
        "line 5, column worst_pain: worst pain is required (every row needs its worst pain, a number)",
    ]


def test_a_long_value_is_shortened_in_the_message():
    err = pytest.raises(CsvError, parse_file, b"date,worst_pain\n2026-01-01," + b"9" * 5000 + b"\n", today=TODAY).value
    assert len(str(err)) < 250


def test_kiritimati_today_is_accepted_in_that_zone():
    # The backup's last day is 2026-12-01: still the future on a UTC machine on 2026-11-30.
    err = refused("23_backup_with_kiritimati_today.csv", today=dt.date(2026, 11, 30))
    assert "2026-12-01 is in the future" in str(err)
    late_utc = dt.datetime(2026, 11, 30, 11, 0, tzinfo=dt.UTC)
    kiritimati_today = late_utc.astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    assert kiritimati_today == dt.date(2026, 12, 1)
    got = entries("23_backup_with_kiritimati_today.csv", today=kiritimati_today)
    assert got[-1] == Entry(dt.date(2026, 12, 1), 5, None, False, "tz test Pacific/Auckland")


def test_timestamps_with_an_offset_move_into_the_given_zone():
    data = b"date,worst_pain\n2026-11-01T09:00:00Z,5\n"
    assert parse_file(data, today=TODAY).entries[0].date == NOV1
    assert parse_file(data, today=TODAY, tz=ZoneInfo("Pacific/Honolulu")).entries[0].date == OCT31


def test_map_option_keeps_commas_inside_a_column_name():
    assert parse_map_option("date=When,worst_pain=Pain, worst") == {"date": "When", "worst_pain": "Pain, worst"}
    with pytest.raises(CsvError):
        parse_map_option("colour=Red")
    with pytest.raises(CsvError):
        Mapping({"date": "When"})  # worst_pain is required


def test_unknown_mapped_column_is_named():
    err = pytest.raises(
        CsvError,
        parse_file,
        case("15_generic_sheet_diary.csv"),
        Mapping({"date": "When", "worst_pain": "Pain"}),
        today=TODAY,
    ).value
    assert "no column 'When'" in str(err) and "Pain (0-10)" in str(err)


# ---- export ---------------------------------------------------------------------------------------------

TRICKY = [
    Entry(dt.date(2026, 1, 2), 4, None, True, '=HYPERLINK("http://x")'),
    Entry(dt.date(2026, 1, 3), 0, 10, False, "apr\u00e8s\nline two, comma"),
    Entry(dt.date(2026, 1, 4), 7, 3, True, "'apostrophe"),
    Entry(dt.date(2026, 1, 5), 2, None, False, ""),
]


def test_spreadsheet_csv_has_bom_and_crlf_and_reads_back():
    data = csvio.export_csv_for_spreadsheets(TRICKY)
    assert data.startswith(b"\xef\xbb\xbf" + b"date,worst_pain,activity_pain,did_routine,notes\r\n")
    assert data.count(b"\r\n") == len(TRICKY) + 1
    assert parse_file(data, today=TODAY).entries == TRICKY


def test_plain_export_round_trip_is_byte_identical(store):
    first = csvio.export_csv(TRICKY).encode()
    csvio.import_csv(store, first, today=TODAY)
    assert csvio.export_csv(store.list_entries()).encode() == first


def test_xlsx_has_real_dates_and_numbers_and_reads_back(store):
    import openpyxl

    data = csvio.export_xlsx(TRICKY)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(diary_format.HEADER)
    assert rows[1][:4] == (dt.datetime(2026, 1, 2), 4, None, 1)
    assert sheet.cell(2, 1).is_date and sheet.cell(2, 5).data_type == "s"
    assert rows[1][4] == '=HYPERLINK("http://x")' and rows[3][4] == "'apostrophe"  # text, never a formula
    csvio.import_csv(store, data, today=TODAY)
    assert store.list_entries() == TRICKY


def test_template_imports_as_its_example_row():
    template = csvio.template_csv(dt.date(2026, 3, 1))
    assert template.splitlines()[0] == ",".join(diary_format.HEADER)
    assert len(template.splitlines()) == 2
    assert parse_file(template.encode(), today=TODAY).entries[0].date == dt.date(2026, 3, 1)


@pytest.mark.parametrize(
    "data",
    [
        b"\n\ndate;worst_pain\n2026-10-01;3\n",
        b"\r\n  \r\ndate;worst_pain\r\n2026-10-01;3\r\n",
        b";;\n;;\ndate;worst_pain\n2026-10-01;3\n",  # rows a spreadsheet padded, before the header
        "\n\ndate\tworst_pain\n2026-10-01\t3\n".encode("utf-16"),
    ],
)
def test_blank_lines_before_the_header_do_not_hide_its_separator(data):
    table = read_table(data)
    assert table.header == ["date", "worst_pain"]
    assert parse_file(data, today=TODAY).entries == [Entry(dt.date(2026, 10, 1), 3)]


def test_a_separator_inside_a_quoted_column_name_does_not_count():
    data = b'date;"Pain, worst";notes\n2026-10-01;3;a, b, c\n'
    assert read_table(data).delimiter == ";"
    assert parse_file(
        data, Mapping({"date": "date", "worst_pain": "Pain, worst", "notes": "notes"}), today=TODAY
    ).entries == [
        Entry(dt.date(2026, 10, 1), 3, None, False, "a, b, c"),
    ]


# ---- every problem at once, the shape of rows included ----------------------------------------------------

FULL_HEADER = "date,worst_pain,activity_pain,did_routine,notes\n"


def test_rows_with_the_wrong_number_of_cells_are_listed_with_the_other_problems(store):
    body = "2026-10-01,3\n2026-10-02,11,,0,\n2026-10-03,3,,0,stiff, sore\n2026-10-04,x,,0,\n"
    data = (FULL_HEADER + body).encode()
    err = pytest.raises(CsvError, parse_file, data, today=TODAY).value
    assert err.problem_count == 4
    assert [(p.line, p.column, p.value) for p in err.problems] == [
        (2, None, "2026-10-01,3"),
        (3, "worst_pain", "11"),
        (4, None, "2026-10-03,3,,0,stiff, sore"),
        (5, "worst_pain", "x"),
    ]
    too_few, too_many = err.problems[0], err.problems[2]
    assert too_few.reason == "expected 5 cells, found 2" and "one cell per column" in too_few.fix
    assert too_many.reason == "expected 5 cells, found 6" and "double quotes" in too_many.fix
    assert all(p.fix for p in err.problems)
    with pytest.raises(CsvError):
        csvio.import_csv(store, data, today=TODAY)
    assert store.count_entries() == 0  # all or nothing


def test_the_fix_for_a_row_shape_names_the_files_separator():
    err = pytest.raises(CsvError, parse_file, b"date;worst_pain;notes\n2026-10-01;3;a;b\n", today=TODAY).value
    assert "semicolon" in err.problems[0].fix and "comma" not in err.problems[0].fix


def test_more_than_20_row_shape_problems_are_counted():
    data = (FULL_HEADER + "".join(f"2026-10-{d:02d},3\n" for d in range(1, 26))).encode()
    err = pytest.raises(CsvError, parse_file, data, today=TODAY).value
    assert err.problem_count == 25 and len(err.problems) == MAX_PROBLEMS
    assert [p.line for p in err.problems] == list(range(2, 22))
    assert "25 problems" in str(err) and "first 20" in str(err)


def test_a_long_row_is_shortened_in_its_problem():
    data = (FULL_HEADER + "2026-10-01,3,,0,ok," + "y" * 5000 + "\n").encode()
    err = pytest.raises(CsvError, parse_file, data, today=TODAY).value
    assert err.problems[0].reason == "expected 5 cells, found 6"
    assert "y" * 41 not in str(err) and len(str(err)) < 300


def test_an_undecided_date_order_does_not_hide_the_other_problems():
    data = b"date,worst_pain\n01/02/2026,x\n03/04/2026,4,5\n05/06/2026,3\n05/13/2026,3\n"
    err = pytest.raises(CsvError, parse_file, data, today=TODAY).value
    # 05/13/2026 decides month first, so this file is not ambiguous: the other problems alone are listed.
    assert type(err) is CsvError and [p.line for p in err.problems] == [2, 3]
    data = b"date,worst_pain\n01/02/2026,x\n03/04/2026,4,5\n05/06/2026,3\n31/31/2026,3\n"
    err = pytest.raises(DateOrderError, parse_file, data, today=TODAY).value
    assert err.problem_count == 4
    assert "could be 1 February 2026" in str(err) and "value 'x'" not in str(err)  # the question alone
    assert [(p.line, p.column) for p in err.problems] == [(2, "date"), (2, "worst_pain"), (3, None), (5, "date")]
    assert "not a date on the calendar" in err.problems[3].reason  # neither 31 nor 31 is a month


def test_while_the_order_is_undecided_a_date_is_refused_only_if_both_readings_are():
    # 02/12/2026 is 2 December 2026 (after today) day first, but 12 February 2026 month first: not a problem yet.
    data = b"date,worst_pain\n01/12/2026,3\n02/12/2026,3\n01/01/1999,3\n"
    err = pytest.raises(DateOrderError, parse_file, data, today=TODAY).value
    assert [(p.line, p.column) for p in err.problems] == [(2, "date"), (4, "date")]
    assert "before 2000" in str(err.problems[1])
    assert parse_file(data.replace(b"01/01/1999", b"01/01/2020"), today=TODAY, date_order="mdy").entries[
        -1
    ].date == dt.date(2026, 2, 12)


def test_mixed_date_orders_are_listed_with_the_other_problems():
    err = pytest.raises(CsvError, parse_file, b"date,worst_pain\n13/11/2026,3\n11/14/2026,x\n", today=TODAY).value
    assert err.problem_count == 2
    assert "mix day/month/year" in err.problems[0].reason and "the same way" in err.problems[0].fix
    assert (err.problems[1].line, err.problems[1].column) == (3, "worst_pain")


@pytest.mark.parametrize(
    "body, words",
    [
        ('2026-10-01,3,,0,"said "ouch""\n2026-10-02,3,,0,\n', "do not match"),
        ('2026-10-01,3,,0,"never closed\n2026-10-02,3,,0,\n', "never closed"),
    ],
)
def test_broken_quotes_stop_the_reading_and_say_how_to_fix_them(body, words):
    err = pytest.raises(CsvError, parse_file, (FULL_HEADER + body).encode(), today=TODAY).value
    assert err.line == 2 and words in str(err)
    assert 'with its quote marks doubled: "said ""ouch"""' in str(err)


def test_xlsx_rows_with_values_past_the_last_column_are_listed():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["date", "worst_pain"], ["2026-10-01", 3, "stray"], ["2026-10-02", 11], ["2026-10-03"]):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    err = pytest.raises(CsvError, parse_file, out.getvalue(), today=TODAY).value
    assert [(p.line, p.reason) for p in err.problems] == [
        (2, "expected 2 cells, found 3"),
        (3, "must be from 0 to 10"),
        (4, "worst pain is required"),
    ]
    assert err.problems[0].value == "2026-10-01 | 3 | stray"


# ---- several rows a day: notes in time order ---------------------------------------------------------------

# Daylio writes the newest row first and keeps the time of day in a column of its own.
DAYLIO_NEWEST_FIRST = (
    b"full_date,date,weekday,time,mood,activities,note_title,note\n"
    b"2026-10-31,October 31,Saturday,8:40 PM,4,walk,,evening sore\n"
    b"2026-10-31,October 31,Saturday,12:05,3,,,noon ok\n"
    b"2026-10-31,October 31,Saturday,08:20,2,,,morning stiff\n"
    b"2026-10-30,October 30,Friday,21:00,2,,,\n"
)
DAYLIO_MAP = {"date": "full_date", "worst_pain": "mood", "notes": "note"}


def test_notes_are_joined_in_time_order_with_the_time_in_its_own_column():
    got = parse_file(DAYLIO_NEWEST_FIRST, Mapping({**DAYLIO_MAP, "time": "time"}, scale="1-5"), today=TODAY)
    assert got.entries[1] == Entry(OCT31, 8, None, False, "morning stiff; noon ok; evening sore")
    assert "time" not in got.ignored_columns
    # Without the time the file's order is all there is.
    got = parse_file(DAYLIO_NEWEST_FIRST, Mapping(DAYLIO_MAP, scale="1-5"), today=TODAY)
    assert got.entries[1].notes == "evening sore; noon ok; morning stiff"


def test_notes_keep_the_files_order_when_one_of_them_has_no_time():
    data = DAYLIO_NEWEST_FIRST.replace(b"12:05", b"")
    got = parse_file(data, Mapping({**DAYLIO_MAP, "time": "time"}, scale="1-5"), today=TODAY)
    assert got.entries[1].notes == "evening sore; noon ok; morning stiff"


def test_a_time_column_is_found_by_name_and_a_bad_time_is_a_problem():
    data = b"Date,Time,Worst pain,Notes\n2026-10-31,21:00,5,late\n2026-10-31,7:30,3,early\n"
    got = parse_file(data, today=TODAY)
    assert got.entries == [Entry(OCT31, 5, None, False, "early; late")] and got.ignored_columns == []
    err = pytest.raises(CsvError, parse_file, data.replace(b"7:30", b"25:30"), today=TODAY).value
    assert str(err) == (
        "line 3, column Time, value '25:30': is not a time of day (write the time as HH:MM, like 20:39, or leave "
        "the cell empty)"
    )


def test_time_in_the_date_cell_orders_the_notes_too():
    data = b"date,worst_pain,notes\n2026-10-31 20:39,4,evening\n2026-10-31 08:20,2,morning\n"
    assert parse_file(data, today=TODAY).entries[0].notes == "morning; evening"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("20:39", dt.time(20, 39)),
        ("8:20 PM", dt.time(20, 20)),
        ("8:20pm", dt.time(20, 20)),
        ("12:00 AM", dt.time(0, 0)),
        ("08:20:15", dt.time(8, 20, 15)),
        ("20.39", dt.time(20, 39)),
        ("1899-12-30 20:39:00", dt.time(20, 39)),
        ("", None),
    ],
)
def test_times_of_day_as_spreadsheets_write_them(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "12:60", "noon", "2026-10-31"])
def test_not_a_time_of_day(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_xlsx_time_cells_order_the_notes():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["When", "At", "Pain", "Note"])
    sheet.append([dt.datetime(2026, 10, 31), dt.time(20, 39), 4, "evening"])
    sheet.append([dt.datetime(2026, 10, 31), dt.time(8, 5), 2, "morning"])
    out = io.BytesIO()
    book.save(out)
    mapping = Mapping(parse_map_option("date=When,time=At,worst_pain=Pain,notes=Note"))
    assert parse_file(out.getvalue(), mapping, today=TODAY).entries == [
        Entry(OCT31, 4, None, False, "morning; evening")
    ]


def test_date_order_question_only_while_the_file_does_not_decide():
    from hipknee.diary_import import date_order_question

    question = date_order_question(read_table(b"date,worst_pain\n01/11/2026,3\n"))
    assert isinstance(question, DateOrderError) and question.example == "01/11/2026"
    for data in (
        b"date,worst_pain\n01/11/2026,3\n13/11/2026,3\n",
        b"date,worst_pain\n2026-11-01,3\n",
        b"date,worst_pain\n13/11/2026,3\n11/14/2026,3\n",
        b"When,Pain\n01/11/2026,3\n",
    ):
        assert date_order_question(read_table(data)) is None
    mapped = Mapping({"date": "When", "worst_pain": "Pain"})
    assert date_order_question(read_table(b"When,Pain\n01/11/2026,3\n"), mapped).example == "01/11/2026"


@pytest.mark.parametrize(
    "text, scale, expected",
    [
        ("5,0", "0-10", 5),
        ("7,00", "0-10", 7),
        ("2,5", "1-5", 4),
        ("44,9", "0-100", 4),
        ("4,5", "0-100", 0),
    ],
)
def test_a_decimal_comma_is_read_as_a_decimal_point(text, scale, expected):
    assert parse_pain(text, scale) == expected


def test_decimal_commas_in_a_semicolon_file():
    data = b"date;worst_pain;activity_pain\n2026-10-31;5,0;3,0\n2026-11-01;4,5;\n"
    err = pytest.raises(CsvError, parse_file, data, today=TODAY).value
    assert [(p.line, p.column, p.value) for p in err.problems] == [(3, "worst_pain", "4,5")]
    assert parse_file(data.replace(b"4,5", b"4,0"), today=TODAY).entries == [Entry(OCT31, 5, 3), Entry(NOV1, 4)]


@pytest.mark.parametrize(
    "data, fix",
    [
        (b"\xef\xbb\xbfdate\xff,worst_pain\n", 'save it again from the spreadsheet as "CSV UTF-8"'),
        (b"\xff\xfe\x00\xd8", 'save it again from the spreadsheet as "CSV UTF-8"'),
        (b"PK\x03\x04not really a workbook", "save it again as an Excel workbook (.xlsx) or as CSV"),
        (b"\x00\x01\x02\x03\x04", "save it from the spreadsheet as CSV or as an Excel workbook (.xlsx)"),
        (b"date,worst_pain\n", "add a row under the header for each day"),
    ],
)
def test_a_file_that_cannot_be_read_says_how_to_fix_it(data, fix):
    err = pytest.raises(CsvError, parse_file, data, today=TODAY).value
    assert fix in err.problems[0].fix and fix in str(err)
