"""Routines: presets, expansion into steps, durations, per-side steps, safer variants, share links."""

from __future__ import annotations

import dataclasses
import re
from itertools import pairwise
from pathlib import Path

import pytest

from hipknee import routines as r
from hipknee.errors import ValidationError


@dataclasses.dataclass(frozen=True)
class Ex:
    """Stands in for hipknee.exercises.Exercise with only the fields routines reads."""

    id: str
    name: str
    kind: str = "stretch"
    per_side: bool = False
    position: str = "standing"
    hold_seconds: int | None = 30
    reps: int | None = None
    seconds_per_rep: int = 3
    sets: int = 1
    rest_seconds: int = 0
    cues: tuple[str, ...] = ("Breathe slowly",)
    replaces: str | None = None
    suggested_when: str | None = None
    choose_variant_when: str = ""


def lib(*exercises: Ex) -> dict[str, Ex]:
    return {e.id: e for e in exercises}


WARM = Ex("warm_up", "Warm-up", kind="warmup", hold_seconds=300, cues=("March on the spot",))
STRETCH = Ex("butterfly", "Butterfly stretch", hold_seconds=45, cues=("Sit tall", "Knees down"))
SIDED = Ex("hip_flexor", "Hip-flexor stretch", per_side=True, hold_seconds=30)
REPS = Ex("clamshell", "Clamshell", kind="strength", per_side=True, hold_seconds=None, reps=10,
          seconds_per_rep=3, sets=2, rest_seconds=30)
BRIDGE = Ex("bridge", "Bridge", kind="strength", hold_seconds=None, reps=12, seconds_per_rep=4, sets=3,
            rest_seconds=20)
SAFER = Ex("standing_hip_flexor", "Standing hip-flexor stretch", per_side=True, replaces="hip_flexor",
           suggested_when="kneeling_painful", choose_variant_when="Pick this if kneeling hurts.")
LIB = lib(WARM, STRETCH, SIDED, REPS, BRIDGE, SAFER)


def kinds(plan: r.Plan) -> list[tuple[str, str, str | None, int]]:
    return [(s.kind, s.exercise_id, s.side, s.seconds) for s in plan.steps]


# ---- expansion -------------------------------------------------------------------------------------


def test_single_hold_gets_a_get_ready_then_the_hold():
    plan = r.expand(r.RoutineSettings(("butterfly",)), LIB)
    assert kinds(plan) == [("get_ready", "butterfly", None, 5), ("hold", "butterfly", None, 45)]
    assert plan.total_seconds == 50
    assert [s.start for s in plan.steps] == [0, 5]
    assert plan.steps[1].cue == "Sit tall"  # the first cue is the one shown


def test_per_side_hold_is_left_then_right_with_a_switch_pause():
    plan = r.expand(r.RoutineSettings(("hip_flexor",)), LIB)
    assert kinds(plan) == [
        ("get_ready", "hip_flexor", "left", r.GET_READY_SECONDS),
        ("hold", "hip_flexor", "left", 30),
        ("switch", "hip_flexor", "right", r.SWITCH_SECONDS),
        ("hold", "hip_flexor", "right", 30),
    ]
    assert plan.steps[2].title == "Switch sides"
    assert plan.total_seconds == 5 + 30 + 5 + 30


def test_every_hold_and_rep_run_has_a_five_second_count_before_it():
    plan = r.expand(r.RoutineSettings(("hip_flexor", "clamshell", "bridge"), warmup=True), LIB)
    for before, work in pairwise(plan.steps):
        if work.is_work:
            assert before.kind in ("get_ready", "switch"), (before, work)
            assert before.seconds == 5
            assert before.exercise_id == work.exercise_id and before.side == work.side


def test_reps_in_sets_with_rests_between_sets_only():
    plan = r.expand(r.RoutineSettings(("clamshell",)), LIB)
    assert kinds(plan) == [
        ("get_ready", "clamshell", "left", 5), ("reps", "clamshell", "left", 30),
        ("switch", "clamshell", "right", 5), ("reps", "clamshell", "right", 30),
        ("rest", "clamshell", None, 30),
        ("get_ready", "clamshell", "left", 5), ("reps", "clamshell", "left", 30),
        ("switch", "clamshell", "right", 5), ("reps", "clamshell", "right", 30),
    ]
    reps = [s for s in plan.steps if s.kind == "reps"]
    assert all(s.reps == 10 and s.seconds_per_rep == 3 for s in reps)
    assert [s.set_number for s in reps] == [1, 1, 2, 2]
    assert all(s.sets == 2 for s in plan.steps)


