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


def leg_figure(adduction_deg: float, internal_rotation_deg: float, *, height: int = 460):
    """A plotly figure of the leg from the front, with the straight leg as a faint outline for comparison."""
    import plotly.graph_objects as go

    pose = leg_pose(adduction_deg, internal_rotation_deg)
    straight = leg_pose(0, 0)
    leg_colour, ghost, accent = "#3a86d4", "rgba(140,140,150,0.55)", "#d4651f"  # accent 3.7:1 / 4.9:1
    hx, hy = pose.hip
    kx, ky = pose.knee
    foot = [(-3.0, 0.0), (6.0, 0.0)]

    fig = go.Figure()
    fig.add_trace(
        go.Scatter(  # the floor
            x=[-30, 40],
            y=[0, 0],
            mode="lines",
            line=dict(color=ghost, width=2),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(  # the straight leg, for comparison
            x=[straight.hip[0], straight.knee[0], 0],
            y=[straight.hip[1], straight.knee[1], 0],
            mode="lines",
            line=dict(color=ghost, width=3, dash="dot"),
            name="Leg in line",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(  # the line from hip to ankle
            x=[hx, 0],
            y=[hy, 0],
            mode="lines",
            line=dict(color=ghost, width=1.5, dash="dash"),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(  # pelvis towards the body's middle, thigh, shin, foot
            x=[hx + 18, hx, kx, 0, None, foot[0][0], foot[1][0]],
            y=[hy + 6, hy, ky, 0, None, foot[0][1], foot[1][1]],
            mode="lines",
            line=dict(color=leg_colour, width=9),
            name="Your leg",
            hoverinfo="skip",
            connectgaps=False,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[hx, kx, 0],
            y=[hy, ky, 0],
            mode="markers+text",
            marker=dict(size=14, color=leg_colour, line=dict(color="white", width=2)),
            text=["hip", "knee", "ankle"],
            textposition=["middle left", "middle right", "bottom left"],
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.add_trace(
        go.Scatter(  # the kneecap
            x=[pose.kneecap[0]],
            y=[pose.kneecap[1]],
            mode="markers",
            marker=dict(size=20, color=accent, symbol="circle", line=dict(color="white", width=2)),
            name="Kneecap",
            hoverinfo="skip",
        )
    )
    if pose.lateral_pull > 0.01:
        length = 60 * pose.lateral_pull + 4
        fig.add_annotation(
            x=pose.kneecap[0] - length,
            y=pose.kneecap[1],
            ax=pose.kneecap[0] - 2.5,
            ay=pose.kneecap[1],
            xref="x",
            yref="y",
            axref="x",
            ayref="y",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.2,
            arrowwidth=3,
            arrowcolor=accent,
            text="",
        )
        fig.add_annotation(  # starts inside the drawing, so a narrow phone never clips it
            x=max(pose.kneecap[0] - length, -29.0),
            y=pose.kneecap[1] - 6,
            text="pull to the outside",
            showarrow=False,
            font=dict(color=accent, size=13),
            xanchor="left",
            bgcolor="rgba(0,0,0,0)",
        )
    fig.add_annotation(
        x=-28, y=hy + 14, text="← outside", showarrow=False, xanchor="left", font=dict(size=12), opacity=0.7
    )
    fig.add_annotation(
        x=38, y=hy + 14, text="inside →", showarrow=False, xanchor="right", font=dict(size=12), opacity=0.7
    )
    fig.add_annotation(
        x=0.5,
        y=0,
        xref="paper",
        yref="paper",
        yanchor="top",
        yshift=-4,
        showarrow=False,
        text=f"<i>{TEACHING_LABEL}</i>",
        font=dict(size=11),
        opacity=0.75,
    )
    fig.update_xaxes(visible=False, range=[-30, 40], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-6, 92], fixedrange=True, scaleanchor="x", scaleratio=1)
    fig.update_layout(
        height=height,
        margin=dict(l=4, r=4, t=8, b=24),
        dragmode=False,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=0, bgcolor="rgba(0,0,0,0)"),
        title=None,
    )
    return fig
