"""Full backup and restore (issue 11, part 3): every table of one person, all or nothing, on both backends."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from hipknee import backup
from hipknee.errors import ReadOnlyError
from hipknee.gate import routine_gate
from hipknee.journal import Entry
from hipknee.store import metadata, utcnow

NOW = utcnow()
TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
CAUTION_REASONS = [
    {"id": "night_pain", "reason": "Pain at night", "advice": "See a physio first", "tier": "caution"},
    {"id": "giving_way", "reason": "Knee gives way", "advice": "See a physio first", "tier": "caution"},
]


def fill(store, *, marker: str = "") -> None:
    """A bit of everything: entries (awkward notes too), sessions, screenings, a clearance, daily checks."""
    store.add_entry(Entry(TODAY - 3 * DAY, 6, 5, True, f"first{marker}\r"))
    store.add_entry(Entry(TODAY - 2 * DAY, 4, None, False, f'=1+1, "quoted"\nnew line ü{marker}'))
    store.add_entry(Entry(TODAY - DAY, 3, 2, True, ""))
    sid = store.start_session(
        session_date=TODAY - DAY, routine={"exercises": ["butterfly", "clamshell"], "hold": 30},
        steps_planned=6, seconds_planned=300,
    )
    store.update_session(sid, steps_done=6, seconds_done=300, status="completed", pain_during=2, notes="fine")
    # The programme (issue 14): a player session marked as a programme session, a manual one, a start, a choice.
    store.start_programme(TODAY - 10 * DAY)
    pid = store.mark_programme_session(sid, {"clamshell": 1, "bridge": 2})
    store.set_next_morning(pid, "same")
    store.add_programme_session(session_date=TODAY - 2 * DAY, status="completed", pain_during=1, levels={"bridge": 2})
    store.choose_level(TODAY - DAY, "bridge", 1)
    store.start_session(session_date=TODAY, routine={"exercises": ["bridge"]}, steps_planned=2, seconds_planned=60)
    store.add_manual_session(session_date=TODAY - 3 * DAY, status="stopped", pain_during=7, notes="hurt")
    store.save_screening("ok", {"age": 40, "night_pain": False}, [], taken_at=NOW - 20 * DAY)
    caution = store.save_screening("caution", {"age": 41, "night_pain": True, "giving_way": True},
                                   CAUTION_REASONS, taken_at=NOW - 2 * DAY, source="cli")
    store.save_clearance(caution, ["night_pain", "giving_way"], cleared_at=NOW - DAY)
    store.save_daily_check(TODAY - 3 * DAY, {"fever": False, "calf_painful_swollen": False}, "caution",
                           checked_at=NOW - 3 * DAY)
    store.save_daily_check(TODAY, {"fever": False}, "ok", checked_at=NOW)
    # Outcome questionnaires (issue 15): a PEG and an AKPS (answered partly by points, stored canonical).
    store.save_questionnaire("peg", TODAY - 7 * DAY, {"pain": 6, "enjoyment": 5, "activity": 4})
    store.save_questionnaire("akps", TODAY - 2 * DAY, {**AKPS_BEST, "stairs": 5, "running": "severe"})

AKPS_BEST = {
    "limp": "none", "support": "full", "walking": "unlimited", "stairs": "no_difficulty", "squatting": "no_difficulty",
    "running": "no_difficulty", "jumping": "no_difficulty", "sitting": "no_difficulty", "pain": "none",
    "swelling": "none", "kneecap": "none", "thigh": "none", "bending": "none",
}


def content(data: bytes) -> dict:
    doc = json.loads(data)
    doc.pop("exported_at")
    return doc


def test_every_table_of_a_person_is_in_the_backup():
    """A new table keyed by user_id must be added to backup.TABLES, or this fails."""
    user_tables = {t.name for t in metadata.sorted_tables if "user_id" in t.c}
    assert user_tables == set(backup.TABLES_BY_NAME)
    # each table comes after the tables it refers to
    order = [spec.name for spec in backup.TABLES]
    for spec in backup.TABLES:
        for target in spec.refs.values():
            assert order.index(target) < order.index(spec.name)


def test_one_list_says_what_a_backup_holds():
    """backup.HOLDS names every table once; the README's words come from it (the pages use it directly)."""
    named = [table for _, tables in backup.HOLDS for table in tables]
    assert sorted(named) == sorted(backup.TABLES_BY_NAME)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme.count(backup.holds()) == 2  # the backup command and the Your data page
    assert f"not your {backup.holds(leave_out=('daily_entries',), last='or')}" in readme  # export
    assert "questionnaires" in backup.holds() and "programme" in backup.holds(leave_out=("daily_entries",))


