"""Streamlit glue for the Routine page: the builder's widgets wired to ``hipknee.routine_state``, the safer
versions, the plan's total, the session record kept in step with the player, the card shown once a run has
ended, and the link to the routine on screen.

The builder's state lives in its widgets' session-state keys; every decision about it (a new link, a preset
picked, "Start from" following a change, the address bar) is made by ``hipknee.routine_state``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import streamlit as st

from hipknee import routine_state as RS
from hipknee import routines as R
from hipknee.journal import PAIN_ANCHORS, check_pain
from hipknee.plaintext import md
from hipknee.programme_play import pain_meaning
from hipknee.statuses import SessionStatus
from ui import pages
from ui.a11y import focus_on
from ui.copy_link import copy_link_button
from ui.feedback import reported, show_flash
from ui.reminders import page_url

PRESET = "routine_preset"
EXERCISES = "routine_exercises"
WARMUP = "routine_warmup"
OWN_HOLD, HOLD = "routine_own_hold", "routine_hold"
OWN_SETS, SETS = "routine_own_sets", "routine_sets"
LINK_SEEN, LINK_MESSAGES = "routine_link_seen", "routine_link_messages"
RUNS, PLANS = "routine_runs", "routine_plans"  # run id -> RunRecord; plan id -> its summary for the session
PLAYER_KEY, LOCKED = "routine_player", "routine_builder_locked"


# ---- the builder ---------------------------------------------------------------------------------


def current_builder() -> RS.Builder:
    """The builder as its widgets hold it."""
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


def open_link(library: R.Library, presets: Mapping[str, R.Preset]) -> None:
    """Before the widgets: load a new share link (or the default preset on a first visit) and say what was
    wrong with the link, until the builder is changed."""
    opened = RS.on_open(
        st.query_params.to_dict(), st.session_state.get(LINK_SEEN),
        current_builder() if EXERCISES in st.session_state else None, library, presets,
    )
    if opened.builder is not None:
        _show(opened.builder)
    if opened.messages is not None:
        st.session_state[LINK_MESSAGES] = opened.messages
    if opened.seen is not None:
        st.session_state[LINK_SEEN] = opened.seen
    for message in st.session_state.get(LINK_MESSAGES, ()):
        st.warning(md(message), icon=":material/link_off:")  # it quotes the link


def follow_in_address_bar(settings: R.RoutineSettings) -> None:
    """Make the address bar show (and so bookmark) the routine on screen."""
    bar = RS.address_bar(st.query_params.to_dict(), settings)
    if bar.changed:
        for key in bar.delete:
            del st.query_params[key]
        st.query_params.update(bar.set)
    st.session_state[LINK_SEEN] = bar.seen


def clear_address_bar() -> None:
    """While "Today's session" is on screen, the address bar holds no routine link (the plan decides)."""
    bar = RS.cleared_address_bar(st.query_params.to_dict())
    for key in bar.delete:
        del st.query_params[key]
    st.session_state[LINK_SEEN] = bar.seen


def choose_preset(preset: str, presets: Mapping[str, R.Preset]) -> None:
    """Switch "Start from" to ``preset`` (for a button's on_click: before the widgets are drawn)."""
    st.session_state.pop(LINK_MESSAGES, None)
    _show(RS.on_preset_chosen(preset, current_builder(), presets))


def todays_session_chosen() -> bool:
    return st.session_state.get(PRESET) == RS.TODAY


def builder_widgets(library: R.Library, presets: Mapping[str, R.Preset], *, playing: bool) -> None:
    """"Start from", then the exercises, warm-up, hold time and sets (locked while a run plays)."""

    def name(ex_id: str) -> str:
        return library[ex_id].name if ex_id in library else ex_id

    def preset_chosen() -> None:
        st.session_state.pop(LINK_MESSAGES, None)
        _show(RS.on_preset_chosen(st.session_state.get(PRESET), current_builder(), presets))

    def changed() -> None:
        st.session_state.pop(LINK_MESSAGES, None)
        _show(RS.on_builder_changed(current_builder(), presets))

    st.segmented_control(
        "Start from", [RS.TODAY, *presets, RS.CUSTOM], key=PRESET, on_change=preset_chosen, disabled=playing,
        format_func=lambda p: presets[p].title if p in presets else ("Today's session" if p == RS.TODAY else "My own"),
    )
    chosen = st.session_state.get(PRESET)
    if chosen in presets:
        st.caption(presets[chosen].summary)
    if chosen == RS.TODAY:
        st.caption("Your 8-week plan's session for today, at your levels.")
        if playing:
            st.caption(":material/lock: Finish or stop the session to change it.")
        return
    with st.expander("Change the exercises, hold time or sets", icon=":material/tune:"):
        st.multiselect(
            "Exercises, in the order you will do them", [ex_id for ex_id in library if ex_id != R.WARMUP_ID],
            key=EXERCISES, format_func=name, on_change=changed, disabled=playing,
            placeholder="Pick one or more exercises",
        )
        st.toggle("Start with a 5-minute warm-up", key=WARMUP, on_change=changed,
                  disabled=playing, help="A brisk walk or marching on the spot, as the article suggests.")
        left, right = st.columns(2)
        with left:
            st.toggle("Choose my own hold time", key=OWN_HOLD, on_change=changed, disabled=playing,
                      help="Off: each stretch is held as long as its instructions say.")
            if st.session_state.get(OWN_HOLD):
                st.number_input(f"Hold each stretch for (seconds, {R.HOLD_MIN}–{R.HOLD_MAX})", R.HOLD_MIN,
                                R.HOLD_MAX, step=5, key=HOLD, on_change=changed, disabled=playing)
        with right:
            st.toggle("Choose my own number of sets", key=OWN_SETS, on_change=changed,
                      disabled=playing, help="Off: each exercise does its usual number of sets.")
            if st.session_state.get(OWN_SETS):
                st.slider("Sets of every exercise", R.SETS_MIN, R.SETS_MAX, key=SETS,
                          on_change=changed, disabled=playing)
    if playing:
        st.caption(":material/lock: Finish or stop the routine to change it.")


def safer_versions(
    exercise_ids: tuple[str, ...], tailoring: Collection[str], library: R.Library, *, playing: bool
) -> tuple[str, ...]:
    """The exercises with the safer variants the screening suggests (each can be switched off)."""

    def name(ex_id: str) -> str:
        return library[ex_id].name if ex_id in library else ex_id

    suggestions = R.suggest_substitutions(exercise_ids, tailoring, library)
    keep_original: set[str] = set()
    if suggestions:
        with st.container(border=True):
            st.markdown("**Safer versions for you**  \nYour screening answers suggest these swaps. "
                        "Switch one off to do the original instead.")
            for sub in suggestions:
                use = st.toggle(
                    f"Do **{md(name(sub.variant_id))}** instead of {md(name(sub.original_id))}",
                    value=True, key=f"routine_swap_{sub.original_id}", disabled=playing,
                )
                if sub.advice:
                    st.caption(sub.advice)
                if not use:
                    keep_original.add(sub.original_id)
    return tuple(R.apply_substitutions(exercise_ids, suggestions, keep_original))


# ---- the plan, the session record and the end of a run ------------------------------------------------


def start_runs() -> None:
    """Once per session: the runs this browser played and the plans it showed."""
    st.session_state.setdefault(RUNS, {})
    st.session_state.setdefault(PLANS, {})


def show_plan(plan: R.Plan, programme_levels: dict[str, int] | None = None) -> None:
    """Remember what the session record says about ``plan``; ``programme_levels``: the levels it plays when it
    is today's programme session (recorded as ``hipknee session add`` records them)."""
    summary = plan.summary()
    if programme_levels is not None:
        summary[R.PROGRAMME_LEVELS] = programme_levels
    st.session_state[PLANS][plan.plan_id] = summary


def playing() -> bool:
    """Is the routine on screen being played? (``hipknee.routines.run_in_progress`` on the player's value.)"""
    return R.run_in_progress(st.session_state.get(PLAYER_KEY), st.session_state[RUNS])


def follow_run(store: Any, progress: R.Progress | None, *, today: Any, stop_advice: R.StopAdvice) -> None:
    """After a player report: keep the session record in step, rerun the page when a run starts or ends
    (the builder, drawn outside the player's fragment, locks or unlocks), and below a finished run show
    what follows it."""
    record: R.RunRecord | None = None
    if progress is not None:
        runs = st.session_state[RUNS]
        with reported("The session could not be saved:"):
            R.record_progress(store, progress, runs, today=today, plans=st.session_state[PLANS])
        record = runs.get(progress.run)  # recorded even when marking it a programme session failed
    if playing() != st.session_state.get(LOCKED, False):
        st.rerun()
    if progress is not None and record is not None and record.status != SessionStatus.IN_PROGRESS:
        programme = R.programme_levels(st.session_state[PLANS], progress.plan_id) is not None
        after_routine(store, progress.run, record, stop_advice, programme=programme)


def share_link(settings: R.RoutineSettings) -> None:
    """The link to this routine (the address bar holds it too, so it can be bookmarked), with a copy button."""
    follow_in_address_bar(settings)
    link = f"{page_url(pages.ROUTINE)}?{R.query_string(settings)}"  # the address the person opened (issue 15)
    st.caption("Link to this routine: send it to yourself or share it")
    # Plain text, not st.code: st.code makes the browser download a 1.5 MB syntax highlighter for one line.
    st.text(link)
    copy_link_button(link)


def plan_total(plan: R.Plan) -> None:
    holds = sum(1 for s in plan.steps if s.kind == R.HOLD)
    rep_sets = sum(1 for s in plan.steps if s.kind == R.REPS)
    parts = [f"{holds} hold{'s' if holds != 1 else ''}"] if holds else []
    if rep_sets:
        parts.append(f"{rep_sets} set{'s' if rep_sets != 1 else ''} of reps")
    st.metric("Total time", R.format_clock(plan.total_seconds),
              help="Including the count before each hold (5 seconds, or 10 to change position), side "
                   "switches and rests.")
    st.caption(f"{R.describe_duration(plan.total_seconds)}: {' and '.join(parts)}, "
               f"{', '.join(plan.exercise_names)}.")


def after_routine(
    store: Any, run: str, record: R.RunRecord, stop_advice: R.StopAdvice, *, programme: bool = False
) -> None:
    """Below the player once a run has ended: the result, the safety advice if stopped, the pain rating.
    ``programme``: the run was the plan's session, so the rating also says what it means for the plan."""
    if not st.session_state.get(focused := f"_hk_after_focused_{run}"):
        # Once, when the run ends (Stop or the last step): focus moves to its result (WCAG 2.4.3).
        st.session_state[focused] = True
        focus_on("[class*='st-key-hk_after_routine'] [data-testid='stAlert']", nonce=f"after {run}")
    with st.container(border=True, key="hk_after_routine"):
        if record.status == SessionStatus.COMPLETED:
            st.success(
                f"**Routine complete.** {record.steps_done} of {record.steps_planned} steps done in "
                f"{R.format_clock(record.seconds_done)}. It is saved in your journal.",
                icon=":material/check_circle:",
            )
            question = (
                "How much did your knee hurt during the session?" if programme
                else "How much did your knee hurt during the routine?"
            )
        else:
            st.error(f"**{stop_advice.title}.** The session is saved as stopped "
                     f"({record.steps_done} of {record.steps_planned} steps done).", icon=":material/pan_tool:")
            st.markdown("\n".join(f"- {point}" for point in stop_advice.points))
            question = "How bad is the pain?"
        if record.pain_during is not None:
            st.caption(f"Pain saved: **{record.pain_during}** — {PAIN_ANCHORS[record.pain_during]}.")
            if programme:
                st.info(pain_meaning(record.status, record.pain_during), icon=":material/assignment:")
            if record.status == SessionStatus.STOPPED and record.pain_during >= RS.CHECK_PAIN_AT:
                st.warning("That is a lot of pain. If it does not settle with rest, get it checked by a "
                           "doctor or physiotherapist.", icon=":material/medical_services:")
            return
        if programme and record.status == SessionStatus.STOPPED:
            st.info(pain_meaning(record.status, None), icon=":material/assignment:")
        pain_key = f"routine_pain_{run}"
        pain = st.pills(f"{question} (0 = none, 10 = worst)", list(range(11)), key=pain_key)
        if pain is not None:
            st.caption(f"**{pain}** — {PAIN_ANCHORS[pain]}")
        st.button("Save pain rating", type="primary", key=f"routine_pain_save_{run}", disabled=pain is None,
                  on_click=_save_pain, args=(store, record, pain_key))
        show_flash(pain_key)  # why the rating was not saved


def _save_pain(store: Any, record: R.RunRecord, pain_key: str) -> None:
    with reported("Not saved:", slot=pain_key) as saved:
        value = check_pain(st.session_state.get(pain_key), "pain during the routine", required=True)
        store.update_session(record.session_id, pain_during=value)
    if saved.ok:
        record.pain_during = value
