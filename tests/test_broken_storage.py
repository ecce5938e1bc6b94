"""A database that is corrupt, unreadable or locked too long gives a clear page, never a traceback."""

import sqlite3
from pathlib import Path

import pytest

from hipknee.journal import Entry
from hipknee.store import Store

PAGES = [None, "pages/journal.py"]


def assert_clear_error(at):
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("cannot use its database" in e for e in errors), errors
    assert any("Nothing was written" in e for e in errors)


@pytest.mark.parametrize("page", PAGES)
def test_corrupt_database(app_test, db_url, page):
    path = db_url.removeprefix("sqlite:///")
    with open(path, "wb") as f:
        f.write(b"definitely not a database " * 200)
    before = Path(path).read_bytes()
    at = app_test(page)
    assert_clear_error(at)
    assert Path(path).read_bytes() == before  # nothing written


def test_database_path_is_a_folder(app_test, tmp_path, monkeypatch):
    folder = tmp_path / "db-is-a-folder"
    folder.mkdir()
    monkeypatch.setenv("HIPKNEE_DATABASE_URL", f"sqlite:///{folder}")
    assert_clear_error(app_test())


def test_unreachable_postgres(app_test, monkeypatch):
    monkeypatch.setenv("HIPKNEE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert_clear_error(app_test())


def test_database_locked_too_long(app_test, db_url, monkeypatch):
    Store.open(db_url).add_entry(Entry(__import__("datetime").date(2025, 1, 1), 3))
    monkeypatch.setenv("HIPKNEE_DB_BUSY_TIMEOUT", "0.5")
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program holds the write lock and does not let go
    try:
        at = app_test("pages/journal.py")
        assert_clear_error(at)
        assert "locked" in " ".join(e.value for e in at.error)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert Store.open(db_url).count_entries() == 1
