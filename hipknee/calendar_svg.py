"""The Trends page's pain calendar as one plain SVG picture (pure: no Streamlit). Input: ``analysis.Trends``.

Up to ``analysis.DAILY_POINTS_MAX`` days it is a day calendar: weeks across, Monday to Sunday down, each day's
worst pain as a colour (no square for a day without a rating), a dot on routine days and a cross on days a
session was stopped for pain. Longer ranges become a month-by-year grid of average pain, with the number of
routine days in each month written in its square. Hovering a square names the day (or month) and its values.

Why SVG and not a plotly heat map: a second plotly figure cost the page about 0.1x of a hello-world load in
the browser (issue 18), and this picture needs neither zooming nor panning. The page shows it with
``st.markdown(..., unsafe_allow_html=True)``: ``st.html`` sanitises with an HTML-only profile that drops every
SVG element. That is safe here because nothing in the picture comes from what a person typed (dates, numbers
and fixed words only), and every text is escaped all the same. Its text alternative is the ``aria-label``,
a ``<title>`` on each square and the chart table on the page.
"""

from __future__ import annotations

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

CELL, GAP = 16, 3  # a day's square and the space between squares, in SVG units (pixels at full size)
LEFT, TOP = 34, 18  # room for weekday names and month names
MONTH_W, MONTH_H = 38, 24  # a month's square in the long view
LEGEND_H = 34
SCALE = 1.5  # drawn at up to this many pixels per SVG unit, never wider than the page


def pain_color(pain: float) -> str:
    """The colour of ``pain`` (0-10) on ``PAIN_SCALE``, as ``rgb(r, g, b)``."""
    return str(sample_colorscale(PAIN_SCALE, [min(max(pain, 0.0), 10.0) / 10.0])[0])


def _ink(fill: str) -> str:
    """Black or white text, whichever reads better on ``fill`` (``rgb(r, g, b)``)."""
    r, g, b = (int(v) for v in fill[4:-1].split(","))
    return "#000" if 0.299 * r + 0.587 * g + 0.114 * b > 140 else "#fff"


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (
        f'<svg class="hk-calendar" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width} {height}" width="{round(width * SCALE)}" '
        f'style="max-width: 100%; height: auto; font: 10px sans-serif; fill: currentColor">' + "".join(body) + "</svg>"
    )


def _legend(y: int, *, marks: bool) -> list[str]:
    """Eleven squares from 0 to 10, then what the dot and the cross mean (day view)."""
    out = [f'<text x="0" y="{y + 11}">Pain</text>']
    for pain in range(11):
        x = LEFT + pain * 14
        out.append(f'<rect x="{x}" y="{y + 2}" width="12" height="12" rx="2" fill="{pain_color(pain)}"/>')
    out.append(f'<text x="{LEFT}" y="{y + 26}">0</text>')
    out.append(f'<text x="{LEFT + 10 * 14 + 12}" y="{y + 26}" text-anchor="end">10</text>')
    if marks:
        x = LEFT + 11 * 14 + 14
        out.append(f'<circle cx="{x + 5}" cy="{y + 8}" r="3" fill="{ROUTINE_COLOR}" stroke="#fff"/>')
        out.append(f'<text x="{x + 12}" y="{y + 11}">routine day</text>')
        x += 78
        out.append(_cross(x + 5, y + 8, "hk-legend"))
        out.append(f'<text x="{x + 12}" y="{y + 11}">stopped for pain</text>')
    return out


def _cross(cx: float, cy: float, cls: str = "hk-stopped") -> str:
    """The stopped-for-pain mark: a red cross on a white halo, so it shows on the darkest red square too."""
    d = 3.5
    path = f"M{cx - d} {cy - d}L{cx + d} {cy + d}M{cx - d} {cy + d}L{cx + d} {cy - d}"
    return (
        f'<g class="{cls}"><path d="{path}" stroke="#fff" stroke-width="4"/>'
        f'<path d="{path}" stroke="{STOP_COLOR}" stroke-width="2"/></g>'
    )


def _month_labels(first_week: pd.Timestamp, n_weeks: int) -> list[tuple[int, int]]:
    """(week column, month) for each month's name over the week holding its 1st, or over the first week.
    A name that would touch the next one (under two columns apart) or run off the end is left out."""
    starts = [(0, first_week.month)]
    for week in range(1, n_weeks):
        monday = first_week + pd.Timedelta(days=7 * week)
        if monday.month != starts[-1][1]:
            starts.append((week, monday.month))
    ends = [col for col, _ in starts[1:]] + [n_weeks + 1]
    return [(col, month) for (col, month), nxt in zip(starts, ends, strict=True) if nxt - col >= 2]


