"""Store support for the Trends page: the data fingerprint its cache is keyed on."""

import datetime as dt

from hipknee.journal import Entry


def test_fingerprint_changes_with_every_kind_of_write(any_store):
    store = any_store
    seen = [store.data_fingerprint()]

    def changed() -> bool:
        now = store.data_fingerprint()
        fresh = now not in seen
        seen.append(now)
        return fresh

    day = dt.date(2025, 3, 3)
    store.add_entry(Entry(date=day, worst_pain=5))
    assert changed()
    store.save_entry(Entry(date=day, worst_pain=4))
    assert changed()
    store.save_entry(Entry(date=day, worst_pain=4, did_routine=True))
    assert changed()
    session = store.start_session(session_date=day, routine={}, steps_planned=4, seconds_planned=60)
    assert changed()
    store.update_session(session, status="stopped")
    assert changed()
    store.update_session(session, pain_during=7)
    assert changed()
    store.delete_entry(day)
    assert changed()
    assert store.data_fingerprint() == store.data_fingerprint()


def test_fingerprint_is_per_user(any_store):
    store = any_store
    other = store.for_user("someone-else")
    before = store.data_fingerprint()
    other.add_entry(Entry(date=dt.date(2025, 3, 3), worst_pain=5))
    assert store.data_fingerprint() == before
