"""The routine gate (issue 4) and the store methods behind it."""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee import trends_text
from hipknee.analysis import worsening_alert
from hipknee.daily_check import assess_daily, load_daily_check
from hipknee.errors import NotFoundError, ValidationError
from hipknee.gate import expires_on, is_expired, routine_gate
from hipknee.journal import Entry
from hipknee.screening import assess
from hipknee.store import utcnow
from tests.conftest import BOTH_BACKENDS

TODAY = dt.date(2026, 3, 15)
NOON = dt.datetime(2026, 3, 15, 12, 0)
TOP_LEVEL_BOOL = [
    "hot_red_swollen", "deformity_or_pop_swelling", "locked_knee", "calf_dvt_signs", "chest_pain_now",
    "numb_cold_foot", "cauda_equina", "cannot_bear_weight", "heart_condition_bp", "chest_pain", "dizziness_fainting",
    "chronic_condition", "chronic_medication", "supervised_only", "night_pain", "weight_loss_or_cancer",
    "giving_way", "catching", "inflammatory_arthritis", "recent_surgery", "pain_over_6_weeks_no_improvement",
    "pregnant", "acute_illness", "severe_osteoporosis", "diagnosed_arthritis", "injury_hip_knee_ankle",
    "recent_injury", "joint_problem",
]


DAILY_IDS = [
    "knee_hot_red_swollen", "knee_locked", "calf_painful_swollen", "new_swelling_or_redness",
    "less_movement", "pain_much_worse", "fever",
]


@pytest.fixture(params=["sqlite"])
def backend(request) -> str:
    """The gate's rules do not depend on the backend: they run once, on SQLite. The store methods behind
    them (marked BOTH_BACKENDS) also run on PostgreSQL."""
    return request.param


@pytest.fixture
def store(any_store):
    return any_store


def screen(store, *, days_ago: int = 0, **changes) -> int:
    """Assess answers like the page does and record the screening ``days_ago`` days before TODAY."""
    answers = {qid: False for qid in TOP_LEVEL_BOOL}
    answers["age"] = 40
    answers.update(changes)
    result = assess(answers)
    return store.save_screening(
        result.tier, answers, result.reason_dicts(), taken_at=NOON - dt.timedelta(days=days_ago)
    )


def check(store, date: dt.date = TODAY, *, hour: int = 13, **ticked) -> str:
    """Save the daily check for ``date``, taken at ``hour`` (UTC) that day: by default after a screening
    taken at NOON the same day."""
    answers = {qid: False for qid in DAILY_IDS}
    answers.update(ticked)
    status = assess_daily(answers).status
    store.save_daily_check(date, answers, status, checked_at=dt.datetime.combine(date, dt.time(hour)))
    return status


# ---- the gate ------------------------------------------------------------------------------------------


def test_no_screening_asks_for_one(store):
    gate = routine_gate(store, TODAY)
    assert gate.status == "no_screening" and not gate.allowed
    assert gate.screening_id is None and gate.title and gate.message


def test_fresh_ok_screening_allows_the_routine(store):
    sid = screen(store)
    gate = routine_gate(store, TODAY)
    assert (gate.status, gate.allowed, gate.screening_id) == ("ok", True, sid)


@pytest.mark.parametrize("days_ago, status", [(0, "ok"), (29, "ok"), (30, "ok"), (31, "expired"),
                                              (400, "expired")])
def test_screening_is_valid_for_30_days(store, days_ago, status):
    screen(store, days_ago=days_ago)
    gate = routine_gate(store, TODAY)
    assert gate.status == status
    assert gate.allowed == (status == "ok")


def test_expiry_helpers():
    taken = dt.datetime(2026, 1, 1, 23, 59)
    assert not is_expired(taken, dt.date(2026, 1, 31))
    assert is_expired(taken, dt.date(2026, 2, 1))
    assert expires_on(taken) == dt.date(2026, 2, 1)
    assert not is_expired(taken, dt.date(2025, 12, 31))  # a clock behind the record: not negative


