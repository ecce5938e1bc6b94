"""Every number the Trends rules use, in one place: the page, the PDF report, the alerts, the routine gate
and the CLI build their sentences from these (issue 13, point 6). No Streamlit here.

Sources: Farrar JT et al., Pain 2001;94:149-158 (about 2 points or 30 % on a 0-10 scale is a change that
matters, from daily pain diaries); Piva SR et al., J Rehabil Med 2009;41:129-135 (1.16 points for
patellofemoral pain). The alert sizes reuse Farrar's 2 points upwards (borrowed: no study measured them for
getting worse). The association rules are the pre-specified analysis of issue 13.
"""

from __future__ import annotations

# 7-day means and the starting level
ROLLING_DAYS = 7
ROLLING_MIN_ENTRIES = 4
BASELINE_DAYS = 7
BASELINE_MIN_ENTRIES = 4

# Sizes of change that matter
MUCH_BETTER_POINTS = 2.0  # Farrar 2001
MUCH_BETTER_FRACTION = 0.30  # Farrar 2001, only when the starting level is 4 or more
PERCENT_RULE_MIN_BASELINE = 4.0
PFP_POINTS = 1.16  # Piva 2009, patellofemoral (kneecap) pain

# Recent change: the last 14 days against the 14 before, each with at least 8 ratings
RECENT_DAYS = 14
RECENT_MIN_ENTRIES = 8

# Worsening alert
ALERT_POINTS_ABOVE_BASELINE = 2.0
ALERT_HIGH_MEAN = 9.0
ALERT_RUN_RATINGS = 3  # the last three ratings ...
ALERT_RUN_WITHIN_DAYS = 10  # ... all within the last 10 days (today included)
ALERT_SPARSE_MIN_RATINGS = 3  # the 7-day rule on the mean of 3 or more ratings in the last 7 days
ALERT_SETTLE_DAYS = 7  # see a professional if the pain has not settled within a week

# Routine goal
GOAL_DAYS_PER_WEEK = 5

# How much journal the Trends page needs
THIN_ENTRIES = 3  # fewer ratings than this: too few to show anything
SHORT_DAYS = 28  # a journal younger than this: trends are early

# No-improvement prompt: suggest a professional review after this many full weeks since the starting level
# with the routine on at least this many days a week on average, and no clear change or worse
NO_IMPROVEMENT_MIN_WEEKS = 6
NO_IMPROVEMENT_MIN_DAYS_PER_WEEK = 3

# Association: lagged-outcome regression over complete Monday-Sunday weeks
WEEK_MIN_RATINGS = 4  # a week counts when it holds 4 or more ratings
ASSOCIATION_MIN_WEEKS = 8  # usable week pairs needed before a verdict
ASSOCIATION_CONFIDENCE = 0.95
# Newey-West lags for the autocorrelation-robust standard errors. Chosen by simulation (bench_trends_sim, 400-500
# journals per scenario): with statsmodels' small-sample correction and t inference, 1 lag gave false verdicts
# in about 5-10 % of 26- and 52-week no-effect journals with flares and pain-contingent skipping (2 lags 8-10 %,
# 3 lags 9-11 %, no correction 8-11 %) and found a -0.3 points/day effect in about 73-77 % of 52-week journals.
ASSOCIATION_HAC_LAGS = 1

# Means of whole numbers are compared with the thresholds with this tolerance, so that a change of exactly
# 2.0, 1.16 or 30 % meets the threshold despite binary floating point.
EPS = 1e-9
