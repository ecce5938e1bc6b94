"""Your data: back it up, bring it back, or delete all of it."""

import streamlit as st

from hipknee import backup as backups
from hipknee import diary_export
from ui.backup import backup_and_restore_sections, delete_all_section
from ui.diary_import import import_section
from ui.feedback import show_flash
from ui.router import ensure_routed
from ui.state import browser_zone, get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

st.title("Your data")
st.write(
    "Your journal stays in this app's own database. Nothing is sent anywhere else. "
    "Keep a copy, move it to another device, or remove it completely."
)

show_flash()  # "All your data has been deleted."

entry_count = store.count_entries()


def journal_csv() -> bytes:
    """Built only when the button is pressed, not on every rerun (its cost grows with the journal).

    For spreadsheets: a UTF-8 byte-order mark and CRLF line ends (import reads it back as it is)."""
    return diary_export.export_csv_for_spreadsheets(store.list_entries())


def journal_xlsx() -> bytes:
    """The same entries as an Excel workbook, built only when its button is pressed."""
    return diary_export.export_xlsx(store.list_entries())


backup_name = f"hipknee-journal-{TODAY.isoformat()}.csv"

st.header("Download a copy")
st.write(
    f"Your {entry_count} daily {'entry' if entry_count == 1 else 'entries'}, for a spreadsheet (Excel, "
    "LibreOffice, Google Sheets). You can import either file here again later."
)
st.caption(
    f"These files hold your daily entries only: not your {backups.holds(leave_out=('daily_entries',), last='or')}. "
    "To keep everything, use **Download a full backup** below."
)
csv_column, xlsx_column = st.columns(2)
csv_column.download_button(
    "Download my journal (CSV)", data=journal_csv, file_name=backup_name, mime="text/csv",
    icon=":material/download:", on_click="ignore", disabled=entry_count == 0, key="download_csv",
)
xlsx_column.download_button(
    "Download my journal (Excel)", data=journal_xlsx,
    file_name=backup_name.removesuffix(".csv") + ".xlsx", mime=XLSX_MIME, icon=":material/table_view:",
    on_click="ignore", disabled=entry_count == 0, key="download_xlsx",
)

st.header("Import a diary")
st.write(
    "Bring in a journal from hipknee, a spreadsheet or another app. Every row is checked first: if anything "
    "is wrong, nothing is imported and every problem is listed with its line."
)
with st.expander("What the file can look like", icon=":material/help:"):
    st.markdown(
        "- **Columns**: `date`, `worst_pain`, and optionally `activity_pain`, `did_routine` and `notes`, in any "
        "order (capitals and spaces do not matter: *Worst pain* is fine). A file with other columns is fine "
        "too: you will be asked which column is which, and extra columns are left out.\n"
        "- **Dates**: 2026-10-31, or 31/10/2026 and 10/31/2026 (also with `.` or `-`). If no day in the file "
        "is above 12, you will be asked which comes first. A time after the date is allowed.\n"
        "- **Pain**: whole numbers from 0 to 10 (7/10 is fine); a 1–5 or 0–100 scale can be converted.\n"
        "- **Routine done**: 1/0, yes/no, true/false, or x/blank. **Notes**: any text.\n"
        "- **Several rows for one day** become one: the worst pain, routine done if any row says so, notes "
        "joined in time order when each row has a time (after the date, or in a *time* column), else in the "
        "file's order.\n"
        "- **Files**: CSV separated by commas, semicolons or tabs (UTF-8, UTF-16 or Windows text), or an "
        "Excel workbook (.xlsx, first sheet)."
    )
st.download_button(
    "Download an empty template", data=diary_export.template_csv(TODAY), file_name="hipknee-template.csv",
    mime="text/csv", icon=":material/description:", on_click="ignore", key="download_template",
    help="The header and one example row: fill it in, delete the example, and import it here.",
)
import_section(store, today=TODAY, timezone=browser_zone())
show_flash("import")

backup_and_restore_sections(store, today=TODAY)
delete_all_section(store, today=TODAY, journal_csv=journal_csv, csv_name=backup_name, sample_mode=in_sample_mode())
