"""Shared by the browser benchmarks: start a Streamlit app, drive Debian's Chromium, measure in the page.

Both the app and its baseline (bench/hello_app.py) run from the project folder, so they read the same
.streamlit/config.toml: nothing is overridden on the command line except address, port and headless mode.
Servers run in their own process group and are stopped by that group's id.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
HELLO_APP = PROJECT_DIR / "bench" / "hello_app.py"
HELLO_MPA = PROJECT_DIR / "bench" / "hello_mpa.py"  # the same page at /chart of a two-page app
READY = '[data-testid="stApp"][data-test-script-state="notRunning"][data-test-connection-state="CONNECTED"]'

# Records, in the page, when the script state changes and when anything in the main area last changed.
# ``__hk.mark()`` starts a new measurement: the next click's time, then running -> notRunning, then quiet.
PROBE_JS = """(() => {
  const hk = window.__hk = {click: null, states: [], lastMutation: 0, firstDone: null, observed: false,
                            msgs: 0, lastMsg: 0};
  hk.mark = () => { hk.click = null; hk.states = []; hk.msgs = 0; hk.lastMutation = performance.now(); };
  // Count the server's messages: a quick rerun can go running -> notRunning within one render, unseen.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { hk.msgs++; hk.lastMsg = performance.now(); });
    }
  };
  document.addEventListener('click', () => { if (hk.click === null) hk.click = performance.now(); }, true);
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) { setTimeout(watch, 5); return; }
    hk.observed = true;
    const state = () => app.getAttribute('data-test-script-state');
    const record = () => {
      const s = state(), t = performance.now();
      hk.states.push([s, t]);
      if (s === 'notRunning' && hk.firstDone === null
          && app.getAttribute('data-test-connection-state') === 'CONNECTED') hk.firstDone = t;
    };
    record();
    // A batch can hold several changes (running -> notRunning): keep the old values too.
    new MutationObserver((records) => {
      const t = performance.now();
      for (const r of records) {
        if (r.attributeName === 'data-test-script-state' && r.oldValue) hk.states.push([r.oldValue, t]);
      }
      record();
    }).observe(app, {attributes: true, attributeOldValue: true,
      attributeFilter: ['data-test-script-state', 'data-test-connection-state']});
    new MutationObserver(() => { hk.lastMutation = performance.now(); })
      .observe(app, {subtree: true, childList: true, attributes: true, characterData: true});
  };
  watch();
})();"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


def start_server(script: Path, env: dict[str, str] | None = None, extra_args: tuple[str, ...] = ()) -> Server:
    """`streamlit run script` from the project folder (its config applies), healthy, in its own group."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="hipknee-bench-", suffix=".log")[1])
    with open(log, "w") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", *extra_args],
            cwd=PROJECT_DIR, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return Server(url, process, log)
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop_server(Server(url, process, log))
            raise RuntimeError(f"{script.name} did not start: {log.read_text()[-500:]}")
        time.sleep(0.2)


def stop_server(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=10)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.process.pid, signal.SIGKILL)
    server.log.unlink(missing_ok=True)


@contextmanager
def servers(*specs: tuple[Path, dict[str, str]]) -> Iterator[list[Server]]:
    started: list[Server] = []
    try:
        for script, env in specs:
            started.append(start_server(script, env))
        yield started
    finally:
        for server in started:
            stop_server(server)


@contextmanager
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )
        try:
            yield b
        finally:
            b.close()


def new_page(b, *, record: list | None = None):
    """A fresh context (a new session, empty cache) with the probe installed; only localhost is reachable."""
    context = b.new_context(viewport={"width": 1280, "height": 900})

    def route(r) -> None:
        host = r.request.url.split("/")[2].split(":")[0] if "://" in r.request.url else ""
        if host in ("127.0.0.1", "localhost") or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.add_init_script(PROBE_JS)
    if record is not None:
        page.on("response", lambda response: record.append(response))
    return page


def first_load_ms(b, url: str, settle_selector: str | None = None) -> float:
    """Navigation start to the first idle, connected script state (script done), in the page's own clock."""
    page = new_page(b)
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_selector(READY, timeout=90_000)
        if settle_selector:
            page.wait_for_selector(settle_selector, timeout=90_000)
        return float(page.evaluate("() => window.__hk.firstDone"))
    finally:
        page.context.close()


def click_to_settled_ms(page, click, quiet_ms: int = 400, timeout_s: float = 30) -> float:
    """Click (``click()``), then wait for the rerun to finish and the main area to stop changing.

    Returns the time from the click to the last change of the page (or message from the server) before
    ``quiet_ms`` of stillness, once the server has answered and the script is idle: what a person sees as
    "the charts are done".
    """
    page.evaluate("() => window.__hk.mark()")
    click()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = page.evaluate(
            """(quiet) => { const hk = window.__hk; const now = performance.now();
                 const app = document.querySelector('[data-testid="stApp"]');
                 const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
                 const last = Math.max(hk.lastMutation, hk.lastMsg);
                 return hk.click !== null && hk.msgs > 0 && idle && now - last > quiet
                   ? last - hk.click : null; }""",
            quiet_ms,
        )
        if done is not None:
            return float(done)
        time.sleep(0.05)
    raise TimeoutError("the page did not settle after the click")


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
