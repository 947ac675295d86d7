"""``ulinzi import acled FILE``: the CLI adaptor over ``import_acled``."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.errors import ImportRejected
from ulinzi.importing.report import print_errors, print_notices, print_rejection
from ulinzi.progress import file_progress


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-invalid", action="store_true", help="write the valid rows; rejects go to a reject file")
    parser.add_argument("--reject-file", type=Path, help="where rejected rows go (default: NAME.rejects.csv here)")
    parser.add_argument(
        "--sensitivity",
        type=Sensitivity.parse,
        default=Sensitivity.CONFIDENTIAL,
        help="label of the events (default P2)",
    )


def run(args: argparse.Namespace, console: Console) -> int:
    from ulinzi.incidents.importers.acled.importer import import_acled

    path: Path = args.file
    try:
        with file_progress(console, f"acled {path.name}", path.stat().st_size) as advance:
            outcome = import_acled(
                path,
                skip_invalid=args.skip_invalid,
                reject_file=args.reject_file,
                default_sensitivity=args.sensitivity,
                on_progress=advance,
            )
    except ImportRejected as rejected:
        return print_rejection(console, rejected, path)
    print_notices(console, outcome.notices)
    console.print(
        f"{outcome.file}: {outcome.rows_read} rows read, {outcome.created} events created ({outcome.fatalities} "
        f"fatalities), {outcome.unchanged} unchanged, {len(outcome.rejected)} rejected",
        markup=False,
    )
    if outcome.reject_file is not None:
        print_errors(console, outcome.rejected)
        console.print(f"rejected rows written to {outcome.reject_file}", markup=False)
    return 0
