"""AppTest: Home and Journal against a fresh database; sample data never touches the person's own."""

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from hipknee.journal import Entry
from hipknee.journal_tables import day_words
from hipknee.store import Store
from tests.shown_html import html_tables


def test_home_offers_sample_data_when_empty(app_test):
    at = app_test()
    assert not at.exception
    assert any("does not diagnose" in i.value for i in at.info)
    # Before any screening the main (primary) button is the screening; sample data is secondary.
    assert [(b.label, b.proto.type) for b in at.button] == [
        ("Take the screening", "primary"), ("Explore with sample data", "secondary"),
    ]


def test_home_main_button_follows_the_screening(app_test, store):
    store.save_screening("ok", {"age": 40}, [])
    at = app_test()
    assert not at.exception
    main = [b.label for b in at.button if b.proto.type == "primary"]
    assert main == ["Start today's session"]
    store.save_screening(
        "stop", {"age": 40}, [{"id": "chest_pain_now", "tier": "stop", "reason": "r", "advice": "a"}]
    )  # a "get care" answer: no invitation to exercise
    at = app_test()
    assert [b.label for b in at.button if b.proto.type == "primary"] == []


def test_sample_mode_is_separate_and_reversible(app_test, store, tmp_path, monkeypatch):
    monkeypatch.setenv("HIPKNEE_SAMPLE_DATABASE_URL", f"sqlite:///{tmp_path / 'sample.db'}")
    at = app_test()
    next(b for b in at.button if b.label == "Explore with sample data").click().run()
    assert at.session_state["sample_mode"] is True
    assert any("You are looking at sample data" in m.value for m in at.markdown)
    at.switch_page("pages/journal.py").run()
    assert not at.exception
    assert any(t[0][:2] == ["Date", "Worst pain"] for t in html_tables(at))  # the sample journal's entries
    assert store.count_entries() == 0  # ...and the person's own journal is untouched
    at.button(key="leave_sample").click().run()
    assert at.session_state["sample_mode"] is False
    assert any("No entries yet" in i.value for i in at.info)


def test_sample_data_is_read_only_and_never_opens_the_routine(app_test, store, tmp_path, monkeypatch):
    from hipknee import sample

    monkeypatch.setenv("HIPKNEE_SAMPLE_DATABASE_URL", f"sqlite:///{tmp_path / 'sample.db'}")
    # The person's own screening says STOP: sample data must not be a way round it.
    store.save_screening(
        "stop",
        {"locked_knee": True},
        [{"id": "locked_knee", "reason": "Locked knee.", "advice": "Get urgent care.", "tier": "stop"}],
    )
    at = app_test("pages/routine.py", session_state={"sample_mode": True})
    assert not at.exception
    assert any("only runs with your own data" in i.value for i in at.info)
    assert not at.get("bidi_component")  # no player
    at = app_test("pages/journal.py", session_state={"sample_mode": True})
    assert at.button(key="save_entry").disabled
    sample_store = Store.open(sample.sample_url())
    before = sample_store.count_entries()
    assert before > 30
    at = app_test("pages/data.py", session_state={"sample_mode": True})
    assert at.button(key="import_button").disabled
    assert sample_store.count_entries() == before


def test_journal_empty_state_and_save(app_test, store):
    at = app_test("pages/journal.py")
    assert not at.exception
    assert any("No entries yet" in i.value for i in at.info)
    today = at.date_input(key="journal_date").value
    worst = at.pills(key=f"worst_{today.isoformat()}")
    assert worst.label == "Worst knee pain today" and worst.value is None  # nothing pre-set
    worst.set_value(7)
    at.text_area[0].input("knee grumpy on stairs")
    at.button(key="save_entry").click().run()
    assert not at.exception
    entry = store.get_entry(today)
    assert entry == Entry(today, 7, None, False, "knee grumpy on stairs")
    assert any("Saved the entry" in s.value for s in at.success)
    assert at.button(key="save_entry").label == "Update entry"


def test_journal_edit_past_entry_and_future_is_impossible(app_test, store):
    past = dt.date.today() - dt.timedelta(days=3)
    store.add_entry(Entry(past, 2, 1, True, "old"))
    at = app_test("pages/journal.py")
    at.date_input(key="journal_date").set_value(past).run()
    assert at.pills(key=f"worst_{past.isoformat()}").value == 2 and at.text_area[0].value == "old"
    at.pills(key=f"worst_{past.isoformat()}").set_value(5)
    at.button(key="save_entry").click().run()
    assert store.get_entry(past).worst_pain == 5
    assert at.date_input(key="journal_date").proto.max <= (dt.date.today() + dt.timedelta(days=1)).isoformat()


