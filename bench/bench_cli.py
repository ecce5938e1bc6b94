"""Command line: `hipknee --help` and `export` of ten years against `python -c "import argparse, sqlalchemy"`.

Each command runs in a fresh process, interleaved with the baseline (A B A B ...), and the medians are
compared: goal <= 1.3x for both. `demo --days 3650` (which fills the database) is timed once, for the record.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL = 1.3
ROUNDS = 7
BASELINE = [sys.executable, "-c", "import argparse, sqlalchemy"]


def _hipknee() -> list[str]:
    script = Path(sys.executable).with_name("hipknee")
    return [str(script)] if script.exists() else [sys.executable, "-m", "hipknee"]


def _time(cmd: list[str], env: dict[str, str]) -> float:
    # No timeout: with one, Popen.wait polls with sleeps of up to 50 ms, which rounds every time to 50 ms steps.
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def run() -> list[tuple[str, float, str, bool]]:
    rows: list[tuple[str, float, str, bool]] = []
    # Bytecode first, as an installed package (and SQLAlchemy in the baseline) has it: with
    # PYTHONDONTWRITEBYTECODE set, hipknee would be compiled from source on every run and the baseline not.
    package = Path(__file__).resolve().parents[1] / "hipknee"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True,
                   env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "HIPKNEE_DATABASE_URL": f"sqlite:///{Path(tmp) / 'ten-years.db'}"}
        demo_s = _time([*_hipknee(), "demo", "--days", "3650"], env)
        rows.append(("`hipknee demo --days 3650` (one transaction; info)", demo_s, "s", True))
        commands = {"--help": [*_hipknee(), "--help"], "export (10 years)": [*_hipknee(), "export"]}
        times: dict[str, list[float]] = {"baseline": [], **{name: [] for name in commands}}
        _time(BASELINE, env)  # warm the file cache for everyone
        for cmd in commands.values():
            _time(cmd, env)
        for _ in range(ROUNDS):
            for name, cmd in commands.items():
                times["baseline"].append(_time(BASELINE, env))
                times[name].append(_time(cmd, env))
    base = statistics.median(times["baseline"])
    rows.append(("baseline: python -c 'import argparse, sqlalchemy' (median)", base * 1000, "ms", True))
    for name in commands:
        value = statistics.median(times[name])
        rows.append((f"hipknee {name} (median)", value * 1000, "ms", True))
        rows.append((f"hipknee {name} / baseline (goal <= {GOAL})", value / base, "x", value / base <= GOAL))
    return rows


if __name__ == "__main__":
    for what, value, unit, ok in run():
        print(f"  {what:<60} {value:>10.3f} {unit:<4} {'ok' if ok else 'GOAL MISSED'}")
