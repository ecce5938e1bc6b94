"""Routine: pick or build a routine, see how long it takes, share it as a link, and play it.

The player runs in the browser (ui/player); it reports at each step boundary and this page keeps the
session record in step (created when Start is pressed, finished the moment the routine ends or is
stopped). Rules and numbers live in hipknee.routines.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from hipknee import routines as R
from hipknee.errors import HipkneeError
from hipknee.exercises import load_exercises
from hipknee.journal import PAIN_ANCHORS, check_pain
from hipknee.plaintext import md
from ui.copy_link import copy_link_button
from ui.gate import render_routine_gate
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
CUSTOM = "custom"
DEFAULT_PRESET = "article"
DEFAULT_HOLD, DEFAULT_SETS = 30, 2


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
    st.page_link("pages/exercises.py", label="Browse the exercises meanwhile", icon=":material/exercise:")
    st.stop()
gate = render_routine_gate(store, TODAY)  # stops the page when the routine may not start


# ---- builder state ---------------------------------------------------------------------------------


def _set_builder(settings: R.RoutineSettings) -> None:
    st.session_state[EXERCISES] = list(settings.exercise_ids)
    st.session_state[WARMUP] = settings.warmup
    st.session_state[OWN_HOLD] = settings.hold_seconds is not None
    if settings.hold_seconds is not None:
        st.session_state[HOLD] = settings.hold_seconds
    st.session_state[OWN_SETS] = settings.sets is not None
    if settings.sets is not None:
        st.session_state[SETS] = settings.sets
    match = R.matching_preset(settings, PRESETS)
    st.session_state[PRESET] = match.id if match else CUSTOM


def _builder_settings() -> R.RoutineSettings:
    state = st.session_state
    return R.RoutineSettings(
        exercise_ids=tuple(state.get(EXERCISES) or ()),
        hold_seconds=int(state.get(HOLD, DEFAULT_HOLD)) if state.get(OWN_HOLD) else None,
        sets=int(state.get(SETS, DEFAULT_SETS)) if state.get(OWN_SETS) else None,
        warmup=bool(state.get(WARMUP)),
    )


def _apply_preset() -> None:
    chosen = st.session_state.get(PRESET)
    st.session_state.pop(LINK_MESSAGES, None)
    if chosen in PRESETS:
        _set_builder(PRESETS[chosen].settings)


def _builder_changed() -> None:
    st.session_state.pop(LINK_MESSAGES, None)
    match = R.matching_preset(_builder_settings(), PRESETS)
    st.session_state[PRESET] = match.id if match else CUSTOM


def _routine_params() -> dict[str, str]:
    return {k: st.query_params[k] for k in R.QUERY_KEYS if k in st.query_params}


# A link (or the first visit) decides the routine; after that the builder does, and the address bar
# follows it. A link is read again only when it differs from what this page last wrote there.
link = _routine_params()
link_text = "&".join(f"{k}={v}" for k, v in sorted(link.items()))
if link and link_text != st.session_state.get(LINK_SEEN):
    parsed = R.parse_query(link, LIBRARY, default_ids=PRESETS[DEFAULT_PRESET].exercise_ids)
    _set_builder(parsed.settings)
    st.session_state[LINK_MESSAGES] = parsed.messages
    st.session_state[LINK_SEEN] = link_text
elif EXERCISES not in st.session_state:
    _set_builder(PRESETS[DEFAULT_PRESET].settings)
st.session_state.setdefault(RUNS, {})
st.session_state.setdefault(PLANS, {})
for message in st.session_state.get(LINK_MESSAGES, ()):
    st.warning(md(message), icon=":material/link_off:")  # it quotes the link


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
        try:
            record = R.record_progress(store, progress, st.session_state[RUNS], today=TODAY,
                                       plans=st.session_state[PLANS])
        except HipkneeError as exc:
            st.error(f"The session could not be saved: {md(exc)}", icon=":material/error:")
    if _playing() != st.session_state.get(LOCKED, False):
        st.rerun()  # the builder is drawn outside this fragment
    if record is not None and record.status != "in_progress":
        after_routine(progress.run, record)


def routine_section() -> None:
    playing = st.session_state[LOCKED] = _playing()
    st.session_state.setdefault(HOLD, DEFAULT_HOLD)
    st.session_state.setdefault(SETS, DEFAULT_SETS)
    with st.container(border=True):
        builder(playing=playing)
    chosen = _builder_settings()
    suggestions = R.suggest_substitutions(chosen.exercise_ids, gate.tailoring, LIBRARY)
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
    settings = R.RoutineSettings(
        R.apply_substitutions(chosen.exercise_ids, suggestions, keep_original),
        chosen.hold_seconds, chosen.sets, chosen.warmup,
    )
    problems = R.settings_problems(settings, LIBRARY)
    if problems:
        st.warning(md(" ".join(problems)), icon=":material/warning:")
        return
    plan = R.expand(settings, LIBRARY)
    st.session_state[PLANS][plan.plan_id] = plan.summary()
    summary(plan)
    player_section(plan)
    share_link(settings)


def builder(*, playing: bool) -> None:
    st.segmented_control(
        "Start from", [*PRESETS, CUSTOM], key=PRESET, on_change=_apply_preset, disabled=playing,
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
    params = R.format_query(settings)
    if _routine_params() != params:
        for key in R.QUERY_KEYS:
            if key not in params and key in st.query_params:
                del st.query_params[key]
        st.query_params.update(params)
    st.session_state[LINK_SEEN] = "&".join(f"{k}={v}" for k, v in sorted(params.items()))
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
        failed = st.session_state.pop(f"{pain_key}_error", None)
        if failed:
            st.error(f"Not saved: {md(failed)}", icon=":material/error:")


def _save_pain(record: R.RunRecord, pain_key: str) -> None:
    try:
        value = check_pain(st.session_state.get(pain_key), "pain during the routine", required=True)
        store.update_session(record.session_id, pain_during=value)
    except HipkneeError as exc:
        st.session_state[f"{pain_key}_error"] = str(exc)
    else:
        record.pain_during = value


routine_section()
