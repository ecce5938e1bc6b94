"""Browser-test helpers: the real app in Debian's headless Chromium (never a browser Playwright downloads).

``app_server`` starts `streamlit run app.py` on a free port against a temporary database (one server per
test module); ``page`` is a fresh browser context at desktop size; ``open_page(page, path, viewport)`` loads
a URL path and waits until Streamlit is idle. Console errors and page exceptions fail the test.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'
# Harmless: Streamlit probes for a base path when a page URL is opened directly.
NOISE = ("/_stcore/health", "/_stcore/host-config", "favicon")



def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if not path:
        pytest.fail("Chromium is not installed; `make test` installs it (apt-get install chromium)")
    return path


@dataclass
class AppServer:
    url: str
    db_url: str
    process: subprocess.Popen
    log_path: Path


def wait_for_health(url: str, process: subprocess.Popen, log_path: Path, what: str, timeout: float = 60) -> None:
    """Poll ``url`` until it answers "ok"; fail the test with the log's tail if the process dies or times out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.read() == b"ok":
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not start:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)


def start_app(port: int, db_url: str, sample_db_url: str, log_path: Path) -> AppServer:
    """`streamlit run app.py` on 127.0.0.1:``port`` against ``db_url`` in its own process group, once healthy."""
    env = {
        **os.environ, "HIPKNEE_DATABASE_URL": db_url, "PYTHONUNBUFFERED": "1",
        "HIPKNEE_SAMPLE_DATABASE_URL": sample_db_url,
    }
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "app.py"),
             "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
             "--global.developmentMode", "false"],
            cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    server = AppServer(f"http://127.0.0.1:{port}", db_url, process, log_path)
    try:
        wait_for_health(f"{server.url}/_stcore/health", process, log_path, "streamlit")
    except BaseException:
        stop_process_group(process)
        raise
    return server


def stop_process_group(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a process started with ``start_new_session=True`` (and its children) by its id."""
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)



@dataclass
class PageErrors:
    console: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)


def new_page(browser, viewport: dict, errors: PageErrors):
    context = browser.new_context(viewport=viewport)

    def route(r):
        host = r.request.url.split("/")[2] if "://" in r.request.url else ""
        if host.split(":")[0] in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            errors.external.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    context.add_init_script(TRAFFIC_SCRIPT)
    page = context.new_page()
    def on_console(message) -> None:
        where = (message.location or {}).get("url", "")
        if message.type != "error" or any(n in message.text or n in where for n in NOISE):
            return
        if message.text.startswith("Failed to load resource") and "127.0.0.1" not in where:
            return
        errors.console.append(f"{message.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: errors.exceptions.append(str(e)))
    page.set_default_timeout(30_000)
    return page


# Counts the app's WebSocket traffic in the page. Right after a click, Streamlit can still say "not running"
# for a moment before the rerun the click asked for has started (longer on a busy machine), so "idle" alone
# is not enough: idle also needs an answer from the server after the last message the page sent.
TRAFFIC_SCRIPT = """
(() => {
  const t = window.__hkTraffic = {lastSent: 0, lastReceived: 0};
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (...args) {
    t.lastSent = performance.now();
    if (!this.__hkCounted) {
      this.__hkCounted = true;
      this.addEventListener("message", () => { t.lastReceived = performance.now(); });
    }
    return send.apply(this, args);
  };
})();
"""
IDLE = """([ready, quietMs, unansweredMs]) => {
  if (!document.querySelector(ready)) return false;
  const t = window.__hkTraffic;
  if (!t) return true;
  const now = performance.now();
  const answered = t.lastReceived >= t.lastSent || now - t.lastSent > unansweredMs;
  return answered && now - Math.max(t.lastSent, t.lastReceived) > quietMs;
}"""


def wait_ready(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running the script and the server has answered the page's last message.

    Some messages get no answer; after 3 s without one, idle is enough.
    """
    page.wait_for_selector(READY, timeout=timeout)
    page.wait_for_function(IDLE, arg=[READY, 250, 3_000], timeout=timeout, polling=50)
    page.wait_for_selector(READY, timeout=timeout)


def assert_no_app_errors(page, errors: PageErrors) -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert errors.exceptions == [], errors.exceptions
    assert errors.console == [], errors.console



def open_page(page, server: AppServer, path: str = "") -> None:
    page.goto(f"{server.url}/{path.lstrip('/')}")
    wait_ready(page)


def set_date_input(page, date, nth: int = 0) -> None:
    """Type a date into a Streamlit date input (react-aria segments: year, month, day), then commit it.

    The value reaches Python when the field loses focus, so focus moves to the page title afterwards.
    """
    field = page.locator('[data-testid="stMain"] [data-testid="stDateInput"]').nth(nth)
    field.locator('[data-type="year"]').click()
    page.keyboard.type(date.strftime("%Y%m%d"))
    page.keyboard.press("Enter")
    page.locator('[data-testid="stMain"] h1').first.click()
    page.wait_for_timeout(300)
    wait_ready(page)
