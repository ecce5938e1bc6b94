"""The Trends page's six summary cards, as one block of plain HTML.

What each card says comes from ``hipknee.trends_text`` (one source for the page, the report and the CLI);
this module only lays it out. One HTML block instead of six metrics in bordered columns because every element
costs the browser a render, and ``st.metric`` alone fetches about 60 KB of number-formatting code: the
cards cost Trends about 0.1x of a hello-world page load (issue 18). The page draws the block with ``st.html``,
which every page already uses for its styles, so nothing new is fetched.

Every text is escaped here: nothing in a card becomes markup, whatever a value holds. The change is said in
words and with an arrow, never by colour alone (WCAG 1.4.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from hipknee import trends_text as words
from hipknee.thresholds import RECENT_DAYS, ROLLING_DAYS

if TYPE_CHECKING:
    from hipknee.analysis import Trends

# A thin border like st.container(border=True); two cards a row (values like "Much better" need the room), one
# a row on a phone. ``currentColor`` keeps borders and secondary text readable in light and dark themes.
SUMMARY_STYLES = """
.hk-summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 18rem), 1fr));
  gap: 1rem; margin: 0 0 1rem; }
.hk-stat { border: 1px solid color-mix(in srgb, currentColor 20%, transparent); border-radius: 0.5rem;
  padding: 0.75rem 1rem; }
.hk-stat p { margin: 0 0 0.25rem; }
.hk-stat .hk-stat-label { font-size: 0.875rem; }
.hk-stat .hk-stat-value { font-size: 2rem; line-height: 1.25; font-weight: 600; }
.hk-stat .hk-stat-delta { font-weight: 600; }
.hk-stat .hk-stat-caption { font-size: 0.875rem; opacity: 0.8; }
.hk-stat details { font-size: 0.875rem; margin-top: 0.25rem; }
.hk-stat summary { cursor: pointer; }
.hk-stat summary:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; border-radius: 4px; }
"""
HELP_SUMMARY = "How this is worked out"
ASSOCIATION_TITLE = "Routine days and your pain"
RECENT_LABEL = f"Change, last {RECENT_DAYS // 7} weeks" if RECENT_DAYS % 7 == 0 else f"Change, last {RECENT_DAYS} days"


@dataclass(frozen=True)
class Card:
    """One summary card: ``value`` large under ``label``; ``delta`` (e.g. "-2.1 points (-35%)") under it."""

    label: str
    value: str
    caption: str
    delta: str | None = None
    help: str | None = None


def _arrow(delta: str) -> str:
    # Lower pain reads as "down"; the words ("Better", "Worse") carry the meaning, the arrow only the direction.
    if delta.startswith("-"):
        return "▼ "
    if delta.startswith("+") and not delta.startswith("+0.0"):
        return "▲ "
    return ""


def trends_cards(trends: Trends) -> list[Card]:
    """The six cards of the Trends page for ``trends`` (hipknee.analysis.Trends), in reading order."""
    current, change, recent = trends.current, trends.change, trends.recent_change
    cards = [
        Card(
            f"Pain, last {ROLLING_DAYS} days",
            f"{current.mean:.1f} / 10" if current else "—",
            f"Average of {current.entries} ratings." if current else words.CURRENT_MISSING,
            help=words.CURRENT_HELP,
        )
    ]
    if change is not None:
        cards.append(
            Card(
                "Change since the start",
                change.verdict.label,
                words.change_caption(change),
                words.points_and_percent(change.points, change.percent),
                words.THRESHOLDS_SHORT,
            )
        )
    else:
        cards.append(
            Card(
                "Change since the start",
                "—",
                words.CHANGE_MISSING if trends.baseline else words.BASELINE_MISSING,
                help=words.THRESHOLDS_SHORT,
            )
        )
    if recent is not None:
        cards.append(
            Card(
                RECENT_LABEL,
                recent.verdict.label,
                words.recent_sentence(recent, change),
                words.points_and_percent(recent.points, recent.percent),
                words.RECENT_HELP,
            )
        )
    else:
        cards.append(Card(RECENT_LABEL, "—", words.RECENT_MISSING, help=words.RECENT_HELP))
    label, value, caption = words.routine_card(trends.recent)
    cards.append(Card(label, value, caption, help=words.ROUTINE_HELP))
    streak = trends.streak
    cards.append(
        Card(
            "Full weeks in a row at goal",
            f"{streak.weeks} week{'s' if streak.weeks != 1 else ''}",
            words.this_week(streak.this_week_days),
            help=words.STREAK_HELP,
        )
    )
    return cards


def _card_html(card: Card) -> str:
    parts = [
        f'<p class="hk-stat-label">{escape(card.label)}</p>',
        f'<p class="hk-stat-value">{escape(card.value)}</p>',
    ]
    if card.delta:
        parts.append(f'<p class="hk-stat-delta">{_arrow(card.delta)}{escape(card.delta)}</p>')
    parts.append(f'<p class="hk-stat-caption">{escape(card.caption)}</p>')
    if card.help:
        parts.append(f"<details><summary>{HELP_SUMMARY}</summary><p>{escape(card.help)}</p></details>")
    return '<div class="hk-stat">' + "".join(parts) + "</div>"


def summary_html(cards: list[Card], association_sentence: str) -> str:
    """The cards, then the routine-and-pain sentence in a card of its own, as one ``<section>`` with every text
    escaped. Render with ``st.html``."""
    last = (
        f'<div class="hk-stat"><p><strong>{ASSOCIATION_TITLE}</strong></p><p>{escape(association_sentence)}</p></div>'
    )
    return '<section class="hk-summary" aria-label="Summary">' + "".join(map(_card_html, cards)) + last + "</section>"
