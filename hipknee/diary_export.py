"""Write the journal as a file: CSV (hipknee's own, and as Excel on Windows reads it), .xlsx, and a template.

Header: ``date,worst_pain,activity_pain,did_routine,notes``; YYYY-MM-DD dates; empty cells for missing values;
``did_routine`` is 0 or 1. Cells a spreadsheet would run as a formula are neutralised with a leading
apostrophe (``hipknee.diary_import.restore`` takes it off again); fields that need it are quoted
(``quote_field``): a round trip export -> import -> export gives the same bytes.

Kept apart from the importer so ``hipknee export`` does not load it (issue 18).
"""

from __future__ import annotations

import datetime as dt
import io

from hipknee.diary_format import HEADER
from hipknee.journal import Entry

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def neutralise(cell: str) -> str:
    # A cell that already starts with the escape gets one too, so restore() is exact for every text.
    if cell.startswith(FORMULA_STARTS) or cell.startswith(ESCAPE):
        return ESCAPE + cell
    return cell


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
    return "\n".join([",".join(HEADER)] + [_row(e) for e in entries]) + "\n"


def _row(e: Entry) -> str:
    # Only the note can need quoting: a date, a whole number and 0/1 never hold a comma, quote or space.
    activity = "" if e.activity_pain is None else str(e.activity_pain)
    notes = quote_field(neutralise(e.notes)) if e.notes else ""
    return f"{e.date.isoformat()},{e.worst_pain},{activity},{'1' if e.did_routine else '0'},{notes}"


def export_csv_for_spreadsheets(entries: list[Entry]) -> bytes:
    """``export_csv`` as Excel on Windows reads it: UTF-8 with a byte-order mark, CRLF line ends.

    Line breaks inside notes stay as written (inside quotes); ``import_csv`` reads the file back as it is.
    """
    # Only the record ends become CRLF: a note's own line breaks live inside quotes and are kept as written.
    lines: list[str] = [",".join(HEADER)]
    for e in entries:
        lines.append(_row(e))
    body = "\r\n".join(lines) + "\r\n"
    return b"\xef\xbb\xbf" + body.encode("utf-8")


def template_csv(example_date: dt.date) -> str:
    """An empty journal to fill in: the header and one example row (dated ``example_date``)."""
    return export_csv([Entry(example_date, 4, 3, True, "Example row: replace or delete it")])


def export_xlsx(entries: list[Entry]) -> bytes:
    """Entries as an .xlsx workbook: real date cells (shown YYYY-MM-DD), number cells for pain and
    did_routine (1/0), notes as text (never a formula). ``import_csv`` reads it back to the same entries.

    Control characters an .xlsx cannot hold (other than tab and line breaks) are written as escapes
    such as ``\\x07``.
    """
    import openpyxl  # slow to import; only when a workbook is asked for
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "journal"
    sheet.append(HEADER)
    for number, e in enumerate(entries, start=2):
        notes = ILLEGAL_CHARACTERS_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), e.notes)
        sheet.append([e.date, e.worst_pain, e.activity_pain, 1 if e.did_routine else 0, None])
        sheet.cell(number, 1).number_format = "yyyy-mm-dd"
        cell = sheet.cell(number, 5)
        cell.value = notes
        cell.data_type = "s"  # a note starting with = stays text
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["E"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
