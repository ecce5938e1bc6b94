"""A front-view teaching model of one leg in a shallow squat: how the hip's angles move the knee.

This is a **teaching illustration, not a measurement**. It is simple geometry, not a model of any real
person's joints: a thigh and a shin of fixed length, the foot planted on the floor, the hip bent 30 degrees
and the shin leaning 25 degrees forward (a shallow single-leg squat). Two hip angles can be changed:

* **adduction** tilts the thigh inward (the knee moves toward the other leg);
* **internal rotation** turns the bent thigh inward around a vertical axis (the knee swings inward).

The hip drops just enough to keep both bones their full length. Seen from the front, the knee then sits
inside the straight line from hip to ankle: the angle it makes is the *valgus angle* (0 = straight leg).

The kneecap rides in a groove on the front of the thigh bone. When the thigh turns inward, the groove turns
with it while the kneecap, held by its tendons, stays in line with the shin, so the groove slides inward
beneath it (the pattern Powers described). And once the knee bends inward, the tendons above and below the
kneecap no longer pull in one straight line; their combined pull points to the outside. ``lateral_pull``
is that sideways part, as a fraction of the tendon tension (0 for a straight leg).

Units are centimetres. x is sideways in the picture (positive = inward, toward the other leg), y is up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

THIGH_CM = 42.0
SHIN_CM = 40.0
HIP_FLEXION_DEG = 30.0  # the squat the model stands in
SHIN_LEAN_DEG = 25.0
KNEECAP_DEPTH_CM = 4.0  # how far in front of the knee's centre the kneecap sits
# The model's knee angle grows fast with both hip angles together (47 degrees at 15 + 15, more than anyone
# shows in a squat); 8 + 8 stops at about 25 degrees, the upper end of what people with kneecap pain show
# in a single-leg squat seen from the front.
ADDUCTION_RANGE = (0.0, 8.0)
ROTATION_RANGE = (0.0, 8.0)
# The page offers these hip angles (degrees) for both controls, 0 to the top of the ranges above in steps
# a person can see change the picture; it opens on a moderate inward drop so there is something to see.
ANGLE_CHOICES = (0, 2, 4, 6, 8)
START_ADDUCTION, START_ROTATION = 6, 4

TEACHING_LABEL = "Teaching illustration, not a measurement"

Point = tuple[float, float]
Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class LegPose:
    hip: Point  # front view (x inward, y up), cm
    knee: Point
    ankle: Point
    kneecap: Point
    groove: Point  # the centre of the thigh bone's groove, where the kneecap would sit if it turned with it
    valgus_deg: float  # frontal-plane angle at the knee; positive = knee inside the hip-ankle line
    knee_inward_cm: float  # how far the knee sits inside the straight hip-ankle line
    kneecap_offset_cm: float  # how far the kneecap sits to the outside of the groove
    lateral_pull: float  # outward part of the tendons' combined pull, as a fraction of their tension


def _check(name: str, value: object, bounds: tuple[float, float]) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number of degrees, got {value!r}")
    value = float(value)
    if math.isnan(value) or not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{name} must be from {bounds[0]:g} to {bounds[1]:g} degrees, got {value!r}")
    return value


def _rotate(v: Vec3, adduction: float, rotation: float) -> Vec3:
    """Internal rotation about the vertical axis, then adduction about the front-to-back axis."""
    x, y, z = v
    cb, sb = math.cos(rotation), math.sin(rotation)
    x, z = x * cb + z * sb, -x * sb + z * cb  # turns forward-pointing parts inward (+x)
    ca, sa = math.cos(adduction), math.sin(adduction)
    x, y = x * ca - y * sa, x * sa + y * ca  # a downward-pointing thigh tilts inward (+x)
    return x, y, z


def _unit(v: tuple[float, ...]) -> tuple[float, ...]:
    n = math.hypot(*v)
    return tuple(c / n for c in v) if n else v


def leg_pose(adduction_deg: float, internal_rotation_deg: float) -> LegPose:
    """Joint positions (front view) and the knee's valgus angle for the given hip angles, in degrees."""
    adduction = math.radians(_check("hip adduction", adduction_deg, ADDUCTION_RANGE))
    rotation = math.radians(_check("hip internal rotation", internal_rotation_deg, ROTATION_RANGE))
    phi, theta = math.radians(HIP_FLEXION_DEG), math.radians(SHIN_LEAN_DEG)

    # Starting posture: ankle at the origin, shin leaning forward, thigh bent forward from the hip.
    knee0 = (0.0, SHIN_CM * math.cos(theta), SHIN_CM * math.sin(theta))
    thigh0 = (0.0, -math.cos(phi), math.sin(phi))  # unit vector hip -> knee
    hip_z = knee0[2] - THIGH_CM * thigh0[2]

    thigh = _rotate(thigh0, adduction, rotation)
    # Hip height h such that the shin keeps its length: |hip + THIGH * thigh - ankle| = SHIN.
    kx, kz = THIGH_CM * thigh[0], hip_z + THIGH_CM * thigh[2]
    rest = SHIN_CM**2 - kx**2 - kz**2
    if rest <= 0:  # cannot happen inside the allowed ranges; guards the geometry
        raise ValueError("these angles put the knee out of reach of the foot")
    knee_y = math.sqrt(rest)
    hip = (0.0, knee_y - THIGH_CM * thigh[1], hip_z)
    knee = (kx, knee_y, kz)

    # The groove faces forward on the thigh bone and turns with it; the kneecap turns only with adduction.
    front0 = (0.0, math.sin(phi), math.cos(phi))
    groove_dir = _rotate(front0, adduction, rotation)
    cap_dir = _rotate(front0, adduction, 0.0)
    groove = tuple(k + KNEECAP_DEPTH_CM * g for k, g in zip(knee, groove_dir, strict=True))
    kneecap = tuple(k + KNEECAP_DEPTH_CM * c for k, c in zip(knee, cap_dir, strict=True))

    # Front view: drop the front-to-back coordinate.
    h2, k2, a2 = (hip[0], hip[1]), (knee[0], knee[1]), (0.0, 0.0)
    u = (k2[0] - h2[0], k2[1] - h2[1])  # thigh, downward
    v = (a2[0] - k2[0], a2[1] - k2[1])  # shin, downward
    cross = u[0] * v[1] - u[1] * v[0]
    valgus = -math.degrees(math.atan2(cross, u[0] * v[0] + u[1] * v[1]))
    # Signed distance of the knee from the straight hip-ankle line (positive = inward).
    ha = (a2[0] - h2[0], a2[1] - h2[1])
    inward = (ha[0] * (k2[1] - h2[1]) - ha[1] * (k2[0] - h2[0])) / math.hypot(*ha)
    # Quadriceps pulls the kneecap up toward the hip, the kneecap tendon down toward the shin.
    up, down = _unit((h2[0] - k2[0], h2[1] - k2[1])), _unit((a2[0] - k2[0], a2[1] - k2[1]))
    lateral_pull = -(up[0] + down[0])

    def clean(x: float) -> float:  # no "-0°" from rounding noise at the straight position
        return 0.0 if abs(x) < 1e-9 else x

    valgus, inward, lateral_pull = clean(valgus), clean(inward), clean(lateral_pull)

    return LegPose(
        hip=h2,
        knee=k2,
        ankle=a2,
        kneecap=(kneecap[0], kneecap[1]),
        groove=(groove[0], groove[1]),
        valgus_deg=valgus,
        knee_inward_cm=inward,
        kneecap_offset_cm=groove[0] - kneecap[0],
        lateral_pull=lateral_pull,
    )


