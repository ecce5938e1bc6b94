"""The routine player: a client-side ``st.components.v2`` component (player.js/.css/.html in this folder).

Python hands it the whole plan once (``data``); the browser runs every second of it and reports back only
at step boundaries, as the state value ``progress`` (see ``hipknee.routines.parse_progress``). Mount it
inside an ``st.fragment`` so those reports rerun only the fragment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from hipknee.exercises import pose_svg
from hipknee.routines import Plan, Progress, parse_progress

_HERE = Path(__file__).parent
COMPONENT_NAME = "hipknee_routine_player"

_render = st.components.v2.component(
    COMPONENT_NAME,
    html=(_HERE / "player.html").read_text(encoding="utf-8"),
    css=(_HERE / "player.css").read_text(encoding="utf-8"),
    js=(_HERE / "player.js").read_text(encoding="utf-8"),
)


def player_data(plan: Plan, *, title: str = "") -> dict[str, Any]:
    """Everything the player needs, JSON-ready: the steps with their offsets and one picture per pose."""
    svgs: dict[str, str] = {}
    for step in plan.steps:
        side = step.side or "left"
        key = f"{step.exercise_id}:{side}"
        if key not in svgs:
            svgs[key] = pose_svg(step.exercise_id, side=side)
    return {
        "plan_id": plan.plan_id,
        "title": title,
        "total_seconds": plan.total_seconds,
        "work_steps": len(plan.work_steps),
        "steps": [step.as_dict() for step in plan.steps],
        "svgs": svgs,
    }


def routine_player(plan: Plan, *, key: str = "routine_player", title: str = "") -> Progress | None:
    """Mount the player; return its latest report (None before Start, or if the report is malformed)."""
    result = _render(
        key=key,
        data=player_data(plan, title=title),
        on_progress_change=lambda: None,
        width="stretch",
        height="content",
    )
    return parse_progress(getattr(result, "progress", None))
