"""Routine: today's session from the 8-week programme (the default), or pick or build a routine, see how
long it takes, share it as a link, and play it.

The player runs in the browser (ui/player); it reports at each step boundary and this page keeps the
session record in step (created when Start is pressed, finished the moment the routine ends or is
stopped). Rules and numbers live in hipknee.routines; the link ⇄ builder state in hipknee.routine_state
(wired to the widgets by ui/routine.py).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from hipknee import programme_play as PP
from hipknee import routines as R
from hipknee.exercises import load_exercises
from hipknee.plaintext import md
from hipknee.statuses import SessionStatus
from ui import pages
from ui.copy_link import copy_link_button
from ui.daily_check import render_check_before_start
from ui.feedback import reported
from ui.gate import render_routine_gate
from ui.player import routine_player
from ui.programme import plan_view, prescription_link, todays_plan
from ui.reminders import page_url
from ui.router import ensure_routed
from ui.routine import (
    after_routine,
    builder_widgets,
    choose_preset,
    clear_address_bar,
    current_builder,
    follow_in_address_bar,
    open_link,
    plan_total,
    todays_session_chosen,
)
from ui.state import get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()
RUNS, PLANS = "routine_runs", "routine_plans"
PLAYER_KEY, LOCKED = "routine_player", "routine_builder_locked"


@st.cache_resource(show_spinner=False)
def _content() -> tuple[dict, R.RoutineContent]:
    library = load_exercises()
    return library, R.load_routine_content(library=library)


LIBRARY, CONTENT = _content()
PRESETS = CONTENT.presets

st.title("Routine")
if in_sample_mode():
    # Whether the routine is open depends on the person's own screening and safety checks,
    # never on made-up data.
    st.info(
        "You are exploring sample data. The routine player only runs with your own data (use "
        "**Back to my data** above), because your own safety screening decides whether the routine is open "
        "for you.",
        icon=":material/science:",
    )
    pages.link(pages.EXERCISES, "Browse the exercises meanwhile", ":material/exercise:")
    st.stop()
prescription_link(store, TODAY)  # before the gate: saving a plan plays nothing
gate = render_routine_gate(store, TODAY)  # stops the page when the routine may not start
render_check_before_start(store, TODAY)  # today's safety check, asked before Start (issue 17)
open_link(LIBRARY, PRESETS)
st.session_state.setdefault(RUNS, {})
st.session_state.setdefault(PLANS, {})


def _exercise_name(ex_id: str) -> str:
    return LIBRARY[ex_id].name if ex_id in LIBRARY else ex_id


def _playing() -> bool:
    """Is the routine on screen being played? (A run left behind by leaving the page stays unfinished in
    the journal, but does not lock the builder.) The player's report is gone once it was unmounted."""
    value = st.session_state.get(PLAYER_KEY)
    progress = R.parse_progress(value.get("progress") if isinstance(value, Mapping) else None)
    record = st.session_state[RUNS].get(progress.run) if progress else None
    return record is not None and record.status == SessionStatus.IN_PROGRESS


@st.fragment
def player_section(plan: R.Plan) -> None:
    """The player and what follows a run. Its reports rerun only this fragment (kept small, so the
    browser has little to redraw while the clock runs); a run starting or ending reruns the whole page,
    which locks or unlocks the builder."""
    progress = routine_player(plan, key=PLAYER_KEY)
    record: R.RunRecord | None = None
    levels = None
    if progress is not None:
        # The plan's session records the levels it played, as `hipknee session add` does.
        levels = (st.session_state[PLANS].get(progress.plan_id) or {}).get("programme")
        with reported("The session could not be saved:"):
            new = progress.run not in st.session_state[RUNS]
            record = R.record_progress(store, progress, st.session_state[RUNS], today=TODAY,
                                       plans=st.session_state[PLANS])
            if new and levels is not None:
                store.mark_programme_session(record.session_id, levels)
    if _playing() != st.session_state.get(LOCKED, False):
        st.rerun()  # the builder is drawn outside this fragment
    if progress is not None and record is not None and record.status != SessionStatus.IN_PROGRESS:
        after_routine(store, progress.run, record, CONTENT.stop_advice, programme=levels is not None)


def safer_versions(exercise_ids: tuple[str, ...], playing: bool) -> tuple[str, ...]:
    """The exercises with the safer variants the screening suggests (each can be switched off)."""
    suggestions = R.suggest_substitutions(exercise_ids, gate.tailoring, LIBRARY)
    keep_original: set[str] = set()
    if suggestions:
        with st.container(border=True):
            st.markdown("**Safer versions for you**  \nYour screening answers suggest these swaps. "
                        "Switch one off to do the original instead.")
            for sub in suggestions:
                use = st.toggle(
                    f"Do **{md(_exercise_name(sub.variant_id))}** instead of {md(_exercise_name(sub.original_id))}",
                    value=True, key=f"routine_swap_{sub.original_id}", disabled=playing,
                )
                if sub.advice:
                    st.caption(sub.advice)
                if not use:
                    keep_original.add(sub.original_id)
    return tuple(R.apply_substitutions(exercise_ids, suggestions, keep_original))


def todays_section(playing: bool) -> None:
    """ "Today's session": the plan's day, the player at today's levels, and the plan view."""
    clear_address_bar()
    day = todays_plan(store, TODAY, lambda: choose_preset("article", PRESETS), playing=playing)
    if day is None:
        return
    ids = safer_versions(tuple(e.id for e in day.exercises if e.kind != "warmup"), playing)
    plan = PP.session_routine(day, LIBRARY, ids)
    st.session_state[PLANS][plan.plan_id] = {**plan.summary(), "programme": PP.played_levels(day, ids)}
    plan_total(plan)
    player_section(plan)
    plan_view(store, day, LIBRARY, TODAY)


def routine_section() -> None:
    playing = st.session_state[LOCKED] = _playing()
    with st.container(border=True):
        builder_widgets(LIBRARY, PRESETS, playing=playing)
    if todays_session_chosen():
        todays_section(playing)
        return
    chosen = current_builder().settings
    settings = R.RoutineSettings(
        safer_versions(chosen.exercise_ids, playing), chosen.hold_seconds, chosen.sets, chosen.warmup,
    )
    problems = R.settings_problems(settings, LIBRARY)
    if problems:
        st.warning(md(" ".join(problems)), icon=":material/warning:")
        return
    plan = R.expand(settings, LIBRARY)
    st.session_state[PLANS][plan.plan_id] = plan.summary()
    plan_total(plan)
    player_section(plan)
    # The link to this routine; the address bar holds it too, so it can be bookmarked.
    follow_in_address_bar(settings)
    link = f"{page_url(pages.ROUTINE)}?{R.query_string(settings)}"  # the address the person opened (issue 15)
    st.caption("Link to this routine: send it to yourself or share it")
    # Plain text, not st.code: st.code makes the browser download a 1.5 MB syntax highlighter for one line.
    st.text(link)
    copy_link_button(link)


routine_section()
