"""Realistic synthetic journal data, deterministic for a seed.

Pain starts moderate and drifts down in weeks with good adherence, with occasional bad weeks, missed
days and a few notes: enough to make every chart and statistic show something meaningful.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from hipknee.errors import ValidationError
from hipknee.journal import EARLIEST_DATE, Entry
from hipknee.statuses import SessionStatus
from hipknee.store import Store

NOTES = [
    "Stairs at work were fine today.",
    "Long drive, knee stiff afterwards.",
    "Slept badly.",
    "Walked the dog for 40 minutes, no problem.",
    "Squatting to garden hurt a bit.",
    "Felt strong during bridges.",
    "Rainy day, achy.",
    "Sat through a long film, knee sore getting up.",
]


@dataclass(frozen=True)
class DemoSession:
    date: dt.date
    status: SessionStatus  # completed or stopped
    pain_during: int


@dataclass(frozen=True)
class DemoData:
    entries: list[Entry]
    sessions: list[DemoSession]


def max_days(end: dt.date) -> int:
    """The most days of demo data ending on ``end``: the journal takes no date before EARLIEST_DATE."""
    return (end - EARLIEST_DATE).days + 1


def generate(days: int, seed: int = 1, end: dt.date | None = None) -> DemoData:
    """``days`` days of made-up data ending on ``end`` (default today); ValidationError (field "days")
    unless 1 <= days <= max_days(end), so that every entry is one the journal and import accept."""
    end = end or dt.date.today()
    if not 1 <= days <= max_days(end):
        raise ValidationError(
            f"days must be from 1 to {max_days(end)} (demo data ends on {end.isoformat()} and cannot start "
            f"before {EARLIEST_DATE.isoformat()}), not {days}",
            "days",
        )
    rng = random.Random(seed)
    start = end - dt.timedelta(days=days - 1)
    level = rng.uniform(5.5, 7.0)  # underlying pain level
    entries: list[Entry] = []
    sessions: list[DemoSession] = []
    week_motivation = 0.7
    bad_week = False
    for offset in range(days):
        date = start + dt.timedelta(days=offset)
        if date.weekday() == 0 or offset == 0:
            week_motivation = rng.choice([0.3, 0.55, 0.75, 0.85, 0.95])
            bad_week = rng.random() < 0.12
        did = rng.random() < week_motivation
        # Good adherence nudges pain down; a floor keeps it realistic; bad weeks push it up.
        level += -0.05 if did else 0.03
        level += 0.1 if bad_week else 0.0
        level += rng.gauss(0, 0.1)
        level = min(8.0, max(1.5, level))
        if rng.random() < 0.12:  # a missed day of logging
            continue
        worst = int(round(min(10, max(0, level + rng.gauss(0, 0.8)))))
        activity = int(round(min(10, max(0, worst - rng.uniform(0, 2))))) if rng.random() < 0.7 else None
        stopped = did and worst >= 7 and rng.random() < 0.15
        note = rng.choice(NOTES) if rng.random() < 0.15 else ""
        if stopped:
            note = "Stopped the routine: sharp pain in the kneeling stretch."
        used_player = did and rng.random() < 0.6
        entries.append(
            Entry(
                date=date,
                worst_pain=worst,
                activity_pain=activity,
                did_routine=did and not stopped and not used_player,
                notes=note,
            )
        )
        if used_player or stopped:
            sessions.append(
                DemoSession(
                    date=date,
                    status=SessionStatus.STOPPED if stopped else SessionStatus.COMPLETED,
                    pain_during=min(10, worst + (2 if stopped else 0)),
                )
            )
    return DemoData(entries, sessions)


def fill(store: Store, days: int, seed: int = 1, end: dt.date | None = None) -> DemoData:
    """Write demo data into ``store``: entries and sessions in one transaction, all or nothing.

    Sessions go in as one batched INSERT: ten years are ~1,300 sessions, which took a transaction each before.
    """
    data = generate(days, seed, end)
    with store.transaction() as tx:
        tx.import_entries(data.entries, on_conflict="replace")
        tx.add_manual_sessions(
            {
                "session_date": s.date,
                "status": s.status,
                "pain_during": s.pain_during,
                "routine": {"preset": "article", "demo": True},
            }
            for s in data.sessions
        )
    return data
