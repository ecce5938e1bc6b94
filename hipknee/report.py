"""The one-page clinician report (PDF, A4) built with reportlab: real, searchable text and vector charts.

Fonts: DejaVu Sans when the system has it (Debian package fonts-dejavu-core), so any text a person typed
shows as written; otherwise the PDF built-in Helvetica with the text folded to Latin-1 (≥ becomes >= and
so on). Everything is fitted into one page: long lists are cut with "and N more".
"""

from __future__ import annotations

import datetime as dt
import io
import os
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import arabic_reshaper
import numpy as np
import pandas as pd
from bidi import get_display
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepInFrame, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hipknee import analysis as an
from hipknee import trends_text as words
from hipknee.gate import caution_reason_ids, is_cleared
from hipknee.journal_tables import day_words
from hipknee.plaintext import pdf
from hipknee.statuses import BaselineSource, SessionStatus, Tier

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/local/share/fonts", "/usr/share/fonts/TTF")
MARGIN = 14 * mm
PAGE_W, PAGE_H = A4
CONTENT_W = PAGE_W - 2 * MARGIN
NOTE_CHARS = 180
NOTES_MAX = 5
REASONS_MAX = 6
STOPS_LISTED = 8

TIER_TEXT = {
    Tier.STOP: "STOP: seek medical care before exercising",
    Tier.CAUTION: "CAUTION: see a professional before starting",
    Tier.OK: "OK: start gradually",
}
ASCII_FOLD = {
    "≥": ">=",
    "≤": "<=",
    "±": "+/-",
    "−": "-",
    "–": "-",
    "—": "-",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "…": "...",
    "•": "*",
    "→": "->",
    "×": "x",
    "·": "-",
    "\u00a0": " ",
}


@dataclass(frozen=True)
class Fonts:
    """The report's fonts: ``regular``/``bold`` for everything, and ``fallbacks`` (registered font name,
    code points it draws) tried in order for characters the main font lacks (Chinese, emoji...)."""

    regular: str
    bold: str
    unicode: bool
    glyphs: frozenset[int] | None  # code points the font can draw (None: Latin-1 only)
    fallbacks: tuple[tuple[str, frozenset[int]], ...] = ()


