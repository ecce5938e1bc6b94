"""Every Trends sentence that quotes a threshold or states a result, built from hipknee.thresholds.

One source for the Trends page, the PDF report, the worsening alert, the routine gate (Routine and Home) and
the CLI (issue 13, point 6), so they can never say different things. Plain words: no "correlation", no
statistics jargon beyond "95 % interval". No Streamlit here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from hipknee.statuses import (
    ALLOWED_GATE_STATUSES,
    IMPROVED_VERDICTS,
    WORSENED_VERDICTS,
    AlertReason,
    AssociationStatus,
    AssociationVerdict,
    BaselineSource,
)
from hipknee.thresholds import (
    ALERT_HIGH_MEAN,
    ALERT_POINTS_ABOVE_BASELINE,
    ALERT_RUN_RATINGS,
    ALERT_RUN_WITHIN_DAYS,
    ALERT_SETTLE_DAYS,
    ALERT_SPARSE_MIN_RATINGS,
    ASSOCIATION_CONFIDENCE,
    ASSOCIATION_MIN_WEEKS,
    BASELINE_DAYS,
    BASELINE_MIN_ENTRIES,
    GOAL_DAYS_PER_WEEK,
    MUCH_BETTER_FRACTION,
    MUCH_BETTER_POINTS,
    PERCENT_RULE_MIN_BASELINE,
    PFP_POINTS,
    RECENT_DAYS,
    RECENT_MIN_ENTRIES,
    ROLLING_DAYS,
    ROLLING_MIN_ENTRIES,
    SHORT_DAYS,
    WEEK_MIN_RATINGS,
)

if TYPE_CHECKING:
    from hipknee.analysis import Association, Change, RecentAdherence, RecentChange, Trends

ROLLING_LABEL = f"{ROLLING_DAYS}-day average"  # the chart's line, its legend, the report's row
CONFIDENCE = f"{ASSOCIATION_CONFIDENCE:.0%}"  # "95%"

# ---- the worsening alert and the routine's CAUTION (one behaviour, said the same way everywhere) -------

# One title per reason, each true for what fired it (a 7-day average of 9 or more may be no higher than the
# start; three high ratings may leave the 7-day average short of the rule): the same on Trends, Routine, Home
# and in the report.
ALERT_TITLE = "Caution: your knee pain has gone up"
ALERT_TITLES = {
    AlertReason.MEAN_ABOVE_BASELINE: ALERT_TITLE,
    AlertReason.MEAN_HIGH: "Caution: your knee pain is very high",
    AlertReason.LAST_RATINGS: (
        f"Caution: your last {ALERT_RUN_RATINGS} pain ratings were well above your starting level"
    ),
}


def alert_title(reason: str) -> str:
    """The alert's title for ``reason`` (``WorseningAlert.reason``)."""
    return ALERT_TITLES[AlertReason(reason)]


ALERT_ADVICE = (
    "Ease off: do only the gentlest versions of the exercises, or rest. If your pain has not settled within "
    f"{'a week' if ALERT_SETTLE_DAYS == 7 else f'{ALERT_SETTLE_DAYS} days'}, see a physiotherapist or doctor."
)
ALERT_ROUTINE_NOTE = "The routine still opens, with this caution at the top."


def alert_routine_note(gate_status: str, gate_title: str) -> str:
    """What the routine does while the alert is on, as the routine gate (hipknee.gate) decides it: it opens
    with the caution at the top only when the gate lets it start; otherwise the gate's own title says what
    it needs first (a screening, a clearance, urgent care, a day off)."""
    if gate_status in ALLOWED_GATE_STATUSES:
        return ALERT_ROUTINE_NOTE
    return f"The routine is not open now. The Routine page says: “{gate_title}”."


def _num(value: float) -> str:
    return f"{value:.1f}"


