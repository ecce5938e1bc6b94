"""The journal store: SQLAlchemy 2 Core over SQLite (default) or PostgreSQL.

Every row carries a ``user_id`` ("local" when there is no login) and uniqueness is per user.
The schema is versioned: ``MIGRATIONS`` run in order, once, under the write lock.

SQLite runs in WAL mode with a busy timeout, and every write transaction starts with ``BEGIN IMMEDIATE``:
a deferred transaction that reads and then writes fails at once under concurrency, whatever the timeout.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, CursorResult, Engine

from hipknee.accounts import LOCAL_USER
from hipknee.errors import (
    ConflictError,
    ImportConflictError,
    NotFoundError,
    ReadOnlyError,
    StorageError,
    ValidationError,
    shorten,
    shown_value,
)
from hipknee.journal import Entry
from hipknee.paths import DEFAULT_DB_PATH
from hipknee.statuses import FINISHED_STATUSES, DayStatus, NextMorning, OnConflict, SessionStatus, Tier

if TYPE_CHECKING:  # pandas costs ~0.3 s to import: only the frames below need it, not the CLI
    import pandas as pd
    from sqlalchemy.dialects import postgresql, sqlite

DATABASE_URL_ENV = "HIPKNEE_DATABASE_URL"
BUSY_TIMEOUT_ENV = "HIPKNEE_DB_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_S = 30.0
ON_CONFLICT_CHOICES = OnConflict.values()

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

daily_entries = sa.Table(
    "daily_entries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("entry_date", sa.Date, nullable=False),
    sa.Column("worst_pain", sa.Integer, nullable=False),
    sa.Column("activity_pain", sa.Integer, nullable=True),
    sa.Column("did_routine", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("user_id", "entry_date", name="uq_daily_entries_user_date"),
    sa.CheckConstraint("worst_pain BETWEEN 0 AND 10", name="ck_worst_pain_range"),
    sa.CheckConstraint("activity_pain IS NULL OR activity_pain BETWEEN 0 AND 10", name="ck_activity_pain_range"),
)

routine_sessions = sa.Table(
    "routine_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("session_date", sa.Date, nullable=False),  # the person's local date
    sa.Column("started_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("ended_at", sa.DateTime, nullable=True),  # UTC; NULL while in progress
    sa.Column("source", sa.String(20), nullable=False),  # "player" or "manual"
    sa.Column("status", sa.String(20), nullable=False),  # a SessionStatus
    sa.Column("routine", sa.Text, nullable=False, server_default="{}"),  # JSON: the plan
    sa.Column("steps_planned", sa.Integer, nullable=False, server_default="0"),
    sa.Column("steps_done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seconds_planned", sa.Integer, nullable=False, server_default="0"),
    sa.Column("seconds_done", sa.Integer, nullable=False, server_default="0"),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_routine_sessions_user_date", "user_id", "session_date"),
)

screenings = sa.Table(
    "screenings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("taken_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("tier", sa.String(20), nullable=False),  # a Tier
    sa.Column("answers", sa.Text, nullable=False),  # JSON object
    sa.Column("reasons", sa.Text, nullable=False),  # JSON list of {id, reason, advice}
    sa.Column("source", sa.String(20), nullable=False, server_default="app"),
    sa.Index("ix_screenings_user_taken", "user_id", "taken_at"),
)

clearances = sa.Table(
    "clearances",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("screening_id", sa.Integer, sa.ForeignKey("screenings.id"), nullable=False),
    sa.Column("cleared_at", sa.DateTime, nullable=False),  # UTC, when the person confirmed
    sa.Column("reason_ids", sa.Text, nullable=False),  # JSON list of the rule ids cleared
)

daily_checks = sa.Table(
    "daily_checks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("check_date", sa.Date, nullable=False),
    sa.Column("checked_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("status", sa.String(20), nullable=False),  # a DayStatus
    sa.Column("answers", sa.Text, nullable=False),  # JSON object
    sa.UniqueConstraint("user_id", "check_date", name="uq_daily_checks_user_date"),
)


# ---- the 8-week programme (issue 14) ----------------------------------------------------------------------
# A programme session *is* a routine session (routine_sessions: date, status, pain during, source player or
# manual), so it counts for adherence exactly like any other; programme_sessions adds what only the
# programme needs (the levels done, the next-morning answer) to that one record.

programme_starts = sa.Table(
    "programme_starts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("start_date", sa.Date, nullable=False),  # the person's local date; the newest row counts
    sa.Column("created_at", sa.DateTime, nullable=False),  # UTC
    sa.Column("settings", sa.Text, nullable=False, server_default="{}"),  # JSON: a physio's prescription
    sa.Index("ix_programme_starts_user", "user_id", "id"),
)

programme_sessions = sa.Table(
    "programme_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("routine_sessions.id"), nullable=False),
    sa.Column("levels", sa.Text, nullable=False, server_default="{}"),  # JSON: exercise id -> level done
    sa.Column("next_morning", sa.String(10), nullable=True),  # a NextMorning; NULL until answered
    sa.UniqueConstraint("session_id", name="uq_programme_sessions_session"),
    sa.Index("ix_programme_sessions_user", "user_id"),
)

programme_levels = sa.Table(
    "programme_levels",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("choice_date", sa.Date, nullable=False),  # from this day on
    sa.Column("exercise_id", sa.String(64), nullable=False),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("chosen_at", sa.DateTime, nullable=False),  # UTC
    sa.CheckConstraint("level >= 1", name="ck_programme_levels_level"),
    sa.Index("ix_programme_levels_user", "user_id", "choice_date"),
)


# ---- outcome questionnaires (issue 15) ---------------------------------------------------------------------
# One row per person, questionnaire and day (taking it again the same day replaces that day's answers). The
# answers are stored, never the score: hipknee.questionnaires scores them, so a score is always the rule's.

questionnaire_results = sa.Table(
    "questionnaire_results",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.String(200), nullable=False, server_default=LOCAL_USER),
    sa.Column("questionnaire_id", sa.String(64), nullable=False),
    sa.Column("taken_date", sa.Date, nullable=False),  # the person's local date
    sa.Column("taken_at", sa.DateTime, nullable=False),  # UTC, when saved
    sa.Column("answers", sa.Text, nullable=False),  # JSON object: item id -> option id or rating
    sa.UniqueConstraint("user_id", "questionnaire_id", "taken_date", name="uq_questionnaire_results_user_day"),
)


# Every table that holds a person's rows; a table that refers to another comes before it.
USER_TABLES = (
    clearances,
    screenings,
    daily_checks,
    programme_sessions,
    routine_sessions,
    daily_entries,
    programme_starts,
    programme_levels,
    questionnaire_results,
)


def _create(*tables: sa.Table) -> Callable[[Connection], None]:
    def migrate(conn: Connection) -> None:
        for table in tables:
            table.create(conn)

    return migrate


def _create_missing(*tables: sa.Table) -> Callable[[Connection], None]:
    def migrate(conn: Connection) -> None:
        for table in tables:
            table.create(conn, checkfirst=True)

    return migrate


def _drop_column(table: str, column: str) -> Callable[[Connection], None]:
    # Step 1 creates tables from their current definition, so a new database never had the column.
    def migrate(conn: Connection) -> None:
        if any(c["name"] == column for c in sa.inspect(conn).get_columns(table)):
            conn.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))

    return migrate


# Ordered and append-only: never edit a released step, add a new one.
MIGRATIONS: list[Callable[[Connection], None]] = [
    _create(daily_entries, routine_sessions),
    _create(screenings, clearances, daily_checks),
    # daily_entries.day_status copied the daily check's status and nothing read it: daily_checks has it.
    _drop_column("daily_entries", "day_status"),
    # Issue 14. checkfirst: a database rolled back to an older version in tests may still have them.
    _create_missing(programme_starts, programme_sessions, programme_levels),
    # 5, issue 15: outcome questionnaires.
    _create_missing(questionnaire_results),
]


def utcnow() -> dt.datetime:
    """Naive UTC, the form every timestamp is stored in."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def database_url(url: str | None = None) -> str:
    """The URL to use: the argument, else ``HIPKNEE_DATABASE_URL``, else the SQLite file under data/."""
    return url or os.environ.get(DATABASE_URL_ENV) or f"sqlite:///{DEFAULT_DB_PATH}"


