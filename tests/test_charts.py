"""Trends figures: what they draw, and that ten years of data stay small."""

import datetime as dt
import xml.etree.ElementTree as ET
from itertools import pairwise

import pandas as pd
import pytest

from hipknee import analysis as an
from hipknee import charts, demo, pain_calendar
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


def _html(text: str) -> ET.Element:
    return ET.fromstring(text)  # well-formed markup (every tag closed, every text escaped), or this raises


def _squares(root: ET.Element, cls: str) -> dict[str, str | None]:
    """Hover text -> ``data-pain`` (None for a square without ratings) of each square of class ``cls``."""
    return {el.get("title"): el.get("data-pain") for el in root.iter("span") if cls in el.get("class", "").split()}


def _grid_area(el: ET.Element) -> tuple[int, int]:
    area = el.get("style").split(";")[0].removeprefix("grid-area: ")
    row, col = (int(v) for v in area.split(" / "))
    return row, col


def test_calendar_marks_pain_and_routine_days():
    entries = frame({0: 3, 1: 8, 9: 5}, did={1: True})
    trends = an.compute_trends(entries, sessions_frame([(9, "stopped")]), end=day(13))
    root = _html(pain_calendar.pain_calendar(trends))
    assert root.get("role") == "img" and root.get("aria-label") == pain_calendar.DAY_LABEL
    cells = _squares(root, "hk-cal-day")
    rated = {title: pain for title, pain in cells.items() if pain is not None}
    assert rated == {
        f"{day(0):%a %d %b %Y}: worst pain 3": "3",
        f"{day(1):%a %d %b %Y}: worst pain 8, routine done": "8",
        f"{day(9):%a %d %b %Y}: worst pain 5, a session stopped for pain": "5",
    }
    gaps = [title for title, pain in cells.items() if pain is None]
    assert len(gaps) == 14 - 3 and all(title.endswith(": no rating") for title in gaps)  # a gap, not zero
    grid = root.find("div[@class='hk-cal-grid']")
    assert len(grid.findall(".//span[@class='hk-done']")) == 1
    assert len(grid.findall(".//span[@class='hk-stopped']")) == 1
    # Each day sits in its weekday's row (Monday = row 2) and its week's column (the first week = column 2).
    first_week = an.week_start(day(0))
    for el in grid.iter("span"):
        if "hk-cal-day" in el.get("class", ""):
            date = pd.Timestamp(dt.datetime.strptime(el.get("title").split(":")[0], "%a %d %b %Y"))
            assert _grid_area(el) == (date.day_of_week + 2, (date - first_week).days // 7 + 2)
    # Worse pain is darker: the 8 has less light in it than the 3.
    light = {p: sum(int(v) for v in pain_calendar.pain_color(p)[4:-1].split(",")) for p in (3, 8)}
    assert light[8] < light[3]


@pytest.mark.parametrize("start", [dt.date(2026, 8, 27), dt.date(2026, 9, 1), dt.date(2026, 1, 31)])
def test_day_calendar_month_names_never_touch(start):
    # A range that starts in a month's last days used to write 'Aug' and 'Sep' one column apart, overlapping.
    first = an.week_start(pd.Timestamp(start))
    labels = pain_calendar.month_labels(first, 14)
    columns = [col for col, _ in labels]
    assert all(b - a >= 2 for a, b in pairwise(columns))
    assert len(labels) >= 3  # about three months in 14 weeks are still named
    for col, month in labels:  # each name sits over a week of its own month
        monday = first + pd.Timedelta(days=7 * col)
        assert month in {monday.month, (monday + pd.Timedelta(days=6)).month}


def test_long_range_calendar_is_a_month_grid():
    entries = frame([4] * 800)
    trends = an.trends_for_range(entries, sessions_frame([]), "all", day(799))
    root = _html(pain_calendar.pain_calendar(trends))
    assert root.get("aria-label") == pain_calendar.MONTH_LABEL
    texts = [el.text for el in root.find("div[@class='hk-cal-grid']")]
    assert texts[:12] == list(pain_calendar.MONTHS)
    years = sorted({d.year for d in trends.days.index})
    assert texts[12:15] == [str(y) for y in years] and len(years) == 3
    months = _squares(root, "hk-cal-month")
    assert len(months) == len({(d.year, d.month) for d in trends.days.index})
    assert all(pain == "4.0" for pain in months.values())
    assert all(title.endswith("routine on 0 days") for title in months)


@pytest.mark.parametrize("range_key", list(an.RANGES))
def test_ten_years_of_data_stay_under_300_kib(range_key):
    data = demo.generate(3650, seed=3, end=dt.date(2025, 12, 31))
    entries = frame({(e.date - day(0)).days: e.worst_pain for e in data.entries},
                    did={(e.date - day(0)).days: e.did_routine for e in data.entries})
    sessions = sessions_frame([((s.date - day(0)).days, s.status) for s in data.sessions])
    trends = an.trends_for_range(entries, sessions, range_key, dt.date(2025, 12, 31))
    total = charts.figure_bytes(charts.combined_chart(trends)) + len(pain_calendar.pain_calendar(trends).encode())
    assert total <= MAX_BYTES


def test_weeks_cut_short_are_striped():
    trends = an.compute_trends(frame([4] * 12), sessions_frame([]), start=day(2), end=day(11))
    bar = next(t for t in charts.combined_chart(trends).data if t.type == "bar")
    assert list(bar.marker.pattern.shape) == ["/", "/"]
    trends = an.compute_trends(frame([4] * 14), sessions_frame([]), end=day(13))
    bar = next(t for t in charts.combined_chart(trends).data if t.type == "bar")
    assert list(bar.marker.pattern.shape) == ["", ""]


def test_calendar_squares_shrink_to_the_page():
    # Columns have a widest size but may shrink to nothing, so a year of weeks fits a 390 px phone; squares stay
    # square (the styles give them an aspect ratio of 1).
    for days in (10, 365):
        trends = an.compute_trends(frame([4] * days), sessions_frame([]), end=day(days - 1))
        grid = _html(pain_calendar.pain_calendar(trends)).find("div[@class='hk-cal-grid']")
        weeks = (trends.days.index[-1] - an.week_start(trends.days.index[0])).days // 7 + 1
        assert f"repeat({weeks}, minmax(0, {pain_calendar.DAY_PX}px))" in grid.get("style")
    assert ".hk-cal-day { aspect-ratio: 1; }" in pain_calendar.CALENDAR_STYLES


def test_calendar_text_is_escaped_and_the_picture_well_formed():
    # Nothing a person typed reaches the calendar, but its texts are escaped all the same: it parses as XML.
    for key in an.RANGES:
        trends = an.trends_for_range(frame([4] * 400), sessions_frame([(3, "stopped")]), key, day(399))
        assert _html(pain_calendar.pain_calendar(trends)).get("class") == "hk-calendar"


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
