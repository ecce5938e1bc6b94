"""AppTest: the Trends page when empty, with a few ratings, early on, and with months of demo data."""

from __future__ import annotations

import datetime as dt
import json

from hipknee import analysis as an
from hipknee import demo, pain_calendar
from hipknee import trends_text as words
from hipknee.journal import Entry
from tests.shown_html import html_text, summary_cards
from ui.trends import BASELINE_BOX_KEY

PAGE = "pages/trends.py"


def main_text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.error] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts) + "\n" + html_text(at)


def metrics(at) -> dict[str, str]:
    return summary_cards(at)


def calendars(at) -> list[str]:
    """The pain calendar's HTML (hipknee.pain_calendar), one per page with enough data."""
    return [el.value for el in at.get("html") if el.value.startswith('<div class="hk-calendar"')]


def plotly_specs(at) -> list[dict]:
    charts = [el for el in at.get("plotly_chart")]
    return [json.loads(el.proto.spec) for el in charts]


def test_empty_journal_offers_the_journal_and_sample_data(app_test, store, tmp_path, monkeypatch):
    monkeypatch.setenv("HIPKNEE_SAMPLE_DATABASE_URL", f"sqlite:///{tmp_path / 'sample.db'}")
    at = app_test(PAGE)
    assert not at.exception
    assert at.title[0].value == "Trends"
    assert "No pain ratings yet" in main_text(at)
    assert plotly_specs(at) == []
    assert summary_cards(at) == {}
    button = next(b for b in at.button if b.label == "Explore with sample data")
    button.click().run()
    assert at.session_state["sample_mode"] is True
    assert len(plotly_specs(at)) == 1 and len(calendars(at)) == 1  # the sample journal fills the page
    assert store.count_entries() == 0  # the person's own journal is untouched


def test_two_ratings_is_thin(app_test, store):
    today = dt.date.today()
    store.add_entry(Entry(date=today, worst_pain=4))
    store.add_entry(Entry(date=today - dt.timedelta(days=1), worst_pain=5))
    at = app_test(PAGE)
    assert not at.exception
    text = main_text(at)
    assert "You have 2 pain ratings so far" in text
    assert "charts start after 3" in text
    assert plotly_specs(at) == [] and calendars(at) == []


def test_under_four_weeks_is_early_days_but_shows_the_charts(app_test, store):
    today = dt.date.today()
    for k in range(10):
        store.add_entry(Entry(date=today - dt.timedelta(days=k), worst_pain=5))
    at = app_test(PAGE)
    assert not at.exception
    text = main_text(at)
    assert "Early days: your first rating was 10 days ago" in text
    assert len(plotly_specs(at)) == 1 and pain_calendar.DAY_LABEL in calendars(at)[0]
    assert metrics(at)["Pain, last 7 days"] == "5.0 / 10"
    recent = an.recent_adherence(an.daily_adherence(store.entries_frame(), store.sessions_frame(),
                                                    today - dt.timedelta(days=9), today),
                                 today, since=today - dt.timedelta(days=9))
    if recent.weeks:  # the 10 days reach back into at least one full calendar week
        assert metrics(at)["Routine, full weeks so far"] == f"0 of {recent.days} days"
    else:
        assert metrics(at)["Routine, full weeks"] == "No full week yet"
    assert metrics(at)["Full weeks in a row at goal"] == "0 weeks"
    pain = next(t for t in plotly_specs(at)[0]["data"] if t.get("name") == "Daily pain")
    assert len(pain["x"]) == 10  # the 3-month view starts at the first rating, not 80 empty days earlier
    assert "Cannot tell yet whether routine days go with lower pain" in text
    assert "your whole journal has 0 so far" in text
    # Early days also lead to the journal and to sample data, like the empty and thin states.
    links = {el.proto.page: el.proto.label for el in at.get("page_link")}
    assert links.get("journal") == "Rate today's pain in the journal"
    assert any(b.label == "Explore with sample data" for b in at.button)


