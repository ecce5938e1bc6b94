import datetime as dt
import sqlite3
import subprocess
import sys

import pytest
import sqlalchemy as sa

from hipknee.errors import ConflictError, NotFoundError, ReadOnlyError, StorageError, ValidationError
from hipknee.journal import Entry
from hipknee.store import MIGRATIONS, Store, database_url, migrate, schema_version

D1, D2, D3 = dt.date(2025, 1, 1), dt.date(2025, 1, 2), dt.date(2025, 1, 3)


@pytest.fixture
def store(any_store):
    """Every test here that takes ``store`` runs on SQLite and on PostgreSQL."""
    return any_store


def test_default_url_is_sqlite_under_data(monkeypatch):
    monkeypatch.delenv("HIPKNEE_DATABASE_URL", raising=False)
    url = database_url()
    assert url.startswith("sqlite:///") and url.endswith("/data/hipknee.db")


def test_sqlite_runs_in_wal_mode(db_url):
    Store.open(db_url).engine.dispose()
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_schema_is_versioned_and_migrations_run_once(store):
    assert migrate(store.engine) == len(MIGRATIONS)
    with store.engine.connect() as conn:
        versions = conn.execute(sa.select(schema_version.c.version)).scalars().all()
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_newer_schema_is_refused(store, any_db_url):
    with store.engine.begin() as conn:
        conn.execute(sa.insert(schema_version).values(version=999, applied_at=dt.datetime(2030, 1, 1)))
    with pytest.raises(StorageError, match="newer"):
        Store.open(any_db_url)


def test_upgrade_from_version_1_keeps_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = Store.open(url).engine
    # Simulate a database written by the first release: only migration 1 applied.
    with engine.begin() as conn:
        conn.execute(sa.delete(schema_version).where(schema_version.c.version > 1))
        for name in ("clearances", "daily_checks", "screenings"):
            conn.exec_driver_sql(f"DROP TABLE {name}")
    Store(engine).add_entry(Entry(D1, 5))
    store = Store.open(url)
    assert store.get_entry(D1).worst_pain == 5
    assert sa.inspect(store.engine).has_table("screenings")


def test_upgrade_from_version_2_drops_day_status_and_keeps_entries(store, any_db_url):
    # A database from before migration 3: daily_entries still has the unused day_status column.
    with store.engine.begin() as conn:
        conn.execute(sa.delete(schema_version).where(schema_version.c.version > 2))
        conn.exec_driver_sql("ALTER TABLE daily_entries ADD COLUMN day_status VARCHAR(20)")
    store.add_entry(Entry(D1, 5, notes="kept"))
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE daily_entries SET day_status = 'blocked'")
    store.engine.dispose()
    upgraded = Store.open(any_db_url)
    columns = {c["name"] for c in sa.inspect(upgraded.engine).get_columns("daily_entries")}
    assert "day_status" not in columns
    assert upgraded.get_entry(D1) == Entry(D1, 5, notes="kept")
    with upgraded.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() == len(MIGRATIONS) >= 3


# Four fresh interpreters (not multiprocessing: its spawn re-runs the parent's __main__, which is app.py once an
# AppTest has run in this pytest process).
OPEN_STORE = "import sys; from hipknee.store import Store; Store.open(sys.argv[1]); print('ok')"


