"""Your data: back it up, bring it back, or delete all of it."""

import streamlit as st

from hipknee import backup as backups
from hipknee import csvio
from ui.diary_import import import_section
from ui.feedback import flash, reported, show_flash
from ui.router import ensure_routed
from ui.state import browser_zone, get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONFIRM_OPEN_KEY = "delete_all_open"  # the dialog stays open across reruns until closed on purpose

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
    return csvio.export_csv_for_spreadsheets(store.list_entries())


def journal_xlsx() -> bytes:
    """The same entries as an Excel workbook, built only when its button is pressed."""
    return csvio.export_xlsx(store.list_entries())


backup_name = f"hipknee-journal-{TODAY.isoformat()}.csv"

st.subheader("Download a copy")
st.write(
    f"Your {entry_count} daily {'entry' if entry_count == 1 else 'entries'}, for a spreadsheet (Excel, "
    "LibreOffice, Google Sheets). You can import either file here again later."
)
st.caption(
    "These files hold your daily entries only: not your routine sessions, screenings, clearances or daily "
    "safety checks. To keep everything, use **Download a full backup** below."
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

st.subheader("Import a diary")
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
        "joined.\n"
        "- **Files**: CSV separated by commas, semicolons or tabs (UTF-8, UTF-16 or Windows text), or an "
        "Excel workbook (.xlsx, first sheet)."
    )
st.download_button(
    "Download an empty template", data=csvio.template_csv(TODAY), file_name="hipknee-template.csv",
    mime="text/csv", icon=":material/description:", on_click="ignore", key="download_template",
    help="The header and one example row: fill it in, delete the example, and import it here.",
)
import_section(store, today=TODAY, timezone=browser_zone())
show_flash("import")


# ---- full backup (issue 11): every table of this person, restored all or nothing ----------------------

RESTORE_OPEN_KEY = "restore_confirm_open"  # the confirmation stays open across reruns until closed
RESTORE_SLOT = "restore"  # where the outcome of a restore is shown after its rerun


def _restore(upload_data: bytes, *, replace: bool) -> bool:
    """Check the whole file, then write it all or nothing; True when restored (its message kept for the rerun)."""
    with reported("Nothing was restored.") as done:
        try:
            checked = backups.read_backup(upload_data, today=TODAY)
            counts = backups.restore(store, checked, replace=replace)
        except backups.BackupConflict:
            st.session_state[RESTORE_OPEN_KEY] = True  # data arrived meanwhile: ask first
            return False
    if done.ok:
        flash(f"Backup restored: {backups.describe_counts(counts)}.", slot=RESTORE_SLOT)
    return done.ok


full_backup = backups.make_backup(store)
has_any_data = backups.has_data(store)

st.subheader("Download a full backup")
st.write(
    "Everything of yours in one file: daily entries, routine sessions, screenings, clearances and daily "
    "safety checks. Restore it here to get your journal back exactly as it was, on this or another device."
)
st.download_button(
    "Download a full backup", data=full_backup, file_name=backups.backup_file_name(TODAY), mime=backups.MIME,
    icon=":material/download:", on_click="ignore", disabled=not has_any_data, key="download_backup",
)

st.subheader("Restore a backup")
show_flash(RESTORE_SLOT)
st.caption(
    "Choose a full backup file made by hipknee. The whole file is checked first: if anything in it is "
    "wrong, nothing is changed. If your journal already has data, you will be asked before it is replaced."
)
backup_upload = st.file_uploader("Backup file", type=["json"], key="restore_file")
if backup_upload is None:
    st.session_state[RESTORE_OPEN_KEY] = False  # a confirmation never outlives its file
if store.read_only:
    st.caption("You are looking at sample data, which cannot be changed; go back to your own data to restore.")


def close_restore_confirmation() -> None:
    st.session_state[RESTORE_OPEN_KEY] = False


@st.dialog("Replace your data with this backup?", on_dismiss=close_restore_confirmation)
def confirm_restore() -> None:
    st.write(
        "Your journal already has data. Restoring **deletes all of it** (entries, routine sessions, "
        "screenings and safety checks) and puts the backup's data in its place. It cannot be undone."
    )
    st.download_button(
        "Download a full backup of my current data first", data=full_backup,
        file_name=backups.backup_file_name(TODAY), mime=backups.MIME, icon=":material/download:",
        on_click="ignore", key="download_before_restore",
    )
    cancel, go = st.columns(2)
    if cancel.button("Cancel", width="stretch", key="cancel_restore"):
        close_restore_confirmation()
        st.rerun()
    if go.button("Replace and restore", type="primary", width="stretch", key="confirm_restore"):
        if backup_upload is None:
            close_restore_confirmation()
            st.rerun()
        if _restore(backup_upload.getvalue(), replace=True):
            close_restore_confirmation()
            st.rerun()


if st.button(
    "Restore a backup", disabled=backup_upload is None or store.read_only, icon=":material/settings_backup_restore:",
    key="restore_button",
):
    with reported("Nothing was restored.") as valid:  # a bad file is refused before anyone is asked anything
        backups.read_backup(backup_upload.getvalue(), today=TODAY)
    if valid.ok:
        if has_any_data:
            st.session_state[RESTORE_OPEN_KEY] = True
        elif _restore(backup_upload.getvalue(), replace=False):
            st.rerun()
if st.session_state.get(RESTORE_OPEN_KEY) and backup_upload is not None and not store.read_only:
    confirm_restore()


def close_confirmation() -> None:
    st.session_state[CONFIRM_OPEN_KEY] = False


@st.dialog("Delete all your data?", on_dismiss=close_confirmation)
def confirm_delete_all() -> None:
    st.write(
        "This removes **every** journal entry, routine session, screening and safety check of yours. "
        "It cannot be undone."
    )
    st.download_button(
        "Download a copy first", data=journal_csv, file_name=backup_name, mime="text/csv",
        icon=":material/download:", on_click="ignore", key="download_before_delete",
    )
    st.download_button(
        "Download a full backup first", data=full_backup, file_name=backups.backup_file_name(TODAY),
        mime=backups.MIME, icon=":material/download:", on_click="ignore", key="download_backup_before_delete",
    )
    typed = st.text_input("Type DELETE to confirm", key="delete_confirm_text")
    cancel, delete = st.columns(2)
    if cancel.button("Cancel", width="stretch", key="cancel_delete_all"):
        close_confirmation()
        st.rerun()
    if delete.button(
        "Delete everything", type="primary", width="stretch", disabled=typed.strip() != "DELETE",
        key="confirm_delete_all",
    ):
        with reported("Nothing was deleted.") as deleted:
            store.delete_all_data()
        if deleted.ok:
            close_confirmation()
            flash("All your data has been deleted.")
            st.rerun()


st.subheader("Delete all my data")
if in_sample_mode():
    st.caption("You are looking at sample data; go back to your own data to manage it.")
else:
    st.write("Removes everything this app holds about you. You will be asked to confirm.")
    if st.button("Delete all my data…", icon=":material/delete_forever:", key="delete_all"):
        st.session_state[CONFIRM_OPEN_KEY] = True
    if st.session_state.get(CONFIRM_OPEN_KEY):
        confirm_delete_all()
