"""``ulinzi import control FILE``: the CLI adaptor over ``import_control``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_notices, print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sensitivity",
        type=Sensitivity.parse,
        default=Sensitivity.CONFIDENTIAL,
        help="label for features without a sensitivity property (default P2)",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.control.importer import import_control

    try:
        with console.status(f"reading {args.file.name}"):
            outcome = import_control(args.file, default_sensitivity=args.sensitivity)
    except ImportRejected as rejected:
        return print_rejection(console, rejected, args.file)
    print_notices(console, outcome.notices)
    console.print(f"{outcome.file}: {outcome.created} created, {outcome.updated} updated", markup=False)
    return 0
