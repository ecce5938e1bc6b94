"""Nothing lost under concurrent writers, killed writers or hostile CSV input."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hipknee.csvio import HEADER, CsvError, export_csv, import_csv
from hipknee.errors import HipkneeError
from hipknee.journal import Entry
from hipknee.store import Store

WRITERS, ENTRIES_EACH = 8, 500
START = dt.date(2020, 1, 1)


def _writer(url: str, user: str, barrier, errors) -> None:
    store = Store.open(url, user_id=user)
    barrier.wait()
    for i in range(ENTRIES_EACH):
        try:
            # add_entry reads (does the date exist?) and then writes: the hard case for SQLite.
            store.add_entry(Entry(START + dt.timedelta(days=i), i % 11))
        except Exception as exc:  # recorded, then asserted on in the parent
            errors.put(f"{user}: {type(exc).__name__}: {exc}")
            return
    store.engine.dispose()


def test_concurrent_writers_lose_nothing(any_db_url):
    Store.open(any_db_url).engine.dispose()  # schema first, like the app on start-up
    ctx = multiprocessing.get_context("fork")
    barrier, errors = ctx.Barrier(WRITERS), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(any_db_url, f"user{n}", barrier, errors))
             for n in range(WRITERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert all(p.exitcode == 0 for p in procs)
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    store = Store.open(any_db_url)
    counts = [store.for_user(f"user{n}").count_entries() for n in range(WRITERS)]
    assert counts == [ENTRIES_EACH] * WRITERS
    store.engine.dispose()


KILL_ME_MID_IMPORT = textwrap.dedent(
    """
    import sys, time
    import sqlalchemy as sa
    from sqlalchemy import event
    from hipknee.cli import main

    @event.listens_for(sa.engine.Engine, "after_execute")
    def pause_after_bulk_insert(conn, clauseelement, multiparams, params, execution_options, result):
        # Rows are written but not committed: announce it, then wait to be killed.
        if multiparams and len(multiparams) > 100:
            print("WRITTEN", flush=True)
            time.sleep(120)

    sys.exit(main(["import", sys.argv[1]]))
    """
)


def test_writer_killed_mid_import_leaves_all_or_nothing(any_db_url, tmp_path):
    today = dt.date.today()
    entries = [Entry(today - dt.timedelta(days=i), i % 11, None, i % 2 == 0, f"day {i}") for i in range(1000)]
    csv_file = tmp_path / "big.csv"
    csv_file.write_text(export_csv(sorted(entries, key=lambda e: e.date)))
    script = tmp_path / "writer.py"
    script.write_text(KILL_ME_MID_IMPORT)
    Store.open(any_db_url).engine.dispose()

    proc = subprocess.Popen([sys.executable, str(script), str(csv_file)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())
    assert proc.stdout.readline().strip() == "WRITTEN"  # killed while the transaction is open
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)

    store = Store.open(any_db_url)  # the database opens...
    assert store.count_entries() == 0  # ...and the import is fully absent
    # A clean run afterwards imports everything.
    result = import_csv(store, csv_file.read_bytes(), today=today)
    assert result.added == 1000 and store.count_entries() == 1000
    store.engine.dispose()


# ---- hostile CSV --------------------------------------------------------------------------------

TODAY = dt.date(2026, 6, 15)
cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "0", "10", "11", "-1", "3.0", " 4", "1", "2026-01-01", "2026-06-16", "1999-12-31",
                     "=1+1", "'", '"', "\r", "\n", "\x00", "\ufeff"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 1, 1)).map(dt.date.isoformat),
    st.integers(-5, 15).map(str),
)
row = st.lists(cell, min_size=0, max_size=7)


def _render(rows: list[list[str]], header: list[str]) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(row, max_size=6),
    header=st.one_of(st.just(HEADER), st.lists(st.sampled_from(HEADER + ["x", ""]), max_size=6), row),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
    crlf=st.booleans(),
)
def test_fuzzed_csv_imports_cleanly_or_changes_nothing(tmp_path_factory, rows, header, encoding, crlf):
    store = Store.open(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'f.db'}")
    store.add_entry(Entry(dt.date(2026, 1, 1), 5, notes="existing"))
    text = _render(rows, header)
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding, errors="replace")
    before = export_csv(store.list_entries())
    try:
        result = import_csv(store, data, today=TODAY, on_conflict="skip")
    except CsvError as exc:
        message = str(exc)
        assert "\n" not in message and message.strip()
        assert export_csv(store.list_entries()) == before  # nothing written
    else:
        assert result.added + result.skipped >= 1
        assert store.get_entry(dt.date(2026, 1, 1)).notes == "existing"
    finally:
        store.engine.dispose()


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_never_crash_the_parser(data):
    from hipknee.csvio import parse_csv

    try:
        parse_csv(data, today=TODAY)
    except CsvError as exc:
        assert "\n" not in str(exc)
    except HipkneeError as exc:  # pragma: no cover - any other kind would be a bug
        pytest.fail(f"unexpected error type {type(exc).__name__}: {exc}")
