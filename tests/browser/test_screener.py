"""In the real app: answer one STOP question in the screener, then find the routine blocked (issue 4)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from hipknee.screening import load_screener
from hipknee.store import Store
from tests.browser.harness import DESKTOP, MOBILE, assert_no_app_errors, new_page, open_page, wait_ready

STEPS = 7
QUESTIONS = list(load_screener().questions.values())


def answer_step(page, yes_label: str | None = None, age: int | None = None) -> None:
    """Answer every question on the current step: "Yes" to the one whose text contains ``yes_label``."""
    main = page.locator('[data-testid="stMain"]')
    if age is not None:
        box = main.get_by_placeholder("Type a number")
        box.fill(str(age))
        box.press("Enter")
        wait_ready(page)
    for _ in range(3):  # follow-ups appear after a "yes"
        groups = main.get_by_role("radiogroup")
        pending = [
            groups.nth(i) for i in range(groups.count())
            if groups.nth(i).locator("input:checked").count() == 0
        ]
        if not pending:
            return
        for group in pending:
            label = group.get_attribute("aria-label") or ""
            choice = "Yes" if yes_label and yes_label in label else "No"
            group.get_by_text(choice, exact=True).click()
            wait_ready(page)


def test_one_stop_answer_blocks_the_routine(browser, app_server, page_errors):
    page = new_page(browser, DESKTOP, page_errors)
    try:
        # Enter through Home: a first session that lands on a sub-page of a fresh server gets Streamlit's
        # legacy pages/ navigation instead of app.py's (reported to the lead).
        open_page(page, app_server, "")
        open_page(page, app_server, "screener")
        main = page.locator('[data-testid="stMain"]')
        for step in range(STEPS):
            answer_step(
                page,
                yes_label="Is your knee hot, red and swollen" if step == 1 else None,
                age=48 if step == 0 else None,
            )
            last = step == STEPS - 1
            main.get_by_role("button", name="See my result" if last else "Next").click()
            # Wait for the click's own outcome: right after a click the app can still report "not running"
            # for a moment before its rerun starts, so waiting for idle alone may return too early.
            expect(main.get_by_text("Stop — get urgent care" if last else f"Step {step + 2} of {STEPS}",
                                    exact=True)).to_be_visible()
            wait_ready(page)

        # The result: STOP in words, the urgent advice, and no way into the routine.
        expect(main.get_by_text("Stop — get urgent care", exact=True)).to_be_visible()
        expect(main.get_by_text("Don't start the routine.", exact=True)).to_be_visible()
        expect(main.get_by_text(re.compile("Get seen today at urgent care")).first).to_be_visible()
        assert main.locator('a[href$="/routine"]').count() == 0
        store = Store.open(app_server.db_url)
        try:
            record = store.latest_screening()
            assert record.tier == "stop" and record.answers["hot_red_swollen"] is True
            assert record.answers["age"] == 48
        finally:
            store.engine.dispose()

        # The routine is blocked and says why.
        open_page(page, app_server, "routine")
        expect(main.get_by_text("The routine is closed for now")).to_be_visible()
        expect(main.get_by_text(re.compile("hot, red and swollen")).first).to_be_visible()
        assert_no_app_errors(page, page_errors)
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["desktop", "mobile"])
@pytest.mark.parametrize("path", ["screener", "routine"])
def test_result_and_gate_fit_the_screen(browser, app_server, page_errors, viewport, path):
    # Runs after the test above in this module's app: the STOP result and the blocked routine.
    page = new_page(browser, viewport, page_errors)
    try:
        open_page(page, app_server, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{path} is {width}px wide at {viewport['width']}px"
        assert_no_app_errors(page, page_errors)
        assert page_errors.external == []
    finally:
        page.context.close()


ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {kind: "body"};
  const group = el.closest('[role="radiogroup"]');
  return {
    kind: el.matches('input[type="radio"]') ? "radio" : el.matches('input[type="number"], input[inputmode]')
      && el.closest('[data-testid="stNumberInput"]') ? "number" : el.tagName.toLowerCase(),
    text: (el.innerText || el.getAttribute("aria-label") || "").trim(),
    group: group ? group.getAttribute("aria-label") : null,
    answered: group ? group.querySelector("input:checked") !== null : null,
    alert: el.closest('[data-testid="stAlert"]') !== null || el.matches('[data-testid="stAlert"]'),
  };
}"""


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def test_keyboard_only_screening_moves_focus_to_the_next_action(browser, app_server, page_errors):
    # Runs last in this module (it saves a new screening). Only the keyboard: Tab, arrows, Space, Enter.
    page = new_page(browser, DESKTOP, page_errors)
    try:
        open_page(page, app_server, "")
        open_page(page, app_server, "screener")
        main = page.locator('[data-testid="stMain"]')
        if main.get_by_text("Step 1 of 7", exact=True).count() == 0:
            # A screening is on file (the tests above): ask for a new one, by keyboard too.
            for _ in range(80):
                page.keyboard.press("Tab")
                now = active(page)
                if now["kind"] == "button" and "take the screening again" in now["text"]:
                    break
            assert now["kind"] == "button" and "take the screening again" in now["text"], now
            page.keyboard.press("Enter")
        expect(main.get_by_text("Step 1 of 7", exact=True)).to_be_visible()
        wait_ready(page)
        # The progress bar says the step in words too, not only a percentage.
        bar = main.locator('[data-testid="stProgress"] [role="progressbar"]')
        expect(bar).to_have_attribute("aria-valuetext", "Step 1 of 7")
        for _ in range(60):  # from the top of the page to the first question
            page.keyboard.press("Tab")
            if active(page)["kind"] == "number":
                break
        assert active(page)["kind"] == "number", active(page)
        for step in range(STEPS):
            last = step == STEPS - 1
            for _ in range(80):
                now = active(page)
                if now["kind"] == "number":
                    page.keyboard.type("48")
                    page.keyboard.press("Tab")  # a number commits when it loses focus
                    wait_ready(page)
                    continue
                if now["kind"] == "radio" and not now["answered"]:
                    # The group's name carries its question and the help under it (read together).
                    asked = next(q for q in QUESTIONS if now["group"].startswith(q.text))
                    assert asked.help in now["group"]
                    page.keyboard.press("ArrowRight")  # from the unchosen "Yes" to "No", which chooses it
                    wait_ready(page)
                    page.keyboard.press("Tab")
                    continue
                if now["kind"] == "button" and now["text"].endswith("See my result" if last else "Next"):
                    break
                page.keyboard.press("Tab")
            else:
                pytest.fail(f"step {step + 1}: never reached the button by Tab ({active(page)})")
            page.keyboard.press("Enter")
            if last:
                expect(main.get_by_text("OK — start gently", exact=False).first).to_be_visible()
                wait_ready(page)
                # Focus lands on the result, not on the page body.
                page.wait_for_function("() => document.activeElement?.closest('[data-testid=\"stAlert\"]')")
                assert "OK — start gently" in page.evaluate("document.activeElement.innerText")
            else:
                expect(main.get_by_text(f"Step {step + 2} of {STEPS}", exact=True)).to_be_visible()
                expect(bar).to_have_attribute("aria-valuetext", f"Step {step + 2} of {STEPS}")
                wait_ready(page)
                # Focus lands on the new step's first question, in view.
                page.wait_for_function("() => document.activeElement?.matches('input[type=\"radio\"]')")
                # (a radio's own input is drawn as its label, so check the group it is in)
                expect(page.locator('[role="radiogroup"]:has(input:focus)')).to_be_in_viewport()
        # From the result, the routine is the next stop.
        for _ in range(15):
            page.keyboard.press("Tab")
            if active(page)["text"].endswith("Go to the routine"):
                break
        assert active(page)["text"].endswith("Go to the routine"), active(page)
        page.keyboard.press("Enter")
        page.wait_for_url("**/routine")
        wait_ready(page)
        assert_no_app_errors(page, page_errors)
    finally:
        page.context.close()
