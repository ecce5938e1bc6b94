"""hipknee: the router. Pages live in pages/, rules and numbers in the hipknee package."""

from pathlib import Path

import streamlit as st

from hipknee.errors import StorageError
from ui.a11y import page_styles
from ui.gcfreeze import freeze_imports
from ui.pages import navigation, page_title
from ui.router import mark_routed
from ui.state import account_menu, sample_banner, show_storage_error

st.set_page_config(
    page_title="hipknee", page_icon=str(Path(__file__).parent / "static" / "favicon.png"), layout="wide"
)

page = navigation()  # the page table lives in ui/pages.py
# Each page its own browser-tab title (WCAG 2.4.2): what the page is, then the app.
st.set_page_config(page_title=page_title(page.title))
page_styles()
account_menu()
sample_banner()
mark_routed()
try:
    page.run()
except StorageError as exc:  # the database failed mid-page: explain instead of a traceback
    show_storage_error(exc)
finally:
    freeze_imports()  # keeps the collection after each run cheap (ui/gcfreeze.py)
