"""``import_actors``: actors, aliases and coalition memberships from CSV, all or nothing.

Re-importing updates kinds and descriptions and adds what is new; nothing is deleted, because
analysts also record aliases and memberships in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from ulinzi.importing.citations import parse_citations
from ulinzi.importing.csvrows import CsvRow, CsvSource, RowInvalid, RowReader
from ulinzi.importing.errors import ImportRejected, RowError
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.actors import actor_key
from ulinzi.incidents.importers.actors.rows import OPTIONAL, REQUIRED, ActorRow, parse_actor
from ulinzi.incidents.models import Actor, ActorAlias, ActorKind, CoalitionMembership
from ulinzi.sources.services import SourceCache


@dataclass
class ActorsOutcome:
    file: str
    rows_read: int = 0
    actors: int = 0
    aliases_added: int = 0
    memberships_added: int = 0
    notices: list[str] = field(default_factory=list)


def import_actors(path: Path) -> ActorsOutcome:
    rows, errors, notices = _read(path)
    if errors:
        raise ImportRejected(errors)
    outcome = ActorsOutcome(file=path.name, rows_read=len(rows), notices=notices)
    store = ActorStore()
    sources = SourceCache()
    with transaction.atomic():
        for row in rows:
            actor = store.get(row.name, row.kind)
            Actor.objects.filter(pk=actor.pk).update(
                kind=row.kind, **({"description": row.description} if row.description else {})
            )
            outcome.aliases_added += _add_aliases(actor, row, path.name)
            if row.coalition:
                coalition = store.get(row.coalition, ActorKind.COALITION)
                citations = sources.sources(parse_citations(row.source))
                _, created = CoalitionMembership.objects.get_or_create(
                    member=actor,
                    coalition=coalition,
                    valid_from=row.member_from,
                    defaults={"valid_to": row.member_to, "source": citations[0] if citations else None},
                )
                outcome.memberships_added += created
        outcome.actors = len({row.name for row in rows})
    return outcome


def _add_aliases(actor: Actor, row: ActorRow, file: str) -> int:
    added = 0
    for language, spelling in row.aliases:
        existing = ActorAlias.objects.filter(key=actor_key(spelling)).first()
        if existing is None:
            ActorAlias.objects.create(actor=actor, name=spelling, language=language)
            added += 1
        elif existing.actor_id != actor.pk:
            raise ImportRejected(
                [RowError(file, row.line, "aliases", f"{spelling!r} is already an alias of {existing.actor.name!r}")]
            )
    return added


def _read(path: Path) -> tuple[list[ActorRow], list[RowError], list[str]]:
    with CsvSource(path) as source:
        header = source.check_header(REQUIRED, (*REQUIRED, *OPTIONAL))
        errors = source.header_errors(header)
        notices = [f"extra columns ignored: {', '.join(header.ignored)}"] if header.ignored else []
        rows: list[ActorRow] = []
        for item in source.rows():
            if not isinstance(item, CsvRow):
                errors.append(item)
                continue
            try:
                rows.append(parse_actor(RowReader(item, header.missing)))
            except RowInvalid as invalid:
                errors.extend(item.error(error.field, error.reason) for error in invalid.errors)
    return rows, errors, notices
