"""``ulinzi report``: the monthly situation report at the server's command line.

Imports nothing from Django until the command runs, so ``ulinzi --help`` stays instant.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ulinzi.accounts.sensitivity import Sensitivity

Command = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]


def cmd_report(args: argparse.Namespace) -> int:
    from ulinzi.reports import commands  # noqa: PLC0415  Django is set up only when a command runs

    return commands.report(args)


def _label(text: str) -> Sensitivity:
    try:
        return Sensitivity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_report(command: Command) -> None:
    summary = "write the monthly situation report (maps, charts, sourced figures) as PDF or HTML"
    report = command("report", summary, cmd_report)
    report.add_argument("--period", required=True, metavar="YYYY-MM", help="the month, e.g. 2025-01")
    report.add_argument("--area", metavar="PCODE", help="a department or commune P-code, e.g. HT01 (default: all)")
    report.add_argument(
        "--format", choices=("pdf", "html"), default="pdf", help="pdf (default), or html: one self-contained file"
    )
    report.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="default: situation-report-YYYY-MM[-PCODE].pdf here"
    )
    report.add_argument(
        "--clearance",
        type=_label,
        default=Sensitivity.CRITICAL,
        metavar="LABEL",
        help="highest label to include, P0 to P4 (default P4, everything); for a report meant for partners, "
        "use P1: their masked view of P2 events, nothing above",
    )
