"""Read a pain diary the way spreadsheets and other apps write it, and turn it into journal entries.

One path for every file, all or nothing:

1. ``read_table(data)``: the bytes as a table of text cells. ``.xlsx`` (a ZIP file) is read with openpyxl
   (first sheet). Anything else is CSV text: the encoding is UTF-8 (with or without a byte-order mark),
   UTF-16 (with a byte-order mark, or without one when every other byte is NUL, as Excel's "Unicode Text"
   writes it), else Windows-1252 (Excel's "CSV (Comma delimited)" on Windows). The delimiter is whichever of
   ``,`` ``;`` and tab the header line (the first line that is not blank) holds most of. Rows whose cells are
   all empty are skipped, and so are trailing columns with no header and no values (Excel pads both).
2. ``auto_mapping(table)`` finds hipknee's own columns by name, whatever their case, spaces or ``_``/space
   (``Worst pain`` is ``worst_pain``); a file without ``date`` and ``worst_pain`` needs a ``Mapping`` chosen by
   the person (the page's mapping step, ``hipknee import --map``).
3. ``parse_table(table, mapping, today=...)`` checks every row and reports all problems at once (up to
   ``MAX_PROBLEMS``), each with its line, column, value and how to fix it. Several rows for one day are
   combined: the worst pain (and activity pain) is the highest, the routine counts as done if any row says
   so, and the notes are joined in time order when each of them has a time (in the date cell, or in a
   ``time`` column of its own, as Daylio writes it), else in the order of the file.

Dates: ``YYYY-MM-DD`` (a time after it, such as ``2026-10-31 08:20`` or ``2026-10-31T09:00:00Z``, is allowed;
a time with a UTC offset is moved into the person's time zone when one is given), or day/month/year and
month/day/year with ``/``, ``.`` or ``-`` and a four-digit year. Which of the two is decided for the whole
file: a first number above 12 means day first, a second number above 12 means month first; when no row
decides, the file is refused (``DateOrderError``) unless the order is given. Pain: whole numbers 0-10 (``7/10``
and ``5.0`` are read as 7 and 5), or a 1-5 or 0-100 scale converted as ``SCALES`` states.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from hipknee.diary_format import DATE_ORDERS, FIELDS, MAP_FIELDS, REQUIRED_FIELDS, SCALES, TIME_FIELD
from hipknee.errors import ValidationError, shorten
from hipknee.journal import Entry, check_date, make_entry

MAX_PROBLEMS = 20
VALUE_SHOWN_CHARS = 40
NOTES_JOIN = "; "  # several rows of one day: their notes, in time order

TRUE_WORDS = frozenset({"1", "yes", "y", "true", "x", "ticked", "done", "\u2713", "\u2714", "\u2611"})
FALSE_WORDS = frozenset({"", "0", "no", "n", "false", "\u2610"})

UTF8_BOM = b"\xef\xbb\xbf"
SAVE_AS_UTF8 = 'save it again from the spreadsheet as "CSV UTF-8"'
XLSX_MAGIC = b"PK\x03\x04"


class CsvError(ValidationError):
    """A problem with the file, with the line (1-based, counting the header) and column if known.

    ``problems`` lists every problem found (at most ``MAX_PROBLEMS``; ``problem_count`` is the total), each a
    ``Problem``; ``line``/``column``/``reason`` are the first one's. ``conflicting_dates`` is set (sorted) when
    the only problem is dates already in the journal, so the caller can say how to import anyway.
    ``future_dates`` (sorted) are the dates refused for being after today, listed or not, so the caller can
    say how to give the time zone when one of them is already today further east.
    """

    def __init__(
        self,
        reason: str,
        line: int | None = None,
        column: str | None = None,
        *,
        conflicting_dates: tuple[dt.date, ...] = (),
        problems: Sequence[Problem] = (),
        problem_count: int = 0,
    ):
        where = ""
        if line is not None:
            where = f"line {line}"
            if column:
                where += f", column {column}"
            where += ": "
        super().__init__(where + reason, column)
        self.line = line
        self.column = column
        self.reason = reason
        self.conflicting_dates = conflicting_dates
        self.problems: tuple[Problem, ...] = tuple(problems) or (Problem(line, column, None, reason),)
        self.problem_count = max(problem_count, len(self.problems))
        self.future_dates: tuple[dt.date, ...] = ()


class CsvConflictError(CsvError):
    """A date in the file is already in the journal (import with on_conflict "fail")."""


class DateOrderError(CsvError):
    """The dates could be day/month/year or month/day/year and no row decides; ``example`` shows one.

    The message is this question only; ``problems`` starts with it and goes on with every other problem
    found in the file (``problem_count`` counts them all), so the person can fix those while choosing.
    """

    def __init__(
        self,
        reason: str,
        line: int,
        column: str,
        example: str,
        *,
        problems: Sequence[Problem] = (),
        problem_count: int = 0,
    ):
        super().__init__(reason, line, column, problems=problems, problem_count=problem_count)
        self.example = example


class NeedsMappingError(CsvError):
    """The file's columns are not hipknee's own: the person must say which column is which."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: where (line, column), the value as written, why, and how to fix it."""

    line: int | None
    column: str | None
    value: str | None
    reason: str
    fix: str = ""

    def __str__(self) -> str:
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f"column {shorten(self.column, 30)}")
        if self.value is not None:
            parts.append(f"value '{shorten(self.value, VALUE_SHOWN_CHARS)}'")
        text = (", ".join(parts) + ": " if parts else "") + self.reason
        return text + (f" ({self.fix})" if self.fix else "")


