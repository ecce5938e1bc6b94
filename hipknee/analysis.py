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
- Recent change (issue 13): the last 14 days against the 14 before, each with 8 or more ratings, judged
  by the same sizes.
- Association, one pre-specified analysis (issue 13): a lagged-outcome regression over complete Monday-Sunday
  weeks holding 4+ ratings: next week's mean pain on this week's routine days, adjusting for this week's mean
  pain, with Newey-West (HAC) standard errors, small-sample correction and t inference. A verdict only when
  the 95 % interval leaves out 0 and there are 8+ usable week pairs with varying adherence. Always over the
  person's whole history (first entry or session to today) and never the week in progress, so every view
  and the report show one result.
- Worsening alert (issue 13): the mean of the 3+ ratings in the last 7 days at least 2 points above the
  starting level (the same one the cards use), or at 9 or more; or the last three ratings, within 10 days,
  each at the starting level + 2 or more.
- Every number is in hipknee.thresholds; every sentence quoting one is in hipknee.trends_text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hipknee import trends_text as words
from hipknee.statuses import (
    WORSENED_VERDICTS,
    AlertReason,
    AssociationStatus,
    AssociationVerdict,
    BaselineSource,
    ChangeVerdict,
    SessionStatus,
    TrendsState,
)
from hipknee.thresholds import (  # noqa: F401 (re-exported: pages and report use an.NAME)
    ALERT_HIGH_MEAN,
    ALERT_POINTS_ABOVE_BASELINE,
    ALERT_RUN_RATINGS,
    ALERT_RUN_WITHIN_DAYS,
    ALERT_SPARSE_MIN_RATINGS,
    ASSOCIATION_CONFIDENCE,
    ASSOCIATION_HAC_LAGS,
    ASSOCIATION_MIN_WEEKS,
    BASELINE_DAYS,
    BASELINE_MIN_ENTRIES,
    EPS,
    GOAL_DAYS_PER_WEEK,
    MUCH_BETTER_FRACTION,
    MUCH_BETTER_POINTS,
    NO_IMPROVEMENT_MIN_DAYS_PER_WEEK,
    NO_IMPROVEMENT_MIN_WEEKS,
    PERCENT_RULE_MIN_BASELINE,
    PFP_POINTS,
    RECENT_DAYS,
    RECENT_MIN_ENTRIES,
    ROLLING_DAYS,
    ROLLING_MIN_ENTRIES,
    SHORT_DAYS,
    THIN_ENTRIES,
    WEEK_MIN_RATINGS,
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
    source: BaselineSource  # AUTO (first 7 days with at least 4 entries) or PICKED (a range the person chose)


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
        source=BaselineSource.AUTO,
    )


def baseline_from_range(logged: pd.Series, start: dt.date, end: dt.date) -> Baseline | None:
    """The mean of the entries from ``start`` to ``end`` (inclusive), or None with fewer than 4 entries."""
    if start > end:
        start, end = end, start
    window = logged[(logged.index >= _as_day(start)) & (logged.index <= _as_day(end))]
    if len(window) < BASELINE_MIN_ENTRIES:
        return None
    return Baseline(start, end, float(window.mean()), int(len(window)), BaselineSource.PICKED)


# ---- worsening alert ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorseningAlert:
    reason: AlertReason
    message: str  # what happened and what to do (trends_text.alert_message), the same on every page
    mean: float | None = None  # the mean of the ratings in the last 7 days that fired it
    ratings: int = 0  # how many ratings that mean holds, or the ratings in a row for "last_ratings"
    baseline: float | None = None  # the starting level it was compared with

    @property
    def title(self) -> str:
        """The title for this reason (trends_text.alert_title), the same on every page and in the report."""
        return words.alert_title(self.reason)


