"""Notes in everyone's language in the clinician report (issue 17): Arabic and Hebrew shaped and in reading
order, Chinese, Cyrillic and emoji drawn with a font that has them, and where no font here can draw a
character the report says so instead of printing "?". Checked with pdftotext and a rendered page."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from hipknee import report
from hipknee.journal import Entry
from tests.test_report import page_count

TODAY = dt.date(2025, 6, 30)
ARABIC = "ركبتي تؤلمني عند صعود الدرج والألم اليوم أخف"
HEBREW = "הברך כואבת אחרי ההליכה הארוכה"
CHINESE = "膝盖上楼梯时疼痛，今天好一点"
CYRILLIC = "Колено болит на лестнице, сегодня лучше"
EMOJI = "Good day 😀 👍 🙂 after the walk"
NOTES = [ARABIC, HEBREW, CHINESE, CYRILLIC, EMOJI]
BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def extracted(data: bytes, tmp_path: Path) -> tuple[str, str]:
    """(raw pdftotext text, the same normalised to logical letters: NFKC maps joined Arabic forms back)."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `make test` setup must install poppler-utils")
    path = tmp_path / "notes.pdf"
    path.write_bytes(data)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    raw = raw.translate(BIDI_MARKS)
    return raw, re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw))


def rendered(pdf_path: Path, tmp_path: Path):
    """The page as a greyscale image (pdftoppm, 100 dpi)."""
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", str(pdf_path), str(tmp_path / "page")],
                   check=True)
    return Image.open(tmp_path / "page.png").convert("L")


