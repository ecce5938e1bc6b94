"""One exercise of the library as a single block of markdown: the Exercises page shows one element per exercise.

Why one block: every Streamlit element costs the browser a render, and a card built from a container,
columns, three tabs and their texts was about fifteen elements; fifteen exercises made the page the slowest
to open (issue 18). The card keeps the same content: the name (an ``<h3>``; the card carries the anchor), the
moving picture, what it is for, how much, the key tip, and three disclosures ("How to do it" open, "Tips
and mistakes", "Stop if") drawn with native ``<details>``, which work with the keyboard and screen readers
without any script. The picture and the words sit side by side and wrap one under the other on a narrow
screen (``CARD_STYLES``, added once per page by ui/a11y.py).

Everything here comes from data/exercises.toml, our own validated content (never from a person, a URL or a
file they chose), so it may carry markdown; names and the anchor go into HTML escaped all the same.
"""

from __future__ import annotations

from html import escape

from hipknee.exercises import Exercise, dose_text, pose_svg

PER_SIDE_NOTE = "Shown for the left side: the left leg (blue) works. Swap sides and repeat."
STOP_LEAD = "Stop the exercise, and see a professional if it doesn't settle, when you notice:"

# The card's look: a thin border like st.container(border=True), picture and words in two columns that wrap.
# content-visibility: the browser skips laying out and painting cards out of view, so fifteen moving pictures
# cost what the two on screen cost, while the page opens and while it scrolls (issue 18: about 0.06x of the
# page-load goal). The size stands in for a card not yet drawn; "auto" keeps the real one once it was.
CARD_STYLES = """
.hk-card { border: 1px solid color-mix(in srgb, currentColor 20%, transparent); border-radius: 0.5rem;
  padding: 0.75rem 1rem; margin-bottom: 0.5rem; content-visibility: auto; contain-intrinsic-size: auto 40rem; }
.hk-card h3 { padding-top: 0.25rem; }
.hk-card-body { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 16rem), 1fr));
  gap: 1rem; align-items: start; }
.hk-card details { margin-top: 0.25rem; }
.hk-card summary { cursor: pointer; font-weight: 600; padding: 0.25rem 0; }
.hk-card summary:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; border-radius: 4px; }
"""


def anchor(ex: Exercise) -> str:
    """The card's URL fragment: ``/exercises#side-lying-clamshell`` style, from the exercise id."""
    return ex.id.replace("_", "-")


def _bullets(items: tuple[str, ...]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _details(summary: str, body: str, *, open_: bool = False) -> str:
    # Blank lines around the body: CommonMark then reads it as markdown between two HTML blocks.
    return f"<details{' open' if open_ else ''}><summary>{escape(summary)}</summary>\n\n{body}\n\n</details>"


def card_markdown(ex: Exercise, *, variant_of: Exercise | None = None) -> str:
    """The whole card for ``ex`` as markdown with inline HTML (render with ``unsafe_allow_html=True``).

    ``variant_of`` marks ``ex`` as the safer version of that exercise. Raises ValueError as ``pose_svg`` does
    for an exercise missing from the library.
    """
    # The anchor sits on the card: Streamlit gives every heading its own id made from the heading's words.
    parts = [f'<article class="hk-card" id="{escape(anchor(ex))}">\n\n<h3>{escape(ex.name)}</h3>']
    if variant_of is not None:
        parts.append(
            f":green-badge[:material/shield: Safer version of the {variant_of.name.lower()}] {ex.choose_variant_when}"
        )
    side_note = f"<p><small>{escape(PER_SIDE_NOTE)}</small></p>" if ex.per_side else ""
    words = [ex.purpose, f":material/timer: **How much:** {dose_text(ex)}", f"**Key tip:** {ex.cues[0]}"]
    if variant_of is None and ex.choose_variant_when:
        words.append(f":material/shield: **Need a gentler option?** {ex.choose_variant_when}")
    parts.append(
        f'<div class="hk-card-body"><div class="hipknee-picture">{pose_svg(ex.id, size=420)}{side_note}</div>\n'
        "<div>\n\n" + "\n\n".join(words) + "\n\n</div></div>"
    )
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(ex.steps, start=1))
    parts.append(_details("How to do it", steps, open_=True))
    parts.append(_details("Tips and mistakes", f"**Do**\n{_bullets(ex.cues)}\n\n**Avoid**\n{_bullets(ex.mistakes)}"))
    parts.append(_details("Stop if", f"{STOP_LEAD}\n\n{_bullets(ex.stop_signs)}"))
    parts.append("</article>")
    return "\n\n".join(parts)
