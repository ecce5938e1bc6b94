"""The Routine page's link ⇄ builder state machine (hipknee.routine_state), without Streamlit."""

from __future__ import annotations

from dataclasses import replace

import pytest

from hipknee import routine_state as RS
from hipknee import routines as R
from hipknee.exercises import load_exercises

LIBRARY = load_exercises()
PRESETS = R.load_routine_content(library=LIBRARY).presets
DEFAULT = PRESETS[RS.DEFAULT_PRESET]
OTHER = next(p for p in PRESETS.values() if p.id != RS.DEFAULT_PRESET)
# Two exercises no preset consists of alone, in a made-up order.
OWN_IDS = tuple(reversed(OTHER.exercise_ids[:2]))


def open_(params: dict, seen: str | None = None, current: RS.Builder | None = None) -> RS.Opened:
    return RS.on_open(params, seen, current, LIBRARY, PRESETS)


def test_first_visit_without_a_link_chooses_todays_session_over_the_default_preset():
    opened = open_({})
    assert opened.builder is not None and opened.builder.settings == DEFAULT.settings
    assert opened.builder.preset == RS.TODAY  # issue 14: the programme's session comes first
    assert opened.messages is None and opened.seen is None
    plain = RS.on_open({}, None, None, LIBRARY, PRESETS, first_choice=None)
    assert plain.builder is not None and plain.builder.preset == DEFAULT.id


def test_todays_session_keeps_the_builder_behind_it_and_a_link_still_loads():
    today = RS.on_preset_chosen(RS.TODAY, RS.Builder(preset=RS.CUSTOM, exercise_ids=OWN_IDS), PRESETS)
    assert today.preset == RS.TODAY and today.exercise_ids == OWN_IDS
    opened = open_(R.format_query(OTHER.settings), "", today)
    assert opened.builder is not None and opened.builder.preset == OTHER.id


def test_todays_session_clears_a_routine_link_from_the_address_bar():
    bar = RS.cleared_address_bar({"exercises": "butterfly", "warmup": "1", "programme": "bridge:1-2"})
    assert bar.changed and set(bar.delete) == {"exercises", "warmup"} and bar.set == {} and bar.seen == ""
    assert not RS.cleared_address_bar({"programme": "bridge"}).changed


def test_later_runs_without_a_new_link_keep_the_builder():
    current = RS.Builder(preset=RS.CUSTOM, exercise_ids=OWN_IDS)
    assert open_({}, None, current) == RS.Opened(None, None, None)
    params = {"exercises": ",".join(OWN_IDS), "warmup": "0", "utm": "x"}
    seen = RS.link_text(params)
    assert "utm" not in seen
    assert open_(params, seen, current) == RS.Opened(None, None, None)  # the page's own link


def test_a_new_link_loads_into_the_builder_with_its_messages():
    current = RS.Builder(preset=DEFAULT.id, exercise_ids=DEFAULT.exercise_ids, hold=45)
    params = {"exercises": f"{OWN_IDS[0]},nonsense,{OWN_IDS[1]}", "sets": "3", "warmup": "1"}
    opened = open_(params, "exercises=old", current)
    assert opened.builder is not None
    assert opened.builder.settings == R.RoutineSettings(OWN_IDS, None, 3, True)
    assert opened.builder.preset == RS.CUSTOM
    assert opened.builder.hold == 45  # no hold in the link: the hidden input keeps its value
    assert opened.messages and any("nonsense" in m for m in opened.messages)
    assert opened.seen == RS.link_text(params)


def test_a_link_matching_a_preset_selects_it():
    params = R.format_query(OTHER.settings)
    opened = open_(params)
    assert opened.builder is not None and opened.builder.preset == OTHER.id and opened.messages == ()


def test_picking_a_preset_loads_it_and_my_own_keeps_the_builder():
    current = RS.Builder(preset=RS.CUSTOM, exercise_ids=OWN_IDS, own_sets=True, sets=3)
    chosen = RS.on_preset_chosen(OTHER.id, current, PRESETS)
    assert chosen.settings == OTHER.settings and chosen.preset == OTHER.id and chosen.sets == 3
    mine = RS.on_preset_chosen(RS.CUSTOM, chosen, PRESETS)
    assert mine.settings == OTHER.settings and mine.preset == RS.CUSTOM
    assert RS.on_preset_chosen(None, chosen, PRESETS).preset is None


def test_changing_the_builder_makes_start_from_follow():
    builder = RS.on_preset_chosen(DEFAULT.id, RS.Builder(), PRESETS)
    changed = RS.on_builder_changed(replace(builder, own_hold=True, hold=20), PRESETS)
    assert changed.preset == RS.CUSTOM
    assert changed.settings.hold_seconds == 20
    back = RS.on_builder_changed(replace(changed, own_hold=False), PRESETS)
    assert back.preset == DEFAULT.id


@pytest.mark.parametrize(("own_hold", "own_sets"), [(False, False), (True, False), (True, True)])
def test_builder_settings_use_hold_and_sets_only_when_chosen(own_hold, own_sets):
    builder = RS.Builder(exercise_ids=OWN_IDS, own_hold=own_hold, hold=25, own_sets=own_sets, sets=1)
    assert builder.settings == R.RoutineSettings(
        OWN_IDS, 25 if own_hold else None, 1 if own_sets else None, False
    )


def test_address_bar_follows_the_builder_and_leaves_other_parameters_alone():
    settings = R.RoutineSettings(OWN_IDS, None, 2, False)
    params = {"exercises": "x", "hold": "40", "warmup": "1", "other": "keep"}
    bar = RS.address_bar(params, settings)
    assert bar.changed and bar.delete == ("hold",)
    assert bar.set == R.format_query(settings)
    assert bar.seen == RS.link_text(bar.set)
    after = {k: v for k, v in params.items() if k not in bar.delete} | bar.set
    assert after["other"] == "keep"
    again = RS.address_bar(after, settings)
    assert not again.changed and again.delete == () and again.seen == bar.seen
    # What the page wrote is what it reads back: no reload of its own link.
    assert open_(after, again.seen, RS.Builder(exercise_ids=OWN_IDS)).builder is None


def test_link_text_ignores_key_order():
    assert RS.link_text({"warmup": "1", "exercises": "a,b"}) == RS.link_text({"exercises": "a,b", "warmup": "1"})
