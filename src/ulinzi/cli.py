"""The ``ulinzi`` command: run, migrate, demo, import, export, accounts, organisations, tokens, audit, manage.

Django is configured only when a subcommand needs it, so ``ulinzi --help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import string
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.claims.cli import add_claims
from ulinzi.importing.registry import IMPORTERS
from ulinzi.insights.cli import add_insights
from ulinzi.intake.extract_cli import add_extract
from ulinzi.reports.cli import add_report

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ulinzi.incidents.models import Event

console = Console(highlight=False, soft_wrap=True)
# Exports put their data on stdout, so everything else they say goes to stderr.
errors = Console(highlight=False, soft_wrap=True, stderr=True)
# ``incidents.exports.FORMATS`` needs Django, which ``--help`` must not load; a test keeps the two in step.
EXPORT_FORMATS = ("csv", "geojson", "hxl", "parquet")


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ulinzi.settings")
    import django

    django.setup()


def cmd_migrate(args: argparse.Namespace) -> int:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    console.print("database is up to date")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings

    return _load_demo(Path(args.data or settings.DEMO_DATA_DIR))


def _load_demo(data_dir: Path, indent: str = "") -> int:
    from ulinzi import demo
    from ulinzi.importing.errors import ImportRejected

    try:
        report = demo.load_demo(data_dir)
    except ImportRejected as rejected:
        for error in rejected.errors:
            console.print(f"{indent}{error}", markup=False)
        console.print(f"{indent}the demo data did not load; nothing was written", style="red", markup=False)
        return 1
    for line in report.loaded:
        console.print(f"{indent}loaded: {line}", markup=False)
    for line in report.missing:
        console.print(f"{indent}skipped: {line} (set ULINZI_DEMO_DATA to the shared data folder)", markup=False)
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from ulinzi import dbcompat, demo

    call_command("migrate", interactive=False, verbosity=0)
    problems = dbcompat.durability_problems()
    if problems:
        for problem in problems:
            console.print(f"refusing to start: database setting {problem}", style="red", markup=False)
        return 2
    if settings.PRODUCTION:
        try:
            call_command("check", deploy=True, fail_level="WARNING")
        except SystemCheckError as error:
            console.print(f"refusing to start in production mode:\n{error}", style="red", markup=False)
            return 1
    if demo.needs_demo() and not args.no_demo:
        console.print("Empty database: loading the demo data…")
        if _load_demo(Path(settings.DEMO_DATA_DIR), indent="  ") != 0:
            return 1
        account = demo.create_demo_admin()
        if account is not None:
            _print_credentials(account.username, account.password, account.token)
    host, port = args.host or settings.SERVE_HOST, args.port or settings.SERVE_PORT
    return _serve(host, port, settings.TRUSTED_PROXY)


def _print_credentials(username: str, password: str, token: str) -> None:
    console.rule("Demo administrator (shown once, not stored in clear text)")
    console.print(f"  username:  {username}", markup=False)
    console.print(f"  password:  {password}", markup=False)
    console.print(f"  API token: {token}", markup=False)
    console.print(
        "  Save them now. Lost them? `ulinzi manage changepassword admin` and `ulinzi token create admin`.",
        markup=False,
    )
    console.rule()


def _serve(host: str, port: int, trusted_proxy: str | None) -> int:
    import waitress

    from ulinzi.wsgi import application

    proxy: dict[str, object] = {}
    if trusted_proxy:
        # Behind a TLS proxy: believe its scheme and client address, and only its (docs/operations.md).
        proxy = {
            "trusted_proxy": trusted_proxy,
            "trusted_proxy_count": 1,
            "trusted_proxy_headers": {"x-forwarded-proto", "x-forwarded-for"},
            "clear_untrusted_proxy_headers": True,
        }
    console.print(f"Ulinzi is running on http://{host}:{port}/ (Ctrl+C to stop)")
    waitress.serve(application, host=host, port=port, threads=8, ident="ulinzi", _quiet=True, **proxy)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    spec = IMPORTERS[args.kind]
    if not args.file.is_file():
        console.print(f"{args.file}: no such file", style="red", markup=False)
        return 1
    return spec.command().run(args, console)


def cmd_export(args: argparse.Namespace) -> int:
    from ulinzi.accounts.policy import Viewer
    from ulinzi.audit import services as audit
    from ulinzi.incidents import services

    wanted = services.EventFilter(
        since=args.since,
        until=args.until,
        event_type=args.event_type,
        sub_event_type=args.sub_event_type,
        pcode=args.pcode,
        bbox=args.bbox,
        actor=args.actor,
        min_fatalities=args.min_fatalities,
        max_fatalities=args.max_fatalities,
        verification=args.verification,
    )
    if args.output is None and args.format == "parquet" and sys.stdout.isatty():
        errors.print("Parquet is binary: write it with -o FILE or redirect stdout", style="red", markup=False)
        return 2
    events = services.events(Viewer.operator(args.clearance), wanted)
    destination = "stdout" if args.output is None else str(args.output)
    how = {"format": args.format, "brief": args.brief, "clearance": args.clearance.code, "to": destination}
    audit.record_export(audit.operator(), events, how | {"filters": audit.filters_of(wanted)})
    if args.output is None:
        return _export_to_stdout(args.format, events, args.brief)
    return _export_to_file(args.format, events, args.output, args.clearance, args.brief)


def _export_to_stdout(name: str, events: QuerySet[Event], brief: bool) -> int:
    from ulinzi.incidents import exports

    try:
        exports.write(name, events, sys.stdout.buffer, brief=brief)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`); point stdout at nothing so the exit flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


def _export_to_file(name: str, events: QuerySet[Event], output: Path, clearance: Sensitivity, brief: bool) -> int:
    from ulinzi.incidents import exports

    # Written beside the target and renamed at the end, so a failed export leaves no half a file.
    partial = output.with_name(f"{output.name}.part")
    try:
        with partial.open("wb") as handle:
            count = exports.write(name, events, handle, brief=brief)
        partial.replace(output)
    except OSError as error:
        errors.print(f"cannot write {output}: {error.strerror}", style="red", markup=False)
        return 1
    finally:
        partial.unlink(missing_ok=True)
    errors.print(f"{count} events written to {output} ({name}, up to {clearance.code})", markup=False)
    return 0


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _bbox(text: str) -> tuple[float, float, float, float]:
    """The API's rule: four numbers, west <= east and south <= north, within WGS84."""
    try:
        west, south, east, north = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("bbox must be four numbers: west,south,east,north") from None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise argparse.ArgumentTypeError("bbox must be west,south,east,north within WGS84 limits")
    return west, south, east, north


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of zero or more")
    return int(text)