def problem_error(problem: Problem) -> CsvError:
    """A CsvError for one problem (its message says where, what and how to fix it)."""
    return problems_error([problem], 1)


def problems_error(problems: list[Problem], total: int) -> CsvError:
    """One CsvError for a list of problems: its message is the problem itself, or a count and the first."""
    first = problems[0]
    if total == 1:
        err = CsvError(str(first), None, None, problems=problems, problem_count=total)
        err.line, err.column, err.reason = first.line, first.column, first.reason
    else:
        shown = f"the first {len(problems)} are listed" if total > len(problems) else "all are listed"
        err = CsvError(
            f"{total} problems in the file ({shown}); the first: {first}",
            None,
            None,
            problems=problems,
            problem_count=total,
        )
        err.line, err.column = first.line, first.column
    return err


# ---- reading the file -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """A file as text cells: ``header`` (names as written, trimmed) and ``rows`` of (line number, cells).

    Every row has exactly ``len(header)`` cells; a row with the wrong number of cells is left out of ``rows``
    and described in ``problems`` instead (``parse_table`` lists them with the problems in the values).
    ``kind`` is "csv" or "xlsx"; ``encoding`` and ``delimiter`` say what was detected (for CSV).
    """

    header: list[str]
    rows: list[tuple[int, list[str]]]
    kind: str = "csv"
    encoding: str = "utf-8"
    delimiter: str = ","
    problems: tuple[Problem, ...] = ()


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read with; CsvError when it is not text."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise CsvError("the file is empty")
    if data.startswith(UTF8_BOM):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise problem_error(
                Problem(line, None, None, "the file says it is UTF-8 text but is not", SAVE_AS_UTF8)
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            utf16 = Problem(None, None, None, "the file says it is UTF-16 text but is not", SAVE_AS_UTF8)
            raise problem_error(utf16) from None
    if b"\x00" in data:
        # UTF-16 without a byte-order mark: ASCII-range text has a NUL in every other byte.
        even, odd = data[0::2], data[1::2]
        for nuls, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
            if len(data) % 2 == 0 and nuls.count(0) >= 0.9 * len(nuls):
                try:
                    return data.decode(codec), codec
                except UnicodeDecodeError:
                    break
        raise problem_error(
            Problem(
                None,
                None,
                None,
                "the file looks binary (it contains NUL bytes), not CSV text or an .xlsx workbook",
                "save it from the spreadsheet as CSV or as an Excel workbook (.xlsx)",
            )
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"  # Excel's "CSV (Comma delimited)" on Windows
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError('the file is neither UTF-8 nor Windows-1252 text; save it as "CSV UTF-8"', line=line) from None


DELIMITERS = (",", ";", "\t")


def header_line(text: str) -> str:
    """The first line that holds anything but spaces and separators: the header (blank lines, and rows a
    spreadsheet padded with ``,,,,``, may come before it)."""
    for line in re.split(r"\r\n|[\r\n]", text.lstrip("\ufeff")):
        if line.strip(" \t,;"):
            return line
    return ""


def _detect_delimiter(text: str) -> str:
    """Whichever of ``,`` ``;`` and tab the header line holds most of, outside double quotes (``,`` when none).

    The header decides, not ``csv.Sniffer``: the Sniffer looks for a separator that occurs equally often on
    every sampled line, which notes holding commas and semicolons break, and it raises when unsure.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line(text):
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_table(data: bytes) -> Table:
    """The file as a ``Table`` (see the module docstring for what is detected); CsvError if unreadable."""
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data)
    text, encoding = decode(data)
    text = text.lstrip("\ufeff")
    delimiter = _detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    raw: list[tuple[int, list[str]]] = []
    next_line = 1
    try:
        for cells in reader:
            line = next_line
            next_line = reader.line_num + 1
            raw.append((line, cells))
    except csv.Error as exc:
        # The rows after a broken quote cannot be told apart, so this one stops the reading.
        raise problem_error(_malformed(str(exc), next_line, reader.line_num)) from None
    return _tidy(raw, kind="csv", encoding=encoding, delimiter=delimiter)


