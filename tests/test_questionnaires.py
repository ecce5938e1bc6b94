"""Outcome questionnaires (issue 15): content checks, scoring by hand-computed examples, due dates, change
from the first score, and storage on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hipknee import questionnaires as qn
from hipknee.content import ContentError
from hipknee.errors import ValidationError
from tests.conftest import BOTH_BACKENDS

D = dt.date
DAY = dt.timedelta(days=1)

AKPS_BEST = {
    "limp": "none", "support": "full", "walking": "unlimited", "stairs": "no_difficulty", "squatting": "no_difficulty",
    "running": "no_difficulty", "jumping": "no_difficulty", "sitting": "no_difficulty", "pain": "none",
    "swelling": "none", "kneecap": "none", "thigh": "none", "bending": "none",
}
AKPS_WORST = {
    "limp": "constant", "support": "impossible", "walking": "unable", "stairs": "unable", "squatting": "unable",
    "running": "unable", "jumping": "unable", "sitting": "unable", "pain": "constant_severe", "swelling": "constant",
    "kneecap": "over_two_dislocations", "thigh": "severe", "bending": "severe",
}
# The published points per item, typed here from the scale (Kujala 1993) independently of the data file.
AKPS_POINTS = {
    "limp": [5, 3, 0], "support": [5, 3, 0], "walking": [5, 3, 2, 0], "stairs": [10, 8, 5, 0],
    "squatting": [5, 4, 3, 2, 0], "running": [10, 8, 6, 3, 0], "jumping": [10, 7, 2, 0],
    "sitting": [10, 8, 6, 4, 0], "pain": [10, 8, 6, 3, 0], "swelling": [10, 8, 6, 4, 0],
    "kneecap": [10, 6, 4, 2, 0], "thigh": [5, 3, 0], "bending": [5, 3, 0],
}


@pytest.fixture(scope="module")
def akps() -> qn.Questionnaire:
    return qn.get_questionnaire("akps")


@pytest.fixture(scope="module")
def peg() -> qn.Questionnaire:
    return qn.get_questionnaire("peg")


# ---- content -------------------------------------------------------------------------------------------


def test_the_file_holds_the_akps_and_the_peg_as_published(akps, peg):
    assert list(qn.load_questionnaires()) == ["akps", "peg"]
    assert [i.id for i in akps.items] == list(AKPS_POINTS)  # 13 items, in the published order
    assert {i.id: [o.points for o in i.options] for i in akps.items} == AKPS_POINTS
    assert (akps.score_min, akps.score_max, akps.higher_is_better, akps.mid) == (0, 100, True, 10)
    assert (akps.interval_days, peg.interval_days) == (28, 7)
    assert [i.id for i in peg.items] == ["pain", "enjoyment", "activity"]
    assert all((i.min, i.max) == (0, 10) for i in peg.items)
    assert (peg.higher_is_better, peg.mid) == (False, 1.0)
    assert "Crossley" in akps.mid_source and "10 points" in akps.mid_source


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.toml"
    path.write_text(text)
    return path


GOOD = (Path(__file__).resolve().parent.parent / "data" / "questionnaires.toml").read_text()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("points = 10\n", "points = 11\n", 1), "the items give scores from 0 to 101, not 0 to 100"),
        (('id = "limp"', 'id = "support"', 1), "item id 'support' is used twice"),
        (('id = "slight"\n    text = "A little, or now and then"', 'id = "none"\n    text = "x"', 1),
         "option id 'none' is used twice"),
        (("interval_days = 28", "interval_days = 0", 1), "interval_days"),
        (("  max = 10\n", "  max = 0\n", 1), "a rating needs whole numbers min < max"),
        (("scoring = \"sum\"", "scoring = \"median\"", 1), "scoring"),
    ],
)
def test_a_broken_file_is_refused_on_load_with_a_clear_message(tmp_path, change, message):
    old, new, count = change
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, count))
    with pytest.raises(ContentError, match="q.toml") as caught:
        qn.load_questionnaires(path)
    assert message in str(caught.value)


def test_show_json_lists_the_items_in_order(akps, peg):
    shown = akps.as_json()
    assert [i["id"] for i in shown] == list(AKPS_POINTS)
    assert shown[0] == {"id": "limp", "text": akps.items[0].text, "options": [
        {"id": "none", "text": "No", "points": 5},
        {"id": "slight", "text": "A little, or now and then", "points": 3},
        {"id": "constant", "text": "All the time", "points": 0},
    ]}
    assert peg.as_json()[1] == {"id": "enjoyment", "text": peg.items[1].text, "min": 0, "max": 10}


# ---- scoring -------------------------------------------------------------------------------------------


def test_akps_best_worst_and_mixed_by_hand(akps):
    assert qn.score(akps, AKPS_BEST) == 100
    assert qn.score(akps, AKPS_WORST) == 0
    mixed = {
        **AKPS_BEST,
        "limp": "slight",  # 3 (-2)
        "stairs": "slight_down",  # 8 (-2)
        "squatting": "partial_weight",  # 2 (-3)
        "running": "severe",  # 3 (-7)
        "jumping": "constant_pain",  # 2 (-8)
        "sitting": "must_straighten",  # 4 (-6)
        "pain": "disturbs_sleep",  # 6 (-4)
        "kneecap": "sometimes_sport",  # 6 (-4)
    }
    # 100 - (2 + 2 + 3 + 7 + 8 + 6 + 4 + 4) = 64
    assert qn.score(akps, mixed) == 64


def test_akps_answers_may_give_points_instead_of_option_ids(akps):
    by_points = {**AKPS_BEST, "walking": 2, "swelling": 4, "bending": 3}  # 1–2 km, every evening, a little less
    assert qn.score(akps, by_points) == 100 - 3 - 6 - 2
    assert qn.check_answers(akps, by_points)["walking"] == "km_1_to_2"


def test_peg_is_the_mean_of_its_three_ratings(peg):
    assert qn.score(peg, {"pain": 0, "enjoyment": 0, "activity": 0}) == 0
    assert qn.score(peg, {"pain": 10, "enjoyment": 10, "activity": 10}) == 10
    assert qn.score(peg, {"pain": 6, "enjoyment": 3, "activity": 4}) == pytest.approx(13 / 3)
    assert peg.format_score(13 / 3) == "4.3"


@pytest.mark.parametrize(
    ("answers", "fragments"),
    [
        ({"pain": 4, "enjoyment": 11, "activity": 3}, ["enjoyment (a whole number 0–10; got 11)"]),
        ({"pain": 4, "enjoyment": 2}, ["missing answers: activity"]),
        ({"pain": 4, "enjoyment": 2, "activity": True}, ["activity (a whole number 0–10; got True)"]),
        ({"pain": 4, "enjoyment": 2, "activity": "3"}, ["activity"]),
        ({"pain": 4, "enjoyment": 2, "activity": 3, "mood": 1}, ["unknown items: mood"]),
        ({"pain": 4.5, "enjoyment": 2, "activity": 3}, ["pain"]),
        ([1, 2, 3], ["must be an object"]),
    ],
)
def test_bad_peg_answers_name_every_problem(peg, answers, fragments):
    with pytest.raises(qn.AnswerError) as caught:
        qn.score(peg, answers)
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_bad_akps_answers(akps):
    with pytest.raises(qn.AnswerError, match=r"limp \(one of none, slight, constant; got 'sometimes'\)"):
        qn.score(akps, {**AKPS_BEST, "limp": "sometimes"})
    with pytest.raises(qn.AnswerError, match=r"stairs .*got 7"):  # 7 points is no option of the stairs item
        qn.score(akps, {**AKPS_BEST, "stairs": 7})


def test_unknown_questionnaire():
    with pytest.raises(ValidationError, match="no questionnaire 'koos'; known: akps, peg"):
        qn.get_questionnaire("koos")


# ---- due dates -----------------------------------------------------------------------------------------


def test_a_first_visit_is_not_prompted_but_first_journal_use_starts_the_cycle(akps, peg):
    today = D(2026, 3, 10)
    for q in (akps, peg):
        state = qn.due_state(q, [], today=today)
        assert (state.due, state.next_date, state.anchor) == (False, today, None)
        state = qn.due_state(q, [], today=today, first_use=today)
        assert (state.due, state.due_since, state.anchor) == (True, today, today)
    # Journal used since 1 Feb, never answered: the PEG is due since the latest weekly date (8 Mar).
    assert qn.due_state(peg, [], today=today, first_use=D(2026, 2, 1)).due_since == D(2026, 3, 8)
    # The first answer beats first use as the anchor.
    state = qn.due_state(peg, [D(2026, 3, 4)], today=today, first_use=D(2026, 2, 1))
    assert (state.due, state.anchor, state.next_date) == (False, D(2026, 3, 4), D(2026, 3, 11))


def test_akps_at_programme_start_then_every_four_weeks(akps):
    start = D(2026, 3, 2)

    def due(today, taken=()):
        return qn.due_state(akps, list(taken), today=today, programme_start=start)

    assert due(D(2026, 3, 1)).due is False  # the day before the programme starts
    assert due(D(2026, 3, 1)).next_date == start
    assert due(start).due is True and due(start).due_since == start
    assert due(D(2026, 3, 20)).due_since == start  # still due until taken
    assert due(start, [start]).due is False  # taken: the prompt disappears
    assert due(D(2026, 3, 29), [start]).due is False
    assert due(D(2026, 3, 29), [start]).next_date == D(2026, 3, 30)
    assert due(D(2026, 3, 30), [start]).due is True  # 28 days later it is back
    assert due(D(2026, 3, 30), [start]).due_since == D(2026, 3, 30)
    assert due(D(2026, 3, 30), [start, D(2026, 3, 30)]).due is False
    # Taken up to 3 days early still counts for the due date; 4 days early does not.
    assert due(D(2026, 3, 30), [start, D(2026, 3, 27)]).due is False
    assert due(D(2026, 3, 30), [start, D(2026, 3, 26)]).due is True
    # An AKPS the day before the programme starts is the start's.
    assert due(start, [D(2026, 3, 1)]).due is False


def test_peg_weekly_without_a_programme_counts_from_the_first_answer(peg):
    first = D(2026, 5, 6)
    assert qn.due_state(peg, [first], today=first).due is False
    assert qn.due_state(peg, [first], today=first + 6 * DAY).due is False
    state = qn.due_state(peg, [first], today=first + 7 * DAY)
    assert (state.due, state.due_since) == (True, first + 7 * DAY)
    assert qn.due_state(peg, [first, first + 7 * DAY], today=first + 8 * DAY).due is False
    # A missed week: due since the latest due date, not the first missed one.
    late = qn.due_state(peg, [first], today=first + 16 * DAY)
    assert (late.due, late.due_since) == (True, first + 14 * DAY)
    # One day early counts (early_days = 1), two do not.
    assert qn.due_state(peg, [first, first + 6 * DAY], today=first + 7 * DAY).due is False
    assert qn.due_state(peg, [first, first + 5 * DAY], today=first + 7 * DAY).due is True


# ---- change from the first score ------------------------------------------------------------------------


def test_akps_change_and_the_threshold(akps):
    assert qn.change_from_first(akps, [(D(2026, 3, 2), 60.0)]) is None
    change = qn.change_from_first(akps, [(D(2026, 3, 30), 70.0), (D(2026, 3, 2), 60.0)])
    assert (change.first, change.latest, change.change, change.improvement) == (60, 70, 10, 10)
    assert change.improved and not change.worsened  # exactly 10 points counts
    small = qn.change_from_first(akps, [(D(2026, 3, 2), 60.0), (D(2026, 3, 30), 69.0)])
    assert not small.improved and not small.worsened
    worse = qn.change_from_first(akps, [(D(2026, 3, 2), 60.0), (D(2026, 3, 30), 48.0)])
    assert worse.worsened and worse.change == -12
    assert qn.change_sentence(akps, change) == (
        "From 60 on 2 Mar 2026 to 70 on 30 Mar 2026: up 10 points, better by at least the threshold (10 points).")


def test_peg_improves_when_it_goes_down(peg):
    # 6,5,4 -> mean 5; 4,4,4 -> mean 4: one point lower = better by exactly the threshold.
    first = qn.score(peg, {"pain": 6, "enjoyment": 5, "activity": 4})
    latest = qn.score(peg, {"pain": 4, "enjoyment": 4, "activity": 4})
    change = qn.change_from_first(peg, [(D(2026, 1, 1), first), (D(2026, 1, 8), latest)])
    assert change.change == -1 and change.improvement == 1 and change.improved
    # Thirds: 13/3 -> 10/3 is exactly one point, despite floating point.
    thirds = qn.change_from_first(peg, [(D(2026, 1, 1), 13 / 3), (D(2026, 1, 8), 10 / 3)])
    assert thirds.improved
    near = qn.change_from_first(peg, [(D(2026, 1, 1), 5.0), (D(2026, 1, 8), 14 / 3)])
    assert not near.improved and not near.worsened
    assert qn.change_from_first(peg, [(D(2026, 1, 1), 3.0), (D(2026, 1, 8), 4.0)]).worsened


# ---- storage --------------------------------------------------------------------------------------------


@BOTH_BACKENDS
def test_save_list_and_replace_on_the_same_day(any_store):
    day = D(2026, 4, 1)
    assert any_store.save_questionnaire("peg", day, {"pain": 5, "enjoyment": 4, "activity": 3}) is False
    assert any_store.save_questionnaire("akps", day, {**AKPS_BEST, "walking": 3}) is False
    assert any_store.save_questionnaire("peg", day, {"pain": 2, "enjoyment": 2, "activity": 2}) is True
    records = any_store.list_questionnaires()
    assert [(r.questionnaire_id, r.date) for r in records] == [("akps", day), ("peg", day)]
    assert records[0].answers["walking"] == "over_2km"  # stored canonical: the option id
    assert records[1].answers == {"pain": 2, "enjoyment": 2, "activity": 2}
    assert [r.date for r in any_store.list_questionnaires("peg")] == [day]
    assert any_store.for_user("someone@else").list_questionnaires() == []


@BOTH_BACKENDS
def test_bad_answers_write_nothing(any_store):
    with pytest.raises(qn.AnswerError):
        any_store.save_questionnaire("peg", D(2026, 4, 1), {"pain": 5})
    with pytest.raises(ValidationError, match="no questionnaire"):
        any_store.save_questionnaire("koos", D(2026, 4, 1), {})
    assert any_store.list_questionnaires() == []


def test_delete_all_data_removes_questionnaires(store):
    store.save_questionnaire("peg", D(2026, 4, 1), {"pain": 5, "enjoyment": 4, "activity": 3})
    store.delete_all_data()
    assert store.list_questionnaires() == []
