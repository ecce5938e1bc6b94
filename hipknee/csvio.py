"""CSV export and import of daily entries.

Header: ``date,worst_pain,activity_pain,did_routine,notes``; YYYY-MM-DD dates; empty cells for missing values;
``did_routine`` is 0 or 1. Cells a spreadsheet would run as a formula are neutralised with a leading
apostrophe on export and restored on import; fields that need it are quoted (``quote_field``): a round
trip export -> import -> export gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from hipknee.errors import ImportConflictError, ValidationError, shorten
from hipknee.journal import Entry, make_entry, parse_date
from hipknee.store import ImportResult, Store

HEADER = ["date", "worst_pain", "activity_pain", "did_routine", "notes"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


class CsvError(ValidationError):
    """A problem with the file, with the line (1-based, counting the header) and column if known.

    ``conflicting_dates`` is set (sorted) when the only problem is dates already in the journal, so that the
    caller can say how to import anyway in its own terms (a CLI flag, a choice on the page).
    """

    def __init__(
        self, reason: str, line: int | None = None, column: str | None = None, *,
        conflicting_dates: tuple[dt.date, ...] = (),
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


class CsvConflictError(CsvError):
    """A date in the file is already in the journal (import with on_conflict "fail").

    The message says which; each caller adds how to go ahead in its own words (a CLI flag, a page option).
    """


def neutralise(cell: str) -> str:
    # A cell that already starts with the escape gets one too, so restore() is exact for every text.
    if cell.startswith(FORMULA_STARTS) or cell.startswith(ESCAPE):
        return ESCAPE + cell
    return cell


def restore(cell: str) -> str:
    return cell[1:] if cell.startswith(ESCAPE) else cell


def quote_field(cell: str) -> str:
    """One CSV field as written on export: quoted (``"`` doubled) when it needs it, else as it is.

    It needs quoting when it holds a comma, a quote, a line feed or a carriage return (the csv module
    leaves a bare CR unquoted when the line end is LF, and readers then split the row there), or starts
    or ends with white space (which some spreadsheets trim from unquoted cells).
    """
    if any(c in cell for c in ',"\n\r') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


def export_csv(entries: list[Entry]) -> str:
    """Entries as CSV text, LF line ends, header first; ``import_csv`` reads it back to the same entries."""
    lines = [",".join(HEADER)]
    for e in entries:
        cells = [
            e.date.isoformat(),
            str(e.worst_pain),
            "" if e.activity_pain is None else str(e.activity_pain),
            "1" if e.did_routine else "0",
            neutralise(e.notes),
        ]
        lines.append(",".join(quote_field(c) for c in cells))
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ParsedRow:
    line: int
    entry: Entry


def decode(data: bytes) -> str:
    if not data:
        raise CsvError("the file is empty")
    if b"\x00" in data:
        raise CsvError("the file looks binary (it contains NUL bytes), not CSV text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CsvError("the file is not UTF-8 text", line=line) from exc
    if not text.strip():
        raise CsvError("the file is empty")
    return text


def _parse_int(value: str, line: int, column: str, *, required: bool) -> int | None:
    value = value.strip()
    if value == "":
        if required:
            raise CsvError("a whole number from 0 to 10 is required", line, column)
        return None
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise CsvError(f"'{shorten(value, 20)}' is not a whole number", line, column)
    digits = value.lstrip("-").lstrip("0") or "0"
    if len(digits) > 2:  # out of range anyway; also keeps int() clear of its 4,300-digit limit
        raise CsvError(f"must be from 0 to 10, not {shorten(value, 20)}", line, column)
    return -int(digits) if value.startswith("-") else int(digits)


def parse_csv(data: bytes, *, today: dt.date) -> list[ParsedRow]:
    """Validate every row; raise CsvError for the first bad one. Nothing is written here."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[ParsedRow] = []
    seen: dict[dt.date, int] = {}
    next_line = 1
    try:
        header = next(reader, None)
        if header is None:
            raise CsvError("the file is empty")
        if header != HEADER:
            raise CsvError(
                f"the header must be exactly {','.join(HEADER)} (found {shorten(','.join(header))})",
                line=1,
            )
        next_line = reader.line_num + 1
        for cells in reader:
            line = next_line
            next_line = reader.line_num + 1
            if not cells:  # a blank line
                continue
            if len(cells) != len(HEADER):
                raise CsvError(f"expected {len(HEADER)} cells, found {len(cells)}", line)
            date_text, worst, activity, routine, notes = cells
            try:
                date = parse_date(date_text)
            except ValidationError as exc:
                raise CsvError(str(exc).removeprefix("date "), line, "date") from None
            if date in seen:
                raise CsvError(
                    f"{date.isoformat()} appears twice in the file (also on line {seen[date]})",
                    line, "date",
                )
            seen[date] = line
            if routine.strip() not in ("0", "1"):
                raise CsvError(f"must be 0 or 1, not '{shorten(routine, 20)}'", line, "did_routine")
            try:
                entry = make_entry(
                    date,
                    _parse_int(worst, line, "worst_pain", required=True),
                    _parse_int(activity, line, "activity_pain", required=False),
                    routine.strip() == "1",
                    restore(notes),
                    today=today,
                )
            except CsvError:
                raise
            except ValidationError as exc:
                reason = str(exc)
                if exc.field and reason.startswith(exc.field + " "):
                    reason = reason[len(exc.field) + 1 :]
                raise CsvError(reason, line, exc.field) from None
            rows.append(ParsedRow(line, entry))
    except csv.Error as exc:
        raise CsvError(f"malformed CSV ({exc})", reader.line_num or next_line) from None
    return rows


def import_csv(store: Store, data: bytes, *, today: dt.date, on_conflict: str = "fail") -> ImportResult:
    """Validate the whole file, then write all of it in one transaction, or nothing.

    Dates already in the journal (with ``on_conflict="fail"``) raise CsvError naming the first such line,
    with ``conflicting_dates`` set.
    """
    rows = parse_csv(data, today=today)
    if not rows:
        raise CsvError("the file has a header but no entries")
    try:
        return store.import_entries([r.entry for r in rows], on_conflict=on_conflict)
    except ImportConflictError as exc:
        clashing = set(exc.conflicting_dates)
        first = next(r for r in rows if r.entry.date in clashing)
        more = f" ({len(clashing)} dates clash in all)" if len(clashing) > 1 else ""
        raise CsvConflictError(
            f"{first.entry.date.isoformat()} is already in the journal{more}",
            first.line, "date", conflicting_dates=exc.conflicting_dates,
        ) from None
