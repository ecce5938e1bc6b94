"""May the routine start today? The gate the Routine page follows (issue 4). No Streamlit here.

From the strictest down, the first that applies wins:

1. ``stop``: the latest screening is STOP. Blocked until a new screening, however old this one is.
2. ``day_stop``: a daily safety check (today's or an earlier day's) says urgent care, and no screening has
   been taken since that check. Like a STOP screening, only a new screening re-opens the routine.
3. ``day_blocked``: today's safety check says no routine today (for today only). Nothing else can open the
   routine today, so these come before asking for a screening.
4. ``no_screening``: no screening yet.
5. ``expired``: the latest screening is more than 30 days old (``valid_days`` in data/screener.toml).
6. ``needs_clearance``: the latest screening is CAUTION and the latest clearance does not cover every one of
   its reasons (a new reason needs a new clearance).
7. ``day_caution``: the trends' worsening alert fires (title and message from hipknee.trends_text: ease off
   to the gentlest versions, see a professional if it has not settled within a week; the same words as on
   Trends, Home and in the report), or today's check says take it easy. The routine may start, with the
   caution at the top.
8. ``ok``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hipknee.analysis import WorseningAlert, worsening_alert
from hipknee.daily_check import day_advice as advice_for_check
from hipknee.daily_check import load_daily_check
from hipknee.screening import Screener, load_screener, tailoring_from_answers
from hipknee.statuses import ALLOWED_GATE_STATUSES, DayStatus, GateStatus, Tier


@dataclass(frozen=True)
class RoutineGate:
    status: GateStatus
    allowed: bool  # may the routine start (ALLOWED_GATE_STATUSES: "ok" and "day_caution")
    title: str
    message: str
    advice: tuple[str, ...]
    tailoring: frozenset[str] = field(default_factory=frozenset)
    screening_id: int | None = None
    check_date: dt.date | None = None  # for "day_stop": the day of the safety check that closed the routine
    alert: WorseningAlert | None = None  # for "day_caution" from the trends' worsening alert


def screening_age_days(taken_at: dt.datetime, today: dt.date) -> int:
    """Whole days from the day a screening was taken (UTC date) to ``today`` (never negative)."""
    return max(0, (today - taken_at.date()).days)


def is_expired(taken_at: dt.datetime, today: dt.date, screener: Screener | None = None) -> bool:
    """True when the screening is older than ``valid_days`` (30): valid on day 30, expired on day 31."""
    screener = screener or load_screener()
    return screening_age_days(taken_at, today) > screener.valid_days


def expires_on(taken_at: dt.datetime, screener: Screener | None = None) -> dt.date:
    """The first day the screening no longer counts."""
    screener = screener or load_screener()
    return taken_at.date() + dt.timedelta(days=screener.valid_days + 1)


def caution_reason_ids(reasons: list[dict[str, Any]]) -> tuple[str, ...]:
    """The reasons of a screening that a clearance has to cover."""
    return tuple(r["id"] for r in reasons if r.get("tier", Tier.CAUTION) == Tier.CAUTION)


def is_cleared(reason_ids: tuple[str, ...], cleared_ids: list[str] | None) -> bool:
    return bool(reason_ids) and cleared_ids is not None and set(reason_ids) <= set(cleared_ids)


def _reason_lines(reasons: list[dict[str, Any]], tier: str | None = None) -> tuple[str, ...]:
    return tuple(f"{r['reason']} {r['advice']}" for r in reasons if tier is None or r.get("tier", tier) == tier)


def open_stop_check(store: Any, today: dt.date, latest: Any, screener: Screener) -> Any:
    """The newest daily check with status "stop", on or before ``today``, taken after the latest screening.

    Only a check newer than the latest screening can still count, so the search goes back to that
    screening's day (or ``valid_days`` without a screening, or with an older one: past that the routine
    needs a new screening anyway). ``None`` when there is none.
    """
    earliest = today - dt.timedelta(days=screener.valid_days)
    if latest is not None:
        earliest = max(earliest, latest.taken_at.date() - dt.timedelta(days=1))  # local vs UTC dates
    return store.newest_daily_check(
        DayStatus.STOP,
        up_to=today,
        since=earliest,
        checked_after=latest.taken_at if latest is not None else None,
    )


def _check_advice(check: Any) -> tuple[str, ...]:
    # On a day without the routine, a caution question's "easier version" advice is left out (issue 17).
    return advice_for_check(check.status, check.answers, load_daily_check())


def routine_gate(
    store: Any,
    today: dt.date,
    *,
    screener: Screener | None = None,
    baseline_range: tuple[dt.date, dt.date] | None = None,
    alert: Callable[[], WorseningAlert | None] | None = None,
) -> RoutineGate:
    """The gate for ``today`` (the person's local date) from what ``store`` holds.

    ``baseline_range`` is a starting level the person picked on the Trends page, so the alert here matches
    the one there. ``alert`` returns the worsening alert for ``today`` (with that starting level); by default
    ``worsening_alert`` over the whole journal. Pages pass one cached on the data's fingerprint, so a rerun
    does not reload every entry.
    """
    screener = screener or load_screener()
    texts = screener.gate
    latest = store.latest_screening()
    tailoring = tailoring_from_answers(latest.answers) if latest else frozenset()
    screening_id = latest.id if latest else None

    def gate(
        status: GateStatus,
        advice: tuple[str, ...] = (),
        message: str | None = None,
        check_date: dt.date | None = None,
        alert: WorseningAlert | None = None,
    ) -> RoutineGate:
        return RoutineGate(
            status=status,
            allowed=status in ALLOWED_GATE_STATUSES,
            title=alert.title if alert is not None else texts[status].title,
            message=message or texts[status].message,
            advice=advice,
            tailoring=tailoring,
            screening_id=screening_id,
            check_date=check_date,
            alert=alert,
        )

    if latest is not None and latest.tier == Tier.STOP:
        return gate(GateStatus.STOP, _reason_lines(latest.reasons, Tier.STOP) + (screener.tiers[Tier.STOP].advice,))

    stop_check = open_stop_check(store, today, latest, screener)
    if stop_check is not None:
        return gate(GateStatus.DAY_STOP, _check_advice(stop_check), check_date=stop_check.date)

    check = store.get_daily_check(today)
    day_advice: tuple[str, ...] = ()
    if check is not None and check.status in (DayStatus.BLOCKED, DayStatus.CAUTION):
        day_advice = _check_advice(check)
        if check.status == DayStatus.BLOCKED:
            return gate(GateStatus.DAY_BLOCKED, day_advice)

    if latest is None:
        return gate(GateStatus.NO_SCREENING)
    if is_expired(latest.taken_at, today, screener):
        return gate(GateStatus.EXPIRED)
    if latest.tier == Tier.CAUTION:
        needed = caution_reason_ids(latest.reasons)
        clearance = store.latest_clearance()
        if not is_cleared(needed, clearance.reason_ids if clearance else None):
            return gate(GateStatus.NEEDS_CLEARANCE, _reason_lines(latest.reasons, Tier.CAUTION))

    found = alert() if alert is not None else worsening_alert(store.entries_frame(), today, baseline_range)
    if found is not None:  # today's check advice, if any, goes below the caution
        return gate(GateStatus.DAY_CAUTION, day_advice, message=found.message, alert=found)
    if check is not None and check.status == DayStatus.CAUTION:
        # Said once (issue 17): the ticked questions' own advice is the message, not a list below a message
        # that says the same ("skip the routine or do an easier version").
        return gate(GateStatus.DAY_CAUTION, message=" ".join(day_advice) or None)
    return gate(GateStatus.OK)
