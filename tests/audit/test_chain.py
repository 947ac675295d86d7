"""The hash chain on its own: every kind of tampering breaks it at the entry it touched."""

import dataclasses
import doctest
from typing import Any

from ulinzi.audit import chain
from ulinzi.audit.chain import GENESIS, Entry, Sealed


def entry(sequence: int, **changes: Any) -> Entry:
    made = Entry(
        sequence=sequence,
        at=f"2026-01-0{sequence}T08:00:00.000000+00:00",
        actor="alice",
        actor_user_id=2,
        role="analyst",
        address="192.0.2.10",
        action="read",
        object_type="incidents.event",
        object_ids=str(100 + sequence),
        label=2,
        detail="{}",
        reason="",
    )
    return dataclasses.replace(made, **changes)


def sealed_chain(length: int = 5) -> list[Sealed]:
    entries, previous = [], GENESIS
    for sequence in range(1, length + 1):
        entries.append(chain.seal(entry(sequence), previous))
        previous = entries[-1].hash
    return entries


def test_the_docstring_examples_hold():
    result = doctest.testmod(chain, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert (result.attempted > 0, result.failed) == (True, 0)


def test_an_untouched_chain_holds_and_names_its_head():
    entries = sealed_chain()
    verdict = chain.verify(entries)
    assert (verdict.holds, verdict.count, verdict.head) == (True, 5, entries[-1].hash)
    assert chain.verify([]) == chain.Verdict(0, GENESIS, None)


def test_every_field_is_covered_by_the_hash():
    for field in dataclasses.fields(Entry):
        if field.name == "sequence":
            continue
        entries = sealed_chain()
        original = entries[2].entry
        changed: dict[str, Any] = {field.name: "x" if isinstance(getattr(original, field.name), str) else 7}
        entries[2] = dataclasses.replace(entries[2], entry=dataclasses.replace(original, **changed))
        broken = chain.verify(entries).broken
        assert broken is not None, field.name
        assert (broken.sequence, broken.reason) == (
            3,
            "its fields do not match its hash: the entry or its hash was changed",
        )


def test_a_changed_field_with_a_recomputed_hash_breaks_the_next_entry():
    entries = sealed_chain()
    entries[1] = chain.seal(entry(2, actor="mallory"), entries[0].hash)
    verdict = chain.verify(entries)
    assert verdict.count == 2
    assert str(verdict.broken) == (
        "entry 3: does not follow entry 2: that entry or this one was changed, removed or moved"
    )


def test_a_deleted_entry_is_missing_from_the_sequence():
    entries = sealed_chain()
    del entries[3]
    broken = chain.verify(entries).broken
    assert broken is not None
    assert (broken.sequence, broken.reason) == (
        4,
        "found where entry 4 should be: entries are missing or out of order",
    )


def test_a_deleted_entry_with_renumbered_successors_still_breaks():
    entries = sealed_chain()
    del entries[1]
    renumbered = [entries[0]] + [
        dataclasses.replace(s, entry=dataclasses.replace(s.entry, sequence=s.entry.sequence - 1)) for s in entries[1:]
    ]
    broken = chain.verify(renumbered).broken
    assert broken is not None and broken.sequence == 2


def test_a_reordered_pair_breaks_at_the_first_of_them():
    entries = sealed_chain()
    entries[1], entries[2] = entries[2], entries[1]
    broken = chain.verify(entries).broken
    assert broken is not None and broken.sequence == 2
    swapped_numbers = sealed_chain()
    first, second = swapped_numbers[1], swapped_numbers[2]
    swapped_numbers[1] = dataclasses.replace(second, entry=dataclasses.replace(second.entry, sequence=2))
    swapped_numbers[2] = dataclasses.replace(first, entry=dataclasses.replace(first.entry, sequence=3))
    broken = chain.verify(swapped_numbers).broken
    assert broken is not None and broken.sequence == 2


def test_a_forged_hash_is_caught():
    entries = sealed_chain()
    entries[4] = dataclasses.replace(entries[4], hash="f" * 64)
    broken = chain.verify(entries).broken
    assert broken is not None and broken.sequence == 5
    assert "do not match its hash" in broken.reason


def test_an_anchor_catches_a_rewritten_or_shortened_log():
    entries = sealed_chain()
    anchor = (3, entries[2].hash)
    assert chain.verify(entries, anchor).holds
    rewritten, previous = [], GENESIS
    for sequence in range(1, 6):
        rewritten.append(chain.seal(entry(sequence, actor="mallory" if sequence == 2 else "alice"), previous))
        previous = rewritten[-1].hash
    assert chain.verify(rewritten).holds  # a whole rewritten chain verifies on its own...
    broken = chain.verify(rewritten, anchor).broken  # ...but not against a hash written down earlier
    assert broken is not None and broken.sequence == 3
    shortened = chain.verify(entries[:2], anchor).broken
    assert shortened is not None
    assert str(shortened) == "entry 3: the anchor's entry is missing: the log ends at 2"


def test_canonical_json_is_independent_of_key_order():
    assert chain.canonical_json({"b": [1, 2], "a": "é"}) == chain.canonical_json({"a": "é", "b": [1, 2]})
    assert chain.canonical_json("line\nbreak\x1b") == '"line\\nbreak\\u001b"'


def test_every_single_change_to_any_entry_is_detected(capsys: Any) -> None:
    """R-06's sweep: in a chain of 40, change each field of each entry in turn (keeping or
    recomputing its hash) and flip one character of each stored hash; all must be caught."""
    tried = detected = 0
    length = 40
    for position in range(length):
        for field in dataclasses.fields(Entry):
            if field.name == "sequence":
                continue
            for reseal in (False, True):
                entries = sealed_chain(length)
                original = entries[position].entry
                value = getattr(original, field.name)
                tampered: dict[str, Any] = {field.name: f"{value}x" if isinstance(value, str) else value + 1}
                changed = dataclasses.replace(original, **tampered)
                previous = entries[position - 1].hash if position else GENESIS
                entries[position] = (
                    chain.seal(changed, previous) if reseal else dataclasses.replace(entries[position], entry=changed)
                )
                tried += 1
                # A resealed last entry shows only against an anchor kept elsewhere (docs/security.md).
                anchor = (length, sealed_chain(length)[-1].hash)
                detected += chain.verify(entries, anchor=anchor).broken is not None
        entries = sealed_chain(length)
        flipped = entries[position].hash[:-1] + ("0" if entries[position].hash[-1] != "0" else "1")
        entries[position] = dataclasses.replace(entries[position], hash=flipped)
        tried += 1
        detected += chain.verify(entries).broken is not None
    with capsys.disabled():
        print(f"\naudit chain: {length} entries, {tried} single changes tried, {detected} detected")  # noqa: T201
    assert detected == tried
