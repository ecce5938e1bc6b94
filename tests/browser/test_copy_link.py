"""The Routine page's "Copy link" button puts the share link on the clipboard."""

from hipknee.store import Store
from tests.browser.harness import assert_no_app_errors, open_page

QUERY = "exercises=butterfly,clamshell&hold=20&sets=1&warmup=0"


def test_copy_link_puts_the_routine_link_on_the_clipboard(page, page_errors, app_server):
    store = Store.open(app_server.db_url)
    store.save_screening("ok", {}, [])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server.url)
    open_page(page, app_server, "")  # home first: the router is registered (see test_fresh_server.py)
    open_page(page, app_server, f"routine?{QUERY}")
    page.get_by_test_id("copy-link").click()
    page.get_by_text("Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()").endswith(f"/routine?{QUERY}")
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()