def alert_message(
    reason: str,
    *,
    mean: float | None = None,
    ratings: int = 0,
    baseline: float | None = None,
    values: list[float] | None = None,
) -> str:
    """What fired the worsening alert, then ``ALERT_ADVICE``. ``reason`` as in ``WorseningAlert``."""
    if reason == AlertReason.MEAN_ABOVE_BASELINE and mean is not None and baseline is not None:
        what = (
            f"Your knee pain has averaged {_num(mean)} out of 10 over the last {ROLLING_DAYS} days "
            f"({ratings} ratings), {_num(mean - baseline)} points above your starting level of "
            f"{_num(baseline)} (the alert starts at {ALERT_POINTS_ABOVE_BASELINE:g} points above)."
        )
    elif reason == AlertReason.MEAN_HIGH and mean is not None:
        what = (
            f"Your knee pain has averaged {_num(mean)} out of 10 over the last {ROLLING_DAYS} days "
            f"({ratings} ratings): {ALERT_HIGH_MEAN:g} or more is very high."
        )
    elif reason == AlertReason.LAST_RATINGS and values and baseline is not None:
        listed = ", ".join(f"{v:.0f}" for v in values[:-1]) + f" and {values[-1]:.0f}"
        what = (
            f"Your last {len(values)} pain ratings ({listed} out of 10, all within {ALERT_RUN_WITHIN_DAYS} "
            f"days) were each at least {ALERT_POINTS_ABOVE_BASELINE:g} points above your starting level of "
            f"{_num(baseline)}."
        )
    else:
        raise ValueError(f"cannot word alert {reason!r} from the values given")
    return f"{what} {ALERT_ADVICE}"


ALERT_RULE = (
    f"The alert comes on when the average of your ratings over the last {ROLLING_DAYS} days (at least "
    f"{ALERT_SPARSE_MIN_RATINGS} of them) is {ALERT_POINTS_ABOVE_BASELINE:g} or more points above your starting "
    f"level or is {ALERT_HIGH_MEAN:g} or more, or when your last {ALERT_RUN_RATINGS} ratings, all within "
    f"{ALERT_RUN_WITHIN_DAYS} days, are each {ALERT_POINTS_ABOVE_BASELINE:g} or more points above it."
)

# ---- change since the start and recent change ----------------------------------------------------------

FARRAR = "Farrar 2001"
PIVA = "Piva 2009"


def rule_met(size: float, baseline: float, much: bool, by_points: bool) -> str:
    """Which published size a change met, in words (for ``Verdict.rule``)."""
    if much and by_points:
        return f"at least {MUCH_BETTER_POINTS:g} points ({FARRAR})"
    if much:
        return (
            f"at least {MUCH_BETTER_FRACTION:.0%} with a starting level of {PERCENT_RULE_MIN_BASELINE:g} "
            f"or more ({FARRAR})"
        )
    return f"at least {PFP_POINTS:g} points ({PIVA})"


THRESHOLDS_SHORT = (
    f"Much better means at least {MUCH_BETTER_POINTS:g} points lower, or at least {MUCH_BETTER_FRACTION:.0%} "
    f"lower when you started at {PERCENT_RULE_MIN_BASELINE:g} or more (Farrar 2001). Better means at least "
    f"{PFP_POINTS:g} points lower, the smallest change that matters for kneecap pain (Piva 2009). Worse and "
    "much worse use the same sizes upwards."
)
THRESHOLDS_REPORT = (
    f"Thresholds: much better = at least {MUCH_BETTER_POINTS:g} points lower, or at least "
    f"{MUCH_BETTER_FRACTION:.0%} lower when the starting level is {PERCENT_RULE_MIN_BASELINE:g} or more "
    f"(Farrar et al., Pain, 2001); better = at least {PFP_POINTS:g} points lower, the smallest change that "
    "matters in patellofemoral pain (Piva et al., J Rehabil Med, 2009). Worse and much worse use the same "
    f"sizes upward, borrowed from these improvement studies. Recent change: the last {RECENT_DAYS} days "
    f"against the {RECENT_DAYS} before, each with at least {RECENT_MIN_ENTRIES} ratings, by the same sizes."
)
BORROWED_NOTE = "The sizes for worse are borrowed from studies of getting better."
TOO_SMALL = f"less than {PFP_POINTS:g} points, the smallest change that matters"
REPORT_BASELINE_AUTO = f"first {BASELINE_DAYS} days with {BASELINE_MIN_ENTRIES}+ entries"
REPORT_BASELINE_MISSING = f"not yet: needs {BASELINE_MIN_ENTRIES} entries within {BASELINE_DAYS} days"
REPORT_CURRENT_MISSING = f"not available: needs {ROLLING_MIN_ENTRIES} entries in the last {ROLLING_DAYS} days"
REPORT_LINE_NOTE = f"{ROLLING_DAYS}-day average (shown when {ROLLING_MIN_ENTRIES}+ of {ROLLING_DAYS} days are rated)"
BAND_NOTE = f"The grey band is your starting level ± {PFP_POINTS:g}: changes inside it are too small to matter."
CURRENT_HELP = (
    f"The average of your worst pain over the last {ROLLING_DAYS} days. It needs ratings on at least "
    f"{ROLLING_MIN_ENTRIES} of those days."
)
CURRENT_MISSING = f"Not enough ratings in the last {ROLLING_DAYS} days (at least {ROLLING_MIN_ENTRIES} are needed)."
CHANGE_MISSING = f"Needs a starting level and {ROLLING_MIN_ENTRIES} ratings in the last {ROLLING_DAYS} days."
BASELINE_MISSING = f"Needs a starting level: a week with {BASELINE_MIN_ENTRIES} or more ratings."
RECENT_HELP = (
    f"Your last {RECENT_DAYS} days against the {RECENT_DAYS} days before, each needing at least "
    f"{RECENT_MIN_ENTRIES} ratings, judged by the same sizes as the change since the start."
)
RECENT_MISSING = f"Needs at least {RECENT_MIN_ENTRIES} ratings in each of the last two {RECENT_DAYS}-day spans."