def test_stop_blocks_until_a_new_screening(store):
    screen(store, days_ago=2, locked_knee=True)
    gate = routine_gate(store, TODAY)
    assert gate.status == "stop" and not gate.allowed
    assert any("Don't force it straight" in line for line in gate.advice)
    screen(store, days_ago=0)
    assert routine_gate(store, TODAY).status == "ok"


def test_an_old_stop_screening_still_blocks_rather_than_expiring(store):
    screen(store, days_ago=45, hot_red_swollen=True)
    assert routine_gate(store, TODAY).status == "stop"


def test_stop_advice_lists_only_the_stop_reasons(store):
    screen(store, locked_knee=True, pregnant=True)
    advice = " ".join(routine_gate(store, TODAY).advice)
    assert "locked" in advice and "pregnant" not in advice


def test_caution_needs_a_clearance_for_its_reasons(store):
    sid = screen(store, pregnant=True, giving_way=True)
    gate = routine_gate(store, TODAY)
    assert gate.status == "needs_clearance" and not gate.allowed
    assert len(gate.advice) == 2
    store.save_clearance(sid, ["pregnant", "giving_way"])
    gate = routine_gate(store, TODAY)
    assert gate.status == "ok" and gate.allowed


def test_a_partial_clearance_is_not_enough(store):
    sid = screen(store, pregnant=True, giving_way=True)
    store.save_clearance(sid, ["pregnant"])
    assert routine_gate(store, TODAY).status == "needs_clearance"


def test_a_new_reason_needs_a_new_clearance(store):
    sid = screen(store, days_ago=3, pregnant=True)
    store.save_clearance(sid, ["pregnant"])
    assert routine_gate(store, TODAY).status == "ok"
    sid2 = screen(store, pregnant=True, catching=True)
    assert routine_gate(store, TODAY).status == "needs_clearance"
    store.save_clearance(sid2, ["pregnant", "catching"])
    assert routine_gate(store, TODAY).status == "ok"


def test_the_same_reasons_on_a_new_screening_stay_cleared(store):
    sid = screen(store, days_ago=20, diagnosed_arthritis=True)
    store.save_clearance(sid, ["diagnosed_arthritis"])
    screen(store, days_ago=0, diagnosed_arthritis=True)
    assert routine_gate(store, TODAY).status == "ok"


def test_fewer_reasons_than_cleared_stay_cleared(store):
    sid = screen(store, days_ago=5, diagnosed_arthritis=True, catching=True)
    store.save_clearance(sid, ["diagnosed_arthritis", "catching"])
    screen(store, catching=True)
    assert routine_gate(store, TODAY).status == "ok"


def test_an_expired_caution_screening_asks_for_a_new_screening(store):
    sid = screen(store, days_ago=31, pregnant=True)
    store.save_clearance(sid, ["pregnant"])
    assert routine_gate(store, TODAY).status == "expired"


@pytest.mark.parametrize("ticked, status, allowed", [
    ({"knee_locked": True}, "day_stop", False),
    ({"calf_painful_swollen": True}, "day_stop", False),
    ({"less_movement": True}, "day_blocked", False),
    ({"new_swelling_or_redness": True}, "day_blocked", False),
    ({"fever": True}, "day_blocked", False),
    ({"pain_much_worse": True}, "day_caution", True),
    ({}, "ok", True),
])
def test_todays_check_sets_the_day(store, ticked, status, allowed):
    screen(store)
    check(store, **ticked)
    gate = routine_gate(store, TODAY)
    assert (gate.status, gate.allowed) == (status, allowed)
    if ticked:  # the question's own advice: below the message, or (a caution day) as the message itself
        advice = load_daily_check().questions[next(iter(ticked))].advice
        assert advice in gate.advice or advice in gate.message


YESTERDAY = TODAY - dt.timedelta(days=1)


@pytest.mark.parametrize("ticked", [
    {"knee_hot_red_swollen": True}, {"knee_locked": True}, {"calf_painful_swollen": True},
])
def test_a_stop_check_yesterday_still_blocks_today(store, ticked):
    screen(store, days_ago=3)
    check(store, YESTERDAY, **ticked)
    gate = routine_gate(store, TODAY)
    assert (gate.status, gate.allowed) == ("day_stop", False)
    assert gate.check_date == YESTERDAY
    assert "new screening" in gate.message  # says what re-opens it
    question = next(iter(ticked))
    assert gate.advice == (load_daily_check().questions[question].advice,)  # urgent-care advice


