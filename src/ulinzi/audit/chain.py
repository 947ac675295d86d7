"""The audit log's hash chain: how an entry is sealed, and how a run of entries is checked.

Framework-free, so the rule that makes tampering visible can be read, tested and re-implemented
(by an auditor, off the machine) without Django. Each entry's hash covers its own fields and the
hash of the entry before it, so changing, removing or reordering any entry breaks the chain at
that point. A chain rewritten from the tampered entry onwards still verifies: only a hash written
down elsewhere (an anchor) catches that, which is why ``verify`` accepts one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

# The "previous hash" of the first entry: no entry can claim to come before it.
GENESIS = "0" * 64


@dataclass(frozen=True)
class Entry:
    """What an audit entry says, in the plain values that are hashed.

    ``at`` is ISO 8601 in UTC with microseconds, ``object_ids`` comma-separated, ``label`` the
    sensitivity label's number and ``detail`` canonical JSON text: text is hashed exactly as
    stored, so no database's rounding or key order can change a hash.
    """

    sequence: int
    at: str
    actor: str
    actor_user_id: int | None
    role: str
    address: str
    action: str
    object_type: str
    object_ids: str
    label: int
    detail: str
    reason: str


@dataclass(frozen=True)
class Sealed:
    """An entry as stored: its fields, the hash it claims to follow, and its own hash."""

    entry: Entry
    previous_hash: str
    hash: str


@dataclass(frozen=True)
class Break:
    """The first entry at which the chain does not hold, and why."""

    sequence: int
    reason: str

    def __str__(self) -> str:
        return f"entry {self.sequence}: {self.reason}"


@dataclass(frozen=True)
class Verdict:
    """How many entries were checked, the hash of the last one, and the first break if any."""

    count: int
    head: str
    broken: Break | None

    @property
    def holds(self) -> bool:
        return self.broken is None


def canonical_json(value: object) -> str:
    """One text per value: sorted keys, no spaces, non-ASCII kept; so two writers agree byte for byte.

    >>> canonical_json({"b": 1, "a": [True, None, "é"]})
    '{"a":[true,null,"é"],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(entry: Entry, previous_hash: str) -> str:
    """SHA-256 of the entry's fields and the previous hash, as canonical JSON.

    >>> first = Entry(1, "2026-01-01T00:00:00.000000+00:00", "alice", 2, "analyst", "127.0.0.1",
    ...               "read", "incidents.event", "7", 2, "{}", "")
    >>> entry_hash(first, GENESIS)[:12]
    'd8a3e6dc6001'
    """
    fields = asdict(entry) | {"previous_hash": previous_hash}
    return hashlib.sha256(canonical_json(fields).encode()).hexdigest()


def seal(entry: Entry, previous_hash: str) -> Sealed:
    return Sealed(entry, previous_hash, entry_hash(entry, previous_hash))


def _check(sealed: Sealed, expected_sequence: int, previous_hash: str) -> str | None:
    """Why this entry breaks the chain at this place, or None when it holds."""
    sequence = sealed.entry.sequence
    if sequence != expected_sequence:
        return f"found where entry {expected_sequence} should be: entries are missing or out of order"
    if sealed.previous_hash != previous_hash:
        return f"does not follow entry {sequence - 1}: that entry or this one was changed, removed or moved"
    if entry_hash(sealed.entry, sealed.previous_hash) != sealed.hash:
        return "its fields do not match its hash: the entry or its hash was changed"
    return None


def verify(entries: Iterable[Sealed], anchor: tuple[int, str] | None = None) -> Verdict:
    """Walk the entries in sequence order from the first; stop at the first that breaks the chain.

    ``anchor`` is an entry's sequence number and the hash it had when someone wrote it down
    elsewhere: if that entry now has another hash, or no longer exists, the log was rewritten
    or cut short after it.
    """
    previous_hash, expected, count = GENESIS, 1, 0
    for sealed in entries:
        problem = _check(sealed, expected, previous_hash)
        if problem is None and anchor is not None and anchor[0] == expected and anchor[1] != sealed.hash:
            problem = f"its hash is not the anchor's {anchor[1]}: the log was rewritten from here on or before"
        if problem is not None:
            return Verdict(count, previous_hash, Break(expected, problem))
        previous_hash, expected, count = sealed.hash, expected + 1, count + 1
    if anchor is not None and anchor[0] >= expected:
        return Verdict(
            count, previous_hash, Break(anchor[0], f"the anchor's entry is missing: the log ends at {count}")
        )
    return Verdict(count, previous_hash, None)
