"""Your data: download, import (all or nothing) and delete everything with confirmation."""

import datetime as dt
import io
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from hipknee.csvio import HEADER
from hipknee.diary_import import parse_file
from hipknee.journal import Entry
from ui.diary_import import file_key, fingerprint

D1, D2 = dt.date(2025, 2, 1), dt.date(2025, 2, 2)


class Upload:
    """What st.file_uploader hands the page."""

    def __init__(self, data: bytes):
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


def test_download_offers_the_export(app_test, store):
    store.add_entry(Entry(D1, 4, notes="=1+1"))
    at = app_test("pages/data.py")
    assert not at.exception
    download = at.get("download_button")[0]
    assert not download.proto.disabled


def test_delete_all_needs_typed_confirmation_and_keeps_others(app_test, store):
    store.add_entry(Entry(D1, 4))
    store.start_session(session_date=D1, routine={}, steps_planned=1, seconds_planned=30)
    other = store.for_user("someone@else.org")
    other.add_entry(Entry(D1, 8))
    at = app_test("pages/data.py")
    at.button(key="delete_all").click().run()
    assert not at.exception
    confirm = at.button(key="confirm_delete_all")
    assert confirm.disabled  # not until DELETE is typed
    at.text_input(key="delete_confirm_text").input("delete").run()
    assert at.button(key="confirm_delete_all").disabled
    assert store.count_entries() == 1
    at.text_input(key="delete_confirm_text").input("DELETE").run()
    at.button(key="confirm_delete_all").click().run()
    assert not at.exception
    assert store.count_entries() == 0 and store.sessions_frame().empty
    assert other.count_entries() == 1  # nobody else's data
    assert any("deleted" in s.value for s in at.success)


def test_cancel_deletes_nothing(app_test, store):
    store.add_entry(Entry(D1, 4))
    at = app_test("pages/data.py")
    at.button(key="delete_all").click().run()
    at.button(key="cancel_delete_all").click().run()
    assert store.count_entries() == 1


def _upload(at, data: bytes, name: str = "journal.csv"):
    at.file_uploader(key="import_file").set_value((name, data, "text/csv")).run()
    return at


def key(name: str, data: bytes) -> str:
    """The key of a choice the page asks about the file ``data`` (each file gets its own)."""
    return file_key(name, fingerprint(data))


def test_import_updates_the_count_and_the_download_at_once(app_test, store):
    at = app_test("pages/data.py")
    assert at.get("download_button")[0].proto.disabled  # nothing to download yet
    assert any("Your 0 daily entries" in m.value for m in at.markdown)
    csv_text = ",".join(HEADER) + "\n2025-02-01,4,,1,first\n2025-02-02,3,2,0,\n"
    _upload(at, csv_text.encode())
    at.button(key="import_button").click().run()
    assert not at.exception
    assert store.count_entries() == 2
    assert any("2 added" in s.value for s in at.success)
    # Without a reload: the count, the button and the file it offers show the imported entries.
    assert any("Your 2 daily entries" in m.value for m in at.markdown)
    offered = at.get("download_button")[0].proto
    assert not offered.disabled
    # Its file is the one a fresh page load offers (the media URL is a hash of the content).
    fresh = app_test("pages/data.py").get("download_button")[0].proto
    assert offered.url == fresh.url


def test_import_of_a_huge_number_is_refused_on_the_page(app_test, store):
    store.add_entry(Entry(D1, 4, notes="kept"))
    at = app_test("pages/data.py")
    csv_text = ",".join(HEADER) + f"\n2025-02-02,{'1' * 5000},,0,\n"
    _upload(at, csv_text.encode())
    assert not at.exception
    [error] = at.error  # shown as soon as the file is chosen; Import stays disabled
    assert "cannot be imported" in error.value and "line 2" in error.value
    assert len(error.value) < 300  # the 5,000 digits are not repeated
    assert at.button(key="import_button").disabled
    assert store.count_entries() == 1


CASES = Path(__file__).parent / "cases" / "import"


