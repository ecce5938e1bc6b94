"""AppTest: the Journal's next-morning question (issue 14): asked the day after a programme session, answered in
one tap, stored on that session, then gone."""

import datetime as dt

import pytest

from hipknee.programme import awaiting_next_morning

JOURNAL = "pages/journal.py"
TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)


def _question(at):
    return [s for s in at.segmented_control if "this morning" in s.label]


@pytest.mark.parametrize("answer", ["better", "same", "worse"])
def test_the_morning_after_a_session_one_tap_answers_and_the_question_goes(app_test, store, answer):
    store.start_programme(TODAY - dt.timedelta(days=5))
    session = store.add_programme_session(session_date=YESTERDAY, status="completed", pain_during=1)
    at = app_test(JOURNAL)
    assert not at.exception
    (control,) = _question(at)
    assert control.key == f"next_morning_{session.id}"
    assert control.label == "How was your knee this morning, compared with before your exercise session yesterday?"
    assert control.options == ["Better", "Same", "Worse"] and control.value is None
    control.set_value(answer).run()
    assert not at.exception
    (stored,) = store.list_programme_sessions()
    assert stored.next_morning == answer
    assert not _question(at)
    assert any(f"Noted: your knee was {'the same' if answer == 'same' else answer}" in s.value for s in at.success)
    assert store.count_entries() == 0  # the journal entry is a separate thing
    at = app_test(JOURNAL)
    assert not _question(at)  # answered: not asked again


def test_asked_about_the_newest_unanswered_completed_session_only(app_test, store):
    store.add_programme_session(session_date=TODAY - dt.timedelta(days=3), status="completed", pain_during=0)
    at = app_test(JOURNAL)
    assert not _question(at)  # too long ago to remember the morning
    store.add_programme_session(session_date=YESTERDAY, status="stopped", pain_during=7)
    store.add_programme_session(session_date=TODAY, status="completed", pain_during=0)
    at = app_test(JOURNAL)
    assert not _question(at)  # a stop for pain is red anyway; today's morning was before today's session
    two_days = store.add_programme_session(session_date=TODAY - dt.timedelta(days=2), status="completed")
    at = app_test(JOURNAL)
    (control,) = _question(at)
    assert control.key == f"next_morning_{two_days.id}"
    assert f"session on {two_days.date:%A}?" in control.label
    assert awaiting_next_morning(store.list_programme_sessions(), TODAY).id == two_days.id


def test_not_asked_on_sample_data(app_test, store, tmp_path, monkeypatch):
    monkeypatch.setenv("HIPKNEE_SAMPLE_DATABASE_URL", f"sqlite:///{tmp_path / 'sample.db'}")
    store.add_programme_session(session_date=YESTERDAY, status="completed", pain_during=0)
    at = app_test(JOURNAL, session_state={"sample_mode": True})
    assert not at.exception and not _question(at)
