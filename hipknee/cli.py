"""The ``hipknee`` command line: backups, imports, demo data (and more as features land).

Every command honours HIPKNEE_DATABASE_URL. Success exits 0; failure prints one line on stderr that says
what went wrong and where, and exits non-zero. No tracebacks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from hipknee import diary_format, reminders
from hipknee.accounts import normalise_user_id, resolve_cli_user
from hipknee.errors import HipkneeError, ValidationError, shorten
from hipknee.journal import EARLIEST_DATE, check_date, latest_today, parse_date, today_in
from hipknee.statuses import FINISHED_STATUSES, NextMorning, OnConflict
from hipknee.thresholds import ROLLING_DAYS

if TYPE_CHECKING:
    from hipknee.store import Store

# The store, the importer and the demo are imported inside the commands that use them: `hipknee --help`
# then loads little more than argparse and SQLAlchemy (issue 18).

EXIT_FAILURE = 1
EXIT_BROKEN_PIPE = 128 + 13  # as for a program that SIGPIPE ended: the reader of its output went away
TZ_FLAG = "--tz"
TZ_HELP = "your time zone, which decides what 'today' is (IANA name, e.g. Pacific/Kiritimati; default: the machine's)"


class CliError(HipkneeError):
    pass


def _path(path: str) -> str:
    """A file path as echoed in a message: one line, at most about 80 characters (the end kept)."""
    return shorten(path, keep_end=True)


def _who(user_id: str) -> str:
    """A user id as echoed in a message: one line, at most about 80 characters (ids may hold 200)."""
    return shorten(user_id)


class _Parser(argparse.ArgumentParser):
    """argparse, but its usage errors never repeat a long argument in full."""

    def error(self, message: str) -> NoReturn:
        # One pass: a long quoted value (it may hold spaces) or any long run without spaces.
        message = re.sub(
            r"'([^']{81,})'|\S{81,}",
            lambda m: f"'{shorten(m.group(1))}'" if m.group(1) is not None else shorten(m.group(0)),
            message,
        )
        super().error(shorten(message, len(message)))  # and unprintable characters escaped


def _int_arg(text: str) -> int:
    """A whole number for an option; argparse names the option when this refuses."""
    if not re.fullmatch(r"\s*[+-]?[0-9]{1,18}\s*", text):
        raise argparse.ArgumentTypeError(f"'{shorten(text, 20)}' is not a whole number (at most 18 digits)")
    return int(text)


def _zone(args: argparse.Namespace) -> dt.tzinfo:
    """The ``--tz`` zone (an IANA name such as Pacific/Kiritimati), else the machine's own."""
    name = getattr(args, "tz", None)
    if not name:
        return _machine_zone()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CliError(
            f"--tz {shorten(name, 40)} is not a time zone; use an IANA name such as Europe/Berlin or Pacific/Kiritimati"
        ) from None


def _machine_zone() -> dt.tzinfo:
    """This machine's time zone as its clock uses it: ``TZ`` when set, else the system's setting.

    A name the zone database knows gives that zone, daylight saving included; anything else (a POSIX rule
    such as ``UTC0``, a zone that cannot be told) gives the C library's offset from UTC at this moment.
    """
    setting = os.environ.get("TZ")
    name = setting.lstrip(":") if setting is not None else reminders.machine_zone_name()
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def _today() -> dt.date:
    return today_in(None)  # the machine's own time zone


def _today_for(args: argparse.Namespace) -> dt.date:
    """Today in ``--tz`` when given, else in the machine's own time zone."""
    return dt.datetime.now(_zone(args)).date() if getattr(args, "tz", None) else _today()


TZ_EXAMPLE = "Pacific/Auckland"
# From UTC-12 to UTC+14 is 26 hours: a date more than 2 days after the machine's today is nobody's today.
MOST_DAYS_AHEAD = dt.timedelta(days=2)


def _east_limit(today: dt.date) -> dt.date:
    """The last date after ``today`` that may already be today somewhere further east."""
    return min(latest_today(), today + MOST_DAYS_AHEAD)


def _tz_hint(args: argparse.Namespace, dates: Sequence[dt.date], today: dt.date) -> str:
    """Without ``--tz``: how to give it, when one of ``dates`` is after today here but already today further
    east (so the time zone, not the date, is what is wrong); else ""."""
    if getattr(args, "tz", None):
        return ""
    east = sorted({d for d in dates if today < d <= _east_limit(today)})
    if not east:
        return ""
    shown = ", ".join(d.isoformat() for d in east)
    return (
        f"; {shown} {'is' if len(east) == 1 else 'are'} already today east of this machine's time zone: if it "
        f"is today where you are, add {TZ_FLAG} with your time zone (e.g. {TZ_FLAG} {TZ_EXAMPLE})"
    )


