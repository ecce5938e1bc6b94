"""Exercises: the illustrated library, with how to do each one, how much, and when to stop."""

from __future__ import annotations

import streamlit as st

from hipknee.exercises import STRETCH_HOLD_RANGE, Exercise, dose_text, load_exercises, pose_svg, variants_of
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
        "while breathing slowly. Aim for daily, or at least five days a week. A gentle pull is right; pain is not.",
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
        names = [f"[{e.name}](#{e.id.replace('_', '-')})" for e in main if e.kind == kind]
        jumps.append(f"**{KIND_TITLES[kind][0]}:** " + " · ".join(names))
    st.markdown("\n\n".join(jumps))


def bullet_list(items: tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)


def exercise_card(ex: Exercise, *, variant_of: Exercise | None = None) -> None:
    with st.container(border=True, key=f"card_{ex.id}"):
        st.subheader(ex.name, anchor=ex.id.replace("_", "-"))
        if variant_of is not None:
            st.markdown(
                f":green-badge[:material/shield: Safer version of the {variant_of.name.lower()}] "
                f"{ex.choose_variant_when}"
            )
        picture, words = st.columns([1, 1], gap="medium")
        with picture:
            # st.markdown keeps inline SVG (st.html strips it); the SVG is built from our own data only.
            st.markdown(f'<div class="hipknee-picture">{pose_svg(ex.id, size=420)}</div>', unsafe_allow_html=True)
            if ex.per_side:
                st.caption("Shown for the left side: the left leg (blue) works. Swap sides and repeat.")
        with words:
            st.markdown(f"{ex.purpose}\n\n:material/timer: **How much:** {dose_text(ex)}\n\n**Key tip:** {ex.cues[0]}")
        steps, tips, stop = st.tabs(["How to do it", "Tips and mistakes", "Stop if"])
        with steps:
            st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(ex.steps, start=1)))
        with tips:
            st.markdown("**Do**\n" + bullet_list(ex.cues) + "\n\n**Avoid**\n" + bullet_list(ex.mistakes))
        with stop:
            st.markdown(
                "Stop the exercise, and see a professional if it doesn't settle, when you notice:\n\n"
                + bullet_list(ex.stop_signs)
            )
        if variant_of is None and ex.choose_variant_when:
            st.info(f"**Need a gentler option?** {ex.choose_variant_when}", icon=":material/shield:")


for kind in KIND_ORDER:
    title, intro = KIND_TITLES[kind]
    st.header(title, anchor=f"kind-{kind}")
    st.caption(intro)
    for ex in (e for e in main if e.kind == kind):
        exercise_card(ex)
        for variant in variants_of(library, ex.id):
            exercise_card(variant, variant_of=ex)

st.divider()
st.markdown(
    "**Why these exercises?** The *Hips & knees* page explains how the hip affects the knee, and what the "
    "research says about strengthening and stretching."
)
link(EXPLAINER, "Read Hips & knees", ":material/menu_book:")