def test_a_stop_check_keeps_blocking_on_later_days_and_after_an_all_clear_check(store):
    screen(store, days_ago=10)
    check(store, TODAY - dt.timedelta(days=6), knee_locked=True)
    check(store, YESTERDAY)  # an all-clear check does not re-open it: only a screening does
    assert routine_gate(store, TODAY).status == "day_stop"
    check(store, TODAY, fever=True)
    assert routine_gate(store, TODAY).status == "day_stop"


def test_a_new_screening_after_the_stop_check_reopens_the_routine(store):
    screen(store, days_ago=3)
    check(store, YESTERDAY, calf_painful_swollen=True)
    assert routine_gate(store, TODAY).status == "day_stop"
    screen(store)  # today at NOON, after yesterday's check
    gate = routine_gate(store, TODAY)
    assert (gate.status, gate.allowed, gate.check_date) == ("ok", True, None)


def test_a_screening_the_same_day_counts_only_if_taken_after_the_check(store):
    screen(store, days_ago=3)
    check(store, TODAY, hour=14, knee_locked=True)
    screen(store)  # NOON: before the 14:00 check
    assert routine_gate(store, TODAY).status == "day_stop"
    store.save_screening("ok", {}, [], taken_at=dt.datetime.combine(TODAY, dt.time(15)))
    assert routine_gate(store, TODAY).status == "ok"


def test_a_stop_check_before_the_latest_screening_does_not_block(store):
    check(store, TODAY - dt.timedelta(days=5), knee_hot_red_swollen=True)
    screen(store, days_ago=2)
    assert routine_gate(store, TODAY).status == "ok"


def test_a_stop_check_without_any_screening_blocks_as_day_stop(store):
    check(store, YESTERDAY, knee_locked=True)
    assert routine_gate(store, TODAY).status == "day_stop"


def test_a_stop_screening_still_outranks_an_open_stop_check(store):
    check(store, YESTERDAY, knee_locked=True)
    screen(store, locked_knee=True)
    assert routine_gate(store, TODAY).status == "stop"


@pytest.mark.parametrize("ticked, status", [
    ({"new_swelling_or_redness": True}, "blocked"), ({"less_movement": True}, "blocked"),
    ({"fever": True}, "blocked"), ({"pain_much_worse": True}, "caution"),
])
def test_blocked_and_caution_checks_last_only_their_day(store, ticked, status):
    screen(store, days_ago=3)
    assert check(store, YESTERDAY, **ticked) == status
    assert routine_gate(store, YESTERDAY).status == f"day_{status}"  # that day it counts
    assert routine_gate(store, TODAY).status == "ok"


def test_day_stop_and_blocked_come_before_asking_for_a_screening(store):
    check(store, knee_hot_red_swollen=True)
    assert routine_gate(store, TODAY).status == "day_stop"
    check(store, less_movement=True)  # replaces today's check
    assert routine_gate(store, TODAY).status == "day_blocked"
    check(store, pain_much_worse=True)
    assert routine_gate(store, TODAY).status == "no_screening"


def test_a_stop_screening_outranks_the_day(store):
    screen(store, numb_cold_foot=True)
    check(store, knee_locked=True)
    assert routine_gate(store, TODAY).status == "stop"


def test_needs_clearance_outranks_a_caution_day(store):
    screen(store, pregnant=True)
    check(store, pain_much_worse=True)
    assert routine_gate(store, TODAY).status == "needs_clearance"


def test_day_blocked_outranks_needs_clearance(store):
    screen(store, pregnant=True)
    check(store, less_movement=True)
    assert routine_gate(store, TODAY).status == "day_blocked"


def _entries(store, pains: list[int]) -> None:
    start = TODAY - dt.timedelta(days=len(pains) - 1)
    for i, pain in enumerate(pains):
        store.save_entry(Entry(date=start + dt.timedelta(days=i), worst_pain=pain))


