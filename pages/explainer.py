"""Hips & knees: why the hip matters for the knee, what the research says, and an interactive leg figure."""

from __future__ import annotations

import streamlit as st

from hipknee.citations import format_reference, load_explainer, render_body
from hipknee.leg_model import (
    ANGLE_CHOICES,
    START_ADDUCTION,
    START_ROTATION,
    TEACHING_LABEL,
    describe,
    leg_figure,
    leg_pose,
    valgus_readout,
)
from ui.feedback import load_or_stop
from ui.pages import EXERCISES, SCREENER, link
from ui.router import ensure_routed

ensure_routed()

st.title("Hips & knees")
st.markdown("**Why your hips matter for your knees, in about five minutes.**")  # a lead, not a heading

explainer = load_or_stop(load_explainer, "**This page's text could not be loaded.**")


@st.fragment
def leg_model_block() -> None:
    """Two angle choices and the front-view leg; a fragment, so a new choice redraws only this block."""
    with st.container(border=True):
        st.markdown(f"**Try it: one leg in a shallow squat, seen from the front** · *{TEACHING_LABEL.lower()}*")
        # Segmented choices rather than sliders: as easy to use by touch and keyboard, and the page needs no
        # slider code (moment, numbro: ~0.06x of a hello-world load, issue 18).
        left, right = st.columns(2)
        adduction = left.segmented_control(
            "Thigh tilts inward (hip adduction)", ANGLE_CHOICES, default=START_ADDUCTION, required=True,
            format_func=lambda deg: f"{deg}°", key="leg_adduction",
            help="How far the thigh tilts in toward the other leg.",
        )
        rotation = right.segmented_control(
            "Thigh turns inward (hip internal rotation)", ANGLE_CHOICES, default=START_ROTATION, required=True,
            format_func=lambda deg: f"{deg}°", key="leg_rotation",
            help="How far the bent thigh turns in, around an up-and-down line through the hip.",
        )
        pose = leg_pose(adduction, rotation)
        chart, readout = st.columns([3, 2], vertical_alignment="center")
        # Plain SVG (hipknee.leg_model.leg_figure): markdown, because st.html's sanitiser drops SVG; the
        # picture holds only numbers and fixed words. No plotly code to load on this page (issue 18).
        with chart.container(key="leg_figure"):
            st.markdown(leg_figure(adduction, rotation), unsafe_allow_html=True)
        with readout:
            with st.container(key="leg_valgus"):  # the number drawn large: ui/a11y.py
                st.markdown(valgus_readout(pose))
            st.markdown(describe(pose))
            st.caption(
                "The dotted grey line is the same leg lined up straight. This is simple geometry to show the "
                "idea; it does not measure your leg, and real knees vary."
            )


# Sections run together in one markdown element up to the next figure or link: every element costs the
# browser a render. Each title is still an h2, with the anchor Streamlit makes from its words.
text: list[str] = []
for section in explainer.sections:
    text.append(f"## {section.title}\n\n{render_body(section.body, explainer)}")
    if section.figure == "leg_model" or section.id == "see_someone":
        st.markdown("\n\n".join(text))
        text = []
    if section.figure == "leg_model":
        leg_model_block()
    if section.id == "see_someone":
        link(SCREENER, "Check yourself with the safety screening", ":material/checklist:")
if text:
    st.markdown("\n\n".join(text))

st.header("Ready to try the exercises?", anchor="next")
st.markdown(
    "Every exercise has a picture, step-by-step instructions, how long to hold or how many to do, "
    "and the signs that mean stop."
)
link(EXERCISES, "See the exercises", ":material/exercise:")

st.divider()
st.header("References", anchor="references")
st.caption("The numbers in brackets above point to these studies.")
# One element for the whole list (every element costs the browser a render); each finding in small print.
st.markdown(
    "\n\n".join(
        f"**[{number}]** {format_reference(citation)}  \n:small[{citation.finding}]"
        for number, citation in explainer.references()
    )
)