def test_backup_delete_restore_backup_gives_the_same_content(any_store):
    fill(any_store)
    other = any_store.for_user("someone@else.org")
    fill(other, marker="OTHER-PERSON")
    before = backup.make_backup(any_store)
    doc = json.loads(before)
    assert doc["format"] == "hipknee-backup" and doc["version"] == 1 and doc["user"] == "local"
    assert {name: len(rows) for name, rows in doc["tables"].items()} == {
        "daily_entries": 3, "routine_sessions": 4, "screenings": 2, "clearances": 1, "daily_checks": 2,
        "programme_starts": 1, "programme_sessions": 2, "programme_levels": 1, "questionnaire_results": 2,
    }
    assert b"OTHER-PERSON" not in before and b"someone@else.org" not in before
    gate_before = routine_gate(any_store, TODAY)
    entries_before = any_store.list_entries()
    sessions_before = any_store.sessions_frame().drop(columns="id")

    any_store.delete_all_data()
    assert routine_gate(any_store, TODAY).status == "no_screening"
    counts = backup.restore(any_store, backup.read_backup(before, today=TODAY))
    assert sum(counts.values()) == 18

    after = backup.make_backup(any_store)
    assert content(after) == content(before)
    assert [x for x in after.splitlines() if b"exported_at" not in x] == [
        x for x in before.splitlines() if b"exported_at" not in x]  # byte for byte, too
    assert any_store.list_entries() == entries_before  # notes with CR, quotes, newline and ü intact
    assert any_store.sessions_frame().drop(columns="id").equals(sessions_before)
    gate_after = routine_gate(any_store, TODAY)
    assert (gate_after.status, gate_after.allowed, gate_after.tailoring) == (
        gate_before.status, gate_before.allowed, gate_before.tailoring)
    assert any_store.latest_clearance().screening_id == any_store.latest_screening().id
    assert other.count_entries() == 3  # nobody else touched
    assert b"OTHER-PERSON" in backup.make_backup(other)


def test_restore_into_another_person_and_a_fresh_database(any_store, tmp_path):
    fill(any_store)
    data = backup.make_backup(any_store)
    new = any_store.for_user("dana@example.org")
    backup.restore(new, backup.read_backup(data, today=TODAY))
    assert content(backup.make_backup(new))["tables"] == content(data)["tables"]


def test_restore_refuses_a_journal_with_data_unless_replace(any_store):
    fill(any_store)
    data = backup.make_backup(any_store)
    any_store.delete_all_data()
    any_store.add_entry(Entry(TODAY, 9, notes="kept"))
    checked = backup.read_backup(data, today=TODAY)
    with pytest.raises(backup.BackupConflict, match="already holds data"):
        backup.restore(any_store, checked)
    assert [e.notes for e in any_store.list_entries()] == ["kept"]
    backup.restore(any_store, checked, replace=True)
    assert content(backup.make_backup(any_store)) == content(data)  # the old entry is gone


def test_a_screening_alone_counts_as_data(any_store):
    any_store.save_screening("ok", {}, [])
    assert backup.has_data(any_store)
    with pytest.raises(backup.BackupConflict):
        backup.restore(any_store, backup.read_backup(backup.make_backup(any_store), today=TODAY))


def test_a_failure_while_writing_changes_nothing(any_store, monkeypatch):
    fill(any_store)
    data = backup.make_backup(any_store)
    checked = backup.read_backup(data, today=TODAY)
    real = backup._to_db

    def fail_on_checks(row, spec, ids):
        if spec.name == "daily_checks":
            raise RuntimeError("power cut")
        return real(row, spec, ids)

    monkeypatch.setattr(backup, "_to_db", fail_on_checks)
    with pytest.raises(RuntimeError):
        backup.restore(any_store, checked, replace=True)
    monkeypatch.setattr(backup, "_to_db", real)
    assert content(backup.make_backup(any_store)) == content(data)  # the delete was rolled back too


def test_sample_data_cannot_be_restored_into(store):
    fill(store)
    checked = backup.read_backup(backup.make_backup(store), today=TODAY)
    with pytest.raises(ReadOnlyError):
        backup.restore(store.as_read_only(), checked, replace=True)


# ---- bad files: one clear message, nothing changed -----------------------------------------------------


def good_doc(store) -> dict:
    fill(store)
    return json.loads(backup.make_backup(store))


