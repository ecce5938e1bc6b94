"""Per-rerun work does not grow with the journal: Home, Routine, Your data and Journal read no whole journal on a
rerun when nothing changed (issue 18). Counted, not timed: timings belong in `make bench`."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from hipknee import demo
from hipknee.gate import routine_gate
from hipknee.journal import Entry
from hipknee.store import Store

TODAY = dt.date.today()


@pytest.fixture
def counted(monkeypatch):
    """How often each whole-journal read runs (patched on the class, so every Store counts)."""
    calls = {"entries_frame": 0, "list_entries": 0}
    for name in calls:
        original = getattr(Store, name)

        def wrapper(self, *args, _original=original, _name=name, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Store, name, wrapper)
    return calls


def test_the_gate_takes_its_alert_from_the_caller(store):
    store.save_screening("ok", {}, [])
    alert = SimpleNamespace(message="Pain is up.", title="Caution: up")  # the gate reads only these two
    gate = routine_gate(store, TODAY, alert=lambda: alert)
    assert gate.status == "day_caution" and gate.allowed and gate.message == "Pain is up."
    assert gate.title == "Caution: up"  # each alert reason has its own title
    assert routine_gate(store, TODAY, alert=lambda: None).status == "ok"


@pytest.mark.parametrize("page", ["pages/home.py", "pages/routine.py", "pages/data.py", "pages/journal.py"])
def test_a_rerun_reads_no_whole_journal(app_test, store, counted, page):
    demo.fill(store, 400, seed=3, end=TODAY)
    store.save_screening("ok", {}, [])
    at = app_test(page)
    assert not at.exception
    for name in counted:
        counted[name] = 0
    at.run()
    assert not at.exception
    assert counted == {"entries_frame": 0, "list_entries": 0}
    # A change to the journal is seen on the next rerun (the cache key is the data's fingerprint).
    store.save_entry(Entry(TODAY, 9, notes="changed"))
    at.run()
    assert not at.exception
    if page != "pages/data.py":
        assert counted["entries_frame"] == 1


def test_the_heap_is_frozen_only_after_a_run_that_imported_modules():
    import gc
    import sys

    from ui import gcfreeze

    try:
        gcfreeze._seen["modules"] = 0
        gcfreeze.freeze_imports()
        frozen = gc.get_freeze_count()
        assert frozen > 0
        [object() for _ in range(10)]
        gcfreeze.freeze_imports()  # nothing new imported: no new freeze
        assert gc.get_freeze_count() == frozen
        sys.modules["_hipknee_fake_module"] = type(sys)("_hipknee_fake_module")
        keep = [[n] for n in range(1000)]  # tracked objects alive at the next freeze
        gcfreeze.freeze_imports()
        assert gc.get_freeze_count() >= frozen + len(keep)
    finally:
        sys.modules.pop("_hipknee_fake_module", None)
        gc.unfreeze()
