"""Scoring extracted records against a gold set (issue #5).

The unit of scoring is the record, not the entity span: a prediction counts when it is the
same kind of record as a gold one, in the same document, resting on mostly the same text, and
each of its fields is then checked on its own. Matching by evidence rather than by field values
keeps the two questions apart, "did it find the thing?" and "did it read the thing right?", so a
record with a wrong date is a field error, not a miss plus a false alarm.

Gold files are JSON Lines (``tests/intake/gold/README.md``). A line carries either the
``text`` itself or a ``path`` into the shared folder with the ``sha256`` of the file, so gold
for texts that may not be committed is still checked against exactly the bytes it annotates.
Framework-free.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ulinzi.intake.extraction.records import KINDS

DEFAULT_MIN_OVERLAP = 0.5

# The fields each kind is judged on. Unit, speaker and confidence are deliberately absent:
# they are for the reviewer, and their wording varies without being wrong.
FIELDS: dict[str, tuple[str, ...]] = {
    "event": ("event_type", "sub_event_type", "date", "location", "actors", "fatalities", "injured", "kidnapped"),
    "deployment": ("country", "personnel", "movement", "date", "location"),
    "claim": ("metric", "value", "area", "date", "actors"),
}


class GoldError(ValueError):
    """A gold file that cannot be trusted; the message names the file and line."""


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    published: date | None
    lang: str
    records: list[dict[str, Any]]
    note: str = ""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_json(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class Scores:
    """Record-level counts per kind, and field-level counts per kind over matched pairs."""

    records: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})
    fields: dict[str, dict[str, Counts]] = field(
        default_factory=lambda: {kind: {name: Counts() for name in FIELDS[kind]} for kind in KINDS}
    )
    documents: int = 0
    min_overlap: float = DEFAULT_MIN_OVERLAP

    @property
    def overall(self) -> Counts:
        total = Counts()
        for counts in self.records.values():
            total.add(counts)
        return total

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "min_overlap": self.min_overlap,
            "overall": self.overall.as_json(),
            "records": {kind: counts.as_json() for kind, counts in self.records.items()},
            "fields": {
                kind: {name: counts.as_json() for name, counts in by_name.items()}
                for kind, by_name in self.fields.items()
            },
        }


# --- loading ----------------------------------------------------------------------------------


def load_gold(path: Path, shared_dir: Path | None = None) -> list[GoldDocument]:
    """Every document of a gold file, refusing the whole file on the first untrustworthy line.

    A gold set that silently skips a bad line scores the extractor against less than it claims,
    so every problem stops the load with ``file:line: reason``.
    """
    documents: list[GoldDocument] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        document = _document(_json_object(line, where), shared_dir, where)
        if document.id in seen:
            raise GoldError(f"{where}: duplicate id {document.id!r}")
        seen.add(document.id)
        documents.append(document)
    return documents


def _json_object(line: str, where: str) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise GoldError(f"{where}: malformed JSON ({error.msg} at column {error.colno})") from error
    if not isinstance(data, dict):
        raise GoldError(f"{where}: expected a JSON object")
    return data


def _document(data: dict[str, Any], shared_dir: Path | None, where: str) -> GoldDocument:
    doc_id = data.get("id")
    if not isinstance(doc_id, str) or not doc_id:
        raise GoldError(f"{where}: missing id")
    records = data.get("records")
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise GoldError(f"{where}: records must be a list of objects")
    text = _text(data, shared_dir, where)
    for index, record in enumerate(records):
        _check_evidence(record, text, f"{where}: record {index}")
    return GoldDocument(
        id=doc_id,
        text=text,
        published=_published(data.get("published"), where),
        lang=str(data.get("lang", "")),
        records=records,
        note=str(data.get("note", "")),
    )


def _text(data: dict[str, Any], shared_dir: Path | None, where: str) -> str:
    if isinstance(data.get("text"), str):
        return str(data["text"])
    relative = data.get("path")
    if not isinstance(relative, str):
        raise GoldError(f"{where}: needs either text or path")
    if shared_dir is None:
        raise GoldError(f"{where}: {relative} is relative to the shared folder, which was not given")
    source = shared_dir / relative
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise GoldError(f"{where}: cannot read {source} ({error.strerror})") from error
    digest = hashlib.sha256(raw).hexdigest()
    if digest != data.get("sha256"):
        raise GoldError(f"{where}: {relative} has changed (sha256 {digest}), so its offsets cannot be trusted")
    return raw.decode("utf-8")


def _published(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise GoldError(f"{where}: published {value!r} is not an ISO date") from error


def _check_evidence(record: Mapping[str, Any], text: str, where: str) -> None:
    evidence = record.get("evidence")
    if not isinstance(evidence, list) or not evidence:
        raise GoldError(f"{where}: a gold record needs at least one evidence span")
    previous_start = -1
    for span in evidence:
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise GoldError(f"{where}: evidence {span!r} is outside the text")
        if text[start:end] != span.get("text"):
            raise GoldError(f"{where}: evidence {span.get('text')!r} does not equal text[{start}:{end}]")
        if start < previous_start:
            raise GoldError(f"{where}: evidence spans are not in text order")
        previous_start = start


# --- matching ---------------------------------------------------------------------------------


def overlap(first: Mapping[str, Any], second: Mapping[str, Any]) -> float:
    """Character IoU of the union of each record's evidence spans.

    Characters, not spans, so a record citing "an additional 200" as one span and another citing
    "additional" and "200" separately still overlap as much as they really do.
    """
    a, b = _characters(first), _characters(second)
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _characters(record: Mapping[str, Any]) -> set[int]:
    chars: set[int] = set()
    for span in record.get("evidence") or ():
        chars.update(range(int(span["start"]), int(span["end"])))
    return chars


def _pairs(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]], min_overlap: float
) -> list[tuple[int, int]]:
    """One-to-one pairs, best overlap first; ties fall to text order so runs are repeatable."""
    candidates = sorted(
        (
            (-iou, g, p)
            for g, gold_record in enumerate(gold)
            for p, predicted_record in enumerate(predicted)
            if (iou := overlap(gold_record, predicted_record)) >= min_overlap and iou > 0
        ),
    )
    used_gold: set[int] = set()
    used_predicted: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, g, p in candidates:
        if g not in used_gold and p not in used_predicted:
            used_gold.add(g)
            used_predicted.add(p)
            pairs.append((g, p))
    return pairs


# --- field comparison -------------------------------------------------------------------------


def _amount(key: str) -> Callable[[Mapping[str, Any]], Any]:
    """A number together with its bound: "over 5,000" and a plain 5,000 are different claims."""

    def read(record: Mapping[str, Any]) -> Any:
        value = record.get(key)
        if value is None:
            return None
        return (float(value), record.get("qualifier"))

    return read


def _plain(key: str) -> Callable[[Mapping[str, Any]], Any]:
    def read(record: Mapping[str, Any]) -> Any:
        value = record.get(key)
        return None if value in (None, "") else value

    return read


def _folded(key: str) -> Callable[[Mapping[str, Any]], Any]:
    def read(record: Mapping[str, Any]) -> Any:
        value = record.get(key)
        return " ".join(str(value).split()).casefold() if value else None

    return read


def _fatalities(record: Mapping[str, Any]) -> Any:
    """Only the best estimate: low and high record how the text hedged, which varies by reader."""
    fatalities = record.get("fatalities")
    if not fatalities or fatalities.get("best") is None:
        return None
    return int(fatalities["best"])


def _actors(record: Mapping[str, Any]) -> Any:
    actors = record.get("actors") or ()
    return frozenset(actors) or None


def _location(record: Mapping[str, Any]) -> Any:
    return record.get("location") or None


def _when(record: Mapping[str, Any]) -> Any:
    period = record.get("period")
    if period:
        return ("range", period.get("start"), period.get("end"))
    if record.get("date"):
        return ("date", record["date"])
    return None


READERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "event_type": _plain("event_type"),
    "sub_event_type": _plain("sub_event_type"),
    "country": _plain("country"),
    "movement": _plain("movement"),
    "metric": _plain("metric"),
    "personnel": _amount("personnel"),
    "value": _amount("value"),
    "fatalities": _fatalities,
    "injured": _plain("injured"),
    "kidnapped": _plain("kidnapped"),
    "area": _folded("area"),
    "actors": _actors,
    "date": _when,
    "location": _location,
}


def _same(name: str, gold: Any, predicted: Any) -> bool:
    if name == "date":
        return _same_when(gold, predicted)
    if name == "location":
        return _same_place(gold, predicted)
    return bool(gold == predicted)


def _same_when(gold: tuple[str, ...], predicted: tuple[str, ...]) -> bool:
    """Equal at the gold's precision: a predicted 2024-06-14 satisfies a gold "in June" (2024-06)."""
    if gold[0] != predicted[0]:
        return False
    return all(
        p is not None and g is not None and p[: len(g)] == g for g, p in zip(gold[1:], predicted[1:], strict=True)
    )