def worsening_alert(
    entries: pd.DataFrame, today: dt.date, baseline_range: tuple[dt.date, dt.date] | None = None
) -> WorseningAlert | None:
    """An alert when pain is clearly worse than at the start, else None.

    ``entries`` is ``Store.entries_frame()``; ``baseline_range`` a starting level the person picked (the
    automatic one otherwise, or when the picked dates hold too few ratings), so the alert always uses the
    same starting level as the cards, the chart and the report. Rules in ``alert_from_pain``.
    """
    logged = pain_by_day(entries, end=today)
    return alert_from_pain(logged, today, resolve_baseline(logged, baseline_range))


def resolve_baseline(logged: pd.Series, baseline_range: tuple[dt.date, dt.date] | None) -> Baseline | None:
    """The one starting level: the picked range when it holds enough ratings, else the automatic one."""
    if baseline_range is not None:
        picked = baseline_from_range(logged, *baseline_range)
        if picked is not None:
            return picked
    return find_baseline(logged)


def alert_from_pain(logged: pd.Series, today: dt.date, baseline: Baseline | None) -> WorseningAlert | None:
    """The worsening alert on a ``pain_by_day`` series (entries after ``today`` dropped).

    Fires, in this order of reasons, when
    1. the mean of the ratings in the last 7 days (today and the 6 before; at least 3 ratings, so sparse
       loggers count too) is at least 2 points above ``baseline`` ("mean_above_baseline"), or
    2. that mean is 9 or more ("mean_high"), or
    3. the last three ratings, all within the last 10 days, are each at least 2 points above ``baseline``
       ("last_ratings"; three ratings in a row, not three calendar days).
    Issue 13, point 4; sizes in hipknee.thresholds.
    """
    if logged.empty:
        return None
    end = _as_day(today)
    week = logged[(logged.index > end - pd.Timedelta(days=ROLLING_DAYS)) & (logged.index <= end)]
    if len(week) >= ALERT_SPARSE_MIN_RATINGS:
        mean = float(week.mean())
        n = int(len(week))
        if baseline is not None and mean - baseline.mean >= ALERT_POINTS_ABOVE_BASELINE - EPS:
            return WorseningAlert(
                AlertReason.MEAN_ABOVE_BASELINE,
                words.alert_message(AlertReason.MEAN_ABOVE_BASELINE, mean=mean, ratings=n, baseline=baseline.mean),
                mean,
                n,
                baseline.mean,
            )
        if mean >= ALERT_HIGH_MEAN - EPS:
            message = words.alert_message(AlertReason.MEAN_HIGH, mean=mean, ratings=n)
            return WorseningAlert(AlertReason.MEAN_HIGH, message, mean, n, baseline.mean if baseline else None)
    if baseline is not None and len(logged) >= ALERT_RUN_RATINGS:
        last = logged.iloc[-ALERT_RUN_RATINGS:]
        recent = last.index[0] > end - pd.Timedelta(days=ALERT_RUN_WITHIN_DAYS)
        limit = baseline.mean + ALERT_POINTS_ABOVE_BASELINE
        if recent and all(float(v) >= limit - EPS for v in last):
            values = [float(v) for v in last]
            return WorseningAlert(
                AlertReason.LAST_RATINGS,
                words.alert_message(AlertReason.LAST_RATINGS, values=values, baseline=baseline.mean),
                None,
                len(values),
                baseline.mean,
            )
    return None


# ---- change against baseline -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    key: ChangeVerdict
    label: str
    rule: str  # which published size was met, in words ("" for no clear change)
    borrowed: bool  # True for worsening: the sizes come from studies of improvement


VERDICT_LABELS = {
    ChangeVerdict.MUCH_BETTER: "Much better",
    ChangeVerdict.BETTER: "Better",
    ChangeVerdict.NO_CLEAR_CHANGE: "No clear change",
    ChangeVerdict.WORSE: "Worse",
    ChangeVerdict.MUCH_WORSE: "Much worse",
}
BORROWED_NOTE = words.BORROWED_NOTE


