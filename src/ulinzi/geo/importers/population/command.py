"""``ulinzi import population FILE``: the CLI adaptor over ``import_population``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_notices, print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="year of the figures (default: from a pop_total_YYYY column)")
    parser.add_argument("--source", default="", help="where the figures come from (default: the file name)")


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.population.importer import import_population

    try:
        outcome = import_population(args.file, year=args.year, source_note=args.source)
    except ImportRejected as rejected:
        return print_rejection(console, rejected, args.file)
    print_notices(console, outcome.notices)
    year = outcome.year or "year not given"
    console.print(
        f"{outcome.file} ({year}): {outcome.updated} areas updated, {outcome.unchanged} unchanged", markup=False
    )
    return 0
