"""Exercise pictures in real Chromium at phone width: each one moves (SMIL animation between its start and end
position), and under ``prefers-reduced-motion: reduce`` each one is a still picture instead; no console errors."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hipknee.exercises import MOTION_SECONDS, load_exercises
from hipknee.store import Store
from tests.browser.harness import DESKTOP, MOBILE, PageErrors, assert_no_app_errors, new_page, open_page

PICTURE = "svg.hipknee-pose"
# For every picture: which copy is displayed, how many <animate>s it holds, and the drawn joint positions
# (polyline animatedPoints, what the browser actually draws) at two moments of the cycle.
STATE = """(svg, t) => {
  const shown = (sel) => { const g = svg.querySelector(sel); return !!g && getComputedStyle(g).display !== "none"; };
  const points = () => [...svg.querySelectorAll(".hk-pose-move polyline")].map(
    (p) => [...p.animatedPoints].map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join(" "));
  svg.pauseAnimations();
  svg.setCurrentTime(0);
  const atStart = points();
  svg.setCurrentTime(t);
  const later = points();
  svg.unpauseAnimations();
  return {
    label: svg.getAttribute("aria-label"),
    move: shown(".hk-pose-move"), still: shown(".hk-pose-still"),
    animations: svg.querySelectorAll(".hk-pose-move animate").length,
    stillAnimations: svg.querySelectorAll(".hk-pose-still animate").length,
    width: svg.getBoundingClientRect().width,
    changed: atStart.join("|") !== later.join("|"),
  };
}"""


@pytest.fixture(scope="module", autouse=True)
def warm_server(app_server, browser):
    """Open Home once: the very first request to a fresh server for a sub-page can race the navigation."""
    page = new_page(browser, DESKTOP, PageErrors())
    try:
        open_page(page, app_server, "")
    finally:
        page.context.close()


def _pictures(page, app_server, reduced_motion: str) -> list[dict]:
    page.emulate_media(reduced_motion=reduced_motion)
    open_page(page, app_server, "exercises")
    pictures = page.locator(f'[data-testid="stMain"] {PICTURE}')
    # The cards are Markdown with raw HTML, whose plugin the browser fetches when the first card arrives: on a
    # slow machine the pictures can be drawn just after the script is done.
    pictures.nth(len(load_exercises()) - 1).wait_for(state="attached", timeout=30_000)
    assert pictures.count() == len(load_exercises())
    # Halfway through the hold at the end position.
    return [pictures.nth(i).evaluate(STATE, MOTION_SECONDS * 0.45) for i in range(pictures.count())]


def test_every_exercise_picture_moves_at_phone_width(browser, app_server):
    errors = PageErrors()
    page = new_page(browser, MOBILE, errors)
    try:
        states = _pictures(page, app_server, "no-preference")
        names = [ex.name for ex in load_exercises().values()]
        for name in names:
            assert any(s["label"].startswith(name) for s in states), name
        for s in states:
            assert s["move"] and not s["still"], s["label"]
            assert s["animations"] > 0 and s["changed"], s["label"]
            assert 150 < s["width"] <= MOBILE["width"], s["label"]
        assert_no_app_errors(page, errors)
        assert errors.external == []
    finally:
        page.context.close()


def test_pictures_are_still_when_reduced_motion_is_asked_for(browser, app_server):
    errors = PageErrors()
    page = new_page(browser, MOBILE, errors)
    try:
        states = _pictures(page, app_server, "reduce")
        for s in states:
            assert s["still"] and not s["move"], s["label"]
            assert s["stillAnimations"] == 0, s["label"]
            assert 150 < s["width"] <= MOBILE["width"], s["label"]
        assert_no_app_errors(page, errors)
        assert errors.external == []
    finally:
        page.context.close()


@pytest.mark.parametrize("reduced_motion", ["no-preference", "reduce"])
def test_the_routine_player_shows_the_moving_picture_or_a_still(browser, app_server, reduced_motion):
    store = Store.open(app_server.db_url)  # the Routine page is gated on a screening
    if store.latest_screening() is None:
        store.save_screening("ok", {}, [])
    store.engine.dispose()
    errors = PageErrors()
    page = new_page(browser, MOBILE, errors)
    try:
        page.emulate_media(reduced_motion=reduced_motion)
        open_page(page, app_server, "routine?exercises=butterfly,it_band&hold=30&sets=1&warmup=0")
        page.locator(".hk-player[data-ready]").wait_for()
        page.get_by_role("button", name="Start", exact=True).click()
        picture = page.locator(f".hk-player .hk-figure {PICTURE}")
        picture.wait_for()
        state = picture.evaluate(STATE, MOTION_SECONDS * 0.45)
        assert state["label"].startswith("Seated butterfly stretch")
        if reduced_motion == "reduce":
            assert state["still"] and not state["move"]
        else:
            assert state["move"] and not state["still"] and state["changed"]
        assert 100 < state["width"] <= MOBILE["width"]
        page.get_by_role("button", name="Stop — this hurts").click()
        assert_no_app_errors(page, errors)
    finally:
        page.context.close()


def test_cards_out_of_view_are_not_drawn_until_scrolled_to(browser, app_server):
    """Issue 18: the browser lays out and paints only the exercise cards in view (content-visibility), so the
    moving pictures further down cost nothing while the page opens; a card scrolled to is drawn as usual."""
    errors = PageErrors()
    page = new_page(browser, MOBILE, errors)
    try:
        open_page(page, app_server, "exercises")
        cards = page.locator('[data-testid="stMain"] article.hk-card')
        expect(cards).to_have_count(len(load_exercises()), timeout=30_000)
        # checkVisibility({contentVisibilityAuto}) is false inside a card whose content the browser skips.
        drawn = "e => e.querySelector('svg').checkVisibility({contentVisibilityAuto: true})"
        visible = cards.evaluate_all(f"els => els.map({drawn})")
        assert visible[-1] is False, visible
        assert 0 < visible.count(True) < len(visible) / 2, visible
        last = cards.last
        last.scroll_into_view_if_needed()
        page.wait_for_function(f"({drawn})([...document.querySelectorAll('article.hk-card')].pop())")
        box = last.locator(PICTURE).bounding_box()
        assert box and box["width"] > 150 and box["height"] > 60
        assert_no_app_errors(page, errors)
    finally:
        page.context.close()