def test_worsening_alert_makes_the_day_a_caution(store):
    screen(store)
    _entries(store, [2] * 7 + [3] * 7 + [6] * 7)
    gate = routine_gate(store, TODAY)
    assert gate.status == "day_caution" and gate.allowed
    alert = worsening_alert(store.entries_frame(), TODAY)
    assert gate.alert == alert and gate.message == alert.message  # the trends' own message
    assert gate.title == trends_text.ALERT_TITLE
    assert trends_text.ALERT_ADVICE in gate.message and "gentlest versions" in gate.message


def test_the_gate_alert_follows_the_picked_starting_level(store):
    screen(store)
    _entries(store, [2] * 7 + [8] * 7 + [5] * 7)
    assert routine_gate(store, TODAY).alert is not None  # 5 is 3 above the automatic start (2)
    picked = (TODAY - dt.timedelta(days=13), TODAY - dt.timedelta(days=7))  # the 8s
    gate = routine_gate(store, TODAY, baseline_range=picked)
    assert gate.status == "ok" and gate.alert is None


def test_steady_pain_gives_no_alert(store):
    screen(store)
    _entries(store, [3] * 21)
    assert routine_gate(store, TODAY).status == "ok"


def test_worsening_alert_does_not_open_a_closed_gate(store):
    _entries(store, [2] * 7 + [6] * 7)
    assert routine_gate(store, TODAY).status == "no_screening"


def test_tailoring_comes_from_the_latest_screening(store):
    screen(store, days_ago=1, kneeling_painful=True, pigeon_uncomfortable=True)
    assert routine_gate(store, TODAY).tailoring == {"kneeling_painful", "pigeon_uncomfortable"}
    screen(store, kneeling_painful=True, pigeon_uncomfortable=False)
    assert routine_gate(store, TODAY).tailoring == {"kneeling_painful"}


def test_tailoring_is_reported_even_when_blocked(store):
    screen(store, pregnant=True, kneeling_painful=True)
    gate = routine_gate(store, TODAY)
    assert gate.status == "needs_clearance" and gate.tailoring == {"kneeling_painful"}


@BOTH_BACKENDS
def test_gate_is_per_user(store):
    screen(store, locked_knee=True)
    other = store.for_user("someone-else")
    assert routine_gate(other, TODAY).status == "no_screening"
    screen(other)
    assert routine_gate(other, TODAY).status == "ok"
    assert routine_gate(store, TODAY).status == "stop"


# ---- store: screenings ---------------------------------------------------------------------------------
# Round trips and per-user SQL run on both backends; bad input is refused before any SQL, so SQLite is enough.


@BOTH_BACKENDS
def test_save_and_read_screenings_newest_first(store):
    first = screen(store, days_ago=10, pregnant=True)
    second = screen(store, days_ago=1)
    records = store.list_screenings()
    assert [r.id for r in records] == [second, first]
    latest = store.latest_screening()
    assert latest.id == second and latest.tier == "ok" and latest.source == "app"
    older = store.get_screening(first)
    assert older.tier == "caution" and older.answers["pregnant"] is True and older.answers["age"] == 40
    assert older.reasons[0]["id"] == "pregnant" and older.reasons[0]["advice"]
    assert older.taken_at == NOON - dt.timedelta(days=10)
    assert store.get_screening(9999) is None


@BOTH_BACKENDS
def test_taken_at_defaults_to_now_utc(store):
    before = utcnow()
    store.save_screening("ok", {"age": 30}, [])
    assert before <= store.latest_screening().taken_at <= utcnow()


@BOTH_BACKENDS
def test_source_is_kept(store):
    store.save_screening("ok", {"age": 30}, [], source="cli")
    assert store.latest_screening().source == "cli"


