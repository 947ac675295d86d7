"""``ulinzi import gazetteer FILE``: the CLI adaptor over ``import_gazetteer``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_notices, print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options: the layout is read from the header


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.gazetteer.importer import import_gazetteer

    try:
        with console.status(f"reading {args.file.name}"):
            outcome = import_gazetteer(args.file)
    except ImportRejected as rejected:
        return print_rejection(console, rejected, args.file)
    print_notices(console, outcome.notices)
    console.print(
        f"{outcome.file} ({outcome.layout}): {outcome.created} created, {outcome.updated} updated", markup=False
    )
    return 0