def _clearance(text: str) -> Sensitivity:
    try:
        return Sensitivity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _add_export(command: Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]) -> None:
    export = command("export", "write events as CSV, GeoJSON, HXL or Parquet, to a file or stdout", cmd_export)
    what = export.add_subparsers(dest="what", metavar="WHAT", required=True)
    summary = "events matching the filters, newest first (the same filters as GET /api/events)"
    events = what.add_parser("events", help=summary, description=summary)
    events.add_argument(
        "--format",
        required=True,
        choices=EXPORT_FORMATS,
        help="csv: ACLED's columns; hxl: every column, HXL-tagged; parquet: binary, to -o FILE or a pipe",
    )
    events.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (default: stdout)")
    events.add_argument(
        "--brief", action="store_true", help="only the brief columns (id, date, types, actors, commune, point, deaths)"
    )
    events.add_argument(
        "--clearance",
        type=_clearance,
        default=Sensitivity.CRITICAL,
        metavar="LABEL",
        help="highest label to include, P0 to P4 (default P4, everything): an operator's tool run on the "
        "server, bound by no account; for a file meant for partners, use P1",
    )
    events.add_argument("--since", type=_date, metavar="DATE", help="first day, YYYY-MM-DD")
    events.add_argument("--until", type=_date, metavar="DATE", help="last day, YYYY-MM-DD")
    events.add_argument("--event-type", metavar="TYPE", help="an ACLED event type, e.g. Battles")
    events.add_argument("--sub-event-type", metavar="TYPE", help="an ACLED sub-event type, e.g. 'Armed clash'")
    events.add_argument("--pcode", help="admin P-code at any level")
    events.add_argument(
        "--bbox",
        type=_bbox,
        metavar="W,S,E,N",
        help="bounding box in degrees; write --bbox=-72.5,18,-72,19 when it starts with a minus",
    )
    events.add_argument("--actor", metavar="NAME", help="actor name, as actor 1 or actor 2")
    events.add_argument("--min-fatalities", type=_count, metavar="N", help="at least N deaths (best estimate)")
    events.add_argument("--max-fatalities", type=_count, metavar="N", help="at most N deaths (best estimate)")
    events.add_argument("--verification", metavar="STATE", help="reported, corroborated, verified or rejected")


