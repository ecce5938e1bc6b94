"""`hipknee plan`, `hipknee plan start` and `hipknee session add` end to end (issue 14 contracts)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from hipknee import cli
from hipknee.analysis import daily_adherence
from hipknee.cli import main
from tests.test_cli import run

TODAY = dt.date(2026, 3, 20)
START = dt.date(2026, 3, 2)  # day 1 (strength), day 3 (strength), day 5 (strength), day 7 rest


def day(n: int) -> str:
    """The n-th day of the programme (1 = the start day) as YYYY-MM-DD."""
    return (START + dt.timedelta(days=n - 1)).isoformat()


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(cli, "_today", lambda: TODAY)


def plan_json(capsys, *argv) -> dict:
    code, out, err = run(capsys, "plan", "--json", *argv)
    assert code == 0, err
    return json.loads(out)


def by_id(plan: dict) -> dict:
    return {e["id"]: e for e in plan["exercises"]}


def test_start_then_plan_json_shape(store, capsys):
    code, out, _ = run(capsys, "plan", "start", "--date", START.isoformat())
    assert code == 0 and "started the programme on 2026-03-02" in out
    plan = plan_json(capsys, "--date", day(1))
    assert set(plan) == {"week", "weeks", "day_type", "exercises"}
    assert (plan["week"], plan["weeks"], plan["day_type"]) == (1, 8, "strength")
    clam = by_id(plan)["clamshell"]
    assert set(clam) == {"id", "level", "dose", "change", "reason"}
    assert clam["level"] == 1 and clam["dose"] == {"sets": 2, "reps": 10, "hold_s": None}
    assert clam["change"] == "same" and clam["reason"]
    ids = [e["id"] for e in plan["exercises"]]
    assert ids[0] == "warm_up" and {"straight_leg_raise", "wall_sit", "mini_squat", "step_up"} <= set(ids)
    assert plan_json(capsys, "--date", day(2))["day_type"] == "stretch"
    assert plan_json(capsys, "--date", day(7)) == {"week": 1, "weeks": 8, "day_type": "rest", "exercises": []}
    assert plan_json(capsys, "--date", day(8))["week"] == 2
    # Default --date is today: day 19 of the programme, week 3.
    assert plan_json(capsys)["week"] == 3


def test_two_comfortable_sessions_move_up_judged_only_from_before_the_day(store, capsys):
    run(capsys, "plan", "start", "--date", START.isoformat())
    for n in (1, 3):
        code, out, err = run(capsys, "session", "add", "--date", day(n), "--status", "completed",
                             "--pain-during", "1", "--next-morning", "same")
        assert code == 0, err
        assert f"recorded a completed programme session on {day(n)}" in out
    # On day 3 itself only day 1 counts: still level 1.
    assert by_id(plan_json(capsys, "--date", day(3)))["clamshell"]["level"] == 1
    clam = by_id(plan_json(capsys, "--date", day(5)))["clamshell"]
    assert clam["level"] == 2 and clam["change"] == "up"
    assert clam["dose"] == {"sets": 2, "reps": 12, "hold_s": None}
    assert "comfortable" in clam["reason"] and "next morning" in clam["reason"]
    # The text form says the same.
    code, out, _ = run(capsys, "plan", "--date", day(5))
    assert code == 0 and "week 1 of 8" in out and "Clamshell moved up to Clamshell with a light band" in out
    # A stop for pain on day 5 takes it back down, with a word on form.
    run(capsys, "session", "add", "--date", day(5), "--status", "stopped")
    assert "clamshell" not in by_id(plan_json(capsys, "--date", day(6)))  # a stretching day
    clam = by_id(plan_json(capsys, "--date", day(8)))["clamshell"]
    assert clam["level"] == 1 and clam["change"] == "down" and "form" in clam["reason"]


def test_amber_session_holds(store, capsys):
    run(capsys, "plan", "start", "--date", START.isoformat())
    run(capsys, "session", "add", "--date", day(1), "--status", "completed", "--pain-during", "1",
        "--next-morning", "same")
    run(capsys, "session", "add", "--date", day(3), "--status", "completed", "--pain-during", "4",
        "--next-morning", "same")
    clam = by_id(plan_json(capsys, "--date", day(5)))["clamshell"]
    assert clam["level"] == 1 and clam["change"] == "same" and "4/10" in clam["reason"]


def test_sessions_count_for_adherence_like_player_sessions(store, capsys):
    run(capsys, "plan", "start", "--date", START.isoformat())
    run(capsys, "session", "add", "--date", day(1), "--status", "completed")
    frame = store.sessions_frame()
    assert frame["source"].tolist() == ["manual"] and frame["status"].tolist() == ["completed"]
    days = daily_adherence(store.entries_frame(), frame, START, START)
    assert days["done"].tolist() == [True]
    record = store.list_programme_sessions()[0]
    assert record.levels["clamshell"] == 1 and "warm_up" not in record.levels


def test_restart_drops_earlier_sessions(store, capsys):
    run(capsys, "plan", "start", "--date", START.isoformat())
    for n in (1, 3):
        run(capsys, "session", "add", "--date", day(n), "--status", "completed", "--pain-during", "0",
            "--next-morning", "better")
    assert by_id(plan_json(capsys, "--date", day(5)))["clamshell"]["level"] == 2
    code, out, _ = run(capsys, "plan", "start", "--date", day(4))
    assert code == 0 and "restarted" in out
    plan = plan_json(capsys, "--date", day(4))
    assert plan["week"] == 1 and by_id(plan)["clamshell"]["level"] == 1


@pytest.mark.parametrize(("argv", "message"), [
    (["session", "add", "--date", "2026-03-21", "--status", "completed"], "in the future"),
    (["session", "add", "--date", "2026-03-01", "--status", "completed"], "before the programme's start"),
    (["session", "add", "--date", "2026-03-03", "--status", "completed", "--pain-during", "11"], "0 to 10"),
    (["session", "add", "--date", "03/03/2026", "--status", "completed"], "--date"),
    (["plan", "--date", "soon"], "--date"),
    (["plan", "--date", "1999-12-31"], "before"),
])
def test_errors_are_one_line_and_write_nothing(store, capsys, argv, message):
    run(capsys, "plan", "start", "--date", START.isoformat())
    code, out, err = run(capsys, *argv)
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert store.list_programme_sessions() == [] and store.sessions_frame().empty


def test_usage_errors_exit_non_zero(store, capsys):
    for argv in (["session", "add", "--date", day(1), "--status", "done"],
                 ["session", "add", "--status", "completed"],
                 ["session", "add", "--date", day(1), "--status", "completed", "--next-morning", "fine"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code != 0
    capsys.readouterr()
    assert store.sessions_frame().empty


def test_needs_a_start_and_start_not_in_the_future(store, capsys):
    code, _, err = run(capsys, "plan")
    assert code == 1 and "hipknee plan: error: no programme started" in err
    code, _, err = run(capsys, "session", "add", "--date", day(1), "--status", "completed")
    assert code == 1 and err.startswith("hipknee session add: error: no programme started")
    code, _, err = run(capsys, "plan", "start", "--date", "2026-03-21")
    assert code == 1 and "in the future" in err and err.count("\n") == 1
    assert store.programme_start() is None
    code, out, _ = run(capsys, "plan", "start")
    assert code == 0 and store.programme_start().start_date == TODAY


def test_user_flag(store, capsys):
    run(capsys, "plan", "start", "--date", START.isoformat(), "--user", "ann@example.org")
    run(capsys, "session", "add", "--date", day(1), "--status", "stopped", "--user", "ann@example.org")
    assert store.for_user("ann@example.org").list_programme_sessions()[0].status == "stopped"
    assert store.programme_start() is None
    code, _, _ = run(capsys, "plan", "--json", "--date", day(2), "--user", "ann@example.org")
    assert code == 0


def test_real_command_line(db_url, tmp_path):
    """Through the installed entry point: a fresh process, the real clock."""
    def hip(*argv):
        return subprocess.run([sys.executable, "-m", "hipknee", *argv], capture_output=True, text=True,
                              timeout=120)

    today = dt.date.today()
    assert hip("plan", "start").returncode == 0
    done = hip("session", "add", "--date", today.isoformat(), "--status", "completed", "--pain-during", "2")
    assert done.returncode == 0, done.stderr
    result = hip("plan", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["week"] == 1


def test_session_add_offers_exactly_the_enums_values_as_plain_words(capsys):
    # Issue 12: the choices come from hipknee.statuses, not a second list typed in the CLI.
    from hipknee.statuses import FINISHED_STATUSES, NextMorning

    add = cli.build_parser()._subparsers._group_actions[0].choices["session"]._subparsers._group_actions[0]
    options = {a.dest: a.choices for a in add.choices["add"]._actions if a.choices}
    assert list(options["status"]) == [s.value for s in FINISHED_STATUSES] == ["completed", "stopped"]
    assert sorted(options["next_morning"]) == sorted(NextMorning.values()) == ["better", "same", "worse"]
    with pytest.raises(SystemExit):
        main(["session", "add", "--date", day(1), "--status", "in_progress"])
    err = capsys.readouterr().err
    assert "invalid choice: 'in_progress' (choose from 'completed', 'stopped')" in err  # no enum reprs
    with pytest.raises(SystemExit):
        main(["session", "add", "--date", day(1), "--status", "completed", "--next-morning", "fine"])
    assert "(choose from 'better', 'same', 'worse')" in capsys.readouterr().err