def test_mapping_step_for_another_diary_previews_then_imports(app_test, store):
    at = app_test("pages/data.py")
    data = (CASES / "15_generic_sheet_diary.csv").read_bytes()
    at.file_uploader(key="import_file").set_value(("diary.csv", data, "text/csv")).run()
    assert not at.exception
    # First guesses from the column names; the person can change each.
    assert at.selectbox(key=key("map_date", data)).value == "Date"
    assert at.selectbox(key=key("map_worst_pain", data)).value == "Pain (0-10)"
    assert at.selectbox(key=key("map_did_routine", data)).value == "Exercises done?"
    assert at.selectbox(key=key("map_notes", data)).value == "Notes"
    assert at.selectbox(key=key("map_activity_pain", data)).value == "(none)"
    [preview_element] = at.dataframe
    preview = preview_element.value
    assert list(preview["date"]) == ["2026-10-31", "2026-11-01"]
    assert list(preview["worst_pain"]) == [6, 5] and list(preview["did_routine"]) == ["yes", "no"]
    assert store.count_entries() == 0  # nothing stored before Import
    # On a 1-5 scale the preview shows the converted values and says how.
    at.radio(key=key("map_scale", data)).set_value("1-5").run()
    assert not at.exception and at.error  # 6 is not on a 1-5 scale: every row listed
    assert "6" in at.error[0].value and at.button(key="import_button").disabled
    at.radio(key=key("map_scale", data)).set_value("0-10").run()
    at.button(key="import_button").click().run()
    assert not at.exception
    assert [(e.date, e.worst_pain, e.did_routine, e.notes) for e in store.list_entries()] == [
        (dt.date(2026, 10, 31), 6, True, "stiff"), (dt.date(2026, 11, 1), 5, False, ""),
    ]


def test_ambiguous_dates_ask_which_order(app_test, store):
    at = app_test("pages/data.py")
    data = b"date,worst_pain\n01/11/2025,3\n02/11/2025,4\n"
    _upload(at, data)
    assert not at.exception
    assert "could be 1 November 2025" in at.warning[0].value
    assert at.button(key="import_button").disabled
    at.radio(key=key("import_date_order", data)).set_value("dmy").run()
    at.button(key="import_button").click().run()
    assert [e.date for e in store.list_entries()] == [dt.date(2025, 11, 1), dt.date(2025, 11, 2)]


def test_every_problem_is_listed_as_plain_text(app_test, store):
    at = app_test("pages/data.py")
    body = "".join(f"2025-01-{d:02d},**{d}**,,0,\n" for d in range(1, 4))
    _upload(at, (",".join(HEADER) + "\n" + body).encode())
    [error] = at.error
    assert "3 problems" in error.value
    for line in (2, 3, 4):
        assert f"line {line}" in error.value
    assert "**" not in error.value.replace("\\*", "")  # the stars are escaped, never bold


def test_template_is_offered_on_an_empty_journal(app_test, store):
    at = app_test("pages/data.py")
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert not buttons["Download an empty template"].disabled
    assert buttons["Download my journal (CSV)"].disabled
    assert not any("download above" in m.value for m in list(at.markdown) + list(at.caption))


def test_the_date_order_question_comes_with_every_other_problem(app_test, store):
    at = app_test("pages/data.py")
    rows = b"".join(b"03/11/2025,%d\n" % (20 + i) for i in range(25))
    data = b"date,worst_pain\n01/11/2025,x\n02/11/2025,4,5\n" + rows
    _upload(at, data)
    assert not at.exception
    assert "could be 1 November 2025" in at.warning[0].value
    assert at.radio(key=key("import_date_order", data)).value is None
    [error] = at.error
    shown = error.value.replace("\\", "")  # without the Markdown escapes (the text shows as it is)
    # 20 problems in all: the question, then the first 19 others, then how many more.
    assert "Also fix these 27 problems before importing (the first 19 are listed):" in shown
    assert "- line 2, column worst_pain, value 'x'" in shown and "- line 3, value '02/11/2025,4,5'" in shown
    assert "expected 2 cells, found 3" in shown and shown.endswith("- ...and 8 more")
    assert at.button(key="import_button").disabled
    at.radio(key=key("import_date_order", data)).set_value("dmy").run()
    assert not at.exception and at.button(key="import_button").disabled  # the other problems remain
    assert "The file has 27 problems (the first 20 are listed)" in at.error[0].value
    assert store.count_entries() == 0


