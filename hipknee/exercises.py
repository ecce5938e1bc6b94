"""The exercise library: instructions, dosing and a picture for every exercise, loaded from data/exercises.toml.

Every exercise is data. ``load_exercises`` reads and validates the TOML file and returns the exercises in file
order; any problem raises ``ExerciseDataError`` naming the file, the exercise id and the field.

Pictures: each exercise stores a stick-figure pose (joint coordinates) and ``pose_svg`` draws it as a small,
self-contained SVG. Coordinates live in a fixed 240 x 180 frame, x to the right, y *up* from the floor (y = 0).
"near" joints belong to the side being worked (the ``side`` you ask for); a side-view pose faces right and
shows the left side, and ``side="right"`` mirrors it. Lines use ``currentColor`` so the figure takes the text
colour of the page (light or dark theme); one accent colour marks where the exercise should be felt.

Movement: a pose may give ``start`` and/or ``end`` tables of joints that differ from its main joints, so the
picture shows the start position and the end (or hold) position, animated between them with SMIL
``<animate>`` (no script). A second, still copy is shown instead when the reader has asked for less motion
(``prefers-reduced-motion: reduce``): the start position for strength moves, the end (hold) position for
stretches and the warm-up. Per-side exercises draw the working ("near") leg in ``WORK_COLOUR`` and say which
leg works in words (``<title>``, ``aria-label`` and a small legend); ``working_side_text`` ties that to the
instructions (it must appear in the steps). A programme level may carry its own pose (``PoseSchema``) and
pass it to ``pose_svg(..., pose=...)``; without one, the exercise's pose is used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, StrictFloat, StrictStr, field_validator, model_validator

from hipknee.content import Bool, ContentError, Id, Int, Problem, Schema, Text, load_content
from hipknee.paths import DATA_DIR

EXERCISES_PATH = DATA_DIR / "exercises.toml"

KINDS = ("warmup", "stretch", "strength")
# Where the body is during an exercise (issue 17): a change between two exercises gets a longer pause
# (hipknee.routines.pause_before). floor_back = lying on the back, prone = lying on the front.
POSITIONS = ("standing", "sitting", "kneeling", "floor_back", "side_lying", "prone")
# Every id other features refer to (the routine presets, the screener's tailoring, the report).
REQUIRED_IDS = (
    "warm_up",
    "hip_flexor",
    "butterfly",
    "pigeon",
    "it_band",
    "clamshell",
    "bridge",
    "hip_extension",
    "half_kneeling_hip_flexor",
    "standing_hip_flexor",
    "figure_four",
)

STRETCH_HOLD_RANGE = (30, 60)  # seconds per hold, per side: the article's "30 seconds to a minute"
WARMUP_HOLD_RANGE = (60, 900)
REPS_RANGE = (1, 50)
SETS_RANGE = (1, 10)
REST_RANGE = (0, 300)
SECONDS_PER_REP_RANGE = (1, 20)


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    kind: str  # "warmup" | "stretch" | "strength"
    per_side: bool
    position: str  # one of POSITIONS
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
    "head",
    "neck",
    "hip",
    "near_elbow",
    "near_hand",
    "far_elbow",
    "far_hand",
    "near_knee",
    "near_ankle",
    "near_toe",
    "far_knee",
    "far_ankle",
    "far_toe",
)
LIMBS = {
    "near_arm": ("neck", "near_elbow", "near_hand"),
    "far_arm": ("neck", "far_elbow", "far_hand"),
    "near_leg": ("hip", "near_knee", "near_ankle", "near_toe"),
    "far_leg": ("hip", "far_knee", "far_ankle", "far_toe"),
}
SEGMENTS = {
    "torso": ("neck", "hip"),
    "near_upper_arm": ("neck", "near_elbow"),
    "near_forearm": ("near_elbow", "near_hand"),
    "far_upper_arm": ("neck", "far_elbow"),
    "far_forearm": ("far_elbow", "far_hand"),
    "near_thigh": ("hip", "near_knee"),
    "near_shin": ("near_knee", "near_ankle"),
    "near_foot": ("near_ankle", "near_toe"),
    "far_thigh": ("hip", "far_knee"),
    "far_shin": ("far_knee", "far_ankle"),
    "far_foot": ("far_ankle", "far_toe"),
}
VIEWS = ("side", "front")
POSTURES = ("standing", "kneeling", "sitting", "lying")
PROP_KINDS = ("mat", "pad", "chair")
ACCENT = "#d4651f"  # warm orange with 3:1 or more on white (3.7:1) and on the dark background (4.9:1)
# The working leg: a blue with at least 3:1 contrast (WCAG 2.1 SC 1.4.11, non-text contrast) on white
# (4.0:1) and on Streamlit's dark background #0e1117 (4.7:1); the legend says the same thing in words.
WORK_COLOUR = "#2b7de9"
MOTION_SECONDS = 4  # one cycle: move out, hold, come back, pause
# Fraction of the cycle at each key frame (start, end, end, start, start) and the easing between them.
MOTION_KEY_TIMES = "0;0.35;0.6;0.9;1"
MOTION_SPLINES = "0.4 0 0.6 1;0 0 1 1;0.4 0 0.6 1;0 0 1 1"
# Shown with the SVG; the rules are global but only touch these two classes, so many pictures can share them.
MOTION_CSS = (
    ".hk-pose-still{display:none}"
    "@media (prefers-reduced-motion: reduce){.hk-pose-move{display:none}.hk-pose-still{display:inline}}"
)
FRAMES = ("start", "end")


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
    joints: dict[str, tuple[float, float]]  # the main position (both frames start from it)
    view: str  # "side" | "front"
    posture: str  # "standing" | "kneeling" | "sitting" | "lying"
    behind: tuple[str, ...]  # limbs drawn faded, behind the body
    accent: tuple[str, ...]  # segments or joints marked as "feel it here"
    arrows: tuple[Arrow, ...]
    props: tuple[Prop, ...]
    start: dict[str, tuple[float, float]] = field(default_factory=dict)  # joints that differ at the start
    end: dict[str, tuple[float, float]] = field(default_factory=dict)  # joints that differ at the end
    working_side_text: str = ""  # words in the steps naming the working (left) side; "" = both sides

    def frame(self, which: str) -> dict[str, tuple[float, float]]:
        """Every joint in the ``"start"`` or ``"end"`` position."""
        if which not in FRAMES:
            raise ValueError(f"frame must be 'start' or 'end', got {which!r}")
        return {**self.joints, **(self.start if which == "start" else self.end)}

    @property
    def moves(self) -> bool:
        return self.frame("start") != self.frame("end")


def _point(value: Any) -> tuple[float, float]:
    """A joint or arrow end: [x, y] inside the picture."""
    if not (isinstance(value, list) and len(value) == 2 and all(_number(v) for v in value)):
        raise Problem(f"must be [x, y] (two numbers), got {value!r}")
    x, y = float(value[0]), float(value[1])
    if not (X_RANGE[0] <= x <= X_RANGE[1] and Y_RANGE[0] <= y <= Y_RANGE[1]):
        raise Problem(
            f"= {value!r} is outside the picture (x {X_RANGE[0]}..{X_RANGE[1]}, y {Y_RANGE[0]}..{Y_RANGE[1]})"
        )
    return x, y


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


Point = Annotated[tuple[float, float], BeforeValidator(_point)]


class _ArrowSchema(Schema):
    start: Point = Field(alias="from")
    end: Point = Field(alias="to")
    bend: StrictFloat = Field(default=0.0, ge=-1, le=1)


class _PropSchema(Schema):
    kind: Literal[PROP_KINDS]  # type: ignore[valid-type]
    x: StrictFloat
    width: StrictFloat
    height: StrictFloat = 0.0


class PoseSchema(Schema):
    """One exercise's ``pose`` table: every joint as [x, y], and how to draw the figure."""

    head: Point
    neck: Point
    hip: Point
    near_elbow: Point
    near_hand: Point
    far_elbow: Point
    far_hand: Point
    near_knee: Point
    near_ankle: Point
    near_toe: Point
    far_knee: Point
    far_ankle: Point
    far_toe: Point
    view: Literal[VIEWS] = "side"  # type: ignore[valid-type]
    posture: Literal[POSTURES]  # type: ignore[valid-type]
    behind: list[Literal[tuple(LIMBS)]] | None = None  # type: ignore[valid-type]  # default: by view
    accent: list[StrictStr] = []
    arrows: list[_ArrowSchema] = []
    props: list[_PropSchema] = []
    start: dict[StrictStr, Point] = {}
    end: dict[StrictStr, Point] = {}
    working_side_text: StrictStr = ""

    @field_validator("start", "end")
    @classmethod
    def _known_joints(cls, frame: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
        bad = [name for name in frame if name not in JOINTS]
        if bad:
            raise Problem(f"has unknown joint name(s): {bad!r}")
        return frame

    @field_validator("working_side_text")
    @classmethod
    def _names_left(cls, text: str) -> str:
        # Pictures show the left side (the right is the mirror image), so the words must name it.
        if text and "left" not in text.lower().split():
            raise Problem(f"must name the left side (the side the picture shows), got {text!r}")
        return text

    @field_validator("accent")
    @classmethod
    def _known_accent(cls, accent: list[str]) -> list[str]:
        bad = [a for a in accent if a not in SEGMENTS and a not in JOINTS]
        if bad:
            raise Problem(f"has unknown segment or joint name(s): {bad!r}")
        return accent

    @model_validator(mode="after")
    def _head_in_picture(self) -> PoseSchema:
        heads = [self.head[1], self.start.get("head", self.head)[1], self.end.get("head", self.head)[1]]
        if max(heads) + HEAD_RADIUS > FLOOR_Y - 2:
            raise Problem(f"is too high: the head would be cut off (y at most {FLOOR_Y - 2 - HEAD_RADIUS})", "head")
        return self

    def to_pose(self) -> Pose:
        behind = self.behind if self.behind is not None else (["far_arm", "far_leg"] if self.view == "side" else [])
        return Pose(
            joints={name: getattr(self, name) for name in JOINTS},
            view=self.view,
            posture=self.posture,
            behind=tuple(behind),
            accent=tuple(self.accent),
            arrows=tuple(Arrow(a.start, a.end, a.bend) for a in self.arrows),
            props=tuple(Prop(p.kind, p.x, p.width, p.height) for p in self.props),
            start=dict(self.start),
            end=dict(self.end),
            working_side_text=" ".join(self.working_side_text.split()),
        )


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
        return (
            f'<rect x="{_fmt(x1)}" y="{FLOOR_Y - 3}" width="{_fmt(x2 - x1)}" height="3" rx="1.5" '
            f'fill="currentColor" fill-opacity="0.18"/>'
        )
    if p.kind == "pad":
        x1, x2 = sorted((x(p.x), x(p.x + p.width)))
        h = p.height or 8
        return (
            f'<rect x="{_fmt(x1)}" y="{_fmt(FLOOR_Y - h)}" width="{_fmt(x2 - x1)}" height="{_fmt(h)}" '
            f'rx="3" fill="{ACCENT}" fill-opacity="0.35" stroke="{ACCENT}" stroke-width="1.5"/>'
        )
    # chair: a back post of the given height at x, a seat at 45 reaching `width` from the post, two legs.
    post, seat_end = x(p.x), x(p.x + p.width)
    top = FLOOR_Y - (p.height or 90)
    seat = FLOOR_Y - 45
    return (
        f'<g fill="none" stroke="currentColor" stroke-opacity="0.5" stroke-width="3" stroke-linecap="round">'
        f'<path d="M{_fmt(post)} {FLOOR_Y} L{_fmt(post)} {_fmt(top)}"/>'
        f'<path d="M{_fmt(post)} {seat} L{_fmt(seat_end)} {seat} L{_fmt(seat_end)} {FLOOR_Y}"/></g>'
    )


def _points(j: dict[str, tuple[float, float]], names: tuple[str, ...]) -> str:
    return " ".join(f"{_fmt(j[n][0])},{_fmt(j[n][1])}" for n in names)


def _neck_points(j: dict[str, tuple[float, float]]) -> str:
    """The torso line: from the head's edge (not its centre) down through the neck to the hip."""
    (nx, ny), (hx, hy) = j["neck"], j["head"]
    d = math.hypot(hx - nx, hy - ny) or 1.0
    reach = max(d - HEAD_RADIUS, 0) / d
    return f"{_fmt(nx + (hx - nx) * reach)},{_fmt(ny + (hy - ny) * reach)} {_points(j, ('neck', 'hip'))}"


def _animate(attr: str, start: str, end: str) -> str:
    """A SMIL <animate> looping start → end → hold → start; nothing if the value does not change."""
    if start == end:
        return ""
    return (
        f'<animate attributeName="{attr}" dur="{MOTION_SECONDS}s" repeatCount="indefinite" '
        f'values="{start};{end};{end};{start};{start}" keyTimes="{MOTION_KEY_TIMES}" '
        f'calcMode="spline" keySplines="{MOTION_SPLINES}"/>'
    )


def _figure(pose: Pose, frames: list[dict[str, tuple[float, float]]], highlight: bool) -> str:
    """The body (accent glow, limbs, head): still for one frame, animated between two."""
    first, last = frames[0], frames[-1]
    parts: list[str] = []

    def poly(points: tuple[str, str], attrs: str) -> str:
        return f'<polyline points="{points[0]}" {attrs}>{_animate("points", *points)}</polyline>'

    def limb(names: tuple[str, ...]) -> tuple[str, str]:
        return _points(first, names), _points(last, names)

    for name in pose.accent:
        if name in SEGMENTS:
            parts.append(
                poly(
                    limb(SEGMENTS[name]),
                    f'fill="none" stroke="{ACCENT}" stroke-opacity="0.55" stroke-width="15" stroke-linecap="round"',
                )
            )
        else:
            (x1, y1), (x2, y2) = first[name], last[name]
            parts.append(
                f'<circle cx="{_fmt(x1)}" cy="{_fmt(y1)}" r="10" fill="{ACCENT}" fill-opacity="0.55">'
                f"{_animate('cx', _fmt(x1), _fmt(x2))}{_animate('cy', _fmt(y1), _fmt(y2))}</circle>"
            )
    line = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'

    def colour(limb_name: str) -> str:
        working = highlight and limb_name == "near_leg"
        return f'stroke="{WORK_COLOUR}" class="hk-working"' if working else 'stroke="currentColor"'

    for name in pose.behind:
        # A working limb behind the body keeps its full colour (faded blue is too dark on a dark page);
        # being drawn first, under the near limbs, still shows that it is behind.
        fade = "" if highlight and name == "near_leg" else ' stroke-opacity="0.45"'
        parts.append(poly(limb(LIMBS[name]), f'{line} {colour(name)} stroke-width="5"{fade}'))
    parts.append(poly((_neck_points(first), _neck_points(last)), f'{line} stroke="currentColor" stroke-width="6.5"'))
    for name in LIMBS:
        if name not in pose.behind:
            parts.append(poly(limb(LIMBS[name]), f'{line} {colour(name)} stroke-width="6"'))
    (hx1, hy1), (hx2, hy2) = first["head"], last["head"]
    parts.append(
        f'<circle cx="{_fmt(hx1)}" cy="{_fmt(hy1)}" r="{HEAD_RADIUS}" fill="currentColor">'
        f"{_animate('cx', _fmt(hx1), _fmt(hx2))}{_animate('cy', _fmt(hy1), _fmt(hy2))}</circle>"
    )
    return "".join(parts)


def render_pose(
    pose: Pose,
    *,
    mirror: bool = False,
    size: int = 240,
    label: str = "",
    still: str = "start",
    working_side: str | None = None,
) -> str:
    """The pose as a self-contained <svg> string (width ``size`` px at most; shrinks with its container).

    A pose that moves is drawn twice: once animated from its start to its end position (class
    ``hk-pose-move``) and once still, in the ``still`` frame ("start" or "end"; class ``hk-pose-still``),
    which the embedded CSS shows instead under ``prefers-reduced-motion: reduce``. ``working_side``
    ("left"/"right") colours the working (near) leg and adds a legend naming it; None for two-sided moves.
    """
    if still not in FRAMES:
        raise ValueError(f"still must be 'start' or 'end', got {still!r}")

    def tf(p: tuple[float, float]) -> tuple[float, float]:
        x, y = p
        return (FRAME_W - x if mirror else x), FLOOR_Y - y

    raw = {which: pose.frame(which) for which in FRAMES}
    frames = {which: {name: tf(p) for name, p in joints.items()} for which, joints in raw.items()}

    # Crop empty sky: the picture keeps the floor and reaches just above the highest point of either frame
    # (at least MIN_VIEW_H tall), so lying poses are not lost in a tall empty box; the scale stays the same.
    legend = 16 if working_side else 0
    highest = max(
        [y + (HEAD_RADIUS if n == "head" else 0) for f in raw.values() for n, (_, y) in f.items()]
        + [max(a.start[1], a.end[1]) for a in pose.arrows]
        + [p.height for p in pose.props if p.kind == "chair"]
    )
    top = max(0.0, min(FLOOR_Y - highest - 10 - legend, FRAME_H - MIN_VIEW_H))
    view_h = FRAME_H - top
    height = round(size * view_h / FRAME_W)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 {_fmt(top)} {FRAME_W} {_fmt(view_h)}" width="{size}" '
        f'height="{height}" style="max-width:100%;height:auto;display:block" role="img" '
        f'aria-label="{escape(label)}" class="hipknee-pose">',
        f"<title>{escape(label)}</title>",
    ]
    if pose.moves:
        parts.append(f"<style>{MOTION_CSS}</style>")
    parts += [_prop_svg(p, mirror) for p in pose.props if p.kind == "mat"]
    parts.append(
        f'<line x1="2" y1="{FLOOR_Y}" x2="{FRAME_W - 2}" y2="{FLOOR_Y}" stroke="currentColor" '
        f'stroke-opacity="0.35" stroke-width="2" stroke-linecap="round"/>'
    )
    parts += [_prop_svg(p, mirror) for p in pose.props if p.kind != "mat"]
    if pose.moves:
        moving = _figure(pose, [frames["start"], frames["end"]], bool(working_side))
        parts.append(f'<g class="hk-pose-move">{moving}</g>')
        parts.append(
            f'<g class="hk-pose-still" data-frame="{still}">{_figure(pose, [frames[still]], bool(working_side))}</g>'
        )
    else:
        parts.append(f'<g class="hk-pose-fixed">{_figure(pose, [frames["start"]], bool(working_side))}</g>')
    parts += [_arrow_svg(a, tf) for a in pose.arrows]
    if working_side:
        # Legend, top right (never mirrored): a short blue stroke and the words, in the page's text colour.
        y = _fmt(top + 12)
        parts.append(
            f'<g class="hk-legend" aria-hidden="true"><line x1="{FRAME_W - 100}" y1="{_fmt(top + 8.5)}" '
            f'x2="{FRAME_W - 88}" y2="{_fmt(top + 8.5)}" stroke="{WORK_COLOUR}" stroke-width="5" '
            f'stroke-linecap="round"/><text x="{FRAME_W - 4}" y="{y}" text-anchor="end" font-size="10" '
            f'font-family="sans-serif" fill="currentColor">{escape(working_side.capitalize())} leg works</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------------------


def check_working_side(pose: PoseSchema, *, per_side: bool, steps: list[str] | tuple[str, ...]) -> None:
    """The picture's working side must match the words: a per-side exercise's pose names the working (left)
    side in ``working_side_text``, and those exact words appear in its steps; a two-sided one names none.

    Raises Problem (field ``pose.working_side_text``). Levels with their own pose can call this too.
    """
    text = " ".join(pose.working_side_text.split())
    at = "pose.working_side_text"
    if not per_side:
        if text:
            raise Problem("must be left out: this exercise works both sides at once", at)
        return
    if not text:
        raise Problem(
            "is needed for a per-side exercise: the words in the steps that name the working "
            "left side, e.g. 'lift your left knee'",
            at,
        )
    if text.lower() not in " ".join(" ".join(steps).split()).lower():
        raise Problem(f"{text!r} does not appear in the steps, so the picture may not match the words", at)


def _int_in(value: int | None, field: str, bounds: tuple[int, int]) -> int:
    if value is None or not bounds[0] <= value <= bounds[1]:
        raise Problem(f"must be a whole number from {bounds[0]} to {bounds[1]}, got {value!r}", field)
    return value


Sentences = Annotated[list[Text], Field(min_length=1)]


class _ExerciseSchema(Schema):
    id: Id
    name: Text
    kind: Literal[KINDS]  # type: ignore[valid-type]
    per_side: Bool
    position: Literal[POSITIONS]  # type: ignore[valid-type]
    hold_seconds: Int | None = None
    reps: Int | None = None
    seconds_per_rep: Int | None = None
    sets: Int
    rest_seconds: Int = 0
    purpose: Text
    steps: Sentences
    cues: Sentences
    mistakes: Sentences
    stop_signs: Sentences | None = None
    replaces: Id | None = None
    suggested_when: Id | None = None
    choose_variant_when: StrictStr = ""
    pose: PoseSchema

    @model_validator(mode="after")
    def _dose(self) -> _ExerciseSchema:
        if self.kind == "strength":
            if self.hold_seconds is not None:
                raise Problem("must be left out for a strength exercise (use reps)", "hold_seconds")
            _int_in(self.reps, "reps", REPS_RANGE)
            _int_in(self.seconds_per_rep, "seconds_per_rep", SECONDS_PER_REP_RANGE)
        else:
            if self.reps is not None:
                raise Problem(f"must be left out for a {self.kind} (use hold_seconds)", "reps")
            hold_range = STRETCH_HOLD_RANGE if self.kind == "stretch" else WARMUP_HOLD_RANGE
            _int_in(self.hold_seconds, "hold_seconds", hold_range)
            _int_in(self.seconds_per_rep if self.seconds_per_rep is not None else 0, "seconds_per_rep", (0, 0))
        _int_in(self.sets, "sets", SETS_RANGE)
        _int_in(self.rest_seconds, "rest_seconds", REST_RANGE)
        if self.suggested_when is not None and self.replaces is None:
            raise Problem("only makes sense on a variant (set 'replaces')", "suggested_when")
        check_working_side(self.pose, per_side=self.per_side, steps=self.steps)
        return self

    def to_exercise(self, common_stops: tuple[str, ...]) -> Exercise:
        return Exercise(
            id=self.id,
            name=self.name,
            kind=self.kind,
            per_side=self.per_side,
            position=self.position,
            hold_seconds=self.hold_seconds,
            reps=self.reps,
            seconds_per_rep=self.seconds_per_rep or 0,
            sets=self.sets,
            rest_seconds=self.rest_seconds,
            purpose=" ".join(self.purpose.split()),
            steps=tuple(self.steps),
            cues=tuple(self.cues),
            mistakes=tuple(self.mistakes),
            stop_signs=tuple(self.stop_signs or ()) + common_stops,
            replaces=self.replaces,
            suggested_when=self.suggested_when,
            choose_variant_when=" ".join(self.choose_variant_when.split()),
        )


class ExercisesFile(Schema):
    """The schema of ``data/exercises.toml``, with the checks between exercises (ids, variants)."""

    common_stop_signs: Sentences | None = None
    exercise: list[_ExerciseSchema] = Field(min_length=1)

    @model_validator(mode="after")
    def _between_exercises(self) -> ExercisesFile:
        by_id: dict[str, _ExerciseSchema] = {}
        for i, ex in enumerate(self.exercise):
            if ex.id in by_id:
                raise Problem("is used twice", at=("exercise", i, "id"))
            by_id[ex.id] = ex
            if not ex.stop_signs and not self.common_stop_signs:
                raise Problem("is empty and the file has no common_stop_signs", at=("exercise", i, "stop_signs"))
        missing = [i for i in REQUIRED_IDS if i not in by_id]
        if missing:
            raise Problem(f"required exercise(s) missing: {', '.join(missing)}")
        index = {ex.id: i for i, ex in enumerate(self.exercise)}
        seen_suggestions: dict[tuple[str, str], str] = {}
        for i, ex in enumerate(self.exercise):
            if ex.replaces is None:
                continue
            target = by_id.get(ex.replaces)
            if target is None:
                raise Problem(f"names {ex.replaces!r}, which is not in the file", at=("exercise", i, "replaces"))
            if target.id == ex.id or target.replaces is not None:
                raise Problem(f"must name a main exercise, not {ex.replaces!r}", at=("exercise", i, "replaces"))
            if target.kind != ex.kind or target.per_side != ex.per_side:
                raise Problem(
                    f"a variant must be the same kind and per_side as {target.id!r}", at=("exercise", i, "replaces")
                )
            if not ex.choose_variant_when.strip():
                raise Problem("must say when to choose this variant", at=("exercise", i, "choose_variant_when"))
            if not target.choose_variant_when.strip():
                raise Problem(
                    f"must say when to switch to {ex.id!r}", at=("exercise", index[target.id], "choose_variant_when")
                )
            if ex.suggested_when is not None:
                key = (ex.replaces, ex.suggested_when)
                if key in seen_suggestions:
                    raise Problem(
                        f"{seen_suggestions[key]!r} is already suggested for {ex.replaces!r} when "
                        f"{ex.suggested_when!r}",
                        at=("exercise", i, "suggested_when"),
                    )
                seen_suggestions[key] = ex.id
        return self


def _load(path: Path) -> tuple[dict[str, Exercise], dict[str, Pose]]:
    parsed = load_content(path, ExercisesFile, error=ExerciseDataError)
    common = tuple(parsed.common_stop_signs or ())
    exercises = {ex.id: ex.to_exercise(common) for ex in parsed.exercise}
    poses = {ex.id: ex.pose.to_pose() for ex in parsed.exercise}
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


def variants_of(exercises: dict[str, Exercise], exercise_id: str) -> list[Exercise]:
    """The safer variants that stand in for ``exercise_id`` (file order)."""
    return [e for e in exercises.values() if e.replaces == exercise_id]


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


def pose_svg(exercise_id: str, *, side: str = "left", size: int = 240, pose: Pose | None = None) -> str:
    """A self-contained <svg> of the exercise, animated from its start to its end position.

    ``side`` mirrors per-side exercises and names the working leg (colour, legend and ``aria-label``).
    ``pose`` draws another pose for the same exercise (a programme level's own picture); by default the
    exercise's. Under reduced motion the still shows the start (strength) or the end/hold position (others).
    Raises ValueError for an unknown exercise, side or size.
    """
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    if not isinstance(size, int) or isinstance(size, bool) or not 16 <= size <= 4000:
        raise ValueError(f"size must be a whole number of pixels from 16 to 4000, got {size!r}")
    exercises, poses = _library(None)
    if exercise_id not in exercises:
        raise ValueError(f"no exercise with id {exercise_id!r} in {EXERCISES_PATH}")
    ex = exercises[exercise_id]
    drawn = pose if pose is not None else poses[exercise_id]
    mirror = ex.per_side and side == "right"
    label = picture_label(ex, drawn, side)
    still = "start" if ex.kind == "strength" else "end"
    return render_pose(
        drawn, mirror=mirror, size=size, label=label, still=still, working_side=side if ex.per_side else None
    )


def picture_label(ex: Exercise, pose: Pose, side: str) -> str:
    """The words for the picture (its <title> and aria-label): name, side, which leg works, the movement."""
    label = ex.name
    if ex.per_side:
        label += f", {side} side: the {side} leg works (drawn in blue)"
    else:
        label += ", both sides"
    if pose.moves:
        what = (
            "easing from the start position into the hold"
            if ex.kind == "stretch"
            else "moving from the start position to the end position and back"
        )
        label += f"; {what}"
    return label
