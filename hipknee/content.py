"""Reading the content files in data/ (exercises, screener, citations, routines…)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from hipknee.errors import ValidationError


class ContentError(ValidationError):
    """A content file is missing, unreadable, not TOML, or breaks its rules; the message names the file."""


def read_toml(path: Path, error: type[ContentError] = ContentError) -> dict[str, Any]:
    """Parse one content file, turning every failure into ``error`` naming the file."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
