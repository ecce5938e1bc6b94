"""Helpers only the tests need (issue 12: production modules carry no code kept only for tests)."""

from __future__ import annotations

import re
from pathlib import Path

from hipknee import exercises
from hipknee.plaintext import WORD_JOINER


def md_unescape(source: str) -> str:
    """The text ``hipknee.plaintext.md`` was given back (after its whitespace folding): what the page shows."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", source).replace(WORD_JOINER, "")


def load_poses(path: Path | None = None) -> dict[str, exercises.Pose]:
    """Every exercise's stick-figure pose, by id, from the same (cached) load as ``load_exercises``."""
    return dict(exercises._library(path)[1])