def _malformed(error: str, start: int, end: int) -> Problem:
    """The csv module's complaint about the row that starts on line ``start`` (read up to line ``end``)."""
    where = f" (it runs to line {end})" if end > start else ""
    if "field larger than field limit" in error:
        reason = f"a cell is longer than {csv.field_size_limit():,} characters{where}"
    elif "unexpected end of data" in error:
        reason = "a cell opens a double quote that is never closed, so the rest of the file is read as that cell"
    else:
        reason = f"the double quotes on this row do not match{where}"
    return Problem(
        start,
        None,
        None,
        reason,
        "a cell that holds a quote mark must be wholly in double quotes, with its quote marks doubled: "
        '"said ""ouch"""; or remove the quote marks',
    )


def _cell_text(value: object) -> str:
    """An .xlsx cell's value as the text a CSV would hold (dates ISO, whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    import zipfile

    import openpyxl  # only when an .xlsx arrives: it is slow to import

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise problem_error(
            Problem(
                None,
                None,
                None,
                f"the file is not a workbook that can be read ({shorten(str(exc), 60)})",
                "open it in the spreadsheet and save it again as an Excel workbook (.xlsx) or as CSV",
            )
        ) from None
    try:
        sheet = book.worksheets[0]
        raw = [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    return _tidy(raw, kind="xlsx", encoding="", delimiter="")


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _tidy(raw: list[tuple[int, list[str]]], *, kind: str, encoding: str, delimiter: str) -> Table:
    rows = [(line, cells) for line, cells in raw if any(c.strip() for c in cells)]
    if not rows:
        raise CsvError("the file is empty")
    header_line, header = rows[0]
    header = [h.strip().lstrip("\ufeff").strip() for h in header]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    if not width:
        raise problem_error(
            Problem(
                header_line,
                None,
                None,
                "the first line holds no column names",
                f"put the column names on the first line: {','.join(FIELDS)}",
            )
        )
    header = [h or f"column {i + 1}" for i, h in enumerate(header)]
    body: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    separator = DELIMITER_NAMES.get(delimiter, "separator")
    for line, cells in rows[1:]:
        found = len(cells)
        while found > width and not cells[found - 1].strip():
            found -= 1  # empty cells after the last column (Excel pads rows with them)
        if found > width or (found < width and kind != "xlsx"):
            fix = (
                f'a cell that holds a {separator} must be in double quotes, like "stiff{delimiter} sore"; '
                "or remove the extra cells"
                if found > width
                else f"give every row one cell per column ({width}), empty cells too: a missing value is "
                f"nothing between two {separator}s"
            )
            written = delimiter.join(cells[:found]) if delimiter else " | ".join(cells[:found])
            problems.append(Problem(line, None, written, f"expected {width} cells, found {found}", fix))
            continue
        cells = (cells + [""] * width)[:width]
        body.append((line, cells))
    return Table(header, body, kind=kind, encoding=encoding, delimiter=delimiter, problems=tuple(problems))


# ---- which column is which --------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    """A column name compared regardless of case, outer spaces and ``_``/space: ``Worst pain`` is ``worst_pain``."""
    return re.sub(r"[\s_]+", "_", name.strip().lower())


@dataclass(frozen=True)
class Mapping:
    """Which column of the file holds each journal field (``columns``: field -> column name), and the pain scale.

    ``date`` and ``worst_pain`` are required; the rest optional, ``time`` included (the time of day in a column
    of its own: it orders a day's notes). ``scale`` is a key of ``SCALES``; it applies to both pain columns.
    """

    columns: dict[str, str] = field(default_factory=dict)
    scale: str = "0-10"

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(MAP_FIELDS))
        if unknown:
            raise CsvError(f"unknown field {shorten(unknown[0], 30)}; the fields are {', '.join(MAP_FIELDS)}")
        missing = [f for f in REQUIRED_FIELDS if not self.columns.get(f)]
        if missing:
            raise CsvError(f"choose the column for {' and '.join(missing)}")
        if self.scale not in SCALES:
            raise CsvError(f"unknown pain scale {shorten(self.scale, 20)}; choose one of {', '.join(SCALES)}")


def parse_map_option(text: str) -> dict[str, str]:
    """``date=When,worst_pain=Pain (0-10)`` as a dict; a comma inside a column name is kept when no ``=`` follows."""
    pairs: list[str] = []
    for part in text.split(","):
        if "=" in part or not pairs:
            pairs.append(part)
        else:
            pairs[-1] += "," + part
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        name = normalise_name(name)
        if not sep or not column.strip():
            raise CsvError(f"'{shorten(pair, 40)}' is not field=column (for example date=When)")
        if name not in MAP_FIELDS:
            raise CsvError(f"unknown field {shorten(name, 30)}; the fields are {', '.join(MAP_FIELDS)}")
        out[name] = column.strip()
    return out


def auto_mapping(table: Table) -> Mapping | None:
    """hipknee's own columns found by name (see ``normalise_name``), or None when date or worst_pain is missing.

    A ``time`` column is taken too (it orders a day's notes)."""
    by_name = {normalise_name(h): h for h in table.header}
    columns = {f: by_name[f] for f in MAP_FIELDS if f in by_name}
    if not all(f in columns for f in REQUIRED_FIELDS):
        return None
    return Mapping(columns)


def ignored_columns(table: Table, mapping: Mapping) -> list[str]:
    used = set(mapping.columns.values())
    return [h for h in table.header if h not in used]


def resolve_columns(table: Table, mapping: Mapping) -> dict[str, int]:
    """Field -> column index; CsvError when a chosen column is not in the file."""
    exact = {h: i for i, h in enumerate(table.header)}
    loose = {normalise_name(h): i for i, h in enumerate(table.header)}
    out: dict[str, int] = {}
    for name, column in mapping.columns.items():
        if not column:
            continue
        index = exact.get(column.strip(), loose.get(normalise_name(column)))
        if index is None:
            raise CsvError(
                f"there is no column '{shorten(column, 40)}' for {name}; the file's columns are "
                f"{shorten(', '.join(table.header))}"
            )
        out[name] = index
    return out


# ---- values ---------------------------------------------------------------------------------------------

_ISO = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_DMY = re.compile(
    r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})"
    r"(?:[T ]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?\s*([AaPp][Mm])?)?"
)


