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
