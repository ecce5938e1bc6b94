"""Privacy and hostile input in the real browser: no request leaves the machine, notes never run."""

import datetime as dt

from hipknee.journal import Entry
from hipknee.store import Store
from tests.browser.harness import assert_no_app_errors, open_page, set_date_input

HOSTILE_NOTES = [
    '<script>window.__pwned = "script"</script>',
    '<img src="x" onerror="window.__pwned = \'img\'">',
    "[click me](javascript:window.__pwned='link') **bold?** <b>tag</b>",
    "$$\\href{javascript:alert(1)}{x}$$ :red[red?] ![pic](http://example.com/x.png)",
]


def nav_paths(page) -> list[str]:
    links = page.locator('[data-testid="stSidebarNav"] a')
    return [links.nth(i).get_attribute("href").split("/")[-1] for i in range(links.count())]


def test_no_request_leaves_the_machine(page, page_errors, app_server):
    store = Store.open(app_server.db_url)
    today = dt.date.today()
    store.import_entries([Entry(today - dt.timedelta(days=i), 3 + i % 4, did_routine=i % 2 == 0)
                          for i in range(40)], on_conflict="replace")
    open_page(page, app_server, "")
    paths = nav_paths(page)
    assert len(paths) >= 3
    for path in paths:
        open_page(page, app_server, path)
    assert page_errors.external == [], page_errors.external
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()


def test_hostile_notes_are_shown_as_text_and_never_run(page, page_errors, app_server):
    store = Store.open(app_server.db_url)
    today = dt.date.today()
    days = [today - dt.timedelta(days=i + 1) for i in range(len(HOSTILE_NOTES))]
    store.import_entries(
        [Entry(d, 4, notes=n) for d, n in zip(days, HOSTILE_NOTES, strict=True)], on_conflict="replace"
    )
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    open_page(page, app_server, "")
    for path in nav_paths(page):
        open_page(page, app_server, path)
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator('img[src="x"], a[href^="javascript:"]').count() == 0, path

    # The journal shows each note exactly as written when its day is opened.
    open_page(page, app_server, "journal")
    for day, note in zip(days, HOSTILE_NOTES, strict=True):
        set_date_input(page, day)
        notes_box = page.get_by_label("Notes (optional)")
        page.wait_for_function("([el, v]) => el.value === v", arg=[notes_box.element_handle(), note], timeout=10_000)
        assert notes_box.input_value() == note
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()