def _same_place(gold: Mapping[str, Any], predicted: Mapping[str, Any]) -> bool:
    """By pcode; by name only where the gold place has none (a neighbourhood, the country).

    A prediction that adds a pcode to a neighbourhood is judged by the name it gives, since the
    gold cannot say which pcode would have been right.
    """
    if gold.get("pcode"):
        return bool(gold["pcode"] == predicted.get("pcode"))
    return bool(_folded("name")(gold) == _folded("name")(predicted))


def _compare(kind: str, gold: Mapping[str, Any], predicted: Mapping[str, Any], into: dict[str, Counts]) -> None:
    for name in FIELDS[kind]:
        read = READERS[name]
        g, p = read(gold), read(predicted)
        counts = into[name]
        if g is None and p is None:
            continue
        if g is not None and p is not None and _same(name, g, p):
            counts.tp += 1
            continue
        if p is not None:
            counts.fp += 1
        if g is not None:
            counts.fn += 1


# --- scoring ----------------------------------------------------------------------------------


def score(
    gold: Sequence[GoldDocument], predicted: Iterable[Mapping[str, Any]], *, min_overlap: float = DEFAULT_MIN_OVERLAP
) -> Scores:
    """Record and field counts of ``predicted`` (``Record.as_json()`` dicts) against ``gold``.

    A prediction for a document the gold set does not hold is a false positive: an extractor
    that invents document ids must not look better for it.
    """
    scores = Scores(documents=len(gold), min_overlap=min_overlap)
    by_key: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for record in predicted:
        kind = str(record.get("kind"))
        if kind not in FIELDS:
            raise ValueError(f"predicted record of unknown kind {kind!r} in {record.get('doc_id')!r}")
        by_key.setdefault((str(record.get("doc_id")), kind), []).append(record)
    known = {document.id for document in gold}
    for (doc_id, kind), records in by_key.items():
        if doc_id not in known:
            scores.records[kind].fp += len(records)
    for document in gold:
        for kind in KINDS:
            gold_records = [record for record in document.records if record.get("kind") == kind]
            _score_one(kind, gold_records, by_key.get((document.id, kind), []), scores, min_overlap)
    return scores


