"""The routine player: a client-side ``st.components.v2`` component (player.js/.css/.html in this folder).

The timing lives in ``timeline.js``, an ES module that ``node --test`` imports (tests/js). Components v2
loads inline JS from a Blob URL, where ``import ... from "./timeline.js"`` cannot resolve, so
``player_script()`` inlines that module in place of the import and serves one script.

Python hands it the whole plan once (``data``); the browser runs every second of it and reports back only
at step boundaries, as the state value ``progress`` (see ``hipknee.routines.parse_progress``). Mount it
inside an ``st.fragment`` so those reports rerun only the fragment.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import streamlit as st

from hipknee.exercises import pose_svg
from hipknee.routines import Plan, Progress, parse_progress

_HERE = Path(__file__).parent
COMPONENT_NAME = "hipknee_routine_player"
# Names are imported plainly (no `as`): inlining puts the module's own names in scope.
_IMPORT = re.compile(r'^import \{(?P<names>[\w\s,]*)\} from "\./(?P<file>[\w-]+\.js)";\n', re.MULTILINE)
_EXPORT = re.compile(r"^export (?=(?:const|let|function|class) )", re.MULTILINE)


def player_script() -> str:
    """player.js with each ``import {…} from "./x.js";`` replaced by x.js, its ``export`` keywords dropped.

    Raises ValueError if a module uses a form this does not handle (``export default``, ``export {…}``,
    or imports of its own), so a new construct fails at import time rather than in the browser.
    """

    def inline(match: re.Match[str]) -> str:
        name = match.group("file")
        if re.search(r"\bas\b", match.group("names")):
            raise ValueError(f"player.js: import names from {name} as they are; renames cannot be inlined")
        text = (_HERE / name).read_text(encoding="utf-8")
        if re.search(r"^\s*(import\b|export\s+(default|\{|\*))", text, re.MULTILINE):
            raise ValueError(f"{name}: only `export const/let/function/class` can be inlined")
        return f"// ---- {name} (inlined) ----\n{_EXPORT.sub('', text)}// ---- end of {name} ----\n"

    script = _IMPORT.sub(inline, (_HERE / "player.js").read_text(encoding="utf-8"))
    if re.search(r"^import\b", script, re.MULTILINE):
        raise ValueError("player.js: an import that player_script() cannot inline (use `import { a, b }`)")
    return script


_render = st.components.v2.component(
    COMPONENT_NAME,
    html=(_HERE / "player.html").read_text(encoding="utf-8"),
    css=(_HERE / "player.css").read_text(encoding="utf-8"),
    js=player_script(),
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
