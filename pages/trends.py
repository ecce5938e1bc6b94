"""Trends: is the routine helping? Layout only; every rule is in hipknee.analysis and every sentence in
hipknee.trends_text (issue 13)."""

import datetime as dt

import streamlit as st

from hipknee import analysis as an
from hipknee import charts
from hipknee import trends_text as words
from hipknee.report import report_for_store
from ui.gate import (
    BASELINE_MODE_KEY,
    BASELINE_RANGE_KEY,
    keep_baseline_choice,
    seed_baseline_widgets,
    settled_baseline_choice,
    trends_alert_box,
)
from ui.pages import JOURNAL, link
from ui.questionnaires import render_trends_section
from ui.router import ensure_routed
from ui.state import enter_sample_mode, get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def trends_view(url: str, user: str, fingerprint: tuple, range_key: str, day: dt.date,
                baseline_range: tuple | None, _store):
    """Analysis and figures, rebuilt only when this person's data (its fingerprint) or the choices change.
    Shared read-only between reruns: never modify what this returns."""
    trends = an.trends_for_range(_store.entries_frame(), _store.sessions_frame(), range_key, day, baseline_range)
    return trends, charts.combined_chart(trends), charts.pain_calendar(trends)


def sample_offer() -> None:
    link(JOURNAL, "Rate today's pain in the journal", ":material/edit_note:")
    if not in_sample_mode():
        st.button("Explore with sample data", on_click=enter_sample_mode, icon=":material/science:",
                  key="trends_sample")


def card(column, label: str, value: str, caption: str, delta: str | None = None, color: str = "off",
         help: str | None = None) -> None:
    with column.container(border=True, height="stretch"):
        st.metric(label, value, delta, delta_color=color, help=help)
        st.caption(caption)


st.title("Trends")
st.caption("Is the routine helping? Your knee pain and your routine days side by side, in plain numbers.")

fingerprint = store.data_fingerprint()
entry_count = int(fingerprint[0])
if entry_count == 0:
    st.info(words.EMPTY, icon=":material/insights:")
    sample_offer()
    render_trends_section(store)  # questionnaire scores do not need a journal
    st.stop()
if entry_count < an.THIN_ENTRIES:
    st.info(words.thin(entry_count, an.THIN_ENTRIES), icon=":material/hourglass_top:")
    sample_offer()
    render_trends_section(store)
    st.stop()

url = str(store.engine.url)


def view_for(range_key: str):
    """(trends, combined chart, calendar, problem with the picked starting level or None) for a range, with
    this session's one starting level (ui.gate.baseline_choice: the same the alert on every page uses)."""
    view = trends_view(url, store.user_id, fingerprint, range_key, TODAY, None, store)
    choice = settled_baseline_choice(store, view[0].baseline, view[0].first_entry or TODAY, TODAY)
    if choice.mode != "picked":
        return (*view, None)
    picked = choice.range
    if picked is None:
        return (*view, words.PICK_END_TOO)
    chosen = trends_view(url, store.user_id, fingerprint, range_key, TODAY, picked, store)
    if chosen[0].baseline is None or chosen[0].baseline.source != "picked":
        return (*view, words.picked_too_few(*picked))
    return (*chosen, None)


# The cards, the alert and the starting level do not depend on the range (they are as of today over the whole
# history): only the charts and the report do, and they rerun alone in a fragment when the range changes.
trends, _, _, picked_problem = view_for(st.session_state.get("trends_range") or an.DEFAULT_RANGE)

if trends.alert is not None:
    st.warning(trends_alert_box(store, TODAY, trends.alert), icon=":material/warning:")  # as the gate decides
if trends.state == "short" and trends.first_entry is not None:
    st.info(words.early((TODAY - trends.first_entry).days + 1), icon=":material/hourglass_top:")
    sample_offer()

# ---- summary cards: 3 rows of 2 (values like 'Much better' need the room) ----
rows = [st.columns(2) for _ in range(3)]
current, change, recent = trends.current, trends.change, trends.recent_change
card(rows[0][0], "Pain, last 7 days", f"{current.mean:.1f} / 10" if current else "—",
     f"Average of {current.entries} ratings." if current else words.CURRENT_MISSING, help=words.CURRENT_HELP)
