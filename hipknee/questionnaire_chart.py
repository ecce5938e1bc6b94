"""Small charts of questionnaire scores over time, with the change that matters (issue 15). Pure Plotly.

Kept out of ``hipknee.questionnaires`` so the CLI never imports Plotly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import plotly.graph_objects as go

from hipknee.questionnaires import Questionnaire

SCORE_COLOR = "#3949ab"
THRESHOLD_COLOR = "#2e7d32"
FIRST_COLOR = "rgba(110, 110, 110, 0.9)"


def threshold_line(questionnaire: Questionnaire, first: float) -> float | None:
    """The score a change must reach to count as better (first score + MID for the AKPS, - MID for the PEG),
    or None when that lies outside the scale (a first AKPS above 90 cannot improve by 10)."""
    target = first + questionnaire.mid if questionnaire.higher_is_better else first - questionnaire.mid
    return target if questionnaire.score_min <= target <= questionnaire.score_max else None


def score_chart(questionnaire: Questionnaire, scores: Sequence[tuple[dt.date, float]]) -> go.Figure:
    """Scores (dates, oldest first) as dots and a line on the questionnaire's full range, with a dashed line
    at the first score and a green dotted line where a change would reach the threshold."""
    dates = [d for d, _ in scores]
    values = [v for _, v in scores]
    fig = go.Figure(
        go.Scatter(
            x=dates,
            y=values,
            mode="lines+markers",
            name=questionnaire.short,
            line={"color": SCORE_COLOR, "width": 2},
            marker={"size": 8},
            hovertemplate="%{x|%d %b %Y}: %{y}<extra></extra>",
        )
    )
    if values:
        first = values[0]
        fig.add_hline(y=first, line={"color": FIRST_COLOR, "dash": "dash", "width": 1})
        target = threshold_line(questionnaire, first)
        if target is not None:
            fig.add_hline(
                y=target,
                line={"color": THRESHOLD_COLOR, "dash": "dot", "width": 1.5},
                annotation_text=f"better by {questionnaire.mid:g}",
                annotation_position="top left",
            )
    pad = (questionnaire.score_max - questionnaire.score_min) * 0.05
    fig.update_layout(
        height=220,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        showlegend=False,
        yaxis={
            "range": [questionnaire.score_min - pad, questionnaire.score_max + pad],
            "title": {"text": "higher is better" if questionnaire.higher_is_better else "lower is better"},
        },
        xaxis={"type": "date"},
    )
    return fig