def change_caption(change: Change) -> str:
    """The line under the "Change since the start" card (and the report's change row)."""
    text = f"From {_num(change.baseline.mean)} (your starting level) to {_num(change.current.mean)} now"
    if change.verdict.rule:
        text += f": a {'drop' if change.points < 0 else 'rise'} of {change.verdict.rule}."
    else:
        text += f": {TOO_SMALL}."
    if change.verdict.borrowed:
        text += " " + BORROWED_NOTE
    return text


def recent_sentence(recent: RecentChange | None, change: Change | None = None) -> str:
    """The recent change in one sentence; says plainly when pain has risen lately even though the change since
    the start looks better."""
    if recent is None:
        return RECENT_MISSING
    text = (
        f"Last {RECENT_DAYS} days: {_num(recent.last.mean)} on average, against {_num(recent.before.mean)} in the "
        f"{RECENT_DAYS} days before ({recent.points:+.1f} points): {recent.verdict.label.lower()}"
    )
    text += f", {recent.verdict.rule}." if recent.verdict.rule else f", {TOO_SMALL}."
    if recent.verdict.key in WORSENED_VERDICTS:
        text += " Your pain has gone up lately"
        if change is not None and change.verdict.key in IMPROVED_VERDICTS:
            text += ", even though it is still lower than at the start"
        text += "."
    return text


def points_and_percent(points: float, percent: float | None) -> str:
    return f"{points:+.1f} points" + (f" ({percent:+.0f}%)" if percent is not None else "")


# ---- the association -------------------------------------------------------------------------------

ASSOCIATION_CAVEATS = (
    "This is a link in one person's numbers, not proof that the routine caused it.",
    "Skipping the routine on bad days can create a link on its own.",
    "Starting during a flare-up makes early improvement look bigger than it is.",
    "Knee pain often gets better on its own over time.",
)
ASSOCIATION_CAVEAT = " ".join(ASSOCIATION_CAVEATS)

METHOD = (
    f"For each full week (Monday to Sunday) with at least {WEEK_MIN_RATINGS} ratings, the number of routine "
    "days is set against your average pain the following week, taking into account how much pain you had "
    "that week. The result is how much lower (or higher) next week's pain was for each extra routine day, "
    f"with a {CONFIDENCE} interval: the range the true value most likely lies in, allowing for pain that runs in "
    f"spells. A verdict needs at least {ASSOCIATION_MIN_WEEKS} such pairs of weeks, routine days that vary "
    "from week to week, and an interval that does not include zero. The week in progress never counts. It is "
    "one fixed analysis, decided in advance, over all your weeks, so it is the same whichever range you pick "
    "(and in the report). Method: adjusting for the starting pain (Vickers and Altman, BMJ, 2001) as in "
    "single-person studies (Vieira and colleagues, Health Psychology Review, 2017)."
)


