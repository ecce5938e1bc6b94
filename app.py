"""hipknee: the router. Pages live in pages/, rules and numbers in the hipknee package."""

from pathlib import Path

import streamlit as st

from hipknee.errors import StorageError
from ui.router import mark_routed
from ui.state import account_menu, sample_banner, show_storage_error

st.set_page_config(
    page_title="hipknee", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide"
)

# Each URL path equals its file's name (see ui/router.py for why).
PAGES = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/screener.py", title="Screener", icon=":material/checklist:", url_path="screener"),
    st.Page("pages/explainer.py", title="Hips & knees", icon=":material/menu_book:", url_path="explainer"),
    st.Page("pages/exercises.py", title="Exercises", icon=":material/exercise:", url_path="exercises"),
    st.Page("pages/routine.py", title="Routine", icon=":material/timer:", url_path="routine"),
    st.Page("pages/journal.py", title="Journal", icon=":material/edit_note:", url_path="journal"),
    st.Page("pages/trends.py", title="Trends", icon=":material/insights:", url_path="trends"),
    st.Page("pages/data.py", title="Your data", icon=":material/folder_managed:", url_path="data"),
]

page = st.navigation(PAGES)
account_menu()
sample_banner()
mark_routed()
try:
    page.run()
except StorageError as exc:  # the database failed mid-page: explain instead of a traceback
    show_storage_error(exc)
