"""Sample data for exploring the app: a separate database that never mixes with the person's own."""

from __future__ import annotations

import datetime as dt
import os

from hipknee import demo, paths, screening
from hipknee.store import Store

SAMPLE_DAYS = 180
SAMPLE_SEED = 7
SAMPLE_URL_ENV = "HIPKNEE_SAMPLE_DATABASE_URL"


def sample_url() -> str:
    """``HIPKNEE_SAMPLE_DATABASE_URL``, else a SQLite file beside the default database."""
    return os.environ.get(SAMPLE_URL_ENV) or f"sqlite:///{paths.SAMPLE_DB_PATH}"


def ensure_fresh(store: Store, today: dt.date) -> None:
    """Refill the sample store when it is empty or its last entry is not recent (it ends 'today').

    Several people may open sample data at the same moment: the refill runs in one transaction that holds
    the write lock (``Store.transaction``) and checks again inside it, so exactly one of them fills it and
    the others find it fresh, instead of each adding its own copy of the sessions.
    """
    if _is_fresh(store, today):  # the usual case: no write lock needed
        return
    with store.transaction() as tx:
        if _is_fresh(tx, today):  # someone else filled it while we waited for the lock
            return
        tx.delete_all_data()
        demo.fill(tx, SAMPLE_DAYS, seed=SAMPLE_SEED, end=today)
        # A recent "start gently" screening, so that every page (the Routine page included) can be explored.
        answers = sample_screening_answers()
        result = screening.assess(answers)
        tx.save_screening(result.tier, answers, result.reason_dicts(), source="sample")


def _is_fresh(store: Store, today: dt.date) -> bool:
    entries = store.list_entries(start=today - dt.timedelta(days=7))
    return bool(entries) and store.count_entries() > 30 and store.latest_screening() is not None


def sample_screening_answers() -> dict[str, object]:
    """Every required question answered "no", age 42: the "start gently" tier."""
    questions = screening.load_screener().questions.values()
    answers: dict[str, object] = {q.id: False for q in questions if q.type == "bool" and q.parent is None}
    answers["age"] = 42
    return answers
