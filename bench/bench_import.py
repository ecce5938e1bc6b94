"""Journal store: importing ten years of daily entries from CSV (goal: under 2 s)."""

import datetime as dt
import tempfile
import time
from pathlib import Path

from hipknee import csvio
from hipknee.journal import Entry
from hipknee.store import Store

DAYS = 3650
GOAL_S = 2.0


def run() -> list[tuple[str, float, str, bool]]:
    today = dt.date.today()
    entries = [
        Entry(date=today - dt.timedelta(days=i), worst_pain=i % 11, activity_pain=(i * 7) % 11 or None,
              did_routine=i % 3 != 0, notes="stairs fine" if i % 9 == 0 else "")
        for i in range(DAYS)
    ]
    data = csvio.export_csv(sorted(entries, key=lambda e: e.date)).encode()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{Path(tmp) / 'bench.db'}")
        start = time.perf_counter()
        result = csvio.import_csv(store, data, today=today)
        elapsed = time.perf_counter() - start
        assert result.added == DAYS
        store.engine.dispose()
    results.append((f"import {DAYS} days from CSV (validate + write)", elapsed, "s", elapsed < GOAL_S))
    return results
