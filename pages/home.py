"""Home: what hipknee is, where to start, and a way to explore with sample data."""

import streamlit as st

from ui.state import enter_sample_mode, get_store, in_sample_mode

st.title("hipknee")
st.markdown(
    "#### Try hip stretching and strengthening for knee pain — safely, and find out whether it helps *you*."
)

st.info(
    "hipknee helps you learn, exercise and keep track. **It does not diagnose anything and it is not a "
    "substitute for a physiotherapist or doctor.** If something feels wrong, stop and get it checked.",
    icon=":material/health_and_safety:",
)

store = get_store()
entry_count = store.count_entries()

st.subheader("How it works")
steps = st.columns(2)
with steps[0]:
    with st.container(border=True):
        st.markdown("**1. Journal**  \nRate your knee pain each day (0–10). It takes ten seconds.")
        st.page_link("pages/journal.py", label="Open the journal", icon=":material/edit_note:")
with steps[1]:
    with st.container(border=True):
        st.markdown(
            "**Safety screening**  \nA few yes/no questions before your first routine (about 3 minutes). "
            "It tells you whether to start gently, see a professional first, or get urgent care."
        )
        st.page_link("pages/screener.py", label="Take the screening", icon=":material/checklist:")
learn_steps = st.columns(2)  # issue 5: the explainer and the exercise library
with learn_steps[0]:
    with st.container(border=True):
        st.markdown(
            "**Hips & knees**  \nWhy the hip matters for the knee, what the research says, and a leg you "
            "can move yourself."
        )
        st.page_link("pages/explainer.py", label="Read Hips & knees", icon=":material/menu_book:")
with learn_steps[1]:
    with st.container(border=True):
        st.markdown(
            "**Exercises**  \nEvery stretch and strengthening move with a picture, step-by-step instructions, "
            "how much to do, and when to stop."
        )
        st.page_link("pages/exercises.py", label="See the exercises", icon=":material/exercise:")
routine_steps = st.columns(2)  # issue 6: the routine player
with routine_steps[0]:
    with st.container(border=True):
        st.markdown(
            "**Routine**  \nA guided timer for the stretches and strength moves: it counts each hold, "
            "says when to switch sides, and logs the session for you."
        )
        st.page_link("pages/routine.py", label="Start a routine", icon=":material/timer:")
with routine_steps[1]:  # issue 7: trends
    with st.container(border=True):
        st.markdown(
            "**Trends**  \nIs it helping? Your pain and your routine days side by side, honest numbers, "
            "and a one-page report to take to your physiotherapist or doctor."
        )
        st.page_link("pages/trends.py", label="See your trends", icon=":material/insights:")

if entry_count == 0 and not in_sample_mode():
    st.subheader("Just looking?")
    st.markdown(
        "See every page filled in with six months of made-up data. Your own journal stays untouched, "
        "and you can come back to it at any time."
    )
    st.button(
        "Explore with sample data", on_click=enter_sample_mode, type="primary",
        icon=":material/science:",
    )
elif not in_sample_mode():
    st.caption(f"Your journal has {entry_count} {'entry' if entry_count == 1 else 'entries'}.")
    st.button("Explore with sample data", on_click=enter_sample_mode, icon=":material/science:")
