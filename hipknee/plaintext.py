"""Untrusted text shown as plain text: in Streamlit's Markdown, in HTML tables, in the PDF, and cut short in
messages.

Text that comes from outside the app's own code (a link's query parameters, an imported file, a note, a
login claim, the database, an exception message quoting any of these) must never turn into markup.

``md(text)`` turns such text into Markdown *source* that Streamlit 1.67 renders as exactly that text. It is
for every place that takes Markdown: ``st.markdown``, ``st.caption``, ``st.error``/``warning``/``info``/
``success`` bodies, ``st.toast``, widget labels. It must NOT be used for places that already show plain
text (``st.dataframe`` cells, ``st.text``, ``st.code``, ``format_func`` results), where the escapes would
show. What it neutralises, and why each step is needed (checked in Chromium against Streamlit 1.67, see
tests/browser/test_plaintext.py):

- CommonMark/GFM syntax (emphasis, links, images, raw HTML, headings, quotes, lists, code, tables,
  strikethrough, footnotes, entities) and remark-math's ``$...$``: every ASCII punctuation character is
  backslash-escaped (CommonMark allows this for all of them), so each is parsed as a literal character.
- Line structure: line breaks, tabs and runs of spaces become one space (HTML shows them so anyway), so no
  line can start a block (an indented code block, a setext heading, a table row).
- Rewrites that Streamlit and remark apply to the *parsed text*, after escapes are gone, so escaping cannot
  stop them: ``:material/icon:`` icons (Streamlit even rewrites the raw source), emoji shortcodes such as
  ``:smile:``, ``:streamlit:``, GFM's bare-URL and e-mail autolinks (``https://…``, ``www.…``, ``a@b.org``),
  and the typographic arrows Streamlit makes of `` -> `` and friends. Each is broken by an invisible
  U+2060 WORD JOINER after the ``:`` or ``@``, after ``www``, and between the two arrow characters, so
  the text reads exactly as typed but no longer matches.
- Control characters other than whitespace (and the bidirectional overrides, which can make text read
  backwards) are shown as escapes such as ``\\x1b`` or ``\\u202e`` instead of acting.

Directives such as ``:red[x]`` and ``:help[x]`` are stopped by the escaped ``:`` and ``[``.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from xml.sax.saxutils import escape as _xml_escape

from hipknee.errors import BIDI_CONTROLS
from hipknee.errors import shorten as shorten  # re-exported: one way to cut a quoted value

WORD_JOINER = "\u2060"

# Every ASCII punctuation character: CommonMark lets a backslash escape each of them.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WHITESPACE = re.compile(r"[ \t\n\r\f\v\u0085\u2028\u2029]+")
# Unicode bidirectional controls: they reorder how the text around them reads.
_BIDI = BIDI_CONTROLS
# Where Streamlit/remark rewrite already-parsed text. Positions are in the raw text, before escaping.
_BREAK_AFTER = re.compile(r"(?<=[:@])|(?<=www)(?=\.)|(?<=[<>~-])(?=[>=-])", re.IGNORECASE)


def _visible_controls(text: str) -> str:
    """Control characters (except whitespace) and bidi overrides as visible escapes, e.g. ``\\x1b``."""
    out = []
    for ch in text:
        if ch in _BIDI or (not ch.isprintable() and not _WHITESPACE.fullmatch(ch)):
            out.append(ch.encode("unicode_escape").decode("ascii"))
        else:
            out.append(ch)
    return "".join(out)


def _one_line(value: object) -> str:
    """``str(value)`` with control characters as visible escapes and every whitespace run as one space."""
    return _WHITESPACE.sub(" ", _visible_controls(str(value)))


def md(value: object) -> str:
    """Markdown source that Streamlit renders as exactly ``str(value)``, on one line, and never as markup.

    Whitespace runs (line breaks included) become one space; see the module docstring for the rest.
    Use it only where Streamlit reads Markdown; it is safe to embed the result anywhere inside our own
    Markdown (it never ends in a lone backslash and never opens or closes a construct).
    """
    text = WORD_JOINER.join(_BREAK_AFTER.split(_one_line(value)))
    return _PUNCTUATION.sub(r"\\\1", text)


def pdf(value: object) -> str:
    """Text for a reportlab ``Paragraph``, which parses its own XML-like markup (``<font>``, ``<a>``,
    ``<img>``, entities): ``&``, ``<`` and ``>`` are escaped so everything shows literally."""
    return _xml_escape(str(value))


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value == ""
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except TypeError:  # pandas' NA: its comparisons are neither true nor false
        return True


def html_table(
    columns: list[str] | tuple[str, ...], rows: list[list[object]] | list[tuple[object, ...]], *, missing: str = "—"
) -> str:
    """A plain HTML table (for ``st.html``) whose every header and cell shows exactly its text, never markup.

    A real ``<table>`` with column headers (``<th scope="col">``), so a screen reader reads it as a table; it
    reflows on a phone (``hk-table`` in ui/a11y.py) and needs none of the interactive grid's or Arrow's code.
    Not Markdown: Streamlit's Markdown parser made the Journal's two tables cost about 0.1x of a hello-world
    page load (30 alternating rounds, issue 18), and as HTML they cost about nothing. Text is shown as ``md``
    shows it: control characters as escapes, whitespace runs as one space. ``None``, NaN, NaT, pandas' NA and
    empty cells show ``missing``. Raises ValueError when a row's length differs from the header's.
    """

    def text(value: object) -> str:
        return _html_escape(_one_line(value).strip())

    def cell(value: object) -> str:
        return ("" if _missing(value) else text(value)) or text(missing)

    head = "".join(f'<th scope="col">{text(c)}</th>' for c in columns)
    body = []
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a table row has {len(row)} cells for {len(columns)} columns")
        body.append("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
    return f'<table class="hk-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
