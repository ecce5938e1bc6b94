"""Issue 13 end to end: the page's wording in each state, one caution on Trends, Routine, Home and in the
report, the report's verdicts equal to the page's, and `hipknee trends [--json]`."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hipknee import analysis as an
from hipknee import trends_text as words
from hipknee.journal import Entry
from hipknee.report import report_for_store
from hipknee.statuses import ALLOWED_GATE_STATUSES, GateStatus
from tests.conftest import PROJECT_DIR
from tests.shown_html import html_text, summary_cards
from ui.trends import BASELINE_BOX_KEY

PAGE = "pages/trends.py"
BOX_OPEN = {BASELINE_BOX_KEY: True}  # "Starting level and how these numbers work", opened
FLARE = Path(__file__).parent / "data" / "flare_seed1.csv"
BUSY = [6, 1, 7, 2, 5, 0, 6, 3, 7, 1, 4, 6]


def text_of(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.error] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts) + "\n" + html_text(at)


def metrics(at) -> dict[str, str]:
    return summary_cards(at)


def add_days(store, pains: list[int], *, end: dt.date, did: list[bool] | None = None) -> None:
    start = end - dt.timedelta(days=len(pains) - 1)
    for i, pain in enumerate(pains):
        store.add_entry(Entry(date=start + dt.timedelta(days=i), worst_pain=pain,
                              did_routine=bool(did[i]) if did else False))


def add_weeks(store, adherence: list[int], pain: list[int], today: dt.date) -> None:
    """Whole Monday-Sunday weeks ending last Sunday: routine on the first ``adherence[k]`` days of week k,
    pain ``pain[k]`` every day of it."""
    first = an.week_start(today).date() - dt.timedelta(days=7 * len(adherence))
    for k, (a, p) in enumerate(zip(adherence, pain, strict=True)):
        for d in range(7):
            store.add_entry(Entry(date=first + dt.timedelta(days=7 * k + d), worst_pain=p, did_routine=d < a))


def busy_pain(sign: int) -> list[int]:
    pain = [5]
    for a in BUSY[:-1]:
        pain.append(pain[-1] + sign * (-1 if a >= 5 else 1 if a <= 2 else 0))
    return pain


def history(store, today: dt.date) -> an.Association:
    return an.history_association(store.entries_frame(), store.sessions_frame(), today)


# ---- the association's wording in each state ------------------------------------------------------------


def add_degenerate_weeks(store, today: dt.date) -> None:
    """The audit's exact fit: 12 weeks, routine on 6 and 1 days in turn, each day rated 6 and 5 in turn by
    week, except the very first day, rated 7."""
    first = an.week_start(today).date() - dt.timedelta(days=7 * 12)
    for k in range(12):
        for d in range(7):
            pain = 7 if (k, d) == (0, 0) else 6 if k % 2 == 0 else 5
            store.add_entry(Entry(date=first + dt.timedelta(days=7 * k + d), worst_pain=pain,
                                  did_routine=d < (6 if k % 2 == 0 else 1)))


IN_STEP = [6, 1, 6, 6, 1, 1, 6, 1, 1, 6, 6, 1]  # routine days, each week rated 5 (6 days) or 6 (1 day)


@pytest.mark.parametrize("case, verdict, phrase", [
    ("lower", "lower", "followed by less pain"),
    ("higher", "higher", "followed by more pain"),
    ("unclear", "unclear", "interval includes zero"),
    ("no_variation", None, "5 days every week"),
    ("in_step", None, "cannot be told apart"),
    ("exact_fit", "unclear", "exactly regular pattern"),
])
def test_association_wording_on_the_page(app_test, store, case, verdict, phrase):
    today = dt.date.today()
    if case == "lower":
        add_weeks(store, BUSY, busy_pain(+1), today)
    elif case == "higher":
        add_weeks(store, BUSY, busy_pain(-1), today)
    elif case == "unclear":
        add_weeks(store, BUSY, [5, 6, 4, 6, 5, 7, 5, 6, 4, 6, 5, 6], today)
    elif case == "in_step":
        add_weeks(store, IN_STEP, [5 if a == 6 else 6 for a in IN_STEP], today)
    elif case == "exact_fit":
        add_degenerate_weeks(store, today)
    else:
        add_weeks(store, [5] * 10, [6, 5, 6, 4, 5, 3, 4, 3, 4, 5], today)
    expected = history(store, today)
    assert expected.verdict == verdict
    assert ("Cannot tell yet" in expected.sentence) == (verdict not in ("lower", "higher"))
    if case in ("in_step", "exact_fit"):
        assert expected.ci is None and "interval" not in expected.sentence
    at = app_test(PAGE)
    assert not at.exception
    text = text_of(at)
    assert expected.sentence in text and phrase in expected.sentence
    assert "correlation" not in text.lower() and "scale from -1" not in text
    for caveat in words.ASSOCIATION_CAVEATS:
        assert caveat in text
    if verdict in ("lower", "higher"):
        assert f"{abs(expected.slope):.2f} points {verdict}" in expected.sentence
        assert f"95% interval {expected.ci[0]:+.2f} to {expected.ci[1]:+.2f}" in expected.sentence
    if verdict == "higher":
        assert "talk to a physiotherapist" in expected.sentence


def test_recent_rise_is_said_even_when_the_start_says_better(app_test, store):
    today = dt.date.today()
    pains = [8] * 7 + [5] * 7 + [2] * 14 + [4, 4, 5, 4, 4, 4, 5, 4, 4, 4, 5, 4, 4, 4]
    add_days(store, pains, end=today)
    at = app_test(PAGE)
    assert not at.exception
    shown = metrics(at)
    assert shown["Change since the start"] == "Much better"
    assert shown["Change, last 2 weeks"] == "Much worse"
    assert "Your pain has gone up lately, even though it is still lower than at the start." in text_of(at)


def test_picked_start_and_alert_agree_on_the_page(app_test, store):
    today = dt.date.today()
    add_days(store, [2] * 7 + [8] * 7 + [5] * 7, end=today)
    at = app_test(PAGE, session_state=BOX_OPEN)
    assert metrics(at)["Change since the start"] == "Much worse"
    assert [w.value for w in at.warning if words.ALERT_TITLE in w.value]  # 5 is 3 above the start (2)
    eights = (today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    at.date_input(key="trends_baseline_range").set_value(eights).run()
    assert not at.exception
    assert metrics(at)["Change since the start"] == "Much better"
    assert not [w.value for w in at.warning if words.ALERT_TITLE in w.value]
    assert "points above your starting level of" not in text_of(at)


def go(at, page: str):
    """Switch this session to ``page`` (as the sidebar does) and run it; on Trends, with the starting-level box
    opened (it is built only while open, so its widgets exist only then)."""
    if page == PAGE:
        at.session_state[BASELINE_BOX_KEY] = True
    return at.switch_page(str(PROJECT_DIR / page)).run()


def cautions(at) -> list[str]:
    return [w.value for w in at.warning if "Caution" in w.value]


def band_names(at) -> list[str]:
    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    return [t.get("name", "") for t in specs[0]["data"] if str(t.get("name", "")).startswith("Start ")]


def test_one_starting_level_across_trends_home_routine_and_back(app_test, store):
    # The audit's repro: the 8s week picked on Trends, then Home and Routine judged the alert against the
    # automatic start ("3.0 points above your starting level of 2.0"), and Trends came back automatic.
    today = dt.date.today()
    add_days(store, [2] * 7 + [8] * 7 + [5] * 7, end=today)
    store.save_screening("ok", {}, [])
    eights = (today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    at = app_test(PAGE, session_state=BOX_OPEN)
    assert len(cautions(at)) == 1 and band_names(at) == ["Start 2.0 ± 1.16"]
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    at.date_input(key="trends_baseline_range").set_value(eights).run()
    assert not at.exception and cautions(at) == []
    assert metrics(at)["Change since the start"] == "Much better" and band_names(at) == ["Start 8.0 ± 1.16"]

    for page in ("pages/home.py", "pages/home.py", "pages/routine.py", "pages/routine.py"):
        go(at, page)  # twice each: Streamlit drops the Trends widgets' values after the first run elsewhere
        assert not at.exception, page
        assert cautions(at) == [] and "starting level of 2.0" not in text_of(at), page
    assert at.session_state["trends_baseline_choice"][1].range == eights

    go(at, PAGE)
    assert not at.exception
    assert at.radio(key="trends_baseline_mode").value == "picked"
    assert at.date_input(key="trends_baseline_range").value == eights
    assert metrics(at)["Change since the start"] == "Much better" and band_names(at) == ["Start 8.0 ± 1.16"]
    assert "(dates you chose)" in text_of(at) and cautions(at) == []

    # Back to the automatic start: every page judges the alert against it again.
    at.radio(key="trends_baseline_mode").set_value("auto").run()
    alert = an.worsening_alert(store.entries_frame(), today)
    assert cautions(at) == [words.alert_box(alert.reason, alert.message)] and "starting level of 2.0" in alert.message
    for page in ("pages/home.py", "pages/home.py", "pages/routine.py"):
        go(at, page)
        assert cautions(at) == [f"**{alert.title}**\n\n{alert.message}"], page
    go(at, PAGE)
    assert at.radio(key="trends_baseline_mode").value == "auto" and band_names(at) == ["Start 2.0 ± 1.16"]
    # Picking again starts from the dates picked before.
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    assert at.date_input(key="trends_baseline_range").value == eights and cautions(at) == []


def test_a_kept_start_before_the_first_rating_is_moved_inside_the_picker(app_test, store):
    # The choice outlives the page: if the days it starts on are deleted meanwhile, the date picker (which
    # refuses dates before its first day) gets dates moved inside its bounds, not an error.
    today = dt.date.today()
    add_days(store, [2] * 7 + [8] * 7 + [5] * 7, end=today)
    at = app_test(PAGE, session_state=BOX_OPEN)
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    first = today - dt.timedelta(days=20)
    at.date_input(key="trends_baseline_range").set_value((first, first + dt.timedelta(days=9))).run()
    go(at, "pages/home.py")
    for k in range(3):
        store.delete_entry(first + dt.timedelta(days=k))
    go(at, PAGE)
    assert not at.exception
    moved = (first + dt.timedelta(days=3), first + dt.timedelta(days=9))
    assert at.date_input(key="trends_baseline_range").value == moved
    assert at.session_state["trends_baseline_choice"][1].range == moved


def test_the_starting_level_belongs_to_one_journal(app_test, store, tmp_path, monkeypatch):
    # A start picked in the person's own journal is not applied to the sample data, and comes back with it.
    monkeypatch.setenv("HIPKNEE_SAMPLE_DATABASE_URL", f"sqlite:///{tmp_path / 'sample.db'}")
    today = dt.date.today()
    add_days(store, [2] * 7 + [8] * 7 + [5] * 7, end=today)
    eights = (today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    at = app_test(PAGE, session_state=BOX_OPEN)
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    at.date_input(key="trends_baseline_range").set_value(eights).run()
    at.session_state["sample_mode"] = True
    at.run()
    assert not at.exception
    assert at.radio(key="trends_baseline_mode").value == "auto" and "(dates you chose)" not in text_of(at)
    at.session_state["sample_mode"] = False
    at.run()
    assert at.radio(key="trends_baseline_mode").value == "picked"
    assert metrics(at)["Change since the start"] == "Much better"


# ---- one caution: Trends, Routine, Home, report ------------------------------------------------------------


def rising(store, today: dt.date) -> an.WorseningAlert:
    add_days(store, [3] * 23 + [7] * 7, end=today)
    alert = an.worsening_alert(store.entries_frame(), today)
    assert alert is not None
    return alert


def test_the_caution_is_the_same_on_routine_and_home(app_test, store):
    today = dt.date.today()
    alert = rising(store, today)
    store.save_screening("ok", {}, [])
    routine = app_test("pages/routine.py")
    assert not routine.exception
    boxes = [w.value for w in routine.warning if words.ALERT_TITLE in w.value]
    assert boxes == [f"**{words.ALERT_TITLE}**\n\n{alert.message}"]
    assert "gentlest versions" in boxes[0] and "within a week" in boxes[0]
    home = app_test("pages/home.py")
    assert [w.value for w in home.warning if words.ALERT_TITLE in w.value] == boxes
    trends = app_test(PAGE)
    assert [w.value for w in trends.warning if words.ALERT_TITLE in w.value] == [
        words.alert_box(alert.reason, alert.message)]


# Each reason's known answer: (pains, oldest first, ending today; reason; the change card; the title's words)
ALERT_CASES = {
    "mean_above_baseline": ([3] * 23 + [7] * 7, "Much worse", "has gone up"),
    # 10 at the start, 9 now: the change is no clear change (-1.0), so the title must not say "gone up".
    "mean_high": ([10] * 7 + [9] * 28, "No clear change", "is very high"),
    # The 7-day average (4.3) is short of the start + 2, but the last three ratings are each 3 above it.
    "last_ratings": ([3] * 25 + [6] * 3, "Worse", "last 3 pain ratings were well above your starting level"),
}


@pytest.mark.parametrize("reason", list(ALERT_CASES))
def test_each_alert_reason_has_a_true_title_everywhere(app_test, store, tmp_path, reason):
    today = dt.date.today()
    pains, card, phrase = ALERT_CASES[reason]
    add_days(store, pains, end=today)
    store.save_screening("ok", {}, [])
    alert = an.worsening_alert(store.entries_frame(), today)
    assert alert is not None and alert.reason == reason
    title = words.alert_title(reason)
    assert alert.title == title and phrase in title
    if reason != "mean_above_baseline":
        assert "gone up" not in title
    trends = app_test(PAGE)
    assert not trends.exception
    assert metrics(trends)["Change since the start"] == card
    assert [w.value for w in trends.warning if "Caution" in w.value] == [words.alert_box(reason, alert.message)]
    assert words.alert_box(reason, alert.message).startswith(f"**{title}.** {alert.message}")
    for page in ("pages/home.py", "pages/routine.py"):
        at = app_test(page)
        assert not at.exception
        assert [w.value for w in at.warning if "Caution" in w.value] == [f"**{title}**\n\n{alert.message}"], page
    text = pdf_text(report_for_store(store, end=today, generated=today), tmp_path)
    assert flat(f"{title}. {alert.message}") in text
    lines = words.summary_lines(an.compute_trends(store.entries_frame(), store.sessions_frame(), end=today))
    assert f"{title}. {alert.message}" in lines
    for other in set(words.ALERT_TITLES.values()) - {title}:
        assert other not in text and other not in "\n".join(lines)


NO_ANSWERS = {
    "age": 40, "hot_red_swollen": False, "deformity_or_pop_swelling": False, "locked_knee": False,
    "calf_dvt_signs": False, "chest_pain_now": False, "numb_cold_foot": False, "cauda_equina": False,
    "cannot_bear_weight": False, "heart_condition_bp": False, "chest_pain": False, "dizziness_fainting": False,
    "chronic_condition": False, "chronic_medication": False, "supervised_only": False, "night_pain": False,
    "weight_loss_or_cancer": False, "giving_way": False, "catching": False, "inflammatory_arthritis": False,
    "recent_surgery": False, "pain_over_6_weeks_no_improvement": False, "pregnant": False, "acute_illness": False,
    "severe_osteoporosis": False, "diagnosed_arthritis": False, "injury_hip_knee_ankle": False,
    "recent_injury": False, "joint_problem": False,
}
DAY_QUESTIONS = ["knee_hot_red_swollen", "knee_locked", "calf_painful_swollen", "new_swelling_or_redness",
                 "less_movement", "pain_much_worse", "fever"]


def screened(store, *, days_ago: int = 0, **yes) -> None:
    from hipknee.screening import assess
    from hipknee.store import utcnow

    result = assess({**NO_ANSWERS, **yes})
    store.save_screening(result.tier, {**NO_ANSWERS, **yes}, result.reason_dicts(),
                         taken_at=utcnow() - dt.timedelta(days=days_ago, minutes=5))


def checked_today(store, today: dt.date, **yes) -> None:
    from hipknee.daily_check import assess_daily

    answers = {qid: bool(yes.get(qid)) for qid in DAY_QUESTIONS}
    store.save_daily_check(today, answers, assess_daily(answers).status)


# How to reach each gate status with the alert on (rising pain), and whether the routine opens.
GATE_CASES = {
    "no_screening": (lambda store, today: None, False),
    "expired": (lambda store, today: screened(store, days_ago=40), False),
    "needs_clearance": (lambda store, today: screened(store, pregnant=True), False),
    "stop": (lambda store, today: screened(store, locked_knee=True), False),
    "day_stop": (lambda store, today: (screened(store), checked_today(store, today, knee_locked=True)), False),
    "day_blocked": (lambda store, today: (screened(store), checked_today(store, today, fever=True)), False),
    "day_caution": (lambda store, today: screened(store), True),
    "day_caution_and_check": (lambda store, today: (screened(store), checked_today(store, today, pain_much_worse=True)),
                              True),
}


@pytest.mark.parametrize("case", list(GATE_CASES))
def test_the_alert_says_what_the_gate_does(app_test, store, case):
    # The alert used to end "The routine still opens" whatever the gate said (e.g. with no screening yet,
    # while Routine said "Take the safety screening first").
    from hipknee.gate import routine_gate

    today = dt.date.today()
    alert = rising(store, today)
    setup, opens = GATE_CASES[case]
    setup(store, today)
    gate = routine_gate(store, today)
    assert gate.status == case.removesuffix("_and_check") and gate.allowed == opens

    trends = app_test(PAGE)
    assert not trends.exception
    boxes = [w.value for w in trends.warning if alert.title in w.value]
    assert len(boxes) == 1 and boxes[0].startswith(f"**{alert.title}.** {alert.message} ")
    if opens:
        assert boxes[0].endswith(words.ALERT_ROUTINE_NOTE)
    else:
        assert "routine still opens" not in boxes[0]
        assert boxes[0].endswith(f"The routine is not open now. The Routine page says: “{gate.title}”.")

    routine = app_test("pages/routine.py")
    assert not routine.exception
    shown = "\n".join(str(e.value) for e in [*routine.warning, *routine.error, *routine.info])
    assert gate.title in shown  # what Trends quotes is what Routine says
    if opens:
        assert f"**{alert.title}**\n\n{alert.message}" in shown

    home = app_test("pages/home.py")
    assert not home.exception
    home_cautions = [w.value for w in home.warning if alert.title in w.value]
    # Home shows the caution exactly where the gate does: when the routine opens with it at the top.
    assert home_cautions == ([f"**{alert.title}**\n\n{alert.message}"] if opens else [])
    starts = [b for b in home.button if b.label == "Start today's session"]
    assert bool(starts) == opens


@pytest.mark.parametrize("status", GateStatus.values())
def test_the_alert_claims_the_routine_opens_only_when_the_gate_allows_it(status):
    from hipknee.screening import load_screener

    title = load_screener().gate[status].title
    note = words.alert_routine_note(status, title)
    assert (note == words.ALERT_ROUTINE_NOTE) == (status in ALLOWED_GATE_STATUSES)
    if status not in ALLOWED_GATE_STATUSES:
        assert f"“{title}”" in note and "opens" not in note


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` setup must install poppler-utils")
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    # Reading order (no -layout): a table cell's lines stay together.
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_shows_the_same_verdicts_and_caution_as_the_page(app_test, store, tmp_path):
    today = dt.date.today()
    alert = rising(store, today)
    at = app_test(PAGE)
    trends = an.trends_for_range(store.entries_frame(), store.sessions_frame(), "3m", today)
    shown = metrics(at)
    text = pdf_text(report_for_store(store, start=trends.start, end=trends.end, generated=today), tmp_path)
    assert flat(f"{words.ALERT_TITLE}. {alert.message}") in text
    assert shown["Change since the start"] == trends.change.verdict.label
    assert f"{trends.change.verdict.label}: {trends.change.verdict.rule}" in text
    assert shown["Change, last 2 weeks"] == trends.recent_change.verdict.label
    assert flat(words.recent_sentence(trends.recent_change, trends.change)) in text
    assert flat(words.association_sentence(trends.association, person="the patient")) in text
    assert "correlation" not in text.lower()


def test_report_uses_the_picked_start_for_the_alert(store, tmp_path):
    today = dt.date.today()
    add_days(store, [2] * 7 + [8] * 7 + [5] * 7, end=today)
    eights = (today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    picked = pdf_text(report_for_store(store, end=today, baseline_range=eights, generated=today), tmp_path)
    assert words.ALERT_TITLE not in picked and "Much better" in picked
    auto = pdf_text(report_for_store(store, end=today, generated=today), tmp_path)
    assert words.ALERT_TITLE in auto and "Much worse" in auto


# ---- hipknee trends [--json] ---------------------------------------------------------------------------------


def hipknee(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HIPKNEE_DATABASE_URL": url}
    return subprocess.run([sys.executable, "-m", "hipknee", *args], capture_output=True, text=True, env=env,
                          check=False, timeout=120)


def test_cli_trends_json_end_to_end_on_the_flare_journal(tmp_path):
    url = f"sqlite:///{tmp_path / 'flare.db'}"
    assert hipknee("import", str(FLARE), url=url).returncode == 0
    done = hipknee("trends", "--json", url=url)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert list(out) == ["baseline", "current", "change", "recent", "alert", "association"]
    assert set(out["change"]) == {"points", "percent", "verdict"}
    assert set(out["association"]) == {"status", "weeks", "slope", "ci", "verdict"}
    # The journal ended in June 2024: no current 7 days, but the whole-journal analysis stands.
    assert out["baseline"]["start"] == "2024-01-01" and out["baseline"]["source"] == "auto"
    assert out["current"] is None and out["change"] == {"points": None, "percent": None, "verdict": None}
    assert out["alert"] is None
    assoc = out["association"]
    assert assoc["status"] == "estimate" and assoc["weeks"] == 25 and assoc["verdict"] == "unclear"
    assert assoc["ci"][0] < 0 < assoc["ci"][1]
    for value in [assoc["slope"], *assoc["ci"], out["baseline"]["mean"]]:
        assert value == round(value, 2)
    plain = hipknee("trends", url=url)
    assert plain.returncode == 0 and "Cannot tell yet" in plain.stdout and "correlation" not in plain.stdout


def test_cli_trends_json_gives_no_verdict_for_an_exact_fit(store, db_url):
    # The audit's journal: the CLI gave "ci": [-0.2, -0.2] and "verdict": "lower" from an exact fit.
    today = dt.date.today()
    add_degenerate_weeks(store, today)
    done = hipknee("trends", "--json", url=db_url)
    assert done.returncode == 0, done.stderr
    assoc = json.loads(done.stdout)["association"]
    assert assoc == {"status": "estimate", "weeks": 11, "slope": -0.2, "ci": None, "verdict": "unclear"}


def test_cli_trends_plain_words_have_no_range_and_no_brackets_in_brackets(store, db_url):
    today = dt.date.today()
    add_days(store, [8] * 7 + [5] * 7 + [2] * 14 + [4, 4, 5, 4, 4, 4, 5, 4, 4, 4, 5, 4, 4, 4], end=today)
    done = hipknee("trends", url=db_url)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "range" not in out  # the CLI shows no range: "(whatever range is shown)" meant nothing there
    assert "your whole journal has 4 so far." in out
    assert not re.search(r"\([^()]*\(", out), out  # no bracket opened inside another
    assert "Change since the start: Much better, -3.9 points (-48%). From 8.0 (your starting level)" in out
    assert "(+2.2 points): much worse, at least 2 points (Farrar 2001)." in out
    # The page and the report keep saying the analysis covers the whole journal whatever range is shown.
    assert "(whatever range is shown)" in history(store, today).sentence


def test_cli_trends_matches_the_analysis_and_takes_user(store, db_url):
    today = dt.date.today()
    add_days(store, [3] * 23 + [7] * 7, end=today)
    done = hipknee("trends", "--json", "--user", store.user_id, url=db_url)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    expected = an.conclusions(an.compute_trends(store.entries_frame(), store.sessions_frame(), end=today))
    assert out == json.loads(json.dumps(expected))
    assert out["alert"]["reason"] == "mean_above_baseline" and words.ALERT_ADVICE in out["alert"]["message"]
    missing = hipknee("trends", "--user", "nobody@example.org", url=db_url)
    assert missing.returncode == 1 and missing.stdout == ""
    assert len(missing.stderr.strip().splitlines()) == 1 and "has no data" in missing.stderr


# ---- citations say what the papers found (issue 13, point 7) -----------------------------------------------


def test_citations_state_the_populations_and_designs_exactly():
    from hipknee.citations import load_citations, load_explainer

    cites = load_citations()
    assert "aged 12 to 21" in cites["ireland2003"].finding and "girls" in cites["ireland2003"].finding
    khay = cites["khayambashi2012"].finding
    assert "in turn (not at random)" in khay and "Only the exercise group was followed to 6 months" in khay
    assert {"vickers2001", "vieira2017"} <= set(cites)
    bodies = {s.id: s.body for s in load_explainer().sections}
    assert "aged 12 to 21" in bodies["research"]
    research = " ".join(bodies["research"].split())
    assert "assigned in turn (not at random)" in research
    assert "Only the exercise group was checked again six months later" in research
    assert "[@vickers2001]" in bodies["your_numbers"] and "[@vieira2017]" in bodies["your_numbers"]


TYPED = ("1.16", "30%", "30 %", "2 points", "4 of 7", "5 days", "4+ ", "14 days", "8 ratings", "within 10 days",
         "correlation", "6 before", "last 3 ", "about 4 weeks", "95%", "95 %", "6 weeks", "3 days")
WINDOW = ("7-day", "7 days")  # the rolling window's length


def shown_strings(path: str) -> str:
    """The text the code at ``path`` can show: its string literals, not docstrings or comments."""
    import ast

    tree = ast.parse((Path(__file__).resolve().parent.parent / path).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value) for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
        and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return "\n".join(
        node.value for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    )


@pytest.mark.parametrize("path", ["pages/trends.py", "pages/home.py", "pages/routine.py", "hipknee/report.py",
                                  "hipknee/gate.py", "ui/gate.py", "hipknee/analysis.py", "hipknee/cli.py",
                                  "hipknee/charts.py", "hipknee/trends_text.py", "hipknee/summary_cards.py"])
def test_no_threshold_is_typed_outside_the_one_module(path):
    # Every sentence quoting a threshold is built from hipknee.thresholds in hipknee.trends_text (point 6);
    # hipknee.trends_text itself builds every such sentence from hipknee.thresholds, so it types none either.
    code = shown_strings(path)
    for literal in TYPED + WINDOW:
        assert literal not in code, f"{path} types {literal!r}"


@pytest.mark.parametrize("path", ["pages/exercises.py", "hipknee/trends_text.py"])
def test_the_routine_goal_and_the_early_weeks_are_built_from_the_thresholds(path):
    # Issue 12: "at least five days a week" (Exercises) and "about 4 weeks" (Trends) were typed by hand.
    from hipknee import trends_text as words
    from hipknee.thresholds import GOAL_DAYS_PER_WEEK, SHORT_DAYS

    code = shown_strings(path)
    for literal in ("5 days", "five days", "4 weeks", "four weeks", "28 days"):
        assert literal not in code, f"{path} types {literal!r}"
    assert words.GOAL_IN_WORDS == f"{words.NUMBER_WORDS[GOAL_DAYS_PER_WEEK]} days a week" == "five days a week"
    assert words.EARLY_SPAN == f"about {SHORT_DAYS // 7} weeks" == "about 4 weeks"
    assert words.EARLY_SPAN in words.thin(1, 3) and words.EARLY_SPAN in words.early(5)


def test_sentences_quote_the_window_run_and_early_days_from_the_constants():
    from hipknee import thresholds as t

    assert f"your last {t.ALERT_RUN_RATINGS} ratings, all within {t.ALERT_RUN_WITHIN_DAYS} days" in words.ALERT_RULE
    assert f"over a day and the {t.ROLLING_DAYS - 1} before it" in words.method_text()
    assert f"{t.ROLLING_DAYS}-day average" == words.ROLLING_LABEL and words.CONFIDENCE == "95%"
    assert f"after about {t.SHORT_DAYS // 7} weeks" in words.thin(2, 3)
    assert f"need about {t.SHORT_DAYS // 7} weeks" in words.early(5)
    assert (an.SHORT_DAYS, an.NO_IMPROVEMENT_MIN_WEEKS, an.NO_IMPROVEMENT_MIN_DAYS_PER_WEEK) == (
        t.SHORT_DAYS, t.NO_IMPROVEMENT_MIN_WEEKS, t.NO_IMPROVEMENT_MIN_DAYS_PER_WEEK)


def test_the_starting_level_box_is_built_only_once_opened(app_test, store):
    """Issue 18: closed, the box sends neither its widgets nor its texts; opened, it has them; a picked start
    holds while the box is closed again (the choice is kept outside the widgets)."""
    today = dt.date.today()
    add_days(store, [2] * 7 + [8] * 7 + [5] * 7, end=today)
    at = app_test(PAGE)
    assert not at.exception
    assert "Starting level and how these numbers work" in [e.label for e in at.expander]
    assert not at.radio and not at.date_input
    method = "**7-day average**"  # from the "how these numbers work" text
    assert not any(method in m.value for m in at.markdown)
    at.session_state[BASELINE_BOX_KEY] = True
    at.run()
    assert at.radio(key="trends_baseline_mode").value == "auto"
    assert any(method in m.value for m in at.markdown)
    eights = (today - dt.timedelta(days=13), today - dt.timedelta(days=7))
    at.radio(key="trends_baseline_mode").set_value("picked").run()
    at.date_input(key="trends_baseline_range").set_value(eights).run()
    at.session_state[BASELINE_BOX_KEY] = False
    at.run()
    assert not at.exception and not at.radio
    assert metrics(at)["Change since the start"] == "Much better"  # still the picked week of 8s
