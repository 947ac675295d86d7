"""``ulinzi import roads FILE``: the CLI adaptor over ``import_roads``."""

from __future__ import annotations

import argparse

from rich.console import Console

from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.geo.importers.roads.importer import import_roads

    try:
        with console.status(f"reading and noding {args.file.name}"):
            outcome = import_roads(args.file)
    except ImportRejected as rejected:
        return print_rejection(console, rejected, args.file)
    console.print(
        f"{outcome.file}: {outcome.lines} lines, {outcome.created} segments created, {outcome.unchanged} unchanged",
        markup=False,
    )
    return 0
