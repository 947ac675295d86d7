"""``ulinzi import boundaries FILE``: the CLI adaptor over ``import_boundaries``."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.progress import Progress

from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_errors, print_notices, print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--level", type=int, choices=range(0, 6), help="force the admin level (default: detect)")
    parser.add_argument(
        "--schema",
        choices=("cod-ab", "geoboundaries", "gadm"),
        default="cod-ab",
        help="which attributes hold P-codes and names (default cod-ab)",
    )
    parser.add_argument("--skip-invalid", action="store_true", help="import the readable features, report the rest")


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.boundaries.importer import import_boundaries

    try:
        with Progress(console=console) as progress:
            task = progress.add_task(f"boundaries {args.file.name}", total=None)

            def advance(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            outcome = import_boundaries(
                args.file, level=args.level, skip_invalid=args.skip_invalid, on_feature=advance, schema=args.schema
            )
    except ImportRejected as rejected:
        return print_rejection(console, rejected, args.file)
    print_notices(console, outcome.notices)
    print_errors(console, outcome.rejected, prefix="skipped ")
    levels = ", ".join(str(level) for level in outcome.levels) or "none"
    console.print(
        f"{outcome.file}: level {levels}: {outcome.created} created, {outcome.updated} updated, "
        f"{outcome.unchanged} unchanged",
        markup=False,
    )
    return 0
