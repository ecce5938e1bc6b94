"""Home: what hipknee is, where to start, and a way to explore with sample data."""

import streamlit as st

from hipknee.statuses import ALLOWED_GATE_STATUSES, GateStatus
from ui.gate import current_gate, render_alert_caution
from ui.pages import EXERCISES, EXPLAINER, JOURNAL, ROUTINE, SCREENER, TRENDS, link, st_page
from ui.questionnaires import render_due_prompt
from ui.router import ensure_routed
from ui.state import enter_sample_mode, get_store, in_sample_mode, today

ensure_routed()

st.title("hipknee")
# A lead paragraph, not a heading: a heading here would skip levels after the title (WCAG 1.3.1).
st.markdown(
    "**Try hip stretching and strengthening for knee pain — safely, and find out whether it helps *you*.**"
)

st.info(
    "hipknee helps you learn, exercise and keep track. **It does not diagnose anything and it is not a "
    "substitute for a physiotherapist or doctor.** If something feels wrong, stop and get it checked.",
    icon=":material/health_and_safety:",
)

store = get_store()
entry_count = store.count_entries()
gate = current_gate(store, today())
if gate.status in (GateStatus.STOP, GateStatus.DAY_STOP):
    # After a "get care now" answer, nothing on this page should read as an invitation to exercise.
    st.error(f"**{gate.title}** — {gate.message}", icon=":material/emergency:")
else:
    render_alert_caution(gate)  # pain has gone up: the same caution as on Routine and Trends
render_due_prompt(store, today())  # one line when a questionnaire is due (issue 15)

# The one main button: the screening until there is a valid one, then today's session. After a "get care"
# answer or a blocked day there is none: nothing here should read as an invitation to exercise.
main_action = (
    ("Take the screening", SCREENER, ":material/checklist:")
    if gate.status in (GateStatus.NO_SCREENING, GateStatus.EXPIRED)
    else ("Start today's session", ROUTINE, ":material/play_circle:")
    if gate.status in ALLOWED_GATE_STATUSES
    else None
)
if main_action and st.button(main_action[0], type="primary", icon=main_action[2], key="home_main"):
    st.switch_page(st_page(main_action[1]))

st.header("How it works")
# (page, card title, what it does, link label, icon), in the order a newcomer would use them
STEPS = [
    (SCREENER, "Safety screening",
     "A few yes/no questions before your first routine (about 3 minutes). It tells you whether to start "
     "gently, see a professional first, or get urgent care.",
     "Take the screening", ":material/checklist:"),
    (EXPLAINER, "Hips & knees",
     "Why the hip matters for the knee, what the research says, and a leg you can move yourself.",
     "Read Hips & knees", ":material/menu_book:"),
    (EXERCISES, "Exercises",
     "Every stretch and strengthening move with a picture, step-by-step instructions, how much to do, "
     "and when to stop.",
     "See the exercises", ":material/exercise:"),
    (ROUTINE, "Routine",
     "A guided timer for the stretches and strength moves: it counts each hold, says when to switch "
     "sides, and logs the session for you.",
     "Start a routine", ":material/timer:"),
    (JOURNAL, "Journal",
     "Rate your knee pain each day (0–10) and answer a quick safety check. It takes ten seconds.",
     "Open the journal", ":material/edit_note:"),
    (TRENDS, "Trends",
     "Is it helping? Your pain and your routine days side by side, honest numbers, and a one-page "
     "report to take to your physiotherapist or doctor.",
     "See your trends", ":material/insights:"),
]
for row_start in range(0, len(STEPS), 2):
    for column, (number, (page, title, text, label, icon)) in zip(
        st.columns(2), enumerate(STEPS[row_start:row_start + 2], start=row_start + 1), strict=False
    ):  # the last row may hold one step
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{number}. {title}**  \n{text}")
            link(page, label, icon)

if entry_count == 0 and not in_sample_mode():
    st.header("Just looking?")
    st.markdown(
        "See every page filled in with six months of made-up data. Your own journal stays untouched, "
        "and you can come back to it at any time."
    )
    st.button("Explore with sample data", on_click=enter_sample_mode, icon=":material/science:")
elif not in_sample_mode():
    st.caption(f"Your journal has {entry_count} {'entry' if entry_count == 1 else 'entries'}.")
    st.button("Explore with sample data", on_click=enter_sample_mode, icon=":material/science:")
