"""The exercise library: content rules, pictures that render, and validation that names file, id and field."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hipknee import exercises as exlib
from hipknee.exercises import (
    EXERCISES_PATH, REQUIRED_IDS, STRETCH_HOLD_RANGE, Exercise, ExerciseDataError, dose_text, load_exercises,
    load_poses, pose_svg, variants_of,
)
from hipknee.routines import apply_substitutions, load_routine_content, suggest_substitutions

SVG_NS = "{http://www.w3.org/2000/svg}"
CONTRACT_FIELDS = [
    "id", "name", "kind", "per_side", "hold_seconds", "reps", "seconds_per_rep", "sets", "rest_seconds",
    "purpose", "steps", "cues", "mistakes", "stop_signs", "replaces", "suggested_when", "choose_variant_when",
]


@pytest.fixture(scope="module")
def library() -> dict[str, Exercise]:
    return load_exercises()


def test_dataclass_has_exactly_the_contract_fields():
    assert [f.name for f in dataclasses.fields(Exercise)] == CONTRACT_FIELDS


def test_every_required_id_is_present_in_file_order(library):
    assert set(REQUIRED_IDS) <= set(library)
    assert list(library)[0] == "warm_up"
    text = EXERCISES_PATH.read_text()
    assert list(library) == re.findall(r'^id = "(\w+)"', text, flags=re.M)


def test_every_exercise_has_instructions_dosing_cues_and_stop_signs(library):
    for ex in library.values():
        assert ex.name and ex.purpose, ex.id
        assert len(ex.steps) >= 2 and all(s.strip() for s in ex.steps), ex.id
        assert ex.cues and ex.cues[0].strip(), ex.id
        assert ex.mistakes, ex.id
        assert any("sharp" in s.lower() for s in ex.stop_signs), ex.id
        assert any("more than mild discomfort" in s for s in ex.stop_signs), ex.id
        assert dose_text(ex), ex.id


def test_dosing_follows_the_article(library):
    for ex in library.values():
        if ex.kind == "stretch":
            assert STRETCH_HOLD_RANGE[0] <= ex.hold_seconds <= STRETCH_HOLD_RANGE[1], ex.id
            assert ex.reps is None and ex.seconds_per_rep == 0, ex.id
            assert dose_text(ex).startswith(f"Hold {ex.hold_seconds} s"), ex.id
        elif ex.kind == "strength":
            assert ex.hold_seconds is None and ex.reps and ex.seconds_per_rep > 0, ex.id
            assert 2 <= ex.sets <= 3 and ex.rest_seconds > 0, ex.id
            assert f"{ex.sets} sets of {ex.reps}" in dose_text(ex), ex.id
    assert library["warm_up"].kind == "warmup" and library["warm_up"].hold_seconds == 300
    assert dose_text(library["warm_up"]) == "5 minutes"
    per_side = {i for i, e in library.items() if e.per_side}
    assert {"hip_flexor", "pigeon", "it_band", "clamshell", "hip_extension", "figure_four"} <= per_side
    assert not ({"butterfly", "bridge", "warm_up"} & per_side)
    assert "on each side" in dose_text(library["pigeon"]) and "on each side" not in dose_text(library["butterfly"])


def test_kinds_match_the_routines(library):
    presets = load_routine_content(library=library).presets
    assert {library[i].kind for i in presets["article"].exercise_ids} == {"stretch"}
    assert {library[i].kind for i in presets["strength"].exercise_ids} == {"strength"}


def test_variants_point_to_real_exercises_and_say_when_to_choose_them(library):
    variants = [e for e in library.values() if e.replaces is not None]
    assert {v.id for v in variants} == {"half_kneeling_hip_flexor", "standing_hip_flexor", "figure_four"}
    for v in variants:
        assert v.replaces in library and library[v.replaces].replaces is None
        assert v.choose_variant_when and library[v.replaces].choose_variant_when
        assert v.kind == library[v.replaces].kind
    assert [v.id for v in variants_of(library, "hip_flexor")] == ["half_kneeling_hip_flexor", "standing_hip_flexor"]


@pytest.mark.parametrize("exercise_id, tailoring, expected", [
    ("hip_flexor", set(), "hip_flexor"),
    ("hip_flexor", {"kneeling_painful"}, "standing_hip_flexor"),
    ("pigeon", {"pigeon_uncomfortable"}, "figure_four"),
    ("pigeon", {"kneeling_painful"}, "pigeon"),
    ("bridge", {"kneeling_painful", "pigeon_uncomfortable"}, "bridge"),
])
def test_the_routine_swaps_in_the_variant_the_screener_tailoring_calls_for(library, exercise_id, tailoring, expected):
    # The variant the Routine page offers (hipknee.routines) for the real library.
    subs = suggest_substitutions([exercise_id], tailoring, library)
    assert apply_substitutions([exercise_id], subs) == (expected,)


# ---- pictures --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize("exercise_id", REQUIRED_IDS)
def test_every_picture_renders_to_valid_svg(exercise_id, side, library):
    svg = pose_svg(exercise_id, side=side, size=300)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width") == "300"
    x0, y0, w, h = (float(v) for v in root.get("viewBox").split())
    assert w == 240 and 0 < h <= 180
    assert "max-width:100%" in root.get("style")  # shrinks to the container on a phone
    assert root.get("role") == "img" and library[exercise_id].name in root.get("aria-label")
    assert "currentColor" in svg and exlib.ACCENT in svg
    heads = root.findall(f"{SVG_NS}circle")
    assert heads, "the figure needs a head"
    lines = root.findall(f"{SVG_NS}polyline")
    assert len(lines) >= 5  # torso, two arms, two legs
    assert root.find(f"{SVG_NS}line") is not None  # the floor
    for line in lines:  # every point inside the picture
        for pair in line.get("points").split():
            x, y = (float(v) for v in pair.split(","))
            assert 0 <= x <= 240 and y0 <= y <= y0 + h, (exercise_id, pair)


def test_right_side_is_the_mirror_image_and_two_sided_moves_are_not_mirrored(library):
    for ex in library.values():
        left, right = pose_svg(ex.id, side="left"), pose_svg(ex.id, side="right")
        if ex.per_side:
            assert left != right, ex.id
            assert "left side" in left and "right side" in right
        else:
            assert left.replace("left", "") == right.replace("right", ""), ex.id
    # A mirrored point: x becomes 240 - x.
    pose = load_poses()["pigeon"]
    hx, hy = pose.joints["head"]
    right = pose_svg("pigeon", side="right")
    assert f'cx="{exlib._fmt(240 - hx)}" cy="{exlib._fmt(exlib.FLOOR_Y - hy)}"' in right


def test_poses_match_their_posture():
    for ex_id, pose in load_poses().items():
        j = pose.joints
        lowest_foot = min(j[n][1] for n in ("near_ankle", "near_toe", "far_ankle", "far_toe"))
        if pose.posture == "standing":
            assert j["head"][1] > 130 and j["hip"][1] > 70 and lowest_foot < 8, ex_id
        elif pose.posture == "lying":
            assert j["head"][1] < 30 and j["neck"][1] < 30, ex_id
        elif pose.posture == "kneeling":
            assert 90 < j["head"][1] < 130 and min(j["near_knee"][1], j["far_knee"][1]) < 20, ex_id
        else:  # sitting
            assert j["hip"][1] < 25 and j["head"][1] < 100, ex_id
    poses = load_poses()
    assert poses["butterfly"].view == "front" and poses["it_band"].view == "front"
    assert poses["half_kneeling_hip_flexor"].props and poses["half_kneeling_hip_flexor"].props[-1].kind == "pad"


def test_pose_svg_rejects_bad_arguments():
    with pytest.raises(ValueError, match="side"):
        pose_svg("bridge", side="both")
    with pytest.raises(ValueError, match="size"):
        pose_svg("bridge", size=0)
    with pytest.raises(ValueError, match="no exercise with id 'squat'"):
        pose_svg("squat")


# ---- validation ------------------------------------------------------------------------------------------

def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = EXERCISES_PATH.read_text()
    assert old in text, f"test setup: {old!r} not in the file"
    path = tmp_path / "exercises.toml"
    path.write_text(text.replace(old, new, count))
    return path


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ('kind = "stretch"', 'kind = "yoga"', ["'hip_flexor'", "'kind'", "yoga"]),
        ("hold_seconds = 30\n", "hold_seconds = 5\n", ["'hip_flexor'", "'hold_seconds'", "30 to 60"]),
        ("reps = 12", "reps = 12\nhold_seconds = 30", ["'clamshell'", "'hold_seconds'", "strength"]),
        ("reps = 12", "reps = 0", ["'clamshell'", "'reps'"]),
        ("seconds_per_rep = 3", "seconds_per_rep = 0", ["'clamshell'", "'seconds_per_rep'"]),
        ("per_side = true", 'per_side = "yes"', ["'hip_flexor'", "'per_side'"]),
        ("steps = [", "stepz = [", ["'warm_up'", "unknown field", "stepz"]),
        ('name = "Glute bridge"', 'name = ""', ["'bridge'", "'name'"]),
        ('cues = [\n  "Easy pace: you should still be able to chat.",\n  "Stand tall and let your arms swing.",\n]',
         "cues = []", ["'warm_up'", "'cues'", "non-empty list"]),
        ('replaces = "pigeon"', 'replaces = "pidgeon"', ["'figure_four'", "'replaces'", "pidgeon"]),
        ('id = "bridge"', 'id = "clamshell"', ["'clamshell'", "'id'", "twice"]),
        ('id = "it_band"', 'id = "it_band_2"', ["required exercise(s) missing: it_band"]),
        ('replaces = "hip_flexor"', 'replaces = "hip_flexor"\nsuggested_when = "kneeling_painful"',
         ["'standing_hip_flexor'", "'suggested_when'", "half_kneeling_hip_flexor"]),
        ('suggested_when = "pigeon_uncomfortable"', 'suggested_when = "Pigeon hurts"',
         ["'figure_four'", "'suggested_when'"]),
        ("hip = [112, 84]", "hip = [112, 400]", ["'warm_up'", "'pose.hip'", "outside the picture"]),
        ("hip = [112, 84]", "hip = [112]", ["'warm_up'", "'pose.hip'", "two numbers"]),
        ("hip = [112, 84]", "hipp = [112, 84]", ["'warm_up'", "'pose'", "hipp"]),
        ('posture = "standing"', 'posture = "flying"', ["'warm_up'", "'pose.posture'"]),
        ('accent = ["near_thigh"]', 'accent = ["near_elbbow"]', ["'hip_flexor'", "'pose.accent'", "near_elbbow"]),
        ("[exercise.pose]", "[exercise.picture]", ["'warm_up'", "unknown field", "picture"]),
        ('  "Sharp, stabbing', '  42, "Sharp, stabbing', ["top level", "'common_stop_signs[0]'"]),
        ('id = "bridge"', "id = bridge", ["not valid TOML"]),
    ],
)
def test_validation_rejects_broken_data_with_a_clear_message(tmp_path, old, new, expected):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ExerciseDataError) as info:
        load_exercises(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in expected:
        assert fragment in message, message


def test_missing_pose_is_rejected(tmp_path):
    text = EXERCISES_PATH.read_text()
    start = text.index("[exercise.pose]")
    end = text.index("[[exercise]]", start)
    path = tmp_path / "exercises.toml"
    path.write_text(text[:start] + text[end:])
    with pytest.raises(ExerciseDataError, match=r"exercise 'warm_up': field 'pose' is missing"):
        load_exercises(path)


def test_missing_file_and_empty_file(tmp_path):
    with pytest.raises(ExerciseDataError, match="file not found"):
        load_exercises(tmp_path / "nope.toml")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    with pytest.raises(ExerciseDataError, match=r"no \[\[exercise\]\] entries"):
        load_exercises(empty)


def test_a_valid_copy_loads_and_edits_are_picked_up(tmp_path):
    path = tmp_path / "exercises.toml"
    path.write_text(EXERCISES_PATH.read_text())
    assert load_exercises(path) == load_exercises()
    path.write_text(EXERCISES_PATH.read_text().replace('name = "Glute bridge"', 'name = "Bridge"'))
    import os
    os.utime(path, (1, 1))  # a different mtime, whatever the clock resolution
    assert load_exercises(path)["bridge"].name == "Bridge"
