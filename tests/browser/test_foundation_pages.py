"""Every page at desktop and phone size without errors; a journal entry added, edited and deleted."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from hipknee.journal import Entry
from hipknee.store import Store
from tests.browser.harness import DESKTOP, MOBILE, assert_no_app_errors, new_page, open_page, wait_ready
from ui.pages import PAGES as PAGE_TABLE

# Every page of the router's page table (the default page is at "/").
PAGES = ["" if spec.default else spec.url_path for spec in PAGE_TABLE]
assert len(PAGES) == 9  # the page table moved once and this list silently shrank to Home: never again


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_errors(browser, app_server, page_errors, path, viewport):
    page = new_page(browser, viewport, page_errors)
    try:
        open_page(page, app_server, path)
        assert page.locator('[data-testid="stMain"]').inner_text().strip()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"page is {width}px wide at {viewport['width']}px"
        assert_no_app_errors(page, page_errors)
        assert page_errors.external == []
    finally:
        page.context.close()


def test_page_link_labels_wrap_instead_of_being_cut_on_a_phone(mobile_page, page_errors, app_server):
    """The Journal's "Questionnaires due: ..." link is longer than a 390 px phone is wide: all of it shows."""
    store = Store.open(app_server.db_url)
    store.add_entry(Entry(dt.date.today(), 3))  # the journal's first day: both questionnaires are due
    try:
        open_page(mobile_page, app_server, "journal")
        link = mobile_page.locator('[data-testid="stPageLink-NavLink"]', has_text="Questionnaires due")
        expect(link).to_be_visible()
        cut = link.evaluate(
            "a => [...a.querySelectorAll('*')].filter(el => el.scrollWidth > el.clientWidth + 1).length"
        )
        assert cut == 0, "part of the link's label is hidden"
        assert link.bounding_box()["x"] + link.bounding_box()["width"] <= MOBILE["width"]
        assert_no_app_errors(mobile_page, page_errors)
    finally:
        store.delete_entry(dt.date.today())


def _in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    view = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= view["height"]


def test_add_edit_delete_journal_entry(mobile_page, page_errors, app_server):
    """On a phone: nothing pre-set, a Save without a pain choice writes nothing; pick 6 with the keyboard;
    edit; delete shows Undo in view and an empty form; undo; delete for good."""
    page = mobile_page
    store = Store.open(app_server.db_url)
    today = dt.date.today()
    open_page(page, app_server, "journal")
    main = page.locator('[data-testid="stMain"]')
    worst = main.get_by_role("radiogroup", name="Worst knee pain today")  # st.pills: one radio per number
    expect(worst.get_by_role("radio", checked=True)).to_have_count(0)  # nothing pre-set

    # Save without choosing: a clear message, nothing written.
    main.get_by_role("button", name="Save entry").click()
    expect(main.get_by_text("Choose your worst knee pain today (0 to 10) first")).to_be_visible()
    assert store.get_entry(today) is None

    # Add: pick 6 with the keyboard (focus the 6, press Space), add a note, save.
    six = worst.get_by_role("radio", name="6", exact=True)
    six.focus()
    six.press("Space")
    wait_ready(page)
    expect(main.get_by_text("moderate to severe, gets in the way of daily tasks")).to_be_visible()
    expect(six).to_be_checked()
    notes = main.get_by_label("Notes (optional)")
    notes.fill("first try")
    notes.press("Tab")
    wait_ready(page)
    main.get_by_role("button", name="Save entry").click()
    expect(main.get_by_text("Saved the entry")).to_be_visible()
    entry = store.get_entry(today)
    assert entry is not None and entry.worst_pain == 6 and entry.notes == "first try"

    # Edit: the same date now loads the entry; change the note.
    expect(main.get_by_role("button", name="Update entry")).to_be_visible()
    notes = main.get_by_label("Notes (optional)")
    notes.fill("edited")
    notes.press("Tab")  # a text area sends its value when it loses focus, as a person tabbing on would
    wait_ready(page)
    main.get_by_role("button", name="Update entry").click()
    expect(main.get_by_text("Updated the entry")).to_be_visible()
    assert store.get_entry(today).notes == "edited"

    # Delete: confirm in the dialog; Undo is in view (the Delete button was far down the page) and the form is
    # an empty new entry, not the deleted values. Then undo, then delete for good.
    main.get_by_role("button", name="Delete entry").scroll_into_view_if_needed()
    main.get_by_role("button", name="Delete entry").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Delete").click()
    wait_ready(page)
    expect(dialog).to_have_count(0)  # closed: a click while it fades out would land on its backdrop
    assert store.get_entry(today) is None
    expect(main.get_by_text("Deleted the entry")).to_be_visible()
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    page.wait_for_function(
        "() => { const b = document.querySelector('.st-key-journal_flash button');"
        " const r = b && b.getBoundingClientRect(); return r && r.top >= 0 && r.bottom <= innerHeight; }"
    )
    assert _in_viewport(page, undo)
    expect(main.get_by_label("Notes (optional)")).to_have_value("")
    expect(main.get_by_role("button", name="Save entry")).to_be_visible()
    expect(main.get_by_text("Choose a number: 0 is no pain at all")).to_be_visible()
    expect(worst.get_by_role("radio", checked=True)).to_have_count(0)
    undo.click()
    # The page's own confirmation, not only an idle script: the rerun the click starts may not have begun yet.
    expect(main.get_by_text("Restored the entry")).to_be_visible()
    restored = store.get_entry(today)
    assert restored is not None and restored.notes == "edited"
    wait_ready(page)  # the form's widgets got new keys: the old ones stay on screen until the run ends
    expect(main.get_by_label("Notes (optional)")).to_have_value("edited", timeout=15_000)
    main.get_by_role("button", name="Delete entry").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    wait_ready(page)
    expect(main.get_by_text("Deleted the entry")).to_be_visible()
    assert store.get_entry(today) is None
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()


