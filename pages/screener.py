"""Screener: a short stepped safety screening, its result card, and the screenings taken before."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hipknee.errors import HipkneeError
from hipknee.gate import caution_reason_ids, expires_on, is_cleared, is_expired
from hipknee.plaintext import md
from hipknee.screening import Finding, ScreeningInputError, assess, load_screener, stop_findings
from hipknee.store import ScreeningRecord
from ui.gate import (
    EXPLAINER_PAGE, JOURNAL_PAGE, ROUTINE_PAGE, TIER_BOX, bullets, page_link, render_clearance_form,
)
from ui.router import ensure_routed
from ui.state import get_store, today

ensure_routed()

store = get_store()
TODAY = today()
screener = load_screener()
QUESTIONS = screener.questions
STEPS = screener.steps

ANSWERS_KEY = "scr_answers"  # question id -> "yes" | "no" | "unsure" | int (survives the step widgets)
STEP_KEY = "scr_step"
MODE_KEY = "scr_mode"  # "form" | "result"
SHOW_KEY = "scr_show"  # id of the screening whose result is shown
MISSING_KEY = "scr_missing"
SCROLL_KEY = "scr_scroll_top"  # set when the step changes: the next run scrolls back to the top
CHOICES = ("yes", "no", "unsure")
CHOICE_LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
SOURCE_LABELS = {"app": "this app", "cli": "command line"}


def widget_key(qid: str) -> str:
    return f"scr_q_{qid}"


def visible(qid: str, answers: dict) -> bool:
    parent = QUESTIONS[qid].parent
    return parent is None or answers.get(parent) in ("yes", "unsure")


def unanswered(step_index: int, answers: dict) -> list[str]:
    return [
        qid for qid in STEPS[step_index].question_ids
        if QUESTIONS[qid].required and visible(qid, answers) and answers.get(qid) is None
    ]


def start_form() -> None:
    st.session_state[MODE_KEY] = "form"
    st.session_state[STEP_KEY] = 0
    st.session_state[ANSWERS_KEY] = {}
    st.session_state.pop(MISSING_KEY, None)
    for qid in QUESTIONS:
        st.session_state.pop(widget_key(qid), None)


def go_to(step_index: int) -> None:
    st.session_state[STEP_KEY] = step_index
    st.session_state.pop(MISSING_KEY, None)
    st.session_state[SCROLL_KEY] = True


def scroll_to_top(marker: str) -> None:
    """After Next/Back, show the new step from its first question, not where the old one ended."""
    st.html(
        f"<script>/* {marker} */ document.querySelector('[data-testid=\"stMain\"]')?.scrollTo({{top: 0}});"
        "</script>",
        unsafe_allow_javascript=True,
    )


def built_answers(answers: dict) -> tuple[dict, list[str]]:
    """The answers in the form ``assess`` takes ("not sure" -> True), and the ids answered "not sure"."""
    out: dict = {}
    unsure: list[str] = []
    for qid, question in QUESTIONS.items():
        value = answers.get(qid)
        if value is None or not visible(qid, answers):
            continue
        if question.type == "bool":
            out[qid] = value in ("yes", "unsure")
            if value == "unsure":
                unsure.append(qid)
        else:
            out[qid] = int(value)
    return out, unsure


def submit(answers: dict) -> None:
    data, unsure = built_answers(answers)
    try:
        result = assess(data, unsure=unsure)
        screening_id = store.save_screening(result.tier, data, result.reason_dicts(), source="app")
    except ScreeningInputError as exc:
        first_bad = next(
            (i for i, step in enumerate(STEPS) if set(step.question_ids) & set(exc.ids)), 0
        )
        go_to(first_bad)
        st.session_state[MISSING_KEY] = [qid for qid in exc.ids if qid in QUESTIONS]
        st.rerun()
    except HipkneeError as exc:
        st.error(f"Your answers were not saved: {md(exc)}", icon=":material/error:")
        return
    start_form()
    st.session_state[MODE_KEY] = "result"
    st.session_state[SHOW_KEY] = screening_id
    st.rerun()


# ---- the form ------------------------------------------------------------------------------------------


def render_urgent(findings: tuple[Finding, ...], step_ids: set[str]) -> None:
    """Send the person to care as soon as an answer makes the screening STOP, before the last step.

    A reason triggered on this step is shown in full; one from an earlier step as a short reminder.
    """
    here = [f for f in findings if f.questions & step_ids]
    earlier = [f for f in findings if not f.questions & step_ids]
    if here:
        text = "**Stop — get care first. Don't start the routine.**\n\n" + "\n\n".join(
            f"**{f.title}.** {f.reason}\n\n:material/arrow_forward: **What to do now:** {f.advice}"
            for f in here
        )
        text += (
            "\n\nIf you feel very unwell, call emergency services now (999 in the UK, 112 in Europe, "
            "911 in the US and Canada). You don't need to finish the questions first. When you can, "
            "finish them so this screening is saved; it will keep the routine closed until a new one."
        )
        st.error(text, icon=":material/local_hospital:")
    if earlier:
        st.error(
            "**Remember: get care first, and don't start the routine.** Your earlier answers need urgent "
            "care:\n\n" + bullets([f"**{f.title}:** {f.advice}" for f in earlier]),
            icon=":material/local_hospital:",
        )


def render_question(qid: str, answers: dict) -> None:
    question = QUESTIONS[qid]
    key = widget_key(qid)
    if key not in st.session_state and answers.get(qid) is not None:
        st.session_state[key] = answers[qid]  # restore after visiting another step
    # The question in bold with its help right under it, then the answer (labelled for screen readers).
    st.markdown(f"**{question.text}**  \n:gray[{question.help}]")
    if question.type == "int":
        value = st.number_input(
            question.text, min_value=question.min, max_value=question.max, value=None, step=1,
            key=key, placeholder="Type a number", label_visibility="collapsed",
        )
    else:
        value = st.radio(
            question.text, CHOICES, format_func=CHOICE_LABELS.get, index=None, horizontal=True, key=key,
            label_visibility="collapsed",
        )
        if value == "unsure":
            st.caption(":material/info: We'll count “not sure” as yes, to be safe.")
    if value is None:
        answers.pop(qid, None)
    else:
        answers[qid] = value


def render_form() -> None:
    answers: dict = st.session_state.setdefault(ANSWERS_KEY, {})
    index = min(st.session_state.setdefault(STEP_KEY, 0), len(STEPS) - 1)
    step = STEPS[index]
    st.progress(index / len(STEPS), text=f"Step {index + 1} of {len(STEPS)}")
    with st.container(border=True):
        st.subheader(step.title, anchor=False)
        intro = step.intro
        if step.id == "parq":
            intro += f" [See the original PAR-Q+]({screener.source_url})."
        st.caption(intro)
        for qid in step.question_ids:
            question = QUESTIONS[qid]
            if question.parent is not None:
                continue
            render_question(qid, answers)
            children = [c for c in step.question_ids if QUESTIONS[c].parent == qid]
            if children and visible(children[0], answers):
                with st.container(border=True):
                    st.markdown(f"**A little more about that:** {question.short.lower()}")
                    for child in children:
                        render_question(child, answers)

    data, unsure = built_answers(answers)
    try:
        urgent = stop_findings(data, unsure=unsure)
    except ScreeningInputError:
        urgent = ()  # the widgets only give valid answers; "See my result" reports anything else
    if urgent:
        render_urgent(urgent, set(step.question_ids))

    missing = st.session_state.get(MISSING_KEY)
    if missing:
        st.error(
            "Please answer every question on this step:\n\n"
            + bullets([QUESTIONS[q].short for q in missing if q in QUESTIONS]),
            icon=":material/priority_high:",
        )

    last = index == len(STEPS) - 1
    back_col, next_col = st.columns(2)
    if index > 0 and back_col.button("Back", icon=":material/arrow_back:", width="stretch", key="scr_back"):
        go_to(index - 1)
        st.rerun()
    if next_col.button(
        "See my result" if last else "Next", type="primary", width="stretch", key="scr_next",
        icon=":material/check:" if last else ":material/arrow_forward:",
    ):
        gaps = unanswered(index, answers)
        if gaps:
            st.session_state[MISSING_KEY] = gaps
            st.rerun()
        elif last:
            submit(answers)
        else:
            go_to(index + 1)
            st.rerun()
    if st.session_state.pop(SCROLL_KEY, False):
        scroll_to_top(f"step {index}")


# ---- the result ----------------------------------------------------------------------------------------


def render_result(record: ScreeningRecord) -> None:
    tier = screener.tiers[record.tier]
    box, icon = TIER_BOX[record.tier]
    box(f"**{tier.title}**\n\n{tier.summary}", icon=icon)
    taken = record.taken_at.date()
    expired = is_expired(record.taken_at, TODAY, screener)
    if record.tier == "stop":
        valid = "the routine stays closed until you take a new one"
    elif expired:
        valid = f"it expired on {expires_on(record.taken_at, screener):%d %B %Y}"
    else:
        valid = f"valid until {expires_on(record.taken_at, screener) - pd.Timedelta(days=1):%d %B %Y}"
    st.caption(f"Screening taken on {taken:%A %d %B %Y}; {valid}.")

    urgent = [r for r in record.reasons if r.get("tier") == "stop"]
    other = [r for r in record.reasons if r.get("tier") != "stop"]
    if record.reasons:
        st.subheader("Why", anchor=False)
    for heading, reasons in (("", urgent), ("Also tell the doctor about" if urgent else "", other)):
        if not reasons:
            continue
        if heading:
            st.markdown(f"**{heading}**")
        for reason in reasons:
            rule = screener.rule(reason["id"])
            with st.container(border=True):
                # Reasons are read back from the database: shown as plain text.
                st.markdown(f"**{md(rule.title if rule else reason['id'])}**  \n{md(reason['reason'])}")
                st.markdown(f":material/arrow_forward: **What to do:** {md(reason['advice'])}")

    st.subheader("What to do now", anchor=False)
    if record.tier == "stop":
        st.error(
            "**Don't start the routine.** Get the care described above first. "
            "If you feel very unwell, call emergency services (999 in the UK, 112 in Europe, "
            "911 in the US and Canada).\n\n" + tier.advice,
            icon=":material/local_hospital:",
        )
        return
    st.markdown(tier.advice)
    if record.tier == "caution":
        clearance = store.latest_clearance()
        cleared = is_cleared(
            caution_reason_ids(record.reasons), clearance.reason_ids if clearance else None
        )
        if expired:
            pass
        elif cleared:
            st.success(
                f"A clinician cleared you for these reasons on {clearance.cleared_at:%d %B %Y}.",
                icon=":material/verified:",
            )
            page_link(ROUTINE_PAGE, "Go to the routine", ":material/play_circle:")
        else:
            render_clearance_form(store, record, key="scr")
        page_link(EXPLAINER_PAGE, "Read about hips and knees", ":material/menu_book:")
        page_link(JOURNAL_PAGE, "Keep your journal", ":material/edit_note:")
    else:
        if not expired:
            page_link(ROUTINE_PAGE, "Go to the routine", ":material/play_circle:")
    tailoring = [QUESTIONS[t] for t in ("kneeling_painful", "pigeon_uncomfortable")
                 if record.answers.get(t) is True]
    if tailoring:
        st.markdown(
            "Because of your answers, the routine will suggest gentler versions of some stretches:\n\n"
            + bullets([f"{q.short}: {q.help.removeprefix('If yes, ')}" for q in tailoring])
        )


def render_history(records: list[ScreeningRecord]) -> None:
    st.subheader("Your screenings", anchor=False)
    rows = []
    for r in records:
        titles = [(screener.rule(x["id"]).title if screener.rule(x["id"]) else x["id"]) for x in r.reasons]
        rows.append({
            "Date": r.taken_at.date(),
            "Result": screener.tiers[r.tier].label if r.tier in screener.tiers else r.tier,
            "Reasons": "; ".join(titles) or "—",
            "Taken with": SOURCE_LABELS.get(r.source, r.source),
        })
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, key="scr_history",
        column_config={
            "Date": st.column_config.DateColumn("Date", format="ddd D MMM YYYY"),
            "Reasons": st.column_config.TextColumn("Reasons", width="large"),
        },
    )


# ---- page ----------------------------------------------------------------------------------------------

st.title("Screener")
st.markdown(
    f"A safety check before you exercise: yes/no questions in {len(STEPS)} short steps, about 3 minutes. "
    "It tells you whether to start gently, to see a professional first, or to get urgent care."
)
st.caption(
    f"The general-health questions are adapted from the [PAR-Q+]({screener.source_url}) "
    "(Physical Activity Readiness Questionnaire for Everyone); the knee questions follow common medical "
    f"warning-sign lists. A result lasts {screener.valid_days} days."
)

records = store.list_screenings()
latest = records[0] if records else None
latest_expired = latest is not None and is_expired(latest.taken_at, TODAY, screener)
if MODE_KEY not in st.session_state:
    st.session_state[MODE_KEY] = "result" if latest is not None and not latest_expired else "form"

if st.session_state[MODE_KEY] == "result" and latest is not None:
    shown = next((r for r in records if r.id == st.session_state.get(SHOW_KEY)), latest)
    if shown.id == latest.id and latest_expired:
        st.info(
            f"Your last screening, on {latest.taken_at:%d %B %Y}, is more than {screener.valid_days} days "
            "old. Please take it again before your next routine.",
            icon=":material/event_repeat:",
        )
    render_result(shown)
    st.button(
        "I've been checked: take the screening again" if shown.tier == "stop" else "Take the screening again",
        on_click=start_form, icon=":material/restart_alt:", key="scr_again",
    )
else:
    if latest_expired:
        st.info(
            f"Your last screening, on {latest.taken_at:%d %B %Y}, is more than {screener.valid_days} days "
            "old, and things can change. Please answer the questions again.",
            icon=":material/event_repeat:",
        )
    render_form()
    if latest is not None and not latest_expired:
        st.button(
            "Cancel and keep my last result", key="scr_cancel", type="tertiary",
            on_click=lambda: st.session_state.update({MODE_KEY: "result", SHOW_KEY: latest.id}),
        )

if records:
    render_history(records)