def classify_change(baseline: float, current: float) -> Verdict:
    """The verdict for a change from ``baseline`` to ``current`` (both 7-day means on the 0-10 scale)."""
    for size, much, plain in (
        (baseline - current, ChangeVerdict.MUCH_BETTER, ChangeVerdict.BETTER),
        (current - baseline, ChangeVerdict.MUCH_WORSE, ChangeVerdict.WORSE),
    ):
        if size <= 0:
            continue
        borrowed = plain == ChangeVerdict.WORSE
        fraction_met = baseline >= PERCENT_RULE_MIN_BASELINE - EPS and size >= MUCH_BETTER_FRACTION * baseline - EPS
        if size >= MUCH_BETTER_POINTS - EPS or fraction_met:
            rule = words.rule_met(size, baseline, much=True, by_points=size >= MUCH_BETTER_POINTS - EPS)
            return Verdict(much, VERDICT_LABELS[much], rule, borrowed)
        if size >= PFP_POINTS - EPS:
            return Verdict(
                plain,
                VERDICT_LABELS[plain],
                words.rule_met(size, baseline, much=False, by_points=True),
                borrowed,
            )
    unchanged = ChangeVerdict.NO_CLEAR_CHANGE
    return Verdict(unchanged, VERDICT_LABELS[unchanged], "", False)


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


@dataclass(frozen=True)
class RecentChange:
    before: WindowMean  # the 14 days before the last 14
    last: WindowMean  # the last 14 days (ending on the day shown)
    points: float  # last minus before: negative means less pain
    percent: float | None  # as a percentage of ``before``; None when ``before`` is 0
    verdict: Verdict  # the same published sizes as the change since the start


def _window(logged: pd.Series, end: pd.Timestamp, days: int, min_entries: int) -> WindowMean | None:
    start = end - pd.Timedelta(days=days - 1)
    window = logged[(logged.index >= start) & (logged.index <= end)]
    if len(window) < min_entries:
        return None
    return WindowMean(start.date(), end.date(), float(window.mean()), int(len(window)))


def recent_change(logged: pd.Series, as_of: dt.date) -> RecentChange | None:
    """The mean of the last 14 days (ending ``as_of``) against the 14 days before, each needing at least 8
    ratings, judged by the same sizes as the change since the start (issue 13, point 2). None otherwise."""
    end = _as_day(as_of)
    last = _window(logged, end, RECENT_DAYS, RECENT_MIN_ENTRIES)
    before = _window(logged, end - pd.Timedelta(days=RECENT_DAYS), RECENT_DAYS, RECENT_MIN_ENTRIES)
    if last is None or before is None:
        return None
    points = last.mean - before.mean
    return RecentChange(
        before=before,
        last=last,
        points=points,
        percent=100 * points / before.mean if before.mean > 0 else None,
        verdict=classify_change(before.mean, last.mean),
    )


# ---- adherence ---------------------------------------------------------------------------------------


def _day_offsets(dates: pd.Series | pd.DatetimeIndex, start: dt.date, n: int) -> np.ndarray:
    """Whole-day offsets of ``dates`` from ``start``, only those inside [0, n)."""
    values = pd.DatetimeIndex(dates).to_numpy().astype("datetime64[D]")
    offsets = (values - np.datetime64(start, "D")).astype("int64")
    return offsets[(offsets >= 0) & (offsets < n)]


def daily_adherence(entries: pd.DataFrame, sessions: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
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
        (SessionStatus.COMPLETED, "completed"),
        (SessionStatus.STOPPED, "stopped"),
        (SessionStatus.IN_PROGRESS, "incomplete"),
    ):
        if sessions.empty:
            counts[column] = np.zeros(n, dtype="int64")
        else:
            dates = sessions["session_date"][(sessions["status"] == status).to_numpy()]
            counts[column] = np.bincount(_day_offsets(dates, start, n), minlength=n).astype("int64")
    return pd.DataFrame({"done": manual | (counts["completed"] > 0), "manual": manual, **counts}, index=days)


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
    offsets = days.index.to_numpy().astype("datetime64[D]") - np.datetime64(first_week.date(), "D")
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
            "stopped": np.bincount(week, weights=days["stopped"].to_numpy(dtype="float64"), minlength=n).astype(
                "int64"
            ),
            "pain_mean": pain_mean,
            "pain_entries": entries.astype("int64"),
            "goal_met": days_done >= GOAL_DAYS_PER_WEEK,
            "complete": in_range == 7,
        },
        index=pd.date_range(first_week, periods=n, freq="7D", name="week"),
    )
    return out