def test_sample_data_banner_and_way_back(page, page_errors, app_server):
    open_page(page, app_server, "")
    page.get_by_role("button", name="Explore with sample data").click()
    wait_ready(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_text("You are looking at sample data")).to_be_visible()
    page.get_by_role("button", name="Back to my data").click()
    # The page's own outcome (the banner gone), not idle alone: the click's rerun may not have begun yet.
    expect(main.get_by_text("You are looking at sample data")).to_have_count(0)
    wait_ready(page)
    assert_no_app_errors(page, page_errors)


def test_your_data_download_builds_the_csv_when_pressed(page, page_errors, app_server, tmp_path):
    """The page passes a function, not the file: the CSV is made on the click, from the journal as it is then."""
    from hipknee.journal import Entry

    store = Store.open(app_server.db_url)
    day = dt.date.today() - dt.timedelta(days=400)
    store.save_entry(Entry(day, 4, notes="before the page opened"))
    open_page(page, app_server, "")  # the router first
    open_page(page, app_server, "data")
    store.save_entry(Entry(day + dt.timedelta(days=1), 6, notes="added after the page was drawn"))
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download my journal (CSV)").click()
    path = tmp_path / "journal.csv"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfdate,worst_pain,activity_pain,did_routine,notes\r\n")  # for spreadsheets
    text = data.decode("utf-8-sig")
    assert "before the page opened" in text and "added after the page was drawn" in text
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()


def test_keyboard_only_journal_entry_lands_on_the_confirmation(page, page_errors, app_server):
    # Only the keyboard: Tab to the pain control, arrows to rate, Tab to Save, Enter; focus then lands on the
    # confirmation instead of the page body. (Runs last here: today's entry is left in place.)
    store = Store.open(app_server.db_url)
    today = dt.date.today()
    assert store.get_entry(today) is None
    open_page(page, app_server, "")
    open_page(page, app_server, "journal")
    main = page.locator('[data-testid="stMain"]')

    def focused_name() -> str:
        return page.evaluate(
            "(() => { const el = document.activeElement; return el === document.body ? '' :"
            " (el.getAttribute('aria-label') || el.innerText || '').trim(); })()"
        )

    # The worst-pain choice is a row of choices 0-10 with none chosen (a thoughtless Save records nothing):
    # one Tab stop, arrows move along it, Space chooses.
    in_worst = (
        "(() => { const el = document.activeElement; const box = el?.closest('[data-testid=\"stElementContainer\"]');"
        " return el?.getAttribute('role') === 'radio' && !!box"
        " && box.innerText.startsWith('Worst knee pain today'); })()"
    )
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(in_worst):
            break
    assert page.evaluate(in_worst), focused_name()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused_name() == "3"
    page.keyboard.press("Space")
    expect(main.get_by_text("mild, noticeable").first).to_be_visible()
    wait_ready(page)
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused_name().endswith("Save entry"):
            break
    assert focused_name().endswith("Save entry")
    page.keyboard.press("Enter")
    expect(main.get_by_text("Saved the entry")).to_be_visible()
    wait_ready(page)
    page.wait_for_function("() => document.activeElement?.closest('[data-testid=\"stAlert\"]')")
    assert "Saved the entry" in page.evaluate("document.activeElement.innerText")
    entry = store.get_entry(today)
    assert entry is not None and entry.worst_pain == 3
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()
