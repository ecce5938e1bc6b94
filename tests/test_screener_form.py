"""The screener form's pure model (hipknee.screener_form): visibility, gaps, Next, and what goes to assess."""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee.screener_form import Move, ScreenerForm
from hipknee.screening import TAILORING_IDS, assess, load_screener

SCREENER = load_screener()
FORM = ScreenerForm(SCREENER)
# Found from the content, so the tests follow data/screener.toml instead of repeating its ids.
PARENT_STEP = next(i for i, s in enumerate(SCREENER.steps) if any(
    SCREENER.questions[q].parent for q in s.question_ids))
PARENT = next(q for q in SCREENER.steps[PARENT_STEP].question_ids if SCREENER.children(q))
CHILDREN = [q.id for q in SCREENER.children(PARENT)]
LAST = len(SCREENER.steps) - 1


def all_no(index: int) -> dict:
    """Every top-level question of step ``index`` answered: numbers in range, yes/no as "no"."""
    answers: dict = {}
    for qid in SCREENER.steps[index].question_ids:
        q = SCREENER.questions[qid]
        if q.parent is None:
            answers[qid] = ((q.min or 0) + (q.max or 100)) // 2 if q.type == "int" else "no"
    return answers


def test_follow_ups_show_only_after_yes_or_not_sure():
    for value, shown in (("yes", True), ("unsure", True), ("no", False), (None, False)):
        answers = {} if value is None else {PARENT: value}
        assert FORM.visible(CHILDREN[0], answers) is shown
        assert FORM.visible(PARENT, answers) is True


def test_layout_puts_follow_ups_under_their_parent_in_step_order():
    layout = FORM.layout(PARENT_STEP)
    tops = [q for q in SCREENER.steps[PARENT_STEP].question_ids if SCREENER.questions[q].parent is None]
    assert [qid for qid, _ in layout] == tops
    assert dict(layout)[PARENT] == tuple(CHILDREN)
    assert all(children == () for qid, children in layout if qid != PARENT)


def test_unanswered_lists_required_shown_questions_only():
    answers = all_no(PARENT_STEP)
    assert FORM.unanswered(PARENT_STEP, answers) == []
    answers[PARENT] = "unsure"  # the follow-ups now show and need answers
    assert FORM.unanswered(PARENT_STEP, answers) == CHILDREN
    optional = [q for q in SCREENER.steps[LAST].question_ids if not SCREENER.questions[q].required]
    assert optional and not set(optional) & set(FORM.unanswered(LAST, {}))


def test_next_move_stays_with_gaps_then_moves_on_then_submits():
    assert FORM.next_move(0, {}) == Move("missing", 0, tuple(FORM.unanswered(0, {})))
    assert FORM.next_move(0, all_no(0)) == Move("step", 1)
    assert FORM.next_move(LAST, all_no(LAST)) == Move("submit", LAST)


def test_for_assess_counts_not_sure_as_yes_and_drops_hidden_follow_ups():
    answers = {PARENT: "unsure", CHILDREN[0]: "no"}
    data, unsure = FORM.for_assess(answers)
    assert data == {PARENT: True, CHILDREN[0]: False} and unsure == [PARENT]
    answers[PARENT] = "no"  # the follow-up is hidden again: its old answer must not count
    assert FORM.for_assess(answers) == ({PARENT: False}, [])
    age = next(q for q in SCREENER.questions.values() if q.type == "int")
    assert FORM.for_assess({age.id: 41}) == ({age.id: 41}, [])


def test_a_complete_form_is_accepted_by_assess():
    answers: dict = {}
    for index in range(len(SCREENER.steps)):
        answers |= all_no(index)
        assert FORM.next_move(index, answers).kind in ("step", "submit")
    data, unsure = FORM.for_assess(answers)
    assert assess(data, unsure=unsure).tier == "ok"


def test_first_step_with_finds_where_to_send_the_person_back():
    assert FORM.first_step_with([CHILDREN[-1]]) == PARENT_STEP
    assert FORM.first_step_with([SCREENER.steps[LAST].question_ids[0], CHILDREN[0]]) == PARENT_STEP
    assert FORM.first_step_with(["no_such_question"]) == 0


def test_clamp_keeps_a_stale_step_index_on_the_form():
    assert FORM.clamp(-1) == 0 and FORM.clamp(99) == LAST and FORM.clamp(2) == 2


def test_tailoring_questions_follow_the_screening_module():
    answers = {tid: True for tid in TAILORING_IDS}
    assert [q.id for q in FORM.tailoring_questions(answers)] == list(TAILORING_IDS)
    assert FORM.tailoring_questions({TAILORING_IDS[0]: False}) == []


@pytest.mark.parametrize(("days_ago", "tier", "expected"), [
    (0, "stop", "the routine stays closed until you take a new one"),
    (0, "ok", "valid until {last:%d %B %Y}"),
    (SCREENER.valid_days, "caution", "valid until {last:%d %B %Y}"),
    (SCREENER.valid_days + 1, "ok", "it expired on {first:%d %B %Y}"),
])
def test_validity_in_words(days_ago, tier, expected):
    today = dt.date(2026, 3, 10)
    taken = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(9))
    first = taken.date() + dt.timedelta(days=SCREENER.valid_days + 1)
    assert FORM.validity(taken, tier, today) == expected.format(last=first - dt.timedelta(days=1), first=first)


def test_only_the_step_that_names_the_source_links_it():
    citing = [i for i in range(len(SCREENER.steps)) if FORM.cites_source(i)]
    assert citing and all(SCREENER.source_name in SCREENER.steps[i].intro for i in citing)
    assert len(citing) < len(SCREENER.steps)
