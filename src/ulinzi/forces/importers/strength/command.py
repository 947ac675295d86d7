"""``ulinzi import strength FILE``: the CLI adaptor over ``import_strength``.

The importer is imported inside ``run`` so that building the CLI parser does not need Django.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_errors, print_notices, print_rejection
from ulinzi.progress import file_progress


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--skip-invalid", action="store_true", help="write the valid rows and put the rejected ones in a reject file"
    )
    parser.add_argument(
        "--reject-file", type=Path, help="where rejected rows go (default: NAME.rejects.csv in the current folder)"
    )
    parser.add_argument(
        "--sensitivity",
        type=Sensitivity.parse,
        default=Sensitivity.CONFIDENTIAL,
        help="label for rows without a sensitivity column (default P2; P0 for public sources)",
    )
    parser.add_argument(
        "--allow-downgrade",
        action="store_true",
        help="let a re-import lower the label of records already imported (otherwise the stricter label stays)",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.forces.importers.strength.importer import import_strength

    path: Path = args.file
    try:
        with file_progress(console, f"strength {path.name}", path.stat().st_size) as advance:
            outcome = import_strength(
                path,
                skip_invalid=args.skip_invalid,
                reject_file=args.reject_file,
                default_sensitivity=args.sensitivity,
                allow_downgrade=args.allow_downgrade,
                on_progress=advance,
            )
    except ImportRejected as rejected:
        return print_rejection(console, rejected, path)
    print_notices(console, outcome.notices)
    console.print(
        f"{outcome.file} ({outcome.dialect}): {outcome.rows_read} rows read, {outcome.created} created, "
        f"{outcome.updated} updated, {outcome.unchanged} unchanged, {len(outcome.rejected)} rejected",
        markup=False,
    )
    if outcome.reject_file is not None:
        print_errors(console, outcome.rejected)
        console.print(f"rejected rows written to {outcome.reject_file}", markup=False)
    return 0