def test_mapping_step_offers_the_time_column_and_the_preview_joins_notes_in_time_order(app_test, store):
    at = app_test("pages/data.py")
    data = (
        b"full_date,date,weekday,time,mood,note\n"
        b"2025-10-31,October 31,Friday,20:39,4,evening\n"
        b"2025-10-31,October 31,Friday,08:20,2,morning\n"
    )
    _upload(at, data)
    assert not at.exception
    assert at.selectbox(key=key("map_date", data)).value == "full_date"
    assert at.selectbox(key=key("map_time", data)).value == "time"
    at.selectbox(key=key("map_worst_pain", data)).set_value("mood").run()
    [preview] = at.dataframe
    assert list(preview.value["notes"]) == ["morning; evening"]
    at.selectbox(key=key("map_time", data)).set_value("(none)").run()
    assert list(at.dataframe[0].value["notes"]) == ["evening; morning"]  # the file's order, newest first


# ---- the choices made for a file belong to that file ---------------------------------------------------


def _dates_radio(at):
    return [r for r in at.radio if r.label == "Dates in this file"]


def test_another_ambiguous_file_is_asked_its_date_order_again(app_test, store):
    at = app_test("pages/data.py")
    first = b"date,worst_pain\n01/11/2025,3\n02/11/2025,4\n"
    _upload(at, first, "first.csv")
    at.radio(key=key("import_date_order", first)).set_value("dmy").run()
    assert not at.exception and not at.button(key="import_button").disabled
    assert list(at.dataframe[0].value["date"]) == ["2025-11-01", "2025-11-02"]
    # The choice stays on the page while the file is ambiguous, and can be changed.
    [order] = _dates_radio(at)
    assert order.value == "dmy" and not at.warning
    order.set_value("mdy").run()
    assert list(at.dataframe[0].value["date"]) == ["2025-01-11", "2025-02-11"]
    # Another file that does not tell either: asked again, nothing to import until answered.
    second = b"date,worst_pain\n03/10/2025,5\n04/10/2025,6\n"
    _upload(at, second, "second.csv")
    assert not at.exception
    assert "could be 3 October 2025" in at.warning[0].value
    [order] = _dates_radio(at)
    assert order.value is None and at.button(key="import_button").disabled and not at.dataframe
    order.set_value("dmy").run()
    at.button(key="import_button").click().run()
    assert not at.exception
    assert [e.date for e in store.list_entries()] == [dt.date(2025, 10, 3), dt.date(2025, 10, 4)]


def test_a_file_that_decides_its_date_order_asks_nothing(app_test, store):
    at = app_test("pages/data.py")
    _upload(at, b"date,worst_pain\n01/11/2025,3\n02/11/2025,4\n", "first.csv")
    [order] = _dates_radio(at)
    order.set_value("mdy").run()
    _upload(at, b"date,worst_pain\n01/11/2025,3\n13/11/2025,4\n", "second.csv")  # 13 decides: day first
    assert not at.exception and not _dates_radio(at) and not at.warning
    assert list(at.dataframe[0].value["date"]) == ["2025-11-01", "2025-11-13"]


def test_another_file_gets_its_own_pain_scale(app_test, store):
    at = app_test("pages/data.py")
    first = (CASES / "15_generic_sheet_diary.csv").read_bytes()
    _upload(at, first, "first.csv")
    at.radio(key=key("map_scale", first)).set_value("1-5").run()
    assert at.error and at.button(key="import_button").disabled  # 6 is not on a 1-5 scale
    second = b"When,Level,Note\n2025-10-01,7,x\n2025-10-02,3,\n"
    _upload(at, second, "second.csv")
    assert not at.exception and not at.error
    scale = at.radio(key=key("map_scale", second))
    assert scale.value == "0-10"  # this file's own first guess, not the 1-5 chosen for the last file
    assert list(at.dataframe[0].value["worst_pain"]) == [7, 3]
    assert not at.button(key="import_button").disabled
    third = b"When,Pain (1-5),Note\n2025-10-01,5,x\n"
    _upload(at, third, "third.csv")
    assert at.radio(key=key("map_scale", third)).value == "1-5"
    assert list(at.dataframe[0].value["worst_pain"]) == [10]


# ---- a person east of the server: the browser's time zone decides "today" ------------------------------


@pytest.fixture
def server_at_utc_minus_12(monkeypatch):
    """The machine's clock in UTC-12, so a UTC+14 person's today is always one or two days later."""
    monkeypatch.setenv("TZ", "Etc/GMT+12")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