def _note_days_left_out(args: argparse.Namespace, store: Store, today: dt.date) -> None:
    """Say on stderr when entries after today here (but already today further east) are left out."""
    if getattr(args, "tz", None):
        return
    later = store.list_entries(start=today + dt.timedelta(days=1), end=_east_limit(today))
    if later:
        days = ", ".join(e.date.isoformat() for e in later)
        print(
            f"hipknee {args.command}: note: {len(later)} {'entry' if len(later) == 1 else 'entries'} after today "
            f"({today.isoformat()} in this machine's time zone) left out: {days}; if it is already that day where "
            f"you are, add {TZ_FLAG} with your time zone (e.g. {TZ_FLAG} {TZ_EXAMPLE})",
            file=sys.stderr,
        )


def _write_output(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        _write_bytes_atomically(text.encode("utf-8"), out)


def _write_bytes_atomically(data: bytes, out: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then an atomic rename."""
    path = Path(out)
    if path.is_dir():
        raise CliError(f"cannot write {_path(out)}: it is a folder")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # never leave a half-written file under the real name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CliError(f"cannot write {_path(out)}: {exc.strerror or exc}") from None


def _read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise CliError(f"{_path(path)} is a folder, not a file") from None
    except OSError as exc:
        raise CliError(f"cannot read {_path(path)}: {exc.strerror or exc}") from None


def _refuse_user_without_data(args: argparse.Namespace, store: Store) -> None:
    """An explicit ``--user`` that owns nothing is most likely a typo: say so rather than write an empty file."""
    from hipknee.store import database_url, describe_url

    if args.user is not None and store.user_id not in store.list_users():
        raise CliError(
            f"{_who(store.user_id)} has no data in {describe_url(database_url())} (see `hipknee users`); "
            "nothing was written"
        )


def cmd_export(args: argparse.Namespace, store: Store) -> None:
    from hipknee import diary_export  # not csvio, which loads the importer too

    _refuse_user_without_data(args, store)
    if args.excel:
        data = diary_export.export_csv_for_spreadsheets(store.list_entries())
        if args.out is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            _write_bytes_atomically(data, args.out)
    else:
        _write_output(diary_export.export_csv(store.list_entries()), args.out)
    if args.out:
        print(f"exported {store.count_entries()} entries to {_path(args.out)}", file=sys.stderr)


def cmd_import(args: argparse.Namespace, store: Store) -> None:
    from hipknee import csvio, diary_import

    data = _read_input(args.file)
    where = _path(args.file)
    mapping = None
    zone = _zone(args)  # --tz, else the machine's: timestamps with a UTC offset are moved into it
    today = _today_for(args)
    try:
        if args.map:
            columns: dict[str, str] = {}
            for option in args.map:
                columns.update(diary_import.parse_map_option(option))
            mapping = diary_import.Mapping(columns, scale=args.scale)
        elif args.scale != "0-10":
            table = diary_import.read_table(data)
            found = diary_import.auto_mapping(table)
            if found is not None:
                mapping = diary_import.Mapping(found.columns, scale=args.scale)
        parsed = diary_import.parse_file(data, mapping, today=today, date_order=args.date_order, tz=zone)
        result = csvio.import_parsed(store, parsed, on_conflict=args.on_conflict)
    except csvio.CsvConflictError as exc:
        raise CliError(f"{where}: {exc}; use --on-conflict skip or replace; nothing was imported") from None
    except diary_import.DateOrderError as exc:
        count = exc.problem_count - 1  # the date order is the first problem; these are the others
        also = f"\n  and {count} more {_problems(count)} to fix:" if count else ""
        also += _problem_lines(exc.problems[1:], count)
        raise CliError(
            f"{where}: {exc}; add --date-order dmy (day first) or --date-order mdy (month first); "
            f"nothing was imported{_tz_hint(args, exc.future_dates, today)}{also}"
        ) from None
    except diary_import.NeedsMappingError as exc:
        raise CliError(
            f"{where}: {exc}, e.g. --map date=When,worst_pain=Pain (fields: "
            f"{', '.join(diary_import.MAP_FIELDS)}; add --scale 1-5 or 0-100 for another pain scale); "
            "nothing was imported"
        ) from None
    except csvio.CsvError as exc:
        hint = _tz_hint(args, exc.future_dates, today)
        if exc.problem_count > 1:
            listed = _problem_lines(exc.problems, exc.problem_count)
            raise CliError(f"{where}: {exc.problem_count} problems; nothing was imported{hint}{listed}") from None
        raise CliError(f"{where}: {exc}; nothing was imported{hint}") from None
    notes = []
    if parsed.combined_days:
        notes.append(f"{parsed.combined_days} days had several rows and were combined")
    if parsed.ignored_columns:
        notes.append("ignored columns: " + shorten(", ".join(parsed.ignored_columns)))
    if parsed.mapping.scale != "0-10":
        notes.append(f"pain on a {parsed.mapping.scale} scale {diary_import.SCALES[parsed.mapping.scale][2]}")
    print(
        f"imported {where}: {result.added} added, {result.replaced} replaced, "
        f"{result.skipped} skipped" + "".join(f"\n  {n}" for n in notes)
    )


def _problems(count: int) -> str:
    return "problem" if count == 1 else "problems"


def _problem_lines(problems: Sequence[object], count: int) -> str:
    """Each problem on its own indented line, then "...and N more" for those not listed."""
    listed = "".join(f"\n  {p}" for p in problems)
    more = count - len(problems)
    return listed + (f"\n  ...and {more} more" if more > 0 else "")


def cmd_demo(args: argparse.Namespace, store: Store) -> None:
    from hipknee import demo
    from hipknee.store import database_url, describe_url

    today = _today()
    if not 1 <= args.days <= demo.max_days(today):  # entries before 2000 would be refused by import
        raise CliError(
            f"--days must be from 1 to {demo.max_days(today)} (demo data ends today and cannot start before "
            f"{EARLIEST_DATE.isoformat()}), not {args.days}"
        )
    existing = store.count_entries() + store.count_sessions()
    if existing and not args.replace:
        raise CliError(
            f"the database already holds data for {_who(store.user_id)} ({existing} entries and sessions) and demo "
            "data would mix with it; use an empty database (HIPKNEE_DATABASE_URL) or add --replace to delete "
            "that data first"
        )
    if existing:
        store.delete_all_data()
    data = demo.fill(store, args.days, seed=args.seed, end=today)
    print(f"wrote {len(data.entries)} demo entries and {len(data.sessions)} sessions to {describe_url(database_url())}")


def cmd_screen(args: argparse.Namespace, store: Store) -> None:
    """Assess a screening from a JSON object of answers and record it, as the Screener page does."""
    from hipknee.screening import assess, load_screener
    from hipknee.store import database_url, describe_url

    where = _path(args.file)
    answers = _load_json_answers(args.file)
    if not isinstance(answers, dict):
        raise CliError(f"{where}: must hold a JSON object of question ids to answers; nothing was recorded")
    try:
        result = assess(answers)
    except ValueError as exc:
        raise CliError(f"{where}: {exc}; nothing was recorded") from None
    screening_id = store.save_screening(result.tier, answers, result.reason_dicts(), source="cli")
    tier_text = load_screener().tiers[result.tier]
    lines = [f"tier: {result.tier} ({tier_text.title})"]
    if result.findings:
        lines.append("reasons:")
        for finding in result.findings:
            lines.append(f"  - [{finding.id}] {finding.reason}")
            lines.append(f"    what to do: {finding.advice}")
    else:
        lines.append("reasons: none")
    lines.append(f"next: {tier_text.advice}")
    lines.append(f"recorded screening {screening_id} in {describe_url(database_url())}")
    print("\n".join(lines))


def _parse_day(value: str | None, flag: str, *, today: dt.date) -> dt.date | None:
    """A date flag's value: YYYY-MM-DD from 2000-01-01 to today, as the journal takes (journal.check_date)."""
    if value is None:
        return None
    return check_date(parse_date(value, flag), today=today, field=flag)


def _day_flag(args: argparse.Namespace, value: str | None, flag: str, *, today: dt.date) -> dt.date | None:
    """``_parse_day``, and a day after today that is already today further east says how to give ``--tz``."""
    if value is None:
        return None
    day = parse_date(value, flag)
    try:
        return check_date(day, today=today, field=flag)
    except ValidationError as exc:
        raise CliError(f"{exc}{_tz_hint(args, [day], today)}") from None


def cmd_report(args: argparse.Namespace, store: Store) -> None:
    """The one-page clinician PDF (as the Trends page's download button makes it)."""
    from hipknee.report import report_for_store

    _refuse_user_without_data(args, store)
    today = _today_for(args)
    start = _day_flag(args, args.date_from, "--from", today=today)
    end = _day_flag(args, args.date_to, "--to", today=today) or today
    if start is not None and start > end:
        raise CliError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    pdf = report_for_store(store, start=start, end=end, generated=today)
    _write_bytes_atomically(pdf, args.out)
    in_range = store.list_entries(start=start, end=end)
    print(
        f"wrote the report ({len(in_range)} {'entry' if len(in_range) == 1 else 'entries'}"
        f"{' from ' + start.isoformat() if start else ''} to {end.isoformat()}) to {_path(args.out)}"
    )
    if args.date_to is None:
        _note_days_left_out(args, store, today)


def cmd_trends(args: argparse.Namespace, store: Store) -> None:
    """What the Trends page concludes for the whole journal (issue 13, point 8)."""
    import json

    from hipknee import analysis as an
    from hipknee import trends_text

    _refuse_user_without_data(args, store)
    today = _today_for(args)
    trends = an.compute_trends(store.entries_frame(), store.sessions_frame(), end=today)
    if args.json:
        print(json.dumps(an.conclusions(trends), indent=2))
    else:
        print("\n".join(trends_text.summary_lines(trends)))
    _note_days_left_out(args, store, today)


def cmd_reminders(args: argparse.Namespace, store: None) -> None:
    """Write the journal reminder (.ics); nothing is written when any option is wrong."""
    time = reminders.parse_time(args.time)
    days = reminders.parse_days(args.days)
    zone = args.tz or reminders.machine_zone_name()
    if not zone:
        raise CliError("cannot tell this machine's time zone; give it with --tz ZONE (e.g. Europe/Berlin)")
    reminders.check_zone(zone)
    url = args.url or os.environ.get(reminders.PUBLIC_URL_ENV) or reminders.LOCAL_URL
    what = "--url" if args.url else reminders.PUBLIC_URL_ENV if os.environ.get(reminders.PUBLIC_URL_ENV) else "url"
    base = reminders.public_base_url(None, reminders.check_base_url(url, what)) or reminders.LOCAL_URL
    reminder = reminders.journal_reminder(base, time, days)
    today = dt.datetime.now(ZoneInfo(zone)).date()
    _write_bytes_atomically(reminders.build_calendar([reminder], zone, today), args.out)
    every = "every day" if days == reminders.EVERY_DAY else f"on {reminders.days_text(days)}"
    print(f"wrote {_path(args.out)}: a journal reminder {every} at {time:%H:%M} ({zone}), linking to {reminder.link}")


def cmd_users(args: argparse.Namespace, store: Store) -> None:
    users = store.list_users()
    if not users:
        print("no data yet")
    for user in users:
        print(f"{user}\t{store.for_user(user).count_entries()} entries")


def cmd_reassign(args: argparse.Namespace, store: Store) -> None:
    # Normalised exactly as login does, so that --to Dana@Example.org is where Dana's login reads.
    source = store.for_user(normalise_user_id(args.from_user))
    target = normalise_user_id(args.to_user)
    moved = source.reassign_to(target)
    print(f"moved {moved} rows from {_who(source.user_id)} to {_who(target)}")


def cmd_backup(args: argparse.Namespace, store: Store) -> None:
    """A full backup of one person (every table), as the Your data page's download makes it."""
    from hipknee import backup

    doc = backup.backup_dict(store)
    counts = {name: len(rows) for name, rows in doc["tables"].items()}
    if not any(counts.values()):
        raise CliError(f"there is no data for {_who(store.user_id)} to back up; nothing was written")
    _write_bytes_atomically(backup.encode(doc), args.out)
    print(f"wrote a full backup of {_who(store.user_id)} ({backup.describe_counts(counts)}) to {_path(args.out)}")


def cmd_restore(args: argparse.Namespace, store: Store) -> None:
    """Check a whole backup file, then write all of it in one transaction, or nothing."""
    from hipknee import backup

    data = _read_input(args.file)
    today = _today_for(args)
    try:
        checked = backup.read_backup(data, today=today)
        counts = backup.restore(store, checked, replace=args.replace)
    except backup.BackupError as exc:
        hint = ""
        if not getattr(args, "tz", None) and _east_limit(today) > today:
            try:  # would the file pass on the latest today further east? Then the time zone is what is wrong.
                backup.read_backup(data, today=_east_limit(today))
            except backup.BackupError:
                pass
            else:
                hint = (
                    f"; its dates after {today.isoformat()} (today in this machine's time zone) are already today "
                    f"further east: if it is that day where you are, add {TZ_FLAG} with your time zone "
                    f"(e.g. {TZ_FLAG} {TZ_EXAMPLE})"
                )
        raise CliError(f"{_path(args.file)}: {exc}; nothing was restored{hint}") from None
    except backup.BackupConflict as exc:
        raise CliError(
            f"{exc}; nothing was restored (add --replace to delete {_who(store.user_id)}'s data first)"
        ) from None
    print(f"restored {_path(args.file)} for {_who(store.user_id)}: {backup.describe_counts(counts)}")


# ---- the 8-week programme (issue 14) -------------------------------------------------------------------


def _programme_plan(store: Store, day: dt.date):  # -> hipknee.programme.DayPlan
    """The plan for ``day`` from this person's programme start and what they logged before ``day``."""
    from hipknee.programme import NotStartedError, plan_from_store

    try:
        return plan_from_store(store, day)
    except NotStartedError as exc:
        if store.programme_start() is None:
            raise CliError("no programme started yet; run `hipknee plan start` first") from None
        raise CliError(str(exc)) from None


def cmd_plan(args: argparse.Namespace, store: Store) -> None:
    """The programme's session for --date (default today), judged from what was logged before it (plus
    the person's easier level chosen for that day; see ``hipknee.programme``)."""
    import json

    from hipknee.programme import describe_plan

    day = parse_date(args.date, "--date") if args.date is not None else _today()
    if day < EARLIEST_DATE:
        raise CliError(f"--date {day.isoformat()} is before {EARLIEST_DATE.isoformat()}")
    plan = _programme_plan(store, day)
    if args.json:
        print(json.dumps(plan.as_json(), ensure_ascii=False))
    else:
        print(describe_plan(plan))


def cmd_plan_start(args: argparse.Namespace, store: Store) -> None:
    """Start (or restart) the programme on --date (default today; not in the future)."""
    today = _today()
    day = _parse_day(args.date, "--date", today=today) or today
    previous = store.programme_start()
    store.start_programme(day, previous.settings if previous is not None else None)
    again = f" (it had started on {previous.start_date.isoformat()})" if previous is not None else ""
    print(
        f"{'restarted' if previous else 'started'} the programme on {day.isoformat()} for {_who(store.user_id)}"
        f"{again}; sessions before that day do not count towards it"
    )


def cmd_session_add(args: argparse.Namespace, store: Store) -> None:
    """Log a programme session done away from the player: the record the player writes."""
    from hipknee.programme import session_levels

    today = _today()
    day = _parse_day(args.date, "--date", today=today)
    assert day is not None  # --date is required
    plan = _programme_plan(store, day)
    levels = session_levels(plan)
    if not levels:  # a rest day: the person exercised anyway; record every exercise at its level
        levels = dict(plan.progress.levels)
    record = store.add_programme_session(
        session_date=day,
        status=args.status,
        pain_during=args.pain_during,
        next_morning=args.next_morning,
        levels=levels,
        source="manual",
    )
    pain = f", pain during {record.pain_during}/10" if record.pain_during is not None else ""
    morning = f", next morning {record.next_morning}" if record.next_morning else ""
    print(f"recorded a {record.status} programme session on {day.isoformat()} for {_who(store.user_id)}{pain}{morning}")


# ---- outcome questionnaires (issue 15) -----------------------------------------------------------------


def _load_json_answers(path: str) -> object:
    """The JSON value in ``path`` (duplicate keys, NaN/Infinity and huge numbers refused), or CliError."""
    import json

    where = _path(path)
    data = _read_input(path)

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise CliError(
                f"{where}: {', '.join(shorten(k) for k in repeated)} appears more than once; nothing was recorded"
            )
        return dict(pairs)

    def no_constant(name: str) -> object:
        raise CliError(f"{where}: {name} is not a valid answer; nothing was recorded")

    def short_int(text: str) -> int:
        if len(text.lstrip("-")) > 18:
            raise CliError(
                f"{where}: a number of {len(text.lstrip('-')):,} digits is not a valid answer; nothing was recorded"
            )
        return int(text)

    try:
        return json.loads(
            data.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant, parse_int=short_int
        )
    except UnicodeDecodeError:
        raise CliError(f"{where}: not UTF-8 text; nothing was recorded") from None
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); nothing was recorded"
        ) from None
    except RecursionError:
        raise CliError(f"{where}: the JSON is nested too deeply; nothing was recorded") from None