def describe(pose: LegPose) -> str:
    """A one-line caption of what the picture shows, in plain words."""
    v = pose.valgus_deg
    if v < 1:
        return "The thigh, knee and foot line up: the kneecap runs straight in its groove."
    strength = "a little" if v < 8 else ("clearly" if v < 20 else "a lot")
    return (
        f"The knee has dropped {strength} inward (a valgus angle of about {v:.0f}°). The tendons above and "
        f"below the kneecap no longer pull in one line, so the kneecap is pulled toward the outside of "
        f"the knee, where it presses harder on one side of its groove."
    )


def valgus_readout(pose: LegPose) -> str:
    """The model's knee angle as a short Markdown block for the page: a label and the whole degrees."""
    return f"Knee angle in this model (valgus)  \n**{pose.valgus_deg:.0f}°**"


# The figure's frame in the model's centimetres (x sideways, y up) and its scale in SVG units per cm.
FIGURE_X, FIGURE_Y = (-30.0, 40.0), (-6.0, 92.0)
FIGURE_SCALE = 4.6
LEGEND_H = 26  # SVG units above the drawing for its key
LEG_COLOUR, GHOST, ACCENT = "#3a86d4", "rgba(140,140,150,0.55)", "#d4651f"  # accent 3.7:1 / 4.9:1


def figure_label(pose: LegPose) -> str:
    """What the leg figure shows, in one sentence: its text alternative (``aria-label``)."""
    if pose.valgus_deg < 1:
        return "Front view of one leg in a shallow squat: hip, knee and ankle in one straight line."
    return (
        f"Front view of one leg in a shallow squat: the knee sits {pose.knee_inward_cm:.0f} cm inside the "
        f"straight line from hip to ankle, a valgus angle of about {pose.valgus_deg:.0f}°, with the pull on "
        "the kneecap shown as an arrow to the outside. A dotted outline shows the leg lined up straight."
    )


