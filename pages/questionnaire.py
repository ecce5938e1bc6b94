"""Questionnaires: take the knee-function (AKPS) or pain (PEG) questionnaire in about two minutes (issue 15).
Layout only; scoring and due dates are in hipknee.questionnaires, the glue in ui/questionnaires.py."""

import streamlit as st

from hipknee.questionnaires import load_questionnaires
from ui.feedback import load_or_stop, show_flash
from ui.questionnaires import pick_questionnaire, render_form, render_status
from ui.router import ensure_routed
from ui.state import get_store, today

ensure_routed()

store = get_store()
TODAY = today()

st.title("Questionnaires")
st.caption(
    "Two short questionnaires that physiotherapists use: one about what your knee lets you do (every 4 weeks), "
    "one about pain and how much it gets in the way (every week). They show whether things are changing."
)
load_or_stop(load_questionnaires, "The questionnaires could not be loaded.")
show_flash()
render_status(store, TODAY)
with st.container(border=True):
    render_form(store, pick_questionnaire(store, TODAY), TODAY)