def edit(path: str, value):
    """A change to a good backup: set the value at "tables.daily_entries.0.worst_pain" (None deletes)."""
    def change(doc: dict) -> dict:
        *parents, last = path.split(".")
        node = doc
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key = int(last) if isinstance(node, list) else last
        if value is DELETE:
            del node[key]
        else:
            node[key] = value
        return doc
    return change


DELETE = object()
FUTURE = (TODAY + 3 * DAY).isoformat()
BAD_EDITS = [
    (edit("format", "something-else"), "not a hipknee backup"),
    (edit("version", 2), "format version 2, made by a newer hipknee"),
    (edit("version", 0), "format version must be"),
    (edit("version", "1"), "format version must be"),
    (edit("tables.questionnaires", []), "unknown table 'questionnaires'"),
    (edit("tables.daily_entries", {}), "daily_entries must be a list"),
    (edit("tables.daily_entries.0", "x"), "daily_entries row 1: must be an object"),
    (edit("tables.daily_entries.1.worst_pain", 11), "daily_entries row 2: worst_pain must be from 0 to 10"),
    (edit("tables.daily_entries.1.worst_pain", True), "worst_pain must be a whole number"),
    (edit("tables.daily_entries.1.worst_pain", 4.0), "worst_pain must be a whole number"),
    (edit("tables.daily_entries.1.worst_pain", DELETE), "worst_pain is missing"),
    (edit("tables.daily_entries.1.mood", 3), "unexpected field 'mood'"),
    (edit("tables.daily_entries.1.activity_pain", 10**30), "out of range"),
    (edit("tables.daily_entries.0.entry_date", FUTURE), "is in the future"),
    (edit("tables.daily_entries.0.entry_date", "1999-12-31"), "before 2000-01-01"),
    (edit("tables.daily_entries.0.entry_date", "2020-W01-1"), "must be a date like"),
    (edit("tables.daily_entries.0.entry_date", "20200101"), "must be a date like"),
    (edit("tables.daily_entries.0.entry_date", None), "entry_date cannot be empty"),
    (edit("tables.daily_entries.1.entry_date", (TODAY - 3 * DAY).isoformat()), "appears twice"),
    (edit("tables.daily_entries.0.notes", "x" * 2001), "the limit is 2,000"),
    (edit("tables.daily_entries.0.notes", "a\x00b"), "NUL"),
    (edit("tables.daily_entries.0.updated_at", "2025-01-01T00:00:00+02:00"), "must be a UTC time"),
    (
        edit("tables.daily_entries.0.updated_at", "3000-01-01T00:00:00"),
        "updated_at 3000-01-01T00:00:00 is in the future",
    ),
    (edit("tables.daily_entries.1.id", 1), "id 1 appears twice"),
    (edit("tables.routine_sessions.0.status", "paused"), "status must be one of in_progress"),
    (edit("tables.routine_sessions.0.routine", "butterfly"), "routine must be a JSON object"),
    (edit("tables.routine_sessions.0.steps_done", -1), "steps_done cannot be negative"),
    (edit("tables.routine_sessions.0.pain_during", 12), "pain_during must be from 0 to 10"),
    (edit("tables.routine_sessions.0.ended_at", "2001-01-01T00:00:00"), "ended_at is before started_at"),
    (edit("tables.screenings.0.tier", "maybe"), "screenings row 1: tier must be one of"),
    (edit("tables.screenings.1.reasons", []), "needs at least one reason"),
    (edit("tables.screenings.0.answers", [1]), "answers must be a dict"),
    (edit("tables.clearances.0.screening_id", 9), "screening_id 9 is not a row of screenings"),
    (edit("tables.clearances.0.screening_id", 1), "only a 'caution' screening can be cleared"),
    (edit("tables.clearances.0.reason_ids", ["chest_pain"]), "has no reason chest_pain"),
    (edit("tables.clearances.0.reason_ids", []), "reason_ids must be a non-empty list"),
    (edit("tables.daily_checks.0.status", "fine"), "daily_checks row 1: status must be one of"),
    (edit("tables.daily_checks.1.check_date", (TODAY - 3 * DAY).isoformat()), "appears twice"),
    # The store's own rules (issue 11): the programme's exercises and levels, the daily check's questions.
    (edit("tables.programme_levels.0.exercise_id", "moonwalk"), "'moonwalk' is not an exercise of the programme"),
    (edit("tables.programme_levels.0.level", 4), "the level of bridge must be a whole number from 1 to 3, not 4"),
    (edit("tables.programme_sessions.0.levels", {"bridge": 9}), "levels: the level of bridge must be a whole"),
    (edit("tables.programme_sessions.1.levels", {"moonwalk": 1}), "levels: 'moonwalk' is not an exercise"),
    (edit("tables.daily_checks.0.answers", {"fever": "yes"}), "answers: fever must be true or false, not 'yes'"),
    (edit("tables.daily_checks.1.answers", {"headache": True}), "'headache' is not a question of the daily check"),
    (edit("user", 5), "user must be text"),
]


