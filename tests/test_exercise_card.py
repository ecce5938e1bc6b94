"""The Exercises page's card (hipknee/exercise_card.py): one markdown block per exercise, complete and well formed."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from hipknee.exercise_card import STOP_LEAD, anchor, card_markdown
from hipknee.exercises import dose_text, load_exercises, variants_of


class _Tags(HTMLParser):
    """Checks that every HTML tag the card opens is closed in order (markdown between them is plain text)."""

    VOID = {"br", "img", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.details = 0

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        self.details += tag == "details"

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.mark.parametrize("exercise_id", list(load_exercises()))
def test_each_card_holds_name_picture_dose_steps_tips_and_stop_signs(exercise_id):
    library = load_exercises()
    ex = library[exercise_id]
    card = card_markdown(ex)
    assert card.startswith(f'<article class="hk-card" id="{anchor(ex)}">') and card.endswith("</article>")
    assert f"<h3>{ex.name}</h3>" in card
    assert card.count("<svg") == 1
    svg = card[card.index("<svg"):card.index("</svg>") + len("</svg>")]
    assert ET.fromstring(svg).get("aria-label", "").startswith(ex.name)
    assert dose_text(ex) in card and ex.purpose in card and STOP_LEAD in card
    for i, step in enumerate(ex.steps, start=1):
        assert f"\n{i}. {step}" in card
    for item in (*ex.cues, *ex.mistakes, *ex.stop_signs):
        assert f"- {item}" in card
    assert ("Shown for the left side" in card) == ex.per_side
    tags = _Tags()
    tags.feed(card)
    assert tags.problems == [] and tags.stack == []
    assert tags.details == 3
    # "How to do it" starts open; the other two start closed.
    assert re.findall(r"<details( open)?><summary>([^<]+)</summary>", card) == [
        (" open", "How to do it"), ("", "Tips and mistakes"), ("", "Stop if")]
    # Markdown needs a blank line after each HTML block opener to read the text inside as markdown.
    assert "<summary>How to do it</summary>\n\n1. " in card


def test_a_safer_version_says_what_it_replaces_and_the_main_card_points_to_it():
    library = load_exercises()
    main = library["pigeon"]
    (variant,) = variants_of(library, "pigeon")
    card = card_markdown(variant, variant_of=main)
    assert f"Safer version of the {main.name.lower()}" in card
    assert "Need a gentler option?" not in card
    assert "Need a gentler option?" in card_markdown(main)


def test_names_are_escaped_into_html():
    library = load_exercises()
    ex = library["clamshell"]
    odd = type(ex)(**{**ex.__dict__, "name": "Clam <b>shell</b> & co"})
    card = card_markdown(odd)
    assert "<h3>Clam &lt;b&gt;shell&lt;/b&gt; &amp; co</h3>" in card