def association_sentence(a: Association, person: str = "you", *, ranged: bool = True) -> str:
    """The result in plain words, about "you" (the page, the CLI) or e.g. "the patient" (the report).

    ``ranged``: said next to something that shows a range or a period (the page, the report), so the
    sentence adds that it covers the whole journal whatever that range is; the CLI has no range."""
    you = person
    your = "your" if person == "you" else "their"
    journal = "your whole journal" if person == "you" else f"{person}'s whole journal"
    scope = ""
    if ranged:
        scope = " (whatever range is shown)" if person == "you" else " (not only this report's period)"
    n = a.weeks
    pairs = f"{n} pair{'s' if n != 1 else ''} of weeks"
    if a.status == AssociationStatus.NOT_ENOUGH_WEEKS:
        return (
            f"Cannot tell yet whether routine days go with lower pain: this needs at least "
            f"{ASSOCIATION_MIN_WEEKS} pairs of back-to-back full weeks with pain rated on {WEEK_MIN_RATINGS} or "
            f"more days, and {journal} has {n} so far{scope}."
        )
    if a.status == AssociationStatus.NO_VARIATION and a.in_step:
        return (
            f"Cannot tell yet whether routine days go with lower pain: over {pairs} in {journal}{scope}, routine "
            f"days rose and fell exactly in step with {your} pain that week, so the two cannot be told apart. It "
            "can only show once the number of routine days changes in other ways too."
        )
    if a.status == AssociationStatus.NO_VARIATION:
        return (
            f"Cannot tell yet whether routine days go with lower pain: over {pairs} in {journal}{scope}, {you} did "
            f"the routine on {a.days_every_week} days every week, so there is nothing to compare. It can only "
            "show once some weeks have more routine days than others."
        )
    if a.slope is None or a.ci is None:
        return (
            f"Cannot tell yet whether routine days go with lower pain: over {pairs} in {journal}{scope}, "
            f"{your} weekly pain followed an exactly regular pattern, with none of the usual ups and downs, so "
            "there is no way to judge how sure any link would be. It can only show once the weeks vary more."
        )
    size = abs(a.slope)
    way = "lower" if a.slope < 0 else "higher"
    interval = f"({CONFIDENCE} interval {a.ci[0]:+.2f} to {a.ci[1]:+.2f} points)"
    if size < 0.005:
        estimate = f"each extra routine day in a week went with no change in {your} pain the next week {interval}"
    else:
        estimate = (
            f"each extra routine day in a week went with {your} pain the next week being {size:.2f} points "
            f"{way} {interval}"
        )
    head = f"Over {pairs} in {journal}{scope}, {estimate}."
    if a.verdict == AssociationVerdict.LOWER:
        return head + " The interval leaves out zero: weeks with more routine days were followed by less pain."
    if a.verdict == AssociationVerdict.HIGHER:
        tail = " The interval leaves out zero: weeks with more routine days were followed by more pain."
        if person == "you":
            tail += " If the routine seems to make your knee worse, talk to a physiotherapist."
        return head + tail
    return head + " Cannot tell yet: the interval includes zero, so there is no clear link either way."


def baseline_sentence(trends: Trends) -> str:
    base = trends.baseline
    if base is None:
        return f"Starting level: not yet. It needs a week with {BASELINE_MIN_ENTRIES} or more ratings."
    how = (
        f"the first {ROLLING_DAYS} days with {BASELINE_MIN_ENTRIES} or more ratings"
        if base.source == BaselineSource.AUTO
        else "dates you chose"
    )
    return (
        f"Starting level: {_num(base.mean)} / 10, the average of {base.entries} ratings from "
        f"{base.start:%d %b %Y} to {base.end:%d %b %Y} ({how})."
    )


