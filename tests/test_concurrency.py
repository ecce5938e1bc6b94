"""Writers racing each other, on SQLite and on a throwaway PostgreSQL server (issue 11, part 5).

Each test starts its threads together at a barrier, each thread with its own Store over one engine (as the
app's sessions do), and then checks what is in the database: nothing lost, nothing doubled, no deadlock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

import pytest

from hipknee import demo, sample
from hipknee.errors import ConflictError
from hipknee.journal import Entry
from hipknee.store import Store

THREADS = 8
D0 = dt.date(2025, 3, 1)


def run_together(jobs: list[Callable[[], object]], timeout: float = 120) -> list[object]:
    """Run every job in its own thread, all released at once; each result is its return value or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def worker(i: int) -> None:
        barrier.wait()
        try:
            results[i] = jobs[i]()
        except Exception as exc:  # collected and checked by the test
            results[i] = exc

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "a writer hung (deadlock?)"
    return results


@pytest.fixture
def engine_store(any_db_url: str):
    store = Store.open(any_db_url)
    yield store
    store.engine.dispose()


@pytest.mark.parametrize("attempt", range(3))
def test_moves_onto_one_date_from_many_threads_lose_nothing(engine_store, attempt):
    target = D0 + dt.timedelta(days=100)
    originals = [Entry(D0 + dt.timedelta(days=i), worst_pain=i % 11, notes=f"entry {i}") for i in range(THREADS)]
    engine_store.import_entries(originals)

    def move(entry: Entry) -> Callable[[], object]:
        moved = Entry(target, entry.worst_pain, notes=entry.notes)
        return lambda: Store(engine_store.engine).save_entry(moved, original_date=entry.date)

    results = run_together([move(e) for e in originals])
    winners = [i for i, r in enumerate(results) if r is None]
    unexpected = [r for r in results if r is not None and not isinstance(r, ConflictError)]
    assert unexpected == [] and len(winners) == 1, results
    assert all("already an entry" in str(r) for r in results if isinstance(r, ConflictError))
    entries = {e.date: e for e in engine_store.list_entries()}
    assert len(entries) == THREADS  # nothing vanished
    (won,) = winners
    assert entries[target].notes == f"entry {won}"
    assert originals[won].date not in entries
    for i, entry in enumerate(originals):
        if i != won:
            assert entries[entry.date].notes == entry.notes


@pytest.mark.parametrize("attempt", range(3))
def test_replace_imports_in_opposite_order_do_not_deadlock(engine_store, attempt):
    dates = [D0 + dt.timedelta(days=i) for i in range(150)]
    engine_store.import_entries([Entry(d, 1) for d in dates])
    forward = [Entry(d, 4, notes="forward") for d in dates]
    backward = [Entry(d, 6, notes="backward") for d in reversed(dates)]

    def importer(rows: list[Entry]) -> Callable[[], object]:
        return lambda: Store(engine_store.engine).import_entries(rows, on_conflict="replace")

    results = run_together([importer(forward), importer(backward)] * 2)
    assert all(r is not None and not isinstance(r, Exception) for r in results), results
    assert all(r.replaced == len(dates) and r.added == 0 for r in results)
    entries = engine_store.list_entries()
    assert [e.date for e in entries] == dates
    # Each import is all or nothing and they ran one after the other: one of them wrote every row.
    assert len({(e.worst_pain, e.notes) for e in entries}) == 1


def test_replace_import_writes_rows_in_date_order(engine_store, monkeypatch):
    """The lock order itself: rows reach the database sorted by date, however the file was ordered."""
    engine_store.import_entries([Entry(D0 + dt.timedelta(days=i), 1) for i in range(5)])
    seen: list[dt.date] = []
    upsert = Store._upsert

    def recording_upsert(self, conn, entries):
        seen.extend(e.date for e in entries)
        return upsert(self, conn, entries)

    monkeypatch.setattr(Store, "_upsert", recording_upsert)
    engine_store.import_entries(
        [Entry(D0 + dt.timedelta(days=i), 7) for i in (3, 0, 4, 1, 2)], on_conflict="replace"
    )
    assert seen == [D0 + dt.timedelta(days=i) for i in range(5)]


def test_sample_data_is_filled_once_when_many_open_it_at_once(engine_store):
    today = dt.date(2026, 6, 30)
    results = run_together([lambda: sample.ensure_fresh(Store(engine_store.engine), today)] * 6)
    assert all(r is None for r in results), results
    expected = demo.generate(sample.SAMPLE_DAYS, seed=sample.SAMPLE_SEED, end=today)
    assert engine_store.count_entries() == len(expected.entries)
    assert len(engine_store.sessions_frame()) == len(expected.sessions)
    assert len(engine_store.list_screenings()) == 1
    # A later day refills it (stale), again exactly once.
    later = today + dt.timedelta(days=30)
    run_together([lambda: sample.ensure_fresh(Store(engine_store.engine), later)] * 4)
    expected = demo.generate(sample.SAMPLE_DAYS, seed=sample.SAMPLE_SEED, end=later)
    assert len(engine_store.sessions_frame()) == len(expected.sessions)
    assert len(engine_store.list_screenings()) == 1
    assert max(e.date for e in engine_store.list_entries()) <= later


def test_transaction_is_all_or_nothing(engine_store):
    with pytest.raises(ConflictError), engine_store.transaction() as tx:
        tx.add_entry(Entry(D0, 3))
        assert tx.get_entry(D0).worst_pain == 3  # reads see the transaction's own writes
        tx.add_entry(Entry(D0, 4))
    assert engine_store.count_entries() == 0
