"""The first visit after a restart may open a page URL directly (a tab left open, a bookmark).

It must still get the whole app: the router's navigation and layout, and the URL's query parameters.
This module has a server of its own, so the request below really is the server's first.
"""

from tests.browser.harness import assert_no_app_errors, open_page


def test_first_visit_to_a_page_url_goes_through_the_router(page, page_errors, app_server):
    open_page(page, app_server, "trends?keep=1")
    page.wait_for_url("**/trends?keep=1", timeout=30_000)
    nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert any("Your data" in label for label in nav), nav  # the router's titles, not file names
    assert not any(label.strip().endswith("app") for label in nav), nav
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Trends"
    assert page.get_by_role("dialog").count() == 0
    assert_no_app_errors(page, page_errors)