KIRITIMATI = {"timezone": "Pacific/Kiritimati"}


def test_import_takes_the_browsers_today_east_of_the_server(app_test, store, server_at_utc_minus_12):
    their_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    assert their_today > dt.date.today()
    two_days_before = (their_today - dt.timedelta(days=2)).isoformat()
    data = (
        f"date,worst_pain,notes\n{their_today.isoformat()},5,their today\n"
        f"{two_days_before}T12:00:00Z,3,noon UTC\n"  # 02:00 the next day in Kiritimati (UTC+14)
    ).encode()
    at = app_test("pages/data.py")  # a browser that does not say its zone: the server's today
    _upload(at, data)
    assert "is in the future" in at.error[0].value and at.button(key="import_button").disabled
    at = app_test("pages/data.py", context=KIRITIMATI)
    _upload(at, data)
    assert not at.exception and not at.error
    at.button(key="import_button").click().run()
    assert not at.exception
    assert [(e.date, e.notes) for e in store.list_entries()] == [
        (their_today - dt.timedelta(days=1), "noon UTC"), (their_today, "their today"),
    ]


def test_restore_takes_the_browsers_today_east_of_the_server(app_test, store, tmp_path, server_at_utc_minus_12):
    from hipknee import backup
    from hipknee.store import Store

    their_today = dt.datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    elsewhere = Store.open(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    elsewhere.add_entry(Entry(their_today, 5, notes="their today"))
    data = backup.make_backup(elsewhere)
    elsewhere.engine.dispose()
    for context, restored in ((None, False), (KIRITIMATI, True)):
        at = app_test("pages/data.py", context=context)
        at.file_uploader(key="restore_file").set_value(("backup.json", data, "application/json")).run()
        at.button(key="restore_button").click().run()
        assert not at.exception
        if restored:
            assert any("Backup restored" in s.value for s in at.success)
        else:
            assert any("Nothing was restored" in e.value and "in the future" in e.value for e in at.error)
    assert store.list_entries() == [Entry(their_today, 5, notes="their today")]


# ---- what the download buttons hand over ------------------------------------------------------------------


@pytest.fixture
def served(monkeypatch) -> dict:
    """The bytes each download button would serve, by file name: static data as Streamlit stores it, and a
    deferred file by calling the function it registered (AppTest has no browser to click the button)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def spy_add(self, path_or_data, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = lambda: path_or_data
        return add(self, path_or_data, mimetype, coordinates, file_name=file_name, **kwargs)

    def spy_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = data_callable
        return add_deferred(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add", spy_add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", spy_deferred)
    return files


def test_the_xlsx_download_holds_real_dates_and_numbers_and_imports_again(app_test, store, served):
    import openpyxl

    entries = [Entry(D1, 4, 2, True, "=1+1 stairs"), Entry(D2, 0, None, False, "apr\u00e8s")]
    for entry in entries:
        store.add_entry(entry)
    at = app_test("pages/data.py")
    assert not at.exception and not at.download_button(key="download_xlsx").proto.disabled
    data = served[f"hipknee-journal-{dt.date.today().isoformat()}.xlsx"]()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert list(sheet.iter_rows(values_only=True)) == [
        tuple(HEADER),
        (dt.datetime(2025, 2, 1), 4, 2, 1, "=1+1 stairs"),
        (dt.datetime(2025, 2, 2), 0, None, 0, "apr\u00e8s"),
    ]
    assert sheet.cell(2, 1).is_date and sheet.cell(2, 5).data_type == "s"  # a date cell; the note is text
    store.delete_all_data()
    _upload(at, data, "journal.xlsx")
    at.button(key="import_button").click().run()
    assert not at.exception and store.list_entries() == entries


def test_the_template_download_is_the_header_and_an_example_that_imports(app_test, store, served):
    at = app_test("pages/data.py")
    assert not at.download_button(key="download_template").proto.disabled
    template = served["hipknee-template.csv"]()
    text = template.decode("utf-8") if isinstance(template, bytes) else template
    lines = text.splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 2
    example = parse_file(text.encode("utf-8"), today=dt.date.today()).entries
    assert len(example) == 1 and example[0].date <= dt.date.today()
    _upload(at, text.encode("utf-8"), "hipknee-template.csv")
    at.button(key="import_button").click().run()
    assert not at.exception and store.list_entries() == example