@dataclass(frozen=True)
class _RawDate:
    """A date cell taken apart, before the day/month order is known."""

    iso: bool
    first: int
    second: int
    year: int
    clock: dt.time | None
    offset: dt.timezone | None


def _clock(hour: str | None, minute: str | None, second: str | None, ampm: str | None = None) -> dt.time | None:
    if hour is None or minute is None:
        return None
    h = int(hour)
    if ampm:
        h = h % 12 + (12 if ampm.lower() == "pm" else 0)
    return dt.time(h, int(minute), int(second or 0))


def _split_date(text: str) -> _RawDate | None:
    value = text.strip()
    try:
        m = _ISO.fullmatch(value)
        if m:
            offset = None
            if m.group(7):
                zone = m.group(7)
                if zone == "Z":
                    offset = dt.UTC
                else:
                    sign = -1 if zone[0] == "-" else 1
                    digits = zone[1:].replace(":", "")
                    offset = dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
            clock = _clock(m.group(4), m.group(5), m.group(6))
            return _RawDate(True, int(m.group(2)), int(m.group(3)), int(m.group(1)), clock, offset)
        m = _DMY.fullmatch(value)
        if m:
            clock = _clock(m.group(5), m.group(6), m.group(7), m.group(8))
            return _RawDate(False, int(m.group(1)), int(m.group(3)), int(m.group(4)), clock, None)
    except ValueError:  # a clock such as 25:61
        return None
    return None


