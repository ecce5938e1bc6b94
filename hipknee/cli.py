"""The ``hipknee`` command line: backups, imports, demo data (and more as features land).

Every command honours HIPKNEE_DATABASE_URL. Success exits 0; failure prints one line on stderr that says
what went wrong and where, and exits non-zero. No tracebacks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa

from hipknee import csvio, demo
from hipknee.accounts import normalise_user_id, resolve_cli_user
from hipknee.errors import HipkneeError
from hipknee.journal import today_in
from hipknee.store import ON_CONFLICT_CHOICES, Store, database_url, describe_url

EXIT_FAILURE = 1


class CliError(HipkneeError):
    pass


def _today() -> dt.date:
    return today_in(None)  # the machine's own time zone


def _write_output(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        _write_bytes_atomically(text.encode("utf-8"), out)


def _write_bytes_atomically(data: bytes, out: str) -> None:
    """Write a file whole or not at all: a temporary file beside it, then an atomic rename."""
    path = Path(out)
    if path.is_dir():
        raise CliError(f"cannot write {out}: it is a folder")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # never leave a half-written file under the real name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CliError(f"cannot write {out}: {exc.strerror or exc}") from None


def _read_input(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except IsADirectoryError:
        raise CliError(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _refuse_user_without_data(args: argparse.Namespace, store: Store) -> None:
    """An explicit ``--user`` that owns nothing is most likely a typo: say so rather than write an empty file."""
    if args.user is not None and store.user_id not in store.list_users():
        raise CliError(
            f"{store.user_id} has no data in {describe_url(database_url())} (see `hipknee users`); "
            "nothing was written"
        )


def cmd_export(args: argparse.Namespace, store: Store) -> None:
    _refuse_user_without_data(args, store)
    _write_output(csvio.export_csv(store.list_entries()), args.out)
    if args.out:
        print(f"exported {store.count_entries()} entries to {args.out}", file=sys.stderr)


def cmd_import(args: argparse.Namespace, store: Store) -> None:
    data = _read_input(args.file)
    try:
        result = csvio.import_csv(store, data, today=_today(), on_conflict=args.on_conflict)
    except csvio.CsvConflictError as exc:
        raise CliError(
            f"{args.file}: {exc}; use --on-conflict skip or replace; nothing was imported"
        ) from None
    except csvio.CsvError as exc:
        raise CliError(f"{args.file}: {exc}; nothing was imported") from None
    print(
        f"imported {args.file}: {result.added} added, {result.replaced} replaced, "
        f"{result.skipped} skipped"
    )


def cmd_demo(args: argparse.Namespace, store: Store) -> None:
    if not 1 <= args.days <= 36500:
        raise CliError("--days must be from 1 to 36500")
    existing = store.count_entries() + store.count_sessions()
    if existing and not args.replace:
        raise CliError(
            f"the database already holds data for {store.user_id} ({existing} entries and sessions) and demo "
            "data would mix with it; use an empty database (HIPKNEE_DATABASE_URL) or add --replace to delete "
            "that data first"
        )
    if existing:
        store.delete_all_data()
    data = demo.fill(store, args.days, seed=args.seed, end=_today())
    print(
        f"wrote {len(data.entries)} demo entries and {len(data.sessions)} sessions "
        f"to {describe_url(database_url())}"
    )


def cmd_screen(args: argparse.Namespace, store: Store) -> None:
    """Assess a screening from a JSON object of answers and record it, as the Screener page does."""
    import json

    from hipknee.screening import assess, load_screener

    data = _read_input(args.file)

    def no_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise CliError(f"{args.file}: {', '.join(repeated)} appears more than once; nothing was recorded")
        return dict(pairs)

    def no_constant(name: str) -> object:
        raise CliError(f"{args.file}: {name} is not a valid answer; nothing was recorded")

    try:
        answers = json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except UnicodeDecodeError:
        raise CliError(f"{args.file}: not UTF-8 text; nothing was recorded") from None
    except json.JSONDecodeError as exc:
        raise CliError(
            f"{args.file}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
            "nothing was recorded"
        ) from None
    if not isinstance(answers, dict):
        raise CliError(f"{args.file}: must hold a JSON object of question ids to answers; nothing was recorded")
    try:
        result = assess(answers)
    except ValueError as exc:
        raise CliError(f"{args.file}: {exc}; nothing was recorded") from None
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


def _parse_day(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CliError(f"{flag} must be a date like 2025-03-01, not {value!r}") from None


def cmd_report(args: argparse.Namespace, store: Store) -> None:
    """The one-page clinician PDF (as the Trends page's download button makes it)."""
    from hipknee.report import report_for_store

    _refuse_user_without_data(args, store)
    today = _today()
    start = _parse_day(args.date_from, "--from")
    end = _parse_day(args.date_to, "--to") or today
    if end > today:
        raise CliError(f"--to {end.isoformat()} is in the future (today is {today.isoformat()})")
    if start is not None and start > end:
        raise CliError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    pdf = report_for_store(store, start=start, end=end, generated=today)
    _write_bytes_atomically(pdf, args.out)
    in_range = store.list_entries(start=start, end=end)
    print(
        f"wrote the report ({len(in_range)} {'entry' if len(in_range) == 1 else 'entries'}"
        f"{' from ' + start.isoformat() if start else ''} to {end.isoformat()}) to {args.out}"
    )


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
    print(f"moved {moved} rows from {source.user_id} to {target}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hipknee",
        description="hipknee journal tools. The database comes from HIPKNEE_DATABASE_URL "
        "(default: data/hipknee.db in the project).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("export", help="write daily entries as CSV")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="import daily entries from a CSV file (all rows or none)")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--on-conflict", choices=ON_CONFLICT_CHOICES, default="fail",
        help="what to do with dates already in the journal (default: fail)",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("demo", help="fill the database with realistic synthetic data")
    p.add_argument("--days", type=int, required=True, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument("--replace", action="store_true", help="delete this user's data first")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "screen", help="assess a safety screening from a JSON file of answers and record it",
        description="Assess and record a safety screening. ANSWERS.json is a JSON object of question id to "
        "answer (true/false; age as a whole number), as listed in data/screener.toml.",
    )
    p.add_argument("file", metavar="ANSWERS.json")
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser(
        "report", help="write the one-page clinician report (PDF)",
        description="Write the one-page PDF report for a clinician: latest screening, pain trend, routine "
        "days against the goal, change against the starting level, stops for pain and recent notes.",
    )
    p.add_argument("--out", metavar="FILE", required=True, help="the PDF file to write")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD; default: the first entry)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day (YYYY-MM-DD; default: today)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("users", help="list the people who have data in this database")
    p.set_defaults(func=cmd_users, acts_for_one_user=False)

    p = sub.add_parser(
        "reassign", help="move all of one user's data to another (e.g. local data to a login)",
        description="Move every row of --from to --to, all or nothing. Refused when --to already has data.",
    )
    p.add_argument("--from", dest="from_user", metavar="ID", required=True)
    p.add_argument("--to", dest="to_user", metavar="ID", required=True)
    p.set_defaults(func=cmd_reassign, acts_for_one_user=False)

    for name, command in sub.choices.items():
        if command.get_default("acts_for_one_user") is not False:
            command.add_argument(
                "--user", metavar="ID",
                help="whose data (required once the database holds more than one user)",
            )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        store = Store.open()
        if getattr(args, "acts_for_one_user", True) is not False:
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
