"""``ulinzi import sgbv FILE``: the CLI adaptor over ``import_sgbv``.

The importer is imported inside ``run`` so that building the CLI parser does not need Django.
Only the operator at the server imports SGBV counts: there is no upload endpoint.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_notices, print_rejection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options: the file is taken whole or not at all, and survivor-level columns are never optional."""


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.protection.importers.sgbv.importer import import_sgbv

    path: Path = args.file
    try:
        outcome = import_sgbv(path)
    except ImportRejected as rejected:
        return print_rejection(console, rejected, path)
    print_notices(console, outcome.notices)
    console.print(
        f"{outcome.file}: {outcome.rows_read} rows read; {outcome.places_replaced} month-commune pairs replaced "
        f"({outcome.cells_removed} cells removed, {outcome.cells_written} written), "
        f"{outcome.places_unchanged} unchanged",
        markup=False,
    )
    return 0
