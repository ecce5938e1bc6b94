"""Streamlit glue for the 8-week programme on the Routine page (issue 14): "Today's session", the offer to
start (or restart) the plan, the rest day, the plan view, and a physio's prescription link.

Every rule is in ``hipknee.programme`` (the day's levels and doses, prescriptions), ``hipknee.progression``
(the pain-monitored rule) and ``hipknee.programme_play`` (the session as player steps, the tables).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import streamlit as st

from hipknee import programme as P
from hipknee import programme_play as PP
from hipknee.plaintext import md
from hipknee.statuses import Change, SessionStatus
from ui.feedback import flash, reported, show_flash

FLASH_SLOT = "programme"
RESTART_ASK = "programme_restart_ask"
KINDS = {
    P.DayType.STRENGTH: "a strengthening day: warm-up, strengthening, then stretches for comfort",
    P.DayType.STRETCH: "a stretching day: warm-up and stretches for comfort",
    P.DayType.REST: "a rest day",
}


@st.cache_resource(show_spinner=False)
def programme() -> P.Programme:
    """The programme content (data/programme.toml), loaded and checked once per server."""
    return P.load_programme()


def loaded() -> P.Programme | None:
    """The programme, or None after saying why it could not be loaded (the other routines still work)."""
    with reported("The 8-week plan could not be loaded:"):
        return programme()
    return None


# ---- a physio's prescription link ---------------------------------------------------------------------


def _drop_link() -> None:
    st.query_params.pop(P.PRESCRIPTION_KEY, None)


def _use_prescription(store: Any, today: dt.date, settings: dict[str, Any]) -> None:
    with reported("The plan was not changed:", slot=FLASH_SLOT) as saved:
        store.start_programme(today, settings)
    if saved.ok:
        _drop_link()
        st.session_state.pop(RESTART_ASK, None)
        flash("Your plan now follows the link, starting today.", icon=":material/assignment:", slot=FLASH_SLOT)


def _keep_plan() -> None:
    _drop_link()
    flash("Your plan stays as it was; the link changed nothing.", "info", slot=FLASH_SLOT)


def prescription_link(store: Any, today: dt.date) -> None:
    """A ``?programme=...`` link: what it would change, and a question before it replaces the plan. A link
    with nothing usable says why in plain text and changes nothing."""
    value = st.query_params.get(P.PRESCRIPTION_KEY)
    if value is None or loaded() is None:
        return
    settings, messages = P.parse_prescription(value, programme())
    start = store.programme_start()
    with st.container(border=True):
        st.markdown("**A plan from a link**")
        for message in messages:
            st.warning(md(message), icon=":material/link_off:")  # it quotes the link
        if settings is None:
            st.caption("Nothing was changed.")
            st.button("Dismiss", key="prescription_dismiss", on_click=_keep_plan)
            return
        changes = P.prescription_changes(
            programme(), start.settings if start is not None else None, settings, started=start is not None
        )
        if start is not None and not changes:
            st.success("This link matches your plan already; nothing changes.", icon=":material/check:")
            st.button("OK", key="prescription_dismiss", on_click=_drop_link)
            return
        st.markdown(
            "This link, for example from your physiotherapist, sets which exercises your plan uses, the level "
            "each starts at and how high it may go. "
            + ("Opening it changes:" if start is not None else "It would start your 8-week plan today with:")
        )
        st.markdown("\n".join(f"- {md(line)}" for line in changes))
        if start is not None:
            st.caption("Your past sessions stay in your journal; the plan's levels start again from today.")
        left, right = st.columns(2)
        left.button(
            "Use this plan" if start is None else "Replace my plan",
            type="primary",
            key="prescription_use",
            on_click=_use_prescription,
            args=(store, today, settings),
            icon=":material/assignment:",
        )
        right.button("Keep my plan" if start is not None else "Not now", key="prescription_keep", on_click=_keep_plan)


# ---- starting, restarting -----------------------------------------------------------------------------


def _start(store: Any, today: dt.date) -> None:
    previous = store.programme_start()
    with reported("The plan was not started:", slot=FLASH_SLOT) as saved:
        store.start_programme(today, previous.settings if previous is not None else None)
    if saved.ok:
        st.session_state.pop(RESTART_ASK, None)
        flash(
            "Your 8-week plan starts today." if previous is None else "Your plan starts again from today.",
            icon=":material/flag:",
            slot=FLASH_SLOT,
        )


def start_offer(store: Any, today: dt.date) -> None:
    """No plan yet: what it is, and a clear button to start it."""
    with st.container(border=True):
        st.markdown(
            "**Start your 8-week plan**\n\n"
            "Strengthening for the hip and knee three days a week, stretches for comfort on most days, and a "
            "warm-up each time: the kind of programme the trials for kneecap pain used. Each exercise has "
            "easier and harder levels. After a session you say how much it hurt, and the next morning how "
            "your knee felt: comfortable sessions move an exercise up, painful ones move it down."
        )
        st.button(
            "Start my 8-week plan",
            type="primary",
            key="programme_start",
            on_click=_start,
            args=(store, today),
            icon=":material/flag:",
        )
        st.caption("Or pick another routine under **Start from** above.")


def _ask_restart() -> None:
    st.session_state[RESTART_ASK] = True


def _cancel_restart() -> None:
    st.session_state.pop(RESTART_ASK, None)


def restart_control(store: Any, today: dt.date) -> None:
    """Start the plan again from today, after asking."""
    if not st.session_state.get(RESTART_ASK):
        st.button("Start my plan again…", key="programme_restart", on_click=_ask_restart, icon=":material/replay:")
        return
    with st.container(border=True):
        st.warning(
            "**Start your plan again from today?** Week 1 starts today and every exercise goes back to the "
            "level the plan begins with. Your past sessions stay in your journal.",
            icon=":material/replay:",
        )
        left, right = st.columns(2)
        left.button(
            "Yes, start again today", type="primary", key="programme_restart_yes", on_click=_start, args=(store, today)
        )
        right.button("Keep my plan", key="programme_restart_no", on_click=_cancel_restart)


# ---- today ------------------------------------------------------------------------------------------


def todays_plan(
    store: Any, today: dt.date, show_stretches: Callable[[], None], *, playing: bool = False
) -> P.DayPlan | None:
    """Above the player: the plan's day (week N of M, the kind of day, and what changed and why), and the
    choice of an easier level for today (``easier_control``; locked while ``playing``). Returns the day's
    plan when there is a session to play; None after showing the start offer or the rest day.
    ``show_stretches`` switches the page to a stretching routine (the rest day's offer)."""
    show_flash(FLASH_SLOT, on_undo=partial(_undo_easier, store))
    if loaded() is None:
        return None
    try:
        plan = P.plan_from_store(store, today, programme())
    except P.NotStartedError:
        start = store.programme_start()
        if start is None:
            start_offer(store, today)
        else:
            st.info(
                f"Your plan starts on {start.start_date:%A %d %B %Y}. Until then, pick a routine under "
                "**Start from** above.",
                icon=":material/event:",
            )
            restart_control(store, today)
        return None
    week = f"Week {plan.week} of {plan.weeks}" if not plan.finished else f"Week {plan.week}"
    done = " Your 8 weeks are done: keep going at your levels." if plan.finished else ""
    st.markdown(f"**{week}** · today is {KINDS[P.DayType(plan.day_type)]}.{done}")
    if plan.day_type == P.DayType.REST:
        st.info(PP.rest_day_message(plan.finished), icon=":material/self_improvement:")
        st.button(
            "Gentle stretches for comfort", key="programme_rest_stretches", on_click=show_stretches,
            icon=":material/self_improvement:",
        )
        st.caption("Other routines are under **Start from** above.")
        return None
    tomorrow = today + dt.timedelta(days=1)
    if any(s.status == SessionStatus.COMPLETED for s in store.list_programme_sessions(today, tomorrow)):
        st.success("You have done today's session: well done. The next one is on your plan's next day.",
                   icon=":material/check_circle:")
    changed = [e for e in plan.exercises if e.change != Change.SAME]
    for e in changed:
        icon = ":material/trending_up:" if e.change == Change.UP else ":material/trending_down:"
        last = plan.progress.last.get(e.id)
        box = st.success if e.change == Change.UP else (st.info if last is not None and last.chosen else st.warning)
        box(e.reason, icon=icon)
    easier_control(store, plan, today, playing)
    return plan


# ---- choosing an easier level -----------------------------------------------------------------------

EASIER_EXERCISE = "programme_easier_exercise"
UNDO_CHOICE = "programme_undo_choice"  # the id of the level choice just made, for its Undo


def _choose_easier(store: Any, today: dt.date, exercise_id: str, level_key: str) -> None:
    level = st.session_state.get(level_key)
    with reported("The level was not changed:", slot=FLASH_SLOT) as saved:
        step = P.choose_easier(store, today, exercise_id, level, programme())
    if saved.ok:
        name = programme().exercises[exercise_id].level(step.after).name
        st.session_state[UNDO_CHOICE] = step.choice_id
        # With Undo: a slip of the finger should not cost two comfortable sessions to climb back.
        flash(f"Today's session now has {name}.", "undo", icon=":material/check:", slot=FLASH_SLOT)


def _undo_easier(store: Any) -> None:
    choice_id = st.session_state.pop(UNDO_CHOICE, None)
    if choice_id is None:
        return
    with reported("Could not undo:", slot=FLASH_SLOT) as undone:
        P.undo_choice(store, choice_id)
    if undone.ok:
        flash("Taken back: today's session is as your plan gives it.", icon=":material/undo:", slot=FLASH_SLOT)


def easier_control(store: Any, plan: P.DayPlan, today: dt.date, playing: bool) -> None:
    """"Make an exercise easier": pick an easier level of one of today's exercises before pressing Start
    ("the person can always choose easier; harder only as the plan allows"). Only easier levels are offered;
    an exercise already at its easiest shows its easier way instead."""
    options = P.easier_levels(programme(), plan)
    easiest = [e for e in plan.exercises if e.kind != "warmup" and e.id not in options]
    with st.expander("Make an exercise easier", icon=":material/trending_down:"):
        st.markdown(
            "You can always choose an easier level for today's session: pick it here before you press "
            "**Start**. Your plan carries on from that level and moves it up again after two comfortable "
            "sessions. Harder levels come only from the plan."
        )
        if options:
            names = {e.id: e.level_name for e in plan.exercises}
            exercise_id = st.selectbox(
                "Exercise",
                list(options),
                format_func=lambda i: names.get(i, i),
                key=EASIER_EXERCISE,
                disabled=playing,
            )
            ex = programme().exercises[exercise_id]
            levels = options[exercise_id]
            level_key = f"programme_easier_level_{exercise_id}"
            st.selectbox(
                "Easier level",
                [lvl.number for lvl in levels],
                index=len(levels) - 1,  # one step easier by default
                format_func=lambda n: f"Level {n}: {ex.level(n).name} ({P.dose_words(ex.level(n).dose)})",
                key=level_key,
                disabled=playing,
            )
            st.button(
                "Use the easier level",
                key="programme_easier",
                on_click=_choose_easier,
                args=(store, today, exercise_id, level_key),
                disabled=playing,
                icon=":material/trending_down:",
            )
            if playing:
                st.caption("Finish or stop the session first; the level then applies to your next one.")
        if easiest:
            st.markdown(
                "Already at their easiest level (if one still hurts, do it the easier way):\n"
                + "\n".join(f"- **{e.level_name}**: {e.safer}" for e in easiest)
            )


def plan_view(store: Any, plan: P.DayPlan, library: Any, today: dt.date) -> None:
    """The plan view: week N of M, today's exercises (level, dose, change), what changed and why, and the
    history of levels; then the restart."""
    start = store.programme_start()
    view = P.plan_view(programme(), plan, start.settings if start is not None else None)
    st.header("Your 8-week plan")  # h2 under the page title; its parts are h3
    st.markdown(
        f"Week **{min(view.week, view.weeks)} of {view.weeks}**"
        + (f", started {start.start_date:%d %B %Y}" if start is not None else "")
        + (" (the weeks are done; keep going)." if view.finished else ".")
    )
    day, days = (today - plan.start).days + 1, 7 * view.weeks
    st.progress(min(1.0, day / days), text=f"Day {day} of {days}" if day <= days else None)
    st.subheader("Today")
    # st.table: static and wrapping, so every row and long reason shows without scrolling inside a frame.
    st.table(PP.today_rows(plan, library), hide_index=True)
    st.subheader("What changed and why")
    if view.changes:
        st.markdown("\n".join(f"- {e.reason}" for e in view.changes))
    else:
        st.markdown("Nothing changed for today.")
    with st.expander("Why each level is where it is", icon=":material/help:"):
        st.markdown("\n".join(f"- {e.level_name}: {e.reason}" for e in view.today if e.kind != "warmup"))
    st.subheader("Level history")
    rows = PP.history_rows(view)
    if rows:
        st.table(rows, hide_index=True)
    else:
        st.caption("No level has changed yet. Each exercise starts at the level the plan begins with.")
    restart_control(store, today)
