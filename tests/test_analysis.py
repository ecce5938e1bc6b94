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
            "day_status": pd.array([None] * len(rows), dtype=object),
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
    assert alert is not None and alert.reason == "days_in_a_row"
    assert "5, 6 and 5" in alert.message


def test_two_days_in_a_row_is_not_enough():
    entries = frame([3] * 7 + [3] * 12 + [5, 6])
    assert an.worsening_alert(entries, day(20)) is None


def test_three_days_with_a_gap_is_not_in_a_row():
    entries = frame({**{k: 3 for k in range(18)}, 18: 5, 20: 6, 21: 5})
    assert an.worsening_alert(entries, day(21)) is None


def test_three_days_one_below_threshold():
    entries = frame([3] * 7 + [3] * 11 + [5, 4, 5])  # 4 < 3 + 2
    assert an.worsening_alert(entries, day(20)) is None


def test_run_ending_yesterday_still_alerts_when_today_not_logged():
    entries = frame([3] * 7 + [3] * 11 + [5, 5, 5])
    assert an.worsening_alert(entries, day(21)).reason == "days_in_a_row"


def test_run_is_cleared_by_a_lower_day_today():
    entries = frame([3] * 7 + [3] * 11 + [5, 5, 5, 3])
    assert an.worsening_alert(entries, day(21)) is None


def test_old_run_does_not_alert():
    entries = frame([3] * 7 + [3] * 11 + [5, 5, 5])
    assert an.worsening_alert(entries, day(25)) is None


def test_entries_after_today_are_ignored():
    entries = frame([3] * 21 + [9] * 7)
    assert an.worsening_alert(entries, day(20)) is None
    assert an.worsening_alert(entries, day(27)) is not None


def test_current_mean_needs_four_of_seven_days():
    # Baseline 2; the last 7 days hold only three entries, all 9: no 7-day mean, so only the run rule
    # could fire, and the three are not consecutive.
    entries = frame({**{k: 2 for k in range(14)}, 21: 9, 23: 9, 25: 9})
    assert an.worsening_alert(entries, day(26)) is None
