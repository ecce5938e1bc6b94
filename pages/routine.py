"""Routine: pick or build a routine, see how long it takes, share it as a link, and play it.

The player runs in the browser (ui/player); it reports at each step boundary and this page keeps the
session record in step (created when Start is pressed, finished the moment the routine ends or is
stopped). Rules and numbers live in hipknee.routines.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from hipknee import routine_state as RS
from hipknee import routines as R
from hipknee.exercises import load_exercises
from hipknee.journal import PAIN_ANCHORS, check_pain
from ui.copy_link import copy_link_button
from ui.feedback import reported, show_flash
from ui.gate import render_routine_gate
from ui.pages import EXERCISES as EXERCISES_PAGE
from ui.pages import link
from ui.player import routine_player
from ui.router import ensure_routed
from ui.state import get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()

PRESET = "routine_preset"
EXERCISES = "routine_exercises"
WARMUP = "routine_warmup"
OWN_HOLD, HOLD = "routine_own_hold", "routine_hold"
OWN_SETS, SETS = "routine_own_sets", "routine_sets"
RUNS, PLANS = "routine_runs", "routine_plans"
PLAYER_KEY, LOCKED = "routine_player", "routine_builder_locked"
LINK_SEEN, LINK_MESSAGES = "routine_link_seen", "routine_link_messages"


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
    link(EXERCISES_PAGE, "Browse the exercises meanwhile", ":material/exercise:")
    st.stop()
gate = render_routine_gate(store, TODAY)  # stops the page when the routine may not start


# ---- builder state: the widgets' keys hold it; hipknee.routine_state decides it ------------------


def _builder() -> RS.Builder:
    s = st.session_state
    return RS.Builder(
        preset=s.get(PRESET), exercise_ids=tuple(s.get(EXERCISES) or ()), warmup=bool(s.get(WARMUP)),
        own_hold=bool(s.get(OWN_HOLD)), hold=int(s.get(HOLD, RS.DEFAULT_HOLD)),
        own_sets=bool(s.get(OWN_SETS)), sets=int(s.get(SETS, RS.DEFAULT_SETS)),
    )


def _show(builder: RS.Builder) -> None:
    st.session_state.update({
        PRESET: builder.preset, EXERCISES: list(builder.exercise_ids), WARMUP: builder.warmup,
        OWN_HOLD: builder.own_hold, HOLD: builder.hold, OWN_SETS: builder.own_sets, SETS: builder.sets,
    })


def _apply_preset() -> None:
    st.session_state.pop(LINK_MESSAGES, None)
    _show(RS.on_preset_chosen(st.session_state.get(PRESET), _builder(), PRESETS))


def _builder_changed() -> None:
    st.session_state.pop(LINK_MESSAGES, None)
    _show(RS.on_builder_changed(_builder(), PRESETS))


opened = RS.on_open(st.query_params.to_dict(), st.session_state.get(LINK_SEEN),
                    _builder() if EXERCISES in st.session_state else None, LIBRARY, PRESETS)
if opened.builder is not None:
    _show(opened.builder)
if opened.messages is not None:
    st.session_state[LINK_MESSAGES] = opened.messages
if opened.seen is not None:
    st.session_state[LINK_SEEN] = opened.seen
st.session_state.setdefault(RUNS, {})
st.session_state.setdefault(PLANS, {})
for message in st.session_state.get(LINK_MESSAGES, ()):
    st.warning(message, icon=":material/link_off:")


def _exercise_name(ex_id: str) -> str:
    return LIBRARY[ex_id].name if ex_id in LIBRARY else ex_id


# ---- the routine: builder, suggestions, total, the player (in its own fragment), link -------------


def _reported() -> R.Progress | None:
    """The mounted player's latest report (gone when the player was unmounted, e.g. by leaving the page)."""
    value = st.session_state.get(PLAYER_KEY)
    return R.parse_progress(value.get("progress") if isinstance(value, Mapping) else None)


