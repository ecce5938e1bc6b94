"""Trends statistics on built series whose answers are known."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from hipknee import analysis as an

D0 = dt.date(2024, 1, 1)  # a Monday


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def frame(pains: dict[int, int | None] | list[int | None], did: dict[int, bool] | None = None,
          notes: dict[int, str] | None = None) -> pd.DataFrame:
    """An entries frame shaped like Store.entries_frame(): day offset -> worst pain (None = not logged)."""
    if isinstance(pains, list):
        pains = dict(enumerate(pains))
    rows = [(day(k), v) for k, v in sorted(pains.items()) if v is not None]
    did = did or {}
    notes = notes or {}
    return pd.DataFrame(
        {
            "date": pd.to_datetime([d for d, _ in rows]).astype("datetime64[ns]"),
            "worst_pain": pd.array([v for _, v in rows], dtype="Int64"),
            "activity_pain": pd.array([None] * len(rows), dtype="Int64"),
            "did_routine": pd.array([did.get((d - D0).days, False) for d, _ in rows], dtype=bool),
            "notes": pd.array([notes.get((d - D0).days, "") for d, _ in rows], dtype=object),
        }
    )


# ---- worsening alert ---------------------------------------------------------------------------------


def test_no_entries_no_alert():
    assert an.worsening_alert(frame([]), day(0)) is None


def test_steady_pain_no_alert():
    assert an.worsening_alert(frame([4] * 30), day(29)) is None


def test_mean_two_points_above_baseline_alerts():
    # Baseline days 0-6 at 3; last 7 days at 5 -> exactly +2.
    entries = frame([3] * 7 + [3] * 7 + [5] * 7)
    alert = an.worsening_alert(entries, day(20))
    assert alert is not None and alert.reason == "mean_above_baseline"
    assert "5.0" in alert.message and "3.0" in alert.message
    assert "physiotherapist or doctor" in alert.message


def test_mean_just_under_two_points_above_baseline_no_alert():
    # Last 7 days: six 5s and one 4 -> mean 4.857, +1.857 above 3; no single run of 3 days at >= 5 ending
    # on the latest day (the 4 is last).
    entries = frame([3] * 7 + [3] * 7 + [5] * 6 + [4])
    assert an.worsening_alert(entries, day(20)) is None


def test_mean_of_nine_alerts_even_without_rise():
    # Baseline 8 (high from the start); last week 9 -> +1 only, but the mean is 9.
    entries = frame([8] * 7 + [9] * 7)
    alert = an.worsening_alert(entries, day(13))
    assert alert is not None and alert.reason == "mean_high"


def test_mean_just_under_nine_no_alert():
    entries = frame([8] * 7 + [9] * 6 + [8])  # last 7: mean 8.857, baseline 8; last day 8 breaks a run
    assert an.worsening_alert(entries, day(13)) is None


def test_mean_high_without_baseline():
    # Only 4 entries in 7 days at the very end: the baseline is those same days; the mean is 9.5.
    entries = frame({10: 9, 12: 10, 14: 9, 16: 10})
    alert = an.worsening_alert(entries, day(16))
    assert alert is not None and alert.reason == "mean_high"


def test_three_days_in_a_row_at_baseline_plus_two():
    # Baseline 3; then a quiet fortnight; the last three days at 5, 6, 5 (mean of last 7 below +2).
    entries = frame([3] * 7 + [3] * 11 + [5, 6, 5])
    alert = an.worsening_alert(entries, day(20))
    assert alert is not None and alert.reason == "last_ratings"
    assert "5, 6 and 5" in alert.message


def test_two_days_in_a_row_is_not_enough():
    entries = frame([3] * 7 + [3] * 12 + [5, 6])
    assert an.worsening_alert(entries, day(20)) is None


def test_last_three_ratings_with_gaps_still_count():
    # Three ratings in a row, not three calendar days (issue 13, point 4): days 18, 20 and 21.
    entries = frame({**{k: 3 for k in range(18)}, 18: 5, 20: 6, 21: 5})
    alert = an.worsening_alert(entries, day(21))
    assert alert is not None and alert.reason == "last_ratings" and "5, 6 and 5" in alert.message


@pytest.mark.parametrize("first, fires", [(11, True), (10, False)])
def test_last_three_ratings_must_fall_within_ten_days(first, fires):
    # Baseline 3 (days 0-6); then ratings of 6 on ``first``, 15 and 20; today is day 20. The last 7 days
    # (14-20) hold only 2 ratings, so only the last-three rule can fire: day 11 is within 10 days, 10 is not.
    entries = frame({**{k: 3 for k in range(7)}, first: 6, 15: 6, 20: 6})
    alert = an.worsening_alert(entries, day(20))
    assert (alert is not None and alert.reason == "last_ratings") is fires


def test_three_days_one_below_threshold():
    entries = frame([3] * 7 + [3] * 11 + [5, 4, 5])  # 4 < 3 + 2
    assert an.worsening_alert(entries, day(20)) is None


def test_run_ending_yesterday_still_alerts_when_today_not_logged():
    entries = frame([3] * 7 + [3] * 11 + [5, 5, 5])
    assert an.worsening_alert(entries, day(21)).reason == "last_ratings"


def test_run_is_cleared_by_a_lower_day_today():
    entries = frame([3] * 7 + [3] * 11 + [5, 5, 5, 3])
    assert an.worsening_alert(entries, day(21)) is None


def test_old_run_does_not_alert():
    # The three 5s on days 18-20: within the last 10 days up to day 27, not from day 28.
    entries = frame([3] * 7 + [3] * 11 + [5, 5, 5])
    assert an.worsening_alert(entries, day(27)).reason == "last_ratings"
    assert an.worsening_alert(entries, day(28)) is None


def test_entries_after_today_are_ignored():
    entries = frame([3] * 21 + [9] * 7)
    assert an.worsening_alert(entries, day(20)) is None
    assert an.worsening_alert(entries, day(27)) is not None


def test_sparse_logger_mean_of_three_ratings_in_seven_days_alerts():
    # Baseline 2; the last 7 days hold only three ratings, all 9: no 7-day mean (needs 4), but the mean of
    # the 3+ ratings in 7 days meets the 7-day rule (issue 13, point 4).
    entries = frame({**{k: 2 for k in range(14)}, 21: 9, 23: 9, 25: 9})
    alert = an.worsening_alert(entries, day(26))
    assert alert is not None and alert.reason == "mean_above_baseline" and "3 ratings" in alert.message


def test_sparse_logger_from_the_issue_gets_an_alert():
    # Baseline 3, then 10/10 logged Monday, Wednesday and Friday for three weeks (today: the last Sunday).
    pains = {k: 3 for k in range(7)}
    pains.update({7 * w + d: 10 for w in (1, 2, 3) for d in (0, 2, 4)})
    alert = an.worsening_alert(frame(pains), day(27))
    assert alert is not None and alert.reason == "mean_above_baseline"


@pytest.mark.parametrize("late, fires", [(5, True), (4, False)])
def test_sparse_mean_two_points_above_both_sides(late, fires):
    # Baseline 3 (days 0-6), then ratings only on days 22, 24 and 26 (today): the 3 ratings in the last
    # 7 days average ``late``: exactly +2 fires, +1 does not.
    base = {k: 3 for k in range(7)}
    alert = an.worsening_alert(frame({**base, 22: late, 24: late, 26: late}), day(26))
    assert (alert is not None and alert.reason == "mean_above_baseline") is fires
    assert an.worsening_alert(frame({**base, 24: 9, 26: 9}), day(26)) is None  # two ratings are too few


def test_alert_advice_is_the_routine_caution():
    alert = an.worsening_alert(frame([3] * 14 + [6] * 7), day(20))
    assert alert.message.endswith(an.words.ALERT_ADVICE)
    assert "gentlest versions" in alert.message and "within a week" in alert.message
    assert "Stop the routine" not in alert.message


# ---- daily series, 7-day mean and baseline ----------------------------------------------------------


def test_rolling_mean_needs_four_of_seven_days():
    # Days 0-3 logged (1, 2, 3, 4), then a gap of 5 days, then day 9 logged.
    logged = an.pain_by_day(frame({0: 1, 1: 2, 2: 3, 3: 4, 9: 8}))
    daily = an.daily_series(logged, day(0), day(10))
    mean = an.rolling_mean(daily)
    at = {k: mean[pd.Timestamp(day(k))] for k in range(11)}
    assert all(pd.isna(at[k]) for k in (0, 1, 2))  # fewer than 4 entries so far
    assert at[3] == pytest.approx(2.5)
    assert at[6] == pytest.approx(2.5)  # days 0-6: still the same four
    assert pd.isna(at[7])  # days 1-7: 2, 3, 4 -> three entries
    assert pd.isna(at[9]) and pd.isna(at[10])  # days 3-9: 4 and 8


def test_daily_series_keeps_gaps_as_missing_not_zero():
    logged = an.pain_by_day(frame({0: 5, 3: 7}))
    daily = an.daily_series(logged, day(0), day(3))
    assert list(daily.index.date) == [day(0), day(1), day(2), day(3)]
    assert daily.isna().tolist() == [False, True, True, False]


def test_baseline_is_first_seven_days_with_four_entries():
    # Days 0 and 2 logged (sparse start), then daily from day 10.
    logged = an.pain_by_day(frame({0: 9, 2: 9, **{k: 4 for k in range(10, 20)}, 12: 6}))
    base = an.find_baseline(logged)
    assert (base.start, base.end) == (day(10), day(16))
    assert base.entries == 7
    assert base.mean == pytest.approx((6 * 4 + 6) / 7)
    assert base.source == "auto"


def test_baseline_counts_entries_not_days():
    # Exactly four entries inside days 0-6 qualify; three do not.
    assert an.find_baseline(an.pain_by_day(frame({0: 5, 2: 5, 4: 5, 6: 5}))).entries == 4
    # Four entries, but no 7-day window holds more than three of them.
    assert an.find_baseline(an.pain_by_day(frame({0: 5, 2: 5, 4: 5, 7: 5}))) is None
    # The window starts on the second entry date (days 2-8) when the first does not qualify.
    base = an.find_baseline(an.pain_by_day(frame({0: 9, 2: 5, 4: 5, 7: 5, 8: 5})))
    assert (base.start, base.entries, base.mean) == (day(2), 4, 5.0)


def test_baseline_from_picked_range():
    logged = an.pain_by_day(frame({k: k % 5 for k in range(30)}))
    base = an.baseline_from_range(logged, day(5), day(14))
    assert base.source == "picked" and base.entries == 10
    assert base.mean == pytest.approx(sum(k % 5 for k in range(5, 15)) / 10)
    assert an.baseline_from_range(logged, day(40), day(50)) is None  # no entries there


def test_current_mean_with_gaps():
    logged = an.pain_by_day(frame({20: 2, 22: 4, 24: 6, 26: 8}))
    current = an.mean_of_last_week(logged, day(26))
    assert current.entries == 4 and current.mean == pytest.approx(5.0)
    assert an.mean_of_last_week(logged, day(27)) is None  # days 21-27: only three entries


# ---- verdicts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "baseline, current, key",
    [
        (3.0, 1.0, "much_better"),  # exactly 2.0 points down
        (3.0, 1.01, "better"),  # just under 2 points (1.99), over 1.16; baseline 3: no percent rule
        (3.0, 1.84, "better"),  # exactly 1.16 points down
        (3.0, 1.85, "no_clear_change"),  # 1.15 points down
        (5.0, 3.5, "much_better"),  # exactly 30 % (1.5 points) with baseline 5
        (5.0, 3.51, "better"),  # 29.8 %: falls back to 1.49 >= 1.16
        (6.0, 4.2, "much_better"),  # exactly 30 % of 6 = 1.8 points
        (6.0, 4.21, "better"),
        (4.0, 2.8, "much_better"),  # baseline 4: 30 % = 1.2 points counts
        (4.0, 2.81, "better"),  # 1.19 points: below 30 %, above 1.16
        (3.0, 2.1, "no_clear_change"),  # baseline 3: 30 % (0.9) does not count
        (3.9, 2.73, "better"),  # baseline under 4: 30 % (1.17) counts only as the 1.16 rule
        (5.0, 5.0, "no_clear_change"),  # flat
        (3.0, 5.0, "much_worse"),  # exactly 2.0 up
        (3.0, 4.99, "worse"),
        (3.0, 4.16, "worse"),  # exactly 1.16 up
        (3.0, 4.15, "no_clear_change"),
        (5.0, 6.5, "much_worse"),  # 30 % up with baseline 5
        (5.0, 6.49, "worse"),
        (3.0, 3.9, "no_clear_change"),  # 30 % up with baseline 3 does not count
        (4.0, 5.2, "much_worse"),  # 30 % up with baseline 4
    ],
)
def test_verdict_thresholds(baseline, current, key):
    verdict = an.classify_change(baseline, current)
    assert verdict.key == key
    assert verdict.borrowed == key.endswith("worse")


def test_verdict_names_the_rule():
    assert "Farrar" in an.classify_change(3.0, 1.0).rule
    assert "30%" in an.classify_change(5.0, 3.5).rule
    assert "Piva" in an.classify_change(3.0, 1.84).rule
    assert an.classify_change(5.0, 5.0).rule == ""


def test_flat_series_has_no_verdict_change():
    entries = frame([5] * 60)
    trends = an.compute_trends(entries, sessions_frame([]), end=day(59))
    assert trends.change.points == 0
    assert trends.change.verdict.key == "no_clear_change"
    assert not trends.change.overlaps_baseline


def test_change_from_built_series_exactly_two_points():
    entries = frame([6] * 7 + [5] * 20 + [4] * 7)  # baseline 6; last 7 days 4
    trends = an.compute_trends(entries, sessions_frame([]), end=day(33))
    assert trends.change.points == pytest.approx(-2.0)
    assert trends.change.percent == pytest.approx(-100 / 3)
    assert trends.change.verdict.key == "much_better"


def test_change_needs_a_current_mean():
    entries = frame({**{k: 5 for k in range(7)}, 30: 2, 32: 2, 33: 2})  # only 3 entries in the last 7 days
    assert an.compute_trends(entries, sessions_frame([]), end=day(33)).change is None


def test_change_with_zero_baseline_has_no_percent():
    entries = frame([0] * 7 + [2] * 7)
    change = an.compute_trends(entries, sessions_frame([]), end=day(13)).change
    assert change.percent is None and change.verdict.key == "much_worse"


# ---- adherence ---------------------------------------------------------------------------------------


def sessions_frame(rows: list[tuple[int, str]]) -> pd.DataFrame:
    """A sessions frame shaped like Store.sessions_frame(): (day offset, status)."""
    return pd.DataFrame(
        {
            "id": list(range(1, len(rows) + 1)),
            "session_date": pd.to_datetime([day(k) for k, _ in rows]).astype("datetime64[ns]"),
            "status": [s for _, s in rows],
            "pain_during": pd.array([3] * len(rows), dtype="Int64"),
        }
    )


def test_adherence_counts_completed_and_manual_not_stopped_or_unfinished():
    entries = frame([3] * 7, did={1: True})
    sessions = sessions_frame([(0, "completed"), (2, "stopped"), (3, "in_progress"), (4, "completed"),
                               (4, "stopped")])
    days = an.daily_adherence(entries, sessions, day(0), day(6))
    assert days["done"].tolist() == [True, True, False, False, True, False, False]
    assert days["manual"].tolist() == [False, True, False, False, False, False, False]
    assert days["stopped"].tolist() == [0, 0, 1, 0, 1, 0, 0]
    assert days["incomplete"].tolist() == [0, 0, 0, 1, 0, 0, 0]


def test_adherence_without_any_entries_uses_sessions():
    days = an.daily_adherence(frame([]), sessions_frame([(1, "completed")]), day(0), day(2))
    assert days["done"].tolist() == [False, True, False]


def test_weekly_adherence_against_goal():
    did = {k: True for k in [0, 1, 2, 3, 4, 7, 8, 9, 10]}  # week 1: 5 days; week 2: 4 days
    trends = an.compute_trends(frame([4] * 14, did=did), sessions_frame([]), end=day(13))
    weeks = trends.weeks
    assert weeks["days_done"].tolist() == [5, 4]
    assert weeks["goal_met"].tolist() == [True, False]
    assert weeks["complete"].tolist() == [True, True]


def test_partial_weeks_are_marked_incomplete():
    trends = an.compute_trends(frame([4] * 10), sessions_frame([]), start=day(2), end=day(9))
    assert trends.weeks["days_in_range"].tolist() == [5, 3]
    assert trends.weeks["complete"].tolist() == [False, False]


def test_recent_adherence_last_four_full_weeks():
    did = {k: True for k in range(28) if k % 7 < 5}  # 5 days in each of four calendar weeks
    did[28] = True  # Monday of week 5, the week in progress: not a full week, not counted
    days = an.daily_adherence(frame([2] * 29, did=did), sessions_frame([(26, "stopped")]), day(0), day(28))
    recent = an.recent_adherence(days, day(28))
    assert recent.days_done == 20 and recent.goal_days == 20 and recent.days == 28
    assert recent.weeks == 4 and recent.weeks_at_goal == 4
    assert recent.stopped == 1
    assert (recent.start, recent.end) == (day(0), day(27))


def test_recent_adherence_on_a_sunday_leaves_out_the_week_ending_today():
    did = {k: True for k in range(28) if k % 7 < 5}
    days = an.daily_adherence(frame([2] * 28, did=did), sessions_frame([]), day(0), day(27))
    recent = an.recent_adherence(days, day(27), since=day(0))  # a Sunday: week 4 is still in progress
    assert (recent.weeks, recent.weeks_at_goal, recent.days_done, recent.days) == (3, 3, 15, 21)
    assert an.streak(days, day(27)) == an.Streak(weeks=3, this_week_days=5, days=0)


def test_streak_counts_weeks_at_goal_and_ignores_week_in_progress():
    did = {k: True for k in range(21) if k % 7 < 5}  # three weeks at goal (Mon-Fri)
    did.update({21: True, 22: True})  # this week: 2 days so far
    days = an.daily_adherence(frame([3] * 23, did=did), sessions_frame([]), day(0), day(22))
    result = an.streak(days, day(22))
    assert result.weeks == 3 and result.this_week_days == 2 and result.days == 2


def test_streak_broken_by_a_short_week():
    did = {k: True for k in range(21) if k % 7 < 5}
    did.pop(8)  # week 2 has 4 days
    days = an.daily_adherence(frame([3] * 22, did=did), sessions_frame([]), day(0), day(21))
    assert an.streak(days, day(21)).weeks == 1  # only week 3; week 2 breaks it


def test_streak_does_not_count_the_week_in_progress_even_at_goal():
    did = {k: True for k in range(7, 12)}  # week 2: Monday to Friday
    days = an.daily_adherence(frame([3] * 13, did=did), sessions_frame([]), day(0), day(12))
    assert an.streak(days, day(12)) == an.Streak(weeks=0, this_week_days=5, days=5)
    days = an.daily_adherence(frame([3] * 15, did=did), sessions_frame([]), day(0), day(14))
    assert an.streak(days, day(14)).weeks == 1  # counted once the week has ended


def _card_weeks(did: dict[int, bool], today: int) -> an.Trends:
    return an.compute_trends(frame([4] * (today + 1), did=did), sessions_frame([]), end=day(today))


def test_routine_card_and_streak_use_the_same_weeks():
    # Monday to Friday in calendar weeks 1-5, and only Monday of week 6; today is Wednesday of week 6.
    did = {k: True for k in range(35) if k % 7 < 5}
    did[35] = True
    trends = _card_weeks(did, 37)
    # The old cards disagreed here: 7-day blocks ending today said "met in 3 of the last 4 weeks" (the
    # block Thursday-Wednesday held only 3 days) next to "5 weeks in a row at goal".
    assert (trends.recent.weeks, trends.recent.weeks_at_goal) == (4, 4)
    assert trends.recent.days_done == 20 and (trends.recent.start, trends.recent.end) == (day(7), day(34))
    assert trends.streak.weeks == 5 and trends.streak.this_week_days == 1
    # A week short of the goal breaks the streak and the count in the same place.
    did.pop(16)  # week 3 now has 4 days
    trends = _card_weeks(did, 37)
    assert trends.recent.weeks_at_goal == 3 and trends.streak.weeks == 2
    # In general: the last min(streak, 4) full weeks are exactly the ones at goal at the end of the count.
    for today in range(30, 45):
        t = _card_weeks(did, today)
        full = t.weeks[(t.weeks.index + pd.Timedelta(days=6) < pd.Timestamp(an.week_start(day(today))))]
        met = full["goal_met"].to_numpy()[-4:]
        assert t.recent.weeks_at_goal == int(met.sum()), today
        run = len(met) - (max((i for i, m in enumerate(met) if not m), default=-1) + 1)
        assert run == min(t.streak.weeks, 4), today


def test_day_streak_not_broken_by_today_not_done_yet():
    did = {k: True for k in range(3, 9)}  # days 3-8 done, day 9 (today) not yet
    days = an.daily_adherence(frame([3] * 10, did=did), sessions_frame([]), day(0), day(9))
    assert an.streak(days, day(9)).days == 6
    days = an.daily_adherence(frame([3] * 11, did=did), sessions_frame([]), day(0), day(10))
    assert an.streak(days, day(10)).days == 0


# ---- association -------------------------------------------------------------------------------------


def weekly_series(adherence: list[int], pain: list[float]) -> pd.DataFrame:
    """Whole weeks from D0 (a Monday): routine done on the first ``adherence[k]`` days of week k, and every
    day of week k at pain ``pain[k]`` (whole numbers)."""
    pains, did = {}, {}
    for k, (a, p) in enumerate(zip(adherence, pain, strict=True)):
        for d in range(7):
            pains[7 * k + d] = p
            did[7 * k + d] = d < a
    return frame(pains, did=did)


def run_association(entries: pd.DataFrame, weeks: int) -> an.Association:
    """The association on the Monday after the last of ``weeks`` weeks (so that week is over)."""
    return an.compute_trends(entries, sessions_frame([]), end=day(7 * weeks)).association


def busy_weeks_series(sign: int) -> list[int]:
    """Pain that moves by ``sign`` point the week after a quiet week (0-2 days) and the other way after a
    busy one (5+ days), and stays after 3-4 days."""
    pain = [5]
    for a in BUSY[:-1]:
        pain.append(pain[-1] + sign * (-1 if a >= 5 else 1 if a <= 2 else 0))
    return pain


BUSY = [6, 1, 7, 2, 5, 0, 6, 3, 7, 1, 4, 6]


def test_pain_falling_after_high_adherence_weeks_is_a_clear_negative_association():
    result = run_association(weekly_series(BUSY, busy_weeks_series(+1)), len(BUSY))
    assert result.status == "estimate" and result.weeks == 11
    assert result.slope == pytest.approx(-0.30, abs=0.01) and result.ci[1] < 0
    assert result.verdict == "lower"
    assert "0.30 points lower" in result.sentence and "11 pairs of weeks" in result.sentence
    assert "followed by less pain" in result.sentence
    assert "not proof" in result.caveat and "on its own" in result.caveat
    assert "bad days" in result.caveat and "flare-up" in result.caveat


def test_pain_rising_after_high_adherence_weeks_is_a_clear_positive_association():
    result = run_association(weekly_series(BUSY, busy_weeks_series(-1)), len(BUSY))
    assert result.verdict == "higher" and result.ci[0] > 0
    assert "points higher" in result.sentence and "followed by more pain" in result.sentence


def test_alternating_pain_that_follows_adherence_is_explained_by_this_weeks_pain():
    # Pain alternates 6, 5, 6, 5 and busy weeks are the 6s: next week's pain is fully explained by this
    # week's (11 minus it), so after adjusting there is nothing left for the routine: no verdict, and no
    # interval either (an exact fit has no scatter to build one from).
    adherence = [6, 1, 7, 2, 5, 0, 6, 3, 7, 1]
    result = run_association(weekly_series(adherence, [6, 5] * 5), len(adherence))
    assert result.status == "estimate" and result.verdict == "unclear" and result.slope == 0
    assert result.ci is None


def test_unrelated_adherence_and_pain_is_no_clear_link():
    adherence = [6, 6, 1, 1, 6, 6, 1, 1, 6, 6]
    pain = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6]  # next week's pain follows this week's, whatever the routine
    result = run_association(weekly_series(adherence, pain), len(adherence))
    assert result.status == "estimate" and result.verdict == "unclear" and result.slope == 0
    assert result.ci is None  # an exact fit (next week = 11 - this week)
    assert "Cannot tell yet" in result.sentence and "exactly regular pattern" in result.sentence
    assert "interval" not in result.sentence


def test_unrelated_adherence_and_noisy_pain_is_no_clear_link():
    adherence = [6, 6, 1, 1, 6, 6, 1, 1, 6, 6, 1, 1]
    pain = [5, 6, 4, 6, 5, 7, 5, 6, 4, 6, 5, 6]
    result = run_association(weekly_series(adherence, pain), len(adherence))
    assert result.status == "estimate" and result.verdict == "unclear"
    assert result.ci is not None and result.ci[0] < 0 < result.ci[1]
    assert "Cannot tell yet" in result.sentence and "interval includes zero" in result.sentence


def degenerate_journal() -> pd.DataFrame:
    """The audit's journal: 12 weeks, the routine on 6 and 1 days in turn, every day of a week rated 6 and 5
    in turn, except the first day, rated 7. Next week's pain then follows exactly from this week's routine
    days and pain (an exact fit), which used to give a zero-width interval and the verdict "lower"."""
    pains, did = {}, {}
    for k in range(12):
        for d in range(7):
            pains[7 * k + d] = 7 if (k, d) == (0, 0) else 6 if k % 2 == 0 else 5
            did[7 * k + d] = d < (6 if k % 2 == 0 else 1)
    return frame(pains, did=did)


def test_exact_fit_cannot_tell_and_gives_no_interval():
    trends = an.compute_trends(degenerate_journal(), sessions_frame([]), end=day(7 * 12))
    result = trends.association
    assert result.status == "estimate" and result.weeks == 11
    assert result.verdict == "unclear" and result.ci is None
    assert result.slope == pytest.approx(-0.2)
    assert result.sentence.startswith("Cannot tell yet") and "exactly regular pattern" in result.sentence
    assert "interval" not in result.sentence and "0.20" not in result.sentence
    out = an.conclusions(trends)["association"]
    assert out == {"status": "estimate", "weeks": 11, "slope": -0.2, "ci": None, "verdict": "unclear"}


@pytest.mark.parametrize("se", [0.0, 1e-12, float("nan"), float("inf")])
def test_a_fit_with_no_usable_standard_error_is_exact(se):
    import numpy as np

    y = np.array([5.0, 6.0, 5.0, 6.0])
    assert an.exact_fit(1.0, y, se)
    assert not an.exact_fit(1.0, y, 0.1)
    assert an.exact_fit(0.0, y, 0.1) and an.exact_fit(1e-20, y, 0.1)


def test_routine_days_exactly_in_step_with_pain_cannot_be_told_apart():
    # Routine on 6 days in every week rated 5 and on 1 day in every week rated 6 (the routine skipped in bad
    # weeks): routine days vary, but only in step with this week's pain, so nothing is left to compare.
    adherence = [6, 1, 6, 6, 1, 1, 6, 1, 1, 6, 6, 1]
    pain = [5 if a == 6 else 6 for a in adherence]
    trends = an.compute_trends(weekly_series(adherence, pain), sessions_frame([]), end=day(7 * len(adherence)))
    result = trends.association
    assert result.status == "no_variation" and result.in_step and result.weeks == 11
    assert result.slope is None and result.ci is None and result.verdict is None
    assert result.sentence.startswith("Cannot tell yet") and "exactly in step" in result.sentence
    assert "cannot be told apart" in result.sentence and "None" not in result.sentence
    out = an.conclusions(trends)["association"]
    assert out == {"status": "no_variation", "weeks": 11, "slope": None, "ci": None, "verdict": None}
    assert out["status"] in an.AssociationStatus.values()


def test_constant_adherence_is_not_enough_variation():
    result = run_association(weekly_series([5] * 9, [6, 5, 6, 4, 5, 3, 4, 3, 4]), 9)
    assert result.status == "no_variation" and result.slope is None and result.weeks == 8
    assert "5 days every week" in result.sentence and "Cannot tell yet" in result.sentence


def test_flat_pain_gives_no_verdict():
    result = run_association(weekly_series([6, 1, 7, 2, 5, 0, 6, 3, 7, 1], [5] * 10), 10)
    assert result.status == "estimate" and result.verdict == "unclear" and result.slope == 0
    assert result.ci is None  # no scatter at all: no interval


@pytest.mark.parametrize("step", [1, 2, 3])
def test_constant_fractional_weekly_change_is_not_a_link(step):
    # Each week one rating is ``step`` higher than the week before, so the weekly mean rises by exactly
    # step/7 every week (1/7 is not exact in binary floating point: the old ptp(y) == 0 check missed it
    # and computed a "link" from rounding noise).
    adherence = [6, 1, 7, 2, 5, 0, 6, 3, 7, 1, 4, 2]
    pains, did = {}, {}
    for k, a in enumerate(adherence):
        week = [2] * 7
        extra = step * k
        for d in range(7):
            week[d] += extra // 7 + (1 if d < extra % 7 else 0)
            pains[7 * k + d] = week[d]
            did[7 * k + d] = d < a
    result = run_association(frame(pains, did=did), len(adherence))
    assert result.status == "estimate" and result.weeks == 11
    # Next week's mean is this week's plus step/7 exactly: an exact fit, so no interval and no verdict.
    assert result.verdict == "unclear" and result.slope == 0 and result.ci is None


@pytest.mark.parametrize("weeks, status", [(8, "not_enough_weeks"), (9, "estimate")])
def test_eight_usable_week_pairs_are_needed(weeks, status):
    adherence = [6, 1, 7, 2, 5, 0, 6, 3, 7][:weeks]
    pain = [6, 5, 6, 4, 5, 3, 4, 3, 4][:weeks]
    result = run_association(weekly_series(adherence, pain), weeks)
    assert result.status == status and result.weeks == weeks - 1
    if status == "not_enough_weeks":
        assert result.slope is None and result.verdict is None
        assert "at least 8 pairs" in result.sentence and "has 7 so far" in result.sentence


def test_the_week_in_progress_never_enters():
    adherence = [6, 1, 7, 2, 5, 0, 6, 3, 7, 1]
    entries = weekly_series(adherence, [6, 5, 6, 4, 5, 3, 4, 3, 4, 5])
    # On the last Sunday (day 69) week 9 is complete but still in progress: 8 pairs, not 9.
    on_sunday = an.compute_trends(entries, sessions_frame([]), end=day(69)).association
    assert on_sunday.weeks == 8
    later = an.compute_trends(entries, sessions_frame([]), end=day(70)).association
    assert later.weeks == 9


def test_weeks_with_gaps_in_logging_are_not_used():
    adherence = [6, 1, 7, 2, 5, 0, 6, 3]
    entries = weekly_series(adherence, [6, 5, 6, 5, 4, 5, 4, 5])
    # Leave only 3 entries in week 3 (days 21-27): it cannot be used, nor can week 2 (its next week).
    entries = entries[~entries["date"].isin(pd.to_datetime([day(21), day(22), day(23), day(24)]))]
    result = an.compute_trends(entries, sessions_frame([]), end=day(7 * len(adherence))).association
    assert result.weeks == 5  # 7 pairs minus the two that touch week 3


def test_no_effect_journal_with_flares_and_skipping_gets_no_verdict():
    # /work/shared/cases/trends/flare_seed1.csv (copied to tests/data): 26 weeks, no effect, the routine
    # skipped on bad days; the old correlation called it "followed by a rise in pain".
    from pathlib import Path

    raw = pd.read_csv(Path(__file__).parent / "data" / "flare_seed1.csv")
    pains = {(dt.date.fromisoformat(d) - D0).days: int(p) for d, p in zip(raw["date"], raw["worst_pain"], strict=True)}
    did = {(dt.date.fromisoformat(d) - D0).days: bool(v) for d, v in zip(raw["date"], raw["did_routine"], strict=True)}
    result = an.compute_trends(frame(pains, did=did), sessions_frame([]), end=dt.date(2024, 7, 1)).association
    assert result.status == "estimate" and result.weeks == 25
    assert result.verdict == "unclear" and result.ci[0] < 0 < result.ci[1]
    assert "rise in pain" not in result.sentence and "more pain" not in result.sentence


def whole_history_journal() -> tuple[pd.DataFrame, pd.DataFrame, dt.date]:
    """20 weeks of weekly data starting on a Wednesday (day 2), sessions on some Sundays, and 3 days of the
    week in progress; today is that Wednesday (day 142)."""
    adherence = [6, 1, 7, 2, 5, 0, 6, 3, 7, 1, 4, 2, 6, 0, 5, 1, 7, 3, 2, 6]
    pain = [6, 5, 6, 4, 5, 4, 6, 3, 4, 2, 5, 4, 6, 4, 5, 3, 5, 6, 4, 5]
    entries = weekly_series(adherence, pain)
    entries = entries[entries["date"] >= pd.Timestamp(day(2))]  # the journal began mid-week
    entries = pd.concat([entries, frame({140: 4, 141: 5, 142: 4})], ignore_index=True)
    sessions = sessions_frame([(7 * k + 6, "completed") for k in range(1, 20, 3)] + [(50, "stopped")])
    return entries, sessions, day(142)


def test_association_uses_the_whole_history_whatever_the_range():
    entries, sessions, today = whole_history_journal()
    expected = an.history_association(entries, sessions, today)
    # Week 0 began mid-journal-week (incomplete) and week 19's next week holds only 3 ratings: 18 usable.
    assert expected.status == "estimate" and expected.weeks == 18
    assert "18 pairs of weeks" in expected.sentence and "whole journal" in expected.sentence
    shown_weeks = set()
    for key in an.RANGES:
        trends = an.trends_for_range(entries, sessions, key, today)
        assert trends.association == expected, key
        shown_weeks.add(an.association(trends.weeks).weeks)  # what a per-range analysis would have used
    assert len(shown_weeks) > 1  # the ranges really do differ, so the test can tell
    assert an.association(an.trends_for_range(entries, sessions, "4w", today).weeks).status == "not_enough_weeks"
    picked = an.trends_for_range(entries, sessions, "4w", today, baseline_range=(day(20), day(26)))
    assert picked.association == expected


@pytest.mark.parametrize(
    "start, end", [(None, 142), (30, 80), (100, 142), (None, 20), (0, 10), (141, 142)],
)
def test_report_periods_use_the_same_whole_history_association(start, end):
    entries, sessions, today = whole_history_journal()
    trends = an.compute_trends(entries, sessions, start=None if start is None else day(start), end=day(end),
                               today=today)
    assert trends.association == an.history_association(entries, sessions, today)


def test_whole_history_association_ignores_days_after_today():
    entries, sessions, today = whole_history_journal()
    later = pd.concat([entries, frame({k: 9 for k in range(143, 200)}, did={k: True for k in range(143, 200)})],
                      ignore_index=True)
    assert an.history_association(later, sessions, today) == an.history_association(entries, sessions, today)
    assert an.history_association(frame([]), sessions_frame([]), today).status == "not_enough_weeks"


# ---- ranges, states and the whole summary ------------------------------------------------------------


def test_range_bounds():
    today = dt.date(2025, 6, 30)
    assert an.range_bounds("4w", today, None) == (dt.date(2025, 6, 3), today)
    assert an.range_bounds("3m", today, None) == (today - dt.timedelta(days=90), today)
    assert an.range_bounds("1y", today, None) == (today - dt.timedelta(days=364), today)
    assert an.range_bounds("all", today, dt.date(2020, 1, 1)) == (dt.date(2020, 1, 1), today)
    with pytest.raises(ValueError):
        an.range_bounds("5y", today, None)


def test_range_starts_at_the_first_day_of_a_young_journal():
    today = dt.date(2025, 6, 30)
    first = dt.date(2025, 6, 20)
    for key in ("4w", "3m", "1y", "all"):
        assert an.range_bounds(key, today, first) == (first, today)
    assert an.range_bounds("4w", today, dt.date(2025, 1, 1)) == (dt.date(2025, 6, 3), today)


def test_recent_adherence_counts_only_days_since_the_journal_began():
    did = {k: True for k in range(10) if k != 3}  # 9 of 10 days done
    days = an.daily_adherence(frame([3] * 10, did=did), sessions_frame([]), day(0), day(9))
    recent = an.recent_adherence(days, day(9), since=day(0))
    assert (recent.days_done, recent.days, recent.goal_days) == (6, 7, 5)  # week 1 only (day 3 missed)
    assert (recent.weeks, recent.weeks_at_goal) == (1, 1)
    assert an.recent_adherence(days, day(5), since=day(0)) == an.RecentAdherence(0, 0, 0, 0, 0, 0)
    # A journal begun on a Wednesday: its first week is full from that day on; earlier days are not counted.
    late = an.recent_adherence(days, day(9), since=day(2))
    assert (late.days_done, late.days, late.start) == (4, 5, day(2))
    trends = an.compute_trends(frame([3] * 10, did=did), sessions_frame([]), end=day(9))
    assert trends.recent == recent


@pytest.mark.parametrize(
    "pains, state",
    [([], "empty"), ([4, 5], "thin"), ([4, 5, 6], "short"), ([4] * 27, "short"), ([4] * 28, "full")],
)
def test_data_states(pains, state):
    end = day(max(len(pains) - 1, 0))
    assert an.compute_trends(frame(pains), sessions_frame([]), end=end).state == state


def test_long_ranges_are_drawn_per_week():
    entries = frame([4] * 500)
    assert an.trends_for_range(entries, sessions_frame([]), "1y", day(499)).resolution == "day"
    assert an.trends_for_range(entries, sessions_frame([]), "all", day(499)).resolution == "week"


def test_range_filters_days_but_keeps_the_first_baseline():
    entries = frame([7] * 7 + [5] * 100)
    trends = an.trends_for_range(entries, sessions_frame([]), "4w", day(106))
    assert trends.start == day(79) and len(trends.days) == 28
    assert trends.baseline.start == day(0) and trends.baseline.mean == 7
    assert trends.days["mean7"].notna().all()  # the first days of the range use the days before it


def test_stops_and_notes_in_range():
    entries = frame([4] * 30, notes={2: "old note", 25: "stairs fine", 28: "  ", 29: "sore"})
    sessions = sessions_frame([(1, "stopped"), (20, "stopped"), (21, "completed")])
    trends = an.compute_trends(entries, sessions, start=day(10), end=day(29))
    assert [d.date() for d in trends.stops["date"]] == [day(20)]
    assert trends.notes == [(day(29), "sore"), (day(25), "stairs fine")]


def test_alert_uses_the_picked_baseline_like_the_cards():
    # The issue's case: 2 x7 days, 8 x7, 5 x7, with the 8s week picked as the starting level: "Much better
    # (-3.0)" and no alert, never an alert that pain is 3 points above the start on the same page.
    entries = frame([2] * 7 + [8] * 7 + [5] * 7)
    picked = an.compute_trends(entries, sessions_frame([]), end=day(20), baseline_range=(day(7), day(13)))
    assert picked.baseline.mean == 8 and picked.change.verdict.key == "much_better"
    assert picked.change.points == pytest.approx(-3.0)
    assert picked.alert is None
    assert an.worsening_alert(entries, day(20), baseline_range=(day(7), day(13))) is None
    auto = an.compute_trends(entries, sessions_frame([]), end=day(20))
    assert auto.baseline.mean == 2 and auto.change.verdict.key == "much_worse"
    assert auto.alert is not None and auto.alert.baseline == 2 and "starting level of 2.0" in auto.alert.message
    # A picked range with too few ratings falls back to the automatic start, for the alert too.
    assert an.worsening_alert(entries, day(20), baseline_range=(day(30), day(31))) == auto.alert


# ---- no improvement after weeks of routine ------------------------------------------------------------

ROUTINE_3_A_WEEK = {k: True for k in range(7, 49) if k % 7 < 3}  # Mon-Wed in weeks 2-7: 18 days


def _after_weeks(today: int, last_week: list[int] | None = None, did: dict[int, bool] | None = None):
    """Pain 5 every day (baseline = week 1, days 0-6); the 7 days ending ``today`` set by ``last_week``."""
    pains = [5] * (today + 1)
    if last_week is not None:
        pains[today - 6:] = last_week
    did = ROUTINE_3_A_WEEK if did is None else did
    return an.compute_trends(frame(pains, did=did), sessions_frame([]), end=day(today))


def test_prompt_after_six_full_weeks_of_routine_without_change():
    trends = _after_weeks(51)  # Wednesday of week 8: weeks 2-7 are the 6 full weeks since the baseline
    assert trends.since_baseline == an.SinceBaseline(weeks=6, days_done=18)
    assert trends.change.verdict.key == "no_clear_change"
    prompt = an.no_improvement_prompt(trends)
    assert prompt is not None
    assert "physiotherapist or doctor" in prompt and "6 weeks" in prompt and "3.0 days a week" in prompt
    assert "not clearly improved" in prompt and "stronger" in prompt


def test_no_prompt_with_only_five_full_weeks():
    trends = _after_weeks(48)  # Sunday of week 7: week 7 is still in progress
    assert trends.since_baseline.weeks == 5
    assert an.no_improvement_prompt(trends) is None


def test_no_prompt_when_the_routine_averaged_under_three_days():
    did = dict(ROUTINE_3_A_WEEK)
    did.pop(44)  # 17 days in 6 weeks
    trends = _after_weeks(51, did=did)
    assert trends.since_baseline == an.SinceBaseline(weeks=6, days_done=17)
    assert an.no_improvement_prompt(trends) is None
    # Routine days in the week in progress do not count towards the full weeks.
    did[49] = True
    assert an.no_improvement_prompt(_after_weeks(51, did=did)) is None


def test_no_prompt_when_pain_is_better():
    trends = _after_weeks(51, last_week=[4, 4, 4, 4, 4, 3, 3])  # 5 -> 3.71: 1.29 points down
    assert trends.change.verdict.key == "better"
    assert an.no_improvement_prompt(trends) is None
    trends = _after_weeks(51, last_week=[4, 4, 4, 4, 4, 4, 4])  # 1 point down: no clear change
    assert trends.change.verdict.key == "no_clear_change"
    assert an.no_improvement_prompt(trends) is not None


def test_prompt_when_pain_is_worse():
    trends = _after_weeks(51, last_week=[6, 6, 6, 6, 6, 7, 7])  # 1.29 points up
    assert trends.change.verdict.key == "worse"
    prompt = an.no_improvement_prompt(trends)
    assert prompt is not None and "higher than at the start" in prompt


def test_no_prompt_without_a_baseline_or_a_current_mean():
    entries = frame({k: 5 for k in range(0, 60, 3)}, did=ROUTINE_3_A_WEEK)  # 1 day in 3: never 4 in 7
    trends = an.compute_trends(entries, sessions_frame([]), end=day(59))
    assert trends.baseline is None and trends.since_baseline is None
    assert an.no_improvement_prompt(trends) is None
    sparse = frame({**{k: 5 for k in range(7)}, **{k: 5 for k in range(7, 52, 3)}}, did=ROUTINE_3_A_WEEK)
    trends = an.compute_trends(sparse, sessions_frame([]), end=day(51))
    assert trends.baseline is not None and trends.current is None and trends.change is None
    assert an.no_improvement_prompt(trends) is None


# ---- recent change (issue 13, point 2) -----------------------------------------------------------------


@pytest.mark.parametrize("before, last, key", [
    ([3] * 14, [5] * 14, "much_worse"),  # +2 exactly
    ([3] * 14, [4] * 12 + [5, 5], "no_clear_change"),  # 58 / 14 = 4.143: +1.143, just under 1.16
    ([3] * 14, [4] * 9 + [5] * 5, "worse"),  # 4.357: +1.357 (percent rule off: started under 4)
    ([4] * 14, [5] * 9 + [6] * 5, "much_worse"),  # +1.357 is 34 % of 4
    ([5] * 14, [4] * 14, "no_clear_change"),  # -1 < 1.16
    ([6] * 14, [4] * 14, "much_better"),
])
def test_recent_change_thresholds(before, last, key):
    trends = an.compute_trends(frame([3] * 7 + before + last), sessions_frame([]), end=day(34))
    assert trends.recent_change is not None and trends.recent_change.verdict.key == key


@pytest.mark.parametrize("missing, available", [(6, True), (7, False)])
def test_recent_change_needs_eight_ratings_in_each_fortnight(missing, available):
    pains: dict[int, int | None] = {k: 4 for k in range(35)}
    for k in range(21, 21 + missing):  # drop ratings from the last 14 days (21-34)
        pains[k] = None
    trends = an.compute_trends(frame(pains), sessions_frame([]), end=day(34))
    assert (trends.recent_change is not None) is available


def test_recent_rise_is_said_even_when_better_than_the_start():
    # Start 8; weeks later down to 2 for a fortnight, then 4.2 on average: better than the start, worse lately.
    pains = [8] * 7 + [5] * 7 + [2] * 14 + [4, 4, 5, 4, 4, 4, 5, 4, 4, 4, 5, 4, 4, 4]
    trends = an.compute_trends(frame(pains), sessions_frame([]), end=day(41))
    assert trends.change.verdict.key == "much_better"
    assert trends.recent_change.verdict.key == "much_worse"
    sentence = an.words.recent_sentence(trends.recent_change, trends.change)
    assert "gone up lately" in sentence and "still lower than at the start" in sentence


def test_conclusions_shape_and_rounding():
    entries = weekly_series(BUSY, busy_weeks_series(+1))
    trends = an.compute_trends(entries, sessions_frame([]), end=day(7 * len(BUSY)))
    out = an.conclusions(trends)
    assert set(out) == {"baseline", "current", "change", "recent", "alert", "association"}
    assert set(out["change"]) == {"points", "percent", "verdict"}
    assert set(out["association"]) == {"status", "weeks", "slope", "ci", "verdict"}
    assert out["association"]["status"] == "estimate" and out["association"]["verdict"] == "lower"
    assert out["association"]["slope"] == round(trends.association.slope, 2)
    assert out["association"]["ci"] == [round(v, 2) for v in trends.association.ci]
    assert out["baseline"]["mean"] == 5.0 and out["baseline"]["source"] == "auto"