_TIME = re.compile(r"([0-9]{1,2})[:.h]([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?\s*(?:([AaPp])\.?\s*[Mm]\.?)?")


def parse_time(text: str) -> dt.time | None:
    """A time-of-day cell (``20:39``, ``8:20 PM``, ``08:20:15``, or a date with a time) or None when empty;
    ValueError with the reason and the fix."""
    value = text.strip()
    if not value:
        return None
    try:
        m = _TIME.fullmatch(value)
        if m:
            return _clock(m.group(1), m.group(2), m.group(3), f"{m.group(4)}m" if m.group(4) else None)
        raw = _split_date(value)  # an .xlsx time cell can arrive as a date and time
        if raw is not None and raw.clock is not None:
            return raw.clock
    except ValueError:  # 25:61
        pass
    raise ValueError("is not a time of day|write the time as HH:MM, like 20:39, or leave the cell empty")


def _possible_dates(
    raw: _RawDate, order: str | None, tz: dt.tzinfo | None, *, undecided: bool
) -> list[tuple[dt.date, dt.time | None]]:
    """The date (and time) a cell means; both readings of a day/month date while the file's order is
    ``undecided`` (one when only one is on the calendar). ValueError when none is on the calendar."""
    if raw.iso or not undecided:
        return [_to_date(raw, order, tz)]
    found = []
    for option in DATE_ORDERS:
        try:
            found.append(_to_date(raw, option, tz))
        except ValueError:
            continue
    if not found:
        raise ValueError("not on the calendar")
    return found


def _to_date(raw: _RawDate, order: str | None, tz: dt.tzinfo | None) -> tuple[dt.date, dt.time | None]:
    """Raises ValueError for a date that is not on the calendar."""
    if raw.iso or order == "ymd" or order == "mdy":
        month, day = raw.first, raw.second
    else:
        day, month = raw.first, raw.second
    date = dt.date(raw.year, month, day)
    clock = raw.clock
    if raw.offset is not None and clock is not None and tz is not None:
        moment = dt.datetime.combine(date, clock, tzinfo=raw.offset).astimezone(tz)
        date, clock = moment.date(), moment.time()
    return date, clock


def decide_date_order(cells: Iterable[tuple[int, str]], column: str, given: str | None = None) -> str | None:
    """``"dmy"`` or ``"mdy"`` for the file's day/month dates, or None when it has none (ISO only).

    ``cells`` are (line, text). A first number above 12 means day first; a second above 12, month first.
    ``given`` (from the person) wins. Raises DateOrderError when no row decides, CsvError when rows disagree.
    """
    day_first: tuple[int, str] | None = None
    month_first: tuple[int, str] | None = None
    example: tuple[int, str] | None = None
    for line, text in cells:
        raw = _split_date(text)
        if raw is None or raw.iso:
            continue
        if raw.first > 12 and raw.second <= 12 and day_first is None:
            day_first = (line, text.strip())
        elif raw.second > 12 and raw.first <= 12 and month_first is None:
            month_first = (line, text.strip())
        elif raw.first != raw.second and raw.first <= 12 and raw.second <= 12 and example is None:
            example = (line, text.strip())
    if given is not None:
        return given
    if day_first and month_first:
        raise problem_error(
            Problem(
                month_first[0],
                column,
                None,
                f"the dates mix day/month/year ('{shorten(day_first[1], 30)}' on line {day_first[0]}) and "
                f"month/day/year ('{shorten(month_first[1], 30)}' on line {month_first[0]})",
                "write every date the same way, day first or month first",
            )
        )
    if day_first:
        return "dmy"
    if month_first:
        return "mdy"
    if example:
        line, text = example
        raw = _split_date(text)
        assert raw is not None
        as_dmy = _describe(raw, "dmy")
        as_mdy = _describe(raw, "mdy")
        raise DateOrderError(
            f"'{shorten(text, 30)}' could be {as_dmy} (day/month/year) or {as_mdy} (month/day/year), and no "
            "date in the file has a day above 12 to tell",
            line,
            column,
            example=text,
        )
    return None


