"""The shared UI toolkit: the page table and links (ui/pages.py), flash messages and the error wrapper
(ui/feedback.py), run in AppTest; and the CSV conflict message phrased per place."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from hipknee.csvio import HEADER, CsvConflictError, import_csv
from hipknee.errors import StorageError, ValidationError
from hipknee.journal import Entry
from tests.helpers import md_unescape
from ui.feedback import error_text

ROOT = Path(__file__).resolve().parent.parent


def run(script) -> AppTest:
    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    return at


def _links_script():
    from ui.pages import JOURNAL, SCREENER, link

    link(SCREENER, "Take the screening", ":material/checklist:")
    link(JOURNAL, "Keep your journal")


def test_links_point_at_the_table_pages_even_outside_the_navigation():
    at = run(_links_script)
    assert not at.exception
    assert [(el.proto.page, el.proto.label) for el in at.get("page_link")] == [
        ("screener", "Take the screening"), ("journal", "Keep your journal"),
    ]


def _wrong_link_script():
    from ui.pages import PageSpec, link

    link(PageSpec("screner.py", "Screener", ":material/checklist:"), "Typo")


def test_a_link_to_a_page_not_in_the_table_is_an_error_not_silence():
    at = run(_wrong_link_script)
    assert at.exception and "not in the page table" in at.exception[0].message
    assert not at.get("page_link")


def test_no_page_path_is_typed_by_hand():
    # Links take ui.pages constants (the table is hipknee.page_table), never "pages/x.py" typed by hand.
    files = [*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), *ROOT.glob("hipknee/*.py"), ROOT / "app.py"]
    assert len(files) > 30 and ROOT / "pages" / "trends.py" in files
    offenders = [
        f"{path.relative_to(ROOT)}: {m}"
        for path in files
        for m in re.findall(r"""["']pages/\w+\.py["']""", path.read_text())
    ]
    assert offenders == []


def _flash_script():
    import streamlit as st

    from ui.feedback import flash, show_flash

    shown = show_flash()
    st.write(f"shown: {shown.message if shown else None}")
    show_flash("side")
    if st.button("Save", key="save"):
        flash("Saved the entry.")
        flash("Side note.", "info", slot="side")
        st.rerun()


def test_flash_shows_once_after_the_rerun_in_its_own_slot():
    at = run(_flash_script)
    assert not at.success and "shown: None" in at.markdown[0].value
    at.button(key="save").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Saved the entry."]
    assert [i.value for i in at.info] == ["Side note."]
    assert "shown: Saved the entry." in at.markdown[0].value
    at.run()  # once only
    assert not at.success and not at.info


def _undo_script():
    import streamlit as st

    from ui.feedback import flash, show_flash

    show_flash(on_undo=lambda: st.session_state.update(undone=True))
    st.write(f"undone: {st.session_state.get('undone', False)}")
    if st.button("Delete", key="delete"):
        flash("Deleted the entry.", "undo")
        st.rerun()


def test_an_undo_flash_offers_undo_once():
    at = run(_undo_script)
    at.button(key="delete").click().run()
    undo = [b for b in at.button if b.label == "Undo"]
    assert len(undo) == 1 and any("Deleted the entry." in m.value for m in at.markdown)
    undo[0].click().run()
    assert any("undone: True" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.label == "Undo"]


def _reported_script():
    import streamlit as st

    from hipknee.errors import StorageError, ValidationError
    from ui.feedback import reported, show_flash

    show_flash("later")
    with reported("Not saved:") as bad:
        raise ValidationError("worst pain must be 0-10")
    with reported("Nothing was imported.", hints={ValidationError: "Fix the file."}) as hinted:
        raise ValidationError("line 3: bad date")
    with reported("Could not undo:", slot="later"):
        raise StorageError("database is locked")
    with reported() as good:
        pass
    st.write(f"ok: {bad.ok} {type(bad.error).__name__} {hinted.ok} {good.ok}")
    if st.button("Boom", key="boom"):
        with reported():
            raise RuntimeError("a bug, not a message")


def test_reported_turns_hipknee_errors_into_messages_and_lets_bugs_through():
    at = run(_reported_script)
    assert not at.exception
    assert [md_unescape(e.value) for e in at.error] == [  # the error's own text is shown as plain text
        "Not saved: worst pain must be 0-10", "Nothing was imported. line 3: bad date Fix the file.",
    ]
    assert "ok: False ValidationError False True" in at.markdown[0].value
    at.run()  # the slot's message waits for the next run
    assert "Could not undo: database is locked" in [md_unescape(e.value) for e in at.error]
    at.button(key="boom").click().run()
    assert at.exception and "a bug" in at.exception[0].message


def test_error_text_joins_prefix_message_and_the_matching_hint():
    exc = StorageError("disk full")
    assert error_text(exc, "Not saved:") == "Not saved: disk full"
    assert error_text(exc, "Nothing was deleted.") == "Nothing was deleted. disk full"
    assert error_text(exc, "") == "disk full"
    assert error_text(exc, "Not saved", {ValidationError: "x"}) == "Not saved: disk full"


def test_a_csv_date_clash_says_what_clashes_but_not_how_the_cli_goes_on(store):
    store.add_entry(Entry(dt.date(2026, 1, 2), 3))
    data = (",".join(HEADER) + "\n2026-01-01,3,,0,\n2026-01-02,4,,0,\n").encode()
    with pytest.raises(CsvConflictError) as info:
        import_csv(store, data, today=dt.date(2026, 2, 1))
    assert "already in the journal" in str(info.value) and "--on-conflict" not in str(info.value)
    hint = "choose what to do when a date is already in your journal"
    assert error_text(info.value, "Nothing was imported.", {CsvConflictError: hint}).endswith(hint)
    assert "--on-conflict" not in (ROOT / "pages" / "data.py").read_text()


def _load_or_stop_script():
    import streamlit as st

    from hipknee.content import ContentError
    from ui.feedback import load_or_stop

    def broken() -> dict:
        raise ContentError("data/x.toml: item 'a': field 'b' is missing [see](https://example.org)")

    load_or_stop(lambda: {"fine": 1}, "**Not loaded.**")
    st.write("first loaded")
    load_or_stop(broken, "**Not loaded.**")
    st.write("never shown")


def test_load_or_stop_shows_the_content_error_as_plain_text_and_stops():
    at = run(_load_or_stop_script)
    assert not at.exception
    assert [m.value for m in at.markdown] == ["first loaded"]  # the page stopped at the broken content
    (error,) = at.error
    assert error.value.startswith("**Not loaded.** ")
    assert "](" not in error.value  # the message is shown as text, never as a link
    assert md_unescape(error.value.removeprefix("**Not loaded.** ")).startswith("data/x.toml: item 'a'")


@pytest.mark.parametrize("page, loader, prefix", [
    ("pages/explainer.py", "hipknee.citations.load_explainer", "This page's text could not be loaded."),
    ("pages/exercises.py", "hipknee.exercises.load_exercises", "The exercise list could not be loaded."),
])
def test_a_broken_content_file_gives_its_page_one_clear_message(app_test, monkeypatch, page, loader, prefix):
    from hipknee.content import ContentError

    def broken():
        raise ContentError("data/broken.toml: field 'title' is missing")

    monkeypatch.setattr(loader, broken)
    at = app_test(page)
    assert not at.exception
    assert [e.value for e in at.error] == [f"**{prefix}** {error_text_tail()}"]


def error_text_tail() -> str:
    from hipknee.plaintext import md

    return md("data/broken.toml: field 'title' is missing")
