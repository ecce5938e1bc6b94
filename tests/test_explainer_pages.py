"""AppTest: the Hips & knees and Exercises pages render their content, react to the angle choices, fail clearly."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from hipknee import citations as citations_module
from hipknee import exercises as exercises_module
from hipknee.citations import load_explainer
from hipknee.exercises import dose_text, load_exercises
from hipknee.leg_model import (
    ADDUCTION_RANGE,
    ANGLE_CHOICES,
    ROTATION_RANGE,
    START_ADDUCTION,
    START_ROTATION,
    TEACHING_LABEL,
    leg_figure,
    leg_pose,
)
from tests.helpers import md_unescape

EXPLAINER = "pages/explainer.py"
EXERCISES = "pages/exercises.py"


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n" + "\n".join(c.value for c in at.caption)


# ---- Hips & knees ----------------------------------------------------------------------------------------

def test_explainer_renders_every_section_and_the_reference_list(app_test):
    at = app_test(EXPLAINER)
    assert not at.exception and not at.error
    assert at.title[0].value == "Hips & knees"
    explainer = load_explainer()
    text = _texts(at)
    for section in explainer.sections:  # h2s inside the page's few markdown elements, in order
        assert f"## {section.title}\n\n" in text
    titles = [section.title for section in explainer.sections]
    assert sorted(titles, key=text.index) == titles
    assert "References" in [h.value for h in at.header]
    assert "ball-and-socket" in text  # the term people search for
    assert "[@" not in text  # every marker was turned into a number
    for number, citation in explainer.references():
        assert f"**[{number}]** {citation.authors[0]}" in text
        assert citation.finding in text
    assert "doi.org/10.1136/bjsports-2017-098890" in text
    assert "Strengthening has the best evidence" in text and "mobility and comfort" in text


def _valgus_shown(at) -> str:
    """The knee angle the page shows under its label, e.g. '17°'."""
    for md in at.markdown:
        if md.value.startswith("Knee angle in this model (valgus)"):
            return md.value.split("**")[1]
    raise AssertionError("the knee angle is not shown")


def _leg_svg(at) -> str:
    """The leg figure the page sends (plain SVG in a markdown block); exactly one."""
    [svg] = [md.value for md in at.markdown if "hk-leg-figure" in md.value]
    return svg


def test_the_leg_figure_follows_the_angle_choices(app_test):
    at = app_test(EXPLAINER)
    assert at.get("plotly_chart") == []  # no charting code for this page (issue 18)
    adduction, rotation = at.segmented_control(key="leg_adduction"), at.segmented_control(key="leg_rotation")
    # Every choice is inside the model's ranges, from a straight leg to the top of each range.
    for control, bounds in ((adduction, ADDUCTION_RANGE), (rotation, ROTATION_RANGE)):
        assert list(control.options) == [f"{deg}°" for deg in ANGLE_CHOICES]
        assert min(ANGLE_CHOICES) == bounds[0] and max(ANGLE_CHOICES) == bounds[1]
    assert (adduction.value, rotation.value) == (START_ADDUCTION, START_ROTATION)
    start = _leg_svg(at)
    assert TEACHING_LABEL in start and start == leg_figure(START_ADDUCTION, START_ROTATION)
    start_angle = _valgus_shown(at)
    assert start_angle == f"{leg_pose(START_ADDUCTION, START_ROTATION).valgus_deg:.0f}°"

    at.segmented_control(key="leg_adduction").set_value(0)
    at.segmented_control(key="leg_rotation").set_value(0)
    at.run()
    straight = _leg_svg(at)
    assert _valgus_shown(at) == "0°"
    assert "pull to the outside" not in straight and straight == leg_figure(0, 0)
    assert "line up" in _texts(at)

    at.segmented_control(key="leg_adduction").set_value(8)
    at.segmented_control(key="leg_rotation").set_value(8)
    at.run()
    bent = _leg_svg(at)
    assert _valgus_shown(at) == f"{leg_pose(8, 8).valgus_deg:.0f}°" != start_angle
    assert "pull to the outside" in bent and bent == leg_figure(8, 8) != straight
    assert not at.exception


def test_explainer_shows_a_clear_error_when_its_text_is_broken(app_test, tmp_path, monkeypatch):
    broken = tmp_path / "explainer.toml"
    broken.write_text(citations_module.EXPLAINER_PATH.read_text().replace("[@neal2019]", "[@neal2091]"))
    monkeypatch.setattr(citations_module, "EXPLAINER_PATH", broken)
    at = app_test(EXPLAINER)
    assert not at.exception
    assert len(at.error) == 1
    shown = md_unescape(at.error[0].value)  # the message is shown as plain text
    assert str(broken) in shown and "neal2091" in shown
    assert not at.get("plotly_chart")


# ---- Exercises -------------------------------------------------------------------------------------------

def test_exercise_library_shows_every_exercise_with_picture_steps_dose_and_stop_signs(app_test):
    at = app_test(EXERCISES)
    assert not at.exception and not at.error
    assert at.title[0].value == "Exercises"
    library = load_exercises()
    # One markdown element per exercise card (hipknee/exercise_card.py), in library order within each kind.
    cards = [m.value for m in at.markdown if m.value.startswith('<article class="hk-card"')]
    headings = [re.search(r"<h3>([^<]+)</h3>", card).group(1) for card in cards]
    expected = []
    for kind in ("warmup", "strength", "stretch"):  # grouped: warm-up, strengthening, stretches
        for main in (e for e in library.values() if e.replaces is None and e.kind == kind):
            expected += [main.name] + [v.name for v in library.values() if v.replaces == main.id]
    assert [html.unescape(h) for h in headings] == expected
    assert [h.value for h in at.header] == ["Warm up first", "Strengthening", "Stretches"]
    pictures = [m.value for m in at.markdown if "<svg" in m.value]
    assert len(pictures) == len(library)
    for markup in pictures:
        svg = markup[markup.index("<svg"):markup.rindex("</svg>") + len("</svg>")]
        assert ET.fromstring(svg).get("viewBox")
    text = _texts(at)
    for ex in library.values():
        assert dose_text(ex) in text, ex.id
        assert ex.steps[-1] in text and ex.cues[0] in text and ex.stop_signs[0] in text, ex.id
        assert f'aria-label="{ex.name}' in text
    assert "Safer version of the kneeling hip-flexor stretch" in text
    assert "Safer version of the pigeon pose" in text
    assert "Shown for the left side" in text


def test_exercise_page_shows_a_clear_error_when_the_data_is_broken(app_test, tmp_path, monkeypatch):
    broken = tmp_path / "exercises.toml"
    broken.write_text(exercises_module.EXERCISES_PATH.read_text().replace('kind = "strength"', 'kind = "cardio"', 1))
    monkeypatch.setattr(exercises_module, "EXERCISES_PATH", broken)
    at = app_test(EXERCISES)
    assert not at.exception
    assert len(at.error) == 1
    shown = md_unescape(at.error[0].value)  # the message is shown as plain text
    assert str(broken) in shown and "'clamshell'" in shown
    assert not [m for m in at.markdown if "<svg" in m.value]


def test_home_links_to_both_pages(app_test):
    at = app_test()
    assert not at.exception
    links = {el.proto.page: el.proto.label for el in at.get("page_link")}
    assert links.get("explainer") == "Read Hips & knees"
    assert links.get("exercises") == "See the exercises"
