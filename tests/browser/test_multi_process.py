"""Beyond one machine (issue 11, part 6): two app processes on one PostgreSQL behind Debian's nginx.

nginx runs the shipped deploy/nginx.conf.example (placeholders filled in) as a foreground child process with
its own pid file, log and temporary folders, on a free 127.0.0.1 port. Two browser sessions end up pinned to
different app processes by the affinity cookie; nginx's access log proves which process served every request
of each session, the WebSocket included. Each session saves a journal entry and reads the other's back.
"""

from __future__ import annotations

import datetime as dt
import shutil
import string
import subprocess
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from hipknee.store import Store
from tests.browser.harness import (
    DESKTOP,
    PROJECT_DIR,
    AppServer,
    PageErrors,
    assert_no_app_errors,
    new_page,
    open_page,
    set_date_input,
    start_app,
    stop_process_group,
    wait_for_health,
    wait_ready,
)
from tests.netutil import free_port

CONFIG_EXAMPLE = PROJECT_DIR / "deploy" / "nginx.conf.example"
AFFINITY_COOKIE = "hipknee_affinity"


@dataclass
class Proxy:
    url: str
    access_log: Path
    process: subprocess.Popen

    def log_lines(self) -> list[tuple[str, str, str, str, str]]:
        """(upstream, status, affinity, method, uri) per request, as the example's log_format writes them."""
        rows = []
        for line in self.access_log.read_text().splitlines():
            parts = line.split(" ")
            assert len(parts) == 5, f"unexpected access log line {line!r}"
            rows.append(tuple(parts))
        return rows


def nginx_path() -> str:
    path = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not path:
        pytest.fail("nginx is not installed; `make test` installs it (apt-get install nginx)")
    return path


def render_config(directory: Path, listen: str, upstreams: list[str]) -> str:
    """The shipped example with its ${HIPKNEE_...} placeholders filled in (as envsubst would)."""
    text = string.Template(CONFIG_EXAMPLE.read_text()).safe_substitute(
        HIPKNEE_NGINX_DIR=str(directory), HIPKNEE_LISTEN=listen,
        HIPKNEE_UPSTREAMS=" ".join(f"server {u};" for u in upstreams),
    )
    settings = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in settings if "HIPKNEE_" in line], "a placeholder was left unfilled"
    return text


@pytest.fixture(scope="module")
def apps(postgres_server, tmp_path_factory) -> Iterator[list[AppServer]]:
    tmp = tmp_path_factory.mktemp("apps")
    db_url = postgres_server.create_database("multi_process")
    servers: list[AppServer] = []
    try:
        for i in (1, 2):
            servers.append(
                start_app(free_port(), db_url, f"sqlite:///{tmp / f'sample-{i}.db'}", tmp / f"streamlit-{i}.log")
            )
        yield servers
    finally:
        for server in servers:
            stop_process_group(server.process)


@pytest.fixture(scope="module")
def proxy(apps, tmp_path_factory) -> Iterator[Proxy]:
    directory = tmp_path_factory.mktemp("nginx")
    port = free_port()
    config = directory / "nginx.conf"
    config.write_text(
        render_config(directory, f"127.0.0.1:{port}", [s.url.removeprefix("http://") for s in apps])
    )
    log_path = directory / "nginx.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [nginx_path(), "-p", str(directory), "-c", str(config), "-g", "daemon off;"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_for_health(f"http://127.0.0.1:{port}/_stcore/health", process, log_path, "nginx", timeout=20)
        yield Proxy(f"http://127.0.0.1:{port}", directory / "access.log", process)
    finally:
        stop_process_group(process)  # the master's id: it stops its workers and exits


