"""Make sure every page runs inside the router (app.py), even on the first visit after a restart.

Until some session has run app.py, Streamlit treats a project with a ``pages/`` folder as a legacy
multipage app: a URL such as ``/trends`` then runs ``pages/trends.py`` on its own, without app.py's page
setup, navigation, login menu or sample-data banner. This happens whenever a browser tab left open on a
page reconnects to a freshly started server, and on every AppTest run. A page that finds itself run this
way runs app.py in its place, which registers the real navigation and runs the page inside it, then stops.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

ROUTED_KEY = "_hipknee_routed"
APP_PATH = Path(__file__).resolve().parent.parent / "app.py"


def mark_routed() -> None:
    """Called by app.py right before it runs the page."""
    st.session_state[ROUTED_KEY] = True


def ensure_routed() -> None:
    """First line of every page: unless app.py is running us, run app.py instead of this partial run."""
    if st.session_state.pop(ROUTED_KEY, False):
        return
    runpy.run_path(str(APP_PATH), run_name="__main__")
    st.stop()
