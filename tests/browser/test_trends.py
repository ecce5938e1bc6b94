"""Trends in the real browser at desktop and phone width: empty state, charts drawn, range switch, report."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from hipknee import demo
from hipknee.store import Store
from tests.browser.harness import DESKTOP, MOBILE, assert_no_app_errors, new_page, open_page, wait_ready

VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])


def assert_fits(page, viewport) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"page is {width}px wide at {viewport['width']}px"


def wait_for_charts(page) -> None:
    """The pain-over-time chart (plotly.js, loaded lazily) has drawn, and the pain calendar (plain HTML) is shown."""
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 1"
        " && document.querySelector('.st-key-trends_calendar .hk-calendar .hk-cal-grid') !== null",
        timeout=30_000,
    )


def assert_calendar_intact(page, viewport) -> None:
    """The calendar reaches the browser whole (st.html keeps its label, hover texts, pain values and styles),
    its squares are square and it fits the screen."""
    calendar = page.locator(".st-key-trends_calendar .hk-calendar")
    expect(calendar).to_have_attribute("role", "img")
    assert calendar.get_attribute("aria-label")
    rated = calendar.locator(".hk-cal-day[data-pain], .hk-cal-month[data-pain]")
    assert rated.count() > 0
    assert rated.first.get_attribute("title")
    box = rated.first.bounding_box()
    assert box and box["width"] >= 4 and box["height"] >= 4  # the page styles reached it: not collapsed
    if "hk-cal-day" in (rated.first.get_attribute("class") or ""):
        assert abs(box["width"] - box["height"]) < 1  # square
    grid = calendar.locator(".hk-cal-grid").bounding_box()
    assert grid and grid["x"] >= 0 and grid["x"] + grid["width"] <= viewport["width"]


def assert_chart_in_place(page) -> None:
    """The chart is sent last (ui.trends.pain_charts) but drawn in its place: under the range control and the
    caption, above its words and the pain calendar."""
    main = page.locator('[data-testid="stMain"]')
    control = main.get_by_role("radio", name="1 year", exact=True).bounding_box()
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    summary = main.get_by_text("Chart as a table", exact=True).bounding_box()
    calendar = page.locator(".st-key-trends_calendar").bounding_box()
    assert control and chart and summary and calendar
    assert control["y"] < chart["y"] and chart["y"] + chart["height"] <= summary["y"] < calendar["y"]


@VIEWPORTS
def test_empty_journal(browser, app_server, page_errors, viewport):
    # Runs first in this module: the server's database is still empty.
    page = new_page(browser, viewport, page_errors)
    try:
        open_page(page, app_server, "trends")
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("No pain ratings yet")).to_be_visible()
        expect(main.get_by_role("button", name="Explore with sample data")).to_be_visible()
        assert page.locator(".js-plotly-plot").count() == 0 and page.locator(".hk-calendar").count() == 0
        assert_fits(page, viewport)
        assert_no_app_errors(page, page_errors)
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def filled(app_server):
    store = Store.open(app_server.db_url)
    demo.fill(store, 500, seed=9, end=dt.date.today())
    yield store
    store.engine.dispose()


@VIEWPORTS
def test_charts_render_and_range_switches(browser, app_server, filled, page_errors, viewport):
    page = new_page(browser, viewport, page_errors)
    try:
        open_page(page, app_server, "trends")
        wait_for_charts(page)
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("Change since the start", exact=True)).to_be_visible()
        # The combined chart has two plot areas (pain above, routine days below) on one time axis.
        combined = page.locator(".js-plotly-plot").first
        assert combined.locator(".xy .scatterlayer .trace").count() >= 2
        assert combined.locator(".x2y2 .barlayer .trace").count() == 1
        assert_calendar_intact(page, viewport)
        assert_chart_in_place(page)
        assert page.locator(".st-key-trends_calendar .hk-cal-grid .hk-done").count() > 0  # routine days marked
        assert_fits(page, viewport)

        main.get_by_role("radio", name="1 year", exact=True).click()
        wait_ready(page)
        wait_for_charts(page)
        main.get_by_role("radio", name="All", exact=True).click()
        wait_ready(page)
        wait_for_charts(page)
        expect(main.get_by_text("One square per month")).to_be_visible()
        assert_calendar_intact(page, viewport)
        assert_chart_in_place(page)
        assert_fits(page, viewport)

        # The chart as a table: not on the page until asked for (issue 18), then one row per week.
        assert main.locator('[data-testid="stTable"]').count() == 0
        main.get_by_text("Chart as a table", exact=True).click()
        table = main.locator('[data-testid="stTable"] table')
        expect(table).to_be_visible(timeout=30_000)
        expect(table.locator("th").first).to_have_text("Week of")
        assert table.locator("tbody tr").count() > 52  # the "All" range of 500 days, week by week
        assert_no_app_errors(page, page_errors)
        assert page_errors.external == []
    finally:
        page.context.close()


def test_download_report_for_my_clinician(page, app_server, filled, page_errors, tmp_path):
    open_page(page, app_server, "trends")
    wait_for_charts(page)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download report for my clinician").click()
    download = info.value
    assert download.suggested_filename.startswith("hipknee-report-")
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / "report.pdf"
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"%%EOF" in data[-16:]  # a whole PDF (its content: test_report.py)
    assert_no_app_errors(page, page_errors)
