"""Your data page (AppTest): download a full backup, restore it (asking first over existing data), and every
page looks as before afterwards (issue 11, part 3)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hipknee import backup, demo
from hipknee.journal import Entry
from hipknee.store import utcnow

PAGE = "pages/data.py"
TODAY = dt.date.today()


def filled(store) -> bytes:
    """A realistic journal (demo entries and sessions), an OK screening, today's daily check, and the 8-week
    plan started 10 days ago (day 11: a stretching day, so the Routine page's "Today's session" plays)."""
    demo.fill(store, 45, seed=3, end=TODAY)
    store.save_screening("ok", {"age": 35}, [], taken_at=utcnow() - dt.timedelta(days=3))
    store.save_daily_check(TODAY, {"fever": False}, "ok")
    store.start_programme(TODAY - dt.timedelta(days=10))
    store.add_programme_session(session_date=TODAY - dt.timedelta(days=10), status="completed", pain_during=1,
                                next_morning="same", levels={"clamshell": 1})
    return backup.make_backup(store)


def upload(at, data: bytes, name: str = "hipknee-backup.json"):
    at.file_uploader(key="restore_file").set_value((name, data, "application/json")).run()
    return at


def page_text(at) -> list:
    """What a person sees, as comparable values: texts, metrics and HTML blocks (the Trends cards), tables and
    charts."""
    seen: list = []

    def walk(node):
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", None)
            if kind in ("markdown", "caption", "title", "header", "subheader", "alert", "metric", "html",
                        "error", "warning", "info", "success"):
                seen.append((kind, str(getattr(child, "value", ""))))
            elif kind in ("dataframe", "arrow_data_frame"):
                seen.append((kind, child.value.to_json()))
            elif kind in ("checkbox", "toggle", "slider", "text_area", "date_input", "segmented_control"):
                seen.append((kind, f"{child.label}={child.value}"))  # today's entry and daily check
            elif kind in ("plotly_chart", "bidi_component"):
                seen.append((kind, str(child.proto)))
            walk(child)

    walk(at.main)
    return seen


def test_download_offers_a_full_backup_and_says_what_the_csv_lacks(app_test, store):
    at = app_test(PAGE)
    assert not at.exception
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert buttons["Download a full backup"].proto.disabled  # nothing to back up yet
    assert any("routine sessions, screenings" in c.value and "full backup" in c.value for c in at.caption)
    # What the CSV lacks and what the backup holds: the one list in hipknee.backup (the programme too).
    lacks = backup.holds(leave_out=("daily_entries",), last="or")
    assert "questionnaires" in lacks and any(f"not your {lacks}." in c.value for c in at.caption)
    assert any(f"Everything of yours in one file: {backup.holds()}." in m.value for m in at.markdown)
    store.save_screening("ok", {}, [])  # a screening alone is worth a backup
    at = app_test(PAGE)
    buttons = {b.proto.label: b for b in at.get("download_button")}
    assert not buttons["Download a full backup"].proto.disabled


def test_restore_brings_back_every_page_as_it_was(app_test, store):
    data = filled(store)
    pages = ("pages/routine.py", "pages/trends.py", "pages/journal.py")
    before = {page: page_text(app_test(page)) for page in pages}
    assert all(len(before[page]) >= 8 for page in pages)
    tables = [text for kind, text in before["pages/journal.py"] if kind == "html" and text.startswith("<table")]
    assert len(tables) == 2  # entries and sessions, as plain tables
    trends = before["pages/trends.py"]
    assert sum(kind == "plotly_chart" for kind, _ in trends) >= 1  # pain over time
    calendar = '<div class="hk-calendar"'  # the pain calendar
    assert any(kind == "html" and text.startswith(calendar) for kind, text in trends)
    routine = app_test("pages/routine.py")
    assert any(e.key == "routine_player" for e in routine.get("bidi_component")), "the routine is open"

    store.delete_all_data()
    gated = app_test("pages/routine.py")
    assert not any(e.key == "routine_player" for e in gated.get("bidi_component"))  # asks for the screener

    at = upload(app_test(PAGE), data)
    at.button(key="restore_button").click().run()
    assert not at.exception
    assert any("Backup restored" in s.value for s in at.success)
    assert content(backup.make_backup(store)) == content(data)
    for page in pages:
        after = app_test(page)
        assert not after.exception
        assert page_text(after) == before[page], page


def content(data: bytes) -> dict:
    doc = json.loads(data)
    doc.pop("exported_at")
    return doc


def test_restoring_over_data_asks_first(app_test, store):
    data = filled(store)
    store.delete_all_data()
    store.add_entry(Entry(TODAY, 9, notes="today only"))
    at = upload(app_test(PAGE), data)
    at.button(key="restore_button").click().run()
    assert not at.exception
    assert [e.notes for e in store.list_entries()] == ["today only"]  # nothing yet: a dialog asks
    at.button(key="cancel_restore").click().run()
    assert [e.notes for e in store.list_entries()] == ["today only"]

    at.button(key="restore_button").click().run()
    at.button(key="confirm_restore").click().run()
    assert not at.exception
    assert content(backup.make_backup(store)) == content(data)
    assert any("Backup restored" in s.value for s in at.success)


@pytest.mark.parametrize("bad,message", [
    (b"date,worst_pain,activity_pain,did_routine,notes\n2025-01-01,3,,0,\n", "CSV file"),
    (b'{"format": "hipknee-backup", "version": 9}', "newer hipknee"),
])
def test_a_bad_file_changes_nothing_and_says_why(app_test, store, bad, message):
    at = upload(app_test(PAGE), bad)
    at.button(key="restore_button").click().run()
    assert not at.exception
    assert any("Nothing was restored" in e.value and message in e.value.replace("\\", "") for e in at.error)
    assert not backup.has_data(store)


def test_a_long_value_in_a_bad_file_is_quoted_short(app_test, store):
    """The page's error box shows restore's message as it is: a long value in the file is cut there."""
    data = json.loads(filled(store))
    before = content(backup.make_backup(store))
    data["tables"]["programme_sessions"][0]["levels"] = {"Z" * 500: 0}
    at = upload(app_test(PAGE), json.dumps(data).encode())
    at.button(key="restore_button").click().run()
    assert not at.exception
    (shown,) = [e.value.replace("\\", "") for e in at.error]  # Markdown escapes gone
    assert "Nothing was restored" in shown and "programme_sessions row 1" in shown
    assert "Z" * 10 in shown and "Z" * 81 not in shown and len(shown) < 300
    assert content(backup.make_backup(store)) == before


def test_a_bad_file_over_existing_data_changes_nothing(app_test, store):
    data = json.loads(filled(store))
    before = content(backup.make_backup(store))
    data["tables"]["daily_entries"][0]["worst_pain"] = -1
    at = upload(app_test(PAGE), json.dumps(data).encode())
    at.button(key="restore_button").click().run()
    assert not at.exception
    assert any("worst" in e.value and "Nothing was restored" in e.value for e in at.error)
    assert not any(b.key == "confirm_restore" for b in at.button)  # refused at once: no "replace?" dialog
    assert content(backup.make_backup(store)) == before


def test_sample_mode_cannot_restore(app_test, store, tmp_path, monkeypatch):
    monkeypatch.setenv("HIPKNEE_SAMPLE_DATABASE_URL", f"sqlite:///{tmp_path / 'sample.db'}")
    at = app_test(PAGE, session_state={"sample_mode": True})
    assert not at.exception
    assert at.button(key="restore_button").disabled
    at = upload(at, filled(store))
    assert at.button(key="restore_button").disabled
