"""Choosing an easier level for today's session in a real browser, on a phone (issue 14: "the person can
always choose easier; harder only as the plan allows")."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.harness import assert_no_app_errors, open_page, wait_ready

TODAY = dt.date.today()


@pytest.fixture
def store(screened_store):
    return screened_store


def test_choose_an_easier_level_before_start_on_a_phone(mobile_page, page_errors, app_server, store):
    page = mobile_page
    store.start_programme(TODAY, {"exercises": ["bridge"], "start_level": {"bridge": 2}})
    open_page(page, app_server, "routine")
    main = page.get_by_test_id("stMain")
    page.locator(".hk-player[data-ready]").wait_for()
    main.get_by_text("Make an exercise easier").click()
    # One step easier is picked already; only easier levels are offered.
    expect(main.get_by_role("combobox", name="Easier level")).to_have_value("Level 1: Glute bridge (2 sets of 10)")
    main.get_by_role("button", name="Use the easier level").click()
    expect(main.get_by_text("Today's session now has Glute bridge.")).to_be_visible()
    wait_ready(page)
    chosen = "You chose Glute bridge instead of Glute bridge with a 5-second hold"
    expect(main.get_by_text(chosen).first).to_be_visible()
    choices = [c for c in store.list_level_choices() if c.chosen_at >= store.programme_start().created_at]
    assert [(c.date, c.exercise_id, c.level) for c in choices] == [(TODAY, "bridge", 1)]
    # A slip is taken back with the keyboard: focus is on Undo straight after the choice.
    undo = main.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    expect(main.get_by_text("Taken back: today's session is as your plan gives it.")).to_be_visible()
    wait_ready(page)
    assert store.list_level_choices() == []
    expect(main.get_by_text(chosen)).to_have_count(0)
    assert_no_app_errors(page, page_errors)
