"""``ulinzi extract`` and ``ulinzi eval extraction``: documents in, JSON Lines of candidates out.

The output is a contract other tools read (``intake/extraction/records.py``): one record per line
on stdout, written as each document finishes so a long input streams. Everything else goes to
stderr. A document that cannot be read is named there with the reason; the others still run,
and the command exits 1 so a script notices.

The pipeline, the readers and Shapely are imported only when a command runs, so ``ulinzi --help``
and every other command start without them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ulinzi.intake.extraction.gazetteer import Gazetteer
    from ulinzi.intake.extraction.pipeline import Extractor

MAX_LINE_CHARACTERS = 25_000_000


@dataclass(frozen=True)
class InputDocument:
    doc_id: str
    text: str
    published: date | None
    lang: str


class InputError(ValueError):
    """One input that cannot become a document; the others go on."""


def add_extract(command: Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]) -> None:
    extract = command("extract", "extract events, deployments and claims from documents as JSON Lines", cmd_extract)
    extract.add_argument("files", nargs="*", type=Path, metavar="FILE", help="text or HTML documents")
    extract.add_argument(
        "--jsonl", type=Path, metavar="IN.jsonl", help='documents as {"id", "text", "published", "lang"}'
    )
    extract.add_argument("--published", type=date.fromisoformat, metavar="YYYY-MM-DD", help="for FILE documents")
    extract.add_argument("--lang", default="en", choices=["en", "fr"], help="for FILE documents (default en)")
    _add_places_option(extract)

    evaluate = command("eval", "evaluate a capability against a gold set", cmd_eval)
    what = evaluate.add_subparsers(dest="what", metavar="WHAT", required=True)
    extraction = what.add_parser("extraction", help="score `ulinzi extract` against gold records")
    extraction.add_argument("gold", nargs="+", type=Path, metavar="GOLD.jsonl")
    extraction.add_argument(
        "--shared", type=Path, help='folder that gold lines with a "path" are read from (default ../shared)'
    )
    extraction.add_argument("--min-overlap", type=float, default=0.5, help="evidence IoU for a match (default 0.5)")
    extraction.add_argument("--json", action="store_true", help="print the scores as JSON")
    _add_places_option(extraction)


def _add_places_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--boundaries",
        type=Path,
        action="append",
        metavar="FILE",
        help="COD-AB boundaries (GeoJSON) or admin gazetteer (CSV) to read places from instead of the database; "
        "may be given more than once",
    )


def load_gazetteer(boundaries: list[Path] | None, errors: Any) -> Gazetteer | None:
    """Places from the files given, else from the configured database (with a note if it has none)."""
    from ulinzi.intake.extraction.gazetteer import build
    from ulinzi.intake.extraction.places import PlacesFileError, places_from_files

    if boundaries:
        try:
            return build(places_from_files(boundaries))
        except PlacesFileError as error:
            errors.print(f"places: {error}", style="red", markup=False)
            return None
    from django.db import DatabaseError

    from ulinzi.intake.place_facts import places_from_database

    try:
        places = places_from_database()
    except DatabaseError as error:
        errors.print(
            f"places: the database cannot be read ({error}); run `ulinzi migrate` or pass --boundaries FILE",
            style="red",
            markup=False,
        )
        return None
    if not places:
        errors.print("places: the database holds no gazetteer; places will not be recognised (--boundaries FILE)")
    return build(places)


def cmd_extract(args: argparse.Namespace) -> int:
    from ulinzi.cli import errors
    from ulinzi.intake.extraction.pipeline import DocumentRefused, Extractor

    if not args.files and args.jsonl is None:
        errors.print("give FILE... or --jsonl IN.jsonl", style="red")
        return 2
    gazetteer = load_gazetteer(args.boundaries, errors)
    if gazetteer is None:
        return 2
    extractor = Extractor(gazetteer)
    failed = 0
    out = sys.stdout
    for item in _inputs(args):
        if isinstance(item, InputError):
            errors.print(str(item), markup=False)
            failed += 1
            continue
        try:
            records = extractor.extract(item.doc_id, item.text, item.published, item.lang)
        except DocumentRefused as refused:
            errors.print(f"{item.doc_id}: {refused}", markup=False)
            failed += 1
            continue
        _write(out, (record.as_json() for record in records))
    return 1 if failed else 0


def _write(out: IO[str], records: Iterator[dict[str, Any]]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    out.flush()


def _inputs(args: argparse.Namespace) -> Iterator[InputDocument | InputError]:
    for path in args.files:
        yield from _read_file(path, args.published, args.lang)
    if args.jsonl is not None:
        yield from read_jsonl(args.jsonl)


def _read_file(path: Path, published: date | None, lang: str) -> Iterator[InputDocument | InputError]:
    """The documents of one file, read as ``ulinzi intake add`` reads them: text, an HTML page's
    main text, or each entry of a feed; a date given on the command line wins over the file's."""
    from ulinzi.intake import documents
    from ulinzi.intake.extraction.pipeline import LANGUAGES

    try:
        raw = path.read_bytes()
    except OSError as error:
        yield InputError(f"{path}: cannot be read ({error.strerror})")
        return
    try:
        found = documents.read_bytes(raw, hints=documents.Hints(published=published, language=lang))
    except documents.DocumentRefused as refused:
        yield InputError(f"{path}: {refused}")
        return
    for number, document in enumerate(found, start=1):
        doc_id = str(path) if len(found) == 1 else f"{path}#{number}"
        language = document.language if document.language in LANGUAGES else lang
        yield InputDocument(doc_id, document.text, document.published, language)