def busy_timeout_seconds() -> float:
    """How long a SQLite writer waits for another one before giving up (``HIPKNEE_DB_BUSY_TIMEOUT``)."""
    try:
        return max(0.0, float(os.environ.get(BUSY_TIMEOUT_ENV, DEFAULT_BUSY_TIMEOUT_S)))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S


def describe_url(url: str) -> str:
    """The URL without its password, for messages (at most about 80 characters, its end kept)."""
    try:
        return shorten(sa.engine.make_url(url).render_as_string(hide_password=True), keep_end=True)
    except sa.exc.ArgumentError:
        return "<invalid URL>"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's begin event below issues BEGIN itself
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(busy_timeout_seconds() * 1000)}")
        dbapi_conn.execute("PRAGMA foreign_keys=ON")
        if engine.url.database not in (None, "", ":memory:"):
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=NORMAL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads may share the database; anything that might write takes the write lock up front.
        if conn.get_execution_options().get("read_only"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    try:
        parsed = sa.engine.make_url(url)
    except sa.exc.ArgumentError as exc:
        # Not repeated: a mistyped URL may hold a password, and it may be long.
        raise StorageError(
            f"{DATABASE_URL_ENV} is not a valid database URL (like sqlite:///path/to/hipknee.db or "
            "postgresql+psycopg://user@host/dbname)"
        ) from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise StorageError("an in-memory SQLite database is one per thread; use a file path")
        path = os.path.abspath(parsed.database)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"cannot create the folder for the database {shorten(path, keep_end=True)}: {exc.strerror or exc}"
            ) from exc
        kwargs["connect_args"] = {"timeout": busy_timeout_seconds(), "check_same_thread": False}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(parsed, **kwargs)
    except (sa.exc.ArgumentError, ModuleNotFoundError) as exc:
        raise StorageError(f"cannot use database {describe_url(url)}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
    return engine


def migrate(engine: Engine) -> int:
    """Bring the schema up to date; return the version. Safe when several processes start at once."""
    with engine.begin() as conn:  # BEGIN IMMEDIATE on SQLite: one migrator at a time
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(770301)"))
        schema_version.create(conn, checkfirst=True)
        current = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar() or 0
        if current > len(MIGRATIONS):
            raise StorageError(
                f"the database is at schema version {current}, newer than this hipknee understands "
                f"({len(MIGRATIONS)}); update hipknee"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            MIGRATIONS[version - 1](conn)
            conn.execute(sa.insert(schema_version).values(version=version, applied_at=utcnow()))
        return len(MIGRATIONS)


@dataclass(frozen=True)
class ImportResult:
    added: int
    replaced: int
    skipped: int


def _entry_row(entry: Entry) -> dict[str, Any]:
    return {
        "entry_date": entry.date,
        "worst_pain": entry.worst_pain,
        "activity_pain": entry.activity_pain,
        "did_routine": entry.did_routine,
        "notes": entry.notes,
        "updated_at": utcnow(),
    }


# The columns an Entry is read from, in Entry's field order. Read by position: a Row's attribute lookup costs
# about three times the Entry itself, which ten years of a journal (``hipknee export``) feel (issue 18).
_ENTRY_COLUMNS = (
    daily_entries.c.entry_date,
    daily_entries.c.worst_pain,
    daily_entries.c.activity_pain,
    daily_entries.c.did_routine,
    daily_entries.c.notes,
)


def _row_entry(row: Any) -> Entry:
    """An Entry from a row selected as ``_ENTRY_COLUMNS``."""
    date, worst_pain, activity_pain, did_routine, notes = row
    return Entry(date, worst_pain, activity_pain, bool(did_routine), notes or "")


# ---- screening records (issue 4) -------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningRecord:
    id: int
    taken_at: dt.datetime  # naive UTC
    tier: Tier
    answers: dict[str, Any]
    reasons: list[dict[str, Any]]  # each {"id": rule id, "reason": str, "advice": str} (+ "tier")
    source: str


@dataclass(frozen=True)
class ClearanceRecord:
    id: int
    screening_id: int
    cleared_at: dt.datetime  # naive UTC
    reason_ids: list[str]


@dataclass(frozen=True)
class DailyCheckRecord:
    date: dt.date
    status: DayStatus
    answers: dict[str, Any]
    checked_at: dt.datetime  # naive UTC


# ---- the programme (issue 14) ---------------------------------------------------------------------------

PROGRAMME_SOURCES = ("player", "manual")


@dataclass(frozen=True)
class ProgrammeStart:
    id: int
    start_date: dt.date
    created_at: dt.datetime  # naive UTC
    settings: dict[str, Any]


@dataclass(frozen=True)
class ProgrammeSessionRecord:
    """One programme session: the routine session (``session_id``) and what the programme adds to it."""

    id: int
    session_id: int
    date: dt.date
    status: str  # a SessionStatus ("in_progress" while the player is still running it)
    pain_during: int | None
    next_morning: str | None  # a NextMorning, None until answered
    source: str  # "player" | "manual"
    levels: dict[str, int]
    started_at: dt.datetime | None = None  # naive UTC; orders the session against level choices of its day


@dataclass(frozen=True)
class LevelChoiceRecord:
    id: int
    date: dt.date
    exercise_id: str
    level: int
    chosen_at: dt.datetime


def _row_level_choice(row: Any) -> LevelChoiceRecord:
    """A LevelChoiceRecord from a ``programme_levels`` row (listing and undoing a choice)."""
    return LevelChoiceRecord(row.id, row.choice_date, row.exercise_id, row.level, row.chosen_at)


@dataclass(frozen=True)
class QuestionnaireRecord:
    """One saved questionnaire: which, the day, and the answers (canonical: item id -> option id or rating)."""

    id: int
    questionnaire_id: str
    date: dt.date
    answers: dict[str, Any]
    taken_at: dt.datetime  # naive UTC


def check_questionnaire_result(questionnaire_id: object, date: object, answers: object) -> dict[str, Any]:
    """The rules ``Store.save_questionnaire`` applies: a known questionnaire, a calendar date, and answers
    that score (see ``hipknee.questionnaires.check_answers``). Returns the canonical answers."""
    from hipknee import questionnaires  # content is read only when a questionnaire is saved

    questionnaire = questionnaires.get_questionnaire(questionnaire_id)
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise ValidationError(f"date must be a calendar date, not {shown_value(date)}", "date")
    return questionnaires.check_answers(questionnaire, answers)


def check_exercise_level(exercise_id: object, level: object, field: str = "level") -> int:
    """The one rule for a programme level, wherever one is written (a session's levels, a level choice, a
    restored backup): ``exercise_id`` is an exercise of the 8-week programme (data/programme.toml) and
    ``level`` a whole number from 1 to that exercise's ``max_level``. Returns the level; ValidationError
    naming ``field`` otherwise."""
    from hipknee.programme import load_programme  # content is read only when a programme row is written

    exercises = load_programme().exercises
    if not isinstance(exercise_id, str) or exercise_id not in exercises:
        raise ValidationError(f"{shown_value(exercise_id)} is not an exercise of the programme", field)
    top = exercises[exercise_id].max_level
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= top:
        raise ValidationError(
            f"the level of {exercise_id} must be a whole number from 1 to {top}, not {shown_value(level, 40)}", field
        )
    return level


def check_levels(levels: object) -> dict[str, int]:
    """A JSON object of programme exercise id -> level (``check_exercise_level``); ValidationError otherwise."""
    if not isinstance(levels, dict):
        raise ValidationError("levels must be an object of exercise id -> level", "levels")
    for key, value in levels.items():
        try:
            check_exercise_level(key, value, "levels")
        except ValidationError as exc:
            raise ValidationError(f"levels: {exc}", "levels") from None
    return dict(levels)


def check_next_morning(value: object) -> str | None:
    """None or one of better | same | worse; ValidationError otherwise."""
    if value is None:
        return None
    if value not in NextMorning.values():
        raise ValidationError(
            f"next_morning must be one of {', '.join(NextMorning.values())}, not {shown_value(value)}", "next_morning"
        )
    return str(value)


def _dialect_insert(dialect: str, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    """INSERT with ON CONFLICT ... DO UPDATE, which SQLite and PostgreSQL both have (each in its own dialect)."""
    from sqlalchemy.dialects import postgresql, sqlite  # here: the CLI's read-only commands never load them

    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


def _inserted_id(result: CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # only for statements that insert no single row, which these never are
        raise StorageError("the database did not return the new row's id")
    return int(key[0])


def _row_screening(row: Any) -> ScreeningRecord:
    return ScreeningRecord(
        id=row.id,
        taken_at=row.taken_at,
        tier=Tier(row.tier),
        answers=json.loads(row.answers),
        reasons=json.loads(row.reasons),
        source=row.source,
    )


def _check_reasons(reasons: object) -> None:
    if not isinstance(reasons, list):
        raise ValidationError("reasons must be a list of {id, reason, advice}", "reasons")
    for i, reason in enumerate(reasons, 1):
        if not isinstance(reason, dict) or not all(
            isinstance(reason.get(k), str) and reason.get(k) for k in ("id", "reason", "advice")
        ):
            raise ValidationError(
                f"reason {i} must have text for id, reason and advice, not {shown_value(reason)}", "reasons"
            )


def check_screening(tier: object, answers: object, reasons: object, source: object) -> tuple[str, str]:
    """The rules ``Store.save_screening`` applies to a screening; returns (answers, reasons) as stored JSON text.

    Raises ValidationError naming the field. Used by backup restore to check a whole file before writing.
    """
    if tier not in Tier.values():
        raise ValidationError(f"tier must be one of {', '.join(Tier)}, not {shown_value(tier)}", "tier")
    if not isinstance(answers, dict):
        raise ValidationError("answers must be a dict of question id to answer", "answers")
    _check_reasons(reasons)
    if tier != Tier.OK and not reasons:
        raise ValidationError(f"a {tier!r} screening needs at least one reason", "reasons")
    if not isinstance(source, str) or not 0 < len(source) <= 20:
        raise ValidationError("source must be text of 1 to 20 characters", "source")
    try:
        return json.dumps(answers, sort_keys=True, allow_nan=False), json.dumps(reasons, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"answers and reasons must be plain JSON values: {exc}", "answers") from None


def check_reason_ids(reason_ids: object) -> None:
    """A clearance's reason ids: a non-empty list of non-empty strings, else ValidationError."""
    if (
        not isinstance(reason_ids, (list, tuple))
        or not reason_ids
        or not all(isinstance(r, str) and r for r in reason_ids)
    ):
        raise ValidationError("reason_ids must be a non-empty list of reason ids", "reason_ids")


def check_daily_check(date: object, answers: object, status: object) -> str:
    """The rules ``Store.save_daily_check`` applies; returns the answers as stored JSON text, else ValidationError.

    Answers map question ids of data/daily_check.toml to true or false. A question may be left out: a check
    saved before a question was added has no answer to it."""
    from hipknee.daily_check import load_daily_check  # content is read only when a check is written

    if status not in DayStatus.values():
        raise ValidationError(f"status must be one of {', '.join(DayStatus)}, not {shown_value(status)}", "status")
    if isinstance(date, dt.datetime) or not isinstance(date, dt.date):
        raise ValidationError(f"date must be a calendar date, not {shown_value(date)}", "date")
    if not isinstance(answers, dict):
        raise ValidationError("answers must be a dict of question id to answer", "answers")
    questions = load_daily_check().questions
    for key, value in answers.items():
        if key not in questions:
            raise ValidationError(f"answers: {shown_value(key)} is not a question of the daily check", "answers")
        if not isinstance(value, bool):
            raise ValidationError(f"answers: {key} must be true or false, not {shown_value(value, 40)}", "answers")
    try:
        return json.dumps(answers, sort_keys=True, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"answers must be plain JSON values: {exc}", "answers") from None


class Store:
    """One person's view of the database: every query is filtered by ``user_id``.

    A ``read_only`` store (the sample data shown to everyone) refuses every write with ReadOnlyError.
    """

    def __init__(self, engine: Engine, user_id: str = LOCAL_USER, *, read_only: bool = False):
        self.engine = engine
        self.user_id = user_id
        self.read_only = read_only
        # Set inside ``transaction()``: every read and write of this store then uses that one transaction.
        self._conn: Connection | None = None

    @classmethod
    def open(cls, url: str | None = None, user_id: str = LOCAL_USER) -> Store:
        """Connect and migrate, turning driver errors into one clear StorageError."""
        engine = create_engine(url)
        try:
            migrate(engine)
        except (sa.exc.SQLAlchemyError, UnicodeError) as exc:  # UnicodeError: a host name IDNA refuses
            engine.dispose()
            raise StorageError(  # the driver's message may repeat a long host name: cut it
                f"cannot open the database {describe_url(str(engine.url))}: {shorten(_short(exc), 160)}"
            ) from exc
        return cls(engine, user_id)

    def for_user(self, user_id: str) -> Store:
        return Store(self.engine, user_id, read_only=self.read_only)

    def as_read_only(self) -> Store:
        return Store(self.engine, self.user_id, read_only=True)

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """A view of this store whose every read and write runs in one write transaction, all or nothing.

        Like every write, it holds this person's write lock from the start (``BEGIN IMMEDIATE`` on SQLite, an
        advisory lock on PostgreSQL), so a check made inside it stays true until it commits.
        """
        if self._conn is not None:
            yield self
            return
        with self._write() as conn:
            bound = Store(self.engine, self.user_id, read_only=self.read_only)
            bound._conn = conn
            yield bound

    @contextmanager
    def _write(self, *also_users: str) -> Iterator[Connection]:
        if self.read_only:
            raise ReadOnlyError(
                "this is sample data, which nobody can change; go back to your own data to add or change things"
            )
        if self._conn is not None:  # already inside transaction(), which holds the lock
            yield self._conn
            return
        try:
            with self.engine.begin() as conn:
                _lock_users(conn, self.user_id, *also_users)
                yield conn
        except sa.exc.IntegrityError as exc:
            if "unique" not in _short(exc).lower():
                raise  # a broken CHECK or foreign key is a bug, not a storage failure
            # Two writers raced for the same row (PostgreSQL has no BEGIN IMMEDIATE): the later one loses.
            raise ConflictError("that was saved somewhere else at the same moment; reload and try again") from exc
        except sa.exc.DBAPIError as exc:
            raise StorageError(f"could not write to the database: {_short(exc)}") from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if self._conn is not None:
            yield self._conn
            return
        try:
            with self.engine.connect().execution_options(read_only=True) as conn:
                yield conn
        except sa.exc.DBAPIError as exc:
            raise StorageError(f"could not read the database: {_short(exc)}") from exc

    @contextmanager
    def bulk_write(self) -> Iterator[Connection]:
        """The connection of one all-or-nothing write transaction holding this person's write lock, for bulk
        jobs over every table such as a backup restore. ReadOnlyError on a read-only store."""
        with self._write() as conn:
            yield conn

    @contextmanager
    def snapshot(self) -> Iterator[Connection]:
        """One read transaction that sees a single consistent state of every table (REPEATABLE READ on
        PostgreSQL; SQLite's read transaction already is one), for a backup."""
        if self._conn is not None:  # inside transaction(): read what it sees
            yield self._conn
            return
        try:
            with self.engine.connect() as conn:
                options: dict[str, Any] = {"read_only": True}
                if self.engine.dialect.name == "postgresql":
                    options["isolation_level"] = "REPEATABLE READ"
                conn = conn.execution_options(**options)
                with conn.begin():
                    yield conn
        except sa.exc.DBAPIError as exc:
            raise StorageError(f"could not read the database: {_short(exc)}") from exc

    # ---- daily entries -------------------------------------------------------------------------

    def _mine(self, table: sa.Table) -> sa.ColumnElement[bool]:
        return table.c.user_id == self.user_id

    def get_entry(self, date: dt.date) -> Entry | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(*_ENTRY_COLUMNS).where(self._mine(daily_entries), daily_entries.c.entry_date == date)
            ).first()
        return _row_entry(row) if row else None

    def list_entries(self, start: dt.date | None = None, end: dt.date | None = None) -> list[Entry]:
        query = sa.select(*_ENTRY_COLUMNS).where(self._mine(daily_entries))
        if start:
            query = query.where(daily_entries.c.entry_date >= start)
        if end:
            query = query.where(daily_entries.c.entry_date <= end)
        with self._read() as conn:
            rows = conn.execute(query.order_by(daily_entries.c.entry_date)).all()
        return [_row_entry(row) for row in rows]

    def count_entries(self) -> int:
        with self._read() as conn:
            return conn.execute(
                sa.select(sa.func.count()).select_from(daily_entries).where(self._mine(daily_entries))
            ).scalar_one()

    def add_entry(self, entry: Entry) -> None:
        """Insert a new entry; ConflictError if that date already has one."""
        with self._write() as conn:
            if self._entry_exists(conn, entry.date):
                raise ConflictError(f"there is already an entry for {entry.date.isoformat()}; edit it instead")
            conn.execute(sa.insert(daily_entries).values(user_id=self.user_id, **_entry_row(entry)))

    def save_entry(self, entry: Entry, *, original_date: dt.date | None = None) -> None:
        """Create or update the entry for ``entry.date``; when ``original_date`` differs, move it."""
        with self._write() as conn:
            if original_date is not None and original_date != entry.date:
                if self._entry_exists(conn, entry.date):
                    raise ConflictError(
                        f"there is already an entry for {entry.date.isoformat()}; edit or delete that one first"
                    )
                conn.execute(
                    sa.delete(daily_entries).where(
                        self._mine(daily_entries), daily_entries.c.entry_date == original_date
                    )
                )
            self._upsert(conn, [entry])

    def delete_entry(self, date: dt.date) -> Entry:
        """Delete and return the entry (so the caller can offer undo)."""
        with self._write() as conn:
            row = conn.execute(
                sa.select(daily_entries.c.id, *_ENTRY_COLUMNS).where(
                    self._mine(daily_entries), daily_entries.c.entry_date == date
                )
            ).first()
            if row is None:
                raise NotFoundError(f"there is no entry for {date.isoformat()}")
            conn.execute(sa.delete(daily_entries).where(daily_entries.c.id == row.id))
        return _row_entry(row[1:])

    def import_entries(self, entries: Iterable[Entry], on_conflict: str = "fail") -> ImportResult:
        """Write all entries in one transaction, or none.

        With ``on_conflict="fail"``, dates already in the journal raise ImportConflictError, whose
        ``conflicting_dates`` lists them all (the message names the first five).
        """
        if on_conflict not in ON_CONFLICT_CHOICES:
            raise ValueError(f"on_conflict must be one of {ON_CONFLICT_CHOICES}")
        # Rows are written in date order, so that two imports of the same dates take their row locks in the
        # same order and cannot deadlock (on top of the per-person lock every write holds).
        entries = sorted(entries, key=lambda e: e.date)
        repeated = sorted(d for d, n in Counter(e.date for e in entries).items() if n > 1)
        if repeated:
            raise ValidationError(f"{repeated[0].isoformat()} appears more than once in the import", "date")
        with self._write() as conn:
            existing = self._existing_dates(conn)
            clashes = [e.date for e in entries if e.date in existing]
            if clashes and on_conflict == OnConflict.FAIL:
                clashes.sort()
                raise ImportConflictError(
                    "already in the journal: "
                    + ", ".join(d.isoformat() for d in clashes[:5])
                    + (f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""),
                    clashes,
                )
            if on_conflict == OnConflict.SKIP:
                to_write = [e for e in entries if e.date not in existing]
            else:
                to_write = entries
            new = [e for e in to_write if e.date not in existing]
            if new:
                conn.execute(
                    sa.insert(daily_entries),
                    [{"user_id": self.user_id, **_entry_row(e)} for e in new],
                )
            replaced = [e for e in to_write if e.date in existing]
            if replaced:
                self._upsert(conn, replaced)
        return ImportResult(added=len(new), replaced=len(replaced), skipped=len(entries) - len(to_write))

    def entries_frame(self) -> pd.DataFrame:
        """All of this person's entries, oldest first, with a datetime64 ``date`` column."""
        import pandas as pd

        entries = self.list_entries()
        frame = pd.DataFrame(
            {
                "date": pd.to_datetime([e.date for e in entries]).astype("datetime64[ns]"),
                "worst_pain": pd.array([e.worst_pain for e in entries], dtype="Int64"),
                "activity_pain": pd.array([e.activity_pain for e in entries], dtype="Int64"),
                "did_routine": pd.array([e.did_routine for e in entries], dtype=bool),
                "notes": pd.array([e.notes for e in entries], dtype=object),
            }
        )
        return frame

    def _entry_exists(self, conn: Connection, date: dt.date) -> bool:
        return (
            conn.execute(
                sa.select(daily_entries.c.id).where(self._mine(daily_entries), daily_entries.c.entry_date == date)
            ).first()
            is not None
        )

    def _existing_dates(self, conn: Connection) -> set[dt.date]:
        rows = conn.execute(sa.select(daily_entries.c.entry_date).where(self._mine(daily_entries))).scalars()
        return set(rows)

    def _upsert(self, conn: Connection, entries: list[Entry]) -> None:
        for entry in entries:
            row = {"user_id": self.user_id, **_entry_row(entry)}
            stmt = _dialect_insert(conn.dialect.name, daily_entries).values(**row)
            stmt = stmt.on_conflict_do_update(
                index_elements=["user_id", "entry_date"],
                set_={k: stmt.excluded[k] for k in row if k not in ("user_id", "entry_date")},
            )
            conn.execute(stmt)

    # ---- routine sessions ----------------------------------------------------------------------

    def start_session(
        self,
        *,
        session_date: dt.date,
        routine: dict[str, Any],
        steps_planned: int,
        seconds_planned: int,
        source: str = "player",
    ) -> int:
        """Record a session the moment it starts; it stays "in_progress" until updated."""
        with self._write() as conn:
            result = conn.execute(
                sa.insert(routine_sessions).values(
                    user_id=self.user_id,
                    session_date=session_date,
                    started_at=utcnow(),
                    source=source,
                    status=SessionStatus.IN_PROGRESS.value,
                    routine=json.dumps(routine, sort_keys=True),
                    steps_planned=steps_planned,
                    seconds_planned=seconds_planned,
                )
            )
            return _inserted_id(result)

    def update_session(
        self,
        session_id: int,
        *,
        steps_done: int | None = None,
        seconds_done: int | None = None,
        status: str | None = None,
        pain_during: int | None = None,
        notes: str | None = None,
    ) -> None:
        values: dict[str, Any] = {}
        if steps_done is not None:
            values["steps_done"] = steps_done
        if seconds_done is not None:
            values["seconds_done"] = seconds_done
        if status is not None:
            if status not in SessionStatus.values():
                raise ValueError(f"unknown session status {shown_value(status)}")
            values["status"] = SessionStatus(status).value
            if status != SessionStatus.IN_PROGRESS:
                values["ended_at"] = utcnow()
        if pain_during is not None:
            values["pain_during"] = pain_during
        if notes is not None:
            values["notes"] = notes
        if not values:
            return
        with self._write() as conn:
            result = conn.execute(
                sa.update(routine_sessions)
                .where(self._mine(routine_sessions), routine_sessions.c.id == session_id)
                .values(**values)
            )
            if result.rowcount == 0:
                raise NotFoundError(f"there is no routine session {session_id}")

    def add_manual_session(
        self,
        *,
        session_date: dt.date,
        status: str = SessionStatus.COMPLETED,
        pain_during: int | None = None,
        notes: str = "",
        routine: dict[str, Any] | None = None,
    ) -> int:
        """A session logged by hand (or by the demo generator), already finished."""
        now = utcnow()
        with self._write() as conn:
            result = conn.execute(
                sa.insert(routine_sessions).values(
                    user_id=self.user_id,
                    session_date=session_date,
                    started_at=now,
                    ended_at=now,
                    source="manual",
                    status=SessionStatus(status).value,
                    routine=json.dumps(routine or {}, sort_keys=True),
                    pain_during=pain_during,
                    notes=notes,
                )
            )
            return _inserted_id(result)

    def add_manual_sessions(self, sessions: Iterable[dict[str, Any]]) -> int:
        """Many finished sessions in one transaction and one batched INSERT (the demo generator's years).

        Each dict takes ``add_manual_session``'s keywords: ``session_date`` (required), ``status``,
        ``pain_during``, ``notes``, ``routine``. Returns how many rows were written; all or none.
        """
        now = utcnow()
        rows = [
            {
                "user_id": self.user_id,
                "session_date": s["session_date"],
                "started_at": now,
                "ended_at": now,
                "source": "manual",
                "status": s.get("status", SessionStatus.COMPLETED),
                "routine": json.dumps(s.get("routine") or {}, sort_keys=True),
                "pain_during": s.get("pain_during"),
                "notes": s.get("notes", ""),
            }
            for s in sessions
        ]
        if rows:
            with self._write() as conn:
                conn.execute(sa.insert(routine_sessions), rows)
        return len(rows)

    def count_sessions(self) -> int:
        with self._read() as conn:
            return int(
                conn.execute(
                    sa.select(sa.func.count()).select_from(routine_sessions).where(self._mine(routine_sessions))
                ).scalar_one()
            )

    def sessions_frame(self) -> pd.DataFrame:
        import pandas as pd

        columns = [
            "id",
            "session_date",
            "started_at",
            "ended_at",
            "source",
            "status",
            "routine",
            "steps_planned",
            "steps_done",
            "seconds_planned",
            "seconds_done",
            "pain_during",
            "notes",
        ]
        with self._read() as conn:
            rows = conn.execute(
                sa.select(*[routine_sessions.c[c] for c in columns])
                .where(self._mine(routine_sessions))
                .order_by(routine_sessions.c.started_at, routine_sessions.c.id)
            ).all()
        frame = pd.DataFrame([r._asdict() for r in rows], columns=columns)
        frame["session_date"] = pd.to_datetime(frame["session_date"]).astype("datetime64[ns]")
        frame["pain_during"] = frame["pain_during"].astype("Int64")
        return frame

    # ---- trends (issue 7) ---------------------------------------------------------------------

    def data_fingerprint(self) -> tuple:
        """A cheap value that changes whenever this person's entries or sessions change.

        The Trends page keys its cached analysis on it, so it never has to load every row on a rerun.
        """
        status_code = sa.case(
            (routine_sessions.c.status == SessionStatus.COMPLETED, 1),
            (routine_sessions.c.status == SessionStatus.STOPPED, 1000),
            else_=1000000,
        )
        with self._read() as conn:
            entries = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.max(daily_entries.c.updated_at),
                    sa.func.sum(daily_entries.c.worst_pain),
                ).where(self._mine(daily_entries))
            ).one()
            sessions = conn.execute(
                sa.select(
                    sa.func.count(),
                    sa.func.max(routine_sessions.c.id),
                    sa.func.max(routine_sessions.c.ended_at),
                    sa.func.sum(status_code),
                    sa.func.sum(sa.func.coalesce(routine_sessions.c.pain_during, 0)),
                ).where(self._mine(routine_sessions))
            ).one()
        return (*(str(v) for v in entries), *(str(v) for v in sessions))

    # ---- screenings, clearances and daily checks (issue 4) --------------------------------------

    def save_screening(
        self,
        tier: str,
        answers: dict[str, Any],
        reasons: list[dict[str, Any]],
        *,
        source: str = "app",
        taken_at: dt.datetime | None = None,
    ) -> int:
        """Record a screening (its answers and reasons as given); returns its id.

        ``taken_at`` (naive UTC) defaults to now; it exists so that tests and imports can date a screening.
        """
        answers_json, reasons_json = check_screening(tier, answers, reasons, source)
        with self._write() as conn:
            result = conn.execute(
                sa.insert(screenings).values(
                    user_id=self.user_id,
                    taken_at=taken_at or utcnow(),
                    tier=Tier(tier).value,
                    answers=answers_json,
                    reasons=reasons_json,
                    source=source,
                )
            )
            return _inserted_id(result)

    def latest_screening(self) -> ScreeningRecord | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(screenings)
                .where(self._mine(screenings))
                .order_by(screenings.c.taken_at.desc(), screenings.c.id.desc())
                .limit(1)
            ).first()
        return _row_screening(row) if row else None

    def get_screening(self, screening_id: int) -> ScreeningRecord | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(screenings).where(self._mine(screenings), screenings.c.id == screening_id)
            ).first()
        return _row_screening(row) if row else None

    def list_screenings(self) -> list[ScreeningRecord]:
        """Newest first."""
        with self._read() as conn:
            rows = conn.execute(
                sa.select(screenings)
                .where(self._mine(screenings))
                .order_by(screenings.c.taken_at.desc(), screenings.c.id.desc())
            ).all()
        return [_row_screening(row) for row in rows]

    def save_clearance(self, screening_id: int, reason_ids: list[str], *, cleared_at: dt.datetime | None = None) -> int:
        """Record that a clinician cleared the person for these reasons of a CAUTION screening."""
        if (
            not isinstance(reason_ids, (list, tuple))
            or not reason_ids
            or not all(isinstance(r, str) and r for r in reason_ids)
        ):
            raise ValidationError("reason_ids must be a non-empty list of reason ids", "reason_ids")
        with self._write() as conn:
            row = conn.execute(
                sa.select(screenings).where(self._mine(screenings), screenings.c.id == screening_id)
            ).first()
            if row is None:
                raise NotFoundError(f"there is no screening {screening_id}")
            if row.tier != Tier.CAUTION:
                raise ValidationError(
                    f"screening {screening_id} is {row.tier!r}; only a 'caution' screening can be cleared",
                    "screening_id",
                )
            known = {r.get("id") for r in json.loads(row.reasons)}
            unknown = [r for r in reason_ids if r not in known]
            if unknown:
                raise ValidationError(f"screening {screening_id} has no reason {', '.join(unknown)}", "reason_ids")
            result = conn.execute(
                sa.insert(clearances).values(
                    user_id=self.user_id,
                    screening_id=screening_id,
                    cleared_at=cleared_at or utcnow(),
                    reason_ids=json.dumps(list(dict.fromkeys(reason_ids))),
                )
            )
            return _inserted_id(result)

    def latest_clearance(self) -> ClearanceRecord | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(clearances)
                .where(self._mine(clearances))
                .order_by(clearances.c.cleared_at.desc(), clearances.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return ClearanceRecord(
            id=row.id,
            screening_id=row.screening_id,
            cleared_at=row.cleared_at,
            reason_ids=list(json.loads(row.reason_ids)),
        )

    def save_daily_check(
        self, date: dt.date, answers: dict[str, Any], status: str, *, checked_at: dt.datetime | None = None
    ) -> None:
        """Create or replace the check for ``date``."""
        answers_json = check_daily_check(date, answers, status)
        row = {
            "user_id": self.user_id,
            "check_date": date,
            "checked_at": checked_at or utcnow(),
            "status": DayStatus(status).value,
            "answers": answers_json,
        }
        stmt = _dialect_insert(self.engine.dialect.name, daily_checks).values(**row)
        stmt = stmt.on_conflict_do_update(
            index_elements=["user_id", "check_date"],
            set_={k: stmt.excluded[k] for k in ("checked_at", "status", "answers")},
        )
        with self._write() as conn:
            conn.execute(stmt)

    def get_daily_check(self, date: dt.date) -> DailyCheckRecord | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(daily_checks).where(self._mine(daily_checks), daily_checks.c.check_date == date)
            ).first()
        return _daily_check_record(row) if row is not None else None

    def newest_daily_check(
        self, status: str, *, up_to: dt.date, since: dt.date, checked_after: dt.datetime | None = None
    ) -> DailyCheckRecord | None:
        """The most recently taken check with ``status`` dated ``since``..``up_to`` (and taken after
        ``checked_after``, if given), in one query."""
        query = sa.select(daily_checks).where(
            self._mine(daily_checks),
            daily_checks.c.status == status,
            daily_checks.c.check_date >= since,
            daily_checks.c.check_date <= up_to,
        )
        if checked_after is not None:
            query = query.where(daily_checks.c.checked_at > checked_after)
        with self._read() as conn:
            row = conn.execute(query.order_by(daily_checks.c.checked_at.desc()).limit(1)).first()
        return _daily_check_record(row) if row is not None else None

    # ---- the programme (issue 14) --------------------------------------------------------------------

    def start_programme(self, start_date: dt.date, settings: dict[str, Any] | None = None) -> int:
        """Start (or restart) the programme on ``start_date``; the newest start is the one that counts."""
        with self._write() as conn:
            result = conn.execute(
                sa.insert(programme_starts).values(
                    user_id=self.user_id,
                    start_date=start_date,
                    created_at=utcnow(),
                    settings=json.dumps(settings or {}, sort_keys=True),
                )
            )
            return _inserted_id(result)

    def programme_start(self) -> ProgrammeStart | None:
        """The current start (the newest), or None when the programme was never started."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(programme_starts)
                .where(self._mine(programme_starts))
                .order_by(programme_starts.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return ProgrammeStart(row.id, row.start_date, row.created_at, json.loads(row.settings))

    def add_programme_session(
        self,
        *,
        session_date: dt.date,
        status: str,
        pain_during: int | None = None,
        next_morning: str | None = None,
        levels: dict[str, int] | None = None,
        source: str = "manual",
    ) -> ProgrammeSessionRecord:
        """Log a finished programme session: one routine session (so it counts for adherence like any
        other) plus its programme row, in one transaction. ``status`` completed | stopped; ``pain_during``
        0-10 or None; ``next_morning`` better | same | worse or None; ``levels`` exercise id -> level.
        ValidationError on bad input, and nothing is written."""
        from hipknee.journal import check_pain

        if status not in FINISHED_STATUSES:
            raise ValidationError(
                f"status must be one of {', '.join(FINISHED_STATUSES)}, not {shown_value(status)}", "status"
            )
        if source not in PROGRAMME_SOURCES:
            raise ValidationError(
                f"source must be one of {', '.join(PROGRAMME_SOURCES)}, not {shown_value(source)}", "source"
            )
        check_pain(pain_during, "pain_during", required=False)
        next_morning = check_next_morning(next_morning)
        levels = check_levels(levels or {})
        now = utcnow()
        with self._write() as conn:
            session_id = _inserted_id(
                conn.execute(
                    sa.insert(routine_sessions).values(
                        user_id=self.user_id,
                        session_date=session_date,
                        started_at=now,
                        ended_at=now,
                        source=source,
                        status=SessionStatus(status).value,
                        routine=json.dumps({"programme": levels}, sort_keys=True),
                        pain_during=pain_during,
                    )
                )
            )
            row_id = _inserted_id(
                conn.execute(
                    sa.insert(programme_sessions).values(
                        user_id=self.user_id,
                        session_id=session_id,
                        levels=json.dumps(levels, sort_keys=True),
                        next_morning=next_morning,
                    )
                )
            )
        return ProgrammeSessionRecord(
            row_id,
            session_id,
            session_date,
            SessionStatus(status).value,
            pain_during,
            next_morning,
            source,
            levels,
            now,
        )

    def mark_programme_session(self, session_id: int, levels: dict[str, int]) -> int:
        """Make the player's routine session ``session_id`` a programme session that did ``levels``.
        Its status and pain during stay on the routine session (``update_session``). NotFoundError when
        this person has no such session."""
        levels = check_levels(levels)
        with self._write() as conn:
            found = conn.execute(
                sa.select(routine_sessions.c.id).where(
                    self._mine(routine_sessions), routine_sessions.c.id == session_id
                )
            ).first()
            if found is None:
                raise NotFoundError(f"there is no routine session {session_id}")
            return _inserted_id(
                conn.execute(
                    sa.insert(programme_sessions).values(
                        user_id=self.user_id,
                        session_id=session_id,
                        levels=json.dumps(levels, sort_keys=True),
                    )
                )
            )

    def set_next_morning(self, programme_session_id: int, answer: str | None) -> None:
        """Record how the knee was the morning after programme session ``programme_session_id``."""
        answer = check_next_morning(answer)
        with self._write() as conn:
            result = conn.execute(
                sa.update(programme_sessions)
                .where(self._mine(programme_sessions), programme_sessions.c.id == programme_session_id)
                .values(next_morning=answer)
            )
            if result.rowcount == 0:
                raise NotFoundError(f"there is no programme session {programme_session_id}")

    def list_programme_sessions(
        self,
        start: dt.date | None = None,
        before: dt.date | None = None,
    ) -> list[ProgrammeSessionRecord]:
        """Programme sessions dated from ``start`` up to (not including) ``before``, oldest first."""
        rs, ps = routine_sessions, programme_sessions
        query = (
            sa.select(
                ps.c.id,
                ps.c.session_id,
                ps.c.levels,
                ps.c.next_morning,
                rs.c.session_date,
                rs.c.status,
                rs.c.pain_during,
                rs.c.source,
                rs.c.started_at,
            )
            .join(rs, rs.c.id == ps.c.session_id)
            .where(self._mine(ps), self._mine(rs))
        )
        if start is not None:
            query = query.where(rs.c.session_date >= start)
        if before is not None:
            query = query.where(rs.c.session_date < before)
        with self._read() as conn:
            rows = conn.execute(query.order_by(rs.c.session_date, rs.c.started_at, ps.c.id)).all()
        return [
            ProgrammeSessionRecord(
                r.id,
                r.session_id,
                r.session_date,
                r.status,
                r.pain_during,
                r.next_morning,
                r.source,
                json.loads(r.levels),
                r.started_at,
            )
            for r in rows
        ]

    def choose_level(self, choice_date: dt.date, exercise_id: str, level: int) -> int:
        """Record the person's choice of ``level`` for ``exercise_id`` from ``choice_date`` on. Whether the
        level is allowed (easier only) is ``hipknee.progression.can_choose``'s to say, before this."""
        check_exercise_level(exercise_id, level)
        with self._write() as conn:
            return _inserted_id(
                conn.execute(
                    sa.insert(programme_levels).values(
                        user_id=self.user_id,
                        choice_date=choice_date,
                        exercise_id=exercise_id,
                        level=level,
                        chosen_at=utcnow(),
                    )
                )
            )

    def list_level_choices(
        self,
        start: dt.date | None = None,
        before: dt.date | None = None,
    ) -> list[LevelChoiceRecord]:
        """The person's level choices dated from ``start`` up to (not including) ``before``, oldest first."""
        t = programme_levels
        query = sa.select(t).where(self._mine(t))
        if start is not None:
            query = query.where(t.c.choice_date >= start)
        if before is not None:
            query = query.where(t.c.choice_date < before)
        with self._read() as conn:
            rows = conn.execute(query.order_by(t.c.choice_date, t.c.id)).all()
        return [_row_level_choice(r) for r in rows]

    def delete_level_choice(self, choice_id: int) -> LevelChoiceRecord:
        """Delete and return this person's level choice ``choice_id`` (its undo). LookupError, nothing deleted,
        when this person has no choice with that id. Whether taking it back is allowed is
        ``hipknee.programme.undo_choice``'s to say, before this."""
        t = programme_levels
        mine = sa.and_(self._mine(t), t.c.id == choice_id)
        with self._write() as conn:
            row = conn.execute(sa.select(t).where(mine)).first()
            if row is None:
                raise LookupError(f"no level choice {choice_id}")
            conn.execute(sa.delete(t).where(mine))
        return _row_level_choice(row)

    # ---- outcome questionnaires (issue 15) -----------------------------------------------------------

    def save_questionnaire(self, questionnaire_id: str, date: dt.date, answers: dict[str, Any]) -> bool:
        """Save one questionnaire's answers for ``date``; True when it replaced that day's earlier answers.

        ValidationError (nothing written) for an unknown questionnaire, a bad date or answers that do not score.
        Date range rules (not in the future) are the caller's, as for journal entries (``check_date``).
        """
        canonical = check_questionnaire_result(questionnaire_id, date, answers)
        text = json.dumps(canonical, sort_keys=True)
        mine = sa.and_(
            self._mine(questionnaire_results),
            questionnaire_results.c.questionnaire_id == questionnaire_id,
            questionnaire_results.c.taken_date == date,
        )
        with self._write() as conn:
            replaced = conn.execute(
                sa.update(questionnaire_results).where(mine).values(answers=text, taken_at=utcnow())
            ).rowcount
            if not replaced:
                conn.execute(
                    sa.insert(questionnaire_results).values(
                        user_id=self.user_id,
                        questionnaire_id=questionnaire_id,
                        taken_date=date,
                        taken_at=utcnow(),
                        answers=text,
                    )
                )
        return bool(replaced)

    def first_entry_date(self) -> dt.date | None:
        """The journal's first day (the first use, for when questionnaires fall due), or None."""
        with self._read() as conn:
            return conn.execute(
                sa.select(sa.func.min(daily_entries.c.entry_date)).where(self._mine(daily_entries))
            ).scalar()

    def list_questionnaires(self, questionnaire_id: str | None = None) -> list[QuestionnaireRecord]:
        """This person's saved questionnaires (all, or one questionnaire's), oldest first."""
        query = sa.select(questionnaire_results).where(self._mine(questionnaire_results))
        if questionnaire_id is not None:
            query = query.where(questionnaire_results.c.questionnaire_id == questionnaire_id)
        order = (questionnaire_results.c.taken_date, questionnaire_results.c.questionnaire_id)
        with self._read() as conn:
            rows = conn.execute(query.order_by(*order)).all()
        return [
            QuestionnaireRecord(r.id, r.questionnaire_id, r.taken_date, json.loads(r.answers), r.taken_at) for r in rows
        ]

    # ---- bulk ---------------------------------------------------------------------------------

    def list_users(self) -> list[str]:
        """Every user id that owns at least one row, in any table."""
        query = sa.union(*[sa.select(t.c.user_id) for t in USER_TABLES])
        with self._read() as conn:
            return sorted(conn.execute(query).scalars())

    def reassign_to(self, new_user: str) -> int:
        """Give all of this user's rows to ``new_user`` (e.g. "local" data to a login); all or nothing.

        Refused when ``new_user`` already has data, so that two people's journals are never merged.
        """
        if new_user == self.user_id:
            raise ConflictError("the old and new user are the same")
        moved = 0
        with self._write(new_user) as conn:
            for table in USER_TABLES:
                if conn.execute(sa.select(table.c.id).where(table.c.user_id == new_user).limit(1)).first():
                    raise ConflictError(f"{shorten(new_user)} already has data; nothing was moved")
            for table in USER_TABLES:
                moved += conn.execute(
                    sa.update(table).where(table.c.user_id == self.user_id).values(user_id=new_user)
                ).rowcount
        return moved

    def delete_all_data(self) -> None:
        """Remove every row of this user (and nobody else's)."""
        with self._write() as conn:
            for table in USER_TABLES:
                conn.execute(sa.delete(table).where(table.c.user_id == self.user_id))


# Key space of the per-person advisory locks (two int4 keys; the schema lock uses the one-bigint space).
_USER_LOCK_SPACE = 770302


def _lock_users(conn: Connection, *user_ids: str) -> None:
    """On PostgreSQL, hold each person's write lock until the transaction ends, taken in sorted order.

    SQLite's ``BEGIN IMMEDIATE`` already lets one writer in at a time. PostgreSQL lets writers run side by side,
    so a read-then-write (is that date free? then move the entry there) could act on a stale read and two moves
    onto one date would both "succeed", the second overwriting the first. Holding the person's lock makes each
    write see every earlier one; sorted order keeps two-person writes (reassign) from deadlocking.
    """
    if conn.dialect.name != "postgresql":
        return
    for user_id in sorted(set(user_ids)):
        conn.execute(
            sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:user_id))"),
            {"space": _USER_LOCK_SPACE, "user_id": user_id},
        )


def _daily_check_record(row: Any) -> DailyCheckRecord:
    return DailyCheckRecord(
        date=row.check_date,
        status=DayStatus(row.status),
        answers=json.loads(row.answers),
        checked_at=row.checked_at,
    )


def _short(exc: BaseException) -> str:
    """The driver's own message, first line only."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__
