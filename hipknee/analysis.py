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
- Weeks, everywhere (the weekly chart, the routine card, the streak, the no-improvement prompt): calendar
  weeks, Monday to Sunday. A full week is one that ended before the week holding the last day shown.
- No-improvement prompt: 6 or more full weeks since the baseline ended, the routine on 3 or more days a week
  on average in those weeks, and a verdict of no clear change or worse -> suggest a professional review.
- Association, one pre-specified analysis: per calendar week (Monday to Sunday), routine days done against
  the change in mean pain from that week to the next, always over the person's whole history (first entry
  or session to today), never over a displayed range, so every view and the report show one result.
- Worsening alert: the 7-day mean at least 2 points above baseline, or at 9 or more, or three days in a row
  at baseline + 2 or more.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hipknee.statuses import SessionStatus

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
    return alert_from_pain(pain_by_day(entries, end=today), today)


def alert_from_pain(logged: pd.Series, today: dt.date) -> WorseningAlert | None:
    """``worsening_alert`` on a ``pain_by_day`` series (entries after ``today`` must be dropped)."""
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


# ---- change against baseline -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    key: str  # "much_better" | "better" | "no_clear_change" | "worse" | "much_worse"
    label: str
    rule: str  # which published size was met, in words ("" for no clear change)
    borrowed: bool  # True for worsening: the sizes come from studies of improvement


VERDICT_LABELS = {
    "much_better": "Much better",
    "better": "Better",
    "no_clear_change": "No clear change",
    "worse": "Worse",
    "much_worse": "Much worse",
}
BORROWED_NOTE = (
    "The sizes used for worse come from studies of getting better; they are borrowed, not measured for "
    "getting worse."
)


def classify_change(baseline: float, current: float) -> Verdict:
    """The verdict for a change from ``baseline`` to ``current`` (both 7-day means on the 0-10 scale)."""
    for direction, size in (("better", baseline - current), ("worse", current - baseline)):
        if size <= 0:
            continue
        borrowed = direction == "worse"
        fraction_met = (
            baseline >= PERCENT_RULE_MIN_BASELINE - EPS
            and size >= MUCH_BETTER_FRACTION * baseline - EPS
        )
        if size >= MUCH_BETTER_POINTS - EPS or fraction_met:
            rule = (
                f"at least {MUCH_BETTER_POINTS:g} points"
                if size >= MUCH_BETTER_POINTS - EPS
                else f"at least {MUCH_BETTER_FRACTION:.0%} with a starting level of "
                f"{PERCENT_RULE_MIN_BASELINE:g} or more"
            )
            key = f"much_{direction}"
            return Verdict(key, VERDICT_LABELS[key], rule + " (Farrar 2001)", borrowed)
        if size >= PFP_POINTS - EPS:
            return Verdict(
                direction, VERDICT_LABELS[direction], f"at least {PFP_POINTS:g} points (Piva 2009)", borrowed
            )
    return Verdict("no_clear_change", VERDICT_LABELS["no_clear_change"], "", False)


@dataclass(frozen=True)
class Change:
    baseline: Baseline
    current: WindowMean
    points: float  # current minus baseline: negative means less pain
    percent: float | None  # the same as a percentage of the baseline; None when the baseline is 0
    verdict: Verdict
    overlaps_baseline: bool  # the current 7 days share days with the baseline window


def change_vs_baseline(logged: pd.Series, as_of: dt.date, baseline: Baseline | None) -> Change | None:
    """Current 7-day mean (ending ``as_of``) against ``baseline``, or None when either is missing."""
    current = mean_of_last_week(logged, as_of)
    if baseline is None or current is None:
        return None
    points = current.mean - baseline.mean
    percent = 100 * points / baseline.mean if baseline.mean > 0 else None
    return Change(
        baseline=baseline,
        current=current,
        points=points,
        percent=percent,
        verdict=classify_change(baseline.mean, current.mean),
        overlaps_baseline=current.start <= baseline.end and baseline.start <= current.end,
    )


# ---- adherence ---------------------------------------------------------------------------------------


