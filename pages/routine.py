"""Routine: today's session from the 8-week programme (the default), or pick or build a routine, see how
long it takes, share it as a link, and play it.

The player runs in the browser (ui/player); it reports at each step boundary and ui/routine.py keeps the
session record in step (created when Start is pressed, finished the moment the routine ends or is
stopped). Rules and numbers live in hipknee.routines; the link ⇄ builder state in hipknee.routine_state
(wired to the widgets by ui/routine.py).
"""

from __future__ import annotations

import streamlit as st

from hipknee import programme_play as PP
from hipknee import routines as R
from hipknee.exercises import load_exercises
from hipknee.plaintext import md
from ui import pages
from ui.daily_check import render_check_before_start
from ui.gate import render_routine_gate
from ui.player import routine_player
from ui.programme import plan_view, prescription_link, todays_plan
from ui.router import ensure_routed
from ui.routine import (
    LOCKED,
    PLAYER_KEY,
    builder_widgets,
    choose_preset,
    clear_address_bar,
    current_builder,
    follow_run,
    open_link,
    plan_total,
    playing,
    safer_versions,
    share_link,
    show_plan,
    start_runs,
    todays_session_chosen,
)
from ui.state import get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()


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
start_runs()


@st.fragment
def player_section(plan: R.Plan) -> None:
    """The player and what follows a run. Its reports rerun only this fragment (kept small, so the
    browser has little to redraw while the clock runs); a run starting or ending reruns the whole page,
    which locks or unlocks the builder."""
    follow_run(store, routine_player(plan, key=PLAYER_KEY), today=TODAY, stop_advice=CONTENT.stop_advice)


def todays_section(locked: bool) -> None:
    """ "Today's session": the plan's day, the player at today's levels, and the plan view."""
    clear_address_bar()
    day = todays_plan(store, TODAY, lambda: choose_preset("article", PRESETS), playing=locked)
    if day is None:
        return
    ids = safer_versions(tuple(e.id for e in day.exercises if e.kind != "warmup"), gate.tailoring, LIBRARY,
                         playing=locked)
    plan = PP.session_routine(day, LIBRARY, ids)
    show_plan(plan, programme_levels=PP.played_levels(day, ids))
    plan_total(plan)
    player_section(plan)
    plan_view(store, day, LIBRARY, TODAY)


def routine_section() -> None:
    locked = st.session_state[LOCKED] = playing()
    with st.container(border=True):
        builder_widgets(LIBRARY, PRESETS, playing=locked)
    if todays_session_chosen():
        todays_section(locked)
        return
    chosen = current_builder().settings
    settings = R.RoutineSettings(
        safer_versions(chosen.exercise_ids, gate.tailoring, LIBRARY, playing=locked), chosen.hold_seconds,
        chosen.sets, chosen.warmup,
    )
    problems = R.settings_problems(settings, LIBRARY)
    if problems:
        st.warning(md(" ".join(problems)), icon=":material/warning:")
        return
    plan = R.expand(settings, LIBRARY)
    show_plan(plan)
    plan_total(plan)
    player_section(plan)
    share_link(settings)


routine_section()