@pytest.mark.parametrize("change,message", BAD_EDITS)
def test_a_bad_row_is_refused_with_a_clear_message_and_nothing_changes(any_store, change, message):
    doc = good_doc(any_store)
    before = content(backup.make_backup(any_store))
    data = json.dumps(change(doc)).encode()
    with pytest.raises(backup.BackupError, match=re.escape(message)) as info:
        backup.restore(any_store, backup.read_backup(data, today=TODAY), replace=True)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200
    assert content(backup.make_backup(any_store)) == before


LONG_TEXT, LONG_NUMBER = "Z" * 500, int("9" * 4000)  # under int()'s 4,300-digit limit, so JSON can hold it
LONG_RUN = re.compile(r"Z{81,}|9{81,}")  # more of a long value than a message may repeat (about 80 characters)


def long_value_edits(doc: dict):
    """Every place of a good backup fed a long value, found by walking the backup itself: each value replaced
    by long text, a long number, an object and a list holding long text; each object given a long key; each
    list given a long item (an id, a reason, a row)."""

    def at(path):
        def change(d: dict):
            node = d
            for part in path:
                node = node[part]
            return node

        return change

    def walk(node, path):
        if isinstance(node, dict):
            yield path, "key"
            for key, value in node.items():
                yield from walk(value, (*path, key))
        elif isinstance(node, list):
            yield path, "item"
            for i, value in enumerate(node):
                yield from walk(value, (*path, i))
        if path:
            yield path, "value"

    for path, how in walk(doc, ()):
        if how == "value":
            for value in (LONG_TEXT, LONG_NUMBER, {LONG_TEXT: LONG_TEXT}, [LONG_TEXT]):
                changed = copy.deepcopy(doc)
                at(path[:-1])(changed)[path[-1]] = value
                yield path, changed
        elif how == "key":
            changed = copy.deepcopy(doc)
            at(path)(changed)[LONG_TEXT] = 0
            yield path, changed
        else:
            for item in (LONG_TEXT, {LONG_TEXT: LONG_TEXT}):
                changed = copy.deepcopy(doc)
                at(path)(changed).append(item)
                yield path, changed


def test_no_message_about_a_bad_backup_repeats_a_long_value(store):
    """Wherever a long value sits in a backup, the refusal quotes at most about 80 characters of it, on one
    line (the CLI and the Your data page show this message as it is)."""
    doc = good_doc(store)
    refused, too_long = 0, {}
    for path, changed in long_value_edits(doc):
        try:
            backup.read_backup(json.dumps(changed).encode(), today=TODAY)
        except backup.BackupError as exc:
            refused += 1
            message = str(exc)
            # About 200 characters: the app's own words (a questionnaire's options, say) and a short quote.
            if "\n" in message or len(message) > 250 or LONG_RUN.search(message):
                too_long[".".join(map(str, path))] = LONG_RUN.sub("<long>", message)[:200]
    assert too_long == {}
    assert refused > 300  # the walk reached every table


def test_the_example_proxy_lets_the_largest_backup_through():
    """deploy/nginx.conf.example must not refuse (413) an upload that restore would accept, and not allow
    much more: client_max_body_size is backup.MAX_BYTES plus room for the form fields around the file."""
    config = (Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf.example").read_text()
    (size,) = re.findall(r"^\s*client_max_body_size\s+(\d+)m;", config, re.MULTILINE)
    assert backup.MAX_BYTES < int(size) * 1024 * 1024 <= backup.MAX_BYTES + 2 * 1024 * 1024
    assert "MAX_BYTES" in config


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "the file is empty"),
        (b"date,worst_pain,activity_pain,did_routine,notes\n2025-01-01,3,,0,\n", "a CSV file?"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2]", "not a hipknee backup"),
        (b'{"format": "hipknee-backup", "format": "x"}', "'format' appears twice"),
        (b'{"format": "hipknee-backup", "version": NaN}', "NaN is not a valid value"),
        (b"[" * 100000 + b"]" * 100000, "not a hipknee backup"),
        (b'{"format": "hipknee-backup", "version": ' + b"9" * 5000 + b"}", "not a hipknee backup"),
        (b'{"format": "hipknee-backup", "version": 1, "exported_at": "x", "user": "u"}', 'no "tables"'),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused(data, message):
    with pytest.raises(backup.BackupError, match=re.escape(message)) as info:
        backup.read_backup(data, today=TODAY)
    assert "\n" not in str(info.value) and len(str(info.value)) < 250


