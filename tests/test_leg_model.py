"""The front-view leg model: straight at zero, more valgus with more adduction or rotation, bad input refused."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from hipknee.leg_model import (
    ADDUCTION_RANGE,
    ANGLE_CHOICES,
    FIGURE_SCALE,
    ROTATION_RANGE,
    SHIN_CM,
    TEACHING_LABEL,
    THIGH_CM,
    describe,
    leg_figure,
    leg_pose,
)

SVG = "{http://www.w3.org/2000/svg}"

STEPS = [0, 1, 2.5, 4, 5, 6, 7.5, 8]


def test_zero_angles_give_a_straight_leg():
    pose = leg_pose(0, 0)
    assert pose.hip[0] == pytest.approx(0) and pose.knee[0] == pytest.approx(0) and pose.ankle == (0.0, 0.0)
    assert pose.hip[1] > pose.knee[1] > pose.ankle[1]
    assert pose.valgus_deg == pytest.approx(0, abs=1e-9)
    assert f"{pose.valgus_deg:.0f}" == "0" and f"{pose.lateral_pull:.2f}" == "0.00"  # never "-0"
    assert pose.knee_inward_cm == pytest.approx(0, abs=1e-9)
    assert pose.lateral_pull == pytest.approx(0, abs=1e-9)
    assert pose.kneecap_offset_cm == pytest.approx(0, abs=1e-9)
    assert "line up" in describe(pose)


@pytest.mark.parametrize("adduction, rotation", [(8, 0), (0, 8), (8, 8)])
def test_angles_move_the_knee_inward(adduction, rotation):
    pose = leg_pose(adduction, rotation)
    assert pose.knee[0] > 0.5  # inward is +x
    assert pose.valgus_deg > 1 and pose.knee_inward_cm > 0.5 and pose.lateral_pull > 0
    assert pose.kneecap[0] < pose.groove[0] + 1e-9  # the kneecap sits at or outside its groove
    assert "inward" in describe(pose) and "outside" in describe(pose)


def test_rotation_slides_the_groove_under_the_kneecap_but_adduction_alone_does_not():
    assert leg_pose(0, 8).kneecap_offset_cm > 0.3
    assert leg_pose(8, 0).kneecap_offset_cm == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("fixed", [0, 5, 8])
def test_valgus_rises_monotonically_with_each_angle(fixed):
    by_adduction = [leg_pose(a, fixed).valgus_deg for a in STEPS]
    by_rotation = [leg_pose(fixed, r).valgus_deg for r in STEPS]
    assert all(b > a for a, b in pairwise(by_adduction)), by_adduction
    assert all(b > a for a, b in pairwise(by_rotation)), by_rotation
    pulls = [leg_pose(a, fixed).lateral_pull for a in STEPS]
    assert all(b > a for a, b in pairwise(pulls))


def test_bones_keep_their_length_and_the_valgus_angle_matches_the_points():
    for a in STEPS:
        for r in STEPS:
            pose = leg_pose(a, r)
            # The front view shortens the bones, never lengthens them.
            assert math.dist(pose.hip, pose.knee) <= THIGH_CM + 1e-9
            assert math.dist(pose.knee, pose.ankle) <= SHIN_CM + 1e-9
            # Recompute the angle at the knee independently: 180 - interior angle.
            u = (pose.hip[0] - pose.knee[0], pose.hip[1] - pose.knee[1])
            v = (pose.ankle[0] - pose.knee[0], pose.ankle[1] - pose.knee[1])
            interior = math.degrees(math.acos((u[0] * v[0] + u[1] * v[1]) / (math.hypot(*u) * math.hypot(*v))))
            assert pose.valgus_deg == pytest.approx(180 - interior, abs=1e-6)


@pytest.mark.parametrize(
    "adduction, rotation, match",
    [
        (-1, 0, "hip adduction must be from 0 to 8"),
        (0, 9, "hip internal rotation must be from 0 to 8"),
        (float("nan"), 0, "hip adduction"),
        ("5", 0, "must be a number"),
        (True, 0, "must be a number"),
        (0, None, "hip internal rotation must be a number"),
    ],
)
def test_bad_input_raises_value_error(adduction, rotation, match):
    with pytest.raises(ValueError, match=match):
        leg_pose(adduction, rotation)


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # well-formed XML, or this raises


def _texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def _leg_points(root: ET.Element) -> list[tuple[float, float]]:
    leg = root.find(f".//{SVG}polyline[@class='hk-leg']")
    return [tuple(float(v) for v in pair.split(",")) for pair in leg.get("points").split()]


def test_figure_is_labelled_and_moves_with_the_angles():
    straight, bent = _svg(leg_figure(0, 0)), _svg(leg_figure(8, 6))
    for root in (straight, bent):
        assert root.get("role") == "img" and TEACHING_LABEL in _texts(root)
        assert {"Leg in line", "Your leg", "Kneecap", "hip", "knee", "ankle"} <= set(_texts(root))
        assert "max-width: 100%" in root.get("style")  # scales down to a phone's column
    assert "pull to the outside" in _texts(bent) and bent.find(f".//{SVG}polyline[@class='hk-pull']") is not None
    assert "pull to the outside" not in _texts(straight)
    assert straight.find(f".//{SVG}polyline[@class='hk-pull']") is None
    # The label says what the picture shows, with the model's numbers.
    assert f"about {leg_pose(8, 6).valgus_deg:.0f}°" in bent.get("aria-label")
    assert "one straight line" in straight.get("aria-label")
    # Points: pelvis, hip, knee, ankle. The ankle stays put; the knee moves inward (right, +x) by the model's cm.
    (_, _), s_hip, s_knee, s_ankle = _leg_points(straight)
    (_, _), b_hip, b_knee, b_ankle = _leg_points(bent)
    assert b_ankle == s_ankle
    assert b_knee[0] - s_knee[0] == pytest.approx(leg_pose(8, 6).knee[0] * FIGURE_SCALE, abs=0.1)
    assert b_knee[0] > s_knee[0]
    assert ADDUCTION_RANGE == (0.0, 8.0) and ROTATION_RANGE == (0.0, 8.0)


@pytest.mark.parametrize("adduction", ANGLE_CHOICES)
@pytest.mark.parametrize("rotation", ANGLE_CHOICES)
def test_every_choice_draws_inside_the_picture(adduction, rotation):
    # The arrow, its words and the joints stay inside the viewBox for every angle the page offers.
    root = _svg(leg_figure(adduction, rotation))
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    points = _leg_points(root)
    for el in root.iter(f"{SVG}circle"):
        points.append((float(el.get("cx")), float(el.get("cy"))))
    for el in root.iter(f"{SVG}text"):
        points.append((float(el.get("x")), float(el.get("y"))))
    assert all(0 <= x <= width and 0 <= y <= height for x, y in points)


def test_full_sliders_stay_believable():
    # Both sliders at their ends: the knee angle stays within what a real squat shows (issue 17: 47 was not).
    assert 15 < leg_pose(ADDUCTION_RANGE[1], ROTATION_RANGE[1]).valgus_deg <= 26
