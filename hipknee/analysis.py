"""Trends statistics: pain over time, routine adherence, change against baseline, and the worsening alert.

Pure pandas, no Streamlit. The rules (clinically reviewed; see issue 7):

- Daily pain is the day's worst pain (0-10); days without an entry are missing, never zero.
- The 7-day mean on a day uses that day and the 6 before it, and exists only when at least 4 of those 7 days
  hold an entry.
- Baseline: the first 7 calendar days that hold at least 4 entries (windows start on an entry date), or a
  date range the person picks (it must also hold at least 4 entries).
- Change of the current 7-day mean against baseline, judged by published sizes: "much better" = at least
  2 points down, or at least 30 % down when the baseline is 4 or more (Farrar 2001); "better" = at least
  1.16 points down (Piva 2009, kneecap pain); otherwise no clear change. The same sizes upward are shown as
  worsening, labelled as borrowed from the improvement studies.
- Adherence: a day counts as done when it has a completed session or a manual "did my routine". Sessions
  stopped for pain are counted separately and never as done; sessions left "in_progress" are incomplete.
- Association, one pre-specified analysis: per calendar week (Monday to Sunday), routine days done against
  the change in mean pain from that week to the next.
- Worsening alert: the 7-day mean at least 2 points above baseline, or at 9 or more, or three days in a row
  at baseline + 2 or more.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

ROLLING_DAYS = 7
ROLLING_MIN_ENTRIES = 4
BASELINE_DAYS = 7
BASELINE_MIN_ENTRIES = 4

MUCH_BETTER_POINTS = 2.0  # Farrar 2001
MUCH_BETTER_FRACTION = 0.30  # Farrar 2001, only when the baseline is 4 or more
PERCENT_RULE_MIN_BASELINE = 4.0
PFP_POINTS = 1.16  # Piva 2009, patellofemoral (kneecap) pain

ALERT_POINTS_ABOVE_BASELINE = 2.0
ALERT_HIGH_MEAN = 9.0
ALERT_RUN_DAYS = 3

GOAL_DAYS_PER_WEEK = 5
ASSOCIATION_MIN_WEEKS = 4

# Means of whole numbers are compared with the thresholds with this tolerance, so that a change of exactly
# 2.0, 1.16 or 30 % meets the threshold despite binary floating point.
EPS = 1e-9

STOP_ADVICE = (
    "Stop the routine for now and have your knee checked by a physiotherapist or doctor before you carry on."
)


# ---- daily series ------------------------------------------------------------------------------------


def _as_day(value: dt.date | pd.Timestamp) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def pain_by_day(entries: pd.DataFrame, *, end: dt.date | None = None) -> pd.Series:
    """Worst pain per logged day (float, sorted, only days with an entry), up to ``end`` if given."""
    if entries.empty:
        return pd.Series([], index=pd.DatetimeIndex([], name="date"), dtype="float64", name="pain")
    series = pd.Series(
        entries["worst_pain"].astype("float64").to_numpy(),
        index=pd.DatetimeIndex(entries["date"]).normalize(),
        name="pain",
    )
    series.index.name = "date"
    series = series.dropna().sort_index()
    series = series[~series.index.duplicated(keep="last")]
    if end is not None:
        series = series[series.index <= _as_day(end)]
    return series


def daily_series(logged: pd.Series, start: dt.date, end: dt.date) -> pd.Series:
    """Every calendar day from ``start`` to ``end``: the day's pain, NaN when nothing was logged."""
    days = pd.date_range(_as_day(start), _as_day(end), freq="D", name="date")
    return logged.reindex(days)


def rolling_mean(daily: pd.Series) -> pd.Series:
    """The 7-day mean on each day (that day and the 6 before), NaN unless 4 or more of the 7 hold entries.

    ``daily`` must hold every calendar day (see ``daily_series``); start it 6 days before the first day you
    need a mean for, or the first means are computed from fewer days.
    """
    return daily.rolling(ROLLING_DAYS, min_periods=ROLLING_MIN_ENTRIES).mean()


@dataclass(frozen=True)
class WindowMean:
    start: dt.date
    end: dt.date
    mean: float
    entries: int


def mean_of_last_week(logged: pd.Series, as_of: dt.date) -> WindowMean | None:
    """The 7-day mean ending on ``as_of`` (the "current 7-day mean"), or None with fewer than 4 entries."""
    end = _as_day(as_of)
    start = end - pd.Timedelta(days=ROLLING_DAYS - 1)
    window = logged[(logged.index >= start) & (logged.index <= end)]
    if len(window) < ROLLING_MIN_ENTRIES:
        return None
    return WindowMean(start.date(), end.date(), float(window.mean()), int(len(window)))


