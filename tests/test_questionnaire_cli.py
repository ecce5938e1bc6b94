"""`hipknee questionnaire list|show|add|history` end to end (issue 15 contracts)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hipknee import cli
from tests.test_cli import run
from tests.test_questionnaires import AKPS_BEST, AKPS_POINTS

TODAY = dt.date(2026, 3, 20)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(cli, "_today", lambda: TODAY)


def answers_file(tmp_path, data, name="answers.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def test_list(store, capsys):
    code, out, _ = run(capsys, "questionnaire", "list")
    assert code == 0
    lines = out.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["akps", "peg"]
    assert "13 items, score 0-100 (higher is better), every 28 days, change that matters 10 points" in lines[0]
    assert "3 items, score 0-10 (lower is better), every 7 days, change that matters 1 point" in lines[1]


def test_show_json_contract(store, capsys):
    code, out, _ = run(capsys, "questionnaire", "show", "akps", "--json")
    assert code == 0
    items = json.loads(out)
    assert [i["id"] for i in items] == list(AKPS_POINTS)
    for item in items:
        assert set(item) == {"id", "text", "options"} and item["text"]
        assert all(set(o) == {"id", "text", "points"} for o in item["options"])
    assert {i["id"]: [o["points"] for o in i["options"]] for i in items} == AKPS_POINTS
    code, out, _ = run(capsys, "questionnaire", "show", "peg", "--json")
    assert [(i["id"], i["min"], i["max"], set(i)) for i in json.loads(out)] == [
        (name, 0, 10, {"id", "text", "min", "max"}) for name in ("pain", "enjoyment", "activity")
    ]


def test_show_unknown_id(store, capsys):
    code, out, err = run(capsys, "questionnaire", "show", "koos", "--json")
    assert code == 1 and out == ""
    assert err == "hipknee questionnaire show: error: no questionnaire 'koos'; known: akps, peg\n"


def test_add_prints_the_score_and_history_shows_the_change(store, tmp_path, capsys):
    mixed = {**AKPS_BEST, "stairs": "pain_up_down", "running": 3, "jumping": "constant_pain"}  # -5 -7 -8 = 80
    code, out, _ = run(capsys, "questionnaire", "add", "akps", answers_file(tmp_path, mixed), "--date", "2026-02-20")
    assert code == 0
    assert out == "akps score 80 on 2026-02-20 (0-100, higher is better); saved for local\n"
    code, out, _ = run(capsys, "questionnaire", "add", "akps", answers_file(tmp_path, AKPS_BEST))
    assert code == 0 and out.startswith("akps score 100 on 2026-03-20 ")
    code, out, _ = run(capsys, "questionnaire", "add", "peg",
                       answers_file(tmp_path, {"pain": 7, "enjoyment": 6, "activity": 6}), "--date", "2026-03-19")
    assert code == 0 and out.startswith("peg score 6.3 on 2026-03-19 (0-10, lower is better)")

    code, out, _ = run(capsys, "questionnaire", "history", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"questionnaire": "akps", "date": "2026-02-20", "score": 80, "answers": {
            **AKPS_BEST, "stairs": "pain_up_down", "running": "severe", "jumping": "constant_pain"}},
        {"questionnaire": "peg", "date": "2026-03-19", "score": 6.33,
         "answers": {"pain": 7, "enjoyment": 6, "activity": 6}},
        {"questionnaire": "akps", "date": "2026-03-20", "score": 100, "answers": AKPS_BEST},
    ]
    code, out, _ = run(capsys, "questionnaire", "history")
    assert out.splitlines() == [
        "2026-02-20\takps\t80",
        "2026-03-19\tpeg\t6.3",
        "2026-03-20\takps\t100",
        "akps: From 80 on 20 Feb 2026 to 100 on 20 Mar 2026: up 20 points, better by at least the threshold "
        "(10 points).",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({"pain": 7, "enjoyment": 6}, "invalid peg answers — missing answers: activity"),
        ({"pain": 7, "enjoyment": 6, "activity": 11}, "activity (a whole number 0–10; got 11)"),
        ({"pain": 7, "enjoyment": 6, "activity": 1, "sleep": 2}, "unknown items: sleep"),
        ([7, 6, 1], "answers must be an object"),
        ('{"pain": 7, "pain": 6, "enjoyment": 1, "activity": 1}', "pain appears more than once"),
        ('{"pain": NaN, "enjoyment": 1, "activity": 1}', "NaN is not a valid answer"),
        ("{not json", "not valid JSON (line 1, column 2"),
    ],
)
def test_bad_answers_one_line_non_zero_and_nothing_written(store, tmp_path, capsys, content, message):
    code, out, err = run(capsys, "questionnaire", "add", "peg", answers_file(tmp_path, content))
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("hipknee questionnaire add: error: ")
    assert message in err and err.rstrip().endswith("nothing was recorded")
    assert store.list_questionnaires() == []


def test_bad_date_and_missing_file(store, tmp_path, capsys):
    path = answers_file(tmp_path, {"pain": 1, "enjoyment": 1, "activity": 1})
    code, _, err = run(capsys, "questionnaire", "add", "peg", path, "--date", "2026-03-21")
    assert code == 1 and "--date 2026-03-21 is in the future" in err
    code, _, err = run(capsys, "questionnaire", "add", "peg", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in err
    assert store.list_questionnaires() == []


def test_add_for_another_user(store, tmp_path, capsys):
    path = answers_file(tmp_path, {"pain": 1, "enjoyment": 1, "activity": 1})
    code, out, _ = run(capsys, "questionnaire", "add", "peg", path, "--user", "ana@example.org")
    assert code == 0 and "saved for ana@example.org" in out
    assert store.list_questionnaires() == []
    assert len(store.for_user("ana@example.org").list_questionnaires()) == 1


def test_history_empty(store, capsys):
    assert run(capsys, "questionnaire", "history") == (0, "no questionnaires saved for local\n", "")
    assert run(capsys, "questionnaire", "history", "--json") == (0, "[]\n", "")
