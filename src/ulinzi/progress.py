"""Rich progress bars for long commands: bytes through the file, rows and rows per second."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


@contextmanager
def file_progress(console: Console, description: str, total_bytes: int) -> Iterator[Callable[[int], None]]:
    """Yield a callback taking the byte position; it also counts rows and shows rows/s."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TextColumn("{task.fields[rows]:,} rows · {task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    task = progress.add_task(description, total=max(total_bytes, 1), rows=0, rate=0.0)
    rows = 0

    def advance(position: int) -> None:
        nonlocal rows
        rows += 1
        if rows % 200 == 0 or position >= total_bytes:
            elapsed = progress.tasks[task].elapsed or 0.0
            progress.update(task, completed=position, rows=rows, rate=rows / elapsed if elapsed else 0.0)

    with progress:
        yield advance
        elapsed = progress.tasks[task].elapsed or 0.0
        progress.update(task, completed=total_bytes, rows=rows, rate=rows / elapsed if elapsed else 0.0)