def _day_offsets(dates: pd.Series | pd.DatetimeIndex, start: dt.date, n: int) -> np.ndarray:
    """Whole-day offsets of ``dates`` from ``start``, only those inside [0, n)."""
    values = pd.DatetimeIndex(dates).to_numpy().astype("datetime64[D]")
    offsets = (values - np.datetime64(start, "D")).astype("int64")
    return offsets[(offsets >= 0) & (offsets < n)]


def daily_adherence(
    entries: pd.DataFrame, sessions: pd.DataFrame, start: dt.date, end: dt.date
) -> pd.DataFrame:
    """Per calendar day from ``start`` to ``end``: ``done`` (a completed session or a manual "did my
    routine"), ``manual``, ``completed``, ``stopped`` (sessions stopped for pain; never counted as done) and
    ``incomplete`` (sessions started and never finished)."""
    days = pd.date_range(_as_day(start), _as_day(end), freq="D", name="date")
    n = len(days)
    if entries.empty:
        manual = np.zeros(n, dtype=bool)
    else:
        did = entries["did_routine"].astype(bool).to_numpy()
        manual = np.bincount(_day_offsets(entries["date"][did], start, n), minlength=n) > 0
    counts = {}
    for status, column in (
        (SessionStatus.COMPLETED, "completed"), (SessionStatus.STOPPED, "stopped"),
        (SessionStatus.IN_PROGRESS, "incomplete"),
    ):
        if sessions.empty:
            counts[column] = np.zeros(n, dtype="int64")
        else:
            dates = sessions["session_date"][(sessions["status"] == status).to_numpy()]
            counts[column] = np.bincount(_day_offsets(dates, start, n), minlength=n).astype("int64")
    return pd.DataFrame(
        {"done": manual | (counts["completed"] > 0), "manual": manual, **counts}, index=days
    )


def week_start(day: pd.Timestamp | dt.date) -> pd.Timestamp:
    day = _as_day(day)
    return day - pd.Timedelta(days=day.weekday())


WEEK_COLUMNS = ["days_done", "days_in_range", "stopped", "pain_mean", "pain_entries", "goal_met", "complete"]


