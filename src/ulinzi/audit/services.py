"""Writing and checking the audit log (issue #7).

Every hook is one call: ``record_read`` where a confidential record is shown, ``record_export``
where records leave, ``record`` where something changes. A failed write raises, so the read,
export or change it belongs to fails with it: nothing is served unaudited.
"""

from __future__ import annotations

import dataclasses
import getpass
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from ulinzi import dbcompat
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import role_of
from ulinzi.audit import chain
from ulinzi.audit.models import MAX_REASON, Action, AuditEntry

# Reads below this label are not recorded: public and internal records are read all day by
# everyone, and recording them would bury the reads that matter.
READ_AUDITED_FROM = Sensitivity.CONFIDENTIAL


@dataclasses.dataclass(frozen=True)
class Actor:
    """Who acted, as the log keeps it: a name that outlives the account, and where they were."""

    name: str
    user_id: int | None
    role: str
    address: str


Origin = HttpRequest | User | AnonymousUser | Actor | None

# The client address of the request this thread is serving, for changes recorded by services that
# are handed a user rather than the request (splitting an event, in the API and the admin alike).
# Set when a request starts, from the WSGI environ that ``ulinzi run`` fills from
# ULINZI_TRUSTED_PROXY's X-Forwarded-For, so it is the address the rest of the app believes.
_request_address: ContextVar[str] = ContextVar("ulinzi_audit_address", default="")


def note_request_address(sender: object, environ: Mapping[str, object] | None = None, **kwargs: object) -> None:
    _request_address.set(str((environ or {}).get("REMOTE_ADDR", "")))


def forget_request_address(sender: object, **kwargs: object) -> None:
    _request_address.set("")


def operator() -> Actor:
    """The person at the server's command line, named by their system account: the command line
    acts with no Ulinzi account, so this is the only name there is."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):
        name = f"uid-{os.getuid()}"
    return Actor(f"operator:{name}", None, "operator", "")


def actor_of(origin: Origin) -> Actor:
    if isinstance(origin, Actor):
        return origin
    if origin is None or isinstance(origin, User | AnonymousUser):
        return _account(origin, _request_address.get())
    return _account(origin.user, str(origin.META.get("REMOTE_ADDR", "")))


def _account(user: User | AnonymousUser | None, address: str) -> Actor:
    if user is None or not user.is_authenticated:
        return Actor("anonymous", None, "", address)
    role = role_of(user)
    return Actor(user.get_username(), user.pk, role.value if role else "", address)


def record(
    origin: Origin,
    action: Action,
    object_type: str,
    ids: Iterable[int | str],
    sensitivity: Sensitivity | int,
    *,
    detail: Mapping[str, object] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the chain. ``detail`` says how (filters, format, operation), never what
    a record contains: the log must not become a copy of the data it protects."""
    if len(reason) > MAX_REASON:
        raise ValueError(f"an audit reason holds at most {MAX_REASON} characters")
    actor = actor_of(origin)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor.name,
        actor_user_id=actor.user_id,
        role=actor.role,
        address=actor.address,
        action=action,
        object_type=object_type,
        object_ids=",".join(str(one) for one in ids),
        label=int(sensitivity),
        detail=chain.canonical_json(dict(detail or {})),
        reason=reason,
    )
    with transaction.atomic():
        # Serialised: two writers reading the same last entry would fork the chain.
        dbcompat.lock_audit_chain()
        last = AuditEntry.objects.order_by("-sequence").values_list("sequence", "hash").first()
        entry.sequence, entry.previous_hash = last if last else (0, chain.GENESIS)
        entry.sequence += 1
        entry.hash = chain.entry_hash(entry.chained(), entry.previous_hash)
        entry.save(force_insert=True)
    return entry


def record_read(origin: Origin, object_type: str, object_id: int, label: Sensitivity | int) -> None:
    """Record that one record was shown, when its label is confidential or above."""
    if label >= READ_AUDITED_FROM:
        record(origin, Action.READ, object_type, [object_id], label)


def record_list_read(origin: Origin, shown: Sequence[Any], where: str) -> None:
    """Record one read entry for a list, a map or a page of records, naming those labelled
    confidential or above that it showed (none: nothing recorded)."""
    labelled = [
        (item.pk, int(item.sensitivity)) for item in shown if int(getattr(item, "sensitivity", 0)) >= READ_AUDITED_FROM
    ]
    if not labelled:
        return
    first = shown[0]
    ids = sorted(pk for pk, _ in labelled)
    record(
        origin, Action.READ, first._meta.label_lower, ids, max(label for _, label in labelled), detail={"list": where}
    )


def record_export(origin: Origin, records: QuerySet[Any], detail: Mapping[str, object]) -> AuditEntry:
    """Record an export before it streams: how many records and the highest label among them, so a
    reviewer sees at once whether confidential data left, without the log listing every id."""
    summary = records.order_by().aggregate(count=Count("pk"), top=Max("sensitivity"))
    label = summary["top"] if summary["top"] is not None else Sensitivity.PUBLIC
    detail = {**detail, "records": summary["count"]}
    return record(origin, Action.EXPORT, records.model._meta.label_lower, [], label, detail=detail)


def filters_of(wanted: Any) -> dict[str, object]:
    """The filters that were set on a filter dataclass, as JSON values, for an entry's detail."""
    plain: dict[str, object] = {}
    for field in dataclasses.fields(wanted):
        value = getattr(wanted, field.name)
        if value is None:
            continue
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        plain[field.name] = value
    return plain


def sealed_entries() -> Iterator[chain.Sealed]:
    """Every entry in chain order, streamed: the log grows without bound."""
    for entry in AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000):
        yield chain.Sealed(entry.chained(), entry.previous_hash, entry.hash)


def verify(anchor: tuple[int, str] | None = None) -> chain.Verdict:
    return chain.verify(sealed_entries(), anchor)


def latest(count: int) -> list[AuditEntry]:
    """The newest ``count`` entries, oldest first, as a log reads."""
    return list(reversed(AuditEntry.objects.order_by("-sequence")[:count]))


def one_line(entry: AuditEntry) -> str:
    """An entry for a terminal; the reason is JSON-quoted, so typed text cannot forge a line."""
    ids = entry.object_ids or "-"
    who = f"{entry.actor} ({entry.role or 'no role'})" + (f" from {entry.address}" if entry.address else "")
    line = f"{entry.sequence} {entry.at:%Y-%m-%dT%H:%M:%S}Z {who} {entry.action} {entry.object_type} {ids}"
    line += f" {Sensitivity(entry.label).code} {entry.detail}"
    return line + (f" reason={chain.canonical_json(entry.reason)}" if entry.reason else "")
