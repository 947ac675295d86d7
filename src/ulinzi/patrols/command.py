"""``ulinzi import tracks FILE``: the CLI adaptor over ``import_tracks``.

Django is imported inside ``run`` so that building the CLI parser does not need it. Only the
operator at the server imports tracks: there is no upload endpoint for positions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", help="the device of a file that does not name one (a GPX track without <name>)")
    parser.add_argument(
        "--sensitivity",
        type=Sensitivity.parse,
        default=Sensitivity.CONFIDENTIAL,
        help="label of the positions (default P2; P3 or P4 for a sensitive operation, read by commanders only)",
    )
    parser.add_argument("--owner", metavar="CODE", help="the contingent that owns the positions")
    parser.add_argument(
        "--max-speed", type=float, default=55.0, metavar="M/S", help="faster jumps are dropped (default 55 m/s)"
    )


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.patrols.importer import import_tracks  # noqa: PLC0415  Django, only when the command runs

    path: Path = args.file
    try:
        outcome = import_tracks(
            path,
            default_device=args.device,
            label=args.sensitivity,
            owner=args.owner,
            max_speed_mps=args.max_speed,
        )
    except ImportRejected as rejected:
        return print_rejection(console, rejected, path)
    summary, cleaning = outcome.summary, outcome.cleaning
    console.print(
        f"{outcome.file}: {summary.format}, {summary.points} points from {len(summary.devices)} device(s); "
        f"{outcome.stored} stored, {cleaning.total_dropped} dropped",
        markup=False,
    )
    for reason, count in sorted(cleaning.dropped.items()):
        console.print(f"  dropped as {reason.replace('_', ' ')}: {count}", markup=False)
    for example in cleaning.examples:
        console.print(f"    line {example.line}, {example.device}: {example.detail}", markup=False)
    for kind, count in sorted(summary.skipped.items()):
        console.print(f"  skipped ({kind}): {count}", markup=False)
    for reference, count in sorted(outcome.by_patrol.items()):
        console.print(f"  patrol {reference}: {count} points", markup=False)
    if outcome.unassigned:
        console.print(f"  no patrol's device and time: {outcome.unassigned} points", markup=False)
    return 0