def cmd_questionnaire_list(args: argparse.Namespace, store: Store) -> None:
    """One line per questionnaire: id, name, items, score range, how often, the change that matters."""
    from hipknee.questionnaires import load_questionnaires

    for q in load_questionnaires().values():
        better = "higher is better" if q.higher_is_better else "lower is better"
        print(
            f"{q.id}\t{q.name}: {len(q.items)} items, score {q.score_min:g}-{q.score_max:g} ({better}), "
            f"every {q.interval_days} days, change that matters {q.mid:g} point{'s' if q.mid != 1 else ''}"
        )


def cmd_questionnaire_show(args: argparse.Namespace, store: Store) -> None:
    """The items of one questionnaire in order (as JSON with --json)."""
    import json

    from hipknee.questionnaires import get_questionnaire

    q = get_questionnaire(args.id)
    if args.json:
        print(json.dumps(q.as_json(), ensure_ascii=False, indent=2))
        return
    print(f"{q.name} ({q.id}): {q.intro}")
    for number, item in enumerate(q.items, start=1):
        print(f"{number}. [{item.id}] {item.text}")
        if item.is_rating:
            print(f"   {item.min} = {item.min_label} ... {item.max} = {item.max_label}")
        for option in item.options:
            print(f"   - [{option.id}] {option.text} ({option.points})")