def date_order_question(table: Table, mapping: Mapping | None = None) -> DateOrderError | None:
    """The question to ask when the file's day/month dates could be read either way (none has a number
    above 12), as a DateOrderError not raised: its message shows an example read both ways. None when the
    file decides by itself, has no such dates, mixes the two orders, or ``mapping`` names no date column here.

    A choice made for the file stays a choice while this is not None: the page keeps it visible to change.
    """
    mapping = mapping or auto_mapping(table)
    if mapping is None:
        return None
    try:
        index = resolve_columns(table, mapping)["date"]
        decide_date_order(((ln, cells[index]) for ln, cells in table.rows), table.header[index])
    except DateOrderError as question:
        return question
    except CsvError:
        return None
    return None


def _describe(raw: _RawDate, order: str) -> str:
    try:
        date, _ = _to_date(raw, order, None)
    except ValueError:
        return "no date"
    return f"{date.day} {date.strftime('%B')} {date.year}"


def _decimal(text: str) -> Decimal | None:
    """ASCII digits with an optional ``.`` or ``,`` decimal part; None when it is not such a number.

    Leading zeros are dropped first, and at most 9 digits are kept on either side (a longer number is out of
    every scale anyway, and the result says "too large" by being huge).
    """
    m = re.fullmatch(r"([+-]?)0*([0-9]*)(?:[.,]([0-9]+))?", text.strip().replace(" ", ""))
    if m is None or not (m.group(2) or m.group(3) or "0" in text):
        return None
    whole = m.group(2)[:10] or "0"  # 10 digits: out of range, and Decimal stays small
    fraction = (m.group(3) or "0")[:9]
    try:
        return Decimal(f"{m.group(1)}{whole}.{fraction}")
    except InvalidOperation:
        return None


