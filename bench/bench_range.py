"""Trends range switches with ten years of data in Chromium, against the same switch on a one-chart plotly page.

One browser session on /trends (ten years from `hipknee demo --days 3650`) and one on bench/hello_app.py,
whose range control switches its one chart over the same spans. Each switch is clicked in turn on both
pages (A B A B), timed in the page from the click to the last change of the page after the rerun
finished, once nothing has changed for 400 ms ("charts settled"). Medians per target range; goal <= 1.5x.
``HIPKNEE_BENCH_RANGE_ROUNDS`` sets the rounds through all four ranges (default 6).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench import _browser as B
from bench.bench_pages import ten_year_database

GOAL = 1.5
# The order visits every range from a different one each time; the last of a round leads into the next.
LABELS = ["1 year", "All", "4 weeks", "3 months"]


def _open(b, url: str):
    page = B.new_page(b)
    page.goto(url)
    page.wait_for_selector(B.READY, timeout=90_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
    return page


def _switch(page, label: str) -> float:
    radio = page.get_by_role("radio", name=label, exact=True)
    return B.click_to_settled_ms(page, radio.click)


def run() -> list[tuple[str, float, str, bool]]:
    rounds = int(os.environ.get("HIPKNEE_BENCH_RANGE_ROUNDS", "6"))
    rows: list[tuple[str, float, str, bool]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = ten_year_database(Path(tmp))
        with B.servers((B.HELLO_APP, {}), (B.PROJECT_DIR / "app.py", env)) as (hello, app), B.browser() as b:
            B.first_load_ms(b, app.url)  # the router is registered before a page is opened by its URL
            trends, base = _open(b, f"{app.url}/trends"), _open(b, hello.url)
            for label in LABELS:  # warm-up: every range built and cached once on both
                _switch(base, label)
                _switch(trends, label)
            times: dict[str, tuple[list[float], list[float]]] = {label: ([], []) for label in LABELS}
            for _ in range(rounds):
                for label in LABELS:
                    times[label][0].append(_switch(base, label))
                    times[label][1].append(_switch(trends, label))
    worst = 0.0
    for label in LABELS:
        base_ms, trends_ms = B.median(times[label][0]), B.median(times[label][1])
        ratio = trends_ms / base_ms
        worst = max(worst, ratio)
        rows.append((f"switch to {label}: one-chart page (baseline), median", base_ms, "ms", True))
        rows.append((f"switch to {label}: Trends, 10 years, median", trends_ms, "ms", True))
        rows.append((f"  Trends / baseline, {label} (goal <= {GOAL})", ratio, "x", ratio <= GOAL))
    rows.append((f"range switch: worst Trends / baseline (goal <= {GOAL})", worst, "x", worst <= GOAL))
    return rows


if __name__ == "__main__":
    for what, value, unit, ok in run():
        print(f"  {what:<60} {value:>10.3f} {unit:<4} {'ok' if ok else 'GOAL MISSED'}")
