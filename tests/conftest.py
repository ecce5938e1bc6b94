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
def backend(request) -> str:
    """Which backend ``any_db_url`` uses. A module whose rules do not depend on the backend overrides this
    fixture with ``params=["sqlite"]`` and marks only its storage tests with ``BOTH_BACKENDS``."""
    return request.param


BOTH_BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def any_db_url(backend: str, request, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh database on each backend in turn, also set as HIPKNEE_DATABASE_URL."""
    if backend == "sqlite":
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


def _assert_on_page(at, page: str) -> None:
    """Fail loudly if the run did not end on ``page`` (e.g. a url_path that no longer matches its file name)."""
    # AppTest keeps the finished page and the navigation registry privately; reading them here is the only way to
    # tell which page ran, and the lock file pins the Streamlit version they come from.
    info = at._registered_pages.get(at._finished_page_script_hash, {})
    ran = info.get("script_path")
    assert ran is not None and Path(str(ran)).resolve() == (PROJECT_DIR / page).resolve(), (
        f"app_test({page!r}) ended on {ran!r}: does its url_path in app.py still equal its file name?"
    )


@pytest.fixture
def app_test(db_url: str):
    """Factory: ``app_test("pages/journal.py")`` runs app.py once, on that page, and returns the AppTest."""
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, *, session_state: dict | None = None,
             query_params: dict | None = None, secrets: dict | None = None,
             user: dict | None = None, context: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(APP_PATH), default_timeout=APPTEST_TIMEOUT)
        if context is not None:  # what the browser says about itself, e.g. {"timezone": "Pacific/Kiritimati"}
            at.context = context
        for key, value in (secrets or {}).items():
            at.secrets[key] = value
        if user is not None:
            at.user = user
        for key, value in (session_state or {}).items():
            at.session_state[key] = value
        for key, value in (query_params or {}).items():
            at.query_params[key] = value
        if page is not None:
            # One run, straight to the page, still inside app.py's st.navigation. Before the first run AppTest
            # names the requested page by its file name, which matches because every url_path in app.py equals
            # its file's name (_assert_on_page checks it), so the router runs exactly this page.
            at.switch_page(str(PROJECT_DIR / page))
        at.run()
        if page is not None:
            _assert_on_page(at, page)
        return at

    return make