def _score_one(
    kind: str,
    gold: Sequence[Mapping[str, Any]],
    predicted: Sequence[Mapping[str, Any]],
    scores: Scores,
    min_overlap: float,
) -> None:
    pairs = _pairs(gold, predicted, min_overlap)
    counts = scores.records[kind]
    counts.tp += len(pairs)
    counts.fn += len(gold) - len(pairs)
    counts.fp += len(predicted) - len(pairs)
    for g, p in pairs:
        _compare(kind, gold[g], predicted[p], scores.fields[kind])


# --- report -----------------------------------------------------------------------------------


def format_report(
    scores: Scores,
    *,
    seconds: float | None = None,
    peak_memory_mb: float | None = None,
    determinism_hash: str | None = None,
) -> str:
    """A table a person reads in a terminal or a CI log; ``scores.as_json()`` is for machines."""
    lines = [f"{'kind':<22}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for kind, counts in scores.records.items():
        lines.append(_row(kind, counts))
    lines.append(_row("all", scores.overall))
    lines.append("")
    lines.append(f"{'field (matched pairs)':<22}{'tp':>6}{'fp':>6}{'fn':>6}{'P':>8}{'R':>8}{'F1':>8}")
    for kind, by_name in scores.fields.items():
        for name, counts in by_name.items():
            if counts.tp + counts.fp + counts.fn:
                lines.append(_row(f"{kind}.{name}", counts))
    lines.append("")
    lines.append(f"documents: {scores.documents}   min overlap: {scores.min_overlap}")
    if seconds is not None:
        rate = scores.documents / seconds if seconds > 0 else float("inf")
        lines.append(f"throughput: {rate:.1f} documents/s ({seconds:.2f} s)")
    if peak_memory_mb is not None:
        lines.append(f"peak memory: {peak_memory_mb:.1f} MB")
    if determinism_hash is not None:
        lines.append(f"determinism hash: {determinism_hash}")
    return "\n".join(lines) + "\n"


def _row(label: str, counts: Counts) -> str:
    return (
        f"{label:<22}{counts.tp:>6}{counts.fp:>6}{counts.fn:>6}"
        f"{counts.precision:>8.3f}{counts.recall:>8.3f}{counts.f1:>8.3f}"
    )
