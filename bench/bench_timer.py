"""Routine player in Chromium: displayed-time drift and staleness over a 10-minute routine, completion to Python.

Starts the app on a free port with a throwaway database (holding an "ok" screening, so the Routine page
opens), loads a routine of about ten minutes from a share link, presses Start, and samples the player's
``hold-remaining`` countdown inside the page every 20 ms, timed with performance.now() from the click.

The ideal display is known from the plan: with whole-second steps the shown value changes exactly on every
whole second after Start (ceil convention: at t the countdown shows ceil(step end - t)). For each change:
lag = when it was seen (midpoint of the two samples around it) - when it was due. Reported:

* drift: last lag - first lag over the whole routine (goal <= 0.05 s)
* max staleness: the longest any value stayed on screen after it was due to change (goal <= 0.05 s)
* completion to Python: the session row's ended_at (written by the page when the player's "completed"
  report arrives) minus the routine's ideal end, both on this machine's clock (goal <= 0.25 s); and when the
  page's own "Routine complete." message appeared, for comparison.

It takes a little over ten minutes. ``HIPKNEE_BENCH_TIMER_QUICK=1`` runs a one-minute routine instead (for
trying the benchmark itself). Sampling makes each lag accurate to about +-10 ms.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
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
from pathlib import Path

from hipknee import routines as R
from hipknee.exercises import load_exercises
from hipknee.store import DATABASE_URL_ENV, Store

PROJECT_DIR = Path(__file__).resolve().parent.parent
# 603 s: three strength moves (reps, both sides) and the four stretches held 53 s, one set, no warm-up.
LONG = R.RoutineSettings(
    ("clamshell", "bridge", "hip_extension", "hip_flexor", "butterfly", "pigeon", "it_band"),
    hold_seconds=53, sets=1, warmup=False,
)
QUICK = R.RoutineSettings(("butterfly", "it_band"), hold_seconds=15, sets=1, warmup=False)
SAMPLE_MS = 20
DRIFT_GOAL_S = 0.05
STALE_GOAL_S = 0.05
COMPLETION_GOAL_S = 0.25
PY_TEXT = "Routine complete."  # the page's own message (outside the player's shadow root)

SAMPLER_JS = """(cfg) => {
  const find = () => {
    for (const host of document.querySelectorAll('*')) {
      if (!host.shadowRoot) continue;
      const el = host.shadowRoot.querySelector('[data-testid="hold-remaining"]');
      if (el) return el;
    }
    return null;
  };
  const st = window.__bt = {click: null, armed: false, changes: [], samples: 0, maxGap: 0,
                            last: undefined, lastT: null, py: null, el: null, gaps: []};
  document.addEventListener('click', () => {
    if (st.armed && st.click === null) st.click = performance.now();
  }, true);
  st.timer = setInterval(() => {
    const now = performance.now();
    if (!st.el || !st.el.isConnected) st.el = find();
    const text = st.el ? st.el.textContent : null;
    if (st.lastT !== null && st.click !== null) {
      st.maxGap = Math.max(st.maxGap, now - st.lastT);
      if (now - st.lastT > 60) st.gaps.push([st.lastT - st.click, now - st.lastT]);
    }
    st.samples++;
    if (text !== st.last) { st.changes.push([st.lastT, now, text]); st.last = text; }
    st.lastT = now;
    if (st.click !== null && st.py === null) {
      const main = document.querySelector('[data-testid="stMain"]');
      if (main && main.textContent.includes(cfg.pyText)) st.py = now;
    }
  }, cfg.interval);
  return true;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _parse_clock(text: str | None) -> int | None:
    try:
        minutes, seconds = (text or "").strip().split(":")
        return int(minutes) * 60 + int(seconds)
    except ValueError:
        return None


def ideal_transitions(plan: R.Plan) -> list[tuple[int, int]]:
    """(due second after Start, value shown from then on): every whole second, then 0 at the end."""
    ends = [s.end for s in plan.steps]
    out = []
    for k in range(plan.total_seconds):
        i = next(n for n, end in enumerate(ends) if end > k)
        out.append((k, ends[i] - k))
    out.append((plan.total_seconds, 0))
    return out


def analyse(changes: list[tuple[float, int | None]], ideal: list[tuple[int, int]]) -> dict:
    """Match each due change to the observed change to the same value nearest in time."""
    lags: list[float] = []
    missing = 0
    used: set[int] = set()
    for due, value in ideal:
        best = None
        for n, (t, v) in enumerate(changes):
            closer = best is None or abs(t - due) < abs(changes[best][0] - due)
            if v == value and n not in used and abs(t - due) < 0.9 and closer:
                best = n
        if best is None:
            missing += 1
            continue
        used.add(best)
        lags.append(changes[best][0] - due)
    extra = len(changes) - len(used)
    result = {"transitions": len(ideal), "matched": len(lags), "missing": missing, "unexpected": extra}
    if missing == 0 and len(lags) >= 3:
        # The change at 0 is the response to the click (the click's own handling comes first); the clock
        # is judged on the ticks after it: every whole second to the end.
        ticks = lags[1:]
        result.update(
            start_response=lags[0], first_lag=ticks[0], last_lag=ticks[-1], drift=ticks[-1] - ticks[0],
            median_lag=statistics.median(ticks), max_lag=max(ticks), max_early=max(0.0, -min(ticks)),
        )
    return result


def _start_server(db_url: str, log_path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, DATABASE_URL_ENV: db_url, "PYTHONUNBUFFERED": "1"}
    with open(log_path, "w") as log:  # the server keeps its own copy of the file
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(PROJECT_DIR / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--global.developmentMode", "false"],
            cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            _stop_server(process)
            raise RuntimeError(f"streamlit did not start: {log_path.read_text()[-500:]}")
        time.sleep(0.2)


def _stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def measure(settings: R.RoutineSettings) -> dict:
    from playwright.sync_api import sync_playwright

    plan = R.expand(settings, load_exercises())
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        store = Store.open(db_url)
        store.save_screening("ok", {}, [])
        process, url = _start_server(db_url, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path=chromium,
                    args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
                          "--disable-background-networking", "--disable-component-update"],
                )
                try:
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(f"{url}/routine?{R.query_string(settings)}")
                    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                           timeout=60_000)
                    page.locator(".hk-player[data-ready]").wait_for(timeout=60_000)
                    page.evaluate(SAMPLER_JS, {"interval": SAMPLE_MS, "pyText": PY_TEXT})
                    page.wait_for_timeout(500)
                    page.evaluate("() => { window.__bt.armed = true; }")
                    page.get_by_role("button", name="Start", exact=True).click()
                    total = plan.total_seconds
                    deadline = time.monotonic() + total + 30
                    while time.monotonic() < deadline:
                        page.wait_for_timeout(2000)
                        if page.evaluate("() => window.__bt.py !== null"):
                            break
                    page.wait_for_timeout(500)
                    raw = page.evaluate(
                        "() => { clearInterval(window.__bt.timer); const b = window.__bt;"
                        " return {click: b.click, changes: b.changes, py: b.py, samples: b.samples,"
                        " maxGap: b.maxGap, gaps: b.gaps, origin: performance.timeOrigin}; }"
                    )
                finally:
                    browser.close()
        finally:
            _stop_server(process)
        frame = store.sessions_frame()
        store.engine.dispose()
    if raw["click"] is None:
        raise RuntimeError("the click on Start was not seen in the page")
    click = raw["click"]
    changes = [((t - click) / 1000.0, _parse_clock(text)) for _, t, text in raw["changes"]
               if t >= click]
    # midpoint between the last sample with the old value and the first with the new one
    mids = []
    for before, t, text in raw["changes"]:
        if t >= click:
            mid = ((before + t) / 2 if before is not None else t)
            mids.append((max(0.0, (mid - click) / 1000.0), _parse_clock(text)))
    result = analyse(mids, ideal_transitions(plan))
    if changes:  # the first sample showing the routine's first count: an upper bound (one sample late at most)
        result["start_response"] = changes[0][0]
    result["total_s"] = plan.total_seconds
    result["samples"] = raw["samples"]
    result["max_sample_gap_s"] = raw["maxGap"] / 1000.0
    result["changes_seen"] = len(changes)
    result["main_thread_stalls"] = [(round(at / 1000, 2), round(gap / 1000, 3)) for at, gap in raw["gaps"]]
    ideal_end_epoch = (raw["origin"] + click) / 1000.0 + plan.total_seconds
    done = frame[frame["status"] == "completed"]
    if not done.empty and done.iloc[-1]["ended_at"] is not None:
        ended = done.iloc[-1]["ended_at"].to_pydatetime().replace(tzinfo=dt.UTC).timestamp()
        result["completion_db_s"] = ended - ideal_end_epoch
    if raw["py"] is not None:
        result["completion_screen_s"] = (raw["py"] - click) / 1000.0 - plan.total_seconds
    return result


