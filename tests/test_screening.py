"""The screening rules (issue 4): every rule, every follow-up, the age boundaries and every bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hipknee.daily_check import assess_daily, load_daily_check
from hipknee.errors import HipkneeError
from hipknee.screening import (
    ContentError,
    ScreeningInputError,
    assess,
    load_screener,
    stop_findings,
    tailoring_from_answers,
    validate_answers,
)

# The issue's ids, written out here (not read from the data file) so a drifting file fails the tests.
STOP_SINGLE = [
    "hot_red_swollen", "deformity_or_pop_swelling", "locked_knee", "calf_dvt_signs", "chest_pain_now",
    "numb_cold_foot", "cauda_equina", "cannot_bear_weight",
]
CAUTION_SINGLE = [
    "heart_condition_bp", "chest_pain", "dizziness_fainting", "chronic_condition", "chronic_medication",
    "supervised_only", "night_pain", "weight_loss_or_cancer", "giving_way", "catching",
    "inflammatory_arthritis", "recent_surgery", "pain_over_6_weeks_no_improvement", "pregnant",
    "acute_illness", "severe_osteoporosis", "diagnosed_arthritis", "injury_hip_knee_ankle",
]
INJURY_FOLLOW_UPS = ["cannot_walk_4_steps", "cannot_bend_90", "bony_tenderness"]
JOINT_FOLLOW_UPS = ["joint_hard_to_control", "fracture_or_spondylo", "steroids_3_months"]
TAILORING = ["kneeling_painful", "pigeon_uncomfortable"]
TOP_LEVEL_BOOL = STOP_SINGLE + CAUTION_SINGLE + ["recent_injury", "joint_problem"]
ALL_IDS = set(TOP_LEVEL_BOOL + INJURY_FOLLOW_UPS + JOINT_FOLLOW_UPS + TAILORING + ["age"])


def clear(**changes) -> dict:
    """A complete set of answers with nothing to report (age 40), changed as given."""
    answers = {qid: False for qid in TOP_LEVEL_BOOL}
    answers["age"] = 40
    answers.update(changes)
    return answers


def ids(screening) -> list[str]:
    return [f.id for f in screening.findings]


# ---- the data file matches the issue -------------------------------------------------------------------


def test_data_file_has_exactly_the_issue_question_ids_types_and_follow_ups():
    s = load_screener()
    assert set(s.questions) == ALL_IDS
    assert s.questions["age"].type == "int"
    assert (s.questions["age"].min, s.questions["age"].max) == (1, 120)
    assert all(s.questions[q].type == "bool" for q in ALL_IDS - {"age"})
    for follow_up in INJURY_FOLLOW_UPS:
        assert s.questions[follow_up].parent == "recent_injury"
    for follow_up in JOINT_FOLLOW_UPS:
        assert s.questions[follow_up].parent == "joint_problem"
    assert all(s.questions[q].parent is None for q in TOP_LEVEL_BOOL + TAILORING + ["age"])
    assert all(s.questions[q].text and s.questions[q].help for q in ALL_IDS)
    assert s.valid_days == 30
    assert "eparmedx.com" in s.source_url


def test_every_question_is_on_exactly_one_step_and_follow_ups_follow_their_parent():
    s = load_screener()
    listed = [qid for step in s.steps for qid in step.question_ids]
    assert sorted(listed) == sorted(ALL_IDS)
    for step in s.steps:
        order = list(step.question_ids)
        for qid in order:
            parent = s.questions[qid].parent
            if parent:
                assert order.index(parent) < order.index(qid)


def test_all_clear_is_ok_with_start_gently_advice():
    result = assess(clear())
    assert result.tier == "ok"
    assert result.reasons == () and result.findings == ()
    assert len(result.advice) == 1 and "gently" in result.advice[0].lower()
    assert result.tailoring == frozenset()


# ---- STOP ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("qid", STOP_SINGLE)
def test_each_stop_sign_alone_is_stop_with_its_own_reason_and_advice(qid):
    result = assess(clear(**{qid: True}))
    assert result.tier == "stop"
    assert ids(result) == [qid]
    finding = result.findings[0]
    assert finding.tier == "stop" and finding.reason and finding.advice
    assert result.reasons == (finding.reason,)
    assert result.advice[0] == finding.advice
    assert result.advice[-1] == load_screener().tiers["stop"].advice


@pytest.mark.parametrize("follow_up", INJURY_FOLLOW_UPS)
def test_recent_injury_with_each_ottawa_follow_up_is_stop(follow_up):
    answers = clear(recent_injury=True, **{f: False for f in INJURY_FOLLOW_UPS})
    answers[follow_up] = True
    result = assess(answers)
    assert result.tier == "stop"
    assert ids(result) == ["recent_injury_red_flags"]
    assert "recent_injury" not in ids(result)  # the CAUTION form does not fire as well


def test_recent_injury_with_all_follow_ups_gives_one_reason():
    result = assess(clear(recent_injury=True, **{f: True for f in INJURY_FOLLOW_UPS}))
    assert ids(result) == ["recent_injury_red_flags"]


@pytest.mark.parametrize("age, tier, rule", [
    (54, "caution", "recent_injury"),
    (55, "stop", "recent_injury_red_flags"),
    (56, "stop", "recent_injury_red_flags"),
    (120, "stop", "recent_injury_red_flags"),
])
def test_recent_injury_age_boundary_54_55(age, tier, rule):
    result = assess(clear(recent_injury=True, age=age, **{f: False for f in INJURY_FOLLOW_UPS}))
    assert result.tier == tier
    assert ids(result) == [rule]


@pytest.mark.parametrize("age", [55, 80])
def test_age_55_or_more_without_a_recent_injury_is_ok(age):
    assert assess(clear(age=age)).tier == "ok"


def test_recent_injury_without_follow_ups_is_caution_with_professional_advice():
    result = assess(clear(recent_injury=True, **{f: False for f in INJURY_FOLLOW_UPS}))
    assert result.tier == "caution"
    assert ids(result) == ["recent_injury"]
    assert "physiotherapist" in result.findings[0].advice


@pytest.mark.parametrize("follow_up", INJURY_FOLLOW_UPS)
def test_ottawa_follow_ups_do_not_count_without_a_recent_injury(follow_up):
    # Answered (e.g. by a clinic's full form) although recent_injury is no: ignored, not an error.
    answers = clear(recent_injury=False, **{follow_up: True})
    assert assess(answers).tier == "ok"
    assert follow_up not in validate_answers(answers)


def test_calf_signs_with_breathlessness_is_one_emergency_reason():
    result = assess(clear(calf_dvt_signs=True, chest_pain_now=True))
    assert result.tier == "stop"
    assert ids(result) == ["calf_with_breathlessness"]
    assert "emergency services now" in result.findings[0].advice.lower()
    assert result.advice[0] == result.findings[0].advice


def test_calf_signs_alone_advise_emergency_only_if_breathlessness_comes():
    advice = assess(clear(calf_dvt_signs=True)).findings[0].advice.lower()
    assert "today" in advice and "emergency" in advice


def test_several_stop_signs_each_give_a_reason_in_file_order():
    result = assess(clear(locked_knee=True, hot_red_swollen=True, cauda_equina=True))
    assert result.tier == "stop"
    assert ids(result) == ["cauda_equina", "hot_red_swollen", "locked_knee"]
    assert len(result.reasons) == 3


def test_stop_lists_stop_reasons_before_caution_ones_and_keeps_both():
    result = assess(clear(pregnant=True, heart_condition_bp=True, locked_knee=True))
    assert result.tier == "stop"
    assert [f.tier for f in result.findings] == ["stop", "caution", "caution"]
    assert ids(result)[0] == "locked_knee"
    assert set(ids(result)[1:]) == {"pregnant", "heart_condition_bp"}




# ---- CAUTION -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("qid", CAUTION_SINGLE)
def test_each_caution_item_alone_is_caution_with_its_own_reason_and_advice(qid):
    result = assess(clear(**{qid: True}))
    assert result.tier == "caution"
    assert ids(result) == [qid]
    assert result.findings[0].advice in result.advice
    assert result.advice[-1] == load_screener().tiers["caution"].advice


def test_joint_problem_alone_does_not_raise_the_tier():
    answers = clear(joint_problem=True, **{f: False for f in JOINT_FOLLOW_UPS})
    assert assess(answers).tier == "ok"
    assert ids(assess(answers)) == []


@pytest.mark.parametrize("follow_up", JOINT_FOLLOW_UPS)
def test_joint_problem_with_each_follow_up_is_caution(follow_up):
    answers = clear(joint_problem=True, **{f: False for f in JOINT_FOLLOW_UPS})
    answers[follow_up] = True
    result = assess(answers)
    assert result.tier == "caution"
    assert ids(result) == ["joint_problem"]


@pytest.mark.parametrize("follow_up", JOINT_FOLLOW_UPS)
def test_joint_follow_ups_do_not_count_without_joint_problem(follow_up):
    assert assess(clear(joint_problem=False, **{follow_up: True})).tier == "ok"


@pytest.mark.parametrize("age, tier", [(1, "caution"), (17, "caution"), (18, "ok"), (19, "ok")])
def test_age_boundary_17_18(age, tier):
    result = assess(clear(age=age))
    assert result.tier == tier
    assert ids(result) == (["age_under_18"] if tier == "caution" else [])


def test_several_caution_items_each_give_a_reason():
    result = assess(clear(age=16, pregnant=True, catching=True))
    assert result.tier == "caution"
    assert set(ids(result)) == {"age_under_18", "pregnant", "catching"}
    assert len(result.reasons) == 3


def test_reason_dicts_have_id_reason_advice_and_tier():
    result = assess(clear(giving_way=True, hot_red_swollen=True))
    dicts = result.reason_dicts()
    assert [d["id"] for d in dicts] == ["hot_red_swollen", "giving_way"]
    assert all({"id", "reason", "advice", "tier"} <= set(d) for d in dicts)
    assert [d["tier"] for d in dicts] == ["stop", "caution"]
    assert result.reason_ids == ("hot_red_swollen", "giving_way")


# ---- tailoring and "not sure" --------------------------------------------------------------------------


@pytest.mark.parametrize("base, tier", [({}, "ok"), ({"pregnant": True}, "caution"),
                                        ({"locked_knee": True}, "stop")])
@pytest.mark.parametrize("kneeling, pigeon", [(True, True), (True, False), (False, True)])
def test_tailoring_never_changes_the_tier(base, tier, kneeling, pigeon):
    without = assess(clear(**base))
    with_tailoring = assess(clear(**base, kneeling_painful=kneeling, pigeon_uncomfortable=pigeon))
    assert without.tier == with_tailoring.tier == tier
    assert ids(without) == ids(with_tailoring)
    expected = {t for t, v in (("kneeling_painful", kneeling), ("pigeon_uncomfortable", pigeon)) if v}
    assert with_tailoring.tailoring == frozenset(expected)


def test_tailoring_questions_are_optional():
    assert "kneeling_painful" not in clear()
    assert assess(clear()).tier == "ok"
    assert assess(clear(kneeling_painful=None)).tailoring == frozenset()


def test_tailoring_from_stored_answers():
    assert tailoring_from_answers({"kneeling_painful": True, "pigeon_uncomfortable": False}) == {
        "kneeling_painful"
    }
    assert tailoring_from_answers({}) == frozenset()


def test_not_sure_counts_as_yes_and_the_reason_says_so():
    note = load_screener().unsure_note
    result = assess(clear(calf_dvt_signs=True, giving_way=True), unsure=["calf_dvt_signs"])
    assert result.tier == "stop"
    calf, giving_way = result.findings
    assert calf.unsure and calf.reason.endswith(note)
    assert not giving_way.unsure and note not in giving_way.reason


def test_not_sure_on_a_follow_up_marks_the_composite_reason():
    result = assess(
        clear(recent_injury=True, cannot_walk_4_steps=True, cannot_bend_90=False, bony_tenderness=False),
        unsure=["cannot_walk_4_steps"],
    )
    assert result.tier == "stop" and result.findings[0].unsure


@pytest.mark.parametrize("unsure", [["giving_way"], ["age"], ["no_such_question"]])
def test_not_sure_must_name_a_yes_no_question_answered_true(unsure):
    with pytest.raises(ScreeningInputError) as err:
        assess(clear(), unsure=unsure)
    assert err.value.ids == tuple(unsure)
    assert unsure[0] in str(err.value)


# ---- STOP while the answers are still coming in (stop_findings) ---------------------------------------


def stop_ids(answers, **kw) -> list[str]:
    return [f.id for f in stop_findings(answers, **kw)]


def test_no_answers_yet_is_no_stop():
    assert stop_findings({}) == ()


@pytest.mark.parametrize("qid", STOP_SINGLE)
def test_each_stop_sign_alone_is_stop_at_once_with_its_own_reason_and_advice(qid):
    (finding,) = stop_findings({qid: True})
    rule = load_screener().rule(qid)
    assert (finding.id, finding.tier, finding.reason, finding.advice) == (qid, "stop", rule.reason, rule.advice)
    assert qid in finding.questions
    assert stop_findings({qid: False}) == ()


def test_recent_injury_alone_is_not_stop_yet():
    assert stop_findings({"recent_injury": True}) == ()
    assert stop_findings({"recent_injury": True, "age": 54}) == ()


@pytest.mark.parametrize("follow_up", INJURY_FOLLOW_UPS)
def test_recent_injury_with_a_follow_up_is_stop_at_once(follow_up):
    assert stop_ids({"recent_injury": True, follow_up: True}) == ["recent_injury_red_flags"]
    assert stop_ids({"recent_injury": False, follow_up: True}) == []  # a follow-up under a no doesn't count


@pytest.mark.parametrize("age, expected", [(54, []), (55, ["recent_injury_red_flags"])])
def test_recent_injury_with_an_earlier_age_answer(age, expected):
    assert stop_ids({"age": age, "recent_injury": True}) == expected
    assert stop_ids({"age": age}) == []


def test_calf_signs_with_breathlessness_is_the_emergency_reason():
    assert stop_ids({"calf_dvt_signs": True}) == ["calf_dvt_signs"]
    (finding,) = stop_findings({"calf_dvt_signs": True, "chest_pain_now": True})
    assert finding.id == "calf_with_breathlessness" and "emergency services" in finding.advice


def test_caution_answers_never_make_an_early_stop():
    answers = {qid: True for qid in CAUTION_SINGLE}
    answers.update(joint_problem=True, joint_hard_to_control=True, age=12)
    assert stop_findings(answers) == ()


def test_early_stop_not_sure_note():
    (finding,) = stop_findings({"locked_knee": True}, unsure=["locked_knee"])
    assert finding.unsure and finding.reason.endswith(load_screener().unsure_note)
    with pytest.raises(ScreeningInputError):
        stop_findings({"locked_knee": False}, unsure=["locked_knee"])


@pytest.mark.parametrize("answers", [
    clear(locked_knee=True),
    clear(recent_injury=True, cannot_walk_4_steps=False, cannot_bend_90=True, bony_tenderness=True, age=70),
    clear(recent_injury=True, cannot_walk_4_steps=False, cannot_bend_90=False, bony_tenderness=False),
    clear(calf_dvt_signs=True, chest_pain_now=True, hot_red_swollen=True, pregnant=True),
    clear(numb_cold_foot=True, cauda_equina=True, giving_way=True),
    clear(),
])
def test_early_stop_matches_the_final_assessment(answers):
    final = [f for f in assess(answers).findings if f.tier == "stop"]
    assert list(stop_findings(answers)) == final


@pytest.mark.parametrize("answers, bad", [
    ({"knee_hurts": True}, ("knee_hurts",)),
    ({"locked_knee": "yes"}, ("locked_knee",)),
    ({"age": 0}, ("age",)),
])
def test_early_stop_rejects_bad_answers_but_not_missing_ones(answers, bad):
    with pytest.raises(ScreeningInputError) as err:
        stop_findings(answers)
    assert err.value.ids == bad


def test_a_stop_rule_with_when_none_waits_for_those_answers(screener_copy):
    edit(screener_copy, 'when_all = ["locked_knee"]\n', 'when_all = ["locked_knee"]\nwhen_none = ["giving_way"]\n')
    s = load_screener(screener_copy)
    assert stop_findings({"locked_knee": True}, screener=s) == ()  # giving_way could still undo it
    assert [f.id for f in stop_findings({"locked_knee": True, "giving_way": False}, screener=s)] == ["locked_knee"]
    assert stop_findings({"locked_knee": True, "giving_way": True}, screener=s) == ()


# ---- bad input -----------------------------------------------------------------------------------------


def raises(answers) -> ScreeningInputError:
    with pytest.raises(ValueError) as err:
        assess(answers)
    assert isinstance(err.value, ScreeningInputError) and isinstance(err.value, HipkneeError)
    return err.value


def test_unknown_id_is_named():
    err = raises(clear(knee_hurts=True))
    assert err.ids == ("knee_hurts",)
    assert "unknown question id: knee_hurts" in str(err)


def test_every_unknown_id_is_named():
    err = raises(clear(zebra=True, apple=1))
    assert set(err.ids) == {"zebra", "apple"}
    assert "apple" in str(err) and "zebra" in str(err)


@pytest.mark.parametrize("qid", TOP_LEVEL_BOOL + ["age"])
def test_each_missing_required_answer_is_named(qid):
    answers = clear()
    del answers[qid]
    err = raises(answers)
    assert err.ids == (qid,)
    assert f"missing answer: {qid}" in str(err)


@pytest.mark.parametrize("qid", ["age", "locked_knee"])
def test_none_counts_as_missing(qid):
    assert raises(clear(**{qid: None})).ids == (qid,)


@pytest.mark.parametrize("parent, follow_ups", [("recent_injury", INJURY_FOLLOW_UPS),
                                                ("joint_problem", JOINT_FOLLOW_UPS)])
def test_follow_ups_are_required_when_the_parent_is_yes(parent, follow_ups):
    err = raises(clear(**{parent: True}))
    assert set(err.ids) == set(follow_ups)
    for follow_up in follow_ups:
        assert follow_up in str(err)
    # One follow-up missing: only that one is named.
    answers = clear(**{parent: True}, **{f: False for f in follow_ups[1:]})
    assert raises(answers).ids == (follow_ups[0],)


@pytest.mark.parametrize("parent", ["recent_injury", "joint_problem"])
def test_follow_ups_are_not_required_when_the_parent_is_no(parent):
    assert assess(clear(**{parent: False})).tier == "ok"


def test_follow_ups_are_not_reported_missing_when_the_parent_itself_is_bad():
    err = raises(clear(recent_injury="yes"))
    assert err.ids == ("recent_injury",)


@pytest.mark.parametrize("value", ["yes", "true", 1, 0, 1.0, None.__class__, [True], {"a": 1}])
def test_yes_no_answer_of_the_wrong_type_is_named(value):
    err = raises(clear(giving_way=value))
    assert err.ids == ("giving_way",)
    assert "giving_way" in str(err) and "true or false" in str(err)


@pytest.mark.parametrize("value", ["40", 40.0, 40.5, True, False, [40]])
def test_age_of_the_wrong_type_is_named(value):
    err = raises(clear(age=value))
    assert err.ids == ("age",)
    assert "whole number from 1 to 120" in str(err)


@pytest.mark.parametrize("value", [0, -5, 121, 1000])
def test_age_out_of_range_is_named(value):
    err = raises(clear(age=value))
    assert err.ids == ("age",)
    assert str(value) in str(err)


@pytest.mark.parametrize("value", [1, 120])
def test_age_range_ends_are_accepted(value):
    assess(clear(age=value))


def test_wrong_type_of_a_follow_up_under_a_no_is_still_an_error():
    assert raises(clear(recent_injury=False, bony_tenderness="no")).ids == ("bony_tenderness",)


def test_tailoring_of_the_wrong_type_is_named():
    assert raises(clear(kneeling_painful="sometimes")).ids == ("kneeling_painful",)


def test_every_kind_of_problem_is_reported_together():
    answers = clear(mystery=True, giving_way="no", recent_injury=True)
    del answers["age"]
    err = raises(answers)
    assert set(err.ids) == {"mystery", "giving_way", "age", *INJURY_FOLLOW_UPS}
    message = str(err)
    for qid in err.ids:
        assert qid in message


@pytest.mark.parametrize("answers", [None, [], "age=40", 40])
def test_answers_must_be_a_mapping(answers):
    with pytest.raises(ScreeningInputError, match="must be an object"):
        assess(answers)


def test_empty_answers_name_every_required_question():
    err = raises({})
    assert set(err.ids) == set(TOP_LEVEL_BOOL) | {"age"}


# ---- the content file is validated on load -------------------------------------------------------------


@pytest.fixture
def screener_copy(tmp_path) -> Path:
    path = tmp_path / "data" / "screener.toml"
    path.parent.mkdir()
    shutil.copy(load_screener().path, path)
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old, new, expected", [
    ('short = "Your age"\n', "", ["question 'age'", "field 'short'", "missing"]),
    ('type = "int"', 'type = "text"', ["question 'age'", "field 'type'"]),
    ('min = 1\n', "", ["question 'age'", "field 'min'"]),
    ('parent = "recent_injury"', 'parent = "no_such"', ["question 'cannot_walk_4_steps'", "field 'parent'"]),
    ('step = "today"', 'step = "nowhere"', ["question 'age'", "field 'step'"]),
    ('when_all = ["locked_knee"]', 'when_all = ["lockd_knee"]', ["rule 'locked_knee'", "field 'when_all'"]),
    ('"age >= 55"]\nreason', '"age >= fifty"]\nreason', ["rule 'recent_injury_red_flags'", "field 'when_any'"]),
    ('when_all = ["age < 18"]', 'when_all = ["pregnant < 18"]', ["rule 'age_under_18'", "not a number"]),
    ('tier = "caution"', 'tier = "maybe"', ["rule 'recent_injury'", "field 'tier'"]),
    ('id = "giving_way"\nstep', 'id = "catching"\nstep', ["question 'catching'", "used twice"]),
    ('valid_days = 30', 'valid_days = "thirty"', ["[meta]", "valid_days"]),
    ('[gate.expired]', '[gate.expird]', ["[gate.expired]"]),
    ('help = "Only one side, and new. This can be a blood clot."',
     'help = "x"\ncolour = "red"', ["question 'calf_dvt_signs'", "field 'colour'"]),
    ('replaces = ["calf_dvt_signs", "chest_pain_now"]', 'replaces = ["calf"]',
     ["rule 'calf_with_breathlessness'", "replaces"]),
])
def test_broken_content_file_names_file_item_and_field(screener_copy, old, new, expected):
    edit(screener_copy, old, new)
    with pytest.raises(ContentError) as err:
        load_screener(screener_copy)
    message = str(err.value)
    assert "screener.toml" in message
    for part in expected:
        assert part in message


def test_missing_or_invalid_toml_is_a_clear_error(tmp_path):
    with pytest.raises(ContentError, match="missing"):
        load_screener(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[question]\nid=", encoding="utf-8")
    with pytest.raises(ContentError, match="not valid TOML"):
        load_screener(bad)


def test_shared_advice_is_listed_once(screener_copy):
    edit(screener_copy, 'advice = "Ask a physiotherapist which stretches suit that injury before you start."',
         'advice = "Ask a professional first."')
    edit(screener_copy, 'advice = "Have a physiotherapist or doctor check the cartilage before you stretch the knee."',
         'advice = "Ask a professional first."')
    result = assess(clear(injury_hip_knee_ankle=True, catching=True), screener=load_screener(screener_copy))
    assert len(result.findings) == 2
    assert result.advice.count("Ask a professional first.") == 1


def test_reworded_content_is_used(screener_copy):
    edit(screener_copy, 'reason = "Your knee is locked', 'reason = "Locked! Your knee is locked')
    s = load_screener(screener_copy)
    assert assess(clear(locked_knee=True), screener=s).reasons[0].startswith("Locked!")


# ---- the daily check -----------------------------------------------------------------------------------

DAILY_TIERS = {
    "knee_hot_red_swollen": "stop", "knee_locked": "stop", "calf_painful_swollen": "stop",
    "new_swelling_or_redness": "blocked", "less_movement": "blocked", "fever": "blocked",  # fever: issue 11
    "pain_much_worse": "caution",
}


def daily(**changes) -> dict:
    answers = {qid: False for qid in DAILY_TIERS}
    answers.update(changes)
    return answers


def test_daily_check_has_the_issue_questions_with_their_tiers():
    content = load_daily_check()
    assert {q.id: q.tier for q in content.questions.values()} == DAILY_TIERS
    assert all(q.advice and q.text and q.help for q in content.questions.values())


def test_daily_all_no_is_ok():
    result = assess_daily(daily())
    assert result.status == "ok" and result.findings == () and result.advice == ()


@pytest.mark.parametrize("qid, status", sorted(DAILY_TIERS.items()))
def test_each_daily_question_gives_its_own_tier_and_advice(qid, status):
    result = assess_daily(daily(**{qid: True}))
    assert result.status == status
    assert [f.id for f in result.findings] == [qid]
    assert result.advice == (load_daily_check().questions[qid].advice,)


def test_daily_calf_advice_mentions_emergency_with_breathlessness():
    assert "emergency" in assess_daily(daily(calf_painful_swollen=True)).advice[0].lower()


def test_daily_blocked_advice_is_the_articles_stop_and_seek_advice():
    advice = assess_daily(daily(new_swelling_or_redness=True)).advice[0].lower()
    assert "stop" in advice and "advice" in advice


@pytest.mark.parametrize("ticked, status", [
    (["pain_much_worse", "less_movement"], "blocked"),
    (["pain_much_worse", "knee_locked"], "stop"),
    (["new_swelling_or_redness", "knee_hot_red_swollen", "fever"], "stop"),
    (["pain_much_worse", "fever"], "blocked"),
])
def test_daily_strictest_tier_wins_and_findings_are_most_serious_first(ticked, status):
    result = assess_daily(daily(**{q: True for q in ticked}))
    assert result.status == status
    assert result.findings[0].tier == status
    assert {f.id for f in result.findings} == set(ticked)


def test_daily_shared_advice_is_listed_once():
    result = assess_daily(daily(new_swelling_or_redness=True, less_movement=True))
    assert len(result.findings) == 2 and len(result.advice) == 1


@pytest.mark.parametrize("answers, bad", [
    (daily(sore=True), {"sore"}),
    ({k: v for k, v in daily().items() if k != "fever"}, {"fever"}),
    (daily(fever="yes"), {"fever"}),
    (daily(fever=1, knee_locked=None, extra=False), {"fever", "knee_locked", "extra"}),
])
def test_daily_bad_input_names_every_id(answers, bad):
    with pytest.raises(ValueError) as err:
        assess_daily(answers)
    assert set(err.value.ids) == bad
    for qid in bad:
        assert qid in str(err.value)


def test_daily_content_file_is_validated(tmp_path):
    path = tmp_path / "daily_check.toml"
    shutil.copy(load_daily_check().path, path)
    path.write_text(path.read_text().replace('tier = "blocked"', 'tier = "closed"', 1))
    with pytest.raises(ContentError) as err:
        load_daily_check(path)
    assert "question 'new_swelling_or_redness'" in str(err.value) and "field 'tier'" in str(err.value)


def test_composite_reasons_say_which_signs_applied():
    result = assess(clear(recent_injury=True, age=60, cannot_walk_4_steps=False, cannot_bend_90=True,
                          bony_tenderness=False))
    reason = result.reasons[0]
    assert "(You told us: can't bend the knee to a right angle; your age: 60.)" in reason
    result = assess(clear(joint_problem=True, joint_hard_to_control=False, fracture_or_spondylo=False,
                          steroids_3_months=True))
    assert result.reasons[0].endswith("(You told us: steroids for over 3 months.)")


# ---- issue 11: rules tightened after clinical review ----------------------------------------------------


@pytest.mark.parametrize("changes", [
    {},  # no injury reported at all
    {"injury_hip_knee_ankle": True},  # an older injury, 8+ days ago: used to be only CAUTION
    {"recent_injury": True, "cannot_walk_4_steps": False, "cannot_bend_90": False, "bony_tenderness": False},
])
def test_cannot_bear_weight_now_is_stop_whatever_the_injurys_date(changes):
    result = assess(clear(cannot_bear_weight=True, **changes))
    assert result.tier == "stop"
    assert "cannot_bear_weight" in ids(result)
    assert "weight" in next(f.reason for f in result.findings if f.id == "cannot_bear_weight")


def test_cannot_bear_weight_question_uses_the_reviewed_wording_and_is_asked_with_the_knee_signs():
    s = load_screener()
    question = s.questions["cannot_bear_weight"]
    assert question.text == "Right now, is it impossible to put weight on the leg or take four steps?"
    assert question.parent is None  # asked of everyone, not only after a recent injury
    assert "cannot_bear_weight" in next(step for step in s.steps if step.id == "knee_now").question_ids


def test_cannot_bear_weight_is_a_stop_sign_while_the_screening_is_being_filled_in():
    (finding,) = stop_findings({"cannot_bear_weight": True})
    assert finding.id == "cannot_bear_weight"


def test_under_18_caution_says_sometimes_and_easily_missed():
    text = next(f for f in assess(clear(age=15)).findings if f.id == "age_under_18").reason
    assert "sometimes" in text and "easily missed" in text and "often" not in text
    assert "often" not in load_screener().questions["age"].help


def test_fever_in_the_daily_check_closes_the_routine_for_the_day():
    answers = {qid: qid == "fever" for qid in load_daily_check().questions}
    assert assess_daily(answers).status == "blocked"
    assert load_daily_check().questions["fever"].tier == "blocked"
    # The question asks what the rule is about: a fever, or feeling generally unwell (PAR-Q+).
    question = load_daily_check().questions["fever"]
    assert "fever" in question.text and "unwell" in question.text and "unwell" in question.short.lower()
