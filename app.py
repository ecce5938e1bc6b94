"""hipknee: the router. Pages live in pages/, rules and numbers in the hipknee package."""

from pathlib import Path

import streamlit as st

from hipknee.errors import StorageError
from ui.state import account_menu, sample_banner, show_storage_error

st.set_page_config(page_title="hipknee", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide")

page = st.navigation(
    [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/journal.py", title="Journal", icon=":material/edit_note:", url_path="journal"),
    ]
)
account_menu()
sample_banner()
try:
    page.run()
except StorageError as exc:  # the database failed mid-page: explain instead of a traceback
    show_storage_error(exc)
