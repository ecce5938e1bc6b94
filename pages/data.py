"""Your data: back it up, bring it back, or delete all of it."""

import streamlit as st

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
        st.success(
            f"Imported: {result.added} added, {result.replaced} replaced, {result.skipped} kept as they were.",
            icon=":material/check_circle:",
        )


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
