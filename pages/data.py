"""Your data: back it up, bring it back, or delete all of it."""

import streamlit as st

from hipknee import backup as backups
from hipknee import csvio
from hipknee.store import ON_CONFLICT_CHOICES
from ui.feedback import flash, reported, show_flash
from ui.router import ensure_routed
from ui.state import get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()
CONFIRM_OPEN_KEY = "delete_all_open"  # the dialog stays open across reruns until closed on purpose

st.title("Your data")
st.write(
    "Your journal stays in this app's own database. Nothing is sent anywhere else. "
    "Keep a copy, move it to another device, or remove it completely."
)

show_flash()  # "All your data has been deleted."

entry_count = store.count_entries()


def journal_csv() -> str:
    """Built only when the button is pressed, not on every rerun (its cost grows with the journal)."""
    return csvio.export_csv(store.list_entries())


backup_name = f"hipknee-journal-{TODAY.isoformat()}.csv"

st.subheader("Download a copy")
st.write(
    f"A spreadsheet-friendly CSV file of your {entry_count} daily "
    f"{'entry' if entry_count == 1 else 'entries'}. You can import it here again later."
)
st.caption(
    "The CSV holds your daily entries only: not your routine sessions, screenings, clearances or daily "
    "safety checks. To keep everything, use **Download a full backup** below."
)
st.download_button(
    "Download my journal (CSV)", data=journal_csv, file_name=backup_name, mime="text/csv",
    icon=":material/download:", on_click="ignore", disabled=entry_count == 0, key="download_csv",
)

st.subheader("Import from a CSV file")
st.caption(
    "The file needs the header `date,worst_pain,activity_pain,did_routine,notes`, like the download above. "
    "Every row is checked first: if any row is wrong, nothing is imported and you are told which line."
)
upload = st.file_uploader("CSV file", type=["csv"], key="import_file")
conflict_labels = {
    "fail": "Stop, and import nothing",
    "skip": "Keep what is already in my journal",
    "replace": "Use the file's version",
}
CONFLICT_HINT = "To import it anyway, choose what to do when a date is already in your journal."
on_conflict = st.radio(
    "If a date is already in your journal",
    ON_CONFLICT_CHOICES,
    format_func=conflict_labels.get,
    key="import_conflict",
)
if store.read_only:
    st.caption("You are looking at sample data, which cannot be changed; go back to your own data to import.")
if st.button(
    "Import", disabled=upload is None or store.read_only, icon=":material/upload:", key="import_button"
):
    with reported("Nothing was imported.", hints={csvio.CsvConflictError: CONFLICT_HINT}) as imported:
        result = csvio.import_csv(store, upload.getvalue(), today=TODAY, on_conflict=on_conflict)
    if imported.ok:
        flash(
            f"Imported: {result.added} added, {result.replaced} replaced, {result.skipped} kept as they were.",
            slot="import",
        )
        st.rerun()  # so the entry count and the download above include the import at once
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
