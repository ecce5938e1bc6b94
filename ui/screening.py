"""Streamlit glue for a saved screening: its result card (why, what to do now) and the list of screenings.

Used by the Screener page; the rules (validity, tailoring, clearance) live in ``hipknee.screener_form`` and
``hipknee.gate``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from hipknee.gate import caution_reason_ids, is_cleared, is_expired
from hipknee.plaintext import html_table, md
from hipknee.screener_form import CHOICES, FormAnswer, ScreenerForm
from hipknee.screening import Finding
from hipknee.statuses import Tier
from hipknee.store import ScreeningRecord
from ui.gate import TIER_BOX, bullets, render_clearance_form
from ui.pages import EXPLAINER, JOURNAL, ROUTINE, link, st_page

SOURCE_LABELS = {"app": "this app", "cli": "command line"}
CHOICE_LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
WIDGET_PREFIX = "scr_q_"  # + question id: the key of its answer widget


def rule_title(form: ScreenerForm, rule_id: str) -> str:
    rule = form.screener.rule(rule_id)
    return rule.title if rule else rule_id


def render_result(store: Any, form: ScreenerForm, record: ScreeningRecord, today: dt.date) -> None:
    """The result card: the tier, how long it counts, why, what to do now and what comes next."""
    screener = form.screener
    tier = screener.tiers[record.tier]
    box, icon = TIER_BOX[record.tier]
    box(f"**{tier.title}**\n\n{tier.summary}", icon=icon)
    expired = is_expired(record.taken_at, today, screener)
    st.caption(
        f"Screening taken on {record.taken_at.date():%A %d %B %Y}; "
        f"{form.validity(record.taken_at, record.tier, today)}."
    )

    urgent = [r for r in record.reasons if r.get("tier") == Tier.STOP]
    other = [r for r in record.reasons if r.get("tier") != Tier.STOP]
    if record.reasons:
        st.header("Why", anchor=False)
    for heading, reasons in (("", urgent), ("Also tell the doctor about" if urgent else "", other)):
        if not reasons:
            continue
        if heading:
            st.markdown(f"**{heading}**")
        for reason in reasons:
            with st.container(border=True):
                # Reasons are read back from the database: shown as plain text.
                st.markdown(f"**{md(rule_title(form, reason['id']))}**  \n{md(reason['reason'])}")
                st.markdown(f":material/arrow_forward: **What to do:** {md(reason['advice'])}")

    st.header("What to do now", anchor=False)
    if record.tier == Tier.STOP:
        st.error(
            "**Don't start the routine.** Get the care described above first. "
            "If you feel very unwell, call emergency services (999 in the UK, 112 in Europe, "
            "911 in the US and Canada).\n\n" + tier.advice,
            icon=":material/local_hospital:",
        )
        return
    st.markdown(tier.advice)
    if record.tier == Tier.CAUTION:
        clearance = store.latest_clearance()
        if expired:
            pass
        elif is_cleared(caution_reason_ids(record.reasons), clearance.reason_ids if clearance else None):
            st.success(
                f"A clinician cleared you for these reasons on {clearance.cleared_at:%d %B %Y}.",
                icon=":material/verified:",
            )
            routine_button()
        else:
            render_clearance_form(store, record, key="scr")
        link(EXPLAINER, "Read about hips and knees", ":material/menu_book:")
        link(JOURNAL, "Keep your journal", ":material/edit_note:")
    elif not expired:
        routine_button()
    tailoring = form.tailoring_questions(record.answers)
    if tailoring:
        st.markdown(
            "Because of your answers, the routine will suggest gentler versions of some stretches:\n\n"
            + bullets([f"{q.short}: {q.help.removeprefix('If yes, ')}" for q in tailoring])
        )


def routine_button() -> None:
    """After a result that allows exercise, the routine is the main (primary) action."""
    if st.button("Go to the routine", type="primary", icon=":material/play_circle:", key="scr_routine"):
        st.switch_page(st_page(ROUTINE))


def render_history(form: ScreenerForm, records: list[ScreeningRecord]) -> None:
    st.header("Your screenings", anchor=False)
    tiers = form.screener.tiers
    columns = ("Date", "Result", "Reasons", "Taken with")
    rows = [
        (
            f"{r.taken_at:%a} {r.taken_at.day} {r.taken_at:%b %Y}",
            tiers[r.tier].label if r.tier in tiers else r.tier,
            "; ".join(rule_title(form, x["id"]) for x in r.reasons) or "—",
            SOURCE_LABELS.get(r.source, r.source),
        )
        for r in records
    ]
    # A plain HTML table, as the Journal's: a real <table> a screen reader reads as is, and no table code to
    # download (st.table brings ~1 MB of Arrow code to the browser for a few short rows; issue 18).
    st.html(html_table(columns, rows))


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


def question_widget(form: ScreenerForm, qid: str, answers: dict[str, FormAnswer]) -> None:
    """One question with its help and answer widget; the answer goes into ``answers`` (None removes it)."""
    question, key = form.question(qid), WIDGET_PREFIX + qid
    if key not in st.session_state and answers.get(qid) is not None:
        st.session_state[key] = answers[qid]  # restore after visiting another step
    # The question in bold with its help right under it, then the answer (labelled for screen readers).
    st.markdown(f"**{question.text}**  \n:gray[{question.help}]")
    if question.type == "int":
        value = st.number_input(
            f"{question.text} {question.help}", min_value=question.min, max_value=question.max, value=None, step=1,
            key=key, placeholder="Type a number", label_visibility="collapsed",
        )
    else:
        # The group's (hidden) label carries the help too, so a screen reader reads both on entering it.
        value = st.radio(
            f"{question.text} {question.help}", CHOICES, format_func=CHOICE_LABELS.get, index=None,
            horizontal=True, key=key, label_visibility="collapsed",
        )
        if value == "unsure":
            st.caption(":material/info: We'll count “not sure” as yes, to be safe.")
    if value is None:
        answers.pop(qid, None)
    else:
        answers[qid] = value
