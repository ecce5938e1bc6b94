"""The 8-week programme in a real browser (issue 14): play today's session, answer the pain question, and
after two comfortable sessions see the exercise's next level.

The progression rule judges a day from the sessions logged *before* it and allows one step up a week, so
the test starts the plan four days ago (today is day 5, a strengthening day), logs the first comfortable
session on day 1 through the store, plays the second one in the browser, and then moves that session to
day 3 through the store (the page dates a played session today). The next-morning answers are written
through the store too: the Journal asks that question (another page). The player runs on Playwright's fake
clock, as in test_routine.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from hipknee.programme import load_programme
from hipknee.store import routine_sessions
from tests.browser.harness import assert_no_app_errors, open_page, wait_ready
from tests.browser.test_routine import run_until, wait_for

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=4)  # today is day 5 of week 1
ONLY = ["clamshell"]  # a prescription of one exercise keeps the session short (warm-up + clamshells)


@pytest.fixture
def store(screened_store):
    return screened_store


def test_play_todays_session_then_see_the_next_level_after_two_comfortable_sessions(
    page, page_errors, app_server, store
):
    programme = load_programme()
    assert 5 in programme.strength_days and 1 in programme.strength_days
    clamshell = programme.exercises["clamshell"]
    store.start_programme(START, {"exercises": ONLY})
    store.add_programme_session(session_date=START, status="completed", pain_during=1, next_morning="same",
                                levels={"clamshell": 1})

    page.clock.install()
    open_page(page, app_server, "routine")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Week 1 of 8").first).to_be_visible()
    page.locator(".hk-player[data-ready]").wait_for()
    before = len(store.list_programme_sessions())

    page.clock.pause_at(page.evaluate("Date.now()") + 1_000)
    page.get_by_role("button", name="Start", exact=True).click()
    run_until(page, lambda: len(store.list_programme_sessions()) > before, "the programme session to be created")
    played = store.list_programme_sessions()[-1]
    assert played.levels == {"clamshell": 1} and played.source == "player" and played.date == TODAY

    page.clock.fast_forward(15 * 60_000)  # past the end: the first timer back finishes the session
    page.clock.resume()
    page.get_by_text("Well done!").wait_for()
    expect(main.get_by_text("Routine complete").first).to_be_visible()
    wait_for(lambda: store.list_programme_sessions()[-1].status == "completed", "the session to be completed")
    wait_ready(page)

    # The pain question, asked for the session, is saved with the same record.
    expect(main.get_by_text("How much did your knee hurt during the session?")).to_be_visible()
    main.get_by_role("radio", name="1", exact=True).click()
    wait_ready(page)
    main.get_by_role("button", name="Save pain rating").click()
    expect(main.get_by_text("Journal asks how your knee was in the morning")).to_be_visible()
    played = store.list_programme_sessions()[-1]
    assert (played.status, played.pain_during, played.levels) == ("completed", 1, {"clamshell": 1})

    # It becomes day 3's session, and the knee was fine the next morning: two comfortable sessions in a row.
    with store.engine.begin() as conn:
        conn.execute(sa.update(routine_sessions).where(routine_sessions.c.id == played.session_id)
                     .values(session_date=START + dt.timedelta(days=2)))
    store.set_next_morning(played.id, "same")

    open_page(page, app_server, "routine")
    moved = f"{clamshell.level(1).name} moved up to {clamshell.level(2).name}"
    expect(main.get_by_text(moved).first).to_be_visible()
    page.locator(".hk-player[data-ready]").wait_for()
    tables = page.locator('[data-testid="stTable"] table')
    tables.first.wait_for(state="attached")
    today_table = next(t for t in tables.all_text_contents() if "Dose" in t)
    assert clamshell.level(2).name in today_table and f"2 of {clamshell.max_level}" in today_table
    assert "moved up" in today_table
    assert_no_app_errors(page, page_errors)
