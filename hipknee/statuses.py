"""Every set of allowed status values, declared once.

Each is a ``StrEnum``: a member *is* its string (``Tier.STOP == "stop"``), so the values stored in the
database, written to TOML and compared in pages stay plain strings. Members are listed most serious first
where that order matters (``rank`` uses it). No Streamlit here.
"""

from __future__ import annotations

from enum import StrEnum


class _Ordered(StrEnum):
    @classmethod
    def values(cls) -> tuple[str, ...]:
        """The allowed strings, in declaration order."""
        return tuple(m.value for m in cls)

    @classmethod
    def rank(cls, value: str) -> int:
        """Position in declaration order (0 = the first, most serious); ValueError for unknown values."""
        return list(cls).index(cls(value))


class Tier(_Ordered):
    """The tier of an intake screening (``screenings.tier``), most serious first."""

    STOP = "stop"
    CAUTION = "caution"
    OK = "ok"


# The tiers a screener rule can give (a rule never says "ok").
RULE_TIERS = (Tier.STOP, Tier.CAUTION)


class DayStatus(_Ordered):
    """The outcome of the daily safety check (``daily_checks.status``), most serious first."""

    STOP = "stop"
    BLOCKED = "blocked"
    CAUTION = "caution"
    OK = "ok"


# The tiers a daily-check question can give.
QUESTION_TIERS = (DayStatus.STOP, DayStatus.BLOCKED, DayStatus.CAUTION)


class GateStatus(_Ordered):
    """May the routine start today (``hipknee.gate``); the order is the order the gate checks them."""

    STOP = "stop"
    DAY_STOP = "day_stop"
    DAY_BLOCKED = "day_blocked"
    NO_SCREENING = "no_screening"
    EXPIRED = "expired"
    NEEDS_CLEARANCE = "needs_clearance"
    DAY_CAUTION = "day_caution"
    OK = "ok"


# The gate statuses that let the routine start ("day_caution" with a warning).
ALLOWED_GATE_STATUSES = (GateStatus.OK, GateStatus.DAY_CAUTION)


class SessionStatus(_Ordered):
    """A routine session (``routine_sessions.status``) and the player's progress reports."""

    IN_PROGRESS = "in_progress"  # never finished counts as incomplete
    COMPLETED = "completed"
    STOPPED = "stopped"  # stopped for pain


# How a session can end: what a programme session logged by hand (``hipknee session add``) may say.
FINISHED_STATUSES = (SessionStatus.COMPLETED, SessionStatus.STOPPED)


class NextMorning(_Ordered):
    """The knee the morning after a programme session, compared with before it (``programme_sessions``)."""

    WORSE = "worse"
    SAME = "same"
    BETTER = "better"


class OnConflict(_Ordered):
    """What an import does with dates already in the journal."""

    FAIL = "fail"
    SKIP = "skip"
    REPLACE = "replace"


class Zone(_Ordered):
    """How a programme session went, by the pain-monitoring rule (``hipknee.progression``), worst first."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class Change(_Ordered):
    """How an exercise's level changed for the next session (``hipknee.progression``)."""

    DOWN = "down"
    SAME = "same"
    UP = "up"


class AssociationStatus(_Ordered):
    """Whether the Trends association could be estimated (``hipknee trends --json``: association.status)."""

    ESTIMATE = "estimate"
    NOT_ENOUGH_WEEKS = "not_enough_weeks"  # fewer than 8 usable week pairs
    # The routine days never varied on their own: the same number every week, or only exactly in step with
    # that week's pain (so, once that pain is taken into account, nothing is left to compare).
    NO_VARIATION = "no_variation"


class AssociationVerdict(_Ordered):
    """What next week's pain did after weeks with more routine days (association.verdict)."""

    LOWER = "lower"
    HIGHER = "higher"
    UNCLEAR = "unclear"  # the 95 % interval includes 0


class AlertReason(_Ordered):
    """Why the worsening alert fired (alert.reason)."""

    MEAN_ABOVE_BASELINE = "mean_above_baseline"
    MEAN_HIGH = "mean_high"
    LAST_RATINGS = "last_ratings"


class TrendsState(_Ordered):
    """How much of a journal the Trends page has to work with (``hipknee.analysis.Trends.state``)."""

    EMPTY = "empty"  # no pain ratings
    THIN = "thin"  # fewer than thresholds.THIN_ENTRIES ratings
    SHORT = "short"  # the first rating is under thresholds.SHORT_DAYS days old
    FULL = "full"


class ChangeVerdict(_Ordered):
    """How pain changed, by the published sizes (``Verdict.key``; ``hipknee trends --json``: change.verdict
    and recent.verdict), best first."""

    MUCH_BETTER = "much_better"
    BETTER = "better"
    NO_CLEAR_CHANGE = "no_clear_change"
    WORSE = "worse"
    MUCH_WORSE = "much_worse"


IMPROVED_VERDICTS = (ChangeVerdict.MUCH_BETTER, ChangeVerdict.BETTER)
WORSENED_VERDICTS = (ChangeVerdict.WORSE, ChangeVerdict.MUCH_WORSE)


class BaselineSource(_Ordered):
    """Where the starting level came from (``Baseline.source``; ``hipknee trends --json``: baseline.source)."""

    AUTO = "auto"  # the first 7 days with at least 4 ratings
    PICKED = "picked"  # a range the person chose
