"""The page table (defined once, in hipknee.page_table): app.py builds the navigation from it and every link
points at its entries.

Links take the constants below (``link(SCREENER, ...)``), never a path typed by hand, so a renamed or
missing page is an error at import or at the link, not a link that silently vanishes.
"""

from __future__ import annotations

import streamlit as st

# The table itself is plain data in hipknee (calendar reminders link to its pages too); re-exported here.
from hipknee.page_table import (
    DATA,
    EXERCISES,
    EXPLAINER,
    HOME,
    JOURNAL,
    PAGES,
    QUESTIONNAIRE,
    ROUTINE,
    SCREENER,
    TRENDS,
    PageSpec,
)

__all__ = [
    "DATA", "EXERCISES", "EXPLAINER", "HOME", "JOURNAL", "PAGES", "QUESTIONNAIRE", "ROUTINE", "SCREENER", "TRENDS",
    "PageSpec", "link", "navigation", "page_title", "st_page",
]


def st_page(spec: PageSpec) -> st.Page:
    """The ``st.Page`` for a table entry (built per run: a Page needs the running script's context).

    Raises ValueError for anything that is not an entry of ``PAGES``.
    """
    if spec not in PAGES:
        raise ValueError(f"{spec!r} is not in the page table (hipknee/page_table.py)")
    return st.Page(
        spec.path, title=spec.title, icon=spec.icon, default=spec.default,
        **({} if spec.url_path is None else {"url_path": spec.url_path}),
    )


def navigation() -> st.Page:
    """``st.navigation`` over the whole table; returns the page to run."""
    return st.navigation([st_page(spec) for spec in PAGES])


def page_title(title: str) -> str:
    """The browser-tab title of a page: its own name first, then the app's ("Journal · hipknee")."""
    return "hipknee" if title in ("", "hipknee") else f"{title} · hipknee"


def link(page: PageSpec, label: str, icon: str | None = None) -> None:
    """A link to a page of the table. A page that is not in the table raises; it is never skipped."""
    st.page_link(st_page(page), label=label, icon=icon)
