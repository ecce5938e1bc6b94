"""Trends: is the routine helping? Layout only; every rule is in hipknee.analysis, every sentence in
hipknee.trends_text (issue 13), and the Streamlit glue in ui/trends.py."""

import streamlit as st

from hipknee import analysis as an
from hipknee import summary_cards as cards
from hipknee import trends_text as words
from hipknee.statuses import TrendsState
from ui.gate import trends_alert_box
from ui.questionnaires import render_trends_section
from ui.router import ensure_routed
from ui.state import get_store, today
from ui.trends import RANGE_KEY, baseline_box, clinician_report, pain_charts, sample_offer, view_for

ensure_routed()

store = get_store()
TODAY = today()

st.title("Trends")
st.caption("Is the routine helping? Your knee pain and your routine days side by side, in plain numbers.")

fingerprint = store.data_fingerprint()
entry_count = int(fingerprint[0])
if entry_count < an.THIN_ENTRIES:
    st.info(words.thin(entry_count, an.THIN_ENTRIES) if entry_count else words.EMPTY,
            icon=":material/hourglass_top:" if entry_count else ":material/insights:")
    sample_offer()
    render_trends_section(store)  # questionnaire scores do not need a journal
    st.stop()

# The cards, the alert and the starting level do not depend on the range (they are as of today over the whole
# history): only the charts and the report do, and they rerun alone in a fragment when the range changes.
trends, _, _, picked_problem = view_for(store, fingerprint, st.session_state.get(RANGE_KEY) or an.DEFAULT_RANGE,
                                        TODAY)

if trends.alert is not None:
    st.warning(trends_alert_box(store, TODAY, trends.alert), icon=":material/warning:")  # as the gate decides
if trends.state == TrendsState.SHORT and trends.first_entry is not None:
    st.info(words.early((TODAY - trends.first_entry).days + 1), icon=":material/hourglass_top:")
    sample_offer()

# ---- summary cards: one block of plain HTML (hipknee.summary_cards says why) ----
st.html(cards.summary_html(cards.trends_cards(trends), trends.association.sentence))

prompt = an.no_improvement_prompt(trends)
if prompt:
    st.info(prompt, icon=":material/medical_services:")
if picked_problem:
    st.warning(picked_problem, icon=":material/event_busy:")
st.caption(trends.association.caveat)

baseline_box(store, trends, TODAY)


# ---- charts and report: the range control reruns only this part (a fragment) ----
@st.fragment
def charts_and_report() -> None:
    st.header("Pain and routine days over time")
    range_key = st.segmented_control(
        "Show", list(an.RANGES), format_func=lambda key: an.RANGES[key][0], default=an.DEFAULT_RANGE,
        required=True, key=RANGE_KEY,
    ) or an.DEFAULT_RANGE
    trends, combined, calendar, _ = view_for(store, fingerprint, range_key, TODAY)
    draw_chart = pain_charts(trends, combined, calendar)
    clinician_report(store, trends, TODAY)
    draw_chart()  # last: ui.trends.pain_charts says why


charts_and_report()

# ---- questionnaire scores (issue 15): their own section, outside the fragment (it does not follow the range) ----
render_trends_section(store)