def test_association_is_the_same_for_every_range(app_test, store):
    today = dt.date.today()
    demo.fill(store, 200, seed=2, end=today)
    expected = an.history_association(store.entries_frame(), store.sessions_frame(), today)
    assert expected.status == "estimate" and "whole journal" in expected.sentence
    at = app_test(PAGE)
    seen = set()
    for key in an.RANGES:
        at.segmented_control(key="trends_range").set_value(key).run()
        assert not at.exception
        shown = [line for line in html_text(at).split("\n") if "pairs of weeks" in line]
        assert len(shown) == 1 and shown[0].count(expected.sentence) == 1, key
        seen.add(shown[0])
    assert len(seen) == 1


def test_full_page_with_demo_data(app_test, store):
    today = dt.date.today()
    demo.fill(store, 200, seed=2, end=today)
    at = app_test(PAGE)
    assert not at.exception
    trends = an.trends_for_range(store.entries_frame(), store.sessions_frame(), "3m", today)
    shown = metrics(at)
    assert shown["Pain, last 7 days"] == (f"{trends.current.mean:.1f} / 10" if trends.current else "—")
    assert shown["Change since the start"] == (trends.change.verdict.label if trends.change else "—")
    assert shown["Routine, last 4 full weeks"] == f"{trends.recent.days_done} of 28 days"
    assert f"in {trends.recent.weeks_at_goal} of the last 4 full weeks." in main_text(at)
    assert shown["Full weeks in a row at goal"].startswith(f"{trends.streak.weeks} week")
    assert f"This week so far: {trends.streak.this_week_days} of 5 days" in main_text(at)
    prompt = an.no_improvement_prompt(trends)
    assert [i.value for i in at.info if "physiotherapist or doctor" in i.value] == ([prompt] if prompt else [])
    text = main_text(at)
    assert trends.association.sentence in text
    assert "not proof" in text and "on its own" in text
    specs = plotly_specs(at)
    assert len(specs) == 1 and len(calendars(at)) == 1
    names = {t.get("name") for t in specs[0]["data"]}
    assert {"Daily pain", "7-day average", "Routine days a week", "Goal: 5 a week"} <= names
    assert any(b.label == "Download report for my clinician" for b in at.get("download_button"))
    assert at.segmented_control[0].value == "3m"


def test_range_picker_switches_to_weekly_view_for_all(app_test, store):
    today = dt.date.today()
    demo.fill(store, 500, seed=2, end=today)
    at = app_test(PAGE)
    at.segmented_control(key="trends_range").set_value("all").run()
    assert not at.exception
    specs = plotly_specs(at)
    names = {t.get("name") for t in specs[0]["data"]}
    assert "Weekly average" in names
    assert pain_calendar.MONTH_LABEL in calendars(at)[0]  # month-by-year calendar
    at.segmented_control(key="trends_range").set_value("4w").run()
    pain = next(t for t in plotly_specs(at)[0]["data"] if t.get("name") == "Daily pain")
    assert len(pain["x"]) <= 28


def test_worsening_alert_is_shown(app_test, store):
    today = dt.date.today()
    for k in range(30):
        store.add_entry(Entry(date=today - dt.timedelta(days=29 - k), worst_pain=3 if k < 23 else 7))
    at = app_test(PAGE)
    assert not at.exception
    assert not at.error
    alerts = [w.value for w in at.warning if words.ALERT_TITLE in w.value]
    assert len(alerts) == 1
    trends = an.trends_for_range(store.entries_frame(), store.sessions_frame(), "3m", today)
    note = words.alert_routine_note("no_screening", "Take the safety screening first")
    assert alerts[0] == words.alert_box(trends.alert.reason, trends.alert.message, note)
    assert "gentlest versions" in alerts[0] and "within a week" in alerts[0]
    assert "physiotherapist or doctor" in alerts[0]
    # No screening yet: the routine does not open, so the page must not say it does (issue 13, point 5).
    assert "routine still opens" not in alerts[0]
    assert alerts[0].endswith("The routine is not open now. The Routine page says: "
                              "“Take the safety screening first”.")
    assert "correlation" not in main_text(at).lower()


