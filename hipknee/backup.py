"""A full backup of one person's data, and restoring it (issue 11, part 3).

The CSV export (``hipknee.csvio``) holds daily entries only. A backup holds *every* table of one person,
so that backup -> delete all -> restore gives back the same journal, sessions, screenings, clearances and
daily checks, and every page looks as before.

The file is UTF-8 JSON::

    {"format": "hipknee-backup", "version": 1, "exported_at": "2026-01-31T08:00:00Z", "user": "local",
     "tables": {"daily_entries": [{"id": 1, "entry_date": "2026-01-30", ...}, ...], ...}}

- ``tables`` maps each table's name to a list of rows; a row has every column of the table except the
  database's own ``id`` and ``user_id``, under the column's name, plus ``id``: the row's position (1, 2, ...)
  within its table *in this file*. A column that refers to another table (``clearances.screening_id``)
  holds that row's file ``id``; restore maps it to the new database id. So a backup never holds anybody
  else's ids or rows, and the same data always gives the same file (apart from ``exported_at``).
- Dates are ``YYYY-MM-DD``; timestamps are naive UTC in ISO form (``2026-01-30T07:15:02.123456``);
  columns that the database stores as JSON text (answers, reasons, the routine plan) are JSON values.
- ``user`` says whose data it was; restore writes into whichever person restores it.

**Adding a table.** Every table of a person is listed once, in ``TABLES`` below, in an order where a
table comes after the tables it refers to. A new table (programme sessions, questionnaires, ...) slots in
by adding one ``TableSpec`` there: its columns, types and nullability are read from the SQLAlchemy table,
and ``check`` applies the same rules the store uses when it writes such a row. If the new table changes
what older hipknee versions could read, raise ``VERSION``; tables missing from an older file restore as
empty, so older backups stay readable. ``tests/test_backup.py`` fails when a table with a ``user_id``
column is missing from ``TABLES``.

Restore checks the whole file first (format, version, every row's types, ranges and dates) and then writes
everything in one transaction, or nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from hipknee.errors import ConflictError, ValidationError, shorten, shown_value
from hipknee.journal import EARLIEST_DATE, check_date, check_notes, check_pain, make_entry
from hipknee.statuses import SessionStatus, Tier
from hipknee.store import (
    Store,
    check_daily_check,
    check_exercise_level,
    check_levels,
    check_next_morning,
    check_questionnaire_result,
    check_reason_ids,
    check_screening,
    clearances,
    daily_checks,
    daily_entries,
    programme_levels,
    programme_sessions,
    programme_starts,
    questionnaire_results,
    routine_sessions,
    screenings,
    utcnow,
)

FORMAT = "hipknee-backup"
VERSION = 1
# A person's journal is far smaller; refuse anything bigger unread. deploy/nginx.conf.example's
# client_max_body_size lets an upload of this size through (tests/test_backup.py checks the two agree).
MAX_BYTES = 64 * 1024 * 1024
SUFFIX = ".json"
MIME = "application/json"
# Timestamps may run a little ahead of this machine's clock (another server, another time zone's "today").
CLOCK_SLACK = dt.timedelta(days=2)
INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # the database's INTEGER
SESSION_SOURCES = ("player", "manual")  # Store.start_session and Store.add_manual_session


class BackupError(ValidationError):
    """The file is not a backup this hipknee can restore; the message says where and why."""


class BackupConflict(ConflictError):
    """The journal already holds data and ``replace`` was not given; nothing was changed."""


Row = dict[str, Any]  # a row of the file with Python values (dates, datetimes, parsed JSON)
Checker = Callable[[Row, "Checked"], None]


@dataclass(frozen=True)
class TableSpec:
    """One table of a person's data in the backup.

    ``order``: the columns that give rows a stable order in the file (the database id breaks ties);
    ``json_columns``: text columns holding JSON, shown in the file as JSON values;
    ``refs``: column -> name of the table whose file ``id`` it holds;
    ``check``: raises ValidationError for a row the store would not accept.
    """

    table: sa.Table
    order: tuple[str, ...]
    check: Checker
    json_columns: tuple[str, ...] = ()
    refs: Mapping[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def columns(self) -> list[sa.Column[Any]]:
        return [c for c in self.table.columns if c.name not in ("id", "user_id")]


@dataclass
class Checked:
    """What restore has read so far: rows by table name and file id (for checks across tables)."""

    today: dt.date
    now: dt.datetime
    tables: dict[str, dict[int, Row]] = field(default_factory=dict)


# ---- the rules per table: the same ones the store and the CSV import apply ----------------------------


def _check_timestamp(value: dt.datetime | None, name: str, checked: Checked) -> None:
    if value is None:
        return
    if value.date() < EARLIEST_DATE:
        raise ValidationError(f"{name} {value.isoformat()} is before {EARLIEST_DATE.isoformat()}", name)
    if value > checked.now + CLOCK_SLACK:
        raise ValidationError(f"{name} {value.isoformat()} is in the future", name)


def _check_entry(row: Row, checked: Checked) -> None:
    make_entry(
        row["entry_date"],
        row["worst_pain"],
        row["activity_pain"],
        row["did_routine"],
        row["notes"],
        today=checked.today,
    )
    _check_timestamp(row["updated_at"], "updated_at", checked)


def _check_session(row: Row, checked: Checked) -> None:
    check_date(row["session_date"], today=checked.today)
    if row["source"] not in SESSION_SOURCES:
        raise ValidationError(
            f"source must be one of {', '.join(SESSION_SOURCES)}, not {shown_value(row['source'])}", "source"
        )
    if row["status"] not in SessionStatus.values():
        raise ValidationError(
            f"status must be one of {', '.join(SessionStatus)}, not {shown_value(row['status'])}", "status"
        )
    if not isinstance(row["routine"], dict):
        raise ValidationError("routine must be a JSON object (the plan)", "routine")
    for name in ("steps_planned", "steps_done", "seconds_planned", "seconds_done"):
        if row[name] < 0:
            raise ValidationError(f"{name} cannot be negative, not {row[name]}", name)
    check_pain(row["pain_during"], "pain_during", required=False)
    check_notes(row["notes"])
    _check_timestamp(row["started_at"], "started_at", checked)
    _check_timestamp(row["ended_at"], "ended_at", checked)
    if row["ended_at"] is not None and row["ended_at"] < row["started_at"]:
        raise ValidationError("ended_at is before started_at", "ended_at")


def _check_screening(row: Row, checked: Checked) -> None:
    check_screening(row["tier"], row["answers"], row["reasons"], row["source"])
    _check_timestamp(row["taken_at"], "taken_at", checked)


def _check_clearance(row: Row, checked: Checked) -> None:
    check_reason_ids(row["reason_ids"])
    screening = checked.tables["screenings"][row["screening_id"]]
    if screening["tier"] != Tier.CAUTION:
        raise ValidationError(
            f"screening {row['screening_id']} is {screening['tier']!r}; only a 'caution' screening can be cleared",
            "screening_id",
        )
    known = {r.get("id") for r in screening["reasons"]}
    unknown = [r for r in row["reason_ids"] if r not in known]
    if unknown:
        shown = ", ".join(shorten(r) for r in unknown[:3]) + (" …" if len(unknown) > 3 else "")
        raise ValidationError(f"screening {row['screening_id']} has no reason {shown}", "reason_ids")
    _check_timestamp(row["cleared_at"], "cleared_at", checked)


def _check_daily_check(row: Row, checked: Checked) -> None:
    check_daily_check(row["check_date"], row["answers"], row["status"])
    check_date(row["check_date"], today=checked.today)
    _check_timestamp(row["checked_at"], "checked_at", checked)


def _check_programme_start(row: Row, checked: Checked) -> None:
    check_date(row["start_date"], today=checked.today, field="start_date")
    if not isinstance(row["settings"], dict):
        raise ValidationError("settings must be a JSON object", "settings")
    _check_timestamp(row["created_at"], "created_at", checked)


def _check_programme_session(row: Row, checked: Checked) -> None:
    check_levels(row["levels"])
    check_next_morning(row["next_morning"])


def _check_level_choice(row: Row, checked: Checked) -> None:
    check_date(row["choice_date"], today=checked.today, field="choice_date")
    check_exercise_level(row["exercise_id"], row["level"])  # as Store.choose_level
    _check_timestamp(row["chosen_at"], "chosen_at", checked)


def _check_questionnaire(row: Row, checked: Checked) -> None:
    check_questionnaire_result(row["questionnaire_id"], row["taken_date"], row["answers"])
    check_date(row["taken_date"], today=checked.today, field="taken_date")
    _check_timestamp(row["taken_at"], "taken_at", checked)


# Every table of a person, each after the tables it refers to. Add new tables HERE (see the module doc).
TABLES: tuple[TableSpec, ...] = (
    TableSpec(daily_entries, order=("entry_date",), check=_check_entry),
    TableSpec(routine_sessions, order=("started_at",), check=_check_session, json_columns=("routine",)),
    TableSpec(screenings, order=("taken_at",), check=_check_screening, json_columns=("answers", "reasons")),
    TableSpec(
        clearances,
        order=("cleared_at",),
        check=_check_clearance,
        json_columns=("reason_ids",),
        refs={"screening_id": "screenings"},
    ),
    TableSpec(daily_checks, order=("check_date",), check=_check_daily_check, json_columns=("answers",)),
    # The 8-week programme (issue 14).
    TableSpec(programme_starts, order=("created_at",), check=_check_programme_start, json_columns=("settings",)),
    TableSpec(
        programme_sessions,
        order=("session_id",),
        check=_check_programme_session,
        json_columns=("levels",),
        refs={"session_id": "routine_sessions"},
    ),
    TableSpec(programme_levels, order=("chosen_at",), check=_check_level_choice),
    # Outcome questionnaires (issue 15).
    TableSpec(
        questionnaire_results,
        order=("taken_date", "questionnaire_id"),
        check=_check_questionnaire,
        json_columns=("answers",),
    ),
)
TABLES_BY_NAME = {spec.name: spec for spec in TABLES}

# What a backup holds, in people's words: the one list the Your data page, the README and the tests use, so
# that none of them can leave a table out (tests/test_backup.py checks that it names every table of TABLES).
HOLDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("daily entries", ("daily_entries",)),
    ("routine sessions", ("routine_sessions",)),
    ("screenings", ("screenings",)),
    ("clearances", ("clearances",)),
    ("daily safety checks", ("daily_checks",)),
    (
        "8-week programme (its start, sessions and level choices)",
        ("programme_starts", "programme_sessions", "programme_levels"),
    ),
    ("questionnaires", ("questionnaire_results",)),
)


def holds(*, leave_out: tuple[str, ...] = (), last: str = "and") -> str:
    """What a backup holds, as one phrase ("daily entries, routine sessions, ... and questionnaires"), without
    the parts whose tables are all in ``leave_out``; ``last`` joins the last two ("or" after a "not")."""
    parts = [words for words, tables in HOLDS if not set(tables) <= set(leave_out)]
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}" if len(parts) > 1 else "".join(parts)


# ---- making a backup ---------------------------------------------------------------------------------


def _to_file(value: Any, column: sa.Column[Any], spec: TableSpec) -> Any:
    if value is None:
        return None
    if column.name in spec.json_columns:
        return json.loads(value)
    if isinstance(column.type, sa.DateTime):
        return value.isoformat()
    if isinstance(column.type, sa.Date):
        return value.isoformat()
    if isinstance(column.type, sa.Boolean):
        return bool(value)
    return value


def backup_dict(store: Store, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every row of ``store.user_id`` in every table of ``TABLES``, read in one consistent snapshot.

    Returns the backup as a JSON-ready dict (see the module doc for its shape).
    """
    tables: dict[str, list[Row]] = {}
    file_ids: dict[str, dict[int, int]] = {}  # table -> database id -> file id
    with store.snapshot() as conn:
        for spec in TABLES:
            t = spec.table
            rows = conn.execute(
                sa.select(t).where(t.c.user_id == store.user_id).order_by(*[t.c[c] for c in spec.order], t.c.id)
            ).all()
            file_ids[spec.name] = {}
            out: list[Row] = []
            for position, row in enumerate(rows, 1):
                file_ids[spec.name][row.id] = position
                item: Row = {"id": position}
                for column in spec.columns:
                    value = getattr(row, column.name)
                    if column.name in spec.refs:
                        item[column.name] = file_ids[spec.refs[column.name]][value]
                    else:
                        item[column.name] = _to_file(value, column, spec)
                out.append(item)
            tables[spec.name] = out
    stamp = (now or utcnow()).replace(microsecond=0).isoformat() + "Z"
    return {"format": FORMAT, "version": VERSION, "exported_at": stamp, "user": store.user_id, "tables": tables}


