"""``ulinzi import roads FILE``: the CLI adaptor over ``import_roads``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.importing.errors import ImportRejected


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.roads.importer import import_roads

    try:
        with console.status(f"reading and noding {args.file.name}"):
            outcome = import_roads(args.file)
    except ImportRejected as rejected:
        for error in rejected.errors:
            console.print(str(error), markup=False, highlight=False)
        console.print(f"{len(rejected.errors)} problem(s) in {args.file.name}; nothing was imported.", style="red")
        return 1
    console.print(
        f"{outcome.file}: {outcome.lines} lines, {outcome.created} segments created, {outcome.unchanged} unchanged",
        markup=False,
    )
    return 0
