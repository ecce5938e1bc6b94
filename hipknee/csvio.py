"""CSV export and import of daily entries, in one place for the pages and tests that do both.

Writing lives in ``hipknee.diary_export`` and reading in ``hipknee.diary_import``; this module adds the
all-or-nothing write of what was read (``import_parsed``, ``import_csv``).
"""

from __future__ import annotations

import datetime as dt

from hipknee.diary_export import (
    ESCAPE,
    FORMULA_STARTS,
    HEADER,
    export_csv,
    export_csv_for_spreadsheets,
    export_xlsx,
    neutralise,
    quote_field,
    template_csv,
)
from hipknee.diary_import import (
    CsvConflictError,
    CsvError,
    DateOrderError,
    Mapping,
    NeedsMappingError,
    ParsedFile,
    ParsedRow,
    parse_file,
    restore,
)
from hipknee.errors import ImportConflictError
from hipknee.store import ImportResult, Store

__all__ = [
    "ESCAPE",
    "FORMULA_STARTS",
    "HEADER",
    "CsvConflictError",
    "CsvError",
    "DateOrderError",
    "Mapping",
    "NeedsMappingError",
    "ParsedFile",
    "ParsedRow",
    "export_csv",
    "export_csv_for_spreadsheets",
    "export_xlsx",
    "import_csv",
    "import_parsed",
    "neutralise",
    "parse_csv",
    "quote_field",
    "restore",
    "template_csv",
]


def parse_csv(
    data: bytes,
    *,
    today: dt.date,
    mapping: Mapping | None = None,
    date_order: str | None = None,
    tz: dt.tzinfo | None = None,
) -> list[ParsedRow]:
    """Validate every row (all problems at once, see ``hipknee.diary_import``); nothing is written here."""
    return parse_file(data, mapping, today=today, date_order=date_order, tz=tz).rows


def import_parsed(store: Store, parsed: ParsedFile, *, on_conflict: str = "fail") -> ImportResult:
    """Write checked entries in one transaction, or nothing (CsvConflictError names the first clash)."""
    rows = parsed.rows
    try:
        return store.import_entries([r.entry for r in rows], on_conflict=on_conflict)
    except ImportConflictError as exc:
        clashing = set(exc.conflicting_dates)
        first = next(r for r in rows if r.entry.date in clashing)
        more = f" ({len(clashing)} dates clash in all)" if len(clashing) > 1 else ""
        raise CsvConflictError(
            f"{first.entry.date.isoformat()} is already in the journal{more}",
            first.line,
            "date",
            conflicting_dates=exc.conflicting_dates,
        ) from None


def import_csv(
    store: Store,
    data: bytes,
    *,
    today: dt.date,
    on_conflict: str = "fail",
    mapping: Mapping | None = None,
    date_order: str | None = None,
    tz: dt.tzinfo | None = None,
) -> ImportResult:
    """Validate the whole file (CSV or .xlsx), then write all of it in one transaction, or nothing.

    Dates already in the journal (with ``on_conflict="fail"``) raise CsvConflictError naming the first such
    line, with ``conflicting_dates`` set.
    """
    parsed = parse_file(data, mapping, today=today, date_order=date_order, tz=tz)
    return import_parsed(store, parsed, on_conflict=on_conflict)