def test_example_config_is_valid_for_debian_nginx(tmp_path):
    config = tmp_path / "nginx.conf"
    config.write_text(render_config(tmp_path, "127.0.0.1:1", ["127.0.0.1:2", "127.0.0.1:3"]))
    result = subprocess.run(
        [nginx_path(), "-t", "-p", str(tmp_path), "-c", str(config)], capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 0, result.stderr


def pinned_sessions(browser, proxy: Proxy, apps: list[AppServer]) -> dict[str, tuple[object, str, PageErrors]]:
    """Open fresh browser contexts through the proxy until one is pinned to each app process.

    Returns {upstream "127.0.0.1:PORT": (page, affinity cookie, errors)}. Each new context gets a random
    cookie, and the consistent hash sends it to one process or the other, so a few contexts cover both.
    """
    wanted = {s.url.removeprefix("http://") for s in apps}
    found: dict[str, tuple[object, str, PageErrors]] = {}
    for _ in range(24):
        errors = PageErrors()
        page = new_page(browser, DESKTOP, errors)
        page.goto(f"{proxy.url}/journal")
        wait_ready(page)
        (cookie,) = [c["value"] for c in page.context.cookies() if c["name"] == AFFINITY_COOKIE]
        upstreams = {u for u, _, aff, _, _ in proxy.log_lines() if aff == cookie}
        assert len(upstreams) == 1 and upstreams <= wanted, upstreams
        (upstream,) = upstreams
        if upstream in found:
            page.context.close()
            continue
        found[upstream] = (page, cookie, errors)
        if len(found) == len(wanted):
            return found
    pytest.fail(f"24 browser sessions all went to {sorted(found)}: the affinity hash does not spread them")


def test_two_processes_behind_nginx_share_one_journal(browser, proxy, apps):
    sessions = pinned_sessions(browser, proxy, apps)
    (up_a, (page_a, cookie_a, errors_a)), (up_b, (page_b, cookie_b, errors_b)) = sorted(sessions.items())
    assert up_a != up_b and cookie_a != cookie_b
    server = AppServer(proxy.url, apps[0].db_url, proxy.process, proxy.access_log)
    today = dt.date.today()
    yesterday = today - dt.timedelta(days=1)

    def save(page, date: dt.date, note: str) -> None:
        open_page(page, server, "journal")
        if date != today:
            set_date_input(page, date)
        main = page.locator('[data-testid="stMain"]')
        # Nothing is pre-set (issue 17): choose the worst pain first, then write the note.
        main.get_by_role("radiogroup", name="Worst knee pain today").get_by_role("radio", name="3", exact=True).click()
        wait_ready(page)
        notes = main.get_by_label("Notes (optional)")
        notes.fill(note)
        notes.press("Tab")  # a text area sends its value when it loses focus, as a person tabbing on would
        wait_ready(page)
        main.get_by_role("button", name="Save entry").click()
        wait_ready(page)
        main.get_by_text("Saved the entry").wait_for(timeout=15_000)

    def shows(page, date: dt.date, note: str) -> None:
        open_page(page, server, "journal")  # a fresh load: a new Streamlit session on the pinned process
        if date != today:
            set_date_input(page, date)
        # expect, not one read: a fresh session's first run can be followed by another (browser time zone known)
        expect(page.locator('[data-testid="stMain"]').get_by_label("Notes (optional)")).to_have_value(note)

    save(page_a, today, f"saved through {up_a}")
    save(page_b, yesterday, f"saved through {up_b}")
    shows(page_b, today, f"saved through {up_a}")  # written by process A, read on process B
    shows(page_a, yesterday, f"saved through {up_b}")

    store = Store.open(apps[0].db_url)  # and both are really in the one PostgreSQL database
    try:
        assert {e.date: e.notes for e in store.list_entries()} == {
            today: f"saved through {up_a}", yesterday: f"saved through {up_b}",
        }
    finally:
        store.engine.dispose()

    for page, errors in ((page_a, errors_a), (page_b, errors_b)):
        assert_no_app_errors(page, errors)
        assert errors.external == []
        page.context.close()

    # Every request of each session, its WebSocket upgrades included, reached its own process only. nginx logs
    # a WebSocket when it closes: each session opened the journal three times, so three, once all are closed.
    def streams() -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for _, status, affinity, _, uri in proxy.log_lines():
            if uri == "/_stcore/stream":
                found[affinity].append(status)
        return found

    deadline = time.monotonic() + 15
    while min(len(streams()[cookie_a]), len(streams()[cookie_b])) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert streams()[cookie_a] == ["101"] * 3 and streams()[cookie_b] == ["101"] * 3, streams()
    served: dict[str, set[str]] = defaultdict(set)
    for upstream, _, affinity, _, _ in proxy.log_lines():
        served[affinity].add(upstream)
    assert served[cookie_a] == {up_a} and served[cookie_b] == {up_b}
