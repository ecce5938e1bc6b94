"""Trends association by simulation: how often it gives a verdict with no effect, and with a real one.

Simulated journals (vectorised with numpy; a few hundred per scenario) run through the app's own analysis
(``hipknee.analysis.lagged_regression`` on complete Monday-Sunday weeks with 4+ ratings). Issue 13's targets:
  - no effect of the routine, flare weeks, the routine skipped on bad days (rating 7 or more, and less
    often in flare weeks): at most 10 % of 26- and of 52-week journals get a verdict;
  - a real effect of -0.3 points per routine day (next week's pain): at least 50 % of 52-week journals do.
Started from /work/shared/cases/trends/sim_reference.py ("null_flares_skip").
"""

from __future__ import annotations

import numpy as np

from hipknee import analysis as an
from hipknee.thresholds import WEEK_MIN_RATINGS

JOURNALS = 500
NULL_GOAL = 0.10
EFFECT_GOAL = 0.50
EFFECT = -0.3  # points of next week's pain per routine day this week
SKIP_AT = 7  # the person skips the routine on days rated this high or more
SEED = 20261130


def simulate(weeks: int, effect: float, journals: int, rng: np.random.Generator
             ) -> tuple[np.ndarray, np.ndarray]:
    """Routine days per week (journals x weeks) and weekly mean pain (NaN when fewer than 4 ratings).

    Weekly flares (AR(1), sd 1.2) around a level of 5; daily ratings = weekly level + N(0, 0.8), rounded
    and clipped to 0-10, each logged with probability 0.88. The chance of doing the routine each day falls
    in flare weeks (0.65 - 0.12 x flare, plus week-to-week noise) and is zero on days rated 7 or more. The
    routine lowers next week's level by ``-effect`` per routine day (relative to an average week)."""
    flare = np.zeros(journals)
    days_done = np.zeros((journals, weeks))
    mean = np.full((journals, weeks), np.nan)
    prev_days = np.full(journals, 3.5)
    for t in range(weeks):
        if t:
            flare = 0.3 * flare + rng.normal(0, 1.2, journals)
        level = 5 + flare + effect * (prev_days - 3.5)
        rating = np.clip(np.round(level[:, None] + rng.normal(0, 0.8, (journals, 7))), 0, 10)
        motivation = np.clip(0.65 - 0.12 * flare + rng.normal(0, 0.1, journals), 0.05, 0.95)
        done = (rng.random((journals, 7)) < motivation[:, None]) & (rating < SKIP_AT)
        logged = rng.random((journals, 7)) < 0.88
        count = logged.sum(1)
        total = np.where(logged, rating, 0).sum(1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean[:, t] = np.where(count >= WEEK_MIN_RATINGS, total / np.maximum(count, 1), np.nan)
        days_done[:, t] = done.sum(1)
        prev_days = days_done[:, t]
    return days_done, mean


def verdict_rate(weeks: int, effect: float, journals: int = JOURNALS, seed: int = SEED) -> float:
    """Share of simulated journals for which the app's analysis gives a verdict ("lower" or "higher")."""
    rng = np.random.default_rng((seed, weeks, int(round(effect * 100)) + 1000))
    x, y = simulate(weeks, effect, journals, rng)
    verdicts = 0
    for i in range(journals):
        ok = ~np.isnan(y[i, :-1]) & ~np.isnan(y[i, 1:])
        result = an.lagged_regression(x[i, :-1][ok], y[i, :-1][ok], y[i, 1:][ok])
        verdicts += result.verdict in ("lower", "higher")
    return verdicts / journals


def run() -> list[tuple[str, float, str, bool]]:
    rows = []
    for weeks in (26, 52):
        rate = verdict_rate(weeks, 0.0)
        rows.append((f"verdict rate, no effect, {weeks} weeks (goal <= {NULL_GOAL:.0%})", rate * 100, "%",
                     rate <= NULL_GOAL))
    rate = verdict_rate(52, EFFECT)
    rows.append((f"verdict rate, effect {EFFECT} per day, 52 weeks (goal >= {EFFECT_GOAL:.0%})", rate * 100, "%",
                 rate >= EFFECT_GOAL))
    return rows


if __name__ == "__main__":
    for what, value, unit, ok in run():
        print(f"{what:<60} {value:>6.1f} {unit} {'ok' if ok else 'GOAL MISSED'}")
