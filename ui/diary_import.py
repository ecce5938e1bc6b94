"""The Your data page's import: choose a file, map its columns when they are not hipknee's own, preview, import.

Every rule is in ``hipknee.diary_import``; this module only asks and shows. Text from the file (column names,
values, problems) is shown as plain text: ``md()`` in Markdown, as-is in ``format_func`` and the preview table.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import streamlit as st

from hipknee import csvio, diary_import
from hipknee.diary_import import CsvError, DateOrderError, Mapping, ParsedFile, Table
from hipknee.errors import HipkneeError
from hipknee.plaintext import md, shorten
from hipknee.store import ON_CONFLICT_CHOICES, Store
from ui.feedback import error_text, flash

NONE = "(none)"
FIELD_LABELS = {
    "date": "Date column",
    "time": "Time of day (optional: puts the notes of a day with several rows in time order)",
    "worst_pain": "Pain column (worst pain of the day)",
    "activity_pain": "Pain during activity (optional)",
    "did_routine": "Routine done (optional: yes/no, true/false, 1/0, ticked/blank)",
    "notes": "Notes (optional)",
}
SCALE_LABELS = {
    "0-10": "0 to 10 (used as it is)",
    "1-5": "1 to 5 (converted: 1→0, 2→3, 3→5, 4→8, 5→10)",
    "0-100": "0 to 100 (converted: divided by 10 and rounded, so 25→3, 50→5)",
}
DATE_ORDER_LABELS = {"dmy": "Day first (31/10/2026)", "mdy": "Month first (10/31/2026)"}
CONFLICT_LABELS = {
    "fail": "Stop, and import nothing",
    "skip": "Keep what is already in my journal",
    "replace": "Use the file's version",
}
CONFLICT_HINT = "To import it anyway, choose what to do when a date is already in your journal."
PREVIEW_ROWS = 5
DATE_ORDER_KEY = "import_date_order"
SCALE_KEY = "map_scale"


def fingerprint(data: bytes) -> str:
    """Which file this is, by its content: the choices made for a file belong to it (issue 16)."""
    return hashlib.sha256(data).hexdigest()[:16]


def file_key(name: str, file: str) -> str:
    """The widget key of a choice made for one file (``file`` is its ``fingerprint``): another file gets
    fresh widgets, so an answer given for the last file is never applied to this one."""
    return f"{name}-{file}"


def problems_text(exc: HipkneeError, prefix: str) -> str:
    """An error as Markdown source that shows as plain text: one line, or a list of every problem."""
    if isinstance(exc, CsvError) and exc.problem_count > 1:
        return problem_list(exc.problems, exc.problem_count, f"{md(prefix)} The file has {exc.problem_count} problems")
    return error_text(exc, prefix)


def problem_list(problems: Sequence[object], count: int, head: str) -> str:
    """``head`` (Markdown), then each problem as a plain-text list item, then "...and N more" if some are not listed."""
    more = count - len(problems)
    items = [f"- {md(p)}" for p in problems] + ([f"- ...and {more} more"] if more > 0 else [])
    return head + (f" (the first {len(problems)} are listed):" if more > 0 else ":") + "\n\n" + "\n".join(items)


def _mapping_step(table: Table, file: str) -> Mapping | None:
    """Ask which column is which (first guesses filled in); None until date and pain are chosen."""
    st.info(
        "This file's columns are not hipknee's own, so say which column holds what. Nothing is stored until "
        f"you press Import. Columns in this file: {md(shorten(', '.join(table.header)))}",
        icon=":material/table_view:",
    )
    guess = diary_import.guess_mapping(table)
    options = [NONE, *table.header]
    columns: dict[str, str] = {}
    for name in ("date", diary_import.TIME_FIELD, *diary_import.FIELDS[1:]):
        default = guess.get(name)
        choice = st.selectbox(
            FIELD_LABELS[name], options, index=options.index(default) if default else 0,
            key=file_key(f"map_{name}", file),
        )
        if choice != NONE:
            columns[name] = choice
        if name == "worst_pain":
            scales = list(diary_import.SCALES)
            st.radio(
                "Scale of the pain column", scales, index=scales.index(diary_import.guess_scale(columns.get(name))),
                format_func=SCALE_LABELS.get, key=file_key(SCALE_KEY, file), horizontal=True,
            )
    if "date" not in columns or "worst_pain" not in columns:
        st.warning("Choose the date column and the pain column to go on.", icon=":material/warning:")
        return None
    return Mapping(columns, scale=st.session_state[file_key(SCALE_KEY, file)])


def _date_order(table: Table, mapping: Mapping | None, file: str) -> str | None:
    """While the file's dates could be read either way: the question (until answered) and the choice, which
    stays on the page to change. The chosen order, or None."""
    question = diary_import.date_order_question(table, mapping)
    if question is None:
        return None
    key = file_key(DATE_ORDER_KEY, file)
    if st.session_state.get(key) is None:
        st.warning(f"{md(question)}. Choose how this file writes its dates:", icon=":material/calendar_month:")
    else:
        st.caption(f"{md(question)}. The dates are read as you chose here: change it if the preview is wrong.")
    return st.radio(
        "Dates in this file", diary_import.DATE_ORDERS, index=None, format_func=DATE_ORDER_LABELS.get,
        key=key, horizontal=True,
    )


def _parse(table: Table, mapping: Mapping | None, *, file: str, today, timezone) -> ParsedFile | None:
    """Check the whole file; show what is wrong (every problem) or None. Asks the date order if needed."""
    order = _date_order(table, mapping, file)
    try:
        return diary_import.parse_table(table, mapping, today=today, date_order=order, tz=timezone)
    except DateOrderError as exc:  # the question is on the page (above): list the other problems
        others = exc.problem_count - 1
        if others:
            st.error(
                problem_list(
                    exc.problems[1:], others,
                    f"Also fix {'this problem' if others == 1 else f'these {others} problems'} before importing",
                ),
                icon=":material/error:",
            )
        return None
    except CsvError as exc:
        st.error(problems_text(exc, "This file cannot be imported yet."), icon=":material/error:")
        return None


def _show_preview(parsed: ParsedFile) -> None:
    shown = min(PREVIEW_ROWS, len(parsed.rows))
    st.write(f"**Preview**: the first {shown} of {len(parsed.rows)} days as they will be stored.")
    st.dataframe(diary_import.preview(parsed, PREVIEW_ROWS), hide_index=True)
    notes = []
    if parsed.mapping.scale != "0-10":
        notes.append(f"Pain {SCALE_LABELS[parsed.mapping.scale]}.")
    if parsed.combined_days:
        notes.append(
            f"{parsed.combined_days} {'day has' if parsed.combined_days == 1 else 'days have'} several rows: "
            "each keeps its worst pain, counts the routine as done if any row says so, and joins the notes."
        )
    if parsed.ignored_columns:
        notes.append("Not imported: " + md(", ".join(parsed.ignored_columns)) + ".")
    if notes:
        st.caption(" ".join(notes))


def import_section(store: Store, *, today, timezone) -> None:
    """Upload, (map), preview, choose what to do with dates already there, import all or nothing."""
    upload = st.file_uploader(
        "CSV or Excel file", type=["csv", "txt", "tsv", "xlsx"], key="import_file",
        help="A CSV file (comma, semicolon or tab separated) or an Excel workbook (.xlsx, first sheet).",
    )
    parsed: ParsedFile | None = None
    if upload is not None:
        data = upload.getvalue()
        file = fingerprint(data)
        try:
            table = diary_import.read_table(data)
        except CsvError as exc:
            st.error(problems_text(exc, "This file cannot be read."), icon=":material/error:")
        else:
            own_columns = diary_import.auto_mapping(table) is not None
            mapping = None if own_columns else _mapping_step(table, file)
            if mapping is not None or own_columns:
                parsed = _parse(table, mapping, file=file, today=today, timezone=timezone)
        if parsed is not None:
            _show_preview(parsed)
    on_conflict = st.radio(
        "If a date is already in your journal", ON_CONFLICT_CHOICES, format_func=CONFLICT_LABELS.get,
        key="import_conflict",
    )
    if store.read_only:
        st.caption("You are looking at sample data, which cannot be changed; go back to your own data to import.")
    if st.button(
        "Import", disabled=parsed is None or store.read_only, icon=":material/upload:", key="import_button"
    ):
        assert parsed is not None
        try:
            result = csvio.import_parsed(store, parsed, on_conflict=on_conflict)
        except HipkneeError as exc:
            text = problems_text(exc, "Nothing was imported.")
            if isinstance(exc, csvio.CsvConflictError):
                text += f" {CONFLICT_HINT}"
            st.error(text, icon=":material/error:")
        else:
            flash(
                f"Imported: {result.added} added, {result.replaced} replaced, {result.skipped} kept as they were.",
                slot="import",
            )
            st.rerun()  # so the entry count and the download above include the import at once