def summary_lines(trends: Trends, person: str = "you") -> list[str]:
    """The page's conclusions as plain lines (``hipknee trends`` without ``--json``)."""
    lines = [baseline_sentence(trends)]
    cur = trends.current
    lines.append(
        f"Last {ROLLING_DAYS} days: {_num(cur.mean)} / 10 ({cur.entries} ratings)."
        if cur
        else f"Last {ROLLING_DAYS} days: {CURRENT_MISSING}"
    )
    change = trends.change
    if change is not None:
        lines.append(
            f"Change since the start: {change.verdict.label}, "
            f"{points_and_percent(change.points, change.percent)}. {change_caption(change)}"
        )
    else:
        lines.append("Change since the start: " + (CHANGE_MISSING if trends.baseline else BASELINE_MISSING))
    lines.append("Recent change: " + recent_sentence(trends.recent_change, change))
    if trends.alert is not None:
        lines.append(f"{alert_title(trends.alert.reason)}. {trends.alert.message}")
    lines.append("Routine days and pain: " + association_sentence(trends.association, person, ranged=False))
    lines.append(ASSOCIATION_CAVEAT)
    return lines


# ---- page states and cards ---------------------------------------------------------------------------

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven")  # running text spells these


def days_a_week(days: int) -> str:
    """``days`` a week as running text says it: "five days a week"."""
    return f"{NUMBER_WORDS[days] if days < len(NUMBER_WORDS) else days} day{'s' if days != 1 else ''} a week"


# The routine goal in words, for advice that is not a Trends number ("at least five days a week").
GOAL_IN_WORDS = days_a_week(GOAL_DAYS_PER_WEEK)


def _span(days: int) -> str:
    """A length of time: "4 weeks" when it is whole weeks, else "30 days"."""
    return f"{days // 7} weeks" if days % 7 == 0 and days > 7 else f"{days} days"


# How long until trends mean much (``SHORT_DAYS``: before it the page says it is early days).
EARLY_SPAN = f"about {_span(SHORT_DAYS)}"

EMPTY = (
    "**No pain ratings yet.** Trends show up here once you rate your knee pain in the journal for a few days. "
    "Or look around with made-up sample data first; your own journal stays untouched."
)


def thin(count: int, needed: int) -> str:
    return (
        f"**You have {count} pain rating{'s' if count != 1 else ''} so far.** The charts start after {needed}, "
        f"and the numbers begin to mean something after {EARLY_SPAN} of ratings. Keep going, or explore the "
        "sample data to see what this page will show."
    )


def early(days_in: int) -> str:
    return (
        f"**Early days: your first rating was {days_in} day{'s' if days_in != 1 else ''} ago.** Pain goes up "
        f"and down from day to day, so trends need {EARLY_SPAN} before they mean much. Your starting level is "
        f"the first week with {BASELINE_MIN_ENTRIES} or more ratings."
    )


def picked_too_few(start: dt.date, end: dt.date) -> str:
    return (
        f"Your chosen dates ({start:%d %b %Y} to {end:%d %b %Y}) hold fewer than {BASELINE_MIN_ENTRIES} ratings, "
        "so they cannot be a starting level. Showing your first week instead."
    )


PICK_END_TOO = "Pick the last day of your starting level too. Until then, your first week is used."
PICK_HELP = f"At least {BASELINE_MIN_ENTRIES} ratings must fall on these dates."


def alert_box(reason: str, message: str, routine_note: str = ALERT_ROUTINE_NOTE) -> str:
    """The alert as the Trends page shows it: the same title and message as Routine, Home and the report,
    then what the routine does (``alert_routine_note`` for the gate's status)."""
    return f"**{alert_title(reason)}.** {message} {routine_note}"


def routine_card(r: RecentAdherence) -> tuple[str, str, str]:
    """(label, value, caption) of the routine card."""
    if not r.weeks:
        return (
            "Routine, full weeks",
            "No full week yet",
            "Your first full week (Monday to Sunday) is still going. Until it ends, see 'This week so far'.",
        )
    weeks = "the last full week" if r.weeks == 1 else f"the last {r.weeks} full weeks"
    text = (
        f"{r.start:%a %d %b} to {r.end:%a %d %b}. Met the goal of {GOAL_DAYS_PER_WEEK} days in "
        f"{r.weeks_at_goal} of {weeks}."
    )
    if r.stopped:
        text += f" Stopped for pain {r.stopped} time{'s' if r.stopped != 1 else ''}."
    label = "Routine, last 4 full weeks" if r.days == 28 else "Routine, full weeks so far"
    return (label, f"{r.days_done} of {r.days} days", text)


