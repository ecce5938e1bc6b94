import datetime as dt

import pytest

from hipknee import csvio, demo
from hipknee.csvio import HEADER, CsvError, export_csv, import_csv, neutralise, parse_csv, restore
from hipknee.journal import Entry
from hipknee.store import Store

TODAY = dt.date(2026, 6, 15)
GOOD_HEADER = ",".join(HEADER) + "\n"


def test_header_is_the_contract():
    assert export_csv([]) == "date,worst_pain,activity_pain,did_routine,notes\n"


def test_export_format():
    text = export_csv([Entry(dt.date(2026, 1, 2), 4, None, True, "ok, fine"), Entry(dt.date(2026, 1, 3), 0)])
    assert text.splitlines()[1:] == ['2026-01-02,4,,1,"ok, fine"', "2026-01-03,0,,0,"]


@pytest.mark.parametrize("cell", ["=1+1", "+44", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted", "''", "plain", ""])
def test_neutralise_restore_round_trip(cell):
    assert restore(neutralise(cell)) == cell
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(cell).startswith("'")


def test_round_trip_is_byte_identical(tmp_path):
    entries = demo.generate(120, seed=3, end=TODAY).entries
    tricky = [
        Entry(TODAY - dt.timedelta(days=300), 3, 2, True, '=HYPERLINK("http://x")'),
        Entry(TODAY - dt.timedelta(days=200), 5, None, False, "line one\nline two, with comma and \"quotes\""),
        Entry(TODAY - dt.timedelta(days=201), 6, 0, True, "'starts with apostrophe"),
        Entry(TODAY - dt.timedelta(days=202), 7, 10, False, "-minus and ünïcödé ✓"),
    ]
    source = Store.open(f"sqlite:///{tmp_path / 'a.db'}")
    source.import_entries(entries + tricky)
    first = export_csv(source.list_entries()).encode()
    target = Store.open(f"sqlite:///{tmp_path / 'b.db'}")
    import_csv(target, first, today=TODAY)
    assert export_csv(target.list_entries()).encode() == first
    assert target.get_entry(TODAY - dt.timedelta(days=300)).notes == '=HYPERLINK("http://x")'


def test_accepts_bom_and_crlf():
    data = b"\xef\xbb\xbf" + (GOOD_HEADER + "2026-01-01,3,,0,hello\n2026-01-02,4,2,1,\n").replace("\n", "\r\n").encode()
    rows = parse_csv(data, today=TODAY)
    assert [r.entry.worst_pain for r in rows] == [3, 4]
    assert rows[0].entry.notes == "hello"


def bad(body: str, header: str = GOOD_HEADER) -> CsvError:
    with pytest.raises(CsvError) as info:
        parse_csv((header + body).encode(), today=TODAY)
    return info.value


@pytest.mark.parametrize(
    "body, line, column, words",
    [
        ("2026-01-01,11,,0,\n", 2, "worst_pain", "from 0 to 10"),
        ("2026-01-01,-1,,0,\n", 2, "worst_pain", "from 0 to 10"),
        ("2026-01-01,3.5,,0,\n", 2, "worst_pain", "not a whole number"),
        ("2026-01-01,,,0,\n", 2, "worst_pain", "required"),
        ("2026-01-01,3,x,0,\n", 2, "activity_pain", "not a whole number"),
        ("2026-01-01,3,,2,\n", 2, "did_routine", "0 or 1"),
        ("2026-01-01,3,,yes,\n", 2, "did_routine", "0 or 1"),
        ("01/02/2026,3,,0,\n", 2, "date", "YYYY-MM-DD"),
        ("2026-02-30,3,,0,\n", 2, "date", "YYYY-MM-DD"),
        ("2026-06-16,3,,0,\n", 2, "date", "future"),
        ("1999-12-31,3,,0,\n", 2, "date", "before 2000"),
        ("2026-01-01,3,,0,\n2026-01-02,3,,0,\n2026-01-01,4,,0,\n", 4, "date", "twice"),
        ("2026-01-01,3,,0," + "x" * 2001 + "\n", 2, "notes", "2,000"),
        ("2026-01-01,3,,0\n", 2, None, "expected 5 cells"),
        ('2026-01-01,3,,0,"multi\nline"\n2026-01-02,99,,0,\n', 4, "worst_pain", "from 0 to 10"),
    ],
)
def test_rejections_name_line_column_and_reason(body, line, column, words):
    err = bad(body)
    assert err.line == line and err.column == column
    assert words in str(err)
    assert str(err).startswith(f"line {line}")


def test_wrong_or_missing_header():
    assert "header" in str(bad("2026-01-01,3,,0,\n", header="day,pain,activity,routine,notes\n"))
    assert "header" in str(bad("", header="2026-01-01,3,,0,\n"))


@pytest.mark.parametrize("data, words", [(b"", "empty"), (b"  \n", "empty"), (b"\x00\x01\x02PK", "binary"),
                                          ("date,worst_pain\n".encode("utf-16"), "binary"),
                                          (GOOD_HEADER.encode() + "2026-01-01,3,,0,caf\xe9\n".encode("latin-1"), "UTF-8")])
def test_rejects_empty_binary_and_non_utf8(data, words):
    with pytest.raises(CsvError, match=words):
        parse_csv(data, today=TODAY)


def test_one_bad_row_writes_nothing(store):
    data = (GOOD_HEADER + "2026-01-01,3,,0,\n2026-01-02,12,,0,\n").encode()
    with pytest.raises(CsvError):
        import_csv(store, data, today=TODAY)
    assert store.count_entries() == 0


def test_conflict_under_fail_names_the_line(store):
    store.add_entry(Entry(dt.date(2026, 1, 2), 1))
    data = (GOOD_HEADER + "2026-01-01,3,,0,\n2026-01-02,4,,0,\n").encode()
    with pytest.raises(CsvError) as info:
        import_csv(store, data, today=TODAY)
    assert info.value.line == 3 and "already in the journal" in str(info.value)
    assert info.value.conflicting_dates == (dt.date(2026, 1, 2),)
    assert "--on-conflict" not in str(info.value)  # the CLI and the page each phrase their own hint
    assert store.count_entries() == 1
    result = import_csv(store, data, today=TODAY, on_conflict="skip")
    assert (result.added, result.skipped) == (1, 1)
    assert store.get_entry(dt.date(2026, 1, 2)).worst_pain == 1


def test_header_only_file_is_rejected(store):
    with pytest.raises(CsvError, match="no entries"):
        import_csv(store, GOOD_HEADER.encode(), today=TODAY)


def test_module_exports():
    assert csvio.FORMULA_STARTS == ("=", "+", "-", "@", "\t", "\r")
