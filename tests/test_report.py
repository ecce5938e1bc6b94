"""The clinician report: one A4 page of real, searchable text, from the app and from `hipknee report`."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hipknee import analysis as an
from hipknee import cli, demo, report
from hipknee import trends_text as words
from hipknee.journal import Entry

TODAY = dt.date(2025, 6, 30)


def pdf_text(data: bytes, tmp_path: Path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` setup must install poppler-utils")
    path = tmp_path / "check.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return re.sub(r"\s+", " ", out.stdout.decode("utf-8"))


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


@pytest.fixture
def filled(store):
    demo.fill(store, 200, seed=4, end=TODAY)
    return store


def test_full_report_is_one_page_with_every_section(filled, tmp_path):
    filled.save_screening(
        "caution", {"joint_problem": True},
        [{"id": "parq_joint", "reason": "A joint problem that more activity could make worse.",
          "advice": "Check with a physiotherapist first."}],
        taken_at=dt.datetime(2025, 6, 1, 9, 30),
    )
    filled.add_manual_session(session_date=TODAY - dt.timedelta(days=3), status="stopped", pain_during=8)
    data = report.report_for_store(filled, end=TODAY, start=TODAY - dt.timedelta(days=90))
    assert data.startswith(b"%PDF") and page_count(data) == 1
    text = pdf_text(data, tmp_path)
    for expected in [
        "Knee pain and exercise report",
        "Period 1 Apr 2025 to 30 Jun 2025",
        "Latest safety screening",
        "CAUTION: see a professional before starting (taken 1 Jun 2025)",
        "A joint problem that more activity could make worse.",
        "Worst knee pain each day",
        "Routine days per week",
        "Goal: 5 days a week",
        "Change against the starting level",
        "Starting level (baseline)",
        "Current 7-day average",
        "Farrar et al., Pain, 2001",
        "Piva et al., J Rehabil Med, 2009",
        "1.16 points",
        "borrowed",
        "not proof",
        "Stopped for pain",
        "27 Jun 2025 (pain 8)",
        "Most recent notes",
    ]:
        assert expected in text, expected
    trends = an.compute_trends(filled.entries_frame(), filled.sessions_frame(),
                               start=TODAY - dt.timedelta(days=90), end=TODAY)
    assert f"{trends.change.points:+.1f} points" in text
    assert trends.change.verdict.label in text
    assert f"{trends.recent.days_done} of 28 days" in text
    flat = " ".join(text.split())
    assert "Last 4 full weeks (Monday to Sunday, 2 Jun 2025 to 29 Jun 2025)" in flat  # TODAY is a Monday
    assert f"goal met in {trends.recent.weeks_at_goal} of 4 weeks; {trends.streak.weeks} full week" in flat
    newest_date, newest_note = trends.notes[0]
    assert newest_note[:30] in text


def test_clearance_shows_only_when_it_covers_the_latest_caution_reasons(filled, tmp_path):
    reason = {"id": "pregnant", "reason": "Pregnancy.", "advice": "Ask your midwife or doctor first."}
    sid = filled.save_screening("caution", {"pregnant": True}, [reason],
                                taken_at=dt.datetime(2025, 6, 1, 9, 30))
    text = pdf_text(report.report_for_store(filled, end=TODAY), tmp_path)
    assert "cleared them" not in text
    filled.save_clearance(sid, ["pregnant"])
    cleared = filled.latest_clearance()
    text = pdf_text(report.report_for_store(filled, end=TODAY), tmp_path)
    assert f"confirmed on {report.day_words(cleared.cleared_at.date())} that a clinician cleared them" in text
    other = {"id": "giving_way", "reason": "Giving way.", "advice": "See a physiotherapist."}
    filled.save_screening("caution", {"giving_way": True}, [reason, other],
                          taken_at=dt.datetime(2025, 6, 20, 9, 30))
    text = pdf_text(report.report_for_store(filled, end=TODAY), tmp_path)
    assert "cleared them" not in text  # a new reason needs a new clearance


def test_report_without_screening_or_entries(store, tmp_path):
    data = report.report_for_store(store, end=TODAY)
    assert page_count(data) == 1
    text = pdf_text(data, tmp_path)
    assert "No screening recorded." in text
    assert "No notes in this period." in text
    assert "None in this period." in text
    assert "not yet: needs 4 entries within 7 days" in text


def test_long_and_hostile_notes_stay_on_one_page_as_plain_text(store, tmp_path):
    for k in range(40):
        store.add_entry(Entry(date=TODAY - dt.timedelta(days=k), worst_pain=k % 10,
                              notes=f"<b>bold?</b> & ≥ “quoted” {k} " + "long words " * 150))
    reasons = [{"id": f"r{k}", "reason": f"Reason number {k} " + "x" * 200, "advice": "a"} for k in range(12)]
    store.save_screening("stop", {}, reasons)
    data = report.report_for_store(store, end=TODAY)
    assert page_count(data) == 1
    text = pdf_text(data, tmp_path)
    # Markup is shown as typed, not interpreted (with DejaVu Sans the symbols stay as typed too).
    expected = "<b>bold?</b> & ≥ “quoted” 0" if report.fonts().unicode else '<b>bold?</b> & >= "quoted" 0'
    assert expected in text
    assert "and 6 more" in text  # reasons beyond the first six are summarised


REPORTLAB_MARKUP = [
    "<font color=red>x</font>",
    '<a href="https://example.org/login">log in</a>',
    "<img src='https://example.org/p.png'/>",
    "<b>unclosed &nbsp; &bogus; <br/>",
    "<para>p</para> <super>2</super> <strike>s</strike>",
]


def test_reportlab_markup_in_notes_and_reasons_is_literal_text(store, tmp_path):
    """reportlab's Paragraph parses its own markup: notes and reasons from the database never use it."""
    for k, note in enumerate(REPORTLAB_MARKUP):
        store.add_entry(Entry(date=TODAY - dt.timedelta(days=k), worst_pain=3, notes=note))
    store.save_screening("caution", {}, [
        {"id": "r", "tier": "caution", "reason": "<font color=blue>reason</font>", "advice": "a"}
    ])
    data = report.report_for_store(store, end=TODAY)
    assert page_count(data) == 1
    text = " ".join(pdf_text(data, tmp_path).split())
    for note in [*REPORTLAB_MARKUP, "<font color=blue>reason</font>"]:
        assert " ".join(note.split()) in text, note
    assert b"/URI" not in data and b"/Link" not in data  # no link annotation
    assert b"/Subtype /Image" not in data  # no picture fetched or embedded


