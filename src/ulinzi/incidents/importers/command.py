"""What ``ulinzi import acled|ucdp|hxl FILE`` share: options, progress bar and the summary.

Each kind's ``command`` module names its importer; Django is imported only when a command runs.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from typing import Protocol

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.importing.csvrows import ProgressCallback
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.importing.report import print_errors, print_notices, print_rejection
from ulinzi.progress import file_progress


class _Outcome(Protocol):
    file: str
    rows_read: int
    created: int
    merged: int
    unchanged: int
    fatalities: int
    notices: list[str]
    reject_file: Path | None
    rejected: list[RowError]


class _Importer(Protocol):
    def __call__(
        self,
        path: Path,
        *,
        skip_invalid: bool,
        reject_file: Path | None,
        default_sensitivity: Sensitivity,
        on_progress: ProgressCallback | None,
    ) -> _Outcome: ...


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-invalid", action="store_true", help="write the valid rows; rejects go to a reject file")
    parser.add_argument("--reject-file", type=Path, help="where rejected rows go (default: NAME.rejects.csv here)")
    parser.add_argument(
        "--sensitivity",
        type=Sensitivity.parse,
        default=Sensitivity.CONFIDENTIAL,
        help="label of the events (default P2)",
    )


def run_importer(kind: str, args: argparse.Namespace, console: Console) -> int:
    module = importlib.import_module(f"ulinzi.incidents.importers.{kind}.importer")
    importer: _Importer = getattr(module, f"import_{kind}")
    path: Path = args.file
    try:
        with file_progress(console, f"{kind} {path.name}", path.stat().st_size) as advance:
            outcome = importer(
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
        f"fatalities), {outcome.merged} merged into existing events, {outcome.unchanged} unchanged, "
        f"{len(outcome.rejected)} rejected",
        markup=False,
    )
    if outcome.reject_file is not None:
        print_errors(console, outcome.rejected)
        console.print(f"rejected rows written to {outcome.reject_file}", markup=False)
    return 0
