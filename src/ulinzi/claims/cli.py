"""``ulinzi claims add|list``: record a headline figure, and read the ledger at the server.

Imports nothing from Django until a subcommand runs, so ``ulinzi --help`` stays instant.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.intake.extraction.records import METRICS, QUALIFIERS

Command = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]


def cmd_claims(args: argparse.Namespace) -> int:
    from ulinzi.claims import commands  # noqa: PLC0415  Django is set up only when a command runs

    return commands.add(args) if args.action == "add" else commands.list_ledger(args)


def _value(text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of zero or more")
    return value


def _label(text: str) -> Sensitivity:
    try:
        return Sensitivity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_claims(command: Command) -> None:
    claims = command("claims", "record headline figures from sources and compare them (the claims ledger)", cmd_claims)
    actions = claims.add_subparsers(dest="action", metavar="ACTION", required=True)
    summary = "record a figure a source stated; nothing is written when any field is wrong"
    add = actions.add_parser("add", help=summary, description=summary)
    add.add_argument("--metric", required=True, choices=METRICS, metavar="METRIC", help=", ".join(METRICS))
    add.add_argument("--value", required=True, type=_value, help="the figure as written: 80 per cent is 80")
    add.add_argument(
        "--qualifier",
        choices=QUALIFIERS,
        help="gt over, gte at least, lt under, lte up to, approx about, increment an additional (default: none)",
    )
    add.add_argument("--unit", default="", help="percent, USD, ... (default: people)")
    add.add_argument("--area", default="", metavar="PCODE", help="the administrative area's P-code")
    add.add_argument("--area-name", default="", metavar="NAME", help="the place as the source wrote it")
    add.add_argument("--from", dest="start", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (default: --to)")
    add.add_argument("--to", required=True, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD: the end, or the date")
    add.add_argument("--source", required=True, metavar="URL", help="the source's URL or citation")
    add.add_argument("--actor", default="", metavar="NAME", help="the actor the figure is attributed to")
    add.add_argument("--speaker", default="", metavar="NAME", help="who is quoted stating it")
    add.add_argument("--quote", default="", metavar="TEXT", help="the sentence that states it")
    add.add_argument(
        "--sensitivity",
        type=_label,
        default=Sensitivity.CONFIDENTIAL,
        metavar="LABEL",
        help="P0 to P4 (default P2); P0 for a figure from a published source",
    )
    add.add_argument("--owner", metavar="CODE", help="the organisation that owns it (default: the whole mission)")
    summary = "print the ledger: claims grouped by metric, area and period, conflicts and event checks"
    listing = actions.add_parser("list", help=summary, description=summary)
    listing.add_argument("--metric", choices=METRICS, metavar="METRIC", help="one metric")
    listing.add_argument("--area", metavar="PCODE", help="claims in this area or an area inside it")