def parse_pain(text: str, scale: str) -> int | None:
    """A pain cell on ``scale`` as 0-10 (None when empty); ValueError with the reason and the fix."""
    value = text.strip()
    if value == "":
        return None
    low, high, _ = SCALES[scale]
    if scale == "0-10":
        m = re.fullmatch(r"(.+?)\s*/\s*10", value)
        if m:
            value = m.group(1)
    number = _decimal(value)
    if number is None:
        raise ValueError(f"is not a number|write a number from {low} to {high}")
    if not low <= number <= high:
        raise ValueError(f"must be from {low} to {high}|write a number from {low} to {high}")
    if scale == "0-10":
        if number != number.to_integral_value():
            lower = int(number)
            raise ValueError(f"is not a whole number|pain is a whole number: write {lower} or {lower + 1}")
        return int(number)
    if scale == "1-5":
        converted = (number - 1) * Decimal("2.5")
    else:
        converted = number / 10
    return int(converted.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_routine(text: str) -> bool:
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError("is not yes or no|write 1, yes, true or x when the routine was done; 0, no or nothing when not")


def restore(cell: str) -> str:
    """Undo the apostrophe hipknee's CSV export puts before a cell a spreadsheet would run as a formula."""
    return cell[1:] if cell.startswith("'") else cell


# ---- the whole table ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedRow:
    """One journal entry from the file; ``line`` is the first line it came from, ``lines`` all of them."""

    line: int
    entry: Entry
    lines: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParsedFile:
    rows: list[ParsedRow]
    mapping: Mapping
    date_order: str | None
    ignored_columns: list[str]
    combined_days: int  # days that had more than one row

    @property
    def entries(self) -> list[Entry]:
        return [r.entry for r in self.rows]


@dataclass
class _Day:
    lines: list[int]
    worst: list[int]
    activity: list[int]
    routine: bool
    notes: list[tuple[dt.time | None, int, str]]  # (time of day if known, line, text)

    def joined_notes(self) -> str:
        """The notes in time order when each has a time, else in the order of the file."""
        if all(clock is not None for clock, _, _ in self.notes):
            ordered = sorted(self.notes, key=lambda n: (n[0], n[1]))
        else:
            ordered = sorted(self.notes, key=lambda n: n[1])
        return NOTES_JOIN.join(text for _, _, text in ordered)


def parse_table(
    table: Table,
    mapping: Mapping | None = None,
    *,
    today: dt.date,
    date_order: str | None = None,
    tz: dt.tzinfo | None = None,
) -> ParsedFile:
    """Check every row and build the entries (several rows a day combined); CsvError listing every problem.

    ``mapping`` None means hipknee's own columns found by name (NeedsMappingError when they are not there).
    ``date_order`` ("dmy"/"mdy") settles day/month dates no row decides; ``tz`` moves timestamps that carry a
    UTC offset into that zone before their date is taken. Nothing is written here.
    """
    if mapping is None:
        mapping = auto_mapping(table)
        if mapping is None:
            raise NeedsMappingError(
                "the header's columns are not hipknee's own (date, worst_pain, activity_pain, did_routine, notes); "
                f"found {shorten(', '.join(table.header))}; choose which column is which",
                1,
            )
    if date_order is not None and date_order not in DATE_ORDERS:
        raise CsvError(f"the date order must be dmy or mdy, not {shorten(date_order, 10)}")
    index = resolve_columns(table, mapping)
    names = {f: table.header[i] for f, i in index.items()}
    date_col = index["date"]
    # A date order the file does not settle is one problem among the others: the rows are still checked (a
    # day/month date against both readings), so the person learns everything else at the same time.
    order_error: CsvError | None = None
    try:
        order = decide_date_order(((ln, cells[date_col]) for ln, cells in table.rows), names["date"], date_order)
    except CsvError as exc:
        order, order_error = None, exc
    undecided = order_error is not None
    escaped = table.kind == "csv"  # hipknee's CSV export puts an apostrophe before formula-like notes

    found: list[Problem] = list(table.problems)  # rows with the wrong number of cells
    late: set[dt.date] = set()  # refused for being after today

    def problem(line: int, name: str, value: str | None, message: str) -> None:
        reason, _, fix = message.partition("|")
        found.append(Problem(line, names.get(name, name), value, reason, fix))

    days: dict[dt.date, _Day] = {}
    for line, cells in table.rows:
        text = cells[date_col]
        raw = _split_date(text)
        date: dt.date | None = None
        clock: dt.time | None = None
        if raw is None:
            problem(
                line,
                "date",
                text,
                "is not a date|write dates as YYYY-MM-DD, like 2026-03-01"
                if text.strip()
                else "the date is missing|every row needs a date",
            )
        else:
            try:
                readings = _possible_dates(raw, order, tz, undecided=undecided)
            except ValueError:
                problem(line, "date", text, "is not a date on the calendar|check the day and the month")
            else:
                refused: list[tuple[dt.date, ValidationError]] = []
                for possible, possible_clock in readings:
                    try:
                        check_date(possible, today=today)
                    except ValidationError as exc:
                        refused.append((possible, exc))
                    else:
                        date, clock = possible, possible_clock
                        break
                if date is None:  # every reading is out of range
                    wrong, why = refused[0]
                    if wrong > today:
                        late.add(wrong)
                    fix = (
                        "dates after today cannot be recorded; check the date, or the time zone"
                        if wrong > today
                        else "the journal starts in 2000"
                    )
                    problem(line, "date", text, str(why).removeprefix("date ") + "|" + fix)
                elif undecided:
                    date = None  # no entry is built before the order is known
        worst: int | None = None
        activity: int | None = None
        ok = True
        for name in ("worst_pain", "activity_pain"):
            if name not in index:
                continue
            value = cells[index[name]]
            try:
                parsed = parse_pain(value, mapping.scale)
            except ValueError as exc:
                problem(line, name, value, str(exc))
                ok = False
                continue
            if name == "worst_pain":
                if parsed is None:
                    problem(line, name, None, "worst pain is required|every row needs its worst pain, a number")
                    ok = False
                worst = parsed
            else:
                activity = parsed
        routine = False
        if "did_routine" in index:
            value = cells[index["did_routine"]]
            try:
                routine = parse_routine(value)
            except ValueError as exc:
                problem(line, "did_routine", value, str(exc))
                ok = False
        if TIME_FIELD in index:  # the time of day in a column of its own wins over one in the date cell
            value = cells[index[TIME_FIELD]]
            try:
                clock = parse_time(value) or clock
            except ValueError as exc:
                problem(line, TIME_FIELD, value, str(exc))
                ok = False
        notes = cells[index["notes"]] if "notes" in index else ""
        if escaped:
            notes = restore(notes)
        if date is None or not ok or worst is None:
            continue
        day = days.setdefault(date, _Day([], [], [], False, []))
        day.lines.append(line)
        day.worst.append(worst)
        if activity is not None:
            day.activity.append(activity)
        day.routine = day.routine or routine
        if notes != "":
            day.notes.append((clock, line, notes))

    rows: list[ParsedRow] = []
    for date in sorted(days):
        day = days[date]
        joined = day.joined_notes()
        try:
            entry = make_entry(
                date,
                max(day.worst),
                max(day.activity) if day.activity else None,
                day.routine,
                joined,
                today=today,
            )
        except ValidationError as exc:
            reason = str(exc)
            if exc.field and reason.startswith(exc.field + " "):
                reason = reason[len(exc.field) + 1 :]
            fix = "shorten the notes" if exc.field == "notes" else ""
            problem(min(day.lines), exc.field or "", None, reason + ("|" + fix if fix else ""))
            continue
        rows.append(ParsedRow(min(day.lines), entry, tuple(sorted(day.lines))))

    if found or order_error is not None:
        found.sort(key=lambda p: p.line or 0)  # stable: a line's problems stay in column order
        every = [*order_error.problems[:1], *found] if order_error is not None else found
        shown = every[:MAX_PROBLEMS]
        error = (
            DateOrderError(
                order_error.reason,
                order_error.line or 0,
                order_error.column or "",
                order_error.example,
                problems=shown,
                problem_count=len(every),
            )
            if isinstance(order_error, DateOrderError)
            else problems_error(shown, len(every))
        )
        error.future_dates = tuple(sorted(late))
        raise error
    if not rows:
        raise problem_error(
            Problem(None, None, None, "the file has a header but no entries", "add a row under the header for each day")
        )
    return ParsedFile(
        rows,
        mapping,
        order,
        ignored_columns(table, mapping),
        sum(1 for d in days.values() if len(d.lines) > 1),
    )


def parse_file(
    data: bytes,
    mapping: Mapping | None = None,
    *,
    today: dt.date,
    date_order: str | None = None,
    tz: dt.tzinfo | None = None,
) -> ParsedFile:
    """``read_table`` then ``parse_table``."""
    return parse_table(read_table(data), mapping, today=today, date_order=date_order, tz=tz)


def preview(parsed: ParsedFile, limit: int = 5) -> list[dict[str, object]]:
    """The first entries as they will be stored, one dict per day (for the page's preview table)."""
    return [
        {
            "date": r.entry.date.isoformat(),
            "worst_pain": r.entry.worst_pain,
            "activity_pain": r.entry.activity_pain,
            "did_routine": "yes" if r.entry.did_routine else "no",
            "notes": r.entry.notes,
            "from lines": ", ".join(map(str, r.lines)),
        }
        for r in parsed.rows[:limit]
    ]


# Words in a column name that suggest a field, checked in this order (the page's first guess only).
GUESS_WORDS: dict[str, tuple[str, ...]] = {
    "date": ("full_date", "date", "day", "when", "time"),
    "worst_pain": ("worst", "pain", "score", "level"),
    "activity_pain": ("activity",),
    "did_routine": ("routine", "exercise", "done", "workout"),
    "notes": ("note", "comment", "diary", "text"),
    TIME_FIELD: ("time",),
}


def guess_mapping(table: Table) -> dict[str, str | None]:
    """A first guess for the mapping step: field -> column name (or None), from words in the column names.

    Each column is guessed for at most one field; the person checks and changes it before anything is stored.
    """
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    names = [(h, normalise_name(h)) for h in table.header]
    for name in ("date", TIME_FIELD, "activity_pain", "worst_pain", "did_routine", "notes"):
        found = None
        for word in GUESS_WORDS[name]:
            found = next((h for h, n in names if word in n and h not in taken), None)
            if found:
                break
        if found:
            taken.add(found)
        out[name] = found
    return {name: out[name] for name in MAP_FIELDS}


def guess_scale(column: str | None) -> str:
    """``1-5`` or ``0-100`` when the pain column's name says so (``Mood (1-5)``), else ``0-10``."""
    text = (column or "").replace(" ", "").replace("\u2013", "-")
    for scale in ("1-5", "0-100"):
        if scale in text or scale.replace("-", "to") in text:
            return scale
    return "0-10"
