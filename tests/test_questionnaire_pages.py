"""AppTest (issue 15): taking a questionnaire, the one-line due prompts on Home and the Journal, the Trends
section, and the clinician report's questionnaire section."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hipknee import report
from hipknee.journal import Entry
from tests.test_questionnaires import AKPS_BEST
from tests.test_report import pdf_text

PAGE = "pages/questionnaire.py"
QUESTIONNAIRE_URL = "questionnaire"
DAY = dt.timedelta(days=1)
PEG = {"pain": 6, "enjoyment": 5, "activity": 4}


def page_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [s.value for s in at.success] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def due_links(at) -> list[str]:
    return [el.proto.label for el in at.get("page_link") if el.proto.page.endswith(QUESTIONNAIRE_URL)]


def test_take_the_peg_and_save(app_test, store):
    today = dt.date.today()
    at = app_test(PAGE)
    assert not at.exception
    at.segmented_control(key="q_pick").set_value("peg").run()
    keys = [r.key for r in at.radio]
    assert keys == ["q_peg_pain", "q_peg_enjoyment", "q_peg_activity"]
    assert all(r.value is None for r in at.radio)  # nothing pre-chosen
    assert "0 of 3 answered" in str(at.get("progress")[0].proto.text)
    at.radio(key="q_peg_pain").set_value(6).run()
    assert "1 of 3 answered" in str(at.get("progress")[0].proto.text)
    at.button(key="q_save").click().run()
    assert "Please answer questions 2, 3 first. Nothing was saved." in page_text(at)
    assert store.list_questionnaires() == []
    at.radio(key="q_peg_enjoyment").set_value(5)
    at.radio(key="q_peg_activity").set_value(4)
    at.button(key="q_save").click().run()
    assert not at.exception
    saved = store.list_questionnaires()
    assert [(r.questionnaire_id, r.date, r.answers) for r in saved] == [("peg", today, PEG)]
    text = page_text(at)
    assert "Your Pain & its effect (PEG) score today is **5.0** (0–10, lower is better)." in text
    assert all(r.value is None for r in at.radio)  # the form is cleared for next time
    assert f"latest 5.0 on {today:%-d %b}" in text


def test_take_the_akps_all_thirteen_items(app_test, store):
    at = app_test(PAGE)
    assert at.segmented_control(key="q_pick").value == "akps"
    assert len(at.radio) == 13
    for item, option in {**AKPS_BEST, "running": "severe", "stairs": "slight_down"}.items():
        at.radio(key=f"q_akps_{item}").set_value(option)
    at.run()
    assert "13 of 13 answered" in str(at.get("progress")[0].proto.text)
    at.button(key="q_save").click().run()
    assert "score today is **91**" in page_text(at)  # 100 - 7 (running) - 2 (stairs)


def test_sample_data_cannot_be_saved(app_test, store):
    at = app_test(PAGE, session_state={"sample_mode": True})
    assert not at.exception
    assert at.button(key="q_save").disabled


def test_due_prompt_appears_on_home_and_journal_and_goes_away_once_taken(app_test, store):
    today = dt.date.today()
    # A first visit is not nagged.
    assert due_links(app_test("pages/home.py")) == []
    # Journal in use since 10 days ago: both are due.
    store.add_entry(Entry(today - 10 * DAY, 4))
    for page in ("pages/home.py", "pages/journal.py"):
        at = app_test(page)
        assert not at.exception
        assert due_links(at) == [
            "Questionnaires due: Knee function (AKPS) and Pain & its effect (PEG) — about 2 minutes"]
    store.save_questionnaire("akps", today, AKPS_BEST)
    assert due_links(app_test("pages/journal.py")) == ["Questionnaire due: Pain & its effect (PEG) — about 2 minutes"]
    store.save_questionnaire("peg", today - DAY, PEG)  # a day early counts for this week's due date
    assert due_links(app_test("pages/home.py")) == []
    assert due_links(app_test("pages/journal.py")) == []


def test_due_prompt_follows_the_programme_start(app_test, store):
    today = dt.date.today()
    store.start_programme(today - 29 * DAY)  # the AKPS fell due at the start and again 28 days later
    store.save_questionnaire("akps", today - 29 * DAY, AKPS_BEST)
    store.save_questionnaire("peg", today - 1 * DAY, PEG)  # this week's (due day 28) was taken a day late
    assert due_links(app_test("pages/home.py")) == ["Questionnaire due: Knee function (AKPS) — about 2 minutes"]


def test_trends_shows_both_scores_with_the_thresholds(app_test, store):
    today = dt.date.today()
    for k in range(30):
        store.add_entry(Entry(today - k * DAY, 5))
    store.save_questionnaire("akps", today - 28 * DAY, {**AKPS_BEST, "running": "unable", "jumping": "unable"})
    store.save_questionnaire("akps", today, {**AKPS_BEST, "running": "severe"})
    store.save_questionnaire("peg", today - 7 * DAY, PEG)
    at = app_test("pages/trends.py")
    assert not at.exception
    specs = {el.proto.id: json.loads(el.proto.spec) for el in at.get("plotly_chart")}
    akps = next(s for s in specs.values() if s["data"][0].get("name") == "Knee function (AKPS)")
    assert akps["data"][0]["y"] == [80, 93]  # 100 - 10 - 10; then 100 - 7 (running: bad pain)
    assert sorted(shape["y0"] for shape in akps["layout"]["shapes"]) == [80, 90]  # first score, first + 10
    text = page_text(at)
    assert "up 13 points, better by at least the threshold (10 points)" in text
    assert "Crossley" in text
    assert f"{today - 7 * DAY:%-d %b %Y}: 5.0." in text  # the PEG in words too


@pytest.mark.parametrize("entries", [0, 3])  # an empty and a thin journal: Trends stops early for the pain charts
def test_trends_shows_scores_without_enough_journal(app_test, store, entries):
    today = dt.date.today()
    for k in range(entries):
        store.add_entry(Entry(today - k * DAY, 5))
    store.save_questionnaire("peg", today, PEG)
    at = app_test("pages/trends.py")
    assert not at.exception
    assert "Questionnaire scores" in [h.value for h in at.header] + [h.value for h in at.subheader]
    assert f"{today:%-d %b %Y}: 5.0." in page_text(at)


def test_report_shows_first_latest_change_and_threshold(store, tmp_path):
    today = dt.date.today()
    store.add_entry(Entry(today - DAY, 5))
    store.save_questionnaire("akps", today - 28 * DAY, {**AKPS_BEST, "running": "unable", "jumping": "unable"})
    store.save_questionnaire("akps", today, {**AKPS_BEST, "running": "severe"})
    store.save_questionnaire("peg", today, PEG)
    data = report.report_for_store(store, end=today)
    text = pdf_text(data, tmp_path)
    assert "Questionnaires" in text
    first, latest = report.day_words(today - 28 * DAY), report.day_words(today)
    assert (f"Anterior Knee Pain Scale (Kujala) (0–100, higher is better): first 80 ({first}), "
            f"latest 93 ({latest}), change +13: better by at least the threshold (10 points).") in text
    assert "one score so far: 5.0" in text
    assert "Crossley" in text


def test_report_without_questionnaires_has_no_section(store, tmp_path):
    store.add_entry(Entry(dt.date.today(), 5))
    assert "Questionnaires" not in pdf_text(report.report_for_store(store, end=dt.date.today()), tmp_path)
