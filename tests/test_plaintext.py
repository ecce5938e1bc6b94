"""hipknee.plaintext: untrusted text never becomes markup (issue 11, part 1).

``md`` is checked against a real CommonMark/GFM parser (markdown-it-py with linkify, tables,
strikethrough, task lists, footnotes and dollar math, which is what Streamlit's renderer understands), and
against the rewrites Streamlit 1.67 applies to parsed text (material icons, emoji, autolinks, arrows), whose
patterns are copied below from its frontend bundle. tests/browser/test_plaintext.py checks the real thing.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph

from hipknee.errors import SHOWN_MAX_CHARS
from hipknee.exercises import load_exercises
from hipknee.plaintext import WORD_JOINER, html_table, md, pdf, shorten
from hipknee.routines import parse_query
from tests.helpers import md_unescape
from tests.markup_payloads import CONTROL_PAYLOADS, PAYLOADS
from tests.shown_html import parse_tables

# Streamlit 1.67 (StreamlitMarkdown.js) and mdast-util-gfm-autolink-literal, applied to parsed text.
TEXT_REWRITES = {
    "material icon": re.compile(r":material[/_](\w+):"),
    "emoji shortcode": re.compile(r":[\w+-][\w_+-]*:"),
    "streamlit logo": re.compile(r":streamlit:"),
    "bare URL": re.compile(r"(https?://|www(?=\.))", re.IGNORECASE),
    "e-mail": re.compile(r"[-.\w+]+@[-\w]+(?:\.[-\w]+)+", re.ASCII),
    "arrow": re.compile(r"(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)"),
    "directive": re.compile(r":[a-z][a-z0-9-]*\["),
}


def parser() -> MarkdownIt:
    m = MarkdownIt("gfm-like").use(dollarmath_plugin).use(footnote_plugin).use(tasklists_plugin)
    m.linkify.set({"fuzzy_link": False})  # GFM links bare www./http(s)/e-mail only
    return m


MARKDOWN = parser()


def folded(text: str) -> str:
    """What ``md`` promises to show: whitespace runs as one space (leading/trailing dropped by HTML)."""
    return " ".join(text.split())


def rendered_text(source: str) -> str:
    """The source rendered by a GFM parser; fails unless it is one paragraph of text and nothing else."""
    out = MARKDOWN.render(source).strip()
    if not out:
        return ""
    match = re.fullmatch(r"<p>(.*)</p>", out, re.DOTALL)
    assert match, f"not a single plain paragraph: {out!r}"
    inner = match.group(1)
    assert "<" not in inner, f"markup in the output: {out!r}"
    return html.unescape(inner)


def test_payload_list_really_is_markup() -> None:
    """Without the helper, the parser makes markup of almost every payload (the list tests something)."""
    unchanged = [p for p in PAYLOADS if MARKDOWN.render(p).strip() == f"<p>{html.escape(p, quote=False)}</p>"]
    assert len(unchanged) <= 8, unchanged  # the rest are Streamlit-only rewrites, checked below


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_renders_as_the_same_plain_text(payload: str) -> None:
    shown = rendered_text(md(payload))
    assert shown.replace(WORD_JOINER, "") == folded(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_leaves_nothing_for_streamlit_text_rewrites(payload: str) -> None:
    shown = rendered_text(md(payload))
    for name, pattern in TEXT_REWRITES.items():
        assert not pattern.search(shown), f"{name} would still be rewritten in {shown!r}"
    # ...while Streamlit's own pre-pass on the raw source (":material/" -> ":material_") finds nothing.
    assert ":material/" not in md(payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_md_inside_our_own_markdown(payload: str) -> None:
    """Embedded in a message with our own bold text, the payload cannot close or open anything."""
    out = MARKDOWN.render(f"**Nothing was imported.** {md(payload)} *Try again.*").strip()
    body = out.removeprefix("<p><strong>Nothing was imported.</strong> ").removesuffix(
        " <em>Try again.</em></p>"
    )
    assert "<" not in body, out
    assert folded(html.unescape(body).replace(WORD_JOINER, "")) == folded(payload)


def test_md_examples() -> None:
    assert md("pain 5-6 (ok)") == r"pain 5\-6 \(ok\)"  # still reads naturally
    assert md("  two\n\nlines\t ") == " two lines "
    assert md("") == ""
    assert md(42) == "42"
    assert md("a\\") == "a\\\\"  # never a lone trailing backslash that would escape what follows
    assert md("x:y") == f"x\\:{WORD_JOINER}y"


@pytest.mark.parametrize("payload", CONTROL_PAYLOADS)
def test_md_shows_control_characters_as_escapes(payload: str) -> None:
    shown = rendered_text(md(payload))
    assert shown.isprintable()
    assert shown.replace(WORD_JOINER, "") == payload.encode("unicode_escape").decode("ascii")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_md_round_trips_any_text(text: str) -> None:
    source = md(text)
    assert "\n" not in source
    visible = md_unescape(source)
    if text.isprintable() or not text:
        assert visible == re.sub(r"[ \t\n\r\f\v\u0085\u2028\u2029]+", " ", text)
    if all(c.isprintable() or c in " \t\n\r" for c in text):
        assert rendered_text(source).replace(WORD_JOINER, "") == folded(visible)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="*_~`$[]()!<>:/@.#|-=\\ \nahttpswmorgilx12", max_size=40))
def test_md_markdown_alphabet(text: str) -> None:
    """Text made only of Markdown's special characters still renders as itself."""
    shown = rendered_text(md(text))
    assert shown.replace(WORD_JOINER, "") == folded(text)
    for name, pattern in TEXT_REWRITES.items():
        assert not pattern.search(shown), (name, text)


