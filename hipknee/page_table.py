"""The app's pages, defined once as plain data: file, navigation title and icon, URL path.

``ui/pages.py`` builds the navigation and every link from this table; ``hipknee.reminders`` takes the
Journal's and Routine's URL paths from it for the links in calendar reminders, so a renamed page cannot leave
a second copy of its address behind. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hipknee.paths import PROJECT_DIR

PAGES_DIR = PROJECT_DIR / "pages"


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

PAGES: tuple[PageSpec, ...] = (HOME, SCREENER, EXPLAINER, EXERCISES, ROUTINE, JOURNAL, TRENDS, QUESTIONNAIRE, DATA)
