"""Storing the programme (issue 14): starts, programme sessions, level choices; SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee.analysis import daily_adherence
from hipknee.errors import NotFoundError, ValidationError

D = dt.date(2026, 3, 2)


def test_start_and_restart(any_store):
    assert any_store.programme_start() is None
    any_store.start_programme(D)
    any_store.start_programme(D + dt.timedelta(days=5), {"max_level": {"bridge": 2}})
    start = any_store.programme_start()
    assert start is not None and start.start_date == D + dt.timedelta(days=5)
    assert start.settings == {"max_level": {"bridge": 2}}
    assert any_store.for_user("someone").programme_start() is None


def test_manual_and_player_sessions_are_the_same_record_and_count_alike(any_store):
    manual = any_store.add_programme_session(session_date=D, status="completed", pain_during=1,
                                             next_morning="same", levels={"clamshell": 1})
    sid = any_store.start_session(session_date=D + dt.timedelta(days=1), routine={"exercises": ["clamshell"]},
                                  steps_planned=2, seconds_planned=60, source="player")
    any_store.update_session(sid, status="completed", pain_during=2)
    pid = any_store.mark_programme_session(sid, {"clamshell": 1})
    any_store.set_next_morning(pid, "better")
    stopped = any_store.add_programme_session(session_date=D + dt.timedelta(days=2), status="stopped")

    records = any_store.list_programme_sessions()
    assert [(r.date, r.status, r.pain_during, r.next_morning, r.source, r.levels) for r in records] == [
        (D, "completed", 1, "same", "manual", {"clamshell": 1}),
        (D + dt.timedelta(days=1), "completed", 2, "better", "player", {"clamshell": 1}),
        (D + dt.timedelta(days=2), "stopped", None, None, "manual", {}),
    ]
    assert records[0].id == manual.id and records[2].id == stopped.id
    # Both kinds are routine sessions, so adherence counts them the same way (a stop is never "done").
    days = daily_adherence(any_store.entries_frame(), any_store.sessions_frame(), D, D + dt.timedelta(days=2))
    assert days["done"].tolist() == [True, True, False]
    assert days["stopped"].tolist() == [0, 0, 1]
    # Date filters: from start, before a day.
    assert [r.date for r in any_store.list_programme_sessions(D + dt.timedelta(days=1), D + dt.timedelta(days=2))] \
        == [D + dt.timedelta(days=1)]
    assert any_store.for_user("someone").list_programme_sessions() == []


@pytest.mark.parametrize("kwargs", [
    {"status": "in_progress"}, {"status": "done"}, {"status": "completed", "pain_during": 11},
    {"status": "completed", "next_morning": "fine"}, {"status": "completed", "levels": {"clamshell": 0}},
    {"status": "completed", "source": "robot"},
    {"status": "completed", "levels": {"moonwalk": 1}}, {"status": "completed", "levels": {"clamshell": 4}},
])
def test_bad_session_writes_nothing(any_store, kwargs):
    with pytest.raises(ValidationError):
        any_store.add_programme_session(session_date=D, **kwargs)
    assert any_store.list_programme_sessions() == [] and any_store.sessions_frame().empty


def test_next_morning_and_marking_need_own_rows(any_store):
    record = any_store.add_programme_session(session_date=D, status="completed")
    with pytest.raises(NotFoundError):
        any_store.for_user("someone").set_next_morning(record.id, "worse")
    with pytest.raises(ValidationError):
        any_store.set_next_morning(record.id, "awful")
    with pytest.raises(NotFoundError):
        any_store.mark_programme_session(999, {"clamshell": 1})
    any_store.set_next_morning(record.id, "worse")
    assert any_store.list_programme_sessions()[0].next_morning == "worse"


def test_level_choices(any_store):
    any_store.choose_level(D + dt.timedelta(days=3), "bridge", 1)
    any_store.choose_level(D, "clamshell", 2)
    for exercise_id, level in (("clamshell", 0), ("clamshell", 4), ("moonwalk", 1), ("", 1)):
        with pytest.raises(ValidationError):
            any_store.choose_level(D, exercise_id, level)
    assert [(c.date, c.exercise_id, c.level) for c in any_store.list_level_choices()] == [
        (D, "clamshell", 2), (D + dt.timedelta(days=3), "bridge", 1)]
    assert [c.exercise_id for c in any_store.list_level_choices(before=D + dt.timedelta(days=1))] == ["clamshell"]


def test_delete_all_data_removes_the_programme(any_store):
    any_store.start_programme(D)
    any_store.add_programme_session(session_date=D, status="completed")
    any_store.choose_level(D, "bridge", 1)
    any_store.delete_all_data()
    assert any_store.programme_start() is None
    assert any_store.list_programme_sessions() == [] and any_store.list_level_choices() == []
