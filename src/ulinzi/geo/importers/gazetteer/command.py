"""``ulinzi import gazetteer FILE``: the CLI adaptor over ``import_gazetteer``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.importing.errors import ImportRejected


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options: the layout is read from the header


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.gazetteer.importer import import_gazetteer

    try:
        with console.status(f"reading {args.file.name}"):
            outcome = import_gazetteer(args.file)
    except ImportRejected as rejected:
        for error in rejected.errors:
            console.print(str(error), markup=False, highlight=False)
        console.print(f"{len(rejected.errors)} problem(s) in {args.file.name}; nothing was imported.", style="red")
        return 1
    for notice in outcome.notices:
        console.print(f"notice: {notice}", markup=False)
    console.print(
        f"{outcome.file} ({outcome.layout}): {outcome.created} created, {outcome.updated} updated", markup=False
    )
    return 0
