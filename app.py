"""hipknee: the router. Pages live in pages/, rules and numbers in the hipknee package."""

import streamlit as st

from ui.state import sample_banner

st.set_page_config(page_title="hipknee", page_icon=":material/directions_walk:", layout="wide")

page = st.navigation(
    [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/journal.py", title="Journal", icon=":material/edit_note:", url_path="journal"),
    ]
)
sample_banner()
page.run()
