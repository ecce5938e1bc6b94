"""Trends: is the routine helping? Pain and routine days over time, honest numbers, a report for a clinician."""

import datetime as dt

import streamlit as st

from hipknee import analysis as an, charts
from hipknee.report import report_for_store
from ui.router import ensure_routed
from ui.state import enter_sample_mode, get_store, in_sample_mode, today

ensure_routed()

store = get_store()
TODAY = today()
BASELINE_KEY = "trends_baseline_mode"
BASELINE_RANGE_KEY = "trends_baseline_range"
CHART_CONFIG = {"displayModeBar": False, "responsive": True}


@st.cache_resource(max_entries=16, ttl=3600, show_spinner=False)
def trends_view(url: str, user: str, fingerprint: tuple, range_key: str, day: dt.date,
                baseline_range: tuple | None, _store):
    """Analysis and figures, rebuilt only when this person's data (its fingerprint) or the choices change.
    Shared read-only between reruns: never modify what this returns."""
    trends = an.trends_for_range(_store.entries_frame(), _store.sessions_frame(), range_key, day,
                                 baseline_range)
    return trends, charts.combined_chart(trends), charts.pain_calendar(trends)


def sample_offer() -> None:
    st.page_link("pages/journal.py", label="Rate today's pain in the journal", icon=":material/edit_note:")
    if not in_sample_mode():
        st.button("Explore with sample data", on_click=enter_sample_mode, icon=":material/science:",
                  key="trends_sample")


st.title("Trends")
st.caption("Is the routine helping? Your knee pain and your routine days side by side, in plain numbers.")

fingerprint = store.data_fingerprint()
entry_count = int(fingerprint[0])

if entry_count == 0:
    st.info(
        "**No pain ratings yet.** Trends show up here once you rate your knee pain in the journal for a few "
        "days. Or look around with made-up sample data first; your own journal stays untouched.",
        icon=":material/insights:",
    )
    sample_offer()
elif entry_count < an.THIN_ENTRIES:
    st.info(
        f"**You have {entry_count} pain rating{'s' if entry_count != 1 else ''} so far.** The charts start "
        f"after {an.THIN_ENTRIES}, and the numbers begin to mean something after about 4 weeks of ratings. "
        "Keep going, or explore the sample data to see what this page will show.",
        icon=":material/hourglass_top:",
    )
    sample_offer()