def test_warm_up_comes_first_and_keeps_its_own_length():
    plan = r.expand(r.RoutineSettings(("butterfly",), hold_seconds=20, warmup=True), LIB)
    assert kinds(plan)[:2] == [("get_ready", "warm_up", None, 5), ("hold", "warm_up", None, 300)]
    assert plan.steps[1].title == "Warm up"
    assert kinds(plan)[2:] == [("get_ready", "butterfly", None, 5), ("hold", "butterfly", None, 20)]


# ---- positions: a longer pause to change position, and which leg works (issue 17) ---------------------


@pytest.mark.parametrize(
    "previous, position, seconds",
    [
        (None, "side_lying", 5),  # the first exercise: Start is pressed once in place
        ("standing", "standing", 5),
        ("floor_back", "floor_back", 5),
        ("sitting", "side_lying", 10),
        ("side_lying", "standing", 10),
        ("floor_back", "side_lying", 10),
        ("kneeling", "prone", 10),
    ],
)
def test_the_pause_before_an_exercise_is_longer_when_the_position_changes(previous, position, seconds):
    assert r.pause_before(previous, position) == seconds
    assert r.POSITION_CHANGE_SECONDS >= 10 and r.GET_READY_SECONDS == 5


def test_an_unknown_position_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="unknown position 'lying'.*side_lying"):
        r.pause_before("standing", "lying")
    with pytest.raises(ValueError, match="unknown position 'upside_down'"):
        r.pause_before("upside_down", "standing")
    with pytest.raises(ValueError, match="unknown position"):
        r.side_label("left", "hanging")


def test_lying_on_one_side_works_the_top_leg():
    assert r.get_into("side_lying", "left") == "lie on your right side"
    assert r.get_into("side_lying", "right") == "lie on your left side"
    assert r.get_into("side_lying") == "lie on your side"
    assert r.get_into("floor_back", "left") == "lie on your back"
    assert r.side_label("left", "side_lying") == "Left leg works · lying on your right side"
    assert r.side_label("right", "standing") == "Right leg works"
    assert r.side_label(None, "floor_back") == ""


def _placed(**positions: str) -> dict[str, Ex]:
    return {i: dataclasses.replace(e, position=positions.get(i, e.position)) for i, e in LIB.items()}


def test_expand_gives_ten_seconds_to_change_position_between_exercises():
    library = _placed(butterfly="sitting", clamshell="side_lying", bridge="floor_back", hip_flexor="kneeling")
    settings = r.RoutineSettings(("butterfly", "clamshell", "bridge"), sets=1, warmup=True)
    plan = r.expand(settings, library)
    ready = [(s.exercise_id, s.seconds, s.move_to) for s in plan.steps if s.kind == "get_ready"]
    assert ready == [
        ("warm_up", 5, ""),  # the first: no move needed before Start
        ("butterfly", 10, "sit on the mat"),  # standing -> sitting
        ("clamshell", 10, "lie on your right side"),  # sitting -> on the side; the left leg works first
        ("bridge", 10, "lie on your back"),
    ]
    # the same position twice in a row keeps the usual 5 s
    same = r.expand(r.RoutineSettings(("hip_flexor", "butterfly"), sets=1), _placed(butterfly="standing"))
    assert [s.seconds for s in same.steps if s.kind == "get_ready"] == [5, 5]
    assert all(not s.move_to for s in same.steps)
    # the total counts the longer pauses
    assert plan.total_seconds == sum(s.seconds for s in plan.steps)
    assert plan.total_seconds == 305 + (10 + 45) + (10 + 30 + 5 + 30) + (10 + 48)


