"""Errors that carry a message fit to show a person as it is."""


class HipkneeError(Exception):
    """Base class: the message is complete, one line, and says what went wrong and where."""


class ValidationError(HipkneeError, ValueError):
    """Input that breaks a rule; nothing was written."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class ConflictError(HipkneeError):
    """A write would overwrite something that already exists."""


class NotFoundError(HipkneeError):
    """The thing asked for does not exist."""


class StorageError(HipkneeError):
    """The database cannot be opened, read or written."""


class ReadOnlyError(HipkneeError):
    """A write to data that may not be changed (the shared sample data)."""
