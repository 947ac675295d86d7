"""Parse an actors CSV: canonical names, kinds, aliases by language, coalition memberships.

One row per actor, or one row per membership when an actor belonged to several coalitions
(the name repeats; its aliases may be given on any of its rows). Framework-free.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ulinzi.importing.csvrows import RowReader
from ulinzi.importing.errors import FieldError
from ulinzi.incidents.importers.fields import actor_name

REQUIRED = ("name",)
OPTIONAL = ("kind", "aliases", "coalition", "member_from", "member_to", "source", "description")
KINDS = ("gang", "coalition", "state_force", "mission", "self_defence", "civilians", "other")
LANGUAGES = ("en", "fr", "ht")


@dataclass(frozen=True)
class ActorRow:
    line: int
    name: str
    kind: str
    aliases: tuple[tuple[str, str], ...]  # (language or "", spelling)
    coalition: str
    member_from: date | None
    member_to: date | None
    source: str
    description: str


def _kind(text: str) -> str:
    cleaned = text.strip().lower() or "other"
    if cleaned not in KINDS:
        raise ValueError(f"{text!r} is not an actor kind ({', '.join(KINDS)})")
    return cleaned


def _aliases(text: str) -> tuple[tuple[str, str], ...]:
    """``fr:Vivre Ensemble; ht:Viv Ansanm; Viv Ansam`` — a language prefix is optional.

    >>> _aliases("fr:Vivre Ensemble; Viv Ansam")
    (('fr', 'Vivre Ensemble'), ('', 'Viv Ansam'))
    """
    found: list[tuple[str, str]] = []
    for part in text.split(";"):
        cleaned = part.strip()
        if not cleaned:
            continue
        language, _, spelling = cleaned.partition(":")
        if spelling and language.strip().lower() in LANGUAGES:
            found.append((language.strip().lower(), actor_name(spelling)))
        else:
            found.append(("", actor_name(cleaned)))
    return tuple(found)


def _optional_date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_actor(reader: RowReader) -> ActorRow:
    name = reader.value("name", actor_name)
    kind = reader.value("kind", _kind)
    aliases = reader.value("aliases", _aliases)
    coalition = reader.value("coalition", lambda text: actor_name(text) if text.strip() else "")
    member_from = reader.value("member_from", _optional_date)
    member_to = reader.value("member_to", _optional_date)
    if member_from and member_to and member_to < member_from:
        reader.errors.append(_order_error())
    if (member_from or member_to) and not coalition:
        reader.errors.append(_dates_without_coalition())
    reader.check()
    return ActorRow(
        line=reader.row.line,
        name=name,
        kind=kind,
        aliases=aliases,
        coalition=coalition,
        member_from=member_from,
        member_to=member_to,
        source=reader.text("source")[:1000],
        description=reader.text("description"),
    )


def _order_error() -> FieldError:
    return FieldError("member_to", "is before member_from")


def _dates_without_coalition() -> FieldError:
    return FieldError("coalition", "membership dates are given but no coalition")
