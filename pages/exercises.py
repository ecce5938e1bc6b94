"""Exercises: the illustrated library, with how to do each one, how much, and when to stop."""

from __future__ import annotations

import streamlit as st

from hipknee.exercise_card import anchor, card_markdown
from hipknee.exercises import STRETCH_HOLD_RANGE, load_exercises, variants_of
from hipknee.trends_text import GOAL_IN_WORDS
from ui.feedback import load_or_stop
from ui.pages import EXPLAINER, link
from ui.router import ensure_routed

ensure_routed()

KIND_TITLES = {
    "warmup": ("Warm up first", "Five minutes of easy movement before anything else."),
    "strength": (
        "Strengthening",
        "These have the best evidence for kneecap pain. Do them slowly and with control; a little muscle "
        "tiredness is normal.",
    ),
    "stretch": (
        "Stretches",
        f"For mobility and comfort. Ease in, then hold {STRETCH_HOLD_RANGE[0]}–{STRETCH_HOLD_RANGE[1]} seconds "
        f"while breathing slowly. Aim for daily, or at least {GOAL_IN_WORDS}. A gentle pull is right; pain is not.",
    ),
}
KIND_ORDER = ("warmup", "strength", "stretch")

st.title("Exercises")
st.markdown(
    "Each exercise shows the movement, what it is for, how to do it step by step, how much to do and "
    "when to stop. The pictures move from the start position to the end position (they stay still if "
    "your device is set to reduce motion). **Orange marks where you should feel it; blue marks the leg "
    "that works.**"
)

library = load_or_stop(load_exercises, "**The exercise list could not be loaded.**")

main = [e for e in library.values() if e.replaces is None]

with st.expander("Jump to an exercise", icon=":material/list:"):
    # One markdown element per block of text, not one per line: every element costs the browser a render.
    jumps = []
    for kind in KIND_ORDER:
        names = [f"[{e.name}](#{anchor(e)})" for e in main if e.kind == kind]
        jumps.append(f"**{KIND_TITLES[kind][0]}:** " + " · ".join(names))
    st.markdown("\n\n".join(jumps))


for kind in KIND_ORDER:
    title, intro = KIND_TITLES[kind]
    st.header(title, anchor=f"kind-{kind}")
    st.caption(intro)
    for ex in (e for e in main if e.kind == kind):
        # One element per card (hipknee/exercise_card.py): every element costs the browser a render.
        st.markdown(card_markdown(ex), unsafe_allow_html=True)
        for variant in variants_of(library, ex.id):
            st.markdown(card_markdown(variant, variant_of=ex), unsafe_allow_html=True)

st.divider()
st.markdown(
    "**Why these exercises?** The *Hips & knees* page explains how the hip affects the knee, and what the "
    "research says about strengthening and stretching."
)
link(EXPLAINER, "Read Hips & knees", ":material/menu_book:")