# ---- baseline ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    start: dt.date
    end: dt.date
    mean: float
    entries: int
    source: str  # "auto" (first 7 days with at least 4 entries) or "picked" (a range the person chose)


def find_baseline(logged: pd.Series) -> Baseline | None:
    """The first 7 calendar days holding at least 4 entries (each window starts on an entry date)."""
    if len(logged) < BASELINE_MIN_ENTRIES:
        return None
    days = logged.index.to_numpy()
    window_ends = days + np.timedelta64(BASELINE_DAYS - 1, "D")
    # For each entry date, how many entries fall in [that date, that date + 6].
    counts = np.searchsorted(days, window_ends, side="right") - np.arange(len(days))
    qualifying = np.flatnonzero(counts >= BASELINE_MIN_ENTRIES)
    if len(qualifying) == 0:
        return None
    i = int(qualifying[0])
    n = int(counts[i])
    values = logged.iloc[i : i + n]
    start = pd.Timestamp(days[i])
    return Baseline(
        start=start.date(),
        end=(start + pd.Timedelta(days=BASELINE_DAYS - 1)).date(),
        mean=float(values.mean()),
        entries=n,
        source="auto",
    )


def baseline_from_range(logged: pd.Series, start: dt.date, end: dt.date) -> Baseline | None:
    """The mean of the entries from ``start`` to ``end`` (inclusive), or None with fewer than 4 entries."""
    if start > end:
        start, end = end, start
    window = logged[(logged.index >= _as_day(start)) & (logged.index <= _as_day(end))]
    if len(window) < BASELINE_MIN_ENTRIES:
        return None
    return Baseline(start, end, float(window.mean()), int(len(window)), "picked")


# ---- worsening alert ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorseningAlert:
    reason: str  # "mean_above_baseline" | "mean_high" | "days_in_a_row"
    message: str


def worsening_alert(entries: pd.DataFrame, today: dt.date) -> WorseningAlert | None:
    """An alert when pain is clearly worse than at the start, else None.

    ``entries`` is ``Store.entries_frame()``. Fires when the 7-day mean ending today is at least 2 points
    above the baseline, or is 9 or more, or when the three most recent days in a row (ending today, or
    yesterday when today is not logged yet) are each at baseline + 2 or more.
    """
    logged = pain_by_day(entries, end=today)
    if logged.empty:
        return None
    baseline = find_baseline(logged)
    current = mean_of_last_week(logged, today)
    if current is not None and baseline is not None:
        rise = current.mean - baseline.mean
        if rise >= ALERT_POINTS_ABOVE_BASELINE - EPS:
            return WorseningAlert(
                "mean_above_baseline",
                f"Your knee pain has averaged {current.mean:.1f} out of 10 over the last 7 days, "
                f"{rise:.1f} points higher than at the start ({baseline.mean:.1f}). {STOP_ADVICE}",
            )
    if current is not None and current.mean >= ALERT_HIGH_MEAN - EPS:
        return WorseningAlert(
            "mean_high",
            f"Your knee pain has averaged {current.mean:.1f} out of 10 over the last 7 days, which is very "
            f"high. {STOP_ADVICE}",
        )
    if baseline is not None:
        run = _recent_run(logged, today)
        limit = baseline.mean + ALERT_POINTS_ABOVE_BASELINE
        if run is not None and all(value >= limit - EPS for value in run):
            values = ", ".join(f"{v:.0f}" for v in run[:-1]) + f" and {run[-1]:.0f}"
            return WorseningAlert(
                "days_in_a_row",
                f"Your knee pain was {values} out of 10 on the last {ALERT_RUN_DAYS} days in a row, each at "
                f"least {ALERT_POINTS_ABOVE_BASELINE:g} points above your level at the start "
                f"({baseline.mean:.1f}). {STOP_ADVICE}",
            )
    return None


def _recent_run(logged: pd.Series, today: dt.date) -> list[float] | None:
    """Pain on the last 3 consecutive calendar days ending on the latest entry, if that entry is recent."""
    latest = logged.index[-1]
    if latest < _as_day(today) - pd.Timedelta(days=1):
        return None
    days = [latest - pd.Timedelta(days=k) for k in range(ALERT_RUN_DAYS - 1, -1, -1)]
    if not all(day in logged.index for day in days):
        return None
    return [float(logged[day]) for day in days]
