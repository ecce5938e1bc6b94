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