def test_a_missing_table_restores_as_empty_so_older_files_stay_readable(store):
    doc = good_doc(store)
    del doc["tables"]["daily_checks"]
    del doc["tables"]["clearances"]
    checked = backup.read_backup(json.dumps(doc).encode(), today=TODAY)
    assert checked.counts()["daily_checks"] == 0 and checked.counts()["daily_entries"] == 3


def test_an_empty_backup_restores_nothing(store):
    data = backup.make_backup(store)
    assert all(rows == [] for rows in json.loads(data)["tables"].values())
    assert sum(backup.restore(store, backup.read_backup(data, today=TODAY)).values()) == 0


def test_sample_data_can_be_backed_up(store):
    fill(store)
    data = backup.make_backup(store.as_read_only())
    assert content(data) == content(backup.make_backup(store))


# ---- the command line -----------------------------------------------------------------------------------


def run(capsys, *argv):
    from hipknee.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_backup_delete_restore_round_trip(any_store, capsys, tmp_path):
    fill(any_store)
    fill(any_store.for_user("someone@else.org"), marker="OTHER-PERSON")
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    code, out, err = run(capsys, "backup", "--out", str(first), "--user", "local")
    assert code == 0 and err == "" and "3 daily entries" in out and "1 clearance" in out
    assert b"OTHER-PERSON" not in first.read_bytes()

    code, _, err = run(capsys, "restore", str(first), "--user", "local")
    assert code == 1 and err.count("\n") == 1 and "--replace" in err and "nothing was restored" in err

    any_store.delete_all_data()
    code, out, _ = run(capsys, "restore", str(first), "--user", "local")
    assert code == 0 and "restored" in out and "2 screenings" in out
    code, _, _ = run(capsys, "backup", "--out", str(second), "--user", "local")
    assert code == 0 and content(second.read_bytes()) == content(first.read_bytes())

    code, out, _ = run(capsys, "restore", str(first), "--replace", "--user", "local")
    assert code == 0 and any_store.count_entries() == 3


def test_cli_restore_refuses_a_bad_file_in_one_line_and_changes_nothing(store, capsys, tmp_path):
    fill(store)
    good = json.loads(backup.make_backup(store))
    before = content(backup.make_backup(store))
    good["tables"]["daily_entries"][2]["worst_pain"] = 99
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(good))
    code, out, err = run(capsys, "restore", str(bad), "--replace")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "daily_entries row 3: worst_pain must be from 0 to 10" in err and "nothing was restored" in err
    good["version"] = 7
    bad.write_text(json.dumps(good))
    code, _, err = run(capsys, "restore", str(bad), "--replace")
    assert code == 1 and "version 7" in err and "newer hipknee" in err
    code, _, err = run(capsys, "restore", str(tmp_path / "missing.json"))
    assert code == 1 and "cannot read" in err
    assert content(backup.make_backup(store)) == before


# The audit's examples: long values echoed in full by restore (issue 11, part 4).
LONG_EDITS = [
    edit("tables.clearances.0.reason_ids", ["Z" * 500]),
    edit("tables.screenings.0.reasons", [{"id": "a", "reason": "Z" * 500}]),
    edit("tables.programme_sessions.0.levels", {"Z" * 500: 0}),
]


def test_cli_restore_quotes_long_values_short_and_changes_nothing(store, capsys, tmp_path):
    doc = good_doc(store)
    before = content(backup.make_backup(store))
    bad = tmp_path / "bad.json"
    for change in LONG_EDITS:
        bad.write_text(json.dumps(change(copy.deepcopy(doc))))
        code, out, err = run(capsys, "restore", str(bad), "--replace")
        assert code == 1 and out == "" and err.count("\n") == 1, err
        assert len(err) <= 250 + len(str(bad)) and not LONG_RUN.search(err), err
        assert content(backup.make_backup(store)) == before


def test_cli_backup_of_nobody_writes_nothing(store, capsys, tmp_path):
    target = tmp_path / "b.json"
    code, _, err = run(capsys, "backup", "--out", str(target))
    assert code == 1 and "no data" in err and not target.exists()
