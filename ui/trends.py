"""Streamlit glue for the Trends page (pages/trends.py): the cached analysis, the starting-level box, the charts
and the clinician's report. Every rule is in hipknee.analysis and every sentence in hipknee.trends_text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from hipknee import analysis as an
from hipknee import charts, pain_calendar
from hipknee import trends_text as words
from hipknee.report import report_for_store
from hipknee.statuses import BaselineSource
from ui.gate import (
    BASELINE_MODE_KEY,
    BASELINE_RANGE_KEY,
    keep_baseline_choice,
    seed_baseline_widgets,
    settled_baseline_choice,
)
from ui.pages import JOURNAL, link
from ui.state import enter_sample_mode, in_sample_mode

CHART_CONFIG = {"displayModeBar": False, "responsive": True}
RANGE_KEY = "trends_range"
BASELINE_BOX_KEY = "trends_baseline_box"  # "Starting level and how these numbers work": open or not


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def _trends_view(url: str, user: str, fingerprint: tuple, range_key: str, day: dt.date,
                 baseline_range: tuple | None, _store: Any) -> tuple:
    """Analysis and figures, rebuilt only when this person's data (its fingerprint) or the choices change.
    Shared read-only between reruns: never modify what this returns."""
    trends = an.trends_for_range(_store.entries_frame(), _store.sessions_frame(), range_key, day, baseline_range)
    return trends, charts.combined_chart(trends), pain_calendar.pain_calendar(trends)


def view_for(store: Any, fingerprint: tuple, range_key: str, today: dt.date) -> tuple:
    """(trends, combined chart, calendar, problem with the picked starting level or None) for a range, with
    this session's one starting level (ui.gate.baseline_choice: the same the alert on every page uses)."""
    url = str(store.engine.url)
    view = _trends_view(url, store.user_id, fingerprint, range_key, today, None, store)
    choice = settled_baseline_choice(store, view[0].baseline, view[0].first_entry or today, today)
    if choice.mode != BaselineSource.PICKED:
        return (*view, None)
    picked = choice.range
    if picked is None:
        return (*view, words.PICK_END_TOO)
    chosen = _trends_view(url, store.user_id, fingerprint, range_key, today, picked, store)
    if chosen[0].baseline is None or chosen[0].baseline.source != BaselineSource.PICKED:
        return (*view, words.picked_too_few(*picked))
    return (*chosen, None)


def sample_offer() -> None:
    link(JOURNAL, "Rate today's pain in the journal", ":material/edit_note:")
    if not in_sample_mode():
        st.button("Explore with sample data", on_click=enter_sample_mode, icon=":material/science:",
                  key="trends_sample")


def baseline_box(store: Any, trends: an.Trends, today: dt.date) -> None:
    """The starting level, the choice of it, and how the numbers work, in one expander. Built only while it is
    open (``BASELINE_BOX_KEY``), like "Chart as a table": a first load neither sends nor draws what is inside,
    and the choice lives outside the widgets (ui.gate), so it holds while they are not on the page."""
    box = st.expander("Starting level and how these numbers work", icon=":material/info:", key=BASELINE_BOX_KEY,
                      on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown(words.baseline_sentence(trends))
        # The widgets show the session's choice (kept outside them: it outlives visits to other pages).
        choice = seed_baseline_widgets(store)
        st.radio("Starting level", list(BaselineSource), key=BASELINE_MODE_KEY, horizontal=True,
                 format_func=lambda v: "My first week (automatic)" if v == BaselineSource.AUTO else "Dates I choose",
                 help="Pick your own dates if your first week was unusual, for example a flare-up.",
                 on_change=keep_baseline_choice, args=(store,))
        if choice.mode == BaselineSource.PICKED:
            st.date_input("Dates for the starting level", key=BASELINE_RANGE_KEY,
                          min_value=trends.first_entry or today, max_value=today, format="YYYY-MM-DD",
                          help=words.PICK_HELP, on_change=keep_baseline_choice, args=(store,))
        st.markdown(words.method_text())


def pain_charts(trends: an.Trends, combined: Any, calendar: str) -> Callable[[], None]:
    """The chart's place, its words and table, and the calendar. Returns the call that draws the chart into its
    place: make it the fragment's last element. The browser fetches plotly's code (4.7 MB, ~0.3 s of one core to
    start) when a chart arrives; a chart sent last lets it lay out everything else on the page first."""
    daily = trends.resolution == "day"
    st.caption(words.chart_caption(daily, trends.baseline is not None))
    chart_place = st.empty()
    # The chart in words and as a table, for anyone who cannot see it (WCAG 1.1.1).
    st.markdown(charts.chart_summary(trends))
    # A plain HTML table: read as is by a screen reader, and no grid code to download. Built only while the
    # expander is open, so a first load or a range switch neither sends the rows nor fetches the table's code.
    table_box = st.expander("Chart as a table", icon=":material/table:", key="trends_table", on_change="rerun")
    if table_box.open:
        with table_box:
            st.table(charts.chart_table(trends).style.format({"Average pain": "{:.1f}"}, na_rep="—"),
                     hide_index=True)
    st.header("Pain calendar")
    st.caption(words.calendar_caption(daily))
    # Plain HTML (hipknee.pain_calendar): no second chart, and no code the page does not already have.
    with st.container(key="trends_calendar"):
        st.html(calendar)

    def draw_chart() -> None:
        chart_place.plotly_chart(
            combined, config=CHART_CONFIG, key="trends_chart",
            alt=f"Chart of daily knee pain with its {words.ROLLING_LABEL}, and routine days per week.")

    return draw_chart


def clinician_report(store: Any, trends: an.Trends, today: dt.date) -> None:
    st.header("For your clinician")
    st.markdown(words.REPORT_BLURB.format(start=trends.start, end=trends.end))
    base = trends.baseline
    report_range = (base.start, base.end) if base is not None and base.source == BaselineSource.PICKED else None

    def make_report() -> bytes:
        return report_for_store(store, start=trends.start, end=trends.end, baseline_range=report_range,
                                generated=today)

    st.download_button(
        "Download report for my clinician", data=make_report, file_name=f"hipknee-report-{today.isoformat()}.pdf",
        mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:", key="trends_report",
    )