def weekly_summary(days: pd.DataFrame) -> pd.DataFrame:
    """Per calendar week (Monday start) overlapping ``days`` (a frame with ``pain`` and adherence columns):
    ``days_done``, ``days_in_range``, ``stopped``, ``pain_mean``, ``pain_entries``, ``goal_met`` and
    ``complete`` (all 7 days of the week are inside the range)."""
    if days.empty:
        return pd.DataFrame(columns=WEEK_COLUMNS, index=pd.DatetimeIndex([], name="week"))
    first_week = week_start(days.index[0])
    offsets = (days.index.to_numpy().astype("datetime64[D]") - np.datetime64(first_week.date(), "D"))
    week = offsets.astype("int64") // 7
    n = int(week[-1]) + 1
    pain = days["pain"].to_numpy(dtype="float64")
    logged = ~np.isnan(pain)
    entries = np.bincount(week[logged], minlength=n)
    total = np.bincount(week[logged], weights=pain[logged], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        pain_mean = np.where(entries > 0, total / np.maximum(entries, 1), np.nan)
    days_done = np.bincount(week, weights=days["done"].to_numpy(dtype="float64"), minlength=n)
    in_range = np.bincount(week, minlength=n)
    out = pd.DataFrame(
        {
            "days_done": days_done.astype("int64"),
            "days_in_range": in_range.astype("int64"),
            "stopped": np.bincount(week, weights=days["stopped"].to_numpy(dtype="float64"),
                                   minlength=n).astype("int64"),
            "pain_mean": pain_mean,
            "pain_entries": entries.astype("int64"),
            "goal_met": days_done >= GOAL_DAYS_PER_WEEK,
            "complete": in_range == 7,
        },
        index=pd.date_range(first_week, periods=n, freq="7D", name="week"),
    )
    return out


def _weekly_done(adherence: pd.DataFrame, as_of: dt.date, since: dt.date | None = None
                 ) -> tuple[pd.Timestamp, np.ndarray, int]:
    """Routine days done per calendar week (Monday to Sunday, as in the weekly chart) up to ``as_of``.

    Returns the Monday of the first week, the days done in each FULL week (every week that ended before the
    week holding ``as_of``; oldest first) and the days done so far in the week holding ``as_of``. The first
    week is the one holding ``since`` (default: the first day of ``adherence``); days before the history
    began count as not done."""
    end = _as_day(as_of)
    this_week = week_start(end)
    if since is None:
        since = adherence.index[0].date() if not adherence.empty else end.date()
    first_week = min(week_start(since), this_week)
    n = (end - first_week).days + 1
    done = np.zeros(n, dtype=bool)
    if not adherence.empty:
        offsets = (adherence.index.to_numpy().astype("datetime64[D]")
                   - np.datetime64(first_week.date(), "D")).astype("int64")
        inside = (offsets >= 0) & (offsets < n) & (adherence.index >= _as_day(since))
        done[offsets[inside]] = adherence["done"].to_numpy(dtype=bool)[inside]
    per_week = np.bincount(np.arange(n) // 7, weights=done.astype("float64"), minlength=(n + 6) // 7)
    per_week = per_week.astype("int64")
    return first_week, per_week[:-1], int(per_week[-1])


@dataclass(frozen=True)
class RecentAdherence:
    days_done: int  # routine days in the last (up to) 4 full calendar weeks
    days: int  # days of those weeks since the history began: 28 once the history is long enough
    goal_days: int  # 5 a week over those days (20 for 28 days)
    weeks: int  # full calendar weeks (Monday to Sunday, ended before this week) counted: 4 once long enough
    weeks_at_goal: int  # of those weeks, the ones with 5 or more days done
    stopped: int
    start: dt.date | None = None  # the first day counted (a Monday, or the history's first day)
    end: dt.date | None = None  # the last day counted (the Sunday before this week); None without a full week


def recent_adherence(
    adherence: pd.DataFrame, as_of: dt.date, weeks: int = 4, since: dt.date | None = None
) -> RecentAdherence:
    """Routine days in the last ``weeks`` full calendar weeks before the week holding ``as_of``
    (``adherence`` from daily_adherence), counting only days on or after ``since`` (the start of the
    person's history). Uses the same weeks as ``streak`` and the weekly chart; the week in progress is
    left out (``streak`` reports it as ``this_week_days``)."""
    this_week = week_start(as_of)
    window_start = this_week - pd.Timedelta(days=7 * weeks)
    first_day = window_start if since is None else max(window_start, _as_day(since))
    if first_day >= this_week:  # no full week yet
        return RecentAdherence(0, 0, 0, 0, 0, 0, None, None)
    first_week, full, _ = _weekly_done(adherence, as_of, since=first_day.date())
    last = full[-weeks:]
    span = adherence.loc[(adherence.index >= first_day) & (adherence.index < this_week)]
    days = (this_week - first_day).days
    return RecentAdherence(
        days_done=int(last.sum()),
        days=days,
        goal_days=round(GOAL_DAYS_PER_WEEK * days / 7),
        weeks=len(last),
        weeks_at_goal=int((last >= GOAL_DAYS_PER_WEEK).sum()),
        stopped=int(span["stopped"].sum()) if not span.empty else 0,
        start=first_day.date(),
        end=(this_week - pd.Timedelta(days=1)).date(),
    )


@dataclass(frozen=True)
class Streak:
    weeks: int  # full calendar weeks in a row at the goal of 5 days, ending with last week
    this_week_days: int  # days done so far in the current week (Monday to today)
    days: int  # days in a row with the routine done, ending today (or yesterday if today isn't done yet)


def streak(adherence: pd.DataFrame, as_of: dt.date) -> Streak:
    """Streaks ending on ``as_of``; ``adherence`` from daily_adherence, covering the whole history.

    The week streak counts full calendar weeks (Monday to Sunday) at the goal, going back from last week:
    the same weeks as ``recent_adherence``, so "met the goal in 4 of the last 4 full weeks" always goes
    with a streak of at least 4. The week in progress is reported on its own (``this_week_days``).
    """
    end = _as_day(as_of)
    if adherence.empty or adherence.index[0] > end:
        return Streak(0, 0, 0)
    _, full, this_week_days = _weekly_done(adherence, as_of)
    missed = np.flatnonzero(full < GOAL_DAYS_PER_WEEK)
    weeks = len(full) - 1 - int(missed[-1]) if len(missed) else len(full)
    upto = adherence.loc[adherence.index <= end, "done"].to_numpy(dtype=bool)
    values = upto if upto[-1] else upto[:-1]  # today not done (yet) does not break the streak
    misses = np.flatnonzero(~values)
    days = len(values) - 1 - int(misses[-1]) if len(misses) else len(values)
    return Streak(weeks=weeks, this_week_days=this_week_days, days=days)


# ---- no improvement after weeks of routine ----------------------------------------------------------

NO_IMPROVEMENT_MIN_WEEKS = 6  # full weeks since the starting level
NO_IMPROVEMENT_MIN_DAYS_PER_WEEK = 3  # average routine days a week in those weeks
NO_IMPROVEMENT_VERDICTS = ("no_clear_change", "worse", "much_worse")


@dataclass(frozen=True)
class SinceBaseline:
    weeks: int  # full calendar weeks (Monday to Sunday) that began after the baseline's last day and ended
    # before the week in progress
    days_done: int  # routine days in those weeks


def routine_since_baseline(
    adherence: pd.DataFrame, baseline: Baseline | None, as_of: dt.date
) -> SinceBaseline | None:
    """Full calendar weeks since ``baseline`` ended, up to the week holding ``as_of``, and the routine days
    done in them (``adherence`` from daily_adherence over the whole history). None without a baseline."""
    if baseline is None:
        return None
    first_monday = week_start(baseline.end) + pd.Timedelta(days=7)  # first Monday after the baseline
    if first_monday >= week_start(as_of):
        return SinceBaseline(0, 0)
    _, full, _ = _weekly_done(adherence, as_of, since=first_monday.date())
    return SinceBaseline(weeks=len(full), days_done=int(full.sum()))


def no_improvement_prompt(trends: Trends) -> str | None:
    """A gentle suggestion to get the knee checked, or None.

    Shown when at least 6 full weeks have passed since the starting level, the routine was done on at
    least 3 days a week on average in those weeks, and the change since the start is "no clear change" or
    worse."""
    change, since = trends.change, trends.since_baseline
    if change is None or since is None or change.verdict.key not in NO_IMPROVEMENT_VERDICTS:
        return None
    if since.weeks < NO_IMPROVEMENT_MIN_WEEKS:
        return None
    if since.days_done < NO_IMPROVEMENT_MIN_DAYS_PER_WEEK * since.weeks:
        return None
    per_week = since.days_done / since.weeks
    pain = (
        "your pain has not clearly improved" if change.verdict.key == "no_clear_change"
        else "your pain is higher than at the start"
    )
    return (
        f"You have kept up the routine for {since.weeks} weeks since your starting level (about "
        f"{per_week:.1f} days a week), but {pain}. That happens, and it is not your fault. It is a good time "
        "to see a physiotherapist or doctor: they can check what is causing your knee pain and add "
        "exercises that make the knee itself stronger."
    )


# ---- association -------------------------------------------------------------------------------------

ASSOCIATION_CAVEAT = (
    "This is a link in one person's numbers, not proof that the routine caused it. "
    "Knee pain often gets better on its own over time."
)


@dataclass(frozen=True)
class Association:
    status: str  # "ok" | "too_few_weeks" | "no_variation" | "no_pain_variation"
    weeks: int  # usable weeks (a full week with 4+ entries, followed by a week with 4+ entries)
    r: float | None  # Pearson correlation of days done vs the change in mean pain to the next week
    ci: tuple[float, float] | None  # its 95 % interval (Fisher z)
    slope: float | None  # change in next week's pain per extra routine day, in points
    direction: str | None  # "lower" | "higher" | "unclear": what the next week's pain did after busier weeks
    sentence: str  # association_sentence(self), about "you"
    caveat: str = ASSOCIATION_CAVEAT
    days_every_week: int | None = None  # for "no_variation": the one value adherence took


def association(weeks: pd.DataFrame) -> Association:
    """Routine days per week vs the change in mean pain from that week to the next.

    ``weeks`` is ``weekly_summary`` output. A week is usable when all its 7 days are in the range, both it
    and the next calendar week hold at least 4 pain entries. Clear means the 95 % interval of the
    correlation leaves out zero.
    """
    nxt = weeks.reindex(weeks.index + pd.Timedelta(days=7))
    usable = (
        weeks["complete"].astype(bool).to_numpy()
        & (weeks["pain_entries"].to_numpy() >= ROLLING_MIN_ENTRIES)
        & (nxt["pain_entries"].fillna(0).to_numpy() >= ROLLING_MIN_ENTRIES)
    )
    x = weeks["days_done"].to_numpy(dtype="float64")[usable]
    y = (nxt["pain_mean"].to_numpy(dtype="float64") - weeks["pain_mean"].to_numpy(dtype="float64"))[usable]
    n = int(usable.sum())
    if n < ASSOCIATION_MIN_WEEKS:
        result = Association("too_few_weeks", n, None, None, None, None, "")
    elif np.ptp(x) == 0:
        result = Association("no_variation", n, None, None, None, None, "", days_every_week=int(x[0]))
    elif np.ptp(y) == 0:
        result = Association("no_pain_variation", n, None, None, None, None, "")
    else:
        r = float(np.corrcoef(x, y)[0, 1])
        slope = float(np.polyfit(x, y, 1)[0])
        ci = _fisher_interval(r, n)
        direction = "lower" if ci[1] < 0 else "higher" if ci[0] > 0 else "unclear"
        result = Association("ok", n, r, ci, slope, direction, "")
    return replace(result, sentence=association_sentence(result))


def association_sentence(a: Association, person: str = "you") -> str:
    """The result in one plain sentence, about "you" (the page) or e.g. "the patient" (the report).

    The result always covers the person's whole journal, whatever range the page or report shows, and the
    sentence says so."""
    you = person
    your = "your" if person == "you" else "their"
    journal = "your whole journal" if person == "you" else f"{person}'s whole journal"
    scope = "whatever range is shown" if person == "you" else "not only this report's period"
    n = a.weeks
    weeks = f"{n} week{'s' if n != 1 else ''}"
    over = f"Over all {weeks} that can be compared in {journal} ({scope})"
    if a.status == "too_few_weeks":
        return (
            f"Not enough weeks yet to look for a link: it needs at least {ASSOCIATION_MIN_WEEKS} weeks "
            f"with pain rated on 4 or more days in that week and the next, and {journal} so far has {n} "
            f"({scope})."
        )
    if a.status == "no_variation":
        return (
            f"{over}, {you} did the routine on {a.days_every_week} days every week, so there is "
            "nothing to compare: a link can only show when some weeks have more routine days than others."
        )
    if a.status == "no_pain_variation":
        return f"{over}, {your} pain changed by the same amount every week, so there is no link to measure."
    r = f"{a.r:+.2f}".replace("-0.00", "0.00").replace("+0.00", "0.00")
    number = f"(correlation {r} on a scale from -1 to +1)"
    if a.direction == "lower":
        return (
            f"{over}, weeks with more routine days were usually followed by a fall in pain the next "
            f"week {number}."
        )
    if a.direction == "higher":
        return (
            f"{over}, weeks with more routine days were usually followed by a rise in pain the next "
            f"week {number}." + (" If the routine seems to make your knee worse, talk to a physiotherapist."
                                 if person == "you" else "")
        )
    return (
        f"{over}, there is no clear link between how many days {you} did the routine and how "
        f"{your} pain changed the next week {number}."
    )


def _fisher_interval(r: float, n: int) -> tuple[float, float]:
    z = math.atanh(max(-0.999999, min(0.999999, r)))
    half = 1.959964 / math.sqrt(n - 3)
    return (math.tanh(z - half), math.tanh(z + half))


def _first_day(logged: pd.Series, sessions: pd.DataFrame, end: dt.date) -> dt.date | None:
    """The first day of the person's history up to ``end``: their first pain entry or session."""
    candidates = []
    if len(logged):
        candidates.append(logged.index.min())
    if not sessions.empty:
        days = pd.DatetimeIndex(sessions["session_date"]).normalize()
        days = days[days <= _as_day(end)]
        if len(days):
            candidates.append(days.min())
    return min(candidates).date() if candidates else None


def _history_association(pain: pd.Series, adherence: pd.DataFrame, first_day: dt.date | None) -> Association:
    """``association`` over the days from ``first_day`` on (``pain`` from daily_series and ``adherence``
    from daily_adherence, both running to the same last day)."""
    if first_day is None:
        return association(weekly_summary(pd.DataFrame()))
    start = _as_day(first_day)
    days = adherence.loc[adherence.index >= start].copy()
    days.insert(0, "pain", pain.loc[pain.index >= start].to_numpy())
    return association(weekly_summary(days))


def history_association(entries: pd.DataFrame, sessions: pd.DataFrame, today: dt.date) -> Association:
    """The association over the person's whole history: every week from their first entry or session to
    ``today``. Independent of any range shown, so the page (every range) and the report agree."""
    logged = pain_by_day(entries, end=today)
    first_day = _first_day(logged, sessions, today)
    if first_day is None:
        return _history_association(pd.Series(dtype="float64"), pd.DataFrame(), None)
    return _history_association(
        daily_series(logged, first_day, today), daily_adherence(entries, sessions, first_day, today), first_day
    )


# ---- ranges and the whole page -----------------------------------------------------------------------

RANGES: dict[str, tuple[str, int | None]] = {
    "4w": ("4 weeks", 28),
    "3m": ("3 months", 91),
    "1y": ("1 year", 365),
    "all": ("All", None),
}
DEFAULT_RANGE = "3m"
DAILY_POINTS_MAX = 400  # longer ranges are drawn per week
THIN_ENTRIES = 3  # fewer entries than this: too few to show anything
SHORT_DAYS = 28  # a journal younger than this: trends are early
NOTES_SHOWN = 5


def range_bounds(range_key: str, today: dt.date, first_day: dt.date | None) -> tuple[dt.date, dt.date]:
    """The first and last day shown for a range key ("4w", "3m", "1y" or "all"), never before
    ``first_day`` (the first entry or session)."""
    if range_key not in RANGES:
        raise ValueError(f"unknown range {range_key!r}; choose from {', '.join(RANGES)}")
    days = RANGES[range_key][1]
    if days is None:
        return (min(first_day, today) if first_day else today, today)
    start = today - dt.timedelta(days=days - 1)
    if first_day is not None and start < first_day <= today:
        start = first_day  # a younger journal: show what there is, not empty months before it
    return (start, today)


@dataclass(frozen=True)
class Trends:
    start: dt.date
    end: dt.date
    resolution: str  # "day" or "week" (long ranges are aggregated per week)
    state: str  # "empty" (no entries) | "thin" (fewer than 3) | "short" (under 28 days) | "full"
    entries_total: int
    entries_in_range: int
    first_entry: dt.date | None
    days: pd.DataFrame  # per day in range: pain, mean7, done, manual, completed, stopped, incomplete
    weeks: pd.DataFrame  # weekly_summary of the range
    baseline: Baseline | None
    current: WindowMean | None  # the 7-day mean ending on the last day
    change: Change | None
    recent: RecentAdherence
    streak: Streak
    association: Association
    alert: WorseningAlert | None
    stops: pd.DataFrame  # sessions stopped for pain in range: date, pain_during
    notes: list[tuple[dt.date, str]]  # most recent first
    since_baseline: SinceBaseline | None = None  # full weeks and routine days since the baseline ended


def compute_trends(
    entries: pd.DataFrame,
    sessions: pd.DataFrame,
    *,
    end: dt.date,
    start: dt.date | None = None,
    baseline_range: tuple[dt.date, dt.date] | None = None,
    today: dt.date | None = None,
) -> Trends:
    """Everything the Trends page and the clinician report show, for the days ``start`` to ``end``.

    ``start`` None means from the first entry or session. The baseline is found in the whole history up
    to ``end`` (or taken from ``baseline_range``); the current 7-day mean, the alert and the streak are as
    of ``end``. The association ignores ``start`` and ``end``: it always covers the whole history up to
    ``today`` (default ``end``; a report for an earlier period passes the real today).
    """
    logged = pain_by_day(entries, end=end)
    first_day = _first_day(logged, sessions, end)
    if start is None:
        start = first_day or end
    start = min(start, end)
    history_start = min(start, first_day) if first_day else start

    # One pass over the whole history (streaks and 7-day means need the days before the range).
    pain_all = daily_series(logged, history_start - dt.timedelta(days=ROLLING_DAYS - 1), end)
    mean_all = rolling_mean(pain_all)
    adherence_all = daily_adherence(entries, sessions, history_start, end)
    in_range = pain_all.index >= _as_day(start)
    days = adherence_all.loc[adherence_all.index >= _as_day(start)].copy()
    days.insert(0, "pain", pain_all[in_range].to_numpy())
    days.insert(1, "mean7", mean_all[in_range].to_numpy())
    weeks = weekly_summary(days)
    if today is None or today == end:
        assoc = _history_association(pain_all, adherence_all, first_day)  # the same days, already built
    else:
        assoc = history_association(entries, sessions, today)

    if baseline_range is not None:
        baseline = baseline_from_range(logged, *baseline_range)
    else:
        baseline = find_baseline(logged)

    if not sessions.empty:
        stopped = sessions.loc[sessions["status"] == SessionStatus.STOPPED, ["session_date", "pain_during"]]
        stopped = stopped.loc[
            (stopped["session_date"] >= _as_day(start)) & (stopped["session_date"] <= _as_day(end))
        ]
        stops = pd.DataFrame(
            {"date": pd.DatetimeIndex(stopped["session_date"]).normalize(),
             "pain_during": stopped["pain_during"].to_numpy()}
        )
    else:
        stops = pd.DataFrame({"date": pd.DatetimeIndex([]), "pain_during": pd.array([], dtype="Int64")})

    notes: list[tuple[dt.date, str]] = []
    if not entries.empty:
        dated = entries.loc[
            (entries["date"] >= _as_day(start)) & (entries["date"] <= _as_day(end)), ["date", "notes"]
        ]
        dated = dated.loc[dated["notes"].fillna("").str.strip() != ""]
        for date, text in dated.sort_values("date", ascending=False).head(NOTES_SHOWN).itertuples(index=False):
            notes.append((pd.Timestamp(date).date(), str(text).strip()))

    entries_in_range = int(days["pain"].count())
    total = int(len(logged))
    if total == 0:
        state = "empty"
    elif total < THIN_ENTRIES:
        state = "thin"
    elif (end - logged.index.min().date()).days + 1 < SHORT_DAYS:
        state = "short"
    else:
        state = "full"

    return Trends(
        start=start,
        end=end,
        resolution="day" if (end - start).days + 1 <= DAILY_POINTS_MAX else "week",
        state=state,
        entries_total=total,
        entries_in_range=entries_in_range,
        first_entry=logged.index.min().date() if total else None,
        days=days,
        weeks=weeks,
        baseline=baseline,
        current=mean_of_last_week(logged, end),
        change=change_vs_baseline(logged, end, baseline),
        recent=recent_adherence(adherence_all, end, since=first_day),
        streak=streak(adherence_all, end),
        association=assoc,
        alert=alert_from_pain(logged, end),
        stops=stops,
        notes=notes,
        since_baseline=routine_since_baseline(adherence_all, baseline, end),
    )


def trends_for_range(
    entries: pd.DataFrame,
    sessions: pd.DataFrame,
    range_key: str,
    today: dt.date,
    baseline_range: tuple[dt.date, dt.date] | None = None,
) -> Trends:
    """``compute_trends`` for one of the page's ranges ending today."""
    logged = pain_by_day(entries, end=today)
    first = logged.index.min().date() if len(logged) else None
    if not sessions.empty:
        first_session = pd.Timestamp(sessions["session_date"].min()).date()
        first = min(first, first_session) if first else first_session
    start, end = range_bounds(range_key, today, first)
    return compute_trends(entries, sessions, start=start, end=end, baseline_range=baseline_range)
