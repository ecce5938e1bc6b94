"""Memory over a long session, with and without Streamlit's full garbage collection after every script run.

`python -m bench.memory_rss [RERUNS [true,false]]` (not in `make bench`: it takes minutes). For each
setting of ``runner.postScriptGC`` (the app's own ``gc.freeze()``, ui/gcfreeze.py, runs in both) it starts
the app on ten years of demo data, opens Trends in one browser session and switches the range RERUNS times
(default 200), then opens a new session per page (each page twice) and switches again, sampling the
server's resident memory (VmRSS) as it goes. It prints RSS after the warm-up, at the end, the growth per
100 reruns, and the median click-to-settled time of a switch.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench import _browser as B
from bench.bench_pages import PAGES, ten_year_database

LABELS = ["4 weeks", "3 months", "1 year", "All"]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def switch(page, label: str) -> float:
    return B.click_to_settled_ms(page, lambda: page.get_by_role("radio", name=label, exact=True).click(),
                                 quiet_ms=150)


def measure(env: dict[str, str], post_gc: bool, reruns: int) -> dict[str, float]:
    env = {**env, "STREAMLIT_RUNNER_POST_SCRIPT_GC": "true" if post_gc else "false"}
    with B.servers((B.PROJECT_DIR / "app.py", env)) as (app,), B.browser() as b:
        pid = app.process.pid
        page = B.new_page(b)
        page.goto(f"{app.url}/trends")
        page.wait_for_selector(B.READY, timeout=90_000)
        for label in LABELS * 2:  # warm-up: every figure built and cached once
            switch(page, label)
        start = rss_mib(pid)
        samples, times = [start], []
        for n in range(reruns):
            times.append(switch(page, LABELS[n % len(LABELS)]))
            if n % 25 == 24:
                samples.append(rss_mib(pid))
        for path in PAGES * 2:  # new sessions, every page
            B.first_load_ms(b, f"{app.url}/{path}")
        for n in range(reruns // 2):
            times.append(switch(page, LABELS[n % len(LABELS)]))
        time.sleep(1)
        end = rss_mib(pid)
        page.context.close()
    return {"start": start, "end": end, "peak": max(samples + [end]),
            "per_100": (end - start) / (reruns * 1.5) * 100, "switch_ms": B.median(times)}


def main() -> None:
    reruns = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    settings = [v == "true" for v in sys.argv[2].split(",")] if len(sys.argv) > 2 else [True, False]
    with tempfile.TemporaryDirectory() as tmp:
        env = ten_year_database(Path(tmp))
        for post_gc in settings:
            m = measure(env, post_gc, reruns)
            print(f"postScriptGC={str(post_gc).lower():<5} RSS after warm-up {m['start']:.0f} MiB, after "
                  f"{int(reruns * 1.5)} reruns + {2 * len(PAGES)} new sessions {m['end']:.0f} MiB "
                  f"(peak {m['peak']:.0f}), {m['per_100']:+.1f} MiB per 100 reruns; "
                  f"switch click->settled median {m['switch_ms']:.0f} ms", flush=True)


if __name__ == "__main__":
    main()
