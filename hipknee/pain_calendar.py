"""The Trends page's pain calendar as one block of plain HTML and CSS (pure: no Streamlit). Input: ``analysis.Trends``.

Up to ``analysis.DAILY_POINTS_MAX`` days it is a day calendar: weeks across, Monday to Sunday down, each day's
worst pain as a colour (an outlined square for a day without a rating), a dot on routine days and a cross on
days a session was stopped for pain. Longer ranges become a month-by-year grid of average pain, with the number
of routine days in each month written in its square. Hovering a square names the day (or month) and its values.

Why HTML and not a chart: a second plotly figure cost the page about 0.06x of a hello-world first load (issue 18).
Not inline SVG either: ``st.html`` sanitises with an HTML-only profile that drops SVG, and
``st.markdown(unsafe_allow_html=True)``, which keeps it, makes the browser fetch a 184 KB raw-HTML markdown plugin
that nothing else on Trends needs. A CSS grid of squares goes through ``st.html``, whose code every page already
has, keeps its text in the theme's colour, and shrinks to a phone's width. Nothing in it comes from what a person
typed; every text is escaped all the same. Its text alternative is the ``aria-label``, a ``title`` on each square
and the chart table.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

import pandas as pd
from plotly.colors import sample_colorscale

from hipknee import analysis as an
from hipknee.charts import STOP_COLOR  # one red for stopped sessions in both pictures

PAIN_SCALE = "YlOrRd"  # light yellow (no pain) to dark red (worst), one scale for days and months
ROUTINE_COLOR = "#1b5e20"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAY_LABEL = "Calendar of your knee pain by day, with routine days marked."
MONTH_LABEL = "Calendar of your average knee pain by month, with the routine days in each month."
DAY_PX, MONTH_PX = 18, 44  # the widest a day's or a month's square gets; narrower screens shrink them

# Page-wide styles (ui/a11y.py adds them to every page's one style block).
CALENDAR_STYLES = f"""
.hk-calendar {{ font-size: 0.75rem; line-height: 1.2; margin: 0 0 1rem; }}
.hk-cal-grid {{ display: grid; gap: 3px; align-items: center; justify-content: start; }}
.hk-cal-grid > span {{ min-width: 0; white-space: nowrap; }}
.hk-cal-day, .hk-cal-month {{ border-radius: 3px; position: relative; display: flex; align-items: center;
  justify-content: center; }}
