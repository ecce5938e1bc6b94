"""Hips & knees and Exercises in real Chromium: no errors at desktop and phone size, the leg figure and every
exercise picture render (and follow the theme), and moving a slider redraws the figure."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from hipknee.exercises import load_exercises
from tests.browser.harness import DESKTOP, MOBILE, assert_no_app_errors, new_page, open_page, wait_ready

PICTURE = "svg.hipknee-pose"


@pytest.fixture(scope="module", autouse=True)
def warm_server(app_server, browser):
    """Open Home once: the very first request to a fresh server for a sub-page can race the navigation."""
    from tests.browser.harness import PageErrors

    page = new_page(browser, DESKTOP, PageErrors())
    try:
        open_page(page, app_server, "")
    finally:
        page.context.close()


def _check_layout(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"page is {width}px wide at {viewport['width']}px"


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_hips_and_knees_page_and_its_figure(browser, app_server, page_errors, viewport):
    page = new_page(browser, viewport, page_errors)
    try:
        open_page(page, app_server, "explainer")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_role("heading", name="Hips & knees")).to_be_visible()
        figure = main.locator(".st-key-leg_figure svg.hk-leg-figure")
        figure.first.wait_for(state="visible", timeout=30_000)
        assert figure.count() == 1
        box = figure.first.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 250
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
        assert figure.first.locator("polyline").count() >= 4  # floor, outline, hip-ankle line, leg...
        assert figure.first.locator("polyline.hk-leg").count() == 1
        assert "valgus angle" in figure.first.get_attribute("aria-label")  # its text alternative
        assert page.locator(".js-plotly-plot").count() == 0  # no charting code on this page (issue 18)
        expect(main.get_by_text("Teaching illustration, not a measurement").first).to_be_visible()
        expect(main.get_by_role("heading", name="References")).to_be_visible()
        _check_layout(page, viewport)
        assert_no_app_errors(page, page_errors)
        assert page_errors.external == []
    finally:
        page.context.close()


def test_choosing_an_angle_redraws_the_leg(page, page_errors, app_server):
    open_page(page, app_server, "explainer")
    main = page.locator('[data-testid="stMain"]')
    main.locator(".st-key-leg_figure svg.hk-leg-figure").wait_for(state="visible", timeout=30_000)
    readout = main.locator(".st-key-leg_valgus strong").first
    before_value = readout.inner_text()
    leg_path = main.locator(".st-key-leg_figure polyline.hk-leg")
    before_paths = leg_path.evaluate_all("els => els.map(e => e.getAttribute('points'))")

    # Keyboard only: focus the largest tilt and press Enter.
    largest = main.locator(".st-key-leg_adduction").get_by_role("radio", name="8°", exact=True)
    largest.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(old) => { const m = document.querySelector('.st-key-leg_valgus strong');"
        " return m && m.innerText !== old; }", arg=before_value, timeout=30_000,
    )
    wait_ready(page)
    after_paths = leg_path.evaluate_all("els => els.map(e => e.getAttribute('points'))")
    assert int(readout.inner_text().rstrip("°")) > int(before_value.rstrip("°"))
    assert after_paths != before_paths
    assert_no_app_errors(page, page_errors)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
def test_exercises_page_shows_every_picture(browser, app_server, page_errors, viewport):
    library = load_exercises()
    page = new_page(browser, viewport, page_errors)
    try:
        open_page(page, app_server, "exercises")
        main = page.locator('[data-testid="stMain"]')
        pictures = main.locator(PICTURE)
        # The script can be done before the browser has drawn every card's markdown: wait, do not count at once.
        expect(pictures).to_have_count(len(library), timeout=30_000)
        labels = pictures.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
        for ex in library.values():
            assert any(label.startswith(ex.name) for label in labels), ex.id
        for i in range(pictures.count()):
            picture = pictures.nth(i)
            picture.scroll_into_view_if_needed()
            box = picture.bounding_box()
            assert box and box["width"] > 150 and box["height"] > 60, labels[i]
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, labels[i]
            assert picture.locator("polyline").count() >= 5 and picture.locator("circle").count() >= 1
        for ex in library.values():
            assert main.get_by_role("heading", name=ex.name, exact=True).count() == 1, ex.id
        # "Jump to an exercise" leads to the card (the anchor is on the card: Streamlit renames heading ids).
        page.evaluate("window.scrollTo(0, 0)")
        main.get_by_text("Jump to an exercise").click()
        main.get_by_role("link", name=library["bridge"].name, exact=True).click()
        page.wait_for_function("location.hash === '#bridge'")
        page.wait_for_function(
            "(() => { const r = document.getElementById('bridge').getBoundingClientRect();"
            " return r.top >= -2 && r.top < window.innerHeight / 2; })()"
        )
        _check_layout(page, viewport)
        assert_no_app_errors(page, page_errors)
        assert page_errors.external == []
    finally:
        page.context.close()


def test_pictures_follow_a_dark_theme(browser, app_server, page_errors):
    page = new_page(browser, MOBILE, page_errors)
    try:
        page.emulate_media(color_scheme="dark")
        open_page(page, app_server, "exercises")
        colour = page.locator(PICTURE).first.evaluate("e => getComputedStyle(e).color")
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
        )

        def luminance(css: str) -> float:
            r, g, b = (int(float(v)) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
            return 0.2126 * r + 0.7152 * g + 0.0722 * b

        # The stick figure is drawn in currentColor: light lines on the dark page.
        assert luminance(background) < 80, background
        assert luminance(colour) > 170, colour
        assert_no_app_errors(page, page_errors)
    finally:
        page.context.close()