def test_picked_baseline_with_too_few_ratings_falls_back(app_test, store):
    today = dt.date.today()
    for k in range(40):
        store.add_entry(Entry(date=today - dt.timedelta(days=k), worst_pain=4 if k < 30 else 6))
    at = app_test(PAGE, session_state={BASELINE_BOX_KEY: True})  # the starting-level box, opened
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    # The picker starts from the automatic first week, and the page already says the dates are chosen.
    first_week = (today - dt.timedelta(days=39), today - dt.timedelta(days=33))
    assert at.date_input(key="trends_baseline_range").value == first_week
    assert "(dates you chose)" in main_text(at)
    first = today - dt.timedelta(days=39)
    at.date_input(key="trends_baseline_range").set_value((first, first + dt.timedelta(days=2))).run()
    assert not at.exception
    assert "fewer than 4 ratings" in main_text(at)
    at.date_input(key="trends_baseline_range").set_value((first, first + dt.timedelta(days=9))).run()
    assert not at.exception
    assert metrics(at)["Change since the start"] == "Much better"  # 6 -> 4 is exactly 2 points


def test_no_improvement_prompt_after_weeks_of_routine(app_test, store):
    today = dt.date.today()
    first = an.week_start(today).date() - dt.timedelta(weeks=8)  # a Monday: week 1 is the starting level
    for k in range((today - first).days + 1):
        d = first + dt.timedelta(days=k)
        store.add_entry(Entry(date=d, worst_pain=5, did_routine=d.weekday() < 4))  # Monday to Thursday
    at = app_test(PAGE)
    assert not at.exception
    trends = an.trends_for_range(store.entries_frame(), store.sessions_frame(), "3m", today)
    assert trends.since_baseline == an.SinceBaseline(weeks=7, days_done=28)
    assert trends.change.verdict.key == "no_clear_change"
    shown = [i.value for i in at.info if "physiotherapist or doctor" in i.value]
    assert shown == [an.no_improvement_prompt(trends)]
    assert "7 weeks" in shown[0] and "4.0 days a week" in shown[0]
    # The cards count the same full weeks: 4 days each, so none at goal and no streak.
    assert metrics(at)["Routine, last 4 full weeks"] == "16 of 28 days"
    assert metrics(at)["Full weeks in a row at goal"] == "0 weeks"


def test_no_improvement_prompt_not_shown_when_pain_is_better(app_test, store):
    today = dt.date.today()
    first = an.week_start(today).date() - dt.timedelta(weeks=8)
    for k in range((today - first).days + 1):
        d = first + dt.timedelta(days=k)
        store.add_entry(Entry(date=d, worst_pain=6 if k < 7 else 3, did_routine=d.weekday() < 4))
    at = app_test(PAGE)
    assert not at.exception
    assert metrics(at)["Change since the start"] == "Much better"
    assert not [i for i in at.info if "physiotherapist or doctor" in i.value]


def test_chart_table_is_built_only_while_its_expander_is_open(app_test, store):
    """Issue 18: the weekly table (and the code to draw it) is not sent until the person opens it."""
    today = dt.date.today()
    demo.fill(store, 120, seed=3, end=today)
    at = app_test(PAGE)
    assert not at.exception
    assert at.table.len == 0
    at = app_test(PAGE, session_state={"trends_table": True})  # the expander, opened
    assert not at.exception
    trends = an.trends_for_range(store.entries_frame(), store.sessions_frame(), "3m", today)
    (table,) = at.table
    assert list(table.value.columns) == ["Week of", "Average pain", "Pain ratings", "Routine days",
                                         "Days in range", "Goal met"]
    assert len(table.value) == len(trends.weeks)