.hk-cal-day {{ aspect-ratio: 1; }}
.hk-cal-month {{ aspect-ratio: 11 / 7; font-weight: 600; }}
.hk-cal-empty {{ border: 1px solid color-mix(in srgb, currentColor 30%, transparent); }}
.hk-cal-day .hk-done {{ width: 40%; height: 40%; border-radius: 50%; background: {ROUTINE_COLOR};
  box-shadow: 0 0 0 1px #fff; }}
.hk-stopped {{ position: absolute; inset: 0; }}
.hk-stopped::before, .hk-stopped::after {{ content: ""; position: absolute; left: 12%; right: 12%;
  top: calc(50% - 1px); height: 2px; background: {STOP_COLOR}; box-shadow: 0 0 0 1px #fff;
  transform: rotate(45deg); }}
.hk-stopped::after {{ transform: rotate(-45deg); }}
.hk-cal-legend {{ display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; margin-top: 0.5rem; }}
.hk-cal-legend > span {{ display: inline-flex; align-items: center; gap: 3px; }}
.hk-cal-swatch {{ width: 12px; height: 12px; border-radius: 2px; display: inline-block; }}
.hk-cal-mark {{ width: 14px; height: 14px; position: relative; display: inline-flex; align-items: center;
  justify-content: center; }}
.hk-cal-mark .hk-done {{ width: 6px; height: 6px; border-radius: 50%; background: {ROUTINE_COLOR}; }}
"""


@lru_cache(maxsize=512)  # plotly parses the scale on every call (~0.25 ms): a year of days asked ~365 times
def pain_color(pain: float) -> str:
    """The colour of ``pain`` (0-10) on ``PAIN_SCALE``, as ``rgb(r, g, b)``."""
    return str(sample_colorscale(PAIN_SCALE, [min(max(pain, 0.0), 10.0) / 10.0])[0])


def _ink(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (``rgb(r, g, b)``)."""
    r, g, b = (int(v) for v in fill[4:-1].split(","))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def _cell(row: int, col: int, text: str = "", **attrs: str) -> str:
    """One grid item at (row, col), counted from 1; ``attrs`` become escaped attributes (``cls`` is class)."""
    style = f"grid-area: {row} / {col}" + (f"; {attrs.pop('style')}" if "style" in attrs else "")
    extra = "".join(f' {"class" if k == "cls" else k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<span style="{style}"{extra}>{text}</span>'


def _legend(*, marks: bool) -> str:
    swatches = "".join(f'<span class="hk-cal-swatch" style="background: {pain_color(p)}"></span>' for p in range(11))
    parts = [f"<span>Pain 0 {swatches} 10</span>"]
    if marks:
        parts.append('<span><span class="hk-cal-mark"><span class="hk-done"></span></span>routine day</span>')
        parts.append('<span><span class="hk-cal-mark"><span class="hk-stopped"></span></span>stopped for pain</span>')
    return '<div class="hk-cal-legend" aria-hidden="true">' + "".join(parts) + "</div>"


def month_labels(first_week: pd.Timestamp, n_weeks: int) -> list[tuple[int, int]]:
    """(week column from 0, month) for each month's name over the week holding its 1st, or over the first week.
    A name that would touch the next one (under two columns apart) or run off the end is left out."""
    starts = [(0, first_week.month)]
    for week in range(1, n_weeks):
        monday = first_week + pd.Timedelta(days=7 * week)
        if monday.month != starts[-1][1]:
            starts.append((week, monday.month))
    ends = [col for col, _ in starts[1:]] + [n_weeks + 1]
    return [(col, month) for (col, month), nxt in zip(starts, ends, strict=True) if nxt - col >= 2]


def day_calendar(trends: an.Trends) -> str:
    """Weeks across (Monday first), weekdays down: one square per day of the range."""
    days = trends.days
    first_week = an.week_start(days.index[0])
    n_weeks = int((days.index[-1] - first_week).days // 7) + 1
    items = [_cell(1, col + 2, MONTHS[month - 1]) for col, month in month_labels(first_week, n_weeks)]
    items += [_cell(r + 2, 1, name) for r, name in enumerate(WEEKDAYS)]
    for stamp, row in days.iterrows():
        pain, done, stopped = row["pain"], bool(row["done"]), row["stopped"] > 0
        what = [f"{stamp:%a %d %b %Y}", "no rating" if pd.isna(pain) else f"worst pain {pain:g}"]
        if done:
            what.append("routine done")
        if stopped:
            what.append("a session stopped for pain")
        title = ": ".join(what[:2]) + "".join(", " + w for w in what[2:])
        marks = ('<span class="hk-done"></span>' if done else "") + (
            '<span class="hk-stopped"></span>' if stopped else ""
        )
        where = (stamp.day_of_week + 2, (stamp - first_week).days // 7 + 2)
        if pd.isna(pain):  # a gap, not zero: an outline only
            items.append(_cell(*where, marks, cls="hk-cal-day hk-cal-empty", title=title))
        else:
            paint = f"background: {pain_color(float(pain))}"
            items.append(_cell(*where, marks, cls="hk-cal-day", title=title, data_pain=f"{pain:g}", style=paint))
    columns = f"grid-template-columns: 2.5em repeat({n_weeks}, minmax(0, {DAY_PX}px))"
    return (
        f'<div class="hk-calendar" role="img" aria-label="{escape(DAY_LABEL)}">'
        f'<div class="hk-cal-grid" style="{columns}">' + "".join(items) + "</div>" + _legend(marks=True) + "</div>"
    )


def month_grid(trends: an.Trends) -> str:
    """Years down, months across: each month's average worst pain, and its routine days as a number."""
    days = trends.days
    months = days.groupby([days.index.year, days.index.month])
    pain, done = months["pain"].mean(), months["done"].sum()
    years = sorted({int(y) for y, _ in pain.index})
    items = [_cell(1, m + 2, name) for m, name in enumerate(MONTHS)]
    items += [_cell(i + 2, 1, str(year)) for i, year in enumerate(years)]
    for (year, month), mean in pain.items():
        count = int(done[(year, month)])
        when = f"{MONTHS[month - 1]} {year}"
        where = (years.index(int(year)) + 2, month + 1)
        if pd.isna(mean):
            title = f"{when}: no ratings, routine on {count} days"
            items.append(_cell(*where, str(count), cls="hk-cal-month hk-cal-empty", title=title))
        else:
            fill = pain_color(float(mean))
            title = f"{when}: average worst pain {mean:.1f}, routine on {count} days"
            items.append(
                _cell(
                    *where,
                    str(count),
                    cls="hk-cal-month",
                    title=title,
                    data_pain=f"{mean:.1f}",
                    style=f"background: {fill}; color: {_ink(fill)}",
                )
            )
    columns = f"grid-template-columns: 3em repeat(12, minmax(0, {MONTH_PX}px))"
    return (
        f'<div class="hk-calendar" role="img" aria-label="{escape(MONTH_LABEL)}">'
        f'<div class="hk-cal-grid" style="{columns}">' + "".join(items) + "</div>" + _legend(marks=False) + "</div>"
    )


def pain_calendar(trends: an.Trends) -> str:
    """The calendar for ``trends`` as HTML text: a day calendar for daily ranges, else the month-by-year grid.
    Render with ``st.html`` (its styles are ``CALENDAR_STYLES``)."""
    return day_calendar(trends) if trends.resolution == "day" else month_grid(trends)
