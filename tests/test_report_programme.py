"""The clinician report's exercise programme section (issue 14): the current levels and doses, and the level
history with its reasons, from sessions logged the way `hipknee session add` logs them."""

from __future__ import annotations

import datetime as dt

import pytest

from hipknee import cli, report
from hipknee.programme import dose_words, load_programme
from tests.test_report import page_count, pdf_text

START = dt.date(2026, 3, 2)  # day 1, 3 and 5 are strength days


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n - 1)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(cli, "_today", lambda: day(12))


def session(n: int, status: str, *more: str) -> None:
    assert cli.main(["session", "add", "--date", day(n).isoformat(), "--status", status, *more]) == 0


def section(text: str) -> str:
    return text[text.index("Exercise programme"):text.index("Most recent notes")]


def test_no_programme_says_so(store, tmp_path):
    text = pdf_text(report.report_for_store(store, end=day(12)), tmp_path)
    assert "Exercise programme No exercise programme started." in text
    assert report.programme_summary(store, day(12)) is None


def test_current_levels_doses_and_history_with_reasons(store, tmp_path, capsys):
    assert cli.main(["plan", "start", "--date", START.isoformat()]) == 0
    session(1, "completed", "--pain-during", "1", "--next-morning", "same")
    session(3, "completed", "--pain-during", "0", "--next-morning", "better")  # two greens: clamshell up
    session(10, "stopped")  # a stop for pain in week 2: one level down again
    capsys.readouterr()

    summary = report.programme_summary(store, day(12))
    assert summary is not None and (summary.week, summary.weeks) == (2, 8)
    assert (summary.completed, summary.stopped) == (2, 1)
    rows = {r.exercise_id: r for r in summary.rows}
    programme = load_programme()
    assert set(rows) == set(programme.exercises)  # every exercise of the plan, warm-up aside
    assert rows["clamshell"].level == 1 and rows["clamshell"].max_level == 3

    data = report.report_for_store(store, end=day(12))
    assert page_count(data) == 1
    text = section(pdf_text(data, tmp_path))
    assert "Started 2 Mar 2026; week 2 of 8." in text
    assert "Sessions logged: 2 completed, 1 stopped for pain." in text
    clam = programme.exercises["clamshell"]
    assert f"{clam.level(1).name} 1 of 3 {dose_words(clam.level(1).dose)}" in text
    # Newest first: the stop (day 10, 11 Mar) took it down with a word on form.
    down = text.index("11 Mar 2026: Clamshell with a light band moved down to Clamshell")
    assert "form" in text[down:]
    # The older changes (up, on 4 Mar) are counted when the list is full, and kept in order in the summary.
    clam_steps = [(d, reason) for d, ex, _b, _a, reason in summary.history if ex == "clamshell"]
    assert [d for d, _ in clam_steps] == [day(10), day(3)] and "moved up" in clam_steps[1][1]
    assert f"and {len(summary.history) - report.PROGRAMME_HISTORY_MAX} earlier changes." in text


def test_a_move_up_is_listed_with_its_reason(store, tmp_path, capsys):
    assert cli.main(["plan", "start", "--date", START.isoformat()]) == 0
    session(1, "completed", "--pain-during", "1", "--next-morning", "same")
    session(3, "completed", "--pain-during", "0", "--next-morning", "better")
    capsys.readouterr()
    text = section(pdf_text(report.report_for_store(store, end=day(4)), tmp_path))
    line = text[text.index("4 Mar 2026: Clamshell moved up to Clamshell with a light band"):]
    assert "comfortable" in line[:200] and "next morning" in line[:200]
    assert "Clamshell with a light band 2 of 3 2 sets of 12" in text  # the table shows the new level and dose


def test_a_session_on_the_report_day_counts_and_the_week_is_the_report_days(store, tmp_path):
    assert cli.main(["plan", "start", "--date", START.isoformat()]) == 0
    session(1, "completed", "--pain-during", "1", "--next-morning", "same")
    session(3, "completed", "--pain-during", "1", "--next-morning", "same")
    before = report.programme_summary(store, day(2))
    after = report.programme_summary(store, day(3))
    assert before is not None and after is not None and before.week == after.week == 1
    assert {r.exercise_id: r.level for r in before.rows}["clamshell"] == 1
    assert {r.exercise_id: r.level for r in after.rows}["clamshell"] == 2
    assert report.programme_summary(store, START - dt.timedelta(days=1)) is None  # before the start


def test_a_prescription_limits_the_exercises_and_levels(store, tmp_path):
    store.start_programme(START, {"exercises": ["bridge", "wall_sit"], "start_level": {"bridge": 2},
                                  "max_level": {"bridge": 2, "wall_sit": 2}})
    summary = report.programme_summary(store, day(4))
    assert summary is not None
    assert [(r.exercise_id, r.level, r.max_level) for r in summary.rows] == [("bridge", 2, 2), ("wall_sit", 1, 2)]
    text = section(pdf_text(report.report_for_store(store, end=day(4)), tmp_path))
    assert "Level changes: none yet." in text and "2 of 2" in text
