"""``ulinzi import actors FILE``: the CLI adaptor over ``import_actors``."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_notices, print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: actors are public reference data, labelled P0."""


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.incidents.importers.actors.importer import import_actors

    path: Path = args.file
    try:
        outcome = import_actors(path)
    except ImportRejected as rejected:
        return print_rejection(console, rejected, path)
    print_notices(console, outcome.notices)
    console.print(
        f"{outcome.file}: {outcome.rows_read} rows read, {outcome.actors} actors, {outcome.aliases_added} aliases "
        f"and {outcome.memberships_added} coalition memberships added",
        markup=False,
    )
    return 0