def _playing() -> bool:
    """Is the routine on screen being played? (A run left behind by leaving the page stays unfinished in
    the journal, but does not lock the builder.)"""
    progress = _reported()
    record = st.session_state[RUNS].get(progress.run) if progress else None
    return record is not None and record.status == "in_progress"


@st.fragment
def player_section(plan: R.Plan) -> None:
    """The player and what follows a run. Its reports rerun only this fragment (kept small, so the
    browser has little to redraw while the clock runs); a run starting or ending reruns the whole page,
    which locks or unlocks the builder."""
    progress = routine_player(plan, key=PLAYER_KEY)
    record: R.RunRecord | None = None
    if progress is not None:
        with reported("The session could not be saved:"):
            record = R.record_progress(store, progress, st.session_state[RUNS], today=TODAY,
                                       plans=st.session_state[PLANS])
    if _playing() != st.session_state.get(LOCKED, False):
        st.rerun()  # the builder is drawn outside this fragment
    if record is not None and record.status != "in_progress":
        after_routine(progress.run, record)


def routine_section() -> None:
    playing = st.session_state[LOCKED] = _playing()
    with st.container(border=True):
        builder(playing=playing)
    chosen = _builder().settings
    suggestions = R.suggest_substitutions(chosen.exercise_ids, gate.tailoring, LIBRARY)
    keep_original: set[str] = set()
    if suggestions:
        with st.container(border=True):
            st.markdown("**Safer versions for you**  \nYour screening answers suggest these swaps. "
                        "Switch one off to do the original instead.")
            for sub in suggestions:
                use = st.toggle(
                    f"Do **{_exercise_name(sub.variant_id)}** instead of {_exercise_name(sub.original_id)}",
                    value=True, key=f"routine_swap_{sub.original_id}", disabled=playing,
                )
                if sub.advice:
                    st.caption(sub.advice)
                if not use:
                    keep_original.add(sub.original_id)
    settings = R.RoutineSettings(
        R.apply_substitutions(chosen.exercise_ids, suggestions, keep_original),
        chosen.hold_seconds, chosen.sets, chosen.warmup,
    )
    problems = R.settings_problems(settings, LIBRARY)
    if problems:
        st.warning(" ".join(problems), icon=":material/warning:")
        return
    plan = R.expand(settings, LIBRARY)
    st.session_state[PLANS][plan.plan_id] = plan.summary()
    summary(plan)
    player_section(plan)
    share_link(settings)


def builder(*, playing: bool) -> None:
    st.segmented_control(
        "Start from", [*PRESETS, RS.CUSTOM], key=PRESET, on_change=_apply_preset, disabled=playing,
        format_func=lambda p: PRESETS[p].title if p in PRESETS else "My own",
    )
    chosen = st.session_state.get(PRESET)
    if chosen in PRESETS:
        st.caption(PRESETS[chosen].summary)
    with st.expander("Change the exercises, hold time or sets", icon=":material/tune:"):
        customise(playing=playing)
    if playing:
        st.caption(":material/lock: Finish or stop the routine to change it.")


def customise(*, playing: bool) -> None:
    st.multiselect(
        "Exercises, in the order you will do them",
        [ex_id for ex_id in LIBRARY if ex_id != R.WARMUP_ID],
        key=EXERCISES, format_func=_exercise_name, on_change=_builder_changed, disabled=playing,
        placeholder="Pick one or more exercises",
    )
    st.toggle("Start with a 5-minute warm-up", key=WARMUP, on_change=_builder_changed,
              disabled=playing, help="A brisk walk or marching on the spot, as the article suggests.")
    left, right = st.columns(2)
    with left:
        st.toggle("Choose my own hold time", key=OWN_HOLD, on_change=_builder_changed, disabled=playing,
                  help="Off: each stretch is held as long as its instructions say.")
        if st.session_state.get(OWN_HOLD):
            st.number_input(f"Hold each stretch for (seconds, {R.HOLD_MIN}–{R.HOLD_MAX})", R.HOLD_MIN,
                            R.HOLD_MAX, step=5, key=HOLD, on_change=_builder_changed, disabled=playing)
    with right:
        st.toggle("Choose my own number of sets", key=OWN_SETS, on_change=_builder_changed,
                  disabled=playing, help="Off: each exercise does its usual number of sets.")
        if st.session_state.get(OWN_SETS):
            st.slider("Sets of every exercise", R.SETS_MIN, R.SETS_MAX, key=SETS,
                      on_change=_builder_changed, disabled=playing)