else:
    range_key = st.segmented_control(
        "Show", list(an.RANGES), format_func=lambda key: an.RANGES[key][0], default=an.DEFAULT_RANGE,
        required=True, key="trends_range",
    ) or an.DEFAULT_RANGE

    url = str(store.engine.url)
    trends, combined, calendar = trends_view(url, store.user_id, fingerprint, range_key, TODAY, None, store)
    picked_problem = None
    if st.session_state.get(BASELINE_KEY) == "picked":
        if not st.session_state.get(BASELINE_RANGE_KEY):
            # Start the date picker from the automatic starting level, so the page agrees with the radio.
            auto = trends.baseline
            first = trends.first_entry or TODAY
            st.session_state[BASELINE_RANGE_KEY] = (
                (auto.start, min(auto.end, TODAY)) if auto else (first, min(first + dt.timedelta(days=6), TODAY))
            )
        picked = st.session_state[BASELINE_RANGE_KEY]
        if len(picked) == 2:
            chosen = trends_view(url, store.user_id, fingerprint, range_key, TODAY, (picked[0], picked[1]), store)
            if chosen[0].baseline is None:
                picked_problem = (
                    f"Your chosen dates ({picked[0]:%d %b %Y} to {picked[1]:%d %b %Y}) hold fewer than "
                    f"{an.BASELINE_MIN_ENTRIES} ratings, so they cannot be a starting level. Showing your first "
                    "week instead."
                )
            else:
                trends, combined, calendar = chosen
        else:
            picked_problem = "Pick the last day of your starting level too. Until then, your first week is used."

    if trends.alert is not None:
        st.error(
            f"**Your pain has gone up.** {trends.alert.message} "
            "Until it settles, the Routine page shows a caution.",
            icon=":material/warning:",
        )

    if trends.state == "short" and trends.first_entry is not None:
        days_in = (TODAY - trends.first_entry).days + 1
        st.info(
            f"**Early days: your first rating was {days_in} day{'s' if days_in != 1 else ''} ago.** Pain goes "
            "up and down from day to day, so trends need about 4 weeks before they mean much. Your starting "
            f"level is the first week with {an.BASELINE_MIN_ENTRIES} or more ratings.",
            icon=":material/hourglass_top:",
        )
        sample_offer()

    # ---- summary cards ----
    top, bottom = st.columns(2), st.columns(2)  # 2 x 2: values like 'Much better' need the room
    cards = [top[0], top[1], bottom[0], bottom[1]]
    change = trends.change
    with cards[0].container(border=True, height="stretch"):
        current = trends.current
        st.metric(
            "Pain, last 7 days", f"{current.mean:.1f} / 10" if current else "—",
            help="The average of your worst pain over the last 7 days. It needs ratings on at least 4 of "
            "those days.",
        )
        st.caption(
            f"Average of {current.entries} ratings." if current else
            "Not enough ratings in the last 7 days (at least 4 are needed)."
        )
    with cards[1].container(border=True, height="stretch"):
        if change is not None:
            pct = f" ({change.percent:+.0f}%)" if change.percent is not None else ""
            st.metric(
                "Change since the start", change.verdict.label, f"{change.points:+.1f} points{pct}",
                delta_color="inverse" if change.verdict.key != "no_clear_change" else "off",
                help="Your last 7 days against your starting level. Much better means at least 2 points "
                "lower, or at least 30% lower when you started at 4 or more (Farrar 2001). Better means at "
                "least 1.16 points lower, the smallest change that matters for kneecap pain (Piva 2009).",
            )
            text = f"From {change.baseline.mean:.1f} (your starting level) to {change.current.mean:.1f} now"
            if change.verdict.rule:
                text += f": a {'drop' if change.points < 0 else 'rise'} of {change.verdict.rule}."
            else:
                text += f": less than {an.PFP_POINTS:g} points, the smallest change that matters."
            if change.verdict.borrowed:
                text += " The sizes for worse are borrowed from studies of getting better."
            st.caption(text)
        else:
            st.metric("Change since the start", "—")
            st.caption(
                "Needs a starting level and 4 ratings in the last 7 days." if trends.baseline else
                f"Needs a starting level: a week with {an.BASELINE_MIN_ENTRIES} or more ratings."
            )
    with cards[2].container(border=True, height="stretch"):
        recent = trends.recent
        if recent.weeks:
            st.metric(
                "Routine, last 4 full weeks" if recent.days == 28 else "Routine, full weeks so far",
                f"{recent.days_done} of {recent.days} days",
                help="Full weeks run Monday to Sunday, like the bars in the chart below; this week is not "
                "over yet, so it is left out here. A day counts when you finished a session on the Routine "
                "page or ticked 'I did my routine' in the journal. Sessions stopped for pain do not count.",
            )
            weeks = "the last full week" if recent.weeks == 1 else f"the last {recent.weeks} full weeks"
            text = (f"{recent.start:%a %d %b} to {recent.end:%a %d %b}. Met the goal of "
                    f"{an.GOAL_DAYS_PER_WEEK} days in {recent.weeks_at_goal} of {weeks}.")
            if recent.stopped:
                text += f" Stopped for pain {recent.stopped} time{'s' if recent.stopped != 1 else ''}."
        else:
            st.metric("Routine, full weeks", "No full week yet",
                      help="Full weeks run Monday to Sunday, like the bars in the chart below.")
            text = "Your first full week (Monday to Sunday) is still going. Until it ends, see 'This week so far'."
        st.caption(text)
    with cards[3].container(border=True, height="stretch"):
        streak = trends.streak
        st.metric(
            "Full weeks in a row at goal", f"{streak.weeks} week{'s' if streak.weeks != 1 else ''}",
            help=f"Full weeks (Monday to Sunday) in a row, up to last week, with the routine on "
            f"{an.GOAL_DAYS_PER_WEEK} or more days. Rest days are fine: the goal is 5 days a week, not every day.",
        )
        done_now = streak.this_week_days
        st.caption(
            f"This week so far: {done_now} of {an.GOAL_DAYS_PER_WEEK} days"
            + (", goal met. It joins the streak when the week ends." if done_now >= an.GOAL_DAYS_PER_WEEK
               else ".")
        )

    prompt = an.no_improvement_prompt(trends)
    if prompt:
        st.info(prompt, icon=":material/medical_services:")

    if picked_problem:
        st.warning(picked_problem, icon=":material/event_busy:")

    # ---- association ----
    st.subheader("Routine days and your pain")
    association = trends.association
    st.markdown(association.sentence)
    st.caption(association.caveat)

    # ---- charts ----
    st.subheader("Pain and routine days over time")
    if trends.resolution == "day":
        how = "Dots are your worst pain each day; the line is the 7-day average (shown when 4 of 7 days are rated)."
    else:
        how = "Dots are weekly averages of your worst pain; the line is the 7-day average at the end of each week."
    band = (
        f" The grey band is your starting level ± {an.PFP_POINTS:g}: changes inside it are too small to matter."
        if trends.baseline else ""
    )
    st.caption(
        f"{how}{band} Below, green bars count routine days each week (dark when the goal of "
        f"{an.GOAL_DAYS_PER_WEEK} is met, striped when the week is not over or is cut off by the range); "
        "red crosses mark sessions stopped for pain."
    )
    st.plotly_chart(combined, config=CHART_CONFIG, key="trends_chart",
                    alt="Chart of daily knee pain with its 7-day average, and routine days per week.")

    st.subheader("Pain calendar")
    if trends.resolution == "day":
        st.caption(
            "One square per day, darker for more pain; blank squares are days without a rating. Green dots "
            "mark routine days, red crosses sessions stopped for pain."
        )
    else:
        st.caption(
            "One square per month, darker for more pain (the month's average). The number is how many days "
            "you did the routine that month."
        )
    st.plotly_chart(calendar, config=CHART_CONFIG, key="trends_calendar",
                    width="content" if calendar.layout.width else "stretch",
                    alt="Calendar heat map of knee pain by day, with routine days marked.")

    # ---- starting level and method ----
    with st.expander("Starting level and how these numbers work", icon=":material/info:"):
        base = trends.baseline
        if base is not None:
            st.markdown(
                f"**Your starting level: {base.mean:.1f} / 10**, the average of {base.entries} ratings from "
                f"{base.start:%d %b %Y} to {base.end:%d %b %Y}"
                + (" (the first 7 days with 4 or more ratings)." if base.source == "auto" else " (dates you chose).")
            )
        st.radio(
            "Starting level", ["auto", "picked"], key=BASELINE_KEY, horizontal=True,
            format_func=lambda v: "My first week (automatic)" if v == "auto" else "Dates I choose",
            help="Pick your own dates if your first week was unusual, for example a flare-up.",
        )
        if st.session_state.get(BASELINE_KEY) == "picked":
            first = trends.first_entry or TODAY
            st.date_input(
                "Dates for the starting level", key=BASELINE_RANGE_KEY, min_value=first, max_value=TODAY,
                format="YYYY-MM-DD",
                help=f"At least {an.BASELINE_MIN_ENTRIES} ratings must fall on these dates.",
            )
        st.markdown(
            f"""
- **7-day average**: your worst pain averaged over a day and the 6 before it, only when at least
  {an.ROLLING_MIN_ENTRIES} of those 7 days have a rating.
- **Much better**: at least {an.MUCH_BETTER_POINTS:g} points lower, or at least {an.MUCH_BETTER_FRACTION:.0%}
  lower when you started at {an.PERCENT_RULE_MIN_BASELINE:g} or more. These sizes come from people who kept
  daily pain diaries (Farrar and colleagues, *Pain*, 2001).
- **Better**: at least {an.PFP_POINTS:g} points lower, the smallest change that mattered to people with pain
  around the kneecap (Piva and colleagues, *Journal of Rehabilitation Medicine*, 2009).
- **Worse / much worse**: the same sizes upwards. No study measured them for getting worse, so they are
  borrowed.
- **Routine days and pain**: for each week, the days you did the routine against how your average pain changed
  the next week. Comparing week to week takes out the slow drift most knee pain has. It is one fixed
  comparison, decided in advance, so it is not fishing for a pattern. It always uses all your weeks, so it
  stays the same whichever range you pick above (and in the report).
"""
        )

    # ---- report ----
    st.subheader("For your clinician")
    st.markdown(
        f"A one-page PDF of the period shown above ({trends.start:%d %b %Y} to {trends.end:%d %b %Y}): your "
        "latest safety screening, the pain chart, routine days against the goal, the change since the start, "
        "stops for pain and your most recent notes."
    )
    base = trends.baseline
    report_start, report_end = trends.start, trends.end
    report_baseline = (base.start, base.end) if base is not None and base.source == "picked" else None

    def make_report() -> bytes:
        return report_for_store(store, start=report_start, end=report_end, baseline_range=report_baseline,
                                generated=TODAY)

    st.download_button(
        "Download report for my clinician", data=make_report, file_name=f"hipknee-report-{TODAY.isoformat()}.pdf",
        mime="application/pdf", on_click="ignore", icon=":material/picture_as_pdf:", key="trends_report",
    )