def test_the_player_is_told_where_to_go_and_which_leg_works():
    library = _placed(butterfly="sitting", clamshell="side_lying")
    plan = r.expand(r.RoutineSettings(("butterfly", "clamshell"), sets=2), library)
    clam = [s for s in plan.steps if s.exercise_id == "clamshell"]
    first = clam[0]
    assert (first.kind, first.side, first.position) == ("get_ready", "left", "side_lying")
    assert first.side_label == "Left leg works · lying on your right side"
    assert first.say == "Get ready. Next, lie on your right side. Clamshell, left leg, set 1 of 2."
    switch = clam[2]
    assert switch.kind == "switch" and switch.move_to == "turn over and lie on your left side"
    assert switch.say == "Switch sides. Next, turn over and lie on your left side. Right leg next."
    assert switch.side_label == "Right leg works · lying on your left side"
    set_two = [s for s in clam if s.kind == "get_ready" and s.set_number == 2][0]
    assert set_two.seconds == 5 and set_two.move_to == "turn over and lie on your right side"
    as_dict = first.as_dict()
    assert as_dict["position"] == "side_lying" and as_dict["move_to"] == "lie on your right side"
    assert as_dict["side_label"] == first.side_label
    butterfly = plan.steps[0]
    assert butterfly.side_label == "" and butterfly.say == "Get ready. Butterfly stretch, set 1 of 2."


def test_the_real_library_pauses_longer_on_its_position_changes():
    from hipknee.exercises import load_exercises

    library = load_exercises()
    plan = r.expand(r.RoutineSettings(("butterfly", "clamshell", "bridge", "it_band"), sets=1), library)
    ready = {s.exercise_id: s for s in plan.steps if s.kind == "get_ready"}
    assert [ready[i].seconds for i in ("butterfly", "clamshell", "bridge", "it_band")] == [5, 10, 10, 10]
    assert ready["clamshell"].move_to == "lie on your right side"
    assert ready["it_band"].move_to == "stand up"
    # the clamshell's own words say the same as the label: lie on your right side, lift your left knee
    assert "Lie on your right side" in library["clamshell"].steps[0]
    assert ready["clamshell"].side_label.startswith("Left leg works")


def test_builder_hold_and_sets_override_each_exercises_own():
    plan = r.expand(r.RoutineSettings(("hip_flexor", "bridge"), hold_seconds=60, sets=1), LIB)
    holds = [s.seconds for s in plan.steps if s.kind == "hold"]
    assert holds == [60, 60]
    bridge = [s for s in plan.steps if s.exercise_id == "bridge"]
    # one set: no rest; the hold length does not change a run of reps (12 x 4 s)
    assert [(s.kind, s.seconds) for s in bridge] == [("get_ready", 5), ("reps", 48)]


def test_sets_above_one_repeat_stretches_too():
    plan = r.expand(r.RoutineSettings(("butterfly",), sets=3), LIB)
    assert [s.kind for s in plan.steps] == ["get_ready", "hold"] * 3  # butterfly has no rest
    assert [s.set_number for s in plan.steps if s.is_work] == [1, 2, 3]


def test_steps_are_contiguous_and_total_is_their_sum():
    settings = r.RoutineSettings(("hip_flexor", "clamshell", "butterfly", "bridge"), sets=2, warmup=True)
    plan = r.expand(settings, LIB)
    assert [s.index for s in plan.steps] == list(range(len(plan.steps)))
    for a, b in pairwise(plan.steps):
        assert b.start == a.end
    assert plan.total_seconds == sum(s.seconds for s in plan.steps)
    # hand count: warm-up 305; hip_flexor 2 sets x 70; clamshell 2 x 70 + rest 30;
    # butterfly 2 x 50; bridge 2 x (5 + 48) + rest 20
    assert plan.total_seconds == 305 + 140 + 170 + 100 + 126


def test_work_steps_count_holds_and_reps_only():
    plan = r.expand(r.RoutineSettings(("hip_flexor", "clamshell")), LIB)
    assert len(plan.work_steps) == 2 + 4
    summary = plan.summary()
    assert summary["work_steps"] == 6 and summary["seconds"] == plan.total_seconds
    assert summary["exercises"] == ["hip_flexor", "clamshell"]


def test_plan_id_is_stable_and_changes_with_the_routine():
    a = r.expand(r.RoutineSettings(("butterfly",)), LIB)
    b = r.expand(r.RoutineSettings(("butterfly",)), LIB)
    c = r.expand(r.RoutineSettings(("butterfly",), hold_seconds=40), LIB)
    assert a.plan_id == b.plan_id != c.plan_id


