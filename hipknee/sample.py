"""Sample data for exploring the app: a separate database that never mixes with the person's own."""

from __future__ import annotations

import datetime as dt
import os

from hipknee import demo, paths
from hipknee.store import Store

SAMPLE_DAYS = 180
SAMPLE_SEED = 7
SAMPLE_URL_ENV = "HIPKNEE_SAMPLE_DATABASE_URL"


def sample_url() -> str:
    """``HIPKNEE_SAMPLE_DATABASE_URL``, else a SQLite file beside the default database."""
    return os.environ.get(SAMPLE_URL_ENV) or f"sqlite:///{paths.SAMPLE_DB_PATH}"


def ensure_fresh(store: Store, today: dt.date) -> None:
    """Refill the sample store when it is empty or its last entry is not recent (it ends 'today')."""
    entries = store.list_entries(start=today - dt.timedelta(days=7))
    if entries and store.count_entries() > 30:
        return
    store.delete_all_data()
    demo.fill(store, SAMPLE_DAYS, seed=SAMPLE_SEED, end=today)