def run() -> list[tuple[str, float, str, bool]]:
    settings = QUICK if os.environ.get("HIPKNEE_BENCH_TIMER_QUICK") else LONG
    try:
        m = measure(settings)
    except Exception as exc:  # a benchmark reports; it never raises
        return [(f"timer bench could not run: {type(exc).__name__}: {exc}"[:120], math.nan, "", False)]
    minutes = m["total_s"] / 60
    nan = math.nan
    rows = [
        (f"player: {m['total_s']} s routine, countdown changes matched of {m['transitions']}",
         m["matched"], "", m["missing"] == 0 and m["unexpected"] == 0),
        (f"player: displayed-time drift over {minutes:.1f} min (last lag - first lag)",
         m.get("drift", nan), "s", abs(m.get("drift", nan)) <= DRIFT_GOAL_S),
        ("player: max staleness of the displayed time", m.get("max_lag", nan), "s",
         m.get("max_lag", nan) <= STALE_GOAL_S),
        ("player: median lag of a change (+-0.01 s sampling)", m.get("median_lag", nan), "s",
         abs(m.get("median_lag", nan)) <= STALE_GOAL_S),
        ("player: max early change (shown before due)", m.get("max_early", nan), "s",
         m.get("max_early", nan) <= STALE_GOAL_S),
        ("player: Start click to the first count on screen (<= 1 sample late)", m.get("start_response", nan),
         "s", m.get("start_response", nan) <= 0.1),
        ("player: completion to Python (session ended_at - ideal end)", m.get("completion_db_s", nan), "s",
         m.get("completion_db_s", nan) <= COMPLETION_GOAL_S),
        ("player: completion shown by the page ('Routine complete.')", m.get("completion_screen_s", nan),
         "s", m.get("completion_screen_s", nan) <= COMPLETION_GOAL_S + 0.25),
    ]
    return rows


if __name__ == "__main__":
    import json

    print(json.dumps(measure(QUICK if os.environ.get("HIPKNEE_BENCH_TIMER_QUICK") else LONG), indent=2))
