"""Trends figures: what they draw, and that ten years of data stay small."""

import datetime as dt

import pytest

from hipknee import analysis as an, charts, demo
from tests.test_analysis import day, frame, sessions_frame

MAX_BYTES = 300 * 1024


def names(fig) -> list[str]:
    return [t.name for t in fig.data if t.name]


def test_combined_chart_has_pain_mean_band_stops_and_weekly_bars():
    entries = frame([6] * 7 + [5] * 21, did={k: True for k in range(0, 28, 2)})
    trends = an.compute_trends(entries, sessions_frame([(10, "stopped"), (12, "completed")]), end=day(27))
    fig = charts.combined_chart(trends)
    labels = names(fig)
    assert "Daily pain" in labels and "7-day average" in labels
    assert any(label.startswith("Start 6.0 ±") for label in labels)
    assert "Stopped for pain" in labels
    assert "Goal: 5 a week" in labels
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == 1 and list(bars[0].y) == [4, 3, 4, 3]
    assert bars[0].xaxis == "x2"  # below, on the shared time axis
    assert fig.layout.xaxis2.matches == "x" or fig.layout.xaxis.matches == "x2"
    pain = next(t for t in fig.data if t.name == "Daily pain")
    assert len(pain.x) == 28


def test_combined_chart_without_baseline_or_stops():
    trends = an.compute_trends(frame([5, 6, 7]), sessions_frame([]), end=day(2))
    labels = names(charts.combined_chart(trends))
    assert not any(label.startswith("Start ") for label in labels)
    assert "Stopped for pain" not in labels


def test_calendar_marks_pain_and_routine_days():
    entries = frame({0: 3, 1: 8, 9: 5}, did={1: True})
    trends = an.compute_trends(entries, sessions_frame([(9, "stopped")]), end=day(13))
    fig = charts.pain_calendar(trends)
    heat = fig.data[0]
    assert heat.type == "heatmap" and len(heat.x) == 2 and list(heat.y)[0] == "Mon"
    z = heat.z
    assert z[0][0] == 3 and z[1][0] == 8 and z[2][1] == 5  # Mon, Tue of week 1; Wed of week 2
    assert z[3][0] is None or z[3][0] != z[3][0]  # Thursday week 1 not logged: a gap, not zero
    assert "Routine done" in names(fig) and "Stopped for pain" in names(fig)


def test_long_range_calendar_is_a_month_grid():
    entries = frame([4] * 800)
    trends = an.trends_for_range(entries, sessions_frame([]), "all", day(799))
    heat = charts.pain_calendar(trends).data[0]
    assert list(heat.x) == charts.MONTHS and len(heat.y) == 3  # 2024 to 2026


@pytest.mark.parametrize("range_key", list(an.RANGES))
def test_ten_years_of_data_stay_under_300_kib(range_key):
    data = demo.generate(3650, seed=3, end=dt.date(2025, 12, 31))
    entries = frame({(e.date - day(0)).days: e.worst_pain for e in data.entries},
                    did={(e.date - day(0)).days: e.did_routine for e in data.entries})
    sessions = sessions_frame([((s.date - day(0)).days, s.status) for s in data.sessions])
    trends = an.trends_for_range(entries, sessions, range_key, dt.date(2025, 12, 31))
    total = charts.figure_bytes(charts.combined_chart(trends)) + charts.figure_bytes(charts.pain_calendar(trends))
    assert total <= MAX_BYTES


def test_weeks_cut_short_are_striped():
    trends = an.compute_trends(frame([4] * 12), sessions_frame([]), start=day(2), end=day(11))
    bar = next(t for t in charts.combined_chart(trends).data if t.type == "bar")
    assert list(bar.marker.pattern.shape) == ["/", "/"]
    trends = an.compute_trends(frame([4] * 14), sessions_frame([]), end=day(13))
    bar = next(t for t in charts.combined_chart(trends).data if t.type == "bar")
    assert list(bar.marker.pattern.shape) == ["", ""]


def test_a_few_weeks_of_calendar_keep_square_cells():
    small = charts.pain_calendar(an.compute_trends(frame([4] * 10), sessions_frame([]), end=day(9)))
    assert small.layout.width == charts.CALENDAR_FIXED_PX + 2 * charts.CALENDAR_WEEK_PX
    assert small.layout.width <= 390  # fits a phone
    big = charts.pain_calendar(an.compute_trends(frame([4] * 90), sessions_frame([]), end=day(89)))
    assert big.layout.width is None  # stretches to the page


def test_chart_table_and_summary_give_the_chart_in_words():
    # 28 days: a week of 6s then 5s; routine every other day (4, 3, 4, 3 days a week).
    entries = frame([6] * 7 + [5] * 21, did={k: True for k in range(0, 28, 2)})
    trends = an.compute_trends(entries, sessions_frame([]), end=day(27))
    table = charts.chart_table(trends)
    assert list(table.columns) == list(charts.TABLE_COLUMNS)
    assert len(table) == 4
    assert table["Week of"].tolist() == sorted(table["Week of"].tolist(), reverse=True)  # newest first
    assert sorted(table["Routine days"].tolist()) == [3, 3, 4, 4]
    assert table["Pain ratings"].sum() == 28
    assert set(table["Goal met"]) == {"no"}
    oldest = table.iloc[-1]
    assert oldest["Average pain"] == pytest.approx(trends.weeks["pain_mean"].iloc[0], abs=0.05)
    summary = charts.chart_summary(trends)
    assert "28 pain ratings, from 5 to 6 out of 10, 5.2 on average" in summary
    assert "Routine on 14 days; the goal of 5 days was met in 0 of 4 weeks." in summary


def test_chart_summary_counts_one_in_the_singular():
    trends = an.compute_trends(frame([4]), sessions_frame([]), end=day(0))
    summary = charts.chart_summary(trends)
    assert "1 pain rating," in summary and "1 week." in summary and "1 days" not in summary
