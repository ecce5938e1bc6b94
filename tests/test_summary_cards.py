"""The Trends summary cards (hipknee/summary_cards.py): what each card says, and nothing in them becomes markup."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

from hipknee import analysis as an
from hipknee import demo
from hipknee import trends_text as words
from hipknee.summary_cards import ASSOCIATION_TITLE, HELP_SUMMARY, Card, summary_html, trends_cards
from tests.markup_payloads import PAYLOADS
from tests.shown_html import _Cards

TODAY = dt.date(2026, 11, 30)


class _Tags(HTMLParser):
    """Every tag the block opens, and whether they close in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _trends(store, days: int, seed: int) -> an.Trends:
    demo.fill(store, days, seed=seed, end=TODAY)
    return an.trends_for_range(store.entries_frame(), store.sessions_frame(), "3m", TODAY, None)


def test_six_cards_say_what_the_analysis_found(store):
    trends = _trends(store, 120, 3)
    cards = trends_cards(trends)
    assert [c.label for c in cards][:3] == ["Pain, last 7 days", "Change since the start", "Change, last 2 weeks"]
    assert cards[-1].label == "Full weeks in a row at goal"
    assert cards[0].value == f"{trends.current.mean:.1f} / 10"
    assert cards[1].value == trends.change.verdict.label
    assert cards[1].delta == words.points_and_percent(trends.change.points, trends.change.percent)
    assert cards[2].caption == words.recent_sentence(trends.recent_change, trends.change)
    assert all(card.help for card in cards)  # every number says how it is worked out

    block = summary_html(cards, trends.association.sentence)
    parser = _Cards()
    parser.feed(block)
    labels = [text for cls, text in parser.found if cls == "hk-stat-label"]
    assert labels == [c.label for c in cards]
    shown = " ".join(parser.text)
    assert ASSOCIATION_TITLE in shown and trends.association.sentence in shown
    assert block.count(f"<summary>{HELP_SUMMARY}</summary>") == len(cards)


def test_a_missing_recent_change_shows_a_dash_and_says_why(store):
    trends = _trends(store, 10, 1)  # too short for two fortnights
    cards = {c.label: c for c in trends_cards(trends)}
    assert cards["Change, last 2 weeks"].value == "—" and cards["Change, last 2 weeks"].caption == words.RECENT_MISSING


@pytest.mark.parametrize("delta, arrow", [("-2.1 points (-35%)", "▼ "), ("+1.4 points", "▲ "), ("+0.0 points", "")])
def test_the_change_has_an_arrow_as_well_as_words(delta, arrow):
    block = summary_html([Card("Change", "Better", "From 5.0 to 3.0.", delta)], "No link.")
    assert f'<p class="hk-stat-delta">{arrow}{delta}</p>' in block


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_text_in_a_card_becomes_markup(payload):
    block = summary_html([Card(payload, payload, payload, payload, payload)], payload)
    parser = _Tags()
    parser.feed(block)
    assert parser.problems == [] and parser.stack == []
    assert set(parser.tags) <= {"section", "div", "p", "strong", "details", "summary"}
    text = _Cards()
    text.feed(block)
    assert "".join(t for cls, t in text.found if cls == "hk-stat-label") == payload  # shown as typed
