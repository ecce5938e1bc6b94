"""Issue 16 in the browser: an .xlsx diary with its own column names goes through the mapping step (guessed
columns, a 1-5 scale converted), shows the preview, and is imported all at once."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from hipknee.journal import Entry
from hipknee.store import Store
from tests.browser.harness import assert_no_app_errors, open_page, wait_ready

MAIN = '[data-testid="stMain"]'


@pytest.fixture
def store(app_server):
    s = Store.open(app_server.db_url)
    yield s
    s.engine.dispose()


def workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["When", "Pain (1-5)", "Did exercises", "Comment", "Sleep"])
    today = dt.date.today()
    sheet.append([dt.datetime.combine(today - dt.timedelta(days=2), dt.time(8, 0)), 2, "", "morning", 7])
    sheet.append([dt.datetime.combine(today - dt.timedelta(days=2), dt.time(20, 0)), 4, "yes", "<b>evening</b>", 7])
    sheet.append([today - dt.timedelta(days=1), 5, "no", None, 6])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_mapping_preview_and_import(page, page_errors, app_server, store):
    open_page(page, app_server, "data")
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="CSV or Excel file")
    uploader.locator('input[type="file"]').set_input_files(files=[{
        "name": "diary.xlsx", "buffer": workbook(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }])
    main = page.locator(MAIN)
    main.get_by_text("Columns in this file: When, Pain (1-5), Did exercises, Comment, Sleep").wait_for()
    main.get_by_text("as they will be stored").wait_for()
    wait_ready(page)
    preview = main.locator('[data-testid="stDataFrame"]')
    preview.wait_for()
    # The preview's cells are drawn on a canvas; the page's text around it says what happens.
    text = main.inner_text()
    assert "the first 2 of 2 days" in text
    assert "converted" in text and "several rows" in text and "Not imported: Sleep" in text
    assert store.count_entries() == 0
    main.get_by_role("button", name="Import", exact=True).click()
    main.get_by_text("Imported: 2 added").wait_for()
    wait_ready(page)
    today = dt.date.today()
    assert store.list_entries() == [
        Entry(today - dt.timedelta(days=2), 8, None, True, "morning; <b>evening</b>"),
        Entry(today - dt.timedelta(days=1), 10, None, False, ""),
    ]
    assert_no_app_errors(page, page_errors)
