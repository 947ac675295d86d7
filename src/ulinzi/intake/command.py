"""``ulinzi intake add``: read files, folders and (when allowed) URLs, and store them as documents.

Imports of Django and the models happen inside ``run``, so ``ulinzi --help`` stays instant. Each
input is read whole before anything is stored, and a bad input is reported and skipped while the
others go on: one line per document, exit 1 when any input was refused.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.intake.documents import DocumentRefused, DocumentText, Hints, read_bytes

if TYPE_CHECKING:
    from ulinzi.intake.services import Outcome

# A folder is read one level deep, these files only: anything else in it is not a document.
FOLDER_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xml", ".rss", ".atom"})
FETCH_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Input:
    """One thing to read: a file, or a URL, as the operator named it."""

    name: str
    path: Path | None = None
    url: str = ""


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _label(text: str) -> Sensitivity:
    try:
        return Sensitivity.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "inputs",
        nargs="+",
        metavar="PATH_OR_URL",
        help="a text, HTML, RSS or Atom file; a folder (its " + ", ".join(sorted(FOLDER_SUFFIXES)) + " files); "
        "or an http(s) URL when ULINZI_INTAKE_FETCH is on",
    )
    parser.add_argument("--published", type=_date, metavar="YYYY-MM-DD", help="publication date; wins over the page's")
    parser.add_argument("--publisher", metavar="NAME", help="who published it; wins over the page's site name")
    parser.add_argument("--lang", metavar="CODE", help="language code, e.g. en, fr, ht")
    parser.add_argument(
        "--label",
        type=_label,
        default=Sensitivity.CONFIDENTIAL,
        metavar="P0..P4",
        help="sensitivity label (default P2: a field report must never be public by accident; "
        "give P0 for published press)",
    )
    parser.add_argument("--owner", metavar="CODE", help="the organisation that owns them (default: the whole mission)")


def expand(names: list[str]) -> Iterator[Input]:
    for name in names:
        if name.lower().startswith(("http://", "https://")):
            yield Input(name, url=name)
            continue
        path = Path(name)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and not child.name.startswith(".") and child.suffix.lower() in FOLDER_SUFFIXES:
                    yield Input(str(child), path=child)
        else:
            yield Input(name, path=path)


def read_input(item: Input, hints: Hints, max_bytes: int, fetch_allowed: bool) -> list[DocumentText]:
    """The documents in one input; DocumentRefused says why there are none."""
    if item.path is not None:
        return _read_file(item.path, hints, max_bytes)
    if not fetch_allowed:
        raise DocumentRefused("fetching URLs is off; set ULINZI_INTAKE_FETCH=yes to allow it (docs/intake.md)")
    from ulinzi.intake.fetch import FetchRefused, fetch  # noqa: PLC0415  loaded only when a URL is given

    try:
        fetched = fetch(item.url, max_bytes=max_bytes, timeout=FETCH_TIMEOUT_SECONDS)
    except FetchRefused as refused:
        raise DocumentRefused(f"not fetched: {refused}") from None
    return read_bytes(
        fetched.body, hints=hints, url=fetched.final_url, content_type=fetched.content_type, max_bytes=max_bytes
    )


def _read_file(path: Path, hints: Hints, max_bytes: int) -> list[DocumentText]:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            # Refused before reading: a huge file is not loaded into memory just to be refused.
            raise DocumentRefused(f"{size / 1024 / 1024:.1f} MB, above the {max_bytes // 1024 // 1024} MB limit "
                                  "(ULINZI_INTAKE_MAX_MB)")  # fmt: skip
        data = path.read_bytes()
    except FileNotFoundError:
        raise DocumentRefused("no such file") from None
    except IsADirectoryError:
        raise DocumentRefused("is a folder") from None
    except OSError as error:
        raise DocumentRefused(f"cannot be read: {error.strerror}") from None
    return read_bytes(data, hints=hints, max_bytes=max_bytes)


def run(args: argparse.Namespace, console: Console) -> int:
    # Django is set up only when a command runs (as in cli.py), so it is imported here.
    from django.conf import settings  # noqa: PLC0415

    from ulinzi.accounts.services import UnknownOrganisation  # noqa: PLC0415
    from ulinzi.intake import services  # noqa: PLC0415
    from ulinzi.intake.extracting import database_extractor  # noqa: PLC0415

    hints = Hints(published=args.published, publisher=args.publisher or "", language=args.lang or "")
    texts: list[DocumentText] = []
    names: list[str] = []
    # In input order: a refusal's line, or None where the next stored outcome goes.
    lines: list[str | None] = []
    for item in expand(list(args.inputs)):
        try:
            found = read_input(item, hints, settings.INTAKE_MAX_BYTES, settings.INTAKE_FETCH)
        except DocumentRefused as problem:
            lines.append(f"refused: {item.name}: {problem}")
            continue
        for number, document in enumerate(found, start=1):
            texts.append(document)
            names.append(item.name if len(found) == 1 else f"{item.name} entry {number}")
            lines.append(None)
    try:
        report = services.ingest(
            texts,
            extract=database_extractor() if texts else None,
            label=args.label,
            owner=args.owner,
            names=names,
            batch_name=" ".join(args.inputs),
        )
    except UnknownOrganisation as error:
        console.print(str(error), style="red", markup=False)
        return 1
    outcomes = iter(report.outcomes)
    for line in lines:
        text = line if line is not None else _line(next(outcomes))
        console.print(text, style="red" if text.startswith("refused") else None, markup=False)
    return 1 if any(line is not None for line in lines) or report.count("refused") else 0


def _line(outcome: Outcome) -> str:
    if outcome.status == "refused":
        return f"refused: {outcome.name}: {outcome.reason}"
    title = f" “{outcome.title}”" if outcome.title else ""
    if outcome.status == "already held":
        return f"already held: {outcome.name}{title} (document {outcome.document_id})"
    return f"stored: {outcome.name}{title} (document {outcome.document_id}, {outcome.candidates} candidates)"