ELLIPSIS = "…"


def test_shorten() -> None:
    assert shorten("short") == "short"
    assert shorten("x" * SHOWN_MAX_CHARS) == "x" * SHOWN_MAX_CHARS
    cut = shorten("y" * 500)
    assert cut == "y" * (SHOWN_MAX_CHARS - 1) + ELLIPSIS + " (500 characters)"  # never more of the input
    assert shorten("abcdef", 4) == "abc" + ELLIPSIS + " (6 characters)"
    assert shorten("date\r,notes\n") == "date\\r,notes\\n"  # a stray line end is visible
    assert shorten("a\u202eb") == "a\\u202eb"  # a right-to-left override cannot reorder the message
    assert shorten(str(12345678901234567890), 10).startswith("123456789" + ELLIPSIS)


@pytest.mark.parametrize(
    "payload",
    [*PAYLOADS, "<font color=red>x</font>", "<a href='https://example.org'>x</a>", "<img src='x.png'/>",
     "<b>bold", "&nbsp; &bogus; &#9999999;", "<br/>", "<para>x</para>", "]]> <![CDATA[x]]>"],
)
def test_pdf_text_is_literal_for_reportlab(payload: str) -> None:
    para = Paragraph(pdf(payload), getSampleStyleSheet()["Normal"])
    words = "".join(frag.text for frag in para.frags)
    assert words == payload.replace("\n", " ") or " ".join(words.split()) == " ".join(payload.split())
    assert all(not getattr(frag, "link", None) for frag in para.frags)
    assert all(getattr(frag, "textColor", None) == para.style.textColor for frag in para.frags)
    ElementTree.fromstring(f"<x>{pdf(payload)}</x>")  # well-formed: only text


def test_link_messages_quote_at_most_80_characters_of_a_value() -> None:
    library = load_exercises()
    params = {"exercises": ",".join(["x" * 300, "w" * 300]), "hold": "y" * 300, "sets": "v" * 300,
              "warmup": "z" * 300}
    messages = parse_query(params, library).messages
    assert len(messages) == 5
    for message in messages:
        assert not re.search(r"([xwyvz])\1{80}", message), message


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_table_cells_are_plain_text(payload: str) -> None:
    """A note in a Journal table: one table of the given shape, every cell exactly its text, no markup."""
    source = html_table(["Date", "Notes"], [["1 Dec 2026", payload], ["30 Nov 2026", None]])
    tables, tags = parse_tables(source)
    assert tags <= {"thead", "tbody", "tr", "th", "td"}, source
    assert source.count("<table") == 1 and len(tables) == 1, source
    assert tables[0] == [["Date", "Notes"], ["1 Dec 2026", folded(payload) or "—"], ["30 Nov 2026", "—"]]


@pytest.mark.parametrize("payload", CONTROL_PAYLOADS)
def test_html_table_shows_control_characters_as_escapes(payload: str) -> None:
    (table,), _ = parse_tables(html_table(["Notes"], [[payload]]))
    assert table[1] == [payload.encode("unicode_escape").decode("ascii")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S")), st.just(" ")),
               max_size=60))
def test_html_table_round_trips_any_printable_text(text: str) -> None:
    # Letters, marks, numbers, punctuation, symbols and spaces (markup characters included) read back as typed.
    (table,), tags = parse_tables(html_table(["Notes"], [[text]]))
    assert tags <= {"thead", "tbody", "tr", "th", "td"}
    assert table[1] == [folded(text) or "—"]


def test_html_table_missing_values_shape_and_headers() -> None:
    import numpy as np
    import pandas as pd

    source = html_table(["a", "b", "c"], [[pd.NA, np.nan, 0], [pd.NaT, "", "x"]])
    assert parse_tables(source)[0] == [[["a", "b", "c"], ["—", "—", "0"], ["—", "—", "x"]]]
    assert source.count('<th scope="col">') == 3  # a screen reader announces each cell's column
    with pytest.raises(ValueError, match="2 cells for 3 columns"):
        html_table(["a", "b", "c"], [[1, 2]])
