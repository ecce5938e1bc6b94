"""The exercise library: content rules, pictures that render, and validation that names file, id and field."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hipknee import exercises as exlib
from hipknee.exercises import (
    EXERCISES_PATH,
    POSITIONS,
    REQUIRED_IDS,
    STRETCH_HOLD_RANGE,
    Exercise,
    ExerciseDataError,
    dose_text,
    load_exercises,
    pose_svg,
    variants_of,
)
from hipknee.routines import apply_substitutions, load_routine_content, suggest_substitutions
from tests.helpers import load_poses

SVG_NS = "{http://www.w3.org/2000/svg}"
CONTRACT_FIELDS = [
    "id", "name", "kind", "per_side", "position", "hold_seconds", "reps", "seconds_per_rep", "sets", "rest_seconds",
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


def test_every_exercise_says_where_the_body_is(library):
    assert {ex.position for ex in library.values()} <= set(POSITIONS)
    assert library["clamshell"].position == "side_lying"  # "Lie on your right side ..."
    assert library["bridge"].position == library["figure_four"].position == "floor_back"
    assert library["butterfly"].position == "sitting"
    assert library["warm_up"].position == library["it_band"].position == "standing"
    assert library["half_kneeling_hip_flexor"].position == "kneeling"
    for ex in library.values():  # the words agree with the position
        first = ex.steps[0].lower()
        if ex.position == "side_lying":
            assert "lie on your" in first and "side" in first, ex.id
        if ex.position == "floor_back":
            assert "lie on your back" in first, ex.id


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
    heads = list(root.iter(f"{SVG_NS}circle"))
    assert heads, "the figure needs a head"
    lines = list(root.iter(f"{SVG_NS}polyline"))
    assert len(lines) >= 5  # torso, two arms, two legs
    assert root.find(f"{SVG_NS}line") is not None  # the floor
    for line in lines:  # every point inside the picture
        for pair in line.get("points").split():
            x, y = (float(v) for v in pair.split(","))
            assert 0 <= x <= 240 and y0 <= y <= y0 + h, (exercise_id, pair)
    for anim in root.iter(f"{SVG_NS}animate"):  # and every point the animation passes through
        if anim.get("attributeName") == "points":
            for frame in anim.get("values").split(";"):
                for pair in frame.split():
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


def _groups(svg: str) -> tuple[ET.Element, ET.Element | None, ET.Element | None]:
    root = ET.fromstring(svg)
    groups = {g.get("class"): g for g in root.iter(f"{SVG_NS}g")}
    return root, groups.get("hk-pose-move"), groups.get("hk-pose-still")


def _svg_point(p: tuple[float, float], mirror: bool) -> tuple[float, float]:
    return (240 - p[0] if mirror else p[0]), exlib.FLOOR_Y - p[1]


def _head(group: ET.Element) -> tuple[float, float]:
    head = [c for c in group.iter(f"{SVG_NS}circle") if c.get("r") == str(exlib.HEAD_RADIUS)]
    assert len(head) == 1
    return float(head[0].get("cx")), float(head[0].get("cy"))


@pytest.mark.parametrize("side", ["left", "right"])
def test_every_picture_shows_start_and_end_animated_with_a_still_for_reduced_motion(library, side):
    poses = load_poses()
    for ex in library.values():
        pose = poses[ex.id]
        start, end = pose.frame("start"), pose.frame("end")
        assert start != end, f"{ex.id}: every exercise shows a movement from start to end"
        mirror = ex.per_side and side == "right"
        root, move, still = _groups(pose_svg(ex.id, side=side))
        assert move is not None and still is not None, ex.id
        # The animated copy starts at the start position and passes through the end position.
        anims = {(a.get("attributeName"), a.get("values")) for a in move.iter(f"{SVG_NS}animate")}
        assert anims, ex.id
        assert all(a.get("repeatCount") == "indefinite" for a in move.iter(f"{SVG_NS}animate"))
        sx, sy = _svg_point(start["head"], mirror)
        assert _head(move) == pytest.approx((sx, sy), abs=0.06), ex.id
        leg = [exlib._fmt(v) for j in ("near_knee", "near_ankle") for v in _svg_point(end[j], mirror)]
        near_leg = f"{leg[0]},{leg[1]} {leg[2]},{leg[3]}"
        assert any(near_leg in (values or "") for name, values in anims if name == "points"), ex.id
        # The still copy: no animation; the start of a strength move, the hold position of anything else.
        assert list(still.iter(f"{SVG_NS}animate")) == []
        which = "start" if ex.kind == "strength" else "end"
        assert still.get("data-frame") == which
        assert _head(still) == pytest.approx(_svg_point(pose.frame(which)["head"], mirror), abs=0.06), ex.id
        # Reduced motion swaps the animated copy for the still one.
        css = "".join(st.text or "" for st in root.iter(f"{SVG_NS}style"))
        media = re.search(r"@media \(prefers-reduced-motion: reduce\)\{(.*)\}", css)
        assert media, ex.id
        assert ".hk-pose-move{display:none}" in media.group(1) and ".hk-pose-still{display:inline}" in media.group(1)
        assert css.startswith(".hk-pose-still{display:none}")


def _contrast(a: str, b: str) -> float:
    def lum(h: str) -> float:
        c = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_working_colour_has_non_text_contrast_on_both_themes():
    # WCAG 2.1 SC 1.4.11: 3:1 for graphics that carry meaning; Streamlit's light and dark backgrounds.
    assert _contrast(exlib.WORK_COLOUR, "#ffffff") >= 3
    assert _contrast(exlib.WORK_COLOUR, "#0e1117") >= 3


@pytest.mark.parametrize("side", ["left", "right"])
def test_the_working_leg_is_highlighted_and_named_to_match_the_instructions(library, side):
    poses = load_poses()
    for ex in library.values():
        pose = poses[ex.id]
        svg = pose_svg(ex.id, side=side)
        root = ET.fromstring(svg)
        working = [e for e in root.iter() if e.get("class") == "hk-working"]
        legend = [t.text for t in root.iter(f"{SVG_NS}text")]
        if not ex.per_side:
            assert working == [] and legend == [] and exlib.WORK_COLOUR not in svg, ex.id
            assert "both sides" in root.get("aria-label") and pose.working_side_text == ""
            continue
        # Colour: the near leg (the one the instructions work), in both copies, in the working colour.
        mirror = side == "right"
        near = " ".join(f"{exlib._fmt(x)},{exlib._fmt(y)}" for x, y in (
            _svg_point(pose.frame("start")[j], mirror) for j in ("hip", "near_knee", "near_ankle", "near_toe")))
        assert len(working) == 2 and all(w.get("stroke") == exlib.WORK_COLOUR for w in working), ex.id
        assert working[0].get("points") == near, ex.id
        # Words: the title, the aria-label and the visible legend name the same leg.
        assert f"the {side} leg works" in root.get("aria-label"), ex.id
        assert f"the {side} leg works" in root.find(f"{SVG_NS}title").text
        assert legend == [f"{side.capitalize()} leg works"], ex.id
        # ...and the instructions say so: the pose's words naming the left side are in the steps.
        text = " ".join(" ".join(ex.steps).split()).lower()
        assert pose.working_side_text and pose.working_side_text.lower() in text, ex.id
        assert "left" in pose.working_side_text.lower().split()


def test_clamshell_lying_on_the_right_side_works_the_left_leg(library):
    clam = library["clamshell"]
    assert "Lie on your right side" in clam.steps[0]
    pose = load_poses()["clamshell"]
    # The left (near, working) knee lifts; the right (far) one stays on the floor.
    assert pose.frame("end")["near_knee"][1] - pose.frame("start")["near_knee"][1] > 15
    assert pose.frame("end")["far_knee"] == pose.frame("start")["far_knee"]
    assert "the left leg works" in pose_svg("clamshell", side="left")


def test_a_level_can_bring_its_own_pose_and_falls_back_to_the_exercise(library):
    poses = load_poses()
    own = dataclasses.replace(poses["bridge"], end={**poses["bridge"].end, "far_knee": (140, 60)})
    default, levelled = pose_svg("bridge"), pose_svg("bridge", pose=own)
    assert default != levelled and "120,60" not in default
    assert f"{exlib._fmt(140)},{exlib._fmt(exlib.FLOOR_Y - 60)}" in levelled
    assert pose_svg("bridge", pose=None) == default


def test_render_pose_rejects_an_unknown_still_frame():
    with pytest.raises(ValueError, match="still"):
        exlib.render_pose(load_poses()["bridge"], still="middle")
    with pytest.raises(ValueError, match="frame"):
        load_poses()["bridge"].frame("middle")


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
        ('working_side_text = "lift your left knee"', 'working_side_text = "lift your left foot"',
         ["'clamshell'", "'pose.working_side_text'", "does not appear in the steps"]),
        ('working_side_text = "lift your left knee"', 'working_side_text = "lift your right knee"',
         ["'clamshell'", "'pose.working_side_text'", "left side"]),
        ('working_side_text = "lift your left knee"\n', "", ["'clamshell'", "'pose.working_side_text'", "is needed"]),
        ("per_side = true\nreps = 12", "per_side = false\nreps = 12",
         ["'clamshell'", "'pose.working_side_text'", "both sides"]),
        ("[exercise.pose.end]\nnear_knee = [128, 40]", "[exercise.pose.end]\nnear_kne = [128, 40]",
         ["'clamshell'", "near_kne", "unknown joint"]),
        ('posture = "standing"', 'posture = "flying"', ["'warm_up'", "'pose.posture'"]),
        ('position = "side_lying"', 'position = "lying"', ["'clamshell'", "'position'", "side_lying"]),
        ('position = "standing"\n', "", ["'warm_up'", "'position'", "missing"]),
        ('accent = ["near_thigh"]', 'accent = ["near_elbbow"]', ["'hip_flexor'", "'pose.accent'", "near_elbbow"]),
        # (warm_up's [exercise.pose.end] table still opens a pose, so its joints are reported missing)
        ("[exercise.pose]", "[exercise.picture]", ["'warm_up'", "'pose.head' is missing"]),
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


def test_every_programme_level_picture_renders_moves_and_names_the_working_leg(library):
    """Levels (hipknee.programme, when present) draw their own pose, or fall back to the exercise's."""
    programme = pytest.importorskip("hipknee.programme")
    poses = load_poses()
    for ex in programme.load_programme().exercises.values():
        for level in ex.levels:
            pose = level.pose if level.pose is not None else poses[ex.id]
            for side in ("left", "right"):
                svg = pose_svg(ex.id, side=side, pose=level.pose)
                root, move, still = _groups(svg)
                assert root.get("role") == "img" and library[ex.id].name in root.get("aria-label")
                assert pose.frame("start") != pose.frame("end"), (ex.id, level.name)
                assert move is not None and still is not None, (ex.id, level.name)
                assert list(move.iter(f"{SVG_NS}animate")) and not list(still.iter(f"{SVG_NS}animate"))
                assert "prefers-reduced-motion: reduce" in svg
                if library[ex.id].per_side:
                    assert f"the {side} leg works" in root.get("aria-label"), (ex.id, level.name)
                    if level.pose is not None and level.pose.working_side_text:
                        steps = " ".join(" ".join(library[ex.id].steps).split()).lower()
                        assert level.pose.working_side_text.lower() in steps, (ex.id, level.name)