def _weekly_done(
    adherence: pd.DataFrame, as_of: dt.date, since: dt.date | None = None
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
        offsets = (adherence.index.to_numpy().astype("datetime64[D]") - np.datetime64(first_week.date(), "D")).astype(
            "int64"
        )
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

NO_IMPROVEMENT_VERDICTS = (ChangeVerdict.NO_CLEAR_CHANGE, *WORSENED_VERDICTS)


@dataclass(frozen=True)
class SinceBaseline:
    weeks: int  # full calendar weeks (Monday to Sunday) that began after the baseline's last day and ended
    # before the week in progress
    days_done: int  # routine days in those weeks


def routine_since_baseline(adherence: pd.DataFrame, baseline: Baseline | None, as_of: dt.date) -> SinceBaseline | None:
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
    return words.no_improvement(
        since.weeks, since.days_done / since.weeks, change.verdict.key == ChangeVerdict.NO_CLEAR_CHANGE
    )


# ---- association -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Association:
    """The one pre-specified analysis of routine days and pain (issue 13, point 1)."""

    status: AssociationStatus
    weeks: int  # usable week pairs: a complete week with 4+ ratings followed by one with 4+ ratings
    slope: float | None  # next week's mean pain per extra routine day this week, in points (adjusted)
    ci: tuple[float, float] | None  # its 95 % interval (HAC standard errors, t distribution); None for an
    # exact fit (no scatter to build an interval from: "cannot tell yet", never a verdict)
    verdict: AssociationVerdict | None  # None unless status is "estimate"; "unclear" whenever ci is None
    days_every_week: int | None = None  # for "no_variation": the one value adherence took
    in_step: bool = False  # for "no_variation": routine days varied, but exactly in step with this week's pain
    sentence: str = ""  # trends_text.association_sentence(self), about "you"
    caveat: str = words.ASSOCIATION_CAVEAT


def _snap(value: float) -> float:
    """Rounding noise (|value| < 1e-9) is zero: an exactly constant weekly change must not look like a link."""
    return 0.0 if abs(value) < EPS else float(value)


def lagged_regression(x: np.ndarray, y0: np.ndarray, y1: np.ndarray) -> Association:
    """Next week's mean pain ``y1`` on this week's routine days ``x``, adjusting for this week's mean pain
    ``y0`` (one row per usable week pair, oldest first).

    Ordinary least squares (statsmodels) with Newey-West (HAC) standard errors, ``ASSOCIATION_HAC_LAGS``
    lags, statsmodels' small-sample correction and t-distribution inference. A verdict ("lower"/"higher")
    only when the 95 % interval of the routine-days slope leaves out 0 and there are at least
    ``ASSOCIATION_MIN_WEEKS`` pairs with adherence that varies; otherwise "unclear", or a status saying why
    there is no estimate ("not_enough_weeks"; "no_variation" also when routine days moved exactly in step
    with this week's pain). An exact fit (no residual scatter, or no usable standard error) has no interval
    (``ci`` None) and is always "unclear". Method: adjusting for the baseline as in Vickers & Altman, BMJ 2001;323:1123;
    the lagged outcome as in n-of-1 dynamic models (Vieira et al., Health Psychol Rev 2017).
    """
    import statsmodels.api as sm  # imported here: it takes a second, and most callers never need it

    x, y0, y1 = (np.asarray(v, dtype="float64") for v in (x, y0, y1))
    n = len(x)
    if n < ASSOCIATION_MIN_WEEKS:
        return Association(AssociationStatus.NOT_ENOUGH_WEEKS, n, None, None, None)
    if np.ptp(x) == 0:
        return Association(AssociationStatus.NO_VARIATION, n, None, None, None, days_every_week=int(x[0]))
    columns = [np.ones(n), x]
    if np.ptp(y0) > EPS:  # this week's pain constant: nothing to adjust for (and a singular model)
        columns.append(y0)
    design = np.column_stack(columns)
    if np.linalg.matrix_rank(design) < design.shape[1]:
        # Routine days moved exactly in step with this week's pain: once that pain is taken into account,
        # the routine days have no variation of their own left to compare.
        return Association(AssociationStatus.NO_VARIATION, n, None, None, None, in_step=True)
    fit = sm.OLS(y1, design).fit(
        cov_type="HAC", cov_kwds={"maxlags": ASSOCIATION_HAC_LAGS, "use_correction": True}, use_t=True
    )
    slope = _snap(fit.params[1])
    if exact_fit(fit.ssr, y1, fit.bse[1]):
        # No scatter around the fit, so nothing to build an interval from: never a verdict (and never a
        # zero-width interval that would look like certainty).
        return Association(AssociationStatus.ESTIMATE, n, slope, None, AssociationVerdict.UNCLEAR)
    lo, hi = (_snap(v) for v in fit.conf_int(alpha=1 - ASSOCIATION_CONFIDENCE)[1])
    verdict = (
        AssociationVerdict.LOWER if hi < 0 else AssociationVerdict.HIGHER if lo > 0 else AssociationVerdict.UNCLEAR
    )
    return Association(AssociationStatus.ESTIMATE, n, slope, (lo, hi), verdict)


def exact_fit(ssr: float, y: np.ndarray, se: float) -> bool:
    """True when a fit leaves (next to) no residual scatter, or its standard error is not a usable positive
    number: the interval and any verdict would come from rounding noise. ``ssr`` is the fit's residual sum
    of squares, ``y`` the outcome, ``se`` the slope's standard error."""
    total = float(np.sum((y - y.mean()) ** 2))
    return not np.isfinite(se) or se < EPS or not np.isfinite(ssr) or ssr <= EPS * max(total, 1.0)


def week_pairs(weeks: pd.DataFrame, today: dt.date | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(routine days in week t, mean pain in week t, mean pain in week t+1) for every usable pair.

    ``weeks`` is ``weekly_summary`` output. Both weeks must be complete Monday-Sunday weeks inside the
    history, each with at least 4 ratings, and neither may be the week holding ``today`` (the week in
    progress never enters)."""
    usable_week = weeks["complete"].astype(bool).to_numpy() & (weeks["pain_entries"].to_numpy() >= WEEK_MIN_RATINGS)
    if today is not None:
        usable_week &= weeks.index.to_numpy() < week_start(today).to_datetime64()
    nxt = np.append(usable_week[1:], False)
    ok = usable_week & nxt
    x = weeks["days_done"].to_numpy(dtype="float64")
    pain = weeks["pain_mean"].to_numpy(dtype="float64")
    return x[ok], pain[ok], np.append(pain[1:], np.nan)[ok]


def association(weeks: pd.DataFrame, today: dt.date | None = None) -> Association:
    """The association over ``weeks`` (``weekly_summary`` output), with its sentence."""
    result = lagged_regression(*week_pairs(weeks, today))
    return replace(result, sentence=words.association_sentence(result))


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
    return association(weekly_summary(days), today=days.index[-1].date())


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
    state: TrendsState  # EMPTY (no entries) | THIN (fewer than 3) | SHORT (under 28 days) | FULL
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
    recent_change: RecentChange | None = None  # the last 14 days against the 14 before


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
    to ``end``, or taken from ``baseline_range`` when those dates hold enough ratings (``resolve_baseline``,
    as the alert on every page does); the current 7-day mean, the alert and the streak are as
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

    baseline = resolve_baseline(logged, baseline_range)  # the same fallback as the alert on every page

    if not sessions.empty:
        stopped = sessions.loc[sessions["status"] == SessionStatus.STOPPED, ["session_date", "pain_during"]]
        stopped = stopped.loc[(stopped["session_date"] >= _as_day(start)) & (stopped["session_date"] <= _as_day(end))]
        stops = pd.DataFrame(
            {
                "date": pd.DatetimeIndex(stopped["session_date"]).normalize(),
                "pain_during": stopped["pain_during"].to_numpy(),
            }
        )
    else:
        stops = pd.DataFrame({"date": pd.DatetimeIndex([]), "pain_during": pd.array([], dtype="Int64")})

    notes: list[tuple[dt.date, str]] = []
    if not entries.empty:
        dated = entries.loc[(entries["date"] >= _as_day(start)) & (entries["date"] <= _as_day(end)), ["date", "notes"]]
        dated = dated.loc[dated["notes"].fillna("").str.strip() != ""]
        for date, text in dated.sort_values("date", ascending=False).head(NOTES_SHOWN).itertuples(index=False):
            notes.append((pd.Timestamp(date).date(), str(text).strip()))

    entries_in_range = int(days["pain"].count())
    total = int(len(logged))
    if total == 0:
        state = TrendsState.EMPTY
    elif total < THIN_ENTRIES:
        state = TrendsState.THIN
    elif (end - logged.index.min().date()).days + 1 < SHORT_DAYS:
        state = TrendsState.SHORT
    else:
        state = TrendsState.FULL

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
        alert=alert_from_pain(logged, end, baseline),  # the same starting level as the cards (point 3)
        stops=stops,
        notes=notes,
        since_baseline=routine_since_baseline(adherence_all, baseline, end),
        recent_change=recent_change(logged, end),
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


# ---- what the page concludes, as data (``hipknee trends --json``) -------------------------------------


def _r2(value: float | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _window_dict(w: WindowMean | None) -> dict[str, object] | None:
    if w is None:
        return None
    return {"start": w.start.isoformat(), "end": w.end.isoformat(), "mean": _r2(w.mean), "ratings": w.entries}


def conclusions(trends: Trends) -> dict[str, object]:
    """What the Trends page concludes for the whole journal, as plain JSON-ready data (issue 13, point 8).

    Shape: ``{"baseline", "current", "change": {"points", "percent", "verdict"}, "recent", "alert": None |
    {"reason", "message"}, "association": {"status", "weeks", "slope", "ci", "verdict"}}``; numbers rounded
    to 2 places; a value that cannot be computed yet is None (null)."""
    base, change, recent, a = trends.baseline, trends.change, trends.recent_change, trends.association
    return {
        "baseline": None
        if base is None
        else {
            "start": base.start.isoformat(),
            "end": base.end.isoformat(),
            "mean": _r2(base.mean),
            "ratings": base.entries,
            "source": base.source,
        },
        "current": _window_dict(trends.current),
        "change": {
            "points": _r2(change.points) if change else None,
            "percent": _r2(change.percent) if change else None,
            "verdict": change.verdict.key if change else None,
        },
        "recent": {
            "before": _window_dict(recent.before) if recent else None,
            "last": _window_dict(recent.last) if recent else None,
            "points": _r2(recent.points) if recent else None,
            "percent": _r2(recent.percent) if recent else None,
            "verdict": recent.verdict.key if recent else None,
        },
        "alert": None if trends.alert is None else {"reason": trends.alert.reason, "message": trends.alert.message},
        "association": {
            "status": a.status,
            "weeks": a.weeks,
            "slope": _r2(a.slope),
            "ci": None if a.ci is None else [_r2(a.ci[0]), _r2(a.ci[1])],
            "verdict": a.verdict,
        },
    }
