"""Plotly figures for the Trends page (pure: no Streamlit). Inputs come from ``analysis.compute_trends``.

Long ranges (over ``analysis.DAILY_POINTS_MAX`` days) are drawn per week, and the calendar becomes a
month-by-year grid, so no figure grows with the length of the journal beyond a few hundred points.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hipknee import analysis as an
from hipknee import trends_text as words

# Marks keep 3:1 against both theme backgrounds, #ffffff and #101815 (WCAG 1.4.11 non-text contrast):
# pain dots 3.5:1 / 5.2:1, the 7-day line 4.9:1 / 3.7:1, goal-met bars 5.1:1 / 3.5:1, missed 3.3:1 / 5.4:1.
PAIN_COLOR = "#7986cb"
MEAN_COLOR = "#5c6bc0"
BAND_COLOR = "rgba(128, 128, 128, 0.16)"
BASELINE_COLOR = "rgba(110, 110, 110, 0.9)"
STOP_COLOR = "#d32f2f"
GOAL_MET_COLOR = "#2e7d32"
GOAL_MISSED_COLOR = "#8d8d8d"
GOAL_LINE_COLOR = "#ef6c00"
PAIN_SCALE = "YlOrRd"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAY_MS = 24 * 3600 * 1000
SMALL_CALENDAR_WEEKS = 8  # up to this many weeks the calendar gets a fixed width (fits a 390 px phone)
CALENDAR_FIXED_PX = 142  # weekday labels, colour bar and margins (CALENDAR_MARGIN)
CALENDAR_WEEK_PX = 30


def _pain_heatmap_style() -> dict[str, Any]:
    """What the daily calendar and the monthly view share: pain 0-10 on one colour scale, gaps, colour bar."""
    return {
        "zmin": 0,
        "zmax": 10,
        "colorscale": PAIN_SCALE,
        "xgap": 2,
        "ygap": 2,
        "hoverongaps": False,
        "colorbar": {"title": {"text": "Pain", "side": "right"}, "thickness": 10, "len": 0.9},
    }


# Margins that already hold what the axis labels, the legend and the colour bar need at desktop width. Plotly
# grows margins that are too small to fit them and then draws the whole figure a second time: on every range
# switch, that doubled the browser's work. It still grows them when needed (a legend wrapping on a phone).
COMBINED_MARGIN = {"l": 64, "r": 8, "t": 46, "b": 50}
CALENDAR_MARGIN = {"l": 52, "r": 90, "t": 36, "b": 62}
MONTH_GRID_MARGIN = {"l": 48, "r": 84, "t": 40, "b": 8}


def _base_layout(fig: go.Figure, height: int, margin: dict[str, int]) -> None:
    fig.update_layout(
        height=height,
        margin=margin,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "font": {"size": 11}},
        hovermode="closest",
        bargap=0.15,
    )


def combined_chart(trends: an.Trends) -> go.Figure:
    """Pain on top (daily points, 7-day mean, baseline band, stops for pain) and routine days per week
    against the goal of 5 below, on one shared time axis."""
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.68, 0.32],
        vertical_spacing=0.07,
    )
    days = trends.days
    weeks = trends.weeks
    start = pd.Timestamp(trends.start)
    end = pd.Timestamp(trends.end)

    if trends.baseline is not None:
        base = trends.baseline.mean
        low, high = max(0.0, base - an.PFP_POINTS), min(10.0, base + an.PFP_POINTS)
        fig.add_trace(
            go.Scatter(
                x=[start, end, end, start],
                y=[low, low, high, high],
                fill="toself",
                mode="none",
                fillcolor=BAND_COLOR,
                name=f"Start {base:.1f} ± {an.PFP_POINTS:g}",
                hoverinfo="skip",
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=[start, end],
                y=[base, base],
                mode="lines",
                showlegend=False,
                line={"color": BASELINE_COLOR, "dash": "dot", "width": 1},
                hoverinfo="skip",
            ),
            row=1,
            col=1,
        )

    if trends.resolution == "day":
        logged = days["pain"].dropna()
        fig.add_trace(
            go.Scatter(
                x=logged.index,
                y=logged.to_numpy(dtype="int8"),
                mode="markers",
                name="Daily pain",
                marker={"color": PAIN_COLOR, "size": 6},
                hovertemplate="%{x|%a %d %b %Y}<br>Worst pain %{y}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        mean = days["mean7"]
        mean_x = days.index
    else:
        logged = weeks["pain_mean"].dropna()
        fig.add_trace(
            go.Scatter(
                x=logged.index + pd.Timedelta(days=3),
                y=logged.round(2).to_numpy(),
                mode="markers",
                name="Weekly average",
                marker={"color": PAIN_COLOR, "size": 5},
                hovertemplate="Week of %{x|%d %b %Y}<br>Average %{y:.1f}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        sundays = days.index[days.index.day_of_week == 6]
        mean = days["mean7"].reindex(sundays)
        mean_x = sundays
    fig.add_trace(
        go.Scatter(
            x=mean_x,
            y=mean.round(2).to_numpy(),
            mode="lines",
            name=words.ROLLING_LABEL,
            line={"color": MEAN_COLOR, "width": 2.5},
            connectgaps=False,
            hovertemplate=f"%{{x|%d %b %Y}}<br>{words.ROLLING_LABEL} %{{y:.1f}}<extra></extra>",
        ),
        row=1,
        col=1,
    )

    if not trends.stops.empty:
        stops = trends.stops
        pain = stops["pain_during"].astype("float64").fillna(10).clip(0, 10).to_numpy()
        fig.add_trace(
            go.Scatter(
                x=stops["date"],
                y=pain,
                mode="markers",
                name="Stopped for pain",
                marker={"symbol": "x-thin-open", "size": 10, "color": STOP_COLOR, "line": {"width": 2}},
                hovertemplate="%{x|%a %d %b %Y}<br>Routine stopped for pain<extra></extra>",
            ),
            row=1,
            col=1,
        )

    if not weeks.empty:
        met = weeks["goal_met"].to_numpy(dtype=bool)
        fig.add_trace(
            go.Bar(
                x=weeks.index + pd.Timedelta(days=3),
                y=weeks["days_done"].to_numpy(dtype="int8"),
                width=6 * DAY_MS if trends.resolution == "day" else 7 * DAY_MS,
                marker={
                    "color": np.where(met, GOAL_MET_COLOR, GOAL_MISSED_COLOR).tolist()
                    if len(weeks) <= 120
                    else GOAL_MET_COLOR,
                    # Striped: a week cut short by the range or not over yet.
                    "pattern": {"shape": np.where(weeks["complete"].to_numpy(dtype=bool), "", "/").tolist()}
                    if len(weeks) <= 120
                    else {},
                },
                name="Routine days a week",
                customdata=weeks["days_in_range"].to_numpy(dtype="int8"),
                hovertemplate="Week of %{x|%d %b %Y}<br>Routine on %{y} of %{customdata} days<extra></extra>",
            ),
            row=2,
            col=1,
        )
    fig.add_trace(
        go.Scatter(
            x=[start, end],
            y=[an.GOAL_DAYS_PER_WEEK] * 2,
            mode="lines",
            name=f"Goal: {an.GOAL_DAYS_PER_WEEK} a week",
            line={"color": GOAL_LINE_COLOR, "dash": "dash", "width": 1.5},
            hoverinfo="skip",
        ),
        row=2,
        col=1,
    )

    _base_layout(fig, 470, COMBINED_MARGIN)
    pad = pd.Timedelta(hours=12) if trends.resolution == "day" else pd.Timedelta(days=4)
    fig.update_xaxes(range=[start - pad, end + pad])
    fig.update_yaxes(title_text="Pain (0–10)", range=[-0.4, 10.6], dtick=2, row=1, col=1, fixedrange=True)
    fig.update_yaxes(
        title_text="Days", range=[0, 7.3], tickvals=[0, an.GOAL_DAYS_PER_WEEK, 7], row=2, col=1, fixedrange=True
    )
    return fig


def pain_calendar(trends: an.Trends) -> go.Figure:
    """A calendar heat map of worst pain by day (weeks across, weekdays down) with routine days marked;
    for long ranges a month-by-year grid of average pain with the routine days in each month."""
    if trends.resolution == "day":
        return _day_calendar(trends)
    return _month_grid(trends)


def _day_calendar(trends: an.Trends) -> go.Figure:
    days = trends.days
    first_week = an.week_start(days.index[0])
    col = ((days.index - first_week).days // 7).to_numpy()
    row = days.index.day_of_week.to_numpy()
    n_weeks = int(col[-1]) + 1
    z = np.full((7, n_weeks), np.nan)
    z[row, col] = days["pain"].to_numpy(dtype="float64")
    week_starts = pd.date_range(first_week, periods=n_weeks, freq="7D")
    dates = np.full((7, n_weeks), "", dtype=object)
    dates[row, col] = days.index.strftime("%a %d %b")
    fig = go.Figure(
        go.Heatmap(
            x=week_starts,
            y=WEEKDAYS,
            z=z,
            customdata=dates,
            **_pain_heatmap_style(),
            hovertemplate="%{customdata}<br>Worst pain %{z}<extra></extra>",
        )
    )
    done = days["done"].to_numpy(dtype=bool)
    if done.any():
        fig.add_trace(
            go.Scatter(
                x=week_starts[col[done]],
                y=[WEEKDAYS[r] for r in row[done]],
                mode="markers",
                name="Routine done",
                marker={"symbol": "circle", "size": 5, "color": "#1b5e20", "line": {"color": "white", "width": 1}},
                hoverinfo="skip",
            )
        )
    stopped = days["stopped"].to_numpy() > 0
    if stopped.any():
        fig.add_trace(
            go.Scatter(
                x=week_starts[col[stopped]],
                y=[WEEKDAYS[r] for r in row[stopped]],
                mode="markers",
                name="Stopped for pain",
                marker={"symbol": "x-thin-open", "size": 8, "color": STOP_COLOR, "line": {"width": 2}},
                hoverinfo="skip",
            )
        )
    _base_layout(fig, 250, CALENDAR_MARGIN)
    fig.update_yaxes(autorange="reversed", fixedrange=True)
    fig.update_xaxes(fixedrange=True, showgrid=False)
    if n_weeks <= SMALL_CALENDAR_WEEKS:
        # A young journal: keep the squares square instead of stretching a few weeks across the page.
        fig.update_layout(width=CALENDAR_FIXED_PX + CALENDAR_WEEK_PX * n_weeks)
        fig.update_xaxes(tick0=week_starts[0], dtick=7 * DAY_MS, tickformat="%d %b")
    return fig


def _month_grid(trends: an.Trends) -> go.Figure:
    days = trends.days
    months = days.groupby([days.index.year, days.index.month])
    pain = months["pain"].mean()
    done = months["done"].sum()
    years = sorted({y for y, _ in pain.index})
    z = np.full((len(years), 12), np.nan)
    text = np.full((len(years), 12), "", dtype=object)
    for (year, month), value in pain.items():
        z[years.index(year), month - 1] = round(float(value), 1) if not np.isnan(value) else np.nan
        text[years.index(year), month - 1] = f"{int(done[(year, month)])}"
    fig = go.Figure(
        go.Heatmap(
            x=MONTHS,
            y=[str(y) for y in years],
            z=z,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10},
            **_pain_heatmap_style(),
            hovertemplate="%{x} %{y}<br>Average worst pain %{z:.1f}<br>Routine on %{text} days<extra></extra>",
        )
    )
    _base_layout(fig, max(220, 34 * len(years) + 80), MONTH_GRID_MARGIN)
    fig.update_yaxes(autorange="reversed", fixedrange=True, type="category")
    fig.update_xaxes(fixedrange=True, side="top")
    return fig


TABLE_COLUMNS = ("Week of", "Average pain", "Pain ratings", "Routine days", "Days in range", "Goal met")


def chart_table(trends: an.Trends) -> pd.DataFrame:
    """The combined chart's data as a table (its text alternative, WCAG 1.1.1): one row per week, newest first.

    Columns ``TABLE_COLUMNS``: the Monday starting the week (date), the average of that week's pain ratings
    (0-10, 1 decimal, NaN without ratings), how many ratings, routine days, days of the week inside the range,
    and "yes"/"no" for the goal of ``analysis.GOAL_DAYS_PER_WEEK`` routine days.
    """
    weeks = trends.weeks
    table = pd.DataFrame(
        {
            "Week of": [d.date() for d in weeks.index],
            "Average pain": weeks["pain_mean"].astype("float64").round(1).to_numpy(),
            "Pain ratings": weeks["pain_entries"].astype("int64").to_numpy(),
            "Routine days": weeks["days_done"].astype("int64").to_numpy(),
            "Days in range": weeks["days_in_range"].astype("int64").to_numpy(),
            "Goal met": np.where(weeks["goal_met"].to_numpy(dtype=bool), "yes", "no"),
        },
        columns=list(TABLE_COLUMNS),
    )
    return table.iloc[::-1].reset_index(drop=True)


def chart_summary(trends: an.Trends) -> str:
    """What the combined chart shows, in two plain sentences (for people who cannot see it)."""
    span = f"From {trends.start:%d %B %Y} to {trends.end:%d %B %Y}"
    pain = trends.days["pain"].dropna()
    if pain.empty:
        first = f"{span} there are no pain ratings."
    else:
        n = len(pain)
        first = (
            f"{span}: {n} pain rating{'s' if n != 1 else ''}, from {pain.min():.0f} to {pain.max():.0f} "
            f"out of 10, {pain.mean():.1f} on average."
        )
        last_mean = trends.days["mean7"].dropna()
        if not last_mean.empty:
            first += f" The {words.ROLLING_LABEL} ends at {last_mean.iloc[-1]:.1f}."
    weeks = trends.weeks
    done = int(weeks["days_done"].sum()) if not weeks.empty else 0
    met = int(weeks["goal_met"].sum()) if not weeks.empty else 0
    n_weeks = len(weeks)
    second = (
        f"Routine on {done} day{'s' if done != 1 else ''}; the goal of {an.GOAL_DAYS_PER_WEEK} days was met in "
        f"{met} of {n_weeks} week{'s' if n_weeks != 1 else ''}."
    )
    return f"{first} {second}"


def figure_bytes(fig: go.Figure) -> int:
    """The size of the figure's JSON as sent to the browser."""
    return len(fig.to_json().encode())
