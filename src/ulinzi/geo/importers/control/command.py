"""``ulinzi import control FILE``: the CLI adaptor over ``import_control``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected


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
        for error in rejected.errors:
            console.print(str(error), markup=False, highlight=False)
        console.print(f"{len(rejected.errors)} problem(s) in {args.file.name}; nothing was imported.", style="red")
        return 1
    for notice in outcome.notices:
        console.print(f"notice: {notice}", markup=False)
    console.print(f"{outcome.file}: {outcome.created} created, {outcome.updated} updated", markup=False)
    return 0
