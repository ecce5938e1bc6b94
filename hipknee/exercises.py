"""The exercise library: instructions, dosing and a picture for every exercise, loaded from data/exercises.toml.

Every exercise is data. ``load_exercises`` reads and validates the TOML file and returns the exercises in file
order; any problem raises ``ExerciseDataError`` naming the file, the exercise id and the field.

Pictures: each exercise stores a stick-figure pose (joint coordinates) and ``pose_svg`` draws it as a small,
self-contained SVG. Coordinates live in a fixed 240 x 180 frame, x to the right, y *up* from the floor (y = 0).
"near" joints belong to the side being worked (the ``side`` you ask for); a side-view pose faces right and
shows the left side, and ``side="right"`` mirrors it. Lines use ``currentColor`` so the figure takes the text
colour of the page (light or dark theme); one accent colour marks where the exercise should be felt.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from hipknee.content import ContentError, read_toml
from hipknee.paths import DATA_DIR

EXERCISES_PATH = DATA_DIR / "exercises.toml"

KINDS = ("warmup", "stretch", "strength")
# Every id other features refer to (the routine presets, the screener's tailoring, the report).
REQUIRED_IDS = (
    "warm_up", "hip_flexor", "butterfly", "pigeon", "it_band", "clamshell", "bridge", "hip_extension",
    "half_kneeling_hip_flexor", "standing_hip_flexor", "figure_four",
)
ARTICLE_ROUTINE = ("hip_flexor", "butterfly", "pigeon", "it_band")
STRENGTH_ROUTINE = ("clamshell", "bridge", "hip_extension")
FULL_ROUTINE = ("warm_up",) + STRENGTH_ROUTINE + ARTICLE_ROUTINE

STRETCH_HOLD_RANGE = (30, 60)  # seconds per hold, per side: the article's "30 seconds to a minute"
WARMUP_HOLD_RANGE = (60, 900)
REPS_RANGE = (1, 50)
SETS_RANGE = (1, 10)
REST_RANGE = (0, 300)
SECONDS_PER_REP_RANGE = (1, 20)

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_STRING_FIELDS = ("name", "purpose")
_LIST_FIELDS = ("steps", "cues", "mistakes", "stop_signs")
_KNOWN_FIELDS = {
    "id", "name", "kind", "per_side", "hold_seconds", "reps", "seconds_per_rep", "sets", "rest_seconds",
    "purpose", "steps", "cues", "mistakes", "stop_signs", "replaces", "suggested_when",
    "choose_variant_when", "pose",
}


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    kind: str  # "warmup" | "stretch" | "strength"
    per_side: bool
    hold_seconds: int | None  # timed exercises (stretches 30..60, warm_up 300); None for reps
    reps: int | None  # reps per set for strength exercises; None for holds
    seconds_per_rep: int  # pace of one rep (strength); 0 for holds
    sets: int
    rest_seconds: int  # rest between sets; 0 if none
    purpose: str
    steps: tuple[str, ...]
    cues: tuple[str, ...]  # cues[0] is the one the player shows
    mistakes: tuple[str, ...]
    stop_signs: tuple[str, ...]
    replaces: str | None  # for safer variants: the id this one stands in for
    suggested_when: str | None  # screener tailoring id that suggests this variant, or None
    choose_variant_when: str  # when to pick the safer variant ("" if none)


class ExerciseDataError(ContentError):
    """The exercise file is missing, unreadable or breaks a rule; the message names file, id and field."""


# --------------------------------------------------------------------------------------------------------
# Poses
# --------------------------------------------------------------------------------------------------------

FRAME_W, FRAME_H = 240, 180
FLOOR_Y = 170  # SVG y of the floor line (pose y = 0)
HEAD_RADIUS = 9
MIN_VIEW_H = 100
X_RANGE = (4, FRAME_W - 4)
Y_RANGE = (-6, FLOOR_Y - 6)

JOINTS = (
    "head", "neck", "hip",
    "near_elbow", "near_hand", "far_elbow", "far_hand",
    "near_knee", "near_ankle", "near_toe", "far_knee", "far_ankle", "far_toe",
)
LIMBS = {
    "near_arm": ("neck", "near_elbow", "near_hand"),
    "far_arm": ("neck", "far_elbow", "far_hand"),
    "near_leg": ("hip", "near_knee", "near_ankle", "near_toe"),
    "far_leg": ("hip", "far_knee", "far_ankle", "far_toe"),
}
SEGMENTS = {
    "torso": ("neck", "hip"),
    "near_upper_arm": ("neck", "near_elbow"), "near_forearm": ("near_elbow", "near_hand"),
    "far_upper_arm": ("neck", "far_elbow"), "far_forearm": ("far_elbow", "far_hand"),
    "near_thigh": ("hip", "near_knee"), "near_shin": ("near_knee", "near_ankle"),
    "near_foot": ("near_ankle", "near_toe"),
    "far_thigh": ("hip", "far_knee"), "far_shin": ("far_knee", "far_ankle"), "far_foot": ("far_ankle", "far_toe"),
}
VIEWS = ("side", "front")
POSTURES = ("standing", "kneeling", "sitting", "lying")
PROP_KINDS = ("mat", "pad", "chair")
ACCENT = "#f0883e"  # warm orange: readable on white and on Streamlit's dark background

_POSE_FIELDS = set(JOINTS) | {"view", "posture", "behind", "accent", "arrows", "props"}


@dataclass(frozen=True)
class Arrow:
    start: tuple[float, float]
    end: tuple[float, float]
    bend: float  # sideways bulge as a fraction of the length (0 = straight; sign picks the side)


@dataclass(frozen=True)
class Prop:
    kind: str  # "mat" | "pad" | "chair"
    x: float  # mat/pad: left edge; chair: the post of the chair back
    width: float  # mat/pad: length along the floor; chair: seat depth (negative = seat to the left)
    height: float  # pad: thickness; chair: height of the back; mat: ignored


@dataclass(frozen=True)
class Pose:
    joints: dict[str, tuple[float, float]]
    view: str  # "side" | "front"
    posture: str  # "standing" | "kneeling" | "sitting" | "lying"
    behind: tuple[str, ...]  # limbs drawn faded, behind the body
    accent: tuple[str, ...]  # segments or joints marked as "feel it here"
    arrows: tuple[Arrow, ...]
    props: tuple[Prop, ...]


def _fail(path: Path, where: str, message: str) -> ExerciseDataError:
    return ExerciseDataError(f"{path}: {where}: {message}")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _point(path: Path, where: str, name: str, value: Any) -> tuple[float, float]:
    if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)):
        raise _fail(path, where, f"field 'pose.{name}' must be [x, y] (two numbers), got {value!r}")
    x, y = float(value[0]), float(value[1])
    if not (X_RANGE[0] <= x <= X_RANGE[1] and Y_RANGE[0] <= y <= Y_RANGE[1]):
        raise _fail(
            path, where,
            f"field 'pose.{name}' = {value!r} is outside the picture (x {X_RANGE[0]}..{X_RANGE[1]}, "
            f"y {Y_RANGE[0]}..{Y_RANGE[1]})",
        )
    return x, y


def parse_pose(raw: Any, path: Path, where: str) -> Pose:
    """Validate one ``pose`` table; ``where`` names the exercise in error messages."""
    if not isinstance(raw, dict):
        raise _fail(path, where, "field 'pose' is missing (every exercise needs a picture)")
    unknown = sorted(set(raw) - _POSE_FIELDS)
    if unknown:
        raise _fail(path, where, f"unknown field(s) in 'pose': {', '.join(unknown)}")
    missing = [j for j in JOINTS if j not in raw]
    if missing:
        raise _fail(path, where, f"field 'pose' is missing joint(s): {', '.join(missing)}")
    joints = {name: _point(path, where, name, raw[name]) for name in JOINTS}
    if joints["head"][1] + HEAD_RADIUS > FLOOR_Y - 2:
        raise _fail(path, where, f"field 'pose.head' is too high: the head would be cut off (y at most "
                                 f"{FLOOR_Y - 2 - HEAD_RADIUS})")
    view = raw.get("view", "side")
    if view not in VIEWS:
        raise _fail(path, where, f"field 'pose.view' must be one of {', '.join(VIEWS)}, got {view!r}")
    posture = raw.get("posture")
    if posture not in POSTURES:
        raise _fail(path, where, f"field 'pose.posture' must be one of {', '.join(POSTURES)}, got {posture!r}")
    behind = raw.get("behind", ["far_arm", "far_leg"] if view == "side" else [])
    if not isinstance(behind, list) or any(b not in LIMBS for b in behind):
        raise _fail(path, where, f"field 'pose.behind' must list limbs from {', '.join(LIMBS)}, got {behind!r}")
    accent = raw.get("accent", [])
    allowed = set(SEGMENTS) | set(JOINTS)
    if not isinstance(accent, list) or any(a not in allowed for a in accent):
        bad = [a for a in accent if a not in allowed] if isinstance(accent, list) else accent
        raise _fail(path, where, f"field 'pose.accent' has unknown segment or joint name(s): {bad!r}")
    arrows = []
    for i, a in enumerate(raw.get("arrows", [])):
        if not isinstance(a, dict) or set(a) - {"from", "to", "bend"} or not {"from", "to"} <= set(a):
            raise _fail(path, where, f"field 'pose.arrows[{i}]' must be {{from = [x, y], to = [x, y], bend = n}}")
        bend = a.get("bend", 0)
        if not _number(bend) or abs(bend) > 1:
            raise _fail(path, where, f"field 'pose.arrows[{i}].bend' must be a number from -1 to 1")
        arrows.append(Arrow(_point(path, where, f"arrows[{i}].from", a["from"]),
                            _point(path, where, f"arrows[{i}].to", a["to"]), float(bend)))
    props = []
    for i, p in enumerate(raw.get("props", [])):
        if not isinstance(p, dict) or p.get("kind") not in PROP_KINDS:
            raise _fail(path, where, f"field 'pose.props[{i}].kind' must be one of {', '.join(PROP_KINDS)}")
        if set(p) - {"kind", "x", "width", "height"} or not all(_number(p.get(k, 0)) for k in ("x", "width", "height")):
            raise _fail(path, where, f"field 'pose.props[{i}]' takes numbers x, width, height only")
        if "x" not in p or "width" not in p:
            raise _fail(path, where, f"field 'pose.props[{i}]' needs x and width")
        props.append(Prop(p["kind"], float(p["x"]), float(p["width"]), float(p.get("height", 0))))
    return Pose(joints, view, posture, tuple(behind), tuple(accent), tuple(arrows), tuple(props))


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _arrow_svg(a: Arrow, tf) -> str:
    (x1, y1), (x2, y2) = tf(a.start), tf(a.end)
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    # Control point: the midpoint pushed sideways by bend x length.
    cx, cy = (x1 + x2) / 2 - dy / length * a.bend * length, (y1 + y2) / 2 + dx / length * a.bend * length
    # Direction of the curve at its end, for the arrowhead.
    tx, ty = x2 - cx, y2 - cy
    tl = math.hypot(tx, ty) or 1.0
    ux, uy = tx / tl, ty / tl
    size = 7.0
    left = (x2 - ux * size - uy * size * 0.6, y2 - uy * size + ux * size * 0.6)
    right = (x2 - ux * size + uy * size * 0.6, y2 - uy * size - ux * size * 0.6)
    return (
        f'<path d="M{_fmt(x1)} {_fmt(y1)} Q{_fmt(cx)} {_fmt(cy)} {_fmt(x2 - ux * 3)} {_fmt(y2 - uy * 3)}" '
        f'fill="none" stroke="{ACCENT}" stroke-width="2.5" stroke-linecap="round"/>'
        f'<polygon points="{_fmt(x2)},{_fmt(y2)} {_fmt(left[0])},{_fmt(left[1])} '
        f'{_fmt(right[0])},{_fmt(right[1])}" fill="{ACCENT}"/>'
    )


def _prop_svg(p: Prop, mirror: bool) -> str:
    def x(v: float) -> float:
        return FRAME_W - v if mirror else v

    if p.kind == "mat":
        x1, x2 = sorted((x(p.x), x(p.x + p.width)))
        return (f'<rect x="{_fmt(x1)}" y="{FLOOR_Y - 3}" width="{_fmt(x2 - x1)}" height="3" rx="1.5" '
                f'fill="currentColor" fill-opacity="0.18"/>')
    if p.kind == "pad":
        x1, x2 = sorted((x(p.x), x(p.x + p.width)))
        h = p.height or 8
        return (f'<rect x="{_fmt(x1)}" y="{_fmt(FLOOR_Y - h)}" width="{_fmt(x2 - x1)}" height="{_fmt(h)}" '
                f'rx="3" fill="{ACCENT}" fill-opacity="0.35" stroke="{ACCENT}" stroke-width="1.5"/>')
    # chair: a back post of the given height at x, a seat at 45 reaching `width` from the post, two legs.
    post, seat_end = x(p.x), x(p.x + p.width)
    top = FLOOR_Y - (p.height or 90)
    seat = FLOOR_Y - 45
    return (
        f'<g fill="none" stroke="currentColor" stroke-opacity="0.5" stroke-width="3" stroke-linecap="round">'
        f'<path d="M{_fmt(post)} {FLOOR_Y} L{_fmt(post)} {_fmt(top)}"/>'
        f'<path d="M{_fmt(post)} {seat} L{_fmt(seat_end)} {seat} L{_fmt(seat_end)} {FLOOR_Y}"/></g>'
    )


def render_pose(pose: Pose, *, mirror: bool = False, size: int = 240, label: str = "") -> str:
    """The pose as a self-contained <svg> string (width ``size`` px at most; shrinks with its container)."""
    def tf(p: tuple[float, float]) -> tuple[float, float]:
        x, y = p
        return (FRAME_W - x if mirror else x), FLOOR_Y - y

    j = {name: tf(p) for name, p in pose.joints.items()}

    def polyline(names: tuple[str, ...]) -> str:
        return " ".join(f"{_fmt(j[n][0])},{_fmt(j[n][1])}" for n in names)

    # Crop empty sky: the picture keeps the floor and reaches just above the highest point (at least
    # MIN_VIEW_H tall), so lying poses are not lost in a tall empty box; the scale stays the same for all.
    highest = max([y + (HEAD_RADIUS if n == "head" else 0) for n, (_, y) in pose.joints.items()]
                  + [max(a.start[1], a.end[1]) for a in pose.arrows]
                  + [p.height for p in pose.props if p.kind == "chair"])
    top = max(0.0, min(FLOOR_Y - highest - 10, FRAME_H - MIN_VIEW_H))
    view_h = FRAME_H - top
    height = round(size * view_h / FRAME_W)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {_fmt(top)} {FRAME_W} {_fmt(view_h)}" width="{size}" '
        f'height="{height}" style="max-width:100%;height:auto;display:block" role="img" '
        f'aria-label="{escape(label)}" class="hipknee-pose">',
        f"<title>{escape(label)}</title>",
    ]
    parts += [_prop_svg(p, mirror) for p in pose.props if p.kind == "mat"]
    parts.append(f'<line x1="2" y1="{FLOOR_Y}" x2="{FRAME_W - 2}" y2="{FLOOR_Y}" stroke="currentColor" '
                 f'stroke-opacity="0.35" stroke-width="2" stroke-linecap="round"/>')
    parts += [_prop_svg(p, mirror) for p in pose.props if p.kind != "mat"]
    # Accent glow under the body: where the stretch or the effort should be felt.
    for name in pose.accent:
        if name in SEGMENTS:
            a, b = SEGMENTS[name]
            parts.append(f'<polyline points="{polyline((a, b))}" fill="none" stroke="{ACCENT}" '
                         f'stroke-opacity="0.55" stroke-width="15" stroke-linecap="round"/>')
        else:
            x, y = j[name]
            parts.append(f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="10" fill="{ACCENT}" fill-opacity="0.55"/>')
    line = 'fill="none" stroke="currentColor" stroke-linecap="round" stroke-linejoin="round"'
    for limb in pose.behind:
        parts.append(f'<polyline points="{polyline(LIMBS[limb])}" {line} stroke-width="5" stroke-opacity="0.4"/>')
    # Neck: from the shoulder point towards the head, stopping at the head's edge.
    (nx, ny), (hx, hy) = j["neck"], j["head"]
    d = math.hypot(hx - nx, hy - ny) or 1.0
    reach = max(d - HEAD_RADIUS, 0) / d
    body = [f'<polyline points="{_fmt(nx + (hx - nx) * reach)},{_fmt(ny + (hy - ny) * reach)} '
            f'{polyline(("neck", "hip"))}" {line} stroke-width="6.5"/>']
    for limb in LIMBS:
        if limb not in pose.behind:
            body.append(f'<polyline points="{polyline(LIMBS[limb])}" {line} stroke-width="6"/>')
    parts += body
    parts.append(f'<circle cx="{_fmt(hx)}" cy="{_fmt(hy)}" r="{HEAD_RADIUS}" fill="currentColor"/>')
    parts += [_arrow_svg(a, tf) for a in pose.arrows]
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------------------


def _text_list(path: Path, where: str, field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise _fail(path, where, f"field '{field}' must be a non-empty list of sentences")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise _fail(path, where, f"field '{field}[{i}]' must be non-empty text")
    return tuple(item.strip() for item in value)


def _int_in(path: Path, where: str, field: str, value: Any, bounds: tuple[int, int]) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not bounds[0] <= value <= bounds[1]:
        raise _fail(path, where, f"field '{field}' must be a whole number from {bounds[0]} to {bounds[1]}, "
                                 f"got {value!r}")
    return value


def _parse_exercise(raw: dict[str, Any], index: int, path: Path, common_stops: tuple[str, ...]) -> Exercise:
    ex_id = raw.get("id")
    if not isinstance(ex_id, str) or not _ID_RE.match(ex_id):
        raise _fail(path, f"exercise #{index + 1}", f"field 'id' must be a lower-case identifier, got {ex_id!r}")
    where = f"exercise '{ex_id}'"
    unknown = sorted(set(raw) - _KNOWN_FIELDS)
    if unknown:
        raise _fail(path, where, f"unknown field(s): {', '.join(unknown)}")
    for field in _STRING_FIELDS:
        if not isinstance(raw.get(field), str) or not raw[field].strip():
            raise _fail(path, where, f"field '{field}' must be non-empty text")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise _fail(path, where, f"field 'kind' must be one of {', '.join(KINDS)}, got {kind!r}")
    if not isinstance(raw.get("per_side"), bool):
        raise _fail(path, where, "field 'per_side' must be true or false")
    hold, reps = raw.get("hold_seconds"), raw.get("reps")
    if kind == "strength":
        if hold is not None:
            raise _fail(path, where, "field 'hold_seconds' must be left out for a strength exercise (use reps)")
        reps = _int_in(path, where, "reps", reps, REPS_RANGE)
        pace = _int_in(path, where, "seconds_per_rep", raw.get("seconds_per_rep"), SECONDS_PER_REP_RANGE)
    else:
        if reps is not None:
            raise _fail(path, where, f"field 'reps' must be left out for a {kind} (use hold_seconds)")
        hold = _int_in(path, where, "hold_seconds", hold,
                       STRETCH_HOLD_RANGE if kind == "stretch" else WARMUP_HOLD_RANGE)
        pace = _int_in(path, where, "seconds_per_rep", raw.get("seconds_per_rep", 0), (0, 0))
    sets = _int_in(path, where, "sets", raw.get("sets"), SETS_RANGE)
    rest = _int_in(path, where, "rest_seconds", raw.get("rest_seconds", 0), REST_RANGE)
    lists = {field: _text_list(path, where, field, raw.get(field)) for field in _LIST_FIELDS if field != "stop_signs"}
    own_stops = _text_list(path, where, "stop_signs", raw["stop_signs"]) if "stop_signs" in raw else ()
    stop_signs = own_stops + common_stops
    if not stop_signs:
        raise _fail(path, where, "field 'stop_signs' is empty and the file has no common_stop_signs")
    replaces, suggested = raw.get("replaces"), raw.get("suggested_when")
    if replaces is not None and (not isinstance(replaces, str) or not _ID_RE.match(replaces)):
        raise _fail(path, where, f"field 'replaces' must be an exercise id, got {replaces!r}")
    if suggested is not None:
        if replaces is None:
            raise _fail(path, where, "field 'suggested_when' only makes sense on a variant (set 'replaces')")
        if not isinstance(suggested, str) or not _ID_RE.match(suggested):
            raise _fail(path, where, f"field 'suggested_when' must be a tailoring id, got {suggested!r}")
    choose = raw.get("choose_variant_when", "")
    if not isinstance(choose, str):
        raise _fail(path, where, "field 'choose_variant_when' must be text")
    parse_pose(raw.get("pose"), path, where)
    return Exercise(
        id=ex_id, name=raw["name"].strip(), kind=kind, per_side=raw["per_side"], hold_seconds=hold, reps=reps,
        seconds_per_rep=pace, sets=sets, rest_seconds=rest, purpose=" ".join(raw["purpose"].split()),
        steps=lists["steps"], cues=lists["cues"], mistakes=lists["mistakes"], stop_signs=stop_signs,
        replaces=replaces, suggested_when=suggested, choose_variant_when=" ".join(choose.split()),
    )


def _load(path: Path) -> tuple[dict[str, Exercise], dict[str, Pose]]:
    data = read_toml(path, ExerciseDataError)
    unknown = sorted(set(data) - {"exercise", "common_stop_signs"})
    if unknown:
        raise ExerciseDataError(f"{path}: unknown top-level field(s): {', '.join(unknown)}")
    common = _text_list(path, "top level", "common_stop_signs", data["common_stop_signs"]) \
        if "common_stop_signs" in data else ()
    items = data.get("exercise")
    if not isinstance(items, list) or not items:
        raise ExerciseDataError(f"{path}: no [[exercise]] entries")
    exercises: dict[str, Exercise] = {}
    poses: dict[str, Pose] = {}
    for index, raw in enumerate(items):
        ex = _parse_exercise(raw, index, path, common)
        if ex.id in exercises:
            raise _fail(path, f"exercise '{ex.id}'", "field 'id' is used twice")
        exercises[ex.id] = ex
        poses[ex.id] = parse_pose(raw["pose"], path, f"exercise '{ex.id}'")
    missing = [i for i in REQUIRED_IDS if i not in exercises]
    if missing:
        raise ExerciseDataError(f"{path}: required exercise(s) missing: {', '.join(missing)}")
    seen_suggestions: dict[tuple[str, str], str] = {}
    for ex in exercises.values():
        where = f"exercise '{ex.id}'"
        if ex.replaces is not None:
            target = exercises.get(ex.replaces)
            if target is None:
                raise _fail(path, where, f"field 'replaces' names {ex.replaces!r}, which is not in the file")
            if target.id == ex.id or target.replaces is not None:
                raise _fail(path, where, f"field 'replaces' must name a main exercise, not {ex.replaces!r}")
            if target.kind != ex.kind or target.per_side != ex.per_side:
                raise _fail(path, where, f"field 'replaces': a variant must be the same kind and per_side as "
                                         f"{target.id!r}")
            if not ex.choose_variant_when:
                raise _fail(path, where, "field 'choose_variant_when' must say when to choose this variant")
            if not target.choose_variant_when:
                raise _fail(path, f"exercise '{target.id}'",
                            f"field 'choose_variant_when' must say when to switch to {ex.id!r}")
            if ex.suggested_when is not None:
                key = (ex.replaces, ex.suggested_when)
                if key in seen_suggestions:
                    raise _fail(path, where, f"field 'suggested_when': {seen_suggestions[key]!r} is already "
                                             f"suggested for {ex.replaces!r} when {ex.suggested_when!r}")
                seen_suggestions[key] = ex.id
    return exercises, poses


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> tuple[dict[str, Exercise], dict[str, Pose]]:
    return _load(Path(path))


def _library(path: Path | None) -> tuple[dict[str, Exercise], dict[str, Pose]]:
    path = Path(path) if path is not None else EXERCISES_PATH
    try:
        mtime = path.stat().st_mtime
    except OSError:
        return _load(path)  # raises a clear "file not found"/"cannot read"
    return _cached(str(path), mtime)


def load_exercises(path: Path | None = None) -> dict[str, Exercise]:
    """Every exercise in the file, by id, in file order. Raises ExerciseDataError on bad data."""
    return dict(_library(path)[0])


def load_poses(path: Path | None = None) -> dict[str, Pose]:
    return dict(_library(path)[1])


def variants_of(exercises: dict[str, Exercise], exercise_id: str) -> list[Exercise]:
    """The safer variants that stand in for ``exercise_id`` (file order)."""
    return [e for e in exercises.values() if e.replaces == exercise_id]


def pick_variant(exercises: dict[str, Exercise], exercise_id: str, tailoring: frozenset[str] | set[str]) -> Exercise:
    """The exercise to do in place of ``exercise_id`` given the screener's tailoring ids (itself if none)."""
    for variant in variants_of(exercises, exercise_id):
        if variant.suggested_when is not None and variant.suggested_when in tailoring:
            return variant
    return exercises[exercise_id]


