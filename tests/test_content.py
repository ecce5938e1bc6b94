"""One content validator: every TOML file in data/ has a schema, and a broken field names file, item and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hipknee import citations, daily_check, exercises, programme, questionnaires, routines, screening
from hipknee.content import ContentError, Schema
from hipknee.paths import DATA_DIR
from hipknee.statuses import DayStatus, GateStatus, SessionStatus, Tier

# Every content file, the schema it is validated against, and how the app loads it.
LOADERS: dict[str, tuple[type[Schema], Callable[[Path], Any]]] = {
    "exercises.toml": (exercises.ExercisesFile, exercises.load_exercises),
    "screener.toml": (screening.ScreenerFile, screening.load_screener),
    "daily_check.toml": (daily_check.DailyCheckFile, daily_check.load_daily_check),
    "citations.toml": (citations.CitationsFile, citations.load_citations),
    "explainer.toml": (citations.ExplainerFile, citations.load_explainer),
    "routines.toml": (routines.RoutinesFile, routines.load_routine_content),
    "programme.toml": (programme.ProgrammeFile, programme.load_programme),
    "questionnaires.toml": (questionnaires.QuestionnairesFile, questionnaires.load_questionnaires),
}


def test_every_content_file_has_a_schema_and_loads():
    assert {p.name for p in DATA_DIR.glob("*.toml")} == set(LOADERS)
    for name, (schema, load) in LOADERS.items():
        assert issubclass(schema, Schema)
        assert load(DATA_DIR / name), name


def _broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# One broken field per file: (file, text to replace, replacement, the item named, the field path named).
BROKEN_FIELDS = [
    ("exercises.toml", "sets = 1\n", 'sets = "one"\n', "exercise 'warm_up'", "field 'sets'", "whole number"),
    ("exercises.toml", "near_toe = [", "near_toe = [999, ", "exercise 'warm_up'", "field 'pose.near_toe'", ""),
    ("screener.toml", "valid_days = 30", "valid_days = 0", "[meta]", "field 'valid_days'", "at least 1"),
    ("screener.toml", 'short = "Your age"', "short = 55", "question 'age'", "field 'short'", "text"),
    ("daily_check.toml", 'label = "All clear"', "label = true", "[status.ok]", "field 'label'", "text"),
    ("daily_check.toml", 'tier = "caution"', 'tier = "amber"', "question '", "field 'tier'", "'amber'"),
    ("citations.toml", "year = 2019", "year = 19", "citation 'neal2019'", "field 'year'", "at least 1900"),
    ("explainer.toml", 'id = "caution"', 'id = "Caution!"', "section 'Caution!'", "field 'id'", "not an id"),
    ("routines.toml", "warmup = true", 'warmup = "yes"', "preset 'article'", "field 'warmup'", "true or false"),
    ("routines.toml", "[stop_advice]\ntitle", "[stop_advice]\ntitel", "[stop_advice]", "unknown field 'titel'", ""),
    ("questionnaires.toml", "interval_days = 7", "interval_days = 0", "questionnaire 'peg'", "field 'interval_days'",
     "at least 1"),
]


@pytest.mark.parametrize("name, old, new, item, field, words", BROKEN_FIELDS)
def test_a_broken_field_names_the_file_the_item_and_the_field(tmp_path, name, old, new, item, field, words):
    path = _broken(tmp_path, name, old, new)
    load = LOADERS[name][1]
    with pytest.raises(ContentError) as info:
        load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: "), message
    assert item in message and field in message and words in message, message
    assert "\n" not in message and "pydantic" not in message.lower()
    # The path of the first offending field, for callers that want it: "exercise[0].pose.near_toe".
    assert info.value.field and info.value.field.split(".")[-1].split("[")[0] in message


def test_the_message_lists_a_few_problems_at_once(tmp_path):
    path = _broken(tmp_path, "citations.toml", 'title = "Hip strength', 'titel = "Hip strength')
    with pytest.raises(ContentError) as info:
        citations.load_citations(path)
    message = str(info.value)
    assert "field 'title' is missing" in message and "unknown field 'titel'" in message


def test_statuses_keep_their_stored_strings():
    # The enums are the stored values: changing one would orphan rows already in a database.
    assert Tier.values() == ("stop", "caution", "ok")
    assert DayStatus.values() == ("stop", "blocked", "caution", "ok")
    assert SessionStatus.values() == ("in_progress", "completed", "stopped")
    assert set(GateStatus.values()) == {
        "no_screening", "expired", "stop", "needs_clearance", "day_stop", "day_blocked", "day_caution", "ok",
    }
    assert Tier.STOP == "stop" and f"{DayStatus.BLOCKED}" == "blocked"
    assert Tier.rank("stop") < Tier.rank("caution") < Tier.rank("ok")
    # The content files speak the same words: one text per tier, gate status and day status.
    screener = screening.load_screener()
    assert set(screener.tiers) == set(Tier) and set(screener.gate) == set(GateStatus)
    assert set(daily_check.load_daily_check().statuses) == set(DayStatus)