def read_jsonl(path: Path) -> Iterator[InputDocument | InputError]:
    """Each line one document; a bad line is reported with its number and the rest still read."""
    try:
        handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8", errors="replace")
    except OSError as error:
        yield InputError(f"{path}: cannot be read ({error.strerror})")
        return
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            if len(line) > MAX_LINE_CHARACTERS:
                yield InputError(f"{where}: line of {len(line):,} characters, over {MAX_LINE_CHARACTERS:,}")
                continue
            try:
                yield _document_from_line(where, number, line)
            except InputError as error:
                yield error


def _document_from_line(where: str, number: int, line: str) -> InputDocument:
    try:
        item = json.loads(line)
    except ValueError as error:
        raise InputError(f"{where}: not JSON ({error})") from None
    if not isinstance(item, dict):
        raise InputError(f"{where}: a JSON object is expected")
    text = item.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: text: a string is required")
    doc_id = item.get("id", number)
    if not isinstance(doc_id, str | int) or isinstance(doc_id, bool):
        raise InputError(f"{where}: id: a string or number is expected")
    lang = item.get("lang") or "en"
    if not isinstance(lang, str):
        raise InputError(f"{where}: lang: a language code is expected")
    return InputDocument(str(doc_id), text, _published(where, item.get("published")), lang)


def _published(where: str, value: object) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: published: {value!r} is not a YYYY-MM-DD date") from None


def cmd_eval(args: argparse.Namespace) -> int:
    from ulinzi.cli import console, errors
    from ulinzi.intake.extraction import evaluation
    from ulinzi.intake.extraction.pipeline import Extractor

    shared = args.shared or Path.cwd().parent / "shared"
    gold: list[evaluation.GoldDocument] = []
    for path in args.gold:
        try:
            gold.extend(evaluation.load_gold(path, shared))
        except evaluation.GoldError as error:
            errors.print(str(error), style="red", markup=False)
            return 2
    gazetteer = load_gazetteer(args.boundaries, errors)
    if gazetteer is None:
        return 2
    extractor = Extractor(gazetteer)
    started = time.perf_counter()
    predicted, fingerprint = _run(extractor, gold)
    elapsed = time.perf_counter() - started
    _, second = _run(extractor, gold)
    scores = evaluation.score(gold, predicted, min_overlap=args.min_overlap)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    determinism = fingerprint if fingerprint == second else f"DIFFERS: {fingerprint} then {second}"
    if args.json:
        run = {"documents_per_second": len(gold) / elapsed, "peak_memory_mb": peak_mb, "determinism": determinism}
        console.print_json(json.dumps(scores.as_json() | {"run": run, "pipeline": extractor.description}))
    else:
        report = evaluation.format_report(scores, seconds=elapsed, peak_memory_mb=peak_mb, determinism_hash=determinism)
        console.print(f"{report}\npipeline: {extractor.description}", markup=False, highlight=False)
    return 0


def _run(extractor: Extractor, gold: list[Any]) -> tuple[list[dict[str, Any]], str]:
    from ulinzi.intake.extraction.pipeline import DocumentRefused

    digest = hashlib.sha256()
    predicted = []
    for document in gold:
        try:
            records = extractor.extract(document.id, document.text, document.published, document.lang)
        except DocumentRefused:
            records = []
        for record in records:
            line = record.as_json()
            digest.update(json.dumps(line, sort_keys=True, ensure_ascii=False).encode())
            predicted.append(line)
    return predicted, digest.hexdigest()[:16]