def cmd_audit(args: argparse.Namespace) -> int:
    from ulinzi.audit import services as audit

    if args.action == "tail":
        for entry in audit.latest(args.n):
            console.print(audit.one_line(entry), markup=False)
        return 0
    verdict = audit.verify(args.anchor)
    if verdict.broken is not None:
        console.print(f"the audit log is broken at {verdict.broken}", style="red", markup=False)
        console.print(f"the {verdict.count} entries before it hold", markup=False)
        return 1
    console.print(f"the audit log holds: {verdict.count} entries chained from the first", markup=False)
    if verdict.count:
        console.print(
            f"write this down elsewhere, to check later: --anchor {verdict.count}:{verdict.head}", markup=False
        )
    return 0


def _anchor(text: str) -> tuple[int, str]:
    sequence, _, digest = text.partition(":")
    if not (sequence.isascii() and sequence.isdigit() and len(digest) == 64 and set(digest) <= set(string.hexdigits)):
        raise argparse.ArgumentTypeError("an anchor is SEQUENCE:HASH, e.g. 120:<64 hexadecimal digits>")
    return int(sequence), digest.lower()


def _add_audit(command: Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]) -> None:
    audit = command("audit", "check the audit log's hash chain, or show its latest entries", cmd_audit)
    actions = audit.add_subparsers(dest="action", metavar="ACTION", required=True)
    summary = "check every entry against its hash and the one before it; exit 1 at the first broken one"
    verify = actions.add_parser("verify", help=summary, description=summary)
    verify.add_argument(
        "--anchor",
        type=_anchor,
        metavar="SEQ:HASH",
        help="an entry's hash as printed by an earlier verify: catches a log rewritten or cut short since",
    )
    summary = "print the latest entries, oldest first"
    tail = actions.add_parser("tail", help=summary, description=summary)
    tail.add_argument("-n", type=_count, default=20, metavar="N", help="how many entries (default 20)")