def test_ascii_fallback_without_dejavu(store, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "_FONTS", report.Fonts("Helvetica", "Helvetica-Bold", False, None))
    store.add_entry(Entry(date=TODAY, worst_pain=3, notes="stairs ≥ 3 flights – fine 🙂 café"))
    data = report.report_for_store(store, end=TODAY)
    assert page_count(data) == 1
    text = pdf_text(data, tmp_path)
    assert "stairs >= 3 flights - fine [not shown: slightly smiling face] café" in text
    assert "Some characters could not be drawn" in text and "?" not in text.split("fine")[1][:3]
    assert "starting level +/- 1.16" in text


def test_clean_drops_control_characters_and_unknown_glyphs():
    font = report.fonts()
    assert report.clean("a\x07b\nc", font) == "ab c"
    if font.unicode:
        assert report.clean("≥ 2", font) == "≥ 2"


# ---- hipknee report ----------------------------------------------------------------------------------


def run_cli(*args: str) -> int:
    return cli.main(["report", *args])


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(cli, "_today", lambda: TODAY)


def test_cli_writes_a_one_page_pdf(filled, fixed_today, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.pdf"
    assert run_cli("--out", str(out), "--from", "2025-05-01", "--to", "2025-06-15") == 0
    data = out.read_bytes()
    assert page_count(data) == 1
    assert "Period 1 May 2025 to 15 Jun 2025" in pdf_text(data, tmp_path)
    assert "to 2025-06-15" in capsys.readouterr().out
    assert [p.name for p in folder.iterdir()] == ["report.pdf"]  # no temporary file left behind


def association_text(data: bytes, tmp_path: Path) -> str:
    text = pdf_text(data, tmp_path)
    start = text.index("Routine days and next week's pain") + len("Routine days and next week's pain")
    return text[start:text.index("Stopped for pain", start)].strip()


def test_association_is_the_whole_history_whatever_the_period(filled, fixed_today, tmp_path):
    expected = an.history_association(filled.entries_frame(), filled.sessions_frame(), TODAY)
    sentence = words.association_sentence(expected, person="the patient")
    assert "the patient's whole journal" in sentence and "not only this report's period" in sentence
    texts = set()
    for start, end in [(None, TODAY), (TODAY - dt.timedelta(days=27), TODAY),
                       (dt.date(2025, 5, 1), dt.date(2025, 6, 15)), (None, dt.date(2025, 1, 31))]:
        texts.add(association_text(report.report_for_store(filled, start=start, end=end, generated=TODAY),
                                   tmp_path))
    out = tmp_path / "cli.pdf"
    assert run_cli("--out", str(out), "--from", "2025-05-01", "--to", "2025-06-15") == 0
    texts.add(association_text(out.read_bytes(), tmp_path))
    assert len(texts) == 1
    assert re.sub(r"\s+", " ", f"{sentence} {expected.caveat}") == texts.pop()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2025-02-30"], "--from must be a date in YYYY-MM-DD form, like 2025-03-01, not '2025-02-30'"),
        (["--to", "yesterday"], "--to must be a date in YYYY-MM-DD form, like 2025-03-01, not 'yesterday'"),
        (["--from", "2025-06-10", "--to", "2025-06-01"], "--from 2025-06-10 is after --to 2025-06-01"),
        # The day after today is today further east (the machine's zone was used: no --tz): say how to give it.
        (["--to", "2025-07-01"], "--to 2025-07-01 is in the future (today is 2025-06-30); 2025-07-01 is already "
         "today east of this machine's time zone: if it is today where you are, add --tz with your time zone "
         "(e.g. --tz Pacific/Auckland)"),
        (["--to", "2025-07-03"], "--to 2025-07-03 is in the future (today is 2025-06-30)"),
    ],
)
def test_cli_rejects_bad_dates(filled, fixed_today, tmp_path, capsys, args, message):
    out = tmp_path / "report.pdf"
    assert run_cli("--out", str(out), *args) == cli.EXIT_FAILURE
    err = capsys.readouterr().err
    assert err == f"hipknee report: error: {message}\n"
    assert not out.exists()


def test_cli_unwritable_path_is_one_line_and_keeps_the_old_file(filled, fixed_today, tmp_path, capsys):
    assert run_cli("--out", str(tmp_path / "missing" / "r.pdf")) == cli.EXIT_FAILURE
    err = capsys.readouterr().err
    assert err.startswith("hipknee report: error: cannot write ") and err.count("\n") == 1
    assert run_cli("--out", str(tmp_path)) == cli.EXIT_FAILURE
    assert "it is a folder" in capsys.readouterr().err
    locked = tmp_path / "locked"
    locked.mkdir()
    old = locked / "r.pdf"
    old.write_bytes(b"old")
    locked.chmod(0o500)
    try:
        code = run_cli("--out", str(old))
        if code == 0:  # running as root: permissions do not apply
            assert old.read_bytes().startswith(b"%PDF")
        else:
            assert old.read_bytes() == b"old"
            assert "cannot write" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)