if change is not None:
    card(rows[0][1], "Change since the start", change.verdict.label,
         words.change_caption(change), words.points_and_percent(change.points, change.percent),
         "inverse" if change.verdict.key != "no_clear_change" else "off", help=words.THRESHOLDS_SHORT)
else:
    card(rows[0][1], "Change since the start", "—",
         words.CHANGE_MISSING if trends.baseline else words.BASELINE_MISSING)
if recent is not None:
    card(rows[1][0], "Change, last 2 weeks", recent.verdict.label, words.recent_sentence(recent, change),
         words.points_and_percent(recent.points, recent.percent),
         "inverse" if recent.verdict.key != "no_clear_change" else "off", help=words.RECENT_HELP)
else:
    card(rows[1][0], "Change, last 2 weeks", "—", words.RECENT_MISSING, help=words.RECENT_HELP)
label, value, caption = words.routine_card(trends.recent)
card(rows[1][1], label, value, caption, help=words.ROUTINE_HELP)
streak = trends.streak
card(rows[2][0], "Full weeks in a row at goal", f"{streak.weeks} week{'s' if streak.weeks != 1 else ''}",
     words.this_week(streak.this_week_days), help=words.STREAK_HELP)
with rows[2][1].container(border=True, height="stretch"):
    st.markdown("**Routine days and your pain**")
    st.markdown(trends.association.sentence)

prompt = an.no_improvement_prompt(trends)
if prompt:
    st.info(prompt, icon=":material/medical_services:")
if picked_problem:
    st.warning(picked_problem, icon=":material/event_busy:")
st.caption(trends.association.caveat)

# ---- starting level and method ----
with st.expander("Starting level and how these numbers work", icon=":material/info:"):
    st.markdown(words.baseline_sentence(trends))
    # The widgets show the session's choice (kept outside them: it outlives visits to other pages).
    choice = seed_baseline_widgets(store)
    st.radio("Starting level", ["auto", "picked"], key=BASELINE_MODE_KEY, horizontal=True,
             format_func=lambda v: "My first week (automatic)" if v == "auto" else "Dates I choose",
             help="Pick your own dates if your first week was unusual, for example a flare-up.",
             on_change=keep_baseline_choice, args=(store,))
    if choice.mode == "picked":
        st.date_input("Dates for the starting level", key=BASELINE_RANGE_KEY, min_value=trends.first_entry or TODAY,
                      max_value=TODAY, format="YYYY-MM-DD", help=words.PICK_HELP,
                      on_change=keep_baseline_choice, args=(store,))
    st.markdown(words.method_text())


# ---- charts and report: the range control reruns only this part (a fragment) ----
@st.fragment
def charts_and_report() -> None:
    st.header("Pain and routine days over time")
    range_key = st.segmented_control(
        "Show", list(an.RANGES), format_func=lambda key: an.RANGES[key][0], default=an.DEFAULT_RANGE,
        required=True, key="trends_range",
    ) or an.DEFAULT_RANGE
    trends, combined, calendar, _ = view_for(range_key)
    pain_charts(trends, combined, calendar)
    clinician_report(trends)


def pain_charts(trends: an.Trends, combined, calendar) -> None:
    daily = trends.resolution == "day"
    st.caption(words.chart_caption(daily, trends.baseline is not None))
    st.plotly_chart(combined, config=CHART_CONFIG, key="trends_chart",
                    alt="Chart of daily knee pain with its 7-day average, and routine days per week.")
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
    st.plotly_chart(calendar, config=CHART_CONFIG, key="trends_calendar",
                    width="content" if calendar.layout.width else "stretch",
                    alt="Calendar heat map of knee pain by day, with routine days marked.")


def clinician_report(trends: an.Trends) -> None:
    st.header("For your clinician")
    st.markdown(words.REPORT_BLURB.format(start=trends.start, end=trends.end))
    base = trends.baseline
    report_range = (base.start, base.end) if base is not None and base.source == "picked" else None

    def make_report() -> bytes:
        return report_for_store(store, start=trends.start, end=trends.end, baseline_range=report_range,
                                generated=TODAY)

    st.download_button(
        "Download report for my clinician", data=make_report, file_name=f"hipknee-report-{TODAY.isoformat()}.pdf",
        mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:", key="trends_report",
    )


charts_and_report()

# ---- questionnaire scores (issue 15): their own section, outside the fragment (it does not follow the range) ----
render_trends_section(store)