def test_two_processes_migrating_at_once_do_not_race(tmp_path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    procs = [
        subprocess.Popen([sys.executable, "-c", OPEN_STORE, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
        for _ in range(4)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [(p.returncode, out.strip()) for p, (out, _) in zip(procs, results, strict=True)] == [(0, "ok")] * 4, [
        err for _, err in results
    ]
    with Store.open(url).engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(schema_version)).scalar() == len(MIGRATIONS)


def test_add_get_and_conflict(store):
    store.add_entry(Entry(D1, 5, 3, True, "hi"))
    assert store.get_entry(D1) == Entry(D1, 5, 3, True, "hi")
    with pytest.raises(ConflictError):
        store.add_entry(Entry(D1, 2))
    assert store.get_entry(D1).worst_pain == 5


def test_save_updates_and_moves(store):
    store.save_entry(Entry(D1, 5))
    store.save_entry(Entry(D1, 7, notes="worse"))
    assert store.get_entry(D1).worst_pain == 7
    store.save_entry(Entry(D2, 7, notes="moved"), original_date=D1)
    assert store.get_entry(D1) is None and store.get_entry(D2).notes == "moved"
    store.save_entry(Entry(D3, 1))
    with pytest.raises(ConflictError):
        store.save_entry(Entry(D3, 2), original_date=D2)
    assert store.get_entry(D2).notes == "moved" and store.get_entry(D3).worst_pain == 1


def test_delete_returns_entry_for_undo(store):
    store.add_entry(Entry(D1, 4, notes="keep me"))
    deleted = store.delete_entry(D1)
    assert store.get_entry(D1) is None
    store.add_entry(deleted)
    assert store.get_entry(D1).notes == "keep me"
    with pytest.raises(NotFoundError):
        store.delete_entry(D2)


def test_users_are_isolated(store):
    alice, bob = store.for_user("alice"), store.for_user("bob")
    alice.add_entry(Entry(D1, 2))
    bob.add_entry(Entry(D1, 9))
    assert alice.get_entry(D1).worst_pain == 2 and bob.get_entry(D1).worst_pain == 9
    assert store.get_entry(D1) is None
    bob.delete_all_data()
    assert bob.count_entries() == 0 and alice.count_entries() == 1


@pytest.mark.parametrize("mode, expected", [("skip", 1), ("replace", 8)])
def test_import_conflict_modes(store, mode, expected):
    store.add_entry(Entry(D1, 1))
    result = store.import_entries([Entry(D1, 8), Entry(D2, 3)], on_conflict=mode)
    assert store.get_entry(D1).worst_pain == expected
    assert store.get_entry(D2).worst_pain == 3
    assert result.added == 1


def test_import_fail_mode_writes_nothing(store):
    store.add_entry(Entry(D1, 1))
    store.add_entry(Entry(D3, 1))
    with pytest.raises(ConflictError) as info:
        store.import_entries([Entry(D3, 3), Entry(D2, 3), Entry(D1, 8)])
    assert info.value.conflicting_dates == (D1, D3)  # structured, so each caller words its own hint
    assert str(info.value) == "already in the journal: 2025-01-01, 2025-01-03"
    assert store.get_entry(D2) is None and store.get_entry(D1).worst_pain == 1


def test_import_rejects_duplicate_dates_in_one_batch(store):
    with pytest.raises(ValidationError, match="more than once"):
        store.import_entries([Entry(D1, 1), Entry(D2, 2), Entry(D1, 3)])
    assert store.count_entries() == 0


def test_entries_frame_types(store):
    store.add_entry(Entry(D2, 4, None, True))
    store.add_entry(Entry(D1, 5, 2, False))
    frame = store.entries_frame()
    assert list(frame["date"].dt.date) == [D1, D2]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert frame["activity_pain"].isna().tolist() == [False, True]
    assert frame["did_routine"].tolist() == [False, True]


def test_empty_frames_have_columns(store):
    assert list(store.entries_frame().columns)[:3] == ["date", "worst_pain", "activity_pain"]
    assert "status" in store.sessions_frame().columns and store.sessions_frame().empty


def test_session_lifecycle(store):
    sid = store.start_session(session_date=D1, routine={"exercises": ["butterfly"]},
                              steps_planned=4, seconds_planned=120)
    frame = store.sessions_frame()
    assert frame.loc[0, "status"] == "in_progress" and frame.loc[0, "ended_at"] is None
    store.update_session(sid, steps_done=2, seconds_done=60)
    store.update_session(sid, status="completed", steps_done=4, seconds_done=120)
    store.update_session(sid, pain_during=3)
    row = store.sessions_frame().iloc[0]
    assert (row.status, row.steps_done, row.pain_during) == ("completed", 4, 3)
    assert row.ended_at is not None
    with pytest.raises(NotFoundError):
        store.for_user("someone-else").update_session(sid, status="stopped")
    with pytest.raises(ValueError):
        store.update_session(sid, status="exploded")


def test_bad_urls_give_storage_errors(tmp_path):
    with pytest.raises(StorageError, match="not a valid database URL"):
        Store.open("not a url")
    with pytest.raises(StorageError, match="in-memory"):
        Store.open("sqlite://")
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError, match="cannot open the database"):
        Store.open(f"sqlite:///{corrupt}")


def test_a_lost_race_for_the_same_date_is_a_conflict_not_a_crash(store, monkeypatch):
    # The existence check passes (as if another writer had not committed yet), then the insert collides.
    store.add_entry(Entry(D1, 2))
    monkeypatch.setattr(Store, "_entry_exists", lambda self, conn, date: False)
    with pytest.raises(ConflictError):
        store.add_entry(Entry(D1, 9))
    monkeypatch.undo()
    assert store.get_entry(D1).worst_pain == 2


def test_read_only_store_refuses_every_write(store):
    store.add_entry(Entry(D1, 2))
    sample = store.as_read_only()
    assert sample.get_entry(D1).worst_pain == 2  # reading works
    with pytest.raises(ReadOnlyError):
        sample.add_entry(Entry(D2, 3))
    with pytest.raises(ReadOnlyError):
        sample.for_user("someone").delete_all_data()
    assert store.count_entries() == 1
