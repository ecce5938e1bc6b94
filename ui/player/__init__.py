"""The routine player: a client-side ``st.components.v2`` component.

Its code (``static/player/player.js``) and styles (``static/player/player.css``) are plain files served by
Streamlit's static file serving (``[server] enableStaticServing`` in .streamlit/config.toml) at
``/app/static/player/``, so the browser downloads them once and keeps them: the component itself carries
only a few lines that import the module by URL (with a content hash, so a new version is fetched), the
player's markup (``player.html`` here, which must be there when it mounts) and the plan as ``data``.
Before, all 37 KB travelled inside the websocket again on every change of a routine option.

The timing lives in ``static/player/timeline.js``, an ES module that ``node --test`` imports (tests/js);
player.js imports it from the same folder (served files resolve relative imports, unlike the Blob URL that
inline component JS runs from). The version in the URL is a hash of every file there.

Python hands it the whole plan once (``data``); the browser runs every second of it and reports back only
at step boundaries, as the state value ``progress`` (see ``hipknee.routines.parse_progress``). Mount it
inside an ``st.fragment`` so those reports rerun only the fragment.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import streamlit as st

from hipknee.exercises import pose_svg
from hipknee.routines import Plan, Progress, parse_progress

_HERE = Path(__file__).parent
STATIC_DIR = _HERE.parent.parent / "static" / "player"
COMPONENT_NAME = "hipknee_routine_player"

# Loads the player module once per page (the browser's module map and HTTP cache keep it) and hands it each
# mount's arguments in order. The component API wants a cleanup function at once: this one forwards to the
# player's own when it has loaded.
_LOADER = """const SRC = %s;
let loading = null;

// The player starts once its stylesheet (a <link> in the markup) has loaded, so it never shows unstyled.
function styled(parent) {
  const link = parent.querySelector('link[rel="stylesheet"]');
  if (!link || link.sheet) return Promise.resolve();
  return new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
}

export default function (args) {
  loading = loading || import(new URL(SRC, window.location.href).href);
  let cleanup = null;
  let gone = false;
  Promise.all([loading, styled(args.parentElement)]).then(
    ([module]) => { if (!gone) cleanup = module.default(args); },
    (error) => console.error("hipknee: the routine player could not be loaded", error),
  );
  return () => { gone = true; if (typeof cleanup === "function") cleanup(); };
}
"""


def static_url(name: str) -> str:
    """The served URL path of ``static/player/<name>``, versioned by a hash of every file in that folder
    (player.js passes its version on to timeline.js), so a browser's cached copies never mix versions."""
    digest = hashlib.sha256(
        b"".join(path.read_bytes() for path in sorted(STATIC_DIR.iterdir()) if path.is_file())
    ).hexdigest()[:12]
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{'/' + base if base else ''}/app/static/player/{name}?v={digest}"


_render = st.components.v2.component(
    COMPONENT_NAME,
    # Hidden until the player has started (it sets data-ready), after its stylesheet loaded.
    html=f'<link rel="stylesheet" href="{static_url("player.css")}">\n'
    "<style>.hk-player:not([data-ready]) { visibility: hidden; }</style>\n"
    + (_HERE / "player.html").read_text(encoding="utf-8"),
    js=_LOADER % json.dumps(static_url("player.js")),
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