def leg_figure(adduction_deg: float, internal_rotation_deg: float) -> str:
    """The leg from the front as one SVG picture (text): the leg, its joints and kneecap, the straight leg as a
    faint dotted outline, the hip-to-ankle line, and an arrow for the kneecap's pull to the outside.

    Plain SVG rather than a plotly figure: the page then loads no charting code at all (issue 18), and the
    picture needs no zoom or hover. It scales to its column (``max-width: 100%``). Raises ``ValueError`` for
    angles outside ``ADDUCTION_RANGE`` / ``ROTATION_RANGE`` (from ``leg_pose``)."""
    pose, straight = leg_pose(adduction_deg, internal_rotation_deg), leg_pose(0, 0)
    k = FIGURE_SCALE
    width = round((FIGURE_X[1] - FIGURE_X[0]) * k)
    height = round((FIGURE_Y[1] - FIGURE_Y[0]) * k) + LEGEND_H + 20  # the key above, the teaching label below

    def at(x: float, y: float) -> tuple[float, float]:  # model cm -> SVG units (y grows downward)
        return (x - FIGURE_X[0]) * k, (FIGURE_Y[1] - y) * k + LEGEND_H

    def line(points: list[Point], stroke: str, stroke_width: float, extra: str = "", cls: str = "") -> str:
        klass = f' class="{cls}"' if cls else ""
        return (
            f'<polyline{klass} points="{" ".join("{:.1f},{:.1f}".format(*at(*pt)) for pt in points)}" fill="none" '
            f'stroke="{stroke}" '
            f'stroke-width="{stroke_width}" stroke-linecap="round" stroke-linejoin="round"{extra}/>'
        )

    def text(x: float, y: float, words: str, anchor: str = "start", extra: str = "") -> str:
        tx, ty = at(x, y)
        return f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}"{extra}>{words}</text>'

    def circle(point: Point, r: int, fill: str, cls: str = "") -> str:
        cx, cy = at(*point)
        klass = f' class="{cls}"' if cls else ""
        return f'<circle{klass} cx="{cx:.1f}" cy="{cy:.1f}" r="{r}" fill="{fill}" stroke="#fff" stroke-width="2"/>'

    hx, hy = pose.hip
    body = [
        # The key: what each line and mark is.
        f'<line x1="4" y1="12" x2="28" y2="12" stroke="{GHOST}" stroke-width="3" stroke-dasharray="1 6" '
        'stroke-linecap="round"/><text x="34" y="16">Leg in line</text>',
        f'<line x1="112" y1="12" x2="136" y2="12" stroke="{LEG_COLOUR}" stroke-width="7" stroke-linecap="round"/>'
        '<text x="142" y="16">Your leg</text>',
        f'<circle cx="214" cy="12" r="7" fill="{ACCENT}" stroke="#fff" stroke-width="2"/>'
        '<text x="226" y="16">Kneecap</text>',
        line([(FIGURE_X[0], 0), (FIGURE_X[1], 0)], GHOST, 2),  # the floor
        line([straight.hip, straight.knee, straight.ankle], GHOST, 3, ' stroke-dasharray="1 6"'),  # the straight leg
        line([pose.hip, pose.ankle], GHOST, 1.5, ' stroke-dasharray="6 4"'),  # hip to ankle
        line([(hx + 18, hy + 6), pose.hip, pose.knee, pose.ankle], LEG_COLOUR, 9, cls="hk-leg"),  # pelvis to ankle
        line([(-3.0, 0.0), (6.0, 0.0)], LEG_COLOUR, 9),  # the foot
    ]
    for (x, y), name, dx, dy, anchor in (
        (pose.hip, "hip", -3.0, -1.0, "end"),
        (pose.knee, "knee", 3.0, -1.0, "start"),
        (pose.ankle, "ankle", -2.5, -4.5, "end"),
    ):
        body.append(circle((x, y), 7, LEG_COLOUR))
        body.append(text(x + dx, y + dy, name, anchor))
    body.append(circle(pose.kneecap, 10, ACCENT, "hk-kneecap"))
    if pose.lateral_pull > 0.01:  # the tendons' combined pull, drawn outward from the kneecap
        length = 60 * pose.lateral_pull + 4
        tip, tail = (pose.kneecap[0] - length, pose.kneecap[1]), (pose.kneecap[0] - 2.5, pose.kneecap[1])
        tx, ty = at(*tip)
        body.append(line([tail, (tip[0] + 1.2, tip[1])], ACCENT, 3, cls="hk-pull"))
        body.append(f'<path d="M{tx:.1f} {ty:.1f}l9 -5v10z" fill="{ACCENT}"/>')
        # Its words sit left of the leg's straight line, where nothing else is drawn at any angle.
        body.append(text(-3.0, pose.kneecap[1] - 7, "pull to the outside", "end", f' style="fill: {ACCENT}"'))
    body.append(text(-28, hy + 14, "← outside", extra=' opacity="0.7"'))
    body.append(text(38, hy + 14, "inside →", "end", ' opacity="0.7"'))
    body.append(
        f'<text x="{width / 2:.0f}" y="{height - 4}" text-anchor="middle" font-style="italic" '
        f'opacity="0.75">{TEACHING_LABEL}</text>'
    )
    label = escape(figure_label(pose))
    return (
        f'<svg class="hk-leg-figure" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
        f'viewBox="0 0 {width} {height}" width="{width}" '
        'style="max-width: 100%; height: auto; font: 13px sans-serif; fill: currentColor">' + "".join(body) + "</svg>"
    )
