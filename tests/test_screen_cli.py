"""`hipknee screen ANSWERS.json` (issue 4): assesses, records like the page, prints tier and reasons."""

from __future__ import annotations

import json

import pytest

from hipknee.cli import main
from hipknee.store import Store

TOP_LEVEL_BOOL = [
    "hot_red_swollen", "deformity_or_pop_swelling", "locked_knee", "calf_dvt_signs", "chest_pain_now",
    "numb_cold_foot", "cauda_equina", "cannot_bear_weight", "heart_condition_bp", "chest_pain", "dizziness_fainting",
    "chronic_condition", "chronic_medication", "supervised_only", "night_pain", "weight_loss_or_cancer",
    "giving_way", "catching", "inflammatory_arthritis", "recent_surgery", "pain_over_6_weeks_no_improvement",
    "pregnant", "acute_illness", "severe_osteoporosis", "diagnosed_arthritis", "injury_hip_knee_ankle",
    "recent_injury", "joint_problem",
]


def answers(**changes) -> dict:
    result = {qid: False for qid in TOP_LEVEL_BOOL}
    result["age"] = 40
    result.update(changes)
    return result


@pytest.fixture
def write(tmp_path):
    def make(content, name: str = "answers.json"):
        path = tmp_path / name
        if isinstance(content, (bytes, str)):
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
        return str(path)

    return make


def screenings(db_url: str):
    store = Store.open(db_url)
    try:
        return store.list_screenings()
    finally:
        store.engine.dispose()


def test_ok_is_recorded_and_printed(db_url, write, capsys):
    assert main(["screen", write(answers())]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0].startswith("tier: ok")
    assert "reasons: none" in out
    assert err == ""
    [record] = screenings(db_url)
    assert record.tier == "ok" and record.source == "cli" and record.answers == answers()
    assert f"recorded screening {record.id}" in out


def test_caution_prints_every_reason_with_its_advice(db_url, write, capsys):
    assert main(["screen", write(answers(pregnant=True, age=16, kneeling_painful=True))]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tier: caution")
    assert "[pregnant]" in out and "[age_under_18]" in out
    assert out.count("what to do:") == 2
    [record] = screenings(db_url)
    assert record.tier == "caution"
    assert [r["id"] for r in record.reasons] == ["age_under_18", "pregnant"]  # file order
    assert record.answers["kneeling_painful"] is True


def test_stop_with_follow_ups(db_url, write, capsys):
    data = answers(recent_injury=True, cannot_walk_4_steps=False, cannot_bend_90=True, bony_tenderness=False)
    assert main(["screen", write(data)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tier: stop") and "[recent_injury_red_flags]" in out
    assert screenings(db_url)[0].tier == "stop"


def test_calf_and_breathlessness_says_call_emergency_services(db_url, write, capsys):
    assert main(["screen", write(answers(calf_dvt_signs=True, chest_pain_now=True))]) == 0
    out = capsys.readouterr().out
    assert "[calf_with_breathlessness]" in out and "Call emergency services now" in out


def _fails(db_url, capsys, argv, *expected) -> str:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("hipknee screen: error:")
    for part in expected:
        assert part in err
    assert screenings(db_url) == []
    return err


def test_unknown_missing_and_wrong_ids_are_all_named(db_url, write, capsys):
    data = answers(knee_feels_odd=True, giving_way="yes")
    del data["age"]
    _fails(db_url, capsys, ["screen", write(data)], "knee_feels_odd", "giving_way", "age",
           "nothing was recorded")


def test_missing_follow_up_is_named(db_url, write, capsys):
    data = answers(joint_problem=True, joint_hard_to_control=False, steroids_3_months=False)
    _fails(db_url, capsys, ["screen", write(data)], "fracture_or_spondylo")


@pytest.mark.parametrize("age", [0, 121, "40", 40.5])
def test_bad_age(db_url, write, capsys, age):
    _fails(db_url, capsys, ["screen", write(answers(age=age))], "age", "1 to 120")


@pytest.mark.parametrize("content, expected", [
    ("{not json", "not valid JSON"),
    ("", "not valid JSON"),
    ("[1, 2]", "JSON object"),
    ('"age"', "JSON object"),
    ('{"age": NaN}', "NaN"),
    ('{"age": 40, "age": 41}', "more than once"),
    (b"\xff\xfe{", "UTF-8"),
])
def test_bad_json(db_url, write, capsys, content, expected):
    _fails(db_url, capsys, ["screen", write(content)], expected)


def test_missing_file(db_url, tmp_path, capsys):
    _fails(db_url, capsys, ["screen", str(tmp_path / "nope.json")], "nope.json")


def test_folder_instead_of_file(db_url, tmp_path, capsys):
    _fails(db_url, capsys, ["screen", str(tmp_path)], "folder")


def test_the_page_and_the_cli_record_the_same_thing(db_url, write, capsys):
    from hipknee.screening import assess

    data = answers(giving_way=True, locked_knee=True)
    assert main(["screen", write(data)]) == 0
    capsys.readouterr()
    [record] = screenings(db_url)
    expected = assess(data)
    assert record.tier == expected.tier and record.reasons == expected.reason_dicts()