# Fonts for scripts DejaVu Sans lacks, found where Debian installs them (scripts/ensure-test-deps.sh adds them
# for the tests; a server without them still makes the report and says which characters it could not draw).
# Only TrueType outlines: reportlab cannot embed CFF (.otf, Noto CJK) or colour bitmap (Noto Color Emoji) fonts.
FALLBACK_FONTS = (
    ("HipkneeCJK", ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")),
    ("HipkneeSymbols", ("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",)),
)
NOT_SHOWN = "[not shown: {}]"  # stands in for characters no font here can draw (never a bare "?")


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap (what copy, search and pdftotext read), with characters beyond U+FFFF
    (emoji) written as UTF-16 surrogate pairs: reportlab 5.1 writes them as 5 hex digits, so 😀 came back as
    "ὠ". Same entries otherwise; the PDF reference (ToUnicode CMaps) asks for UTF-16BE."""

    def utf16(code: int) -> str:
        return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()

    return _reportlab_cmap(fontname, subset).replace(
        f"{len(subset)} beginbfchar\n" + "\n".join(f"<{i:02X}> <{v:04X}>" for i, v in enumerate(subset)),
        f"{len(subset)} beginbfchar\n" + "\n".join(f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)),
    )


_reportlab_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # used by reportlab's font embedding

_FONTS: Fonts | None = None
_MISSING: ContextVar[list[str] | None] = ContextVar("hipknee_report_missing", default=None)


def fonts() -> Fonts:
    """DejaVu Sans if installed (registered once), else Helvetica with Latin-1 text; plus the fallbacks found."""
    global _FONTS
    if _FONTS is None:
        _FONTS = _find_fonts()
    return _FONTS


def _register(name: str, path: str) -> frozenset[int] | None:
    try:
        face = TTFont(name, path, subfontIndex=0)
        pdfmetrics.registerFont(face)
        registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    except Exception:  # a damaged or unsupported font file: do without it rather than fail the report
        return None
    return frozenset(face.face.charToGlyph)


def _find_fallbacks() -> tuple[tuple[str, frozenset[int]], ...]:
    found = []
    for name, paths in FALLBACK_FONTS:
        for path in paths:
            glyphs = _register(name, path) if os.path.exists(path) else None
            if glyphs is not None:
                found.append((name, glyphs))
                break
    return tuple(found)


def _find_fonts() -> Fonts:
    fallbacks = _find_fallbacks()
    for folder in FONT_DIRS:
        regular = os.path.join(folder, "DejaVuSans.ttf")
        bold = os.path.join(folder, "DejaVuSans-Bold.ttf")
        if os.path.exists(regular) and os.path.exists(bold):
            try:
                face = TTFont("HipkneeSans", regular)
                pdfmetrics.registerFont(face)
                pdfmetrics.registerFont(TTFont("HipkneeSans-Bold", bold))
                registerFontFamily(
                    "HipkneeSans",
                    normal="HipkneeSans",
                    bold="HipkneeSans-Bold",
                    italic="HipkneeSans",
                    boldItalic="HipkneeSans-Bold",
                )
            except Exception:  # a damaged font file: fall back rather than fail the report
                continue
            return Fonts("HipkneeSans", "HipkneeSans-Bold", True, frozenset(face.face.charToGlyph), fallbacks)
    return Fonts("Helvetica", "Helvetica-Bold", False, None, fallbacks)


def _font_for(ch: str, font: Fonts) -> str | None:
    """The font that draws ``ch``: the main one (None), a fallback's name, or "" when none can."""
    if font.glyphs is not None and ord(ch) in font.glyphs:
        return None
    if font.glyphs is None and ord(ch) < 256:
        return None
    for name, glyphs in font.fallbacks:
        if ord(ch) in glyphs:
            return name
    return ""


def _not_shown(chars: str) -> str:
    """The stand-in for a run of characters no font can draw: emoji and symbols by name, others counted."""
    shown = [c for c in chars if c not in "\ufe0f\u200d"]  # emoji joiners and presentation selectors
    if 0 < len(shown) <= 3 and all(unicodedata.category(c) == "So" and unicodedata.name(c, "") for c in shown):
        return NOT_SHOWN.format(", ".join(unicodedata.name(c).lower() for c in shown))
    count = len(shown)
    return NOT_SHOWN.format(f"{count} character{'s' if count != 1 else ''}")


def clean(text: str, font: Fonts | None = None) -> str:
    """Text the chosen fonts can draw: control characters go; Arabic letters take their joined forms; a run
    of characters no font here can draw becomes "[not shown: ...]" (and the report says why at its end)."""
    font = font or fonts()
    text = "".join(
        " " if ch in "\n\t" else ch
        for ch in str(text)
        if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs") or ch in "\u200d"
    )
    if any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text):
        text = arabic_reshaper.reshape(text)  # reportlab draws code points as they come: join the letters first
    out: list[str] = []
    missing: list[str] = []
    replaced = False
    for ch in text:
        if font.glyphs is None and ch in ASCII_FOLD:  # Latin-1 only: plain-text forms (≥ is >=), as before
            ch = ASCII_FOLD[ch]
        elif font.glyphs is None and _font_for(ch, font) == "" and _latin1(ch) != "?":
            ch = _latin1(ch)
        if ch == "\u200d" or (ch == "\ufe0f" and _font_for(ch, font) == ""):
            if missing:
                missing.append(ch)  # part of an emoji sequence that is not drawn either
            continue
        if all(_font_for(c, font) != "" for c in ch):
            if missing:
                out.append(_not_shown("".join(missing)))
                missing, replaced = [], True
            out.append(ch)
        else:
            missing.append(ch)
    if missing:
        out.append(_not_shown("".join(missing)))
        replaced = True
    result = "".join(out)
    seen = _MISSING.get()
    if replaced and seen is not None:
        seen.append(result)  # build_pdf then explains the stand-ins once, at the end of the report
    return result


