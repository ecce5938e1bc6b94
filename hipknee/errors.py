"""Errors that carry a message fit to show a person as it is.

Messages say what went wrong and where, never which command-line flag or button to use next: the same
error reaches the CLI and the web pages, and each adds its own hint from the error's attributes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable


class HipkneeError(Exception):
    """Base class: the message is complete, one line, and says what went wrong and where."""


class ValidationError(HipkneeError, ValueError):
    """Input that breaks a rule; nothing was written."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConflictError(HipkneeError):
    """A write would overwrite something that already exists."""


class ImportConflictError(ConflictError):
    """An import (``on_conflict="fail"``) met dates already in the journal; nothing was written.

    The message says which dates, without telling how to proceed: the CLI (``--on-conflict``) and the Data
    page (its radio buttons) each add their own hint, using ``conflicting_dates`` (sorted, all of them).
    """

    def __init__(self, message: str, conflicting_dates: Iterable[dt.date]):
        super().__init__(message)
        self.conflicting_dates = tuple(sorted(conflicting_dates))


class NotFoundError(HipkneeError):
    """The thing asked for does not exist."""


class StorageError(HipkneeError):
    """The database cannot be opened, read or written."""


class ReadOnlyError(HipkneeError):
    """A write to data that may not be changed (the shared sample data)."""


# Invisible characters that reorder the text around them (a "right-to-left override" can make a quoted
# file name read backwards): always shown as escapes, never passed through.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SHOWN_MAX_CHARS = 80  # the longest piece of someone's input a message repeats in full


def shorten(text: str, limit: int = SHOWN_MAX_CHARS, *, keep_end: bool = False) -> str:
    """``text`` fit to quote inside a one-line message: at most ``limit`` characters of it shown.

    Control and other unprintable characters (line breaks, tabs, lone surrogates from undecodable file
    names) are shown as escapes such as ``\\r`` so the message stays on one line; longer text is cut with
    an ellipsis and says how long it was: ``shorten("1" * 5000, 5)`` is ``1111… (5,000 characters)``.
    ``keep_end=True`` keeps the end instead (a file path's name): ``…/very/long/path/file.csv``.
    """
    shown = "".join(
        c if c.isprintable() and c not in BIDI_CONTROLS else c.encode("unicode_escape").decode("ascii")
        for c in str(text)
    )
    if len(shown) <= limit:
        return shown
    if keep_end:
        return "…" + shown[len(shown) - max(limit - 1, 1) :]
    return f"{shown[: max(limit - 1, 1)]}… ({len(text):,} characters)"


def shown_value(value: object, limit: int = SHOWN_MAX_CHARS) -> str:
    """Like ``repr(value)`` for a message, but never longer than about ``limit`` characters.

    Safe for any value: an integer too long for ``repr`` (Python refuses more than 4,300 digits) is
    described by its size instead of raising ValueError.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4000:
        digits = int(value.bit_length() * 0.30103) + 1  # log10(2): about the number of digits
        return f"a number of about {digits:,} digits"
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__} too large to show"
    return shorten(text, limit)
