"""How every ``ulinzi import`` command reports what it did, so all kinds read the same."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from ulinzi.importing.errors import ImportRejected, RowError


def print_rejection(console: Console, rejected: ImportRejected, path: Path) -> int:
    """One line per problem, then the verdict; returns the command's exit status (1)."""
    print_errors(console, rejected.errors)
    console.print(f"{len(rejected.errors)} problem(s) in {path.name}; nothing was imported.", style="red")
    return 1


def print_errors(console: Console, errors: Sequence[RowError], prefix: str = "") -> None:
    for error in errors:
        console.print(f"{prefix}{error}", markup=False, highlight=False)


def print_notices(console: Console, notices: Sequence[str]) -> None:
    for notice in notices:
        console.print(f"notice: {notice}", markup=False)
