"""Reading the content files in data/ (exercises, screener, daily check, citations, explainer, routines).

One mechanism for all of them: each file has a declared schema, a pydantic model (``Schema`` subclass) next
to the code that uses the file, and ``load_content`` parses the TOML and validates it against that schema.
Field types, required fields, unknown fields and value ranges are declared on the models; checks that span
fields or items (a variant names a real exercise, a citation marker names a real citation) are validators on
the same models. Every failure becomes one ``ContentError`` whose message names the file, the item (by its
id where it has one) and the field path, for example::

    data/exercises.toml: exercise 'warm_up': field 'pose.hip' must be [x, y] (two numbers), got [112]
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, StrictStr, StringConstraints

from hipknee.errors import ValidationError

MAX_PROBLEMS_SHOWN = 3
ID_PATTERN = r"^[a-z][a-z0-9_]*$"


class ContentError(ValidationError):
    """A content file is missing, unreadable, not TOML, or breaks its schema; the message names the file.

    ``field`` is the path of the first offending field (``"exercise[3].pose.hip"``) when there is one.
    """


class Problem(ValueError):
    """Raised by a schema's own validators: ``message`` about ``field`` (relative to the model being
    validated) or, from a whole-file check, at the absolute path ``at`` (``("exercise", 3, "replaces")``)."""

    def __init__(self, message: str, field: str | None = None, at: tuple[str | int, ...] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.at = at


class Schema(BaseModel):
    """Base of every content schema: unknown fields are errors, and the parsed content cannot change."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


# Types shared by the schemas. Strict: TOML has real integers and booleans, so "30" or "yes" is a mistake.
Text = Annotated[StrictStr, StringConstraints(strip_whitespace=True, min_length=1)]
Id = Annotated[StrictStr, StringConstraints(pattern=ID_PATTERN)]
Int = StrictInt
Bool = StrictBool

S = TypeVar("S", bound=BaseModel)


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


def load_content(
    path: Path,
    schema: type[S],
    *,
    context: Mapping[str, Any] | None = None,
    error: type[ContentError] = ContentError,
) -> S:
    """Read ``path`` and validate it against ``schema``; ``error`` (a ContentError) on any problem.

    ``context`` is passed to the schema's validators (``info.context``), e.g. the exercise library that a
    routine preset's ids must come from.
    """
    raw = read_toml(path, error)
    try:
        return schema.model_validate(raw, context=dict(context or {}))
    except pydantic.ValidationError as exc:
        problems = [_describe(raw, item) for item in exc.errors()]
        first_field = problems[0][1]
        texts = list(dict.fromkeys(text for text, _ in problems))
        more = len(texts) - MAX_PROBLEMS_SHOWN
        message = "; ".join(texts[:MAX_PROBLEMS_SHOWN]) + (f"; and {more} more" if more > 0 else "")
        raise error(f"{path}: {message}", first_field) from None


# ---- turning pydantic's errors into one plain sentence each -------------------------------------------------


def _describe(raw: Mapping[str, Any], item: Any) -> tuple[str, str | None]:
    """(sentence, field path) for one pydantic error, with the item named the way the file names it."""
    loc: tuple[str | int, ...] = tuple(item["loc"])
    problem = (item.get("ctx") or {}).get("error")
    if isinstance(problem, Problem):
        if problem.at:
            loc = problem.at
        elif problem.field:
            loc = (*loc, problem.field)
    where, rest = _where(raw, loc)
    field = _path(rest)
    kind = item["type"]
    if not loc:
        return _what(item, problem), None
    if kind == "missing" and len(loc) == 1:
        top = loc[0]
        if top in _LIST_LABELS:
            return f"no [[{top}]] entries: needs at least one", str(top)
        return f"needs a [{top}] table", str(top)
    if kind == "missing" and not rest:
        return f"{where}: is missing", _path(loc)
    if kind == "too_short" and len(loc) == 1 and isinstance(raw.get(str(loc[0])), list) and not rest:
        return f"no [[{loc[0]}]] entries: needs at least one", str(loc[0])
    if kind == "extra_forbidden":  # name the table it is in, not the unknown field as a table
        where, rest = _where(raw, loc[:-1])
        name = _path(loc[-1:])
        text = f"unknown field '{name}'" + (f" in '{_path(rest)}'" if rest else "")
        return (f"{where}: {text}" if where else f"unknown top-level field '{name}'"), _path(loc)
    text = _what(item, problem)
    if field:
        text = f"field '{field}' {text}"
    return (f"{where}: {text}" if where else text), _path(loc)


# The arrays of tables in the content files ([[exercise]], [[question]]...) and what one item is called.
_LIST_LABELS = {
    "exercise": "exercise",
    "citation": "citation",
    "section": "section",
    "question": "question",
    "rule": "rule",
    "step": "step",
    "presets": "preset",
}


def _where(raw: Mapping[str, Any], loc: tuple[str | int, ...]) -> tuple[str, tuple[str | int, ...]]:
    """The item a location is in ("exercise 'warm_up'", "[meta]", "[gate.expired]", "top level") and the
    rest of the location (the field path inside that item)."""
    if not loc:
        return "", ()
    top = loc[0]
    value = raw.get(str(top)) if isinstance(top, str) else None
    if isinstance(value, list) and len(loc) > 1 and isinstance(loc[1], int):
        index = loc[1]
        entry = value[index] if index < len(value) else None
        if isinstance(entry, dict):
            ident = entry.get("id", entry.get("key"))
            label = _LIST_LABELS.get(str(top), str(top))
            name = f"{label} '{ident}'" if isinstance(ident, str) and ident else f"{label} #{index + 1}"
            return name, loc[2:]
        return "top level", loc
    if isinstance(value, dict):
        # A table of tables ([tiers.stop], [gate.expired]) names the inner table; [meta] names itself.
        if len(loc) > 1 and value and all(isinstance(v, dict) for v in value.values()):
            return f"[{top}.{loc[1]}]", loc[2:]
        return f"[{top}]", loc[1:]
    return "top level", loc


def _path(loc: tuple[str | int, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _what(item: Any, problem: BaseException | None) -> str:
    """What is wrong, in words, starting with a verb ("is missing", "must be ...")."""
    if isinstance(problem, Problem):
        return problem.message
    if problem is not None:
        return str(problem)
    kind, ctx, value = item["type"], item.get("ctx") or {}, item.get("input")
    if kind == "missing":
        return "is missing"
    if kind in ("string_type", "string_too_short"):
        return f"must be non-empty text, not {value!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"must be a whole number, not {value!r}"
    if kind in ("bool_type", "bool_parsing"):
        return f"must be true or false, not {value!r}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, not {value!r}"
    if kind == "too_short":
        return "must be a non-empty list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a table"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '').replace(' or ', ', ')}, not {value!r}"
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not an id (lower-case letters, digits and _)"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, not {value!r}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, not {value!r}"
    return str(item.get("msg", "is not valid"))
