"""The one way to tell a person what happened: a message kept for the next run, and errors shown as messages.

``flash(...)`` then ``st.rerun()`` shows a message after the rerun, where the page calls ``show_flash()``.
``with reported("Not saved") as done: ...`` turns a ``HipkneeError`` (storage, validation, conflict) into a
message on the page; ``done.ok`` says whether the block finished.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

import streamlit as st

from hipknee.errors import HipkneeError
from hipknee.plaintext import md
from ui.a11y import focus_on

Kind = Literal["success", "error", "warning", "info", "undo"]
ICONS: dict[str, str] = {
    "success": ":material/check_circle:",
    "error": ":material/error:",
    "warning": ":material/warning:",
    "info": ":material/info:",
    "undo": ":material/delete:",
}
BOXES: dict[str, Callable[..., Any]] = {
    "success": st.success, "error": st.error, "warning": st.warning, "info": st.info,
}
PREFIX = "_flash_"
FOCUS_COUNT = "_hk_focus_count"  # makes each shown message's focus snippet new, so the browser runs it

T = TypeVar("T")


@dataclass(frozen=True)
class Flash:
    kind: Kind
    message: str
    icon: str | None


def flash(message: str, kind: Kind = "success", *, icon: str | None = None, slot: str = "page") -> None:
    """Keep a message to show on the next run, where ``show_flash(slot)`` is called.

    ``slot`` tells apart messages shown in different places of one page (a section's own message).
    The "undo" kind shows the message with an Undo button (see ``show_flash``).
    """
    st.session_state[PREFIX + slot] = Flash(kind, message, ICONS[kind] if icon is None else icon)


def show_flash(slot: str = "page", *, on_undo: Callable[[], None] | None = None) -> Flash | None:
    """Show (once) the message kept by ``flash`` for this slot, and return it; None when there is none."""
    kept = st.session_state.pop(PREFIX + slot, None)
    if not isinstance(kept, Flash):
        return None
    where = f"hk_flash_{slot}"
    if kept.kind == "undo":
        with st.container(border=True, key=where):
            left, right = st.columns([3, 1], vertical_alignment="center")
            left.markdown(f"{kept.icon} {kept.message}" if kept.icon else kept.message)
            right.button("Undo", on_click=on_undo, icon=":material/undo:", width="stretch")
        target = f".st-key-{where} button"  # the next thing to do is Undo (or not)
    else:
        with st.container(key=where):
            BOXES[kept.kind](kept.message, icon=kept.icon)
        target = f".st-key-{where} [data-testid='stAlert']"
    # After Save, Delete or a failed action, keyboard and screen-reader focus lands on what happened instead
    # of falling to the page body (WCAG 2.4.3).
    st.session_state[FOCUS_COUNT] = st.session_state.get(FOCUS_COUNT, 0) + 1
    focus_on(target, nonce=f"{slot} {st.session_state[FOCUS_COUNT]}")
    return kept


@dataclass
class Outcome:
    """What a ``reported`` block did: ``ok`` when it ran to the end, else the ``error`` it raised."""

    ok: bool = False
    error: HipkneeError | None = None


def error_text(exc: HipkneeError, prefix: str, hints: dict[type[HipkneeError], str] | None = None) -> str:
    """``prefix`` and the error's own message, plus the page's advice for that kind of error (if any)."""
    shown = md(exc)  # error messages can quote a file, a link or the database: plain text
    ends_a_sentence = prefix.rstrip("*").endswith((".", ":"))  # also when the prefix is in **bold**
    text = f"{prefix} {shown}" if ends_a_sentence else f"{prefix}: {shown}" if prefix else shown
    for kind, hint in (hints or {}).items():
        if isinstance(exc, kind):
            text += f" {hint}"
            break
    return text


@contextmanager
def reported(
    prefix: str = "Not saved:", *, hints: dict[type[HipkneeError], str] | None = None,
    slot: str | None = None, icon: str | None = ":material/error:",
) -> Iterator[Outcome]:
    """Run a block; a ``HipkneeError`` inside it becomes an error message instead of a traceback.

    The message is ``prefix`` + the error's message (+ the hint for its class from ``hints``): shown at once,
    or kept for the next run in ``slot`` (use a slot from a callback or before ``st.rerun()``). Other
    exceptions are bugs and propagate.
    """
    outcome = Outcome()
    try:
        yield outcome
    except HipkneeError as exc:
        outcome.error = exc
        text = error_text(exc, prefix, hints)
        if slot is not None:
            flash(text, "error", icon=icon, slot=slot)
        else:
            st.error(text, icon=icon)
    else:
        outcome.ok = True


def load_or_stop(load: Callable[[], T], prefix: str) -> T:
    """What a page cannot do without (its content files): on a ``HipkneeError`` the page shows ``prefix`` and
    the error as its one message (like ``reported``), then stops."""
    with reported(prefix):
        return load()
    st.stop()
    raise AssertionError("st.stop() does not return")  # for type checkers: st.stop() is NoReturn at run time