@pytest.mark.parametrize("tier, answers, reasons, source", [
    ("maybe", {}, [], "app"),
    ("caution", {}, [], "app"),  # a caution screening without a reason
    ("ok", [], [], "app"),
    ("ok", {}, "none", "app"),
    ("stop", {}, [{"id": "x", "reason": "r"}], "app"),
    ("ok", {}, [], ""),
    ("ok", {}, [], "x" * 21),
    ("ok", {"when": dt.date(2026, 1, 1)}, [], "app"),
])
def test_bad_screening_is_rejected_and_nothing_written(store, tier, answers, reasons, source):
    with pytest.raises(ValidationError):
        store.save_screening(tier, answers, reasons, source=source)
    assert store.list_screenings() == []


# ---- store: clearances ---------------------------------------------------------------------------------


@BOTH_BACKENDS
def test_clearance_round_trip(store):
    sid = screen(store, pregnant=True, catching=True)
    assert store.latest_clearance() is None
    cid = store.save_clearance(sid, ["pregnant", "catching", "pregnant"])
    clearance = store.latest_clearance()
    assert clearance.id == cid and clearance.screening_id == sid
    assert clearance.reason_ids == ["pregnant", "catching"]
    assert clearance.cleared_at <= utcnow()


@pytest.mark.parametrize("reason_ids, error", [
    ([], ValidationError), ("pregnant", ValidationError), (["catching"], ValidationError), ([""], ValidationError),
])
def test_bad_clearance_is_rejected(store, reason_ids, error):
    sid = screen(store, pregnant=True)
    with pytest.raises(error):
        store.save_clearance(sid, reason_ids)
    assert store.latest_clearance() is None


@BOTH_BACKENDS
def test_clearance_needs_an_existing_caution_screening(store):
    with pytest.raises(NotFoundError):
        store.save_clearance(12345, ["pregnant"])
    stop = screen(store, locked_knee=True)
    with pytest.raises(ValidationError, match="only a 'caution' screening"):
        store.save_clearance(stop, ["locked_knee"])
    other = store.for_user("other")
    mine = screen(store, pregnant=True)
    with pytest.raises(NotFoundError):
        other.save_clearance(mine, ["pregnant"])
    assert store.latest_clearance() is None


# ---- store: daily checks -------------------------------------------------------------------------------


@BOTH_BACKENDS
def test_daily_check_upserts_per_date(store):
    assert store.get_daily_check(TODAY) is None
    check(store, fever=True)
    record = store.get_daily_check(TODAY)
    assert record.status == "blocked" and record.answers["fever"] is True and record.date == TODAY
    check(store)
    record = store.get_daily_check(TODAY)
    assert record.status == "ok" and record.answers["fever"] is False
    assert store.get_daily_check(TODAY - dt.timedelta(days=1)) is None


@BOTH_BACKENDS
def test_daily_check_leaves_the_days_entry_alone(store):
    store.save_entry(Entry(date=TODAY, worst_pain=4))
    check(store, less_movement=True)
    assert store.get_daily_check(TODAY).status == "blocked"
    check(store)
    assert store.get_daily_check(TODAY).status == "ok"
    assert store.get_entry(TODAY) == Entry(date=TODAY, worst_pain=4)


@BOTH_BACKENDS
def test_daily_check_without_an_entry_creates_none(store):
    check(store, fever=True)
    assert store.get_entry(TODAY) is None


@pytest.mark.parametrize("date, answers, status", [
    (TODAY, {}, "fine"),
    (NOON, {}, "ok"),
    ("2026-03-15", {}, "ok"),
    (TODAY, ["fever"], "ok"),
    (TODAY, {"headache": True}, "ok"),  # not a question of data/daily_check.toml
    (TODAY, {"fever": "yes"}, "ok"),
])
def test_bad_daily_check_is_rejected(store, date, answers, status):
    with pytest.raises(ValidationError):
        store.save_daily_check(date, answers, status)
    assert store.get_daily_check(TODAY) is None


@BOTH_BACKENDS
def test_delete_all_data_removes_screenings_clearances_and_checks(store):
    sid = screen(store, pregnant=True)
    store.save_clearance(sid, ["pregnant"])
    check(store, fever=True)
    store.delete_all_data()
    assert store.list_screenings() == [] and store.latest_clearance() is None
    assert store.get_daily_check(TODAY) is None