def dose_text(ex: Exercise) -> str:
    """How much, in words: "Hold 30 s on each side (build up to 60 s)", "2 sets of 12 on each side"."""
    side = " on each side" if ex.per_side else ""
    if ex.kind == "strength":
        rest = f", resting {ex.rest_seconds} s between sets" if ex.rest_seconds and ex.sets > 1 else ""
        sets = f"{ex.sets} sets of {ex.reps}" if ex.sets > 1 else f"{ex.reps} reps"
        return f"{sets}{side}{rest}"
    hold = ex.hold_seconds
    assert hold is not None  # every timed exercise (warm-up, stretch) has one: checked when the library loads
    if ex.kind == "warmup":
        minutes = hold // 60
        return f"{minutes} minutes" if hold % 60 == 0 else f"{hold} s"
    low, high = STRETCH_HOLD_RANGE
    build = f" (build up to {high} s as it gets easier)" if hold < high else ""
    times = f", {ex.sets} times" if ex.sets > 1 else ""
    return f"Hold {hold} s{side}{times}{build}"


def pose_svg(exercise_id: str, *, side: str = "left", size: int = 240) -> str:
    """A self-contained <svg> of the exercise's position (``side`` mirrors per-side exercises)."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    if not isinstance(size, int) or isinstance(size, bool) or not 16 <= size <= 4000:
        raise ValueError(f"size must be a whole number of pixels from 16 to 4000, got {size!r}")
    exercises, poses = _library(None)
    if exercise_id not in exercises:
        raise ValueError(f"no exercise with id {exercise_id!r} in {EXERCISES_PATH}")
    ex = exercises[exercise_id]
    mirror = ex.per_side and side == "right"
    label = f"{ex.name}" + (f", {side} side" if ex.per_side else "")
    return render_pose(poses[exercise_id], mirror=mirror, size=size, label=label)