def cmd_questionnaire_add(args: argparse.Namespace, store: Store) -> None:
    """Score a questionnaire from a JSON object (item id -> option id or number), save it and print the score."""
    from hipknee.questionnaires import get_questionnaire, score

    q = get_questionnaire(args.id)
    today = _today()
    day = _parse_day(args.date, "--date", today=today) or today
    answers = _load_json_answers(args.file)
    try:
        value = score(q, answers)
        replaced = store.save_questionnaire(q.id, day, answers)  # type: ignore[arg-type]  # checked by score
    except ValueError as exc:
        raise CliError(f"{_path(args.file)}: {exc}; nothing was recorded") from None
    again = " (replaced that day's earlier answers)" if replaced else ""
    print(
        f"{q.id} score {q.format_score(value)} on {day.isoformat()} "
        f"({q.score_min:g}-{q.score_max:g}, "
        f"{'higher' if q.higher_is_better else 'lower'} is better); saved for {_who(store.user_id)}{again}"
    )


def cmd_questionnaire_history(args: argparse.Namespace, store: Store) -> None:
    """Every saved questionnaire with its score, oldest first, then the change from the first score."""
    import json

    from hipknee.questionnaires import change_from_first, change_sentence, history

    rows = history(store.list_questionnaires())
    if args.json:
        print(json.dumps([row.as_json() for row in rows], ensure_ascii=False))
        return
    if not rows:
        print(f"no questionnaires saved for {_who(store.user_id)}")
        return
    for row in rows:
        print(f"{row.date.isoformat()}\t{row.questionnaire.id}\t{row.questionnaire.format_score(row.score)}")
    for q in {row.questionnaire.id: row.questionnaire for row in rows}.values():
        change = change_from_first(q, [(r.date, r.score) for r in rows if r.questionnaire.id == q.id])
        if change is not None:
            print(f"{q.id}: {change_sentence(q, change)}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hipknee",
        description="hipknee journal tools. The database comes from HIPKNEE_DATABASE_URL "
        "(default: data/hipknee.db in the project).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("export", help="write daily entries as CSV")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument(
        "--excel",
        action="store_true",
        help="for spreadsheets: a UTF-8 byte-order mark and CRLF line ends (default: plain UTF-8, LF)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import",
        help="import daily entries from a CSV or .xlsx file (all rows or none)",
        description="Check every row, then write all of them or nothing. Reads ',' ';' or tab separated "
        "CSV (UTF-8, UTF-16 or Windows-1252) and .xlsx; dates YYYY-MM-DD, D/M/YYYY or M/D/YYYY (with / . or -). "
        "Several rows for one day are combined: the highest pain, routine done if any row says so, notes "
        "joined.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--on-conflict",
        choices=OnConflict.values(),
        default="fail",
        help="what to do with dates already in the journal (default: fail)",
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=COLUMN,...",
        help="which column holds each field, e.g. date=When,worst_pain=Pain,did_routine=Exercises,notes=Note "
        f"(fields: {', '.join(diary_format.MAP_FIELDS)}; date and worst_pain required; time is the time of day "
        "in a column of its own, which puts a day's notes in time order)",
    )
    p.add_argument(
        "--scale",
        choices=tuple(diary_format.SCALES),
        default="0-10",
        help="the pain columns' scale; 1-5 and 0-100 are converted to 0-10 (default: 0-10)",
    )
    p.add_argument(
        "--date-order",
        choices=diary_format.DATE_ORDERS,
        help="dmy (31/10/2026) or mdy (10/31/2026), when no date in the file has a day above 12 to tell",
    )
    p.add_argument(TZ_FLAG, metavar="ZONE", help=TZ_HELP)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("demo", help="fill the database with realistic synthetic data")
    p.add_argument("--days", type=_int_arg, required=True, metavar="N")
    p.add_argument("--seed", type=_int_arg, default=1, metavar="S")
    p.add_argument("--replace", action="store_true", help="delete this user's data first")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "screen",
        help="assess a safety screening from a JSON file of answers and record it",
        description="Assess and record a safety screening. ANSWERS.json is a JSON object of question id to "
        "answer (true/false; age as a whole number), as listed in data/screener.toml.",
    )
    p.add_argument("file", metavar="ANSWERS.json")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser(
        "report",
        help="write the one-page clinician report (PDF)",
        description="Write the one-page PDF report for a clinician: latest screening, pain trend, routine "
        "days against the goal, change against the starting level, stops for pain and recent notes.",
    )
    p.add_argument("--out", metavar="FILE", required=True, help="the PDF file to write")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD; default: the first entry)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD; default: today)")
    p.add_argument(TZ_FLAG, metavar="ZONE", help=TZ_HELP)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "backup",
        help="write a full backup of one person (every table) as a JSON file",
        description="Write all of one person's data (every table) to one JSON file that 'hipknee restore' reads back.",
    )
    p.add_argument("--out", metavar="FILE", required=True, help="the backup file to write")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="restore a full backup (all or nothing)",
        description="Check the whole backup file, then write all of it in one transaction, or nothing. "
        "Refused when the journal already holds data, unless --replace.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help="delete this person's data first (same transaction)")
    p.add_argument(TZ_FLAG, metavar="ZONE", help=TZ_HELP)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "plan",
        help="the 8-week programme: today's session (or start it with 'plan start')",
        description="Show the programme's session for --date (default today), judged only from what was "
        "logged before that day (an easier level chosen for that day counts for it). "
        "'hipknee plan start' starts or restarts the programme.",
    )
    p.add_argument("--json", action="store_true", help="print the session as JSON")
    p.add_argument("--date", metavar="DATE", help="the day (YYYY-MM-DD; default: today)")
    p.set_defaults(func=cmd_plan)
    plan_sub = p.add_subparsers(dest="plan_command", metavar="start")
    start = plan_sub.add_parser(
        "start",
        help="start (or restart) the programme",
        description="Start the programme on --date (default today; not in the future), or restart it. "
        "Sessions before the start do not count towards it.",
    )
    start.add_argument("--date", metavar="DATE", help="the first day (YYYY-MM-DD; default: today)")
    start.add_argument("--user", metavar="ID", help="whose programme")
    start.set_defaults(func=cmd_plan_start)

    p = sub.add_parser(
        "session",
        help="log a programme session done without the player",
        description="Log programme sessions done away from the screen; they count like player sessions.",
    )
    session_sub = p.add_subparsers(dest="session_command", metavar="add", required=True)
    add = session_sub.add_parser(
        "add",
        help="log one programme session",
        description="Log a programme session on --date (not in the future) at the levels the plan gave for that day.",
    )
    add.add_argument("--date", metavar="DATE", required=True, help="the day (YYYY-MM-DD)")
    add.add_argument(
        "--status",
        choices=[status.value for status in FINISHED_STATUSES],
        required=True,
        help="completed, or stopped (for pain)",
    )
    add.add_argument("--pain-during", type=_int_arg, metavar="N", help="pain during the session, 0-10")
    add.add_argument(
        "--next-morning",
        choices=NextMorning.values()[::-1],  # best first
        help="the knee the next morning compared with before the session",
    )
    add.add_argument("--user", metavar="ID", help="whose session")
    add.set_defaults(func=cmd_session_add)

    p = sub.add_parser(
        "trends",
        help="print what the Trends page concludes for the whole journal",
        description=f"Print the starting level, the last {ROLLING_DAYS} days, the change since the start, the "
        "recent change, the worsening alert and the routine-days analysis, over the whole journal up to today.",
    )
    p.add_argument("--json", action="store_true", help="print JSON (numbers rounded to 2 places)")
    p.add_argument(TZ_FLAG, metavar="ZONE", help=TZ_HELP)
    p.set_defaults(func=cmd_trends)

    p = sub.add_parser(
        "questionnaire",
        help="outcome questionnaires (AKPS, PEG): list, show, add, history",
        description="The outcome questionnaires: the Kujala Anterior Knee Pain Scale (akps) and the PEG (peg).",
    )
    q_sub = p.add_subparsers(dest="questionnaire_command", metavar="list|show|add|history", required=True)
    q = q_sub.add_parser("list", help="list the questionnaires")
    q.set_defaults(func=cmd_questionnaire_list, acts_for_one_user=False)
    q = q_sub.add_parser("show", help="show one questionnaire's items")
    q.add_argument("id", metavar="ID")
    q.add_argument("--json", action="store_true", help="print the items as JSON")
    q.set_defaults(func=cmd_questionnaire_show, acts_for_one_user=False)
    q = q_sub.add_parser(
        "add",
        help="score and save one questionnaire from a JSON file of answers",
        description="ANSWERS.json maps each item id to an option id, or to a number (a 0-10 rating, or an "
        "option's points). Prints the score; bad answers record nothing. A second answer for the same day "
        "replaces the first.",
    )
    q.add_argument("id", metavar="ID")
    q.add_argument("file", metavar="ANSWERS.json")
    q.add_argument("--date", metavar="D", help="the day it was taken (YYYY-MM-DD; default: today)")
    q.add_argument("--user", metavar="ID", help="whose questionnaire")
    q.set_defaults(func=cmd_questionnaire_add)
    q = q_sub.add_parser("history", help="every saved questionnaire with its score, and the change since the first")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.add_argument("--user", metavar="ID", help="whose questionnaires")
    q.set_defaults(func=cmd_questionnaire_history)

    p = sub.add_parser(
        "reminders",
        help="write a calendar file (.ics) that reminds you to fill in the journal",
        description="Write an iCalendar file (.ics) with a repeating reminder to fill in the journal, at --time "
        "on --days in your time zone, with an alarm 10 minutes before and a link to the Journal page. Import it "
        "into any calendar app. Defaults: every day at 20:00, the machine's time zone, and the address in "
        f"{reminders.PUBLIC_URL_ENV} or else {reminders.LOCAL_URL} (what `make run` serves). The Journal page "
        "also offers a reminder for the routine on the programme's strength days.",
    )
    p.add_argument("--out", metavar="FILE", required=True, help="the .ics file to write")
    p.add_argument("--time", metavar="HH:MM", default="20:00", help="the time, 24-hour clock (default: 20:00)")
    p.add_argument(
        "--days", metavar="DAYS", default="daily", help="comma-separated days, e.g. mon,wed,fri (default: every day)"
    )
    p.add_argument(
        TZ_FLAG, metavar="ZONE", help="your time zone, an IANA name such as Europe/Berlin (default: the machine's)"
    )
    p.add_argument(
        "--url",
        metavar="URL",
        help=f"the address you open hipknee on, e.g. http://192.168.1.20:8501 "
        f"(default: {reminders.PUBLIC_URL_ENV}, else {reminders.LOCAL_URL})",
    )
    p.set_defaults(func=cmd_reminders, acts_for_one_user=False, needs_store=False)

    p = sub.add_parser("users", help="list the people who have data in this database")
    p.set_defaults(func=cmd_users, acts_for_one_user=False)

    p = sub.add_parser(
        "reassign",
        help="move all of one user's data to another (e.g. local data to a login)",
        description="Move every row of --from to --to, all or nothing. Refused when --to already has data.",
    )
    p.add_argument("--from", dest="from_user", metavar="ID", required=True)
    p.add_argument("--to", dest="to_user", metavar="ID", required=True)
    p.set_defaults(func=cmd_reassign, acts_for_one_user=False)

    for name, command in sub.choices.items():
        if name in ("session", "questionnaire"):  # their subcommands have their own --user
            continue
        if command.get_default("acts_for_one_user") is not False:
            command.add_argument(
                "--user",
                metavar="ID",
                help="whose data (required once the database holds more than one user)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit status. Output cut short by its reader (``hipknee screen A.json | head -1``)
    ends quietly with EXIT_BROKEN_PIPE, for every command alike, instead of a BrokenPipeError traceback."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # output still buffered meets the closed pipe here, not at interpreter exit
    except BrokenPipeError:
        _discard_stdout()
        return EXIT_BROKEN_PIPE


def _discard_stdout() -> None:
    """Send what is left of standard output to /dev/null, so Python's own flush at exit finds no closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind sys.stdout (a test's capture): nothing left to flush
        pass


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # --help and usage errors end here, before the store is imported
    from hipknee.store import Store

    sub = (
        getattr(args, "plan_command", None)
        or getattr(args, "session_command", None)
        or getattr(args, "questionnaire_command", None)
    )
    if sub:
        args.command = f"{args.command} {sub}"  # "hipknee session add: error: ..."
    try:
        store = Store.open() if getattr(args, "needs_store", True) else None  # reminders needs no database
        if store is not None and getattr(args, "acts_for_one_user", True) is not False:
            store = store.for_user(resolve_cli_user(args.user, store.list_users()))
        args.func(args, store)
    except HipkneeError as exc:
        print(f"hipknee {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except sa.exc.SQLAlchemyError as exc:
        print(f"hipknee {args.command}: database error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"hipknee {args.command}: interrupted; nothing more was written", file=sys.stderr)
        return 130
    return 0


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
