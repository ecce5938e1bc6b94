"""Accessibility glue shared by the pages: page-wide styles and moving keyboard focus after an action.

WCAG 2.2 AA (issue 17): captions carry essential text, so they keep enough contrast (1.4.3); page links,
sidebar links and radio choices show a clear focus ring (2.4.7, 1.4.11: ``currentColor`` is the theme's text
colour, far above 3:1 on either background); after Next, See my result, Stop or Save, focus moves to where
the next action is instead of falling to the page body (2.4.3).
"""

from __future__ import annotations

import json

import streamlit as st

from hipknee.exercise_card import CARD_STYLES
from hipknee.pain_calendar import CALENDAR_STYLES
from hipknee.summary_cards import SUMMARY_STYLES

# Streamlit draws captions at 60 % opacity (4.1:1), and our captions carry essential text: at 80 % they
# stay visibly secondary and reach 7:1 or more for text and 4.5:1 for links in both themes.
STYLES = """<style>
.stApp { --hk-styles: 1; } /* a marker: the browser tests wait for it before they audit a page */
.stApp [data-testid="stCaptionContainer"] { opacity: 0.8; }
/* The slider's value is drawn in the primary colour, which in the dark theme is tuned for white button text
   (config.toml) and is 3.9:1 on the background: the value takes the text colour instead. */
[data-testid="stSliderThumbValue"] { color: inherit; }
/* The leg model's knee angle (Hips & knees): one large number under its label. */
.st-key-leg_valgus strong { display: block; font-size: 2.25rem; line-height: 1.25; font-weight: 600; }
/* Likewise the chosen option of a segmented control (3.6:1 dark); its border still marks it. */
.stApp button[aria-checked="true"], .stApp button[aria-checked="true"] * { color: inherit !important; }
[data-testid="stPageLink"] a:focus-visible,
[data-testid="stSidebarNav"] a:focus-visible,
[data-testid="stRadio"] label:has(input:focus-visible),
[data-testid="stExpander"] summary:focus-visible {
  outline: 2px solid currentColor; outline-offset: 2px; border-radius: 4px;
}
.hk-focus-target:focus { outline: none; }
/* A page link shows its whole label: Streamlit cuts a label that does not fit with "…", which on a phone
   hid most of "Questionnaires due: AKPS and PEG — about 2 minutes". It wraps instead (1.4.10 reflow). */
[data-testid="stPageLink-NavLink"] > span { white-space: normal; overflow: visible; }
/* Plain HTML tables (hipknee.plaintext.html_table: Journal, Screener) drawn as Streamlit draws a Markdown
   table, in either theme (borders from the text colour), and fitting a 390 px phone: the first column (a
   date) stays on one line, long words in notes break, and cells are tighter on narrow screens. */
.hk-table { border-collapse: collapse; margin: 0 0 1rem; max-width: 100%; }
.hk-table th, .hk-table td { padding: 0.25rem 0.75rem; text-align: left; vertical-align: top;
  border: 1px solid color-mix(in srgb, currentColor 15%, transparent); }
.hk-table th { font-weight: 600; }
.hk-table td { overflow-wrap: anywhere; }
.hk-table td:first-child { white-space: nowrap; overflow-wrap: normal; }
@media (max-width: 640px) { .hk-table th, .hk-table td { padding: 0.25rem 0.4rem; } }
""" + CARD_STYLES + SUMMARY_STYLES + CALENDAR_STYLES + "</style>"


def page_styles() -> None:
    """The page-wide styles above (called once per run by app.py; takes no space on the page)."""
    st.html(STYLES)


def focus_on(selector: str, *, nonce: object, scroll: bool = True) -> None:
    """Move keyboard focus to the first element matching ``selector`` once it is on the page.

    ``nonce`` must differ between the runs that should move focus (a step number, a counter): the browser
    runs the snippet again only when its text changes. An element that cannot take focus is given
    ``tabindex="-1"`` first. Tries for about 3 s (the element may be drawn after the snippet), then gives up.
    """
    # focus() scrolls the element into view by itself (as little as needed) unless told not to.
    focus_js = "el.focus();" if scroll else "el.focus({preventScroll: true});"
    script = (
        f"<script>/* focus {json.dumps(str(nonce))} */ (() => {{"
        f" const sel = {json.dumps(selector)}; let tries = 0;"
        " const go = () => { const el = document.querySelector(sel);"
        "  if (!el) { if (++tries < 60) setTimeout(go, 50); return; }"
        "  if (!el.matches('a, button, input, select, textarea, [tabindex]')) {"
        "   el.setAttribute('tabindex', '-1'); el.classList.add('hk-focus-target'); }"
        f"  {focus_js} }};"
        " setTimeout(go, 50); })();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)


def describe(selector: str, attribute: str, value: str, *, nonce: object) -> None:
    """Set ``attribute`` (an ARIA attribute such as ``aria-valuetext``) on the elements matching ``selector``.

    For what Streamlit's own widgets leave out; ``nonce`` as in ``focus_on``.
    """
    script = (
        f"<script>/* attr {json.dumps(str(nonce))} */ (() => {{"
        f" const sel = {json.dumps(selector)}; let tries = 0;"
        " const go = () => { const els = document.querySelectorAll(sel);"
        "  if (!els.length) { if (++tries < 60) setTimeout(go, 50); return; }"
        f"  els.forEach(el => el.setAttribute({json.dumps(attribute)}, {json.dumps(value)})); }};"
        " setTimeout(go, 50); })();</script>"
    )
    st.html(script, unsafe_allow_javascript=True)