def summary(plan: R.Plan) -> None:
    holds = sum(1 for s in plan.steps if s.kind == R.HOLD)
    rep_sets = sum(1 for s in plan.steps if s.kind == R.REPS)
    parts = [f"{holds} hold{'s' if holds != 1 else ''}"] if holds else []
    if rep_sets:
        parts.append(f"{rep_sets} set{'s' if rep_sets != 1 else ''} of reps")
    st.metric("Total time", R.format_clock(plan.total_seconds),
              help="Including the 5-second count before each hold, side switches and rests.")
    st.caption(f"{R.describe_duration(plan.total_seconds)}: {' and '.join(parts)}, "
               f"{', '.join(plan.exercise_names)}.")


def share_link(settings: R.RoutineSettings) -> None:
    """The link to this routine (the address bar holds it too, so it can be bookmarked)."""
    bar = RS.address_bar(st.query_params.to_dict(), settings)
    if bar.changed:
        for key in bar.delete:
            del st.query_params[key]
        st.query_params.update(bar.set)
    st.session_state[LINK_SEEN] = bar.seen
    base = (st.context.url or "").split("?")[0] or "/routine"
    link = f"{base}?{R.query_string(settings)}"
    st.caption("Link to this routine: send it to yourself or share it")
    st.code(link, language=None, wrap_lines=True)
    copy_link_button(link)


def after_routine(run: str, record: R.RunRecord) -> None:
    """Below the player once a run has ended: the result, the safety advice if stopped, the pain rating."""
    with st.container(border=True):
        if record.status == "completed":
            st.success(
                f"**Routine complete.** {record.steps_done} of {record.steps_planned} steps done in "
                f"{R.format_clock(record.seconds_done)}. It is saved in your journal.",
                icon=":material/check_circle:",
            )
            question = "How much did your knee hurt during the routine?"
        else:
            advice = CONTENT.stop_advice
            st.error(f"**{advice.title}.** The session is saved as stopped "
                     f"({record.steps_done} of {record.steps_planned} steps done).", icon=":material/pan_tool:")
            st.markdown("\n".join(f"- {point}" for point in advice.points))
            question = "How bad is the pain?"
        if record.pain_during is not None:
            st.caption(f"Pain saved: **{record.pain_during}** — {PAIN_ANCHORS[record.pain_during]}.")
            if record.status == "stopped" and record.pain_during >= 7:
                st.warning("That is a lot of pain. If it does not settle with rest, get it checked by a "
                           "doctor or physiotherapist.", icon=":material/medical_services:")
            return
        pain_key = f"routine_pain_{run}"
        pain = st.pills(f"{question} (0 = none, 10 = worst)", list(range(11)), key=pain_key)
        if pain is not None:
            st.caption(f"**{pain}** — {PAIN_ANCHORS[pain]}")
        st.button("Save pain rating", type="primary", key=f"routine_pain_save_{run}", disabled=pain is None,
                  on_click=_save_pain, args=(record, pain_key))
        show_flash(pain_key)  # why the rating was not saved


def _save_pain(record: R.RunRecord, pain_key: str) -> None:
    with reported("Not saved:", slot=pain_key) as saved:
        value = check_pain(st.session_state.get(pain_key), "pain during the routine", required=True)
        store.update_session(record.session_id, pain_during=value)
    if saved.ok:
        record.pain_during = value


routine_section()
