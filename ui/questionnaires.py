"""Streamlit glue for the outcome questionnaires (issue 15): the form, the one-line due prompt for Home and
the Journal, and the Trends section. Every rule (scores, due dates, thresholds) is in hipknee.questionnaires."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from hipknee import questionnaires as qn
from hipknee.store import Store
from ui.feedback import flash, reported
from ui.pages import QUESTIONNAIRE, link

PICK_KEY = "q_pick"
SAVE_KEY = "q_save"
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


def answer_key(questionnaire: qn.Questionnaire, item: qn.Item) -> str:
    return f"q_{questionnaire.id}_{item.id}"


def due_now(store: Store, today: dt.date) -> list[qn.DueState]:
    """The questionnaires due today for this person (none for read-only sample data)."""
    if store.read_only:
        return []
    start = store.programme_start()
    states = qn.due_states(
        store.list_questionnaires(),
        today=today,
        programme_start=start.start_date if start is not None else None,
        first_use=store.first_entry_date(),
    )
    return [s for s in states if s.due]


def render_due_prompt(store: Store, today: dt.date) -> None:
    """One line with a link when a questionnaire is due (Home and the Journal); nothing otherwise."""
    due = due_now(store, today)
    if not due:
        return
    known = qn.load_questionnaires()
    names = " and ".join(known[s.questionnaire_id].short for s in due)
    label = f"{'Questionnaires' if len(due) > 1 else 'Questionnaire'} due: {names} — about 2 minutes"
    link(QUESTIONNAIRE, label, ":material/assignment:")


# ---- the page -------------------------------------------------------------------------------------------


def pick_questionnaire(store: Store, today: dt.date) -> qn.Questionnaire:
    """The questionnaire chooser; it starts on the first one due (else the first in the file)."""
    known = qn.load_questionnaires()
    due = due_now(store, today)
    if PICK_KEY not in st.session_state or st.session_state[PICK_KEY] not in known:
        st.session_state[PICK_KEY] = due[0].questionnaire_id if due else next(iter(known))
    due_ids = {s.questionnaire_id for s in due}
    chosen = st.segmented_control(
        "Questionnaire",
        list(known),
        format_func=lambda qid: known[qid].short + (" · due" if qid in due_ids else ""),
        required=True,
        key=PICK_KEY,
    )
    return known[chosen or next(iter(known))]


def render_form(store: Store, questionnaire: qn.Questionnaire, today: dt.date) -> None:
    """One radio group per item, a progress bar, and Save (today's answers replace today's earlier ones)."""
    q = questionnaire
    st.header(q.name)
    st.caption(q.intro)
    progress = st.empty()  # filled in once the radios below have their values
    total = len(q.items)
    for number, item in enumerate(q.items, start=1):
        label = f"{number}\\. {item.text}"  # the escaped dot keeps Markdown from making a list of it
        if item.is_rating:
            st.radio(
                label,
                list(range(item.min or 0, (item.max or 10) + 1)),
                index=None,
                horizontal=True,
                key=answer_key(q, item),
                captions=None,
            )
            st.caption(f"{item.min} = {item.min_label} · {item.max} = {item.max_label}")
        else:
            texts = {o.id: o.text for o in item.options}
            st.radio(label, list(texts), format_func=texts.__getitem__, index=None, key=answer_key(q, item))
    answers = {item.id: st.session_state.get(answer_key(q, item)) for item in q.items}
    missing = [n for n, item in enumerate(q.items, start=1) if answers[item.id] is None]
    done = total - len(missing)
    progress.progress(done / total, text=f"{done} of {total} answered")

    if store.read_only:
        st.caption("This is sample data, so nothing can be saved. Go back to your own data to keep your scores.")
    if st.button("Save", type="primary", icon=":material/save:", key=SAVE_KEY, disabled=store.read_only):
        if missing:
            which = ", ".join(str(n) for n in missing)
            st.error(f"Please answer question{'s' if len(missing) > 1 else ''} {which} first. Nothing was saved.")
            return
        with reported("Not saved:") as saved:
            value = qn.score(q, answers)
            replaced = store.save_questionnaire(q.id, today, answers)
        if saved.ok:
            for item in q.items:
                st.session_state.pop(answer_key(q, item), None)
            scale = q.scale
            again = " It replaces the one you saved earlier today." if replaced else ""
            flash(f"Saved. Your {q.short} score today is **{q.format_score(value)}** ({scale}).{again}")
            st.rerun()


def render_status(store: Store, today: dt.date) -> None:
    """For each questionnaire: when it is next due, the latest score and the change since the first."""
    start = store.programme_start()
    records = store.list_questionnaires()
    rows = qn.history(records)
    states = qn.due_states(
        records,
        today=today,
        programme_start=start.start_date if start is not None else None,
        first_use=store.first_entry_date(),
    )
    for state in states:
        q = qn.get_questionnaire(state.questionnaire_id)
        scores = qn.scores_of(rows, q.id)
        if state.due:
            when = "due now"
        elif state.anchor is None:
            when = "take it whenever you are ready"
        else:
            when = f"next due {state.next_date:%a %-d %b}"
        latest = f"latest {q.format_score(scores[-1][1])} on {scores[-1][0]:%-d %b}" if scores else "not taken yet"
        line = f"**{q.short}**: {when}; {latest}."
        change = qn.change_from_first(q, scores)
        if change is not None:
            line += " " + qn.change_sentence(q, change)
        st.markdown(line)


# ---- Trends ---------------------------------------------------------------------------------------------


def render_trends_section(store: Store) -> None:
    """Trends: each questionnaire's scores over time with its threshold, a chart and the same in words.
    Nothing when no questionnaire was ever saved."""
    from hipknee.questionnaire_chart import score_chart, threshold_line

    rows = qn.history(store.list_questionnaires())
    if not rows:
        return
    st.header("Questionnaire scores")
    st.caption(
        "Dashed line: your first score. Dotted green line: where a change would be big enough to matter "
        "(the threshold from the research)."
    )
    for q in qn.load_questionnaires().values():
        scores = qn.scores_of(rows, q.id)
        if not scores:
            continue
        st.markdown(f"**{q.name}** ({q.scale})")
        st.plotly_chart(
            score_chart(q, scores),
            config=CHART_CONFIG,
            key=f"trends_q_{q.id}",
            alt=f"Chart of {q.short} scores over time.",
        )
        change = qn.change_from_first(q, scores)
        words = [f"{d:%-d %b %Y}: {q.format_score(v)}" for d, v in scores]
        text = "Scores: " + "; ".join(words) + "."
        if change is not None:
            text += " " + qn.change_sentence(q, change)
        target = threshold_line(q, scores[0][1])
        if target is not None:
            more = "more" if q.higher_is_better else "less"
            text += f" A score of {q.format_score(target)} or {more} would reach it."
        st.caption(text)
        st.caption(f"Threshold: {q.mid_source}")
