"""Footnotes and the annex of sources: where each figure of the report comes from.

A figure counted from the incident store cites the sources linked to the events it counts and
the datasets (import files) they came in, aggregated in the database: the few sources behind
most of the events by name, then "and N other sources", so a month of a million events costs one
grouped query per kind of figure, never a loop over events. A figure from the claims ledger or
the force registry cites its own sources. Numbers are given out in the order figures ask.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.db.models import Count, QuerySet

from ulinzi.accounts.policy import RecordType, Viewer, may_read
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.incidents.models import Event
from ulinzi.sources.models import Source

TOP_SOURCES = 5
TOP_DATASETS = 3
KEY_FIELDS = {"type": "event_type", "commune": "adm2_pcode", "actor1": "actor1__name", "actor2": "actor2__name"}


@dataclass(frozen=True)
class Citation:
    """A source as the annex prints it: the URL is text, never a link the renderer would follow."""

    reference: str
    publisher: str = ""
    records: int = 0  # how many of the counted records cite it (0: not counted, e.g. a claim's source)

    @property
    def is_link(self) -> bool:
        return self.reference.startswith(("https://", "http://"))


@dataclass(frozen=True)
class Note:
    number: int
    subject: str  # what the figure counts, in words
    citations: tuple[Citation, ...] = ()
    other_sources: int = 0  # sources behind the counted records beyond those named
    records: int = 0  # records counted (0 when the note cites a statement, not a count)
    uncited: int = 0  # counted records with no source linked
    datasets: tuple[str, ...] = ()
    remark: str = ""


@dataclass
class Cited:
    """The sources and datasets behind one group of counted events, before trimming."""

    records: int = 0
    sources: dict[tuple[str, str], int] = field(default_factory=dict)
    uncited: int = 0
    datasets: dict[str, int] = field(default_factory=dict)


class Annex:
    """Collects the report's footnotes in the order they are cited; one note per distinct subject."""

    def __init__(self, viewer: Viewer) -> None:
        self.viewer = viewer
        self._notes: list[Note] = []
        self._by_subject: dict[str, int] = {}
        # Import file names are internal records: a report below P1 names no dataset.
        self._datasets = bool(may_read(viewer, RecordType.IMPORT_BATCH, Sensitivity.INTERNAL))

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(self._notes)

    def add(self, note: Note) -> int:
        """The number of the note on ``note.subject``, numbering it the first time it is cited."""
        if note.subject not in self._by_subject:
            self._notes.append(replace(note, number=len(self._notes) + 1))
            self._by_subject[note.subject] = len(self._notes)
        return self._by_subject[note.subject]

    def events(self, subject: str, found: QuerySet[Event]) -> int:
        """A note citing every event of ``found``."""
        if subject in self._by_subject:
            return self._by_subject[subject]
        return self.cited(subject, cite_events(found, None, self._datasets).get("", Cited()))

    def cited(self, subject: str, cited: Cited) -> int:
        ranked = sorted(cited.sources.items(), key=lambda item: (-item[1], item[0]))
        return self.add(
            Note(
                0,
                subject,
                citations=tuple(Citation(ref, publisher, n) for (ref, publisher), n in ranked[:TOP_SOURCES]),
                other_sources=max(len(ranked) - TOP_SOURCES, 0),
                records=cited.records,
                uncited=cited.uncited,
                datasets=_datasets(cited.datasets),
            )
        )

    def sources(self, subject: str, sources: Iterable[Source], remark: str = "") -> int:
        """A note citing sources that state something (a claim, a movement), not a count of records."""
        unique = {(source.reference, source.publisher): None for source in sources}
        return self.add(Note(0, subject, citations=tuple(Citation(ref, pub) for ref, pub in unique), remark=remark))

    def counted_sources(self, subject: str, rows: Iterable[tuple[str | None, str | None, int]], remark: str) -> int:
        """A note citing sources with how many records cite each (rows of reference, publisher, count)."""
        cited = Cited()
        for reference, publisher, n in rows:
            cited.records += n
            if reference is None:
                cited.uncited += n
            else:
                cited.sources[(reference, publisher or "")] = cited.sources.get((reference, publisher or ""), 0) + n
        ranked = sorted(cited.sources.items(), key=lambda item: (-item[1], item[0]))
        return self.add(
            Note(
                0,
                subject,
                citations=tuple(Citation(ref, publisher, n) for (ref, publisher), n in ranked[:TOP_SOURCES]),
                other_sources=max(len(ranked) - TOP_SOURCES, 0),
                remark=remark,
            )
        )

    @property
    def names_datasets(self) -> bool:
        return self._datasets


def cite_events(found: QuerySet[Event], by: str | None, datasets: bool = True) -> dict[str, Cited]:
    """Sources and datasets of the events, per value of ``by`` (a KEY_FIELDS name; None: one group
    keyed ""). Two grouped queries whatever the number of events."""
    key = KEY_FIELDS[by] if by else None
    plain = found.order_by()
    groups: dict[str, Cited] = defaultdict(Cited)
    source_fields = [*([key] if key else []), "sources__reference", "sources__publisher"]
    for row in plain.values(*source_fields).annotate(n=Count("pk")):
        cited = groups[str(row[key]) if key else ""]
        reference = row["sources__reference"]
        if reference is None:
            cited.uncited += row["n"]
        else:
            cited.sources[(reference, row["sources__publisher"] or "")] = row["n"]
    batch_fields = [*([key] if key else []), "batch__kind", "batch__file_name"]
    for row in plain.values(*batch_fields).annotate(n=Count("pk")):
        cited = groups[str(row[key]) if key else ""]
        cited.records += row["n"]
        if datasets:
            name = (
                f"{row['batch__kind']} import of {row['batch__file_name']}" if row["batch__kind"] else "entered by hand"
            )
            cited.datasets[name] = cited.datasets.get(name, 0) + row["n"]
    return dict(groups)


def merge(*parts: Cited) -> Cited:
    """One actor's events on either side: the two sides' citations together."""
    whole = Cited()
    for part in parts:
        whole.records += part.records
        whole.uncited += part.uncited
        for source, n in part.sources.items():
            whole.sources[source] = whole.sources.get(source, 0) + n
        for dataset, n in part.datasets.items():
            whole.datasets[dataset] = whole.datasets.get(dataset, 0) + n
    return whole


def _datasets(counts: dict[str, int]) -> tuple[str, ...]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    named = [f"{name} ({n:,} {'event' if n == 1 else 'events'})" for name, n in ranked[:TOP_DATASETS]]
    if len(ranked) > TOP_DATASETS:
        named.append(f"and {len(ranked) - TOP_DATASETS} other datasets")
    return tuple(named)
