"""Your data: download, import (all or nothing) and delete everything with confirmation."""

import datetime as dt

from hipknee.csvio import HEADER
from hipknee.journal import Entry

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


def _upload(at, data: bytes):
    at.file_uploader(key="import_file").set_value(("journal.csv", data, "text/csv")).run()
    return at


def test_import_updates_the_count_and_the_download_at_once(app_test, store):
    at = app_test("pages/data.py")
    assert at.get("download_button")[0].proto.disabled  # nothing to download yet
    assert any("your 0 daily entries" in m.value for m in at.markdown)
    csv_text = ",".join(HEADER) + "\n2025-02-01,4,,1,first\n2025-02-02,3,2,0,\n"
    _upload(at, csv_text.encode())
    at.button(key="import_button").click().run()
    assert not at.exception
    assert store.count_entries() == 2
    assert any("2 added" in s.value for s in at.success)
    # Without a reload: the count, the button and the file it offers show the imported entries.
    assert any("your 2 daily entries" in m.value for m in at.markdown)
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
    at.button(key="import_button").click().run()
    assert not at.exception
    [error] = at.error
    assert "Nothing was imported" in error.value and "line 2" in error.value
    assert len(error.value) < 300  # the 5,000 digits are not repeated
    assert store.count_entries() == 1
