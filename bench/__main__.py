"""`make bench`: run every benchmark module (bench/bench_*.py) and print its figures.

Each module exposes ``run() -> list[tuple[str, float, str, bool]]``: (what, value, unit, goal met).
Benchmarks report; they are not tests, and a missed goal is printed, not raised.
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> int:
    here = Path(__file__).parent
    missed = 0
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"== {info.name}: {(module.__doc__ or '').strip().splitlines()[0]}")
        try:
            rows = module.run()
        except Exception as exc:  # a benchmark reports; one that cannot run must not hide the others
            rows = [(f"could not run: {type(exc).__name__}: {exc}"[:100], float("nan"), "", False)]
        for what, value, unit, ok in rows:
            missed += not ok
            print(f"  {what:<60} {value:>10.3f} {unit:<4} {'ok' if ok else 'GOAL MISSED'}")
    print(f"{missed} goal(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
