"""Fixtures for the browser tests (helpers are in harness.py). Every test here is marked ``browser``."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.browser.harness import (
    DESKTOP,
    MOBILE,
    AppServer,
    PageErrors,
    chromium_path,
    new_page,
    start_app,
    stop_process_group,
)
from tests.netutil import free_port


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    tmp = tmp_path_factory.mktemp("app")
    server = start_app(
        free_port(), f"sqlite:///{tmp / 'browser.db'}", f"sqlite:///{tmp / 'sample.db'}", tmp / "streamlit.log"
    )
    try:
        yield server
    finally:
        stop_process_group(server.process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def page(browser, page_errors: PageErrors):
    p = new_page(browser, DESKTOP, page_errors)
    yield p
    p.context.close()


@pytest.fixture
def mobile_page(browser, page_errors: PageErrors):
    p = new_page(browser, MOBILE, page_errors)
    yield p
    p.context.close()


@pytest.fixture
def screened_store(app_server: AppServer):
    """The module server's store with an "ok" screening on file, so the Routine page opens its player."""
    from hipknee.store import Store

    s = Store.open(app_server.db_url)
    if s.latest_screening() is None:
        s.save_screening("ok", {}, [])
    yield s
    s.engine.dispose()
