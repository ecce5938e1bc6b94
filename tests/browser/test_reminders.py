"""Calendar reminders and links in a real browser (issue 15): the .ics is built on click and downloaded, in the
browser's time zone, and links follow the address the browser opened (here ``localhost``, not the
``127.0.0.1`` the server listens on)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import icalendar

from hipknee.store import Store
from tests.browser.harness import assert_no_app_errors, open_page

ZONE = "Asia/Tokyo"


def test_journal_reminder_downloads_in_the_browsers_zone_with_the_opened_address(page, page_errors, app_server):
    server = dataclasses.replace(app_server, url=app_server.url.replace("127.0.0.1", "localhost"))
    page.context.new_cdp_session(page).send("Emulation.setTimezoneOverride", {"timezoneId": ZONE})
    open_page(page, server, "")  # home first: the router is registered (see test_fresh_server.py)
    open_page(page, server, "journal")
    page.get_by_text("Add reminders to my calendar").click()
    button = page.get_by_role("button", name="Download calendar file (.ics)")
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "hipknee-reminders.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    [event] = calendar.events
    assert str(event.start.tzinfo) == ZONE and (event.start.hour, event.start.minute) == (20, 0)
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert event["URL"] == f"{server.url}/journal"
    assert_no_app_errors(page, page_errors)


def test_routine_share_link_follows_the_opened_address(page, page_errors, app_server):
    store = Store.open(app_server.db_url)
    store.save_screening("ok", {}, [])
    server = dataclasses.replace(app_server, url=app_server.url.replace("127.0.0.1", "localhost"))
    open_page(page, server, "")
    open_page(page, server, "routine?exercises=butterfly,clamshell&hold=20&sets=1&warmup=0")
    link = page.get_by_text(f"{server.url}/routine?exercises=butterfly,clamshell")
    link.wait_for()
    assert "127.0.0.1" not in link.inner_text()
    assert_no_app_errors(page, page_errors)
    store.engine.dispose()