@pytest.mark.parametrize(
    "settings, expected",
    [
        (r.RoutineSettings(()), "at least one exercise"),
        (r.RoutineSettings(("nope",)), "Unknown exercise nope"),
        (r.RoutineSettings(("butterfly", "butterfly")), "more than once"),
        (r.RoutineSettings(("warm_up",)), "warm-up is switched on and off"),
        (r.RoutineSettings(("butterfly",), hold_seconds=4), "5 to 300 seconds, not 4"),
        (r.RoutineSettings(("butterfly",), hold_seconds=301), "not 301"),
        (r.RoutineSettings(("butterfly",), sets=0), "Sets must be 1 to 5, not 0"),
        (r.RoutineSettings(("butterfly",), sets=6), "not 6"),
        (r.RoutineSettings(("butterfly",), sets=True), "Sets must be"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(settings, expected):
    with pytest.raises(ValidationError, match=expected):
        r.expand(settings, LIB)
    assert any(re.search(expected, problem) for problem in r.settings_problems(settings, LIB))


def test_limits_are_accepted():
    for hold in (5, 300):
        for sets in (1, 5):
            settings = r.RoutineSettings(("butterfly",), hold_seconds=hold, sets=sets)
            assert r.settings_problems(settings, LIB) == []
            assert r.expand(settings, LIB).steps


def test_format_clock_counts_down_like_a_countdown():
    assert r.format_clock(30) == "0:30"
    assert r.format_clock(29.01) == "0:30"
    assert r.format_clock(0.2) == "0:01"
    assert r.format_clock(0) == "0:00"
    assert r.format_clock(605) == "10:05"
    assert r.format_clock(3725) == "62:05"
    assert r.describe_duration(45) == "45 seconds"
    assert r.describe_duration(14 * 60 + 20) == "about 14 minutes"


# ---- safer variants --------------------------------------------------------------------------------


def test_safer_variant_is_suggested_for_a_matching_flag_and_can_be_declined():
    subs = r.suggest_substitutions(["hip_flexor", "butterfly"], {"kneeling_painful"}, LIB)
    assert subs == [r.Substitution("hip_flexor", "standing_hip_flexor", "kneeling_painful",
                                   "Pick this if kneeling hurts.")]
    assert r.apply_substitutions(["hip_flexor", "butterfly"], subs) == ("standing_hip_flexor", "butterfly")
    assert r.apply_substitutions(["hip_flexor", "butterfly"], subs, keep_original={"hip_flexor"}) == (
        "hip_flexor", "butterfly")


def test_no_suggestion_without_the_flag_or_the_original():
    assert r.suggest_substitutions(["hip_flexor"], set(), LIB) == []
    assert r.suggest_substitutions(["hip_flexor"], {"pigeon_uncomfortable"}, LIB) == []
    assert r.suggest_substitutions(["butterfly"], {"kneeling_painful"}, LIB) == []
    # the variant is already in the routine: nothing to swap
    assert r.suggest_substitutions(["hip_flexor", "standing_hip_flexor"], {"kneeling_painful"}, LIB) == []


# ---- share links -----------------------------------------------------------------------------------


def test_query_example_from_the_issue():
    result = r.parse_query({"exercises": "butterfly,clamshell", "hold": "20", "sets": "1", "warmup": "0"},
                           LIB)
    assert result.messages == ()
    assert result.settings == r.RoutineSettings(("butterfly", "clamshell"), 20, 1, False)
    assert r.query_string(result.settings) == "exercises=butterfly,clamshell&hold=20&sets=1&warmup=0"


@pytest.mark.parametrize(
    "settings",
    [
        r.RoutineSettings(("butterfly", "clamshell"), 20, 1, False),
        r.RoutineSettings(("clamshell", "hip_flexor", "bridge"), None, None, True),
        r.RoutineSettings(("bridge",), 300, None, False),
        r.RoutineSettings(("hip_flexor",), None, 5, True),
    ],
)
def test_query_round_trip(settings):
    params = r.format_query(settings)
    assert set(params) <= set(r.QUERY_KEYS)
    assert r.parse_query(params, LIB) == r.QueryResult(settings, ())
    # and through the literal string, as a browser would hand it back
    from urllib.parse import parse_qs

    parsed = {k: v for k, v in parse_qs(r.query_string(settings)).items()}
    assert r.parse_query(parsed, LIB).settings == settings


def test_no_routine_parameters_means_no_settings():
    assert r.parse_query({}, LIB) == r.QueryResult(None, ())
    assert r.parse_query({"utm_source": "x"}, LIB) == r.QueryResult(None, ())


@pytest.mark.parametrize(
    "params, settings, message",
    [
        ({"exercises": "butterfly,frog"}, r.RoutineSettings(("butterfly",)), "does not have: frog"),
        ({"exercises": "frog"}, r.RoutineSettings(("hip_flexor",)), "no exercises this app knows"),
        ({"exercises": "butterfly", "hold": "2"}, r.RoutineSettings(("butterfly",)),
         "hold=2 is outside 5 to 300"),
        ({"exercises": "butterfly", "hold": "999"}, r.RoutineSettings(("butterfly",)), "outside"),
        ({"exercises": "butterfly", "hold": "abc"}, r.RoutineSettings(("butterfly",)),
         "hold='abc' is not a whole number"),
        ({"exercises": "butterfly", "hold": "20.5"}, r.RoutineSettings(("butterfly",)),
         "not a whole number"),
        ({"exercises": "butterfly", "sets": "9"}, r.RoutineSettings(("butterfly",)),
         "sets=9 is outside 1 to 5"),
        ({"exercises": "butterfly", "sets": ""}, r.RoutineSettings(("butterfly",)), "not a whole number"),
        ({"exercises": "butterfly", "warmup": "yes"}, r.RoutineSettings(("butterfly",)), "0 or 1"),
        ({"exercises": "butterfly,butterfly"}, r.RoutineSettings(("butterfly",)), "more than once"),
    ],
)
def test_bad_query_values_give_a_message_and_a_playable_routine(params, settings, message):
    result = r.parse_query(params, LIB, default_ids=("hip_flexor",))
    assert result.settings == settings
    assert any(message in m for m in result.messages), result.messages
    r.expand(result.settings, LIB)  # never unplayable


def test_query_tolerates_spaces_case_lists_and_warm_up_in_the_list():
    result = r.parse_query({"exercises": [" Butterfly , ,clamshell "], "warmup": "0"}, LIB)
    assert result.settings == r.RoutineSettings(("butterfly", "clamshell"))
    result = r.parse_query({"exercises": "warm_up,butterfly"}, LIB)
    assert result.settings == r.RoutineSettings(("butterfly",), warmup=True)
    assert result.messages == ()


def test_other_parameters_without_exercises_use_the_default_routine():
    result = r.parse_query({"hold": "40"}, LIB, default_ids=("hip_flexor", "butterfly"))
    assert result.settings == r.RoutineSettings(("hip_flexor", "butterfly"), hold_seconds=40)
    assert result.messages == ()


# ---- presets and content file ----------------------------------------------------------------------


def test_presets_in_the_content_file():
    content = r.load_routine_content()
    presets = content.presets
    assert list(presets) == ["article", "strength", "full"]
    assert presets["article"].exercise_ids == ("hip_flexor", "butterfly", "pigeon", "it_band")
    assert presets["strength"].exercise_ids == ("clamshell", "bridge", "hip_extension")
    assert presets["full"].exercise_ids == (
        presets["strength"].exercise_ids + presets["article"].exercise_ids
    )
    assert presets["full"].warmup is True
    assert presets["article"].settings.hold_seconds is None  # each stretch keeps the article's dose
    assert content.stop_advice.points
    assert r.matching_preset(presets["strength"].settings, presets) is presets["strength"]
    assert r.matching_preset(r.RoutineSettings(("bridge",)), presets) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        ("nonsense = [", "not valid TOML"),
        ('[stop_advice]\ntitle = "t"\npoints = ["p"]\n', "at least one"),
        ('[[presets]]\nid = "a"\ntitle = "A"\nsummary = "s"\nexercises = []\nwarmup = true\n'
         '[stop_advice]\ntitle = "t"\npoints = ["p"]\n', "preset 'a': field 'exercises'"),
        ('[[presets]]\nid = "a"\ntitle = "A"\nsummary = "s"\nexercises = ["butterfly"]\n'
         '[stop_advice]\ntitle = "t"\npoints = ["p"]\n', "preset 'a': field 'warmup' is missing"),
        ('[[presets]]\nid = "a"\ntitle = "A"\nsummary = "s"\nexercises = ["frog"]\nwarmup = true\n'
         '[stop_advice]\ntitle = "t"\npoints = ["p"]\n', "unknown exercise\\(s\\) frog"),
        ('[[presets]]\nid = "a"\ntitle = "A"\nsummary = "s"\nexercises = ["warm_up"]\nwarmup = true\n'
         '[stop_advice]\ntitle = "t"\npoints = ["p"]\n', "set warmup = true instead"),
        ('[[presets]]\nid = "a"\ntitle = "A"\nsummary = "s"\nexercises = ["butterfly"]\nwarmup = true\n',
         "needs a \\[stop_advice\\]"),
    ],
)
def test_content_file_problems_name_the_file_item_and_field(tmp_path: Path, text, expected):
    path = tmp_path / "routines.toml"
    path.write_text(text)
    with pytest.raises(ValidationError, match=expected) as info:
        r.load_routine_content(path, LIB)
    assert "routines.toml" in str(info.value)


# ---- against the real exercise library -------------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    exercises = pytest.importorskip("hipknee.exercises")
    return exercises.load_exercises()


def test_presets_use_real_exercises_and_the_article_doses(library):
    content = r.load_routine_content(library=library)
    article = r.expand(content.presets["article"].settings, library)
    holds = {(s.exercise_id, s.side): s.seconds for s in article.steps if s.kind == "hold"}
    # The article: hip flexor, pigeon and IT band each side; butterfly once; holds of 30 s to a minute.
    assert set(holds) == {
        ("warm_up", None), ("hip_flexor", "left"), ("hip_flexor", "right"), ("butterfly", None),
        ("pigeon", "left"), ("pigeon", "right"), ("it_band", "left"), ("it_band", "right"),
    }
    assert holds[("warm_up", None)] == 300
    assert all(30 <= v <= 60 for k, v in holds.items() if k[0] != "warm_up")
    strength = r.expand(content.presets["strength"].settings, library)
    strength_work = [s for s in strength.steps if s.is_work and s.exercise_id != "warm_up"]
    assert {s.kind for s in strength_work} == {"reps"}
    assert all(s.reps and s.seconds == s.reps * s.seconds_per_rep for s in strength_work)
    assert {s.exercise_id for s in strength_work} == {"clamshell", "bridge", "hip_extension"}
    assert r.expand(content.presets["full"].settings, library).total_seconds > article.total_seconds


def test_real_safer_variants_replace_the_originals(library):
    ids = ("hip_flexor", "pigeon")
    subs = r.suggest_substitutions(ids, {"kneeling_painful", "pigeon_uncomfortable"}, library)
    assert {s.original_id for s in subs} == {"hip_flexor", "pigeon"}
    swapped = r.apply_substitutions(ids, subs)
    assert "hip_flexor" not in swapped and "pigeon" not in swapped
    for sub in subs:
        assert library[sub.variant_id].replaces == sub.original_id


# ---- player reports and the session record ---------------------------------------------------------


def report(**overrides):
    base = {"run": "run-1", "plan_id": "abc", "status": "in_progress", "step_index": 0, "steps_done": 0,
            "steps_planned": 4, "seconds_done": 0, "seconds_planned": 80, "sent_at": 1.7e12}
    return {**base, **overrides}


def test_parse_progress_accepts_a_report():
    progress = r.parse_progress(report(steps_done=2, seconds_done=41.0))
    assert progress == r.Progress("run-1", "abc", "in_progress", 0, 2, 4, 41, 80)
    assert not progress.finished and r.parse_progress(report(status="stopped")).finished


@pytest.mark.parametrize(
    "value",
    [None, "x", [], report(run=""), report(run=7), report(status="paused"), report(steps_done=-1),
     report(steps_done=5), report(seconds_done="10"), report(seconds_done=1.5), report(step_index=True),
     report(seconds_planned=10**9), {k: v for k, v in report().items() if k != "plan_id"}],
)
def test_parse_progress_ignores_anything_malformed(value):
    assert r.parse_progress(value) is None


def test_a_run_is_recorded_from_start_to_completion(store, today):
    runs: dict = {}
    plans = {"abc": {"plan_id": "abc", "exercises": ["butterfly"]}}
    record = r.record_progress(store, r.parse_progress(report()), runs, today=today, plans=plans)
    frame = store.sessions_frame()
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row.status == "in_progress" and row.steps_planned == 4 and row.seconds_planned == 80
    assert row.source == "player" and '"exercises": ["butterfly"]' in row.routine
    assert pd_isna(row.ended_at)

    r.record_progress(store, r.parse_progress(report(steps_done=1, seconds_done=30, step_index=3)), runs,
                      today=today, plans=plans)
    row = store.sessions_frame().iloc[0]
    assert (row.status, row.steps_done, row.seconds_done) == ("in_progress", 1, 30)

    done = r.parse_progress(report(status="completed", steps_done=4, seconds_done=80, step_index=7))
    assert r.record_progress(store, done, runs, today=today, plans=plans) is record
    row = store.sessions_frame().iloc[0]
    assert (row.status, row.steps_done, row.seconds_done) == ("completed", 4, 80)
    assert not pd_isna(row.ended_at)
    assert record.status == "completed" and len(runs) == 1


def test_recording_is_idempotent_and_a_finished_run_stays_finished(store, today):
    runs: dict = {}
    stopped = r.parse_progress(report(status="stopped", steps_done=1, seconds_done=12))
    r.record_progress(store, stopped, runs, today=today)
    ended = store.sessions_frame().iloc[0].ended_at
    r.record_progress(store, stopped, runs, today=today)  # the same report after a rerun
    r.record_progress(store, r.parse_progress(report(steps_done=3)), runs, today=today)
    frame = store.sessions_frame()
    assert len(frame) == 1
    assert (frame.iloc[0].status, frame.iloc[0].steps_done, frame.iloc[0].ended_at) == ("stopped", 1, ended)
    assert frame.iloc[0].routine == '{"plan_id": "abc"}'  # an unknown plan is still traceable


def test_each_run_gets_its_own_session(store, today):
    runs: dict = {}
    r.record_progress(store, r.parse_progress(report(status="completed", steps_done=4)), runs, today=today)
    r.record_progress(store, r.parse_progress(report(run="run-2")), runs, today=today)
    frame = store.sessions_frame()
    assert list(frame.status) == ["completed", "in_progress"]
    assert runs["run-1"].session_id != runs["run-2"].session_id


def test_a_run_of_todays_programme_session_becomes_a_programme_session_once(store, today):
    # Issue 12: moved from pages/routine.py. The plan's summary carries the levels it plays.
    runs: dict = {}
    plans = {"abc": {"plan_id": "abc", r.PROGRAMME_LEVELS: {"clamshell": 2}}, "xyz": {"plan_id": "xyz"}}
    assert r.programme_levels(plans, "abc") == {"clamshell": 2} and r.programme_levels(plans, "xyz") is None
    r.record_progress(store, r.parse_progress(report()), runs, today=today, plans=plans)
    r.record_progress(store, r.parse_progress(report(status="completed", steps_done=4)), runs, today=today,
                      plans=plans)
    (marked,) = store.list_programme_sessions()
    expected = (runs["run-1"].session_id, {"clamshell": 2}, "completed")
    assert (marked.session_id, marked.levels, marked.status) == expected
    r.record_progress(store, r.parse_progress(report(run="run-2", plan_id="xyz")), runs, today=today, plans=plans)
    assert len(store.list_programme_sessions()) == 1 and len(store.sessions_frame()) == 2  # any other routine


def test_a_run_is_recorded_even_when_marking_it_fails(store, today):
    from hipknee.errors import StorageError

    def broken(*args, **kwargs):
        raise StorageError("database is locked")

    store.mark_programme_session = broken
    runs: dict = {}
    plans = {"abc": {"plan_id": "abc", r.PROGRAMME_LEVELS: {"clamshell": 1}}}
    with pytest.raises(StorageError):
        r.record_progress(
            store, r.parse_progress(report(status="stopped", steps_done=1)), runs, today=today, plans=plans
        )
    assert runs["run-1"].status == "stopped" and store.sessions_frame().iloc[0].status == "stopped"


def test_a_run_is_in_progress_only_while_its_report_says_it_plays():
    runs = {"run-1": r.RunRecord(session_id=1, plan_id="abc")}
    assert r.run_in_progress({"progress": report()}, runs)
    assert not r.run_in_progress({"progress": report(run="run-2")}, runs)  # not recorded (yet)
    assert not r.run_in_progress(None, runs) and not r.run_in_progress({}, runs)  # the player was unmounted
    assert not r.run_in_progress({"progress": report(status="paused")}, runs)  # malformed: ignored
    runs["run-1"].status = "completed"
    assert not r.run_in_progress({"progress": report()}, runs)


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_a_missing_content_file_is_a_content_error_naming_it(tmp_path: Path):
    from hipknee.content import ContentError

    with pytest.raises(ContentError, match="routines.toml: file not found"):
        r.load_routine_content(tmp_path / "routines.toml")
