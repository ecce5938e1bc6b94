"""Sample data for exploring the app: a separate database that never mixes with the person's own."""

from __future__ import annotations

import datetime as dt

from hipknee import demo
from hipknee.paths import SAMPLE_DB_PATH
from hipknee.store import Store

SAMPLE_DAYS = 180
SAMPLE_SEED = 7


def sample_url() -> str:
    return f"sqlite:///{SAMPLE_DB_PATH}"


def ensure_fresh(store: Store, today: dt.date) -> None:
    """Refill the sample store when it is empty or its last entry is not recent (it ends 'today')."""
    entries = store.list_entries(start=today - dt.timedelta(days=7))
    if entries and store.count_entries() > 30:
        return
    store.delete_all_data()
    demo.fill(store, SAMPLE_DAYS, seed=SAMPLE_SEED, end=today)
