"""Streamlit glue for the routine gate (issue 4): the block, clearance and caution messages.

``render_routine_gate(store, today)`` is what the Routine page calls first. It shows why the routine cannot
start (and stops the script), or returns the gate when it may start ("ok", or "day_caution" with a warning).
The rules themselves live in ``hipknee.gate``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from hipknee.analysis import Baseline, WorseningAlert, worsening_alert
from hipknee.gate import RoutineGate, caution_reason_ids, routine_gate
from hipknee.plaintext import md
from hipknee.screening import load_screener
from hipknee.statuses import BaselineSource, GateStatus, Tier
from hipknee.store import ScreeningRecord
from hipknee.trends_text import alert_box, alert_routine_note
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

# ---- the one starting level of this session (issue 13, point 3) ----------------------------------------
# The Trends page's two widgets (their keys; tests use them) ...
BASELINE_MODE_KEY = "trends_baseline_mode"  # a BaselineSource
BASELINE_RANGE_KEY = "trends_baseline_range"
# ... and the choice itself, in a key no widget owns. Streamlit drops a widget's value after a run in which
# the widget is not drawn (any run of Home or Routine), so the widgets cannot hold it: their callbacks copy
# each change here, and the Trends page seeds them from here before drawing them. Every page's alert (the
# gate), the cards, the chart band and the report read this one value.
BASELINE_CHOICE_KEY = "trends_baseline_choice"


@dataclass(frozen=True)
class BaselineChoice:
    """The starting level chosen on the Trends page: "auto" (the first week with enough ratings) or
    "picked" (``dates``, as the date picker holds them: none yet, one while the end is still to be picked,
    or two)."""

    mode: str = BaselineSource.AUTO
    dates: tuple[dt.date, ...] = ()

    @property
    def range(self) -> tuple[dt.date, dt.date] | None:
        """The picked dates in order, or None when the automatic starting level applies."""
        if self.mode != BaselineSource.PICKED or len(self.dates) != 2:
            return None
        return (min(self.dates), max(self.dates))

    def within(self, first: dt.date, last: dt.date) -> BaselineChoice:
        """The same choice with its dates moved inside ``first``..``last`` (the date picker refuses dates
        outside its bounds, e.g. after the journal's first entries were removed)."""
        return replace(self, dates=tuple(min(max(d, first), last) for d in self.dates))


def _scope(store: Any) -> tuple[str, str]:
    # A choice belongs to one journal: the person's own or the sample data, and one signed-in person.
    return (str(store.engine.url), str(store.user_id))


def baseline_choice(store: Any) -> BaselineChoice:
    """This session's starting-level choice for ``store``'s journal (automatic until one is picked)."""
    saved = st.session_state.get(BASELINE_CHOICE_KEY)
    if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == _scope(store):
        return saved[1]
    return BaselineChoice()


def set_baseline_choice(store: Any, choice: BaselineChoice) -> None:
    st.session_state[BASELINE_CHOICE_KEY] = (_scope(store), choice)


def settled_baseline_choice(store: Any, auto: Baseline | None, first: dt.date, today: dt.date) -> BaselineChoice:
    """The session's choice as the Trends page uses it: a picker just switched on starts from the automatic
    starting level ``auto`` (or the first week from ``first``), and the dates stay inside the picker's bounds
    (``first`` to ``today``: a restore may have removed the first ratings)."""
    choice = baseline_choice(store)
    if choice.mode != BaselineSource.PICKED:
        return choice
    if not choice.dates:
        start = (auto.start, min(auto.end, today)) if auto else (first, min(first + dt.timedelta(days=6), today))
        choice = replace(choice, dates=start)
    choice = choice.within(first, today)
    set_baseline_choice(store, choice)
    return choice


def keep_baseline_choice(store: Any) -> None:
    """The widgets' ``on_change``: copy what they now hold into the choice, before the page reruns."""
    mode = st.session_state.get(BASELINE_MODE_KEY) or BaselineSource.AUTO
    dates = st.session_state.get(BASELINE_RANGE_KEY)
    kept = baseline_choice(store).dates
    if dates is not None and mode == BaselineSource.PICKED:
        kept = tuple(dates) if isinstance(dates, (tuple, list)) else (dates,)
    set_baseline_choice(store, BaselineChoice(mode, kept))


def seed_baseline_widgets(store: Any) -> BaselineChoice:
    """Give the Trends page's widgets the session's choice (call right before drawing them)."""
    choice = baseline_choice(store)
    st.session_state[BASELINE_MODE_KEY] = choice.mode
    if choice.mode == BaselineSource.PICKED and choice.dates:
        st.session_state[BASELINE_RANGE_KEY] = choice.dates
    return choice


def picked_baseline_range(store: Any) -> tuple[dt.date, dt.date] | None:
    """The starting level picked on the Trends page in this session, or None for the automatic one."""
    return baseline_choice(store).range


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
    picked = picked_baseline_range(store)

    def alert() -> WorseningAlert | None:
        return _alert_for(str(store.engine.url), store.user_id, store.data_fingerprint(), today, picked, store)

    return routine_gate(store, today, baseline_range=picked, alert=alert)


def trends_alert_box(store: Any, today: dt.date, alert: WorseningAlert) -> str:
    """The Trends page's alert: its title and message, then what the routine gate does about it today (the
    routine opens with this caution at the top only when the gate allows it)."""
    gate = current_gate(store, today)
    return alert_box(alert.reason, alert.message, alert_routine_note(gate.status, gate.title))


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
