"""Streamlit glue for the routine gate (issue 4): the block, clearance and caution messages.

``render_routine_gate(store, today)`` is what the Routine page calls first. It shows why the routine cannot
start (and stops the script), or returns the gate when it may start ("ok", or "day_caution" with a warning).
The rules themselves live in ``hipknee.gate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from hipknee.analysis import WorseningAlert, worsening_alert
from hipknee.gate import RoutineGate, caution_reason_ids, routine_gate
from hipknee.plaintext import md
from hipknee.screening import load_screener
from hipknee.statuses import BaselineSource, GateStatus, Tier
from hipknee.store import ScreeningRecord
from ui.feedback import flash, reported, show_flash
from ui.pages import JOURNAL, SCREENER, link

TIER_BOX: dict[str, tuple[Callable[..., Any], str]] = {
    Tier.STOP: (st.error, ":material/local_hospital:"),
    Tier.CAUTION: (st.warning, ":material/stethoscope:"),
    Tier.OK: (st.success, ":material/check_circle:"),
}
GATE_BOX: dict[str, tuple[Callable[..., Any], str]] = {
    GateStatus.STOP: (st.error, ":material/local_hospital:"),
    GateStatus.DAY_STOP: (st.error, ":material/local_hospital:"),
    GateStatus.DAY_BLOCKED: (st.error, ":material/block:"),
    GateStatus.NEEDS_CLEARANCE: (st.warning, ":material/stethoscope:"),
    GateStatus.NO_SCREENING: (st.info, ":material/checklist:"),
    GateStatus.EXPIRED: (st.info, ":material/event_repeat:"),
    GateStatus.DAY_CAUTION: (st.warning, ":material/warning:"),
}
CLEARANCE_FLASH = "gate_clearance"  # the flash slot for "Clearance saved"
# The Trends page's starting-level choice (session state), so the alert is judged against the same start on
# every page (issue 13, point 3).
BASELINE_MODE_KEY = "trends_baseline_mode"  # a BaselineSource
BASELINE_RANGE_KEY = "trends_baseline_range"


def picked_baseline_range() -> tuple[dt.date, dt.date] | None:
    """The starting level picked on the Trends page in this session, or None for the automatic one."""
    if st.session_state.get(BASELINE_MODE_KEY) != BaselineSource.PICKED:
        return None
    picked = st.session_state.get(BASELINE_RANGE_KEY)
    if not picked or len(picked) != 2:
        return None
    return (min(picked), max(picked))


@st.cache_resource(max_entries=64, ttl=3600, show_spinner=False)
def _alert_for(
    url: str, user: str, fingerprint: tuple, day: dt.date, baseline_range: tuple[dt.date, dt.date] | None,
    _store: Any,
) -> WorseningAlert | None:
    """The worsening alert, computed again only when this person's data (its fingerprint), the day or the
    starting level changes. Shared read-only between sessions of the same person."""
    return worsening_alert(_store.entries_frame(), day, baseline_range)


def current_gate(store: Any, today: dt.date) -> RoutineGate:
    """``routine_gate`` with this session's starting level, and the alert cached on the data fingerprint: a
    rerun costs a few small queries, not a load of the whole journal."""
    picked = picked_baseline_range()

    def alert() -> WorseningAlert | None:
        return _alert_for(str(store.engine.url), store.user_id, store.data_fingerprint(), today, picked, store)

    return routine_gate(store, today, baseline_range=picked, alert=alert)


def render_alert_caution(gate: RoutineGate) -> bool:
    """The worsening alert's CAUTION box (Home), worded as on Routine, Trends and in the report."""
    if gate.alert is None:
        return False
    st.warning(f"**{gate.title}**\n\n{gate.message}", icon=":material/warning:")
    return True


def bullets(lines: tuple[str, ...] | list[str]) -> str:
    """A Markdown list of our own lines (each may hold Markdown)."""
    return "\n".join(f"- {line}" for line in lines)


def plain_bullets(lines: tuple[str, ...] | list[str]) -> str:
    """A Markdown list of lines shown as plain text (e.g. reasons read back from the database)."""
    return bullets([md(line) for line in lines])


def render_clearance_form(store: Any, record: ScreeningRecord, *, key: str = "gate") -> None:
    """The confirmation that a clinician has cleared the person for this CAUTION screening's reasons."""
    screener = load_screener()
    reason_ids = caution_reason_ids(record.reasons)
    titles = [
        (screener.rule(rid).title if screener.rule(rid) else rid) for rid in reason_ids
    ]
    with st.container(border=True):
        st.markdown("**Has a doctor or physiotherapist said you can start?**")
        st.markdown("Confirm it once they have looked at these reasons:\n\n" + plain_bullets(titles))
        confirmed = st.checkbox(
            "A doctor or physiotherapist has checked the reasons above and told me I can start these "
            "exercises.",
            key=f"{key}_clearance_confirmed",
        )
        if st.button(
            "Confirm clearance", type="primary", disabled=not confirmed, key=f"{key}_clearance_save",
            icon=":material/verified:",
        ):
            with reported("Not saved:") as saved:
                store.save_clearance(record.id, list(reason_ids))
            if saved.ok:
                flash("Clearance saved. Take it gently.", icon=":material/verified:", slot=CLEARANCE_FLASH)
                st.rerun()
        st.caption(
            "We keep today's date with these reasons. If a new reason comes up in a later screening, "
            "we'll ask again."
        )


def render_routine_gate(store: Any, today: dt.date) -> RoutineGate:
    """Show why the routine can't start and ``st.stop()``, or return the gate when it may start."""
    gate = current_gate(store, today)
    show_flash(CLEARANCE_FLASH)
    if gate.status == GateStatus.OK:
        return gate
    box, icon = GATE_BOX[gate.status]
    text = f"**{gate.title}**\n\n{gate.message}"
    if gate.check_date is not None:
        when = "today" if gate.check_date == today else f"on {gate.check_date:%A %d %B %Y}"
        text += f" (From your safety check {when}.)"
    if gate.advice:
        text += "\n\n" + plain_bullets(gate.advice)  # the screening's reasons, from the database
    box(text, icon=icon)
    if gate.allowed:  # day_caution: the routine may start, with the warning above
        return gate

    if gate.status in (GateStatus.NO_SCREENING, GateStatus.EXPIRED):
        link(SCREENER, "Take the safety screening (about 3 minutes)", ":material/checklist:")
    elif gate.status in (GateStatus.STOP, GateStatus.DAY_STOP):
        link(SCREENER, "Take a new screening once you have been checked", ":material/checklist:")
    elif gate.status == GateStatus.NEEDS_CLEARANCE:
        record = store.latest_screening()
        if record is not None:
            render_clearance_form(store, record)
    elif gate.status == GateStatus.DAY_BLOCKED:
        link(JOURNAL, "See today's safety check on the Journal page", ":material/edit_note:")
    if gate.status in (
        GateStatus.NEEDS_CLEARANCE, GateStatus.DAY_BLOCKED, GateStatus.NO_SCREENING, GateStatus.EXPIRED,
    ):
        st.caption("Meanwhile you can still keep your journal and read about hips and knees.")
    st.stop()
    return gate  # not reached; keeps type checkers happy