ROUTINE_HELP = (
    "Full weeks run Monday to Sunday, like the bars in the chart below; this week is not over yet, so it is "
    "left out here. A day counts when you finished a session on the Routine page or ticked 'I did my routine' "
    "in the journal. Sessions stopped for pain do not count."
)
STREAK_HELP = (
    f"Full weeks (Monday to Sunday) in a row, up to last week, with the routine on {GOAL_DAYS_PER_WEEK} or more "
    f"days. Rest days are fine: the goal is {GOAL_DAYS_PER_WEEK} days a week, not every day."
)


def this_week(done: int) -> str:
    return f"This week so far: {done} of {GOAL_DAYS_PER_WEEK} days" + (
        ", goal met. It joins the streak when the week ends." if done >= GOAL_DAYS_PER_WEEK else "."
    )


def chart_caption(daily: bool, has_baseline: bool) -> str:
    how = (
        f"Dots are your worst pain each day; the line is the {ROLLING_DAYS}-day average (shown when "
        f"{ROLLING_MIN_ENTRIES} of {ROLLING_DAYS} days are rated)."
        if daily
        else f"Dots are weekly averages of your worst pain; the line is the {ROLLING_DAYS}-day average at the end "
        "of each week."
    )
    band = f" {BAND_NOTE}" if has_baseline else ""
    return (
        f"{how}{band} Below, green bars count routine days each week (dark when the goal of "
        f"{GOAL_DAYS_PER_WEEK} is met, striped when the week is not over or is cut off by the range); red "
        "crosses mark sessions stopped for pain."
    )


def calendar_caption(daily: bool) -> str:
    if daily:
        return (
            "One square per day, darker for more pain; blank squares are days without a rating. Green dots "
            "mark routine days, red crosses sessions stopped for pain."
        )
    return (
        "One square per month, darker for more pain (the month's average). The number is how many days you "
        "did the routine that month."
    )


def method_text() -> str:
    """The "how these numbers work" list on the Trends page."""
    return f"""
- **{ROLLING_LABEL}**: your worst pain averaged over a day and the {ROLLING_DAYS - 1} before it, only when at least
  {ROLLING_MIN_ENTRIES} of those {ROLLING_DAYS} days have a rating.
- **Much better**: at least {MUCH_BETTER_POINTS:g} points lower, or at least {MUCH_BETTER_FRACTION:.0%} lower
  when you started at {PERCENT_RULE_MIN_BASELINE:g} or more. These sizes come from people who kept daily pain
  diaries (Farrar and colleagues, *Pain*, 2001).
- **Better**: at least {PFP_POINTS:g} points lower, the smallest change that mattered to people with pain around
  the kneecap (Piva and colleagues, *Journal of Rehabilitation Medicine*, 2009).
- **Worse / much worse**: the same sizes upwards. No study measured them for getting worse, so they are borrowed.
- **Recent change**: {RECENT_HELP[0].lower() + RECENT_HELP[1:]}
- **Alert**: {ALERT_RULE[0].lower() + ALERT_RULE[1:]} {ALERT_ADVICE}
- **Routine days and pain**: {METHOD}
"""


def no_improvement(weeks: int, days_per_week: float, no_clear_change: bool) -> str:
    """The gentle suggestion to get the knee checked (``analysis.no_improvement_prompt`` decides when)."""
    pain = "your pain has not clearly improved" if no_clear_change else "your pain is higher than at the start"
    return (
        f"You have kept up the routine for {weeks} weeks since your starting level (about "
        f"{days_per_week:.1f} days a week), but {pain}. That happens, and it is not your fault. It is a good time "
        "to see a physiotherapist or doctor: they can check what is causing your knee pain and add "
        "exercises that make the knee itself stronger."
    )


REPORT_BLURB = (
    "A one-page PDF of the period shown above ({start:%d %b %Y} to {end:%d %b %Y}): your latest safety screening, "
    "the pain chart, routine days against the goal, the change since the start and lately, the routine-days "
    "analysis, stops for pain and your most recent notes."
)