def make_backup(store: Store, *, now: dt.datetime | None = None) -> bytes:
    """The backup file's bytes (UTF-8 JSON, one row per line, ending in a newline)."""
    return encode(backup_dict(store, now=now))


def encode(data: Mapping[str, Any]) -> bytes:
    """A backup dict (from ``backup_dict``) as the file's bytes."""
    lines = ["{"]
    head = [f"  {json.dumps(k)}: {json.dumps(data[k], ensure_ascii=False)}," for k in data if k != "tables"]
    lines += head
    lines.append('  "tables": {')
    names = list(data["tables"])
    for i, name in enumerate(names):
        rows = data["tables"][name]
        end = "," if i < len(names) - 1 else ""
        if not rows:
            lines.append(f"    {json.dumps(name)}: []{end}")
            continue
        lines.append(f"    {json.dumps(name)}: [")
        for j, row in enumerate(rows):
            comma = "," if j < len(rows) - 1 else ""
            lines.append("      " + json.dumps(row, ensure_ascii=False, allow_nan=False) + comma)
        lines.append(f"    ]{end}")
    lines += ["  }", "}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def backup_file_name(today: dt.date) -> str:
    return f"hipknee-backup-{today.isoformat()}{SUFFIX}"


# ---- reading and checking a backup -------------------------------------------------------------------


def _type_name(value: object) -> str:
    return {
        type(None): "empty (null)",
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


def _from_file(value: Any, column: sa.Column[Any], spec: TableSpec, where: str) -> Any:
    """A file value as the Python value the store holds, checking its JSON type; BackupError if wrong."""
    name = column.name
    if value is None:
        if column.nullable:
            return None
        raise BackupError(f"{where}: {name} cannot be empty")
    if name in spec.refs:
        if isinstance(value, bool) or not isinstance(value, int):
            raise BackupError(f"{where}: {name} must be the id of a row of {spec.refs[name]}, not {shown_value(value)}")
        return value
    if name in spec.json_columns:
        return value
    kind = column.type
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            raise BackupError(f"{where}: {name} must be true or false, not {shown_value(value)}")
        return value
    if isinstance(kind, sa.Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BackupError(f"{where}: {name} must be a whole number, not {shown_value(value)}")
        if not INT_MIN <= value <= INT_MAX:
            raise BackupError(f"{where}: {name} is out of range ({shown_value(value)})")
        return value
    if not isinstance(value, str):
        raise BackupError(f"{where}: {name} must be text, not {_type_name(value)}")
    if isinstance(kind, sa.DateTime):
        try:
            parsed = dt.datetime.fromisoformat(value)
            if parsed.tzinfo is not None or len(value) < 19 or value[10] != "T":
                raise ValueError
        except ValueError:
            raise BackupError(
                f"{where}: {name} must be a UTC time like 2025-03-01T08:30:00, not '{shorten(value)}'"
            ) from None
        return parsed
    if isinstance(kind, sa.Date):
        try:
            if len(value) != 10 or value[4] != "-" or value[7] != "-":  # no week dates, no ordinals
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise BackupError(f"{where}: {name} must be a date like 2025-03-01, not '{shorten(value)}'") from None
    if "\x00" in value:
        raise BackupError(f"{where}: {name} contains a NUL character")
    length = getattr(kind, "length", None)
    if length is not None and len(value) > length:
        raise BackupError(f"{where}: {name} is longer than {length} characters")
    return value


def _parse_json(data: bytes) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise BackupError(f"'{shorten(repeated[0])}' appears twice in one object")
        return dict(pairs)

    def no_constant(name: str) -> Any:
        raise BackupError(f"{name} is not a valid value")

    if not data.strip():
        raise BackupError("the file is empty")
    if len(data) > MAX_BYTES:
        raise BackupError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; no backup is that big")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BackupError("not a hipknee backup (the file is not UTF-8 text)") from None
    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        hint = " (a CSV file? import it under 'Import from a CSV file')" if text.lstrip().startswith("date,") else ""
        raise BackupError(
            f"not a hipknee backup: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}){hint}"
        ) from None
    except RecursionError:
        raise BackupError("not a hipknee backup: the JSON is nested too deeply") from None
    except ValueError as exc:  # e.g. a number with thousands of digits
        raise BackupError(f"not a hipknee backup: {shorten(str(exc))}") from None


@dataclass(frozen=True)
class Backup:
    """A checked backup: rows per table name (in file order, with Python values), ready to write."""

    version: int
    user: str
    exported_at: str
    tables: dict[str, list[Row]]

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}


def read_backup(data: bytes, *, today: dt.date, now: dt.datetime | None = None) -> Backup:
    """Check a whole backup file; raise BackupError (one line: where and why) at the first problem.

    ``today`` is the person's date (rows dated later are refused, as in the CSV import); ``now`` (naive
    UTC) bounds timestamps. Nothing is written here.
    """
    doc = _parse_json(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise BackupError('not a hipknee backup (it has no "format": "hipknee-backup")')
    version = doc.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise BackupError(f"the backup's format version must be a whole number from 1, not {shown_value(version)}")
    if version > VERSION:
        raise BackupError(
            f"this backup has format version {shown_value(version)}, made by a newer hipknee; this one reads version "
            f"{VERSION} and older. Update hipknee to restore it"
        )
    unknown_keys = sorted(set(doc) - {"format", "version", "exported_at", "user", "tables"})
    if unknown_keys:
        raise BackupError(f"unexpected field '{shorten(unknown_keys[0])}' at the top of the backup")
    for key in ("exported_at", "user"):
        if not isinstance(doc.get(key), str):
            raise BackupError(f"the backup's {key} must be text")
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise BackupError('the backup has no "tables" object')
    unknown = sorted(set(tables) - set(TABLES_BY_NAME))
    if unknown:
        raise BackupError(f"unknown table '{shorten(unknown[0])}' in the backup")

    checked = Checked(today=today, now=now or utcnow())
    result: dict[str, list[Row]] = {}
    for spec in TABLES:
        rows = tables.get(spec.name, [])  # a table added after this file's version: nothing to restore
        if not isinstance(rows, list):
            raise BackupError(f"{spec.name} must be a list of rows")
        expected = {"id"} | {c.name for c in spec.columns}
        by_id: dict[int, Row] = {}
        out: list[Row] = []
        for n, raw in enumerate(rows, 1):
            where = f"{spec.name} row {n}"
            if not isinstance(raw, dict):
                raise BackupError(f"{where}: must be an object, not {_type_name(raw)}")
            missing = sorted(expected - set(raw))
            if missing:
                raise BackupError(f"{where}: {missing[0]} is missing")
            extra = sorted(set(raw) - expected)
            if extra:
                raise BackupError(f"{where}: unexpected field '{shorten(extra[0])}'")
            file_id = raw["id"]
            if isinstance(file_id, bool) or not isinstance(file_id, int) or file_id < 1:
                raise BackupError(f"{where}: id must be a whole number from 1, not {shown_value(file_id)}")
            if file_id in by_id:
                raise BackupError(f"{where}: id {file_id} appears twice in {spec.name}")
            row: Row = {"id": file_id}
            for column in spec.columns:
                row[column.name] = _from_file(raw[column.name], column, spec, where)
            for name, target in spec.refs.items():
                if row[name] is not None and row[name] not in checked.tables[target]:
                    raise BackupError(
                        f"{where}: {name} {shown_value(row[name])} is not a row of {target} in the backup"
                    )
            try:
                spec.check(row, checked)
            except BackupError:
                raise
            except ValidationError as exc:
                raise BackupError(f"{where}: {exc}") from None
            by_id[file_id] = row
            out.append(row)
        _check_unique(spec, out)
        checked.tables[spec.name] = by_id
        result[spec.name] = out
    return Backup(version=version, user=doc["user"], exported_at=doc["exported_at"], tables=result)


def _check_unique(spec: TableSpec, rows: list[Row]) -> None:
    """The table's own unique constraints (per user), so a bad file fails here and not half-way in."""
    for constraint in spec.table.constraints:
        if not isinstance(constraint, sa.UniqueConstraint):
            continue
        names = [c.name for c in constraint.columns if c.name != "user_id"]
        seen: dict[tuple[Any, ...], int] = {}
        for n, row in enumerate(rows, 1):
            key = tuple(row[c] for c in names)
            if key in seen:
                shown = ", ".join(v.isoformat() if hasattr(v, "isoformat") else shorten(str(v)) for v in key)
                raise BackupError(f"{spec.name} row {n}: {shown} appears twice (also row {seen[key]})")
            seen[key] = n


# ---- restoring ---------------------------------------------------------------------------------------


def _existing_counts(conn: sa.Connection, user_id: str) -> dict[str, int]:
    counts = {}
    for spec in TABLES:
        t = spec.table
        counts[spec.name] = conn.execute(
            sa.select(sa.func.count()).select_from(t).where(t.c.user_id == user_id)
        ).scalar_one()
    return counts


def has_data(store: Store) -> bool:
    """Whether this person has any row in any table of the backup."""
    with store.snapshot() as conn:
        return any(_existing_counts(conn, store.user_id).values())


def _to_db(row: Row, spec: TableSpec, ids: dict[str, dict[int, int]]) -> Row:
    values: Row = {}
    for column in spec.columns:
        value = row[column.name]
        if column.name in spec.refs and value is not None:
            value = ids[spec.refs[column.name]][value]
        elif column.name in spec.json_columns and value is not None:
            # The parsed object keeps the file's key order, so this gives back the text that was stored.
            value = json.dumps(value, ensure_ascii=True, allow_nan=False)
        values[column.name] = value
    return values


def restore(store: Store, backup: Backup, *, replace: bool = False) -> dict[str, int]:
    """Write a checked backup into ``store.user_id``'s journal, all or nothing; returns rows per table.

    Refuses (BackupConflict, nothing changed) when that person already has data, unless ``replace``:
    then their rows are deleted first, in the same transaction. ReadOnlyError on sample data.
    """
    referenced = {target for spec in TABLES for target in spec.refs.values()}
    with store.bulk_write() as conn:  # holds this person's write lock: one writer at a time
        existing = _existing_counts(conn, store.user_id)
        if any(existing.values()) and not replace:
            held = describe_counts({name: n for name, n in existing.items() if n})
            raise BackupConflict(f"this journal already holds data ({held})")
        if replace:
            for spec in reversed(TABLES):  # rows that refer to others go first
                conn.execute(sa.delete(spec.table).where(spec.table.c.user_id == store.user_id))
        ids: dict[str, dict[int, int]] = {}
        for spec in TABLES:
            rows = backup.tables.get(spec.name, [])
            ids[spec.name] = {}
            if not rows:
                continue
            values = [{"user_id": store.user_id, **_to_db(row, spec, ids)} for row in rows]
            if spec.name in referenced:
                for row, value in zip(rows, values, strict=True):
                    result = conn.execute(sa.insert(spec.table).values(**value))
                    key = result.inserted_primary_key
                    assert key is not None  # an INSERT of one row always has it
                    ids[spec.name][row["id"]] = int(key[0])
            else:
                conn.execute(sa.insert(spec.table), values)
    return backup.counts()


def describe_counts(counts: Mapping[str, int]) -> str:
    """'3 daily entries, 1 routine session, ...' for messages."""
    labels = {
        "daily_entries": ("daily entry", "daily entries"),
        "routine_sessions": ("routine session", "routine sessions"),
        "screenings": ("screening", "screenings"),
        "clearances": ("clearance", "clearances"),
        "daily_checks": ("daily check", "daily checks"),
        "programme_starts": ("programme start", "programme starts"),
        "programme_sessions": ("programme session", "programme sessions"),
        "programme_levels": ("level choice", "level choices"),
        "questionnaire_results": ("questionnaire", "questionnaires"),
    }
    parts = []
    for name, n in counts.items():
        one, many = labels.get(name, (name.replace("_", " "), name.replace("_", " ")))
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)
