"""Per-session context for the pages: the store (own or sample data), the user and today's date."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from hipknee import sample
from hipknee.accounts import user_id_from_claims
from hipknee.errors import StorageError, ValidationError
from hipknee.journal import today_in
from hipknee.plaintext import md, shorten
from hipknee.store import LOCAL_USER, Store, database_url

SAMPLE_KEY = "sample_mode"


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> Store:
    # One engine (and connection pool) per database URL, shared by every session.
    return Store.open(url)


def login_configured() -> bool:
    """Hosted mode: an ``[auth]`` section in secrets.toml turns on login with ``st.login``."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets.toml at all: local mode
        return False


def current_user() -> str:
    """"local" without login; with login, the signed-in person (or a sign-in screen, then stop)."""
    if not login_configured():
        return LOCAL_USER
    if not st.user.get("is_logged_in"):
        st.title("Sign in")
        st.write(
            "Your journal is private to you. Sign in to see it, add to it or take the screener. "
            "The exercise library and the explainer are open to everyone."
        )
        st.button("Log in", type="primary", icon=":material/login:", on_click=st.login)
        st.stop()
    try:
        return user_id_from_claims(st.user.to_dict())
    except ValidationError as exc:
        st.error(f"Signed in, but hipknee cannot tell who you are: {md(exc)}. Please log out and try again.")
        st.button("Log out", on_click=st.logout)
        st.stop()


def account_menu() -> None:
    """In the sidebar, who is signed in and a way out (hosted mode only)."""
    if not login_configured() or not st.user.get("is_logged_in"):
        return
    with st.sidebar:
        # The name comes from the identity provider: shown as plain text, cut if very long.
        who = st.user.get("email") or st.user.get("name") or "you"
        st.caption(f"Signed in as {md(shorten(who))}")
        st.button("Log out", on_click=st.logout, icon=":material/logout:", key="logout")


def today() -> dt.date:
    """Today in the browser's time zone (the machine's when the browser has not said)."""
    return today_in(st.context.timezone)


def in_sample_mode() -> bool:
    return bool(st.session_state.get(SAMPLE_KEY))


def enter_sample_mode() -> None:
    st.session_state[SAMPLE_KEY] = True


def leave_sample_mode() -> None:
    st.session_state[SAMPLE_KEY] = False


def get_store() -> Store:
    """The store for this session, or a clear error page (and stop) when it cannot be opened."""
    user = current_user()
    try:
        if in_sample_mode():
            # Made-up data, the same for everyone: it is never anyone's own journal.
            store = _open_store(sample.sample_url())
            sample.ensure_fresh(store, today())
            return store.as_read_only()
        store = _open_store(database_url())
    except StorageError as exc:
        show_storage_error(exc)
        st.stop()
    return store.for_user(user)


def show_storage_error(exc: Exception) -> None:
    st.error(
        f"**hipknee cannot use its database.** {md(exc)}\n\n"
        "Nothing was written. Check that the file or server named above exists and is readable, "
        "that no other program holds it locked, and that `HIPKNEE_DATABASE_URL` (if set) is right. "
        "Then reload this page.",
        icon=":material/database:",
    )


def sample_banner() -> None:
    if not in_sample_mode():
        return
    with st.container(border=True):
        left, right = st.columns([3, 1], vertical_alignment="center")
        left.markdown(
            ":material/science: **You are looking at sample data**, made up to show what the app does. "
            "It cannot be changed, and your own journal is untouched."
        )
        right.button(
            "Back to my data", on_click=leave_sample_mode, key="leave_sample",
            width="stretch",
        )
