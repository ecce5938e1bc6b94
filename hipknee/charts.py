"""Plotly figures for the Trends page (pure: no Streamlit). Inputs come from ``analysis.compute_trends``.

Long ranges (over ``analysis.DAILY_POINTS_MAX`` days) are drawn per week, so no figure grows with the length
of the journal beyond a few hundred points. The pain calendar is plain HTML: hipknee.pain_calendar.
"""

from __future__ import annotations

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
DAY_MS = 24 * 3600 * 1000


# Margins that already hold what the axis labels, the legend and the colour bar need at desktop width. Plotly
# grows margins that are too small to fit them and then draws the whole figure a second time: on every range
# switch, that doubled the browser's work. It still grows them when needed (a legend wrapping on a phone).
COMBINED_MARGIN = {"l": 64, "r": 8, "t": 46, "b": 50}


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
