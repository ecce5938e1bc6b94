"""The page table, defined once: app.py builds the navigation from it and every link points at its entries.

Links take the constants below (``link(SCREENER, ...)``), never a path typed by hand, so a renamed or
missing page is an error at import or at the link, not a link that silently vanishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"


@dataclass(frozen=True)
class PageSpec:
    """One page: its file in pages/, its title and icon in the navigation, and its URL path.

    Each URL path equals its file's name (see ui/router.py for why); the default page has none.
    """

    file: str
    title: str
    icon: str
    default: bool = False

    @property
    def path(self) -> Path:
        return PAGES_DIR / self.file

    @property
    def url_path(self) -> str | None:
        return None if self.default else self.file.removesuffix(".py")


HOME = PageSpec("home.py", "Home", ":material/home:", default=True)
SCREENER = PageSpec("screener.py", "Screener", ":material/checklist:")
EXPLAINER = PageSpec("explainer.py", "Hips & knees", ":material/menu_book:")
EXERCISES = PageSpec("exercises.py", "Exercises", ":material/exercise:")
ROUTINE = PageSpec("routine.py", "Routine", ":material/timer:")
JOURNAL = PageSpec("journal.py", "Journal", ":material/edit_note:")
TRENDS = PageSpec("trends.py", "Trends", ":material/insights:")
QUESTIONNAIRE = PageSpec("questionnaire.py", "Questionnaires", ":material/assignment:")
DATA = PageSpec("data.py", "Your data", ":material/folder_managed:")

PAGES: tuple[PageSpec, ...] = (
    HOME, SCREENER, EXPLAINER, EXERCISES, ROUTINE, JOURNAL, TRENDS, QUESTIONNAIRE, DATA,
)


def st_page(spec: PageSpec) -> st.Page:
    """The ``st.Page`` for a table entry (built per run: a Page needs the running script's context).

    Raises ValueError for anything that is not an entry of ``PAGES``.
    """
    if spec not in PAGES:
        raise ValueError(f"{spec!r} is not in the page table (ui/pages.py)")
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
