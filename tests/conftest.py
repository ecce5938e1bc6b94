"""Shared fixtures: a fresh temporary database per test, and AppTest runs against it."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from hipknee.store import DATABASE_URL_ENV, Store

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_PATH = PROJECT_DIR / "app.py"
APPTEST_TIMEOUT = 60  # the first run in a fresh process imports plotly and pandas: seconds, not 3


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh SQLite file, also set as HIPKNEE_DATABASE_URL for code that reads the environment."""
    url = f"sqlite:///{tmp_path / 'hipknee-test.db'}"
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    return url


def _opened(url: str):
    store = Store.open(url)
    yield store
    store.engine.dispose()


@pytest.fixture
def store(db_url: str) -> Store:
    yield from _opened(db_url)


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the whole run (about a second to start)."""
    from tests.pgserver import start_server

    try:
        server = start_server()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


_pg_databases = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database on each backend in turn, also set as HIPKNEE_DATABASE_URL."""
    if request.param == "sqlite":
        return request.getfixturevalue("db_url")
    url = request.getfixturevalue("postgres_server").create_database(f"test_{next(_pg_databases)}")
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    return url


@pytest.fixture
def any_store(any_db_url: str) -> Store:
    yield from _opened(any_db_url)


@pytest.fixture
def today() -> dt.date:
    return dt.date.today()


@pytest.fixture
def app_test(db_url: str):
    """Factory: ``app_test("pages/journal.py")`` runs app.py, switches to that page, returns the AppTest."""
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, *, session_state: dict | None = None,
             query_params: dict | None = None, secrets: dict | None = None,
             user: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(APP_PATH), default_timeout=APPTEST_TIMEOUT)
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        if user is not None:
            at.user = user
        for key, value in (session_state or {}).items():
            at.session_state[key] = value
        for key, value in (query_params or {}).items():
            at.query_params[key] = value
        at.run()
        if page is not None:
            at.switch_page(str(PROJECT_DIR / page))
            at.run()
        return at

    return make