def word_box(pdf_path: Path, word: str) -> tuple[float, float, float, float]:
    """Where pdftotext finds ``word`` (xMin, yMin, xMax, yMax in points); right-to-left words come back as
    glyphs in drawing order, so they are also compared reversed, in their logical letters."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf_path), "-"], capture_output=True, check=True).stdout.decode()
    for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             html):
        found = match.group(5)
        if word in (unicodedata.normalize("NFKC", found), unicodedata.normalize("NFKC", found[::-1])):
            return tuple(float(v) for v in match.groups()[:4])
    raise AssertionError(f"{word!r} not found in the PDF")


DPI = 100
FRAME_PADDING = 6  # reportlab's Frame pads the page margins by 6 points
PAGE_RIGHT = report.PAGE_W - report.MARGIN + FRAME_PADDING  # where text can end, in points
NOTES_LEFT = report.MARGIN + FRAME_PADDING + report.NOTES_DATE_W


@pytest.fixture
def notes_store(store):
    for k, note in enumerate(NOTES):
        store.add_entry(Entry(TODAY - dt.timedelta(days=k), 3, notes=note))
    return store


def test_every_script_is_drawn_in_reading_order(notes_store, tmp_path):
    data = report.report_for_store(notes_store, end=TODAY)
    assert page_count(data) == 1
    raw, text = extracted(data, tmp_path)
    # pdftotext reads right-to-left text back into logical order: reversed words (the old bug) would not match.
    for note in (ARABIC, HEBREW, CHINESE, CYRILLIC):
        assert unicodedata.normalize("NFKC", note) in text, note
    # Arabic letters are joined (their contextual forms), not the isolated letters reportlab draws unshaped.
    assert sum("\ufe70" <= ch <= "\ufeff" for ch in raw) >= 20
    assert "😀" in text and "👍" in text and "🙂" in text
    assert "?" not in text[text.index("Most recent notes"):]
    assert "not shown" not in text  # this machine has fonts for all of them (scripts/ensure-test-deps.sh)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "notes.pdf")], capture_output=True, check=True).stdout
    assert b"WenQuanYi" in fonts and b"Symbola" in fonts


def test_rendered_page_shows_every_note_and_right_to_left_ones_on_the_right(notes_store, tmp_path):
    path = tmp_path / "notes.pdf"
    path.write_bytes(report.report_for_store(notes_store, end=TODAY))
    page = rendered(path, tmp_path)
    assert sum(page.histogram()[:128]) > 20_000  # dark pixels: not a blank page
    scale = DPI / 72
    for first_word, rtl in [("ركبتي", True), ("הברך", True), ("膝盖上楼梯时疼痛", False), ("Колено", False),
                            ("Good", False)]:
        x0, y0, x1, y1 = word_box(path, first_word) if first_word != "膝盖上楼梯时疼痛" else word_box(
            path, unicodedata.normalize("NFKC", CHINESE))
        # Ink where the text is: the glyphs were really drawn (a missing glyph draws nothing or an empty box).
        ink = page.crop((int(x0 * scale), int(y0 * scale), int(x1 * scale) + 1, int(y1 * scale) + 1))
        dark = sum(ink.histogram()[:160])
        assert dark > 0.05 * ink.width * ink.height, (first_word, dark, ink.size)
        # A note's first word starts its line: at the right margin for Hebrew and Arabic, else at the left.
        if rtl:
            assert PAGE_RIGHT - 4 <= x1 <= PAGE_RIGHT + 1, (first_word, x1)
        else:
            assert abs(x0 - NOTES_LEFT) < 2, (first_word, x0)


def test_without_the_fallback_fonts_it_says_what_it_could_not_draw(store, tmp_path, monkeypatch):
    main = report.fonts()
    if not main.unicode:
        pytest.fail("DejaVu Sans is missing: scripts/ensure-test-deps.sh installs fonts-dejavu-core")
    monkeypatch.setattr(report, "_FONTS", report.Fonts(main.regular, main.bold, True, main.glyphs, ()))
    for k, note in enumerate(NOTES):
        store.add_entry(Entry(TODAY - dt.timedelta(days=k), 3, notes=note))
    store.add_entry(Entry(TODAY - dt.timedelta(days=5), 3, notes="🥲 and 🫠"))
    raw, text = extracted(report.report_for_store(store, end=TODAY), tmp_path)
    assert "[not shown: 14 characters]" in text  # the Chinese note
    assert "[not shown: thumbs up sign]" in text and "[not shown: slightly smiling face]" in text
    assert ARABIC in text and HEBREW in text and CYRILLIC in text  # DejaVu Sans draws these itself
    assert "Some characters could not be drawn" in text
    assert "?" not in text[text.index("Most recent notes"):]


def test_latin1_only_fonts_describe_every_other_script(store, tmp_path, monkeypatch):
    monkeypatch.setattr(report, "_FONTS", report.Fonts("Helvetica", "Helvetica-Bold", False, None))
    store.add_entry(Entry(TODAY, 3, notes=f"{CYRILLIC} / café"))
    raw, text = extracted(report.report_for_store(store, end=TODAY), tmp_path)
    assert "[not shown: 6 characters] [not shown: 5 characters]" in text and "/ café" in text
    assert "Some characters could not be drawn" in text


def test_no_explanation_when_everything_is_drawn(store, tmp_path):
    store.add_entry(Entry(TODAY, 3, notes="stairs were fine"))
    _, text = extracted(report.report_for_store(store, end=TODAY), tmp_path)
    assert "Some characters could not be drawn" not in text


def test_clean_names_emoji_counts_other_characters_and_keeps_emoji_sequences_together():
    font = report.Fonts("Helvetica", "Helvetica-Bold", False, None)
    assert report.clean("ok 🥲 ok", font) == "ok [not shown: smiling face with tear] ok"
    assert report.clean("家族👨‍👩‍👧!", font) == "[not shown: 5 characters]!"  # one run, joiners not counted
    assert report.clean("❤️", font) == "[not shown: heavy black heart]"  # the emoji selector is not a character
    assert report.clean("a\x07b\u202ec", font) == "abc"  # control and direction-override characters go
    dejavu = report.fonts()
    assert report.clean("Колено", dejavu) == "Колено"
    assert report.clean("سلام", dejavu) != "سلام"  # joined forms
    assert unicodedata.normalize("NFKC", report.clean("سلام", dejavu)) == "سلام"