def day_calendar(trends: an.Trends) -> str:
    """Weeks across (Monday first), weekdays down: one square per rated day."""
    days = trends.days
    first_week = an.week_start(days.index[0])
    n_weeks = int((days.index[-1] - first_week).days // 7) + 1
    pitch = CELL + GAP
    width = max(LEFT + n_weeks * pitch, LEFT + 11 * 14 + 14 + 78 + 90)
    grid_bottom = TOP + 7 * pitch
    body = [f'<text x="0" y="{TOP + r * pitch + 12}">{name}</text>' for r, name in enumerate(WEEKDAYS)]
    body += [
        f'<text x="{LEFT + col * pitch}" y="{TOP - 6}">{MONTHS[month - 1]}</text>'
        for col, month in _month_labels(first_week, n_weeks)
    ]
    for stamp, row in days.iterrows():
        col = (stamp - first_week).days // 7
        x, y = LEFT + col * pitch, TOP + stamp.day_of_week * pitch
        pain, done, stopped = row["pain"], bool(row["done"]), row["stopped"] > 0
        what = [f"{stamp:%a %d %b %Y}", "no rating" if pd.isna(pain) else f"worst pain {pain:g}"]
        if done:
            what.append("routine done")
        if stopped:
            what.append("a session stopped for pain")
        title = f"<title>{escape(': '.join(what[:2]) + ''.join(', ' + w for w in what[2:]))}</title>"
        if pd.isna(pain):  # a gap, not zero: an outline only
            body.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="3" fill="none" '
                f'stroke="currentColor" stroke-opacity="0.25">{title}</rect>'
            )
        else:
            body.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="3" fill="{pain_color(float(pain))}" '
                f'data-pain="{pain:g}">{title}</rect>'
            )
        if done:
            body.append(
                f'<circle class="hk-done" cx="{x + CELL / 2}" cy="{y + CELL / 2}" r="3" fill="{ROUTINE_COLOR}" '
                'stroke="#fff"/>'
            )
        if stopped:
            body.append(_cross(x + CELL / 2, y + CELL / 2))
    body += _legend(grid_bottom + 6, marks=True)
    return _svg(width, grid_bottom + 6 + LEGEND_H, DAY_LABEL, body)


def month_grid(trends: an.Trends) -> str:
    """Years down, months across: each month's average worst pain, and its routine days as a number."""
    days = trends.days
    months = days.groupby([days.index.year, days.index.month])
    pain, done = months["pain"].mean(), months["done"].sum()
    years = sorted({int(y) for y, _ in pain.index})
    pitch_x, pitch_y = MONTH_W + GAP, MONTH_H + GAP
    width = LEFT + 12 * pitch_x
    body = [
        f'<text x="{LEFT + m * pitch_x + MONTH_W / 2}" y="{TOP - 6}" text-anchor="middle">{name}</text>'
        for m, name in enumerate(MONTHS)
    ]
    body += [f'<text x="0" y="{TOP + i * pitch_y + 16}">{year}</text>' for i, year in enumerate(years)]
    for (year, month), mean in pain.items():
        x, y = LEFT + (month - 1) * pitch_x, TOP + years.index(int(year)) * pitch_y
        count = int(done[(year, month)])
        when = f"{MONTHS[month - 1]} {year}"
        if pd.isna(mean):
            title = f"<title>{when}: no ratings, routine on {count} days</title>"
            body.append(
                f'<rect x="{x}" y="{y}" width="{MONTH_W}" height="{MONTH_H}" rx="3" fill="none" '
                f'stroke="currentColor" stroke-opacity="0.25">{title}</rect>'
            )
            ink = "currentColor"
        else:
            fill = pain_color(float(mean))
            title = f"<title>{when}: average worst pain {mean:.1f}, routine on {count} days</title>"
            body.append(
                f'<rect x="{x}" y="{y}" width="{MONTH_W}" height="{MONTH_H}" rx="3" fill="{fill}" '
                f'data-pain="{mean:.1f}">{title}</rect>'
            )
            ink = _ink(fill)
        body.append(
            f'<text class="hk-routine-days" x="{x + MONTH_W / 2}" y="{y + 16}" text-anchor="middle" '
            f'style="fill: {ink}">{count}</text>'
        )
    bottom = TOP + len(years) * pitch_y
    body += _legend(bottom + 6, marks=False)
    return _svg(width, bottom + 6 + LEGEND_H, MONTH_LABEL, body)


def pain_calendar(trends: an.Trends) -> str:
    """The calendar for ``trends``: a day calendar for daily ranges, else the month-by-year grid (SVG text)."""
    return day_calendar(trends) if trends.resolution == "day" else month_grid(trends)