def _latin1(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
    return decomposed or "?"


def _is_rtl(text: str) -> bool:
    """Whether ``text`` reads right to left: its first strong character is Hebrew or Arabic (Unicode's rule)."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _runs(line: str, font: Fonts) -> str:
    """One line (already in display order) as escaped markup, with characters the main font lacks set in the
    fallback font that has them."""
    out: list[str] = []
    for name, chars in groupby(line, key=lambda ch: _font_for(ch, font) or None):
        text = pdf("".join(chars))
        out.append(f'<font face="{name}">{text}</font>' if name else text)
    return "".join(out)


def _visual(line: str, rtl: bool) -> str:
    """A line in display order (Unicode bidirectional algorithm): Hebrew and Arabic right to left."""
    return get_display(line, base_dir="R" if rtl else "L") if _has_rtl(line) else line


def _width(text: str, font: Fonts, size: float) -> float:
    total = 0.0
    for name, chars in groupby(text, key=lambda ch: _font_for(ch, font) or font.regular):
        total += pdfmetrics.stringWidth("".join(chars), name, size)
    return total


def _lines(text: str, width: float, font: Fonts, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points, in reading order (before bidi reordering,
    which is done per line: reordering a whole paragraph first would put its end on the first line)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and _width(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def _esc(text: str) -> str:
    """Plain text (a note, a reason) as Paragraph markup: cleaned, right-to-left runs in display order,
    each script in a font that draws it. For one line; a note that wraps goes through ``_text_block``."""
    font = fonts()
    cleaned = clean(text, font)
    return _runs(_visual(cleaned, _is_rtl(cleaned)), font)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a note can never inject reportlab markup)."""
    return Paragraph(_esc(text), style)


def _text_block(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """A paragraph of plain text in any language that may wrap: broken into lines here, then each line put
    in display order, so right-to-left text reads right across every line and is aligned to the right."""
    font = fonts()
    cleaned = clean(text, font)
    rtl = _is_rtl(cleaned)
    if not _has_rtl(cleaned):
        return Paragraph(_runs(cleaned, font), style)
    lines = _lines(cleaned, width - 2, font, style.fontSize)
    markup = "<br/>".join(_runs(_visual(line, rtl), font) for line in lines)
    return Paragraph(markup, ParagraphStyle(f"{style.name}-bidi", parent=style, alignment=TA_RIGHT if rtl else 0))


def _pm(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of our own markup (already escaped where it holds data)."""
    return Paragraph(markup, style)


def _styles() -> dict[str, ParagraphStyle]:
    f = fonts()
    base = ParagraphStyle("base", fontName=f.regular, fontSize=8.6, leading=11, textColor=colors.black)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=f.bold, fontSize=15, leading=18),
        "sub": ParagraphStyle("sub", parent=base, fontSize=8.2, textColor=colors.HexColor("#444444")),
        "h": ParagraphStyle(
            "h",
            parent=base,
            fontName=f.bold,
            fontSize=10.5,
            leading=13,
            spaceBefore=5,
            spaceAfter=2,
            textColor=colors.HexColor("#1a237e"),
        ),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.4, leading=9.2, textColor=colors.HexColor("#444444")),
        "alert": ParagraphStyle("alert", parent=base, fontName=f.bold, textColor=colors.HexColor("#b71c1c")),
    }


# ---- charts ------------------------------------------------------------------------------------------


def _time_axis(
    d: Drawing, x0: float, x1: float, y: float, start: dt.date, end: dt.date, font: Fonts, labels: bool
) -> None:
    span = (end - start).days or 1
    step_months = max(1, round(span / 30 / 6))
    month = dt.date(start.year, start.month, 1)
    ticks = []
    while month <= end:
        if month >= start:
            ticks.append(month)
        total = month.month - 1 + step_months
        month = dt.date(month.year + total // 12, total % 12 + 1, 1)
    if span <= 45:  # short ranges: weekly ticks on Mondays
        first = start + dt.timedelta(days=(7 - start.weekday()) % 7)
        ticks = [first + dt.timedelta(days=7 * k) for k in range((end - first).days // 7 + 1)]
    d.add(Line(x0, y, x1, y, strokeColor=colors.grey, strokeWidth=0.5))
    for tick in ticks:
        x = x0 + (x1 - x0) * (tick - start).days / span
        d.add(Line(x, y, x, y - 2, strokeColor=colors.grey, strokeWidth=0.5))
        if labels:
            text = (
                f"{tick.day} {tick:%b}"
                if span <= 45
                else (f"{tick:%b %Y}" if tick.month == 1 or tick == ticks[0] else f"{tick:%b}")
            )
            d.add(
                String(
                    x,
                    y - 9,
                    text,
                    fontName=font.regular,
                    fontSize=6.5,
                    textAnchor="middle",
                    fillColor=colors.HexColor("#444444"),
                )
            )


def pain_drawing(trends: an.Trends, width: float = CONTENT_W, height: float = 150) -> Drawing:
    f = fonts()
    d = Drawing(width, height)
    x0, x1, y0, y1 = 26, width - 4, 14, height - 6
    start, end = trends.start, trends.end
    span = max((end - start).days, 1)

    def px(day: pd.Timestamp | dt.date) -> float:
        return x0 + (x1 - x0) * (pd.Timestamp(day) - pd.Timestamp(start)).days / span

    def py(value: float) -> float:
        return y0 + (y1 - y0) * value / 10

    for level in range(0, 11, 2):
        d.add(Line(x0, py(level), x1, py(level), strokeColor=colors.HexColor("#e0e0e0"), strokeWidth=0.4))
        d.add(String(x0 - 4, py(level) - 2.3, str(level), fontName=f.regular, fontSize=6.5, textAnchor="end"))
    if trends.baseline is not None:
        base = trends.baseline.mean
        low, high = max(0, base - an.PFP_POINTS), min(10, base + an.PFP_POINTS)
        d.add(Rect(x0, py(low), x1 - x0, py(high) - py(low), fillColor=colors.HexColor("#eeeeee"), strokeColor=None))
        d.add(
            Line(
                x0,
                py(base),
                x1,
                py(base),
                strokeColor=colors.HexColor("#757575"),
                strokeWidth=0.8,
                strokeDashArray=[2, 2],
            )
        )
    if trends.resolution == "day":
        points = trends.days["pain"].dropna()
        radius = 1.6 if len(trends.days) <= 120 else 1.0
    else:
        points = trends.weeks["pain_mean"].dropna()
        points.index = points.index + pd.Timedelta(days=3)
        radius = 1.2
    for day, value in points.items():
        d.add(Circle(px(day), py(float(value)), radius, fillColor=colors.HexColor("#9fa8da"), strokeColor=None))
    mean = trends.days["mean7"]
    if trends.resolution == "week":
        mean = mean[mean.index.day_of_week == 6]
    segment: list[float] = []
    for day, value in mean.items():
        if np.isnan(value):
            if len(segment) >= 4:
                d.add(PolyLine(segment, strokeColor=colors.HexColor("#283593"), strokeWidth=1.4))
            segment = []
            continue
        segment += [px(day), py(float(value))]
    if len(segment) >= 4:
        d.add(PolyLine(segment, strokeColor=colors.HexColor("#283593"), strokeWidth=1.4))
    for day, pain in zip(trends.stops["date"], trends.stops["pain_during"], strict=True):
        value = 10.0 if pd.isna(pain) else float(pain)
        x, y = px(day), py(value)
        d.add(Line(x - 2.2, y - 2.2, x + 2.2, y + 2.2, strokeColor=colors.HexColor("#c62828"), strokeWidth=1))
        d.add(Line(x - 2.2, y + 2.2, x + 2.2, y - 2.2, strokeColor=colors.HexColor("#c62828"), strokeWidth=1))
    _time_axis(d, x0, x1, y0, start, end, f, labels=True)
    return d


def adherence_drawing(trends: an.Trends, width: float = CONTENT_W, height: float = 62) -> Drawing:
    f = fonts()
    d = Drawing(width, height)
    x0, x1, y0, y1 = 26, width - 4, 12, height - 4
    start, end = trends.start, trends.end
    span = max((end - start).days, 1)

    def px(day: pd.Timestamp) -> float:
        return x0 + (x1 - x0) * (day - pd.Timestamp(start)).days / span

    def py(value: float) -> float:
        return y0 + (y1 - y0) * value / 7

    for level in (0, 7):
        d.add(String(x0 - 4, py(level) - 2.3, str(level), fontName=f.regular, fontSize=6.5, textAnchor="end"))
    bar_days = 5.6 if trends.resolution == "day" else 7
    for week, row in trends.weeks.iterrows():
        left = max(px(week), x0)
        right = min(px(week + pd.Timedelta(days=bar_days)), x1)
        if right <= left or row["days_done"] == 0:
            continue
        color = colors.HexColor("#2e7d32") if row["goal_met"] else colors.HexColor("#a5d6a7")
        d.add(Rect(left, y0, right - left, py(row["days_done"]) - y0, fillColor=color, strokeColor=None))
    d.add(
        Line(
            x0,
            py(an.GOAL_DAYS_PER_WEEK),
            x1,
            py(an.GOAL_DAYS_PER_WEEK),
            strokeColor=colors.HexColor("#ef6c00"),
            strokeWidth=0.9,
            strokeDashArray=[3, 2],
        )
    )
    d.add(
        String(
            x1,
            py(an.GOAL_DAYS_PER_WEEK) + 2,
            f"goal {an.GOAL_DAYS_PER_WEEK}",
            fontName=f.regular,
            fontSize=6.5,
            textAnchor="end",
            fillColor=colors.HexColor("#ef6c00"),
        )
    )
    _time_axis(d, x0, x1, y0, start, end, f, labels=False)
    return d


# ---- the page ----------------------------------------------------------------------------------------


def _screening_block(screening: Any | None, clearance: Any | None, s: dict[str, ParagraphStyle]) -> list:
    if screening is None:
        return [_p("No screening recorded.", s["body"])]
    tier = TIER_TEXT.get(screening.tier, str(screening.tier))
    flow = [_pm(f"<b>{_esc(tier)}</b> (taken {day_words(screening.taken_at.date())})", s["body"])]
    reasons = list(screening.reasons or [])
    for reason in reasons[:REASONS_MAX]:
        text = reason.get("reason", "") if isinstance(reason, dict) else str(reason)
        flow.append(_p(f"• {text}", s["small"]))
    if len(reasons) > REASONS_MAX:
        flow.append(_p(f"• and {len(reasons) - REASONS_MAX} more", s["small"]))
    if not reasons:
        flow.append(_p("No warning signs were reported.", s["small"]))
    if (
        screening.tier == Tier.CAUTION
        and clearance is not None
        and is_cleared(caution_reason_ids(reasons), clearance.reason_ids)
    ):
        flow.append(
            _p(
                f"The person confirmed on {day_words(clearance.cleared_at.date())} that a clinician cleared "
                "them to start the routine for these reasons.",
                s["small"],
            )
        )
    return flow


def _change_rows(trends: an.Trends) -> list[list[str]]:
    rows = []
    base = trends.baseline
    if base is not None:
        how = words.REPORT_BASELINE_AUTO if base.source == BaselineSource.AUTO else "range chosen by the patient"
        rows.append(
            [
                "Starting level (baseline)",
                f"{base.mean:.1f} / 10 — {day_words(base.start)} to {day_words(base.end)}, "
                f"{base.entries} entries ({how})",
            ]
        )
    else:
        rows.append(["Starting level (baseline)", words.REPORT_BASELINE_MISSING])
    change = trends.change
    if change is not None:
        cur = change.current
        rows.append(
            [
                f"Current {words.ROLLING_LABEL}",
                f"{cur.mean:.1f} / 10 — {day_words(cur.start)} to {day_words(cur.end)}, {cur.entries} entries",
            ]
        )
        pct = f" ({change.percent:+.0f} %)" if change.percent is not None else ""
        verdict = change.verdict.label + (f": {change.verdict.rule}" if change.verdict.rule else "")
        if change.verdict.borrowed:
            verdict += " — sizes borrowed from improvement studies"
        rows.append(["Change", f"{change.points:+.1f} points{pct}. {verdict}"])
    else:
        rows.append([f"Current {words.ROLLING_LABEL}", words.REPORT_CURRENT_MISSING])
    recent = trends.recent_change
    label = "Recent change" + (f" ({recent.verdict.label.lower()})" if recent else "")
    rows.append([label, words.recent_sentence(recent, change)])
    return rows


def _adherence_text(trends: an.Trends) -> str:
    full = trends.weeks[trends.weeks["complete"]]
    recent = trends.recent
    text = f"Goal: {an.GOAL_DAYS_PER_WEEK} days a week."
    if recent.weeks and recent.start is not None and recent.end is not None:
        text += (
            f" Last {'4 full weeks' if recent.days == 28 else 'full weeks'} (Monday to Sunday, "
            f"{day_words(recent.start)} to {day_words(recent.end)}): {recent.days_done} of {recent.days} days "
            f"(goal {recent.goal_days}), goal met in {recent.weeks_at_goal} of {recent.weeks} weeks; "
            f"{trends.streak.weeks} full week{'s' if trends.streak.weeks != 1 else ''} in a row at goal."
        )
    else:
        text += " No full week (Monday to Sunday) yet."
    if len(full):
        text += (
            f" Whole period: goal met in {int(full['goal_met'].sum())} of {len(full)} full weeks, "
            f"{full['days_done'].mean():.1f} days a week on average."
        )
    return text


def _stops_text(trends: an.Trends) -> str:
    stops = trends.stops.sort_values("date", ascending=False)
    if stops.empty:
        return "None in this period."
    items = []
    for day, pain in zip(stops["date"][:STOPS_LISTED], stops["pain_during"][:STOPS_LISTED], strict=True):
        items.append(f"{day_words(pd.Timestamp(day).date())}" + ("" if pd.isna(pain) else f" (pain {int(pain)})"))
    more = f", and {len(stops) - STOPS_LISTED} more" if len(stops) > STOPS_LISTED else ""
    return f"{len(stops)} session{'s' if len(stops) != 1 else ''} stopped for pain: " + ", ".join(items) + more + "."


# ---- the exercise programme (issue 14) ---------------------------------------------------------------

PROGRAMME_HISTORY_MAX = 8  # level changes listed, newest first; older ones are counted


@dataclass(frozen=True)
class ProgrammeRow:
    """One exercise of the current programme: its level (``level`` of ``max_level``), the level's name and
    its dose in words."""

    exercise_id: str
    kind: str  # "strength" | "stretch"
    level: int
    max_level: int
    level_name: str
    dose: str


@dataclass(frozen=True)
class ProgrammeSummary:
    """The programme for the report: started on ``start``; ``week`` of ``weeks`` on the report's day; each
    exercise at the level its next session uses (everything logged up to and including the report's day
    counted); the level history newest first as (date, exercise id, from level name, to level name, reason);
    sessions logged since the start (``completed``, ``stopped`` for pain)."""

    start: dt.date
    week: int
    weeks: int
    rows: tuple[ProgrammeRow, ...]
    history: tuple[tuple[dt.date, str, str, str, str], ...]
    completed: int
    stopped: int


def programme_summary(store: Any, day: dt.date, programme: Any | None = None) -> ProgrammeSummary | None:
    """The programme of ``store``'s person as of ``day`` (a ``hipknee.store.Store``), or None when it was
    never started or starts after ``day``. The levels and history are ``hipknee.programme``'s rule
    (``plan_from_store`` for the day after ``day``, so the report's own day counts)."""
    from hipknee import programme as prog

    start = store.programme_start()
    if start is None or start.start_date > day:
        return None
    programme = programme or prog.load_programme()
    plan = prog.plan_from_store(store, day + dt.timedelta(days=1), programme)
    view = prog.plan_view(programme, plan, start.settings)
    rules = programme.rules(start.settings)
    chosen = list(start.settings.get("exercises") or programme.exercises)
    rows = []
    for ex_id in chosen:
        ex = programme.exercises[ex_id]
        level = ex.level(plan.progress.levels[ex_id])
        rows.append(
            ProgrammeRow(ex_id, ex.kind, level.number, rules.max_level[ex_id], level.name, prog.dose_words(level.dose))
        )
    week = prog.day_type(programme, start.start_date, day)[0]
    sessions = store.list_programme_sessions(start.start_date, day + dt.timedelta(days=1))
    return ProgrammeSummary(
        start=start.start_date,
        week=week,
        weeks=programme.weeks,
        rows=tuple(rows),
        history=view.history,
        completed=sum(1 for r in sessions if r.status == SessionStatus.COMPLETED),
        stopped=sum(1 for r in sessions if r.status == SessionStatus.STOPPED),
    )


def _programme_block(summary: ProgrammeSummary | None, s: dict[str, ParagraphStyle]) -> list:
    """The report's "Exercise programme" section: the current levels and doses, then the level history."""
    flow: list = [_p("Exercise programme", s["h"])]
    if summary is None:
        return flow + [_p("No exercise programme started.", s["small"])]
    week = (
        f"week {summary.week} of {summary.weeks}"
        if summary.week <= summary.weeks
        else f"the {summary.weeks} weeks are done (week {summary.week}), carrying on"
    )
    flow.append(
        _p(
            f"Started {day_words(summary.start)}; {week}. Sessions logged: {summary.completed} completed, "
            f"{summary.stopped} stopped for pain. Levels below are for the next session (pain-monitored: "
            "up after two comfortable sessions, at most once a week; down after a painful one).",
            s["small"],
        )
    )
    table = Table(
        [[_p("Exercise level", s["small"]), _p("Level", s["small"]), _p("Dose", s["small"])]]
        + [
            [_p(r.level_name, s["small"]), _p(f"{r.level} of {r.max_level}", s["small"]), _p(r.dose, s["small"])]
            for r in summary.rows
        ],
        colWidths=[70 * mm, 20 * mm, CONTENT_W - 90 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor("#dddddd")),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    flow.append(table)
    if not summary.history:
        flow.append(_p("Level changes: none yet.", s["small"]))
        return flow
    flow.append(_p("Level changes, newest first:", s["small"]))
    for day, _ex, before, after, reason in summary.history[:PROGRAMME_HISTORY_MAX]:
        # The rule's sentences name both levels already ("Clamshells moved up to ..."); say them when not.
        text = reason if before in reason and after in reason else f"{before} → {after}. {reason}"
        flow.append(_pm(f"<b>{day_words(day)}</b>: {_esc(text)}", s["small"]))
    more = len(summary.history) - PROGRAMME_HISTORY_MAX
    if more > 0:
        flow.append(_p(f"and {more} earlier change{'s' if more != 1 else ''}.", s["small"]))
    return flow


NOTES_DATE_W = 22 * mm
NOT_SHOWN_NOTE = (
    "Some characters could not be drawn with the fonts on the computer that made this report, so they are "
    "described in square brackets as [not shown: ...]. The app and its CSV export keep the text as written."
)


def _notes_block(trends: an.Trends, s: dict[str, ParagraphStyle]) -> list:
    """The most recent notes, each beside its date, in the person's own language and script."""
    if not trends.notes:
        return [_p("No notes in this period.", s["small"])]
    rows = []
    for day, text in trends.notes[:NOTES_MAX]:
        short = text if len(text) <= NOTE_CHARS else text[: NOTE_CHARS - 1].rstrip() + "…"
        rows.append(
            [_pm(f"<b>{day_words(day)}</b>", s["small"]), _text_block(short, s["small"], CONTENT_W - NOTES_DATE_W)]
        )
    table = Table(rows, colWidths=[NOTES_DATE_W, CONTENT_W - NOTES_DATE_W], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 0.3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [table]


# ---- outcome questionnaires (issue 15): their own section ---------------------------------------------


def _questionnaire_block(rows: Any, s: dict[str, ParagraphStyle]) -> list:
    """First and latest score of each questionnaire, the change and whether it reaches the threshold.

    ``rows`` are ``hipknee.questionnaires.Scored`` (oldest first); nothing when there are none."""
    from hipknee import questionnaires as qn

    rows = list(rows)
    if not rows:
        return []
    flow: list = [_p("Questionnaires", s["h"])]
    for q in qn.load_questionnaires().values():
        scores = qn.scores_of(rows, q.id)
        if not scores:
            continue
        scale = q.scale
        change = qn.change_from_first(q, scores)
        if change is None:
            day, value = scores[0]
            text = f"one score so far: {q.format_score(value)} ({day_words(day)})."
        else:
            sign = "+" if change.change > 0 else "−" if change.change < 0 else "±"
            text = (
                f"first {q.format_score(change.first)} ({day_words(change.first_date)}), latest "
                f"{q.format_score(change.latest)} ({day_words(change.latest_date)}), change "
                f"{sign}{q.format_score(abs(change.change))}: {change.verdict} ({q.mid:g} points)."
            )
        flow.append(_pm(f"<b>{_esc(q.name)}</b> ({_esc(scale)}): {_esc(text)}", s["body"]))
    flow.append(_p("Thresholds: " + " ".join(q.mid_source for q in qn.load_questionnaires().values()), s["small"]))
    return flow


def build_pdf(
    trends: an.Trends,
    screening: Any | None,
    *,
    generated: dt.date,
    clearance: Any | None = None,
    programme: ProgrammeSummary | None = None,
    questionnaires: Any = (),
) -> bytes:
    """The report as PDF bytes. ``screening`` is a ScreeningRecord, ``clearance`` a ClearanceRecord,
    ``programme`` from ``programme_summary`` (None: not started), ``questionnaires`` the scored
    questionnaires (``hipknee.questionnaires.history``)."""
    missing: list[str] = []  # texts in which clean() had to describe characters it could not draw
    token = _MISSING.set(missing)
    try:
        return _build_pdf(
            trends,
            screening,
            generated=generated,
            clearance=clearance,
            programme=programme,
            questionnaires=questionnaires,
        )
    finally:
        _MISSING.reset(token)


def _build_pdf(
    trends: an.Trends,
    screening: Any | None,
    *,
    generated: dt.date,
    clearance: Any | None,
    programme: ProgrammeSummary | None,
    questionnaires: Any,
) -> bytes:
    missing = _MISSING.get()
    s = _styles()
    f = fonts()
    story: list = [
        _p("Knee pain and exercise report", s["title"]),
        _p(
            f"Period {day_words(trends.start)} to {day_words(trends.end)} · {trends.entries_in_range} days "
            f"with a pain rating · made {day_words(generated)} with hipknee from the patient's own records "
            "(self-reported, not a diagnosis).",
            s["sub"],
        ),
        _p("Latest safety screening", s["h"]),
        *_screening_block(screening, clearance, s),
    ]
    if trends.alert is not None:
        story += [Spacer(1, 3), _p(f"{trends.alert.title}. {trends.alert.message}", s["alert"])]
    story += [
        _p("Worst knee pain each day (0–10)", s["h"]),
        _p(
            ("Dots: daily rating" if trends.resolution == "day" else "Dots: weekly average")
            + f"; dark line: {words.REPORT_LINE_NOTE}; dashed line: starting level; "
            f"grey band: starting level ± {an.PFP_POINTS:g} (changes inside it are too small to matter); "
            "red ×: routine stopped for pain.",
            s["small"],
        ),
        pain_drawing(trends),
        Spacer(1, 2),
        _p("Routine days per week", s["h"]),
        adherence_drawing(trends),
        _p(_adherence_text(trends), s["body"]),
        _p("Change against the starting level", s["h"]),
    ]
    table = Table(
        [[_p(a, s["body"]), _p(b, s["body"])] for a, b in _change_rows(trends)],
        colWidths=[42 * mm, CONTENT_W - 42 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (0, -1), f.bold),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.HexColor("#dddddd")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [
        table,
        _p(words.THRESHOLDS_REPORT, s["small"]),
        *_questionnaire_block(questionnaires, s),
        _p("Routine days and next week's pain", s["h"]),
        _p(
            f"{words.association_sentence(trends.association, person='the patient')} {trends.association.caveat}",
            s["body"],
        ),
        _p("Stopped for pain", s["h"]),
        _p(_stops_text(trends), s["body"]),
        *_programme_block(programme, s),
        _p("Most recent notes", s["h"]),
    ]
    story += _notes_block(trends, s)
    if missing:
        story.append(_p(NOT_SHOWN_NOTE, s["small"]))

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Knee pain and exercise report",
        author="hipknee",
        subject="Self-reported knee pain journal",
        creator="hipknee",
    )
    # Shrink (never split) so the report is always exactly one page.
    frame = KeepInFrame(doc.width, doc.height, story, mode="shrink")
    doc.build([frame])
    return out.getvalue()


def report_for_store(
    store: Any,
    *,
    end: dt.date,
    start: dt.date | None = None,
    baseline_range: tuple[dt.date, dt.date] | None = None,
    generated: dt.date | None = None,
) -> bytes:
    """Load this person's data from ``store`` and build the report for ``start``..``end``.

    The association covers the whole history up to ``generated`` (the day the report is made, default
    ``end``), whatever the period, so it matches the Trends page."""
    trends = an.compute_trends(
        store.entries_frame(),
        store.sessions_frame(),
        start=start,
        end=end,
        baseline_range=baseline_range,
        today=max(generated or end, end),
    )
    from hipknee.questionnaires import history

    return build_pdf(
        trends,
        store.latest_screening(),
        generated=generated or end,
        clearance=store.latest_clearance(),
        programme=programme_summary(store, generated or end),
        questionnaires=[r for r in history(store.list_questionnaires()) if r.date <= end],
    )