def cmd_account(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from ulinzi.accounts.roles import Role
    from ulinzi.accounts.services import UnknownOrganisation, create_account, set_organisation

    users = get_user_model().objects
    try:
        if args.action == "move":
            user = users.filter(username=args.username).first()
            if user is None:
                console.print(f"no account named {args.username!r}", style="red", markup=False)
                return 1
            set_organisation(user, args.organisation)
            console.print(f"{args.username} is now in {args.organisation or 'no organisation'}", markup=False)
            return 0
        if users.filter(username=args.username).exists():
            console.print(f"an account named {args.username!r} already exists", style="red", markup=False)
            return 1
        account = create_account(
            args.username, Role(args.role), superuser=args.role == "admin", organisation=args.organisation
        )
    except UnknownOrganisation as error:
        console.print(str(error), style="red", markup=False)
        return 1
    console.print(f"created {account.username} ({args.role})", markup=False)
    console.print(f"  password:  {account.password}", markup=False)
    console.print(f"  API token: {account.token}", markup=False)
    return 0


def cmd_account_reset_mfa(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from ulinzi.accounts.mfa import remove_devices

    user = get_user_model().objects.filter(username=args.username).first()
    if user is None:
        console.print(f"no account named {args.username!r}", style="red", markup=False)
        return 1
    removed = remove_devices(user)
    console.print(f"removed {removed} second-factor device(s) from {args.username}", markup=False)
    console.print("its sessions end now; it sets up a new device at its next log-in", markup=False)
    return 0


def cmd_organisation_add(args: argparse.Namespace) -> int:
    from django.core.exceptions import ValidationError

    from ulinzi.accounts.models import OrganisationKind
    from ulinzi.accounts.services import add_organisation

    try:
        add_organisation(args.code, args.name, OrganisationKind(args.kind))
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            console.print(f"{field}: {' '.join(messages)}", style="red", markup=False)
        return 1
    console.print(f"added {args.code} ({args.kind})", markup=False)
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    from django.contrib.auth import get_user_model

    from ulinzi.accounts.services import issue_token

    user = get_user_model().objects.filter(username=args.username, is_active=True).first()
    if user is None:
        console.print(f"no active account named {args.username!r}", style="red", markup=False)
        return 1
    console.print(issue_token(user, args.name, write=args.write), markup=False)
    return 0


def cmd_intake(args: argparse.Namespace) -> int:
    from ulinzi.intake import command

    return command.run(args, console)


def _add_intake(command: Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]) -> None:
    from ulinzi.intake.command import add_arguments

    intake = command("intake", "take in articles, statements and field reports as documents", cmd_intake)
    actions = intake.add_subparsers(dest="action", metavar="ACTION", required=True)
    summary = "store text, HTML, RSS or Atom files (or URLs, when allowed) as documents; one line per document"
    add_arguments(actions.add_parser("add", help=summary, description=summary))


def cmd_manage(args: argparse.Namespace) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ulinzi manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ulinzi",
        description="Ulinzi: mission information and situational awareness. "
        "Every command honours ULINZI_DATABASE_URL and the other ULINZI_* settings (docs/configuration.md).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, summary: str, handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        sub.set_defaults(handler=handler)
        return sub

    run = command("run", "migrate, load the demo into an empty database, and serve on 127.0.0.1:8000", cmd_run)
    run.add_argument("--host", help="address to bind (default ULINZI_HOST, 127.0.0.1)")
    run.add_argument("--port", type=int, help="port (default ULINZI_PORT, 8000)")
    run.add_argument("--no-demo", action="store_true", help="do not load the demo into an empty database")

    migrate = command("migrate", "create or upgrade the database schema", cmd_migrate)
    migrate.add_argument("-v", "--verbose", action="store_true")

    demo = command("demo", "load the demo data (public Haiti data and curated force records)", cmd_demo)
    demo.add_argument("--data", type=Path, help="shared data folder (default ULINZI_DEMO_DATA)")

    importer = command("import", "import a file; KIND is one of: " + ", ".join(IMPORTERS), cmd_import)
    kinds = importer.add_subparsers(dest="kind", metavar="KIND", required=True)
    for spec in IMPORTERS.values():
        kind = kinds.add_parser(spec.kind, help=spec.summary, description=spec.summary)
        kind.add_argument("file", type=Path, metavar="FILE", help=f"the file to import ({', '.join(spec.formats)})")
        spec.command().add_arguments(kind)

    for add_commands in (_add_export, _add_audit, add_extract, add_claims, add_insights, add_report, _add_intake):
        add_commands(command)

    account = command("account", "manage accounts", cmd_account)
    account_commands = account.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = account_commands.add_parser("create", help="create an account with a random password and a token")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=["admin", "commander", "analyst", "monitor", "partner"])
    create.add_argument("--organisation", metavar="CODE", help="the contingent or organisation it belongs to")
    move = account_commands.add_parser("move", help="move an account to another organisation (or to none)")
    move.add_argument("username")
    move.add_argument("--organisation", metavar="CODE", help="the new organisation; leave out for none")
    summary = "remove an account's second-factor devices (a lost phone); it enrols again at its next log-in"
    reset_mfa = account_commands.add_parser("reset-mfa", help=summary, description=summary)
    reset_mfa.add_argument("username")
    reset_mfa.set_defaults(handler=cmd_account_reset_mfa)

    organisation = command("organisation", "add the organisations that own records", cmd_organisation_add)
    organisation_commands = organisation.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = organisation_commands.add_parser("add", help="add a contingent, partner or the mission's headquarters")
    add.add_argument("code", help="short and stable, e.g. ke-police")
    add.add_argument("--name", required=True)
    add.add_argument(
        "--kind",
        required=True,
        choices=["mission", "contingent", "partner"],
        help="mission: headquarters, whose members read every organisation's records their role allows",
    )

    token = command("token", "manage API tokens", cmd_token_create)
    token_commands = token.add_subparsers(dest="action", metavar="ACTION", required=True)
    token_create = token_commands.add_parser("create", help="issue an API token for an account (shown once)")
    token_create.add_argument("username")
    token_create.add_argument("--name", default="command line", help="what the token is for")
    token_create.add_argument("--write", action="store_true", help="may also change records (default: read only)")

    manage = command("manage", "run a Django management command (e.g. `ulinzi manage check --deploy`)", cmd_manage)
    manage.add_argument("arguments", nargs=argparse.REMAINDER, help="the command and its arguments")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        _setup_django()
    except ImproperlyConfigured as error:
        console.print(f"configuration error: {error}", style="red", markup=False)
        return 2
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