def test_journal_save_without_a_pain_choice_writes_nothing(app_test, store):
    yesterday = dt.date.today() - dt.timedelta(days=1)
    store.add_entry(Entry(yesterday, 6, notes="yesterday"))
    at = app_test("pages/journal.py")
    today = at.date_input(key="journal_date").value
    assert at.pills(key=f"worst_{today.isoformat()}").value is None  # yesterday's 6 is not copied forward
    at.text_area[0].input("forgot the number")
    at.button(key="save_entry").click().run()
    assert not at.exception
    assert any("Choose your worst knee pain today" in e.value and "Nothing was saved" in e.value for e in at.error)
    assert store.get_entry(today) is None and store.count_entries() == 1
    assert at.button(key="save_entry").label == "Save entry"
    at.pills(key=f"worst_{today.isoformat()}").set_value(0)  # 0 is a real answer once chosen
    at.button(key="save_entry").click().run()
    assert store.get_entry(today) == Entry(today, 0, None, False, "forgot the number")


def test_journal_undo_is_brought_into_view_and_restores_the_form(app_test, store):
    """What the delete dialog leaves behind (AppTest cannot click inside a dialog, which reruns as a fragment;
    the browser test deletes for real): the entry gone, its values kept for Undo, an "undo" message."""
    from ui.feedback import ICONS, PREFIX, Flash

    today = dt.date.today()
    key = today.isoformat()
    store.add_entry(Entry(today, 8, 4, False, "to be deleted"))
    deleted = store.delete_entry(today)
    at = app_test("pages/journal.py", session_state={"journal_undo": deleted})
    assert at.pills(key=f"worst_{key}").value is None and at.text_area(key=f"notes_{key}").value == ""
    at.session_state[PREFIX + "page"] = Flash("undo", f"Deleted the entry for {today:%a %d %b %Y}.", ICONS["undo"])
    at.run()
    assert any("Deleted the entry" in m.value for m in at.markdown)
    assert any("scrollIntoView" in str(h.proto) and "focus" in str(h.proto) for h in at.get("html"))
    next(b for b in at.button if b.label == "Undo").click().run()
    assert not at.exception
    assert store.get_entry(today) == Entry(today, 8, 4, False, "to be deleted")
    # The form starts afresh (new widget keys) from what is stored, whatever it last showed.
    assert at.pills(key=f"worst_{key}_1").value == 8 and at.text_area(key=f"notes_{key}_1").value == "to be deleted"
    assert at.pills(key=f"activity_{key}_1").value == 4
    assert any("Restored the entry" in s.value for s in at.success)
    assert not any("scrollIntoView" in str(h.proto) for h in at.get("html"))  # only after a delete


def test_journal_lists_sessions(app_test, store):
    sid = store.start_session(session_date=dt.date.today(), routine={}, steps_planned=6, seconds_planned=60)
    store.update_session(sid, status="stopped", steps_done=2, pain_during=7)
    at = app_test("pages/journal.py")
    (sessions,) = [t for t in html_tables(at) if t[0][:2] == ["Date", "Result"]]
    assert sessions[1] == [day_words(dt.date.today()), "stopped for pain", "2 of 6", "7"]


def test_every_url_path_matches_its_file_name():
    # Until the first session has run app.py, Streamlit resolves a requested URL against the files in
    # pages/ (legacy auto-discovery). A URL that differs from its file's name then shows "Page not found"
    # to the first visitor after a restart, e.g. someone opening a bookmark.
    # The page table (ui/pages.py) is the one app.py navigates by.
    from ui.pages import PAGES, st_page

    app = Path(__file__).resolve().parent.parent / "app.py"
    assert "navigation()" in app.read_text() and "st.Page(" not in app.read_text()
    assert len(PAGES) >= 2 and sum(spec.default for spec in PAGES) == 1
    for spec in PAGES:
        assert spec.path.is_file() and spec.path.parent.name == "pages"
        assert spec.default or spec.url_path == spec.path.stem
    with pytest.raises(ValueError, match="not in the page table"):
        st_page(replace(PAGES[1], file="nope.py"))


def test_home_repeats_a_stop_result(app_test, store):
    at = app_test()
    assert not at.error
    store.save_screening(
        "stop",
        {"locked_knee": True},
        [{"id": "locked_knee", "reason": "Locked knee.", "advice": "Get urgent care.", "tier": "stop"}],
    )
    at = app_test()
    assert not at.exception
    assert len(at.error) == 1 and "routine" in at.error[0].value.lower()
