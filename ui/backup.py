"""Your data page: the full backup, restore (asks before replacing) and delete everything (asks first).

Rules live in ``hipknee.backup`` and the store; this is the Streamlit glue the page calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from hipknee import backup as backups
from hipknee.store import Store
from ui.feedback import flash, reported, show_flash

RESTORE_OPEN_KEY = "restore_confirm_open"  # the confirmation stays open across reruns until closed
RESTORE_SLOT = "restore"  # where the outcome of a restore is shown after its rerun
DELETE_OPEN_KEY = "delete_all_open"  # the dialog stays open across reruns until closed on purpose


def _restore(store: Store, upload_data: bytes, *, today: dt.date, replace: bool) -> bool:
    """Check the whole file, then write it all or nothing; True when restored (its message kept for the rerun)."""
    with reported("Nothing was restored.") as done:
        try:
            checked = backups.read_backup(upload_data, today=today)
            counts = backups.restore(store, checked, replace=replace)
        except backups.BackupConflict:
            st.session_state[RESTORE_OPEN_KEY] = True  # data arrived meanwhile: ask first
            return False
    if done.ok:
        flash(f"Backup restored: {backups.describe_counts(counts)}.", slot=RESTORE_SLOT)
    return done.ok


def full_backup_maker(store: Store) -> Callable[[], bytes]:
    """The full backup, built only when a download button is pressed (its cost grows with the journal)."""
    return lambda: backups.make_backup(store)


def _close_restore_confirmation() -> None:
    st.session_state[RESTORE_OPEN_KEY] = False


def backup_and_restore_sections(store: Store, *, today: dt.date) -> None:
    """"Download a full backup" and "Restore a backup", with the confirmation before replacing data."""
    full_backup = full_backup_maker(store)
    has_any_data = backups.has_data(store)

    st.header("Download a full backup")
    st.write(
        f"Everything of yours in one file: {backups.holds()}. Restore it here to get your journal back exactly "
        "as it was, on this or another device."
    )
    st.download_button(
        "Download a full backup", data=full_backup, file_name=backups.backup_file_name(today),
        mime=backups.MIME, icon=":material/download:", on_click="ignore", disabled=not has_any_data,
        key="download_backup",
    )

    st.header("Restore a backup")
    show_flash(RESTORE_SLOT)
    st.caption(
        "Choose a full backup file made by hipknee. The whole file is checked first: if anything in it is "
        "wrong, nothing is changed. If your journal already has data, you will be asked before it is replaced."
    )
    backup_upload = st.file_uploader("Backup file", type=["json"], key="restore_file")
    if backup_upload is None:
        st.session_state[RESTORE_OPEN_KEY] = False  # a confirmation never outlives its file
    if store.read_only:
        st.caption(
            "You are looking at sample data, which cannot be changed; go back to your own data to restore."
        )

    @st.dialog("Replace your data with this backup?", on_dismiss=_close_restore_confirmation)
    def confirm_restore() -> None:
        st.write(
            f"Your journal already has data. Restoring **deletes all of it** ({backups.holds()}) and puts the "
            "backup's data in its place. It cannot be undone."
        )
        st.download_button(
            "Download a full backup of my current data first", data=full_backup,
            file_name=backups.backup_file_name(today), mime=backups.MIME, icon=":material/download:",
            on_click="ignore", key="download_before_restore",
        )
        cancel, go = st.columns(2)
        if cancel.button("Cancel", width="stretch", key="cancel_restore"):
            _close_restore_confirmation()
            st.rerun()
        replace = go.button("Replace and restore", type="primary", width="stretch", key="confirm_restore")
        if replace and (backup_upload is None or _restore(store, backup_upload.getvalue(), today=today, replace=True)):
            _close_restore_confirmation()
            st.rerun()

    if st.button(
        "Restore a backup", disabled=backup_upload is None or store.read_only,
        icon=":material/settings_backup_restore:", key="restore_button",
    ):
        assert backup_upload is not None  # the button is disabled without a file
        with reported("Nothing was restored.") as valid:  # a bad file is refused before anyone is asked anything
            backups.read_backup(backup_upload.getvalue(), today=today)
        if valid.ok:
            if has_any_data:
                st.session_state[RESTORE_OPEN_KEY] = True
            elif _restore(store, backup_upload.getvalue(), today=today, replace=False):
                st.rerun()
    if st.session_state.get(RESTORE_OPEN_KEY) and backup_upload is not None and not store.read_only:
        confirm_restore()


def _close_delete_confirmation() -> None:
    st.session_state[DELETE_OPEN_KEY] = False


def delete_all_section(
    store: Store, *, today: dt.date, journal_csv: Callable[[], bytes], csv_name: str, sample_mode: bool
) -> None:
    """"Delete all my data", behind a dialog that offers both downloads first and wants DELETE typed."""

    @st.dialog("Delete all your data?", on_dismiss=_close_delete_confirmation)
    def confirm_delete_all() -> None:
        st.write(
            f"This removes **all** your {backups.holds()}. It cannot be undone."
        )
        st.download_button(
            "Download a copy first", data=journal_csv, file_name=csv_name, mime="text/csv",
            icon=":material/download:", on_click="ignore", key="download_before_delete",
        )
        st.download_button(
            "Download a full backup first", data=full_backup_maker(store),
            file_name=backups.backup_file_name(today), mime=backups.MIME, icon=":material/download:",
            on_click="ignore", key="download_backup_before_delete",
        )
        typed = st.text_input("Type DELETE to confirm", key="delete_confirm_text")
        cancel, delete = st.columns(2)
        if cancel.button("Cancel", width="stretch", key="cancel_delete_all"):
            _close_delete_confirmation()
            st.rerun()
        if delete.button(
            "Delete everything", type="primary", width="stretch", disabled=typed.strip() != "DELETE",
            key="confirm_delete_all",
        ):
            with reported("Nothing was deleted.") as deleted:
                store.delete_all_data()
            if deleted.ok:
                _close_delete_confirmation()
                flash("All your data has been deleted.")
                st.rerun()

    st.header("Delete all my data")
    if sample_mode:
        st.caption("You are looking at sample data; go back to your own data to manage it.")
        return
    st.write("Removes everything this app holds about you. You will be asked to confirm.")
    if st.button("Delete all my data…", icon=":material/delete_forever:", key="delete_all"):
        st.session_state[DELETE_OPEN_KEY] = True
    if st.session_state.get(DELETE_OPEN_KEY):
        confirm_delete_all()
