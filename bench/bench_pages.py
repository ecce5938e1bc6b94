"""Pages in Chromium: first load of every page against a hello-world app with one plotly chart; what it downloads.

Both apps run from the project folder with the same .streamlit/config.toml; hipknee holds ten years of
demo data (`hipknee demo --days 3650`) and an "ok" screening, so every page shows its full content.
Each load is a new browser context (a new session, an empty cache), timed in the page from navigation start
to the first idle, connected script state ("script done"). Loads alternate hello, page, hello, page ...
(A B A B), after one warm-up visit each, and the medians are compared: goal <= 1.2x.
For information, each round also loads the same hello page as the second page of a two-page app at its URL
path (bench/hello_mpa.py): every page but Home is loaded that way, and Streamlit spends a failed health check
and a retry on it (streamlit/streamlit#7074); the ratio against that baseline is what hipknee's content costs.

Downloads: every JS file each page fetches over HTTP is recorded. Goal: no page fetches Streamlit's code
syntax highlighter (1.5 MB) unless it shows code, which none does. ``HIPKNEE_BENCH_PAGE_ROUNDS`` sets the
number of rounds (default 11: a page's median moves by about ±0.06x between runs of 7 on this machine).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import _browser as B

GOAL = 1.2
PAGES = ["", "screener", "explainer", "exercises", "routine", "journal", "trends", "data"]
HEAVY_UNUSED = ("StreamlitSyntaxHighlighter",)
DATA_GRID = "DataFrame."  # st.dataframe's grid (~0.5 MB + its helpers): only where a table needs selection


def ten_year_database(tmp: Path) -> dict[str, str]:
    """Environment for an app on a fresh database filled by `hipknee demo --days 3650` (+ an ok screening)."""
    env = {"HIPKNEE_DATABASE_URL": f"sqlite:///{tmp / 'ten-years.db'}",
           "HIPKNEE_SAMPLE_DATABASE_URL": f"sqlite:///{tmp / 'sample.db'}"}
    subprocess.run([sys.executable, "-m", "hipknee", "demo", "--days", "3650"], env={**os.environ, **env},
                   check=True, stdout=subprocess.DEVNULL, cwd=B.PROJECT_DIR)
    from hipknee.store import Store

    store = Store.open(env["HIPKNEE_DATABASE_URL"])
    store.save_screening("ok", {}, [])
    store.engine.dispose()
    return env


def page_name(path: str) -> str:
    return path or "home"


def downloads(b, url: str) -> list[tuple[str, int]]:
    """(file name, bytes) of every script the page fetched on a first load."""
    responses: list = []
    page = B.new_page(b, record=responses)
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_selector(B.READY, timeout=90_000)
        page.wait_for_timeout(1500)  # lazily loaded chunks (charts, components) arrive after the script
        out = []
        for response in responses:
            if response.url.split("?")[0].endswith(".js"):
                try:
                    size = len(response.body())
                except Exception:  # a redirect or an aborted request has no body
                    size = 0
                out.append((response.url.split("?")[0].rsplit("/", 1)[-1], size))
        return out
    finally:
        page.context.close()


def run() -> list[tuple[str, float, str, bool]]:
    rounds = int(os.environ.get("HIPKNEE_BENCH_PAGE_ROUNDS", "11"))
    rows: list[tuple[str, float, str, bool]] = []
    with tempfile.TemporaryDirectory() as tmp:
        env = ten_year_database(Path(tmp))
        specs = ((B.HELLO_APP, {}), (B.HELLO_MPA, {}), (B.PROJECT_DIR / "app.py", env))
        with B.servers(*specs) as (hello, mpa, app), B.browser() as b:
            B.first_load_ms(b, hello.url)
            B.first_load_ms(b, f"{mpa.url}/chart")
            for path in PAGES:  # warm-up: first imports and caches of each page
                B.first_load_ms(b, f"{app.url}/{path}")
            base: list[float] = []
            sub_base: list[float] = []
            loads: dict[str, list[float]] = {path: [] for path in PAGES}
            for _ in range(rounds):
                sub_base.append(B.first_load_ms(b, f"{mpa.url}/chart"))
                for path in PAGES:
                    base.append(B.first_load_ms(b, hello.url))
                    loads[path].append(B.first_load_ms(b, f"{app.url}/{path}"))
            base_ms, sub_ms = B.median(base), B.median(sub_base)
            rows.append(("hello world + one plotly chart: first load, script done (median)", base_ms, "ms", True))
            rows.append(("(info) the same page at /chart of a two-page app (median)", sub_ms, "ms", True))
            rows.append(("(info) that / hello world: Streamlit's cost of a page path", sub_ms / base_ms, "x", True))
            worst = 0.0
            for path in PAGES:
                ms = B.median(loads[path])
                ratio = ms / base_ms
                worst = max(worst, ratio)
                rows.append((f"first load /{path} ({page_name(path)}), median; ratio below", ms, "ms", True))
                rows.append((f"  /{path} / hello world (goal <= {GOAL})", ratio, "x", ratio <= GOAL))
                if path:  # Home is loaded at / like hello world itself
                    rows.append((f"  /{path} / hello at /chart (info)", ms / sub_ms, "x", True))
            rows.append((f"first load: worst page / hello world (goal <= {GOAL})", worst, "x", worst <= GOAL))

            hello_js = {name for name, _ in downloads(b, hello.url)}
            for path in PAGES:
                files = downloads(b, f"{app.url}/{path}")
                unused = [name for name, _ in files if name.startswith(HEAVY_UNUSED)]
                extra = sum(size for name, size in files if name not in hello_js)
                grid = " + data grid" if any(name.startswith(DATA_GRID) for name, _ in files) else ""
                heavy = f"{grid}{' + ' + ','.join(unused) if unused else ''}"
                rows.append((f"/{path}: JS beyond hello world's (info){heavy}", extra / 1024, "KiB", True))
                rows.append((f"/{path}: fetches the code highlighter (goal: no)", float(len(unused)), "",
                             not unused))
    return rows


if __name__ == "__main__":
    for what, value, unit, ok in run():
        print(f"  {what:<60} {value:>10.3f} {unit:<4} {'ok' if ok else 'GOAL MISSED'}")
