import datetime as dt

import pytest

from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.actor_store import ActorStore
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Actor, ActorAlias, CoalitionMembership

pytestmark = pytest.mark.django_db

ACTORS = """name,kind,aliases,coalition,member_from,member_to,source
Coalition Z,coalition,ht:Kowalisyon Z; fr:Coalition Zèd; Koalisyon Z,,,,
Gang A,gang,Gang A Haiti; fr:Bande A,Coalition Z,2023-09-01,,Made-up statement of 2023
Gang A,gang,,Coalition Y,2021-01-01,2022-12-31,
"""


def test_aliases_in_any_spelling_find_the_one_actor(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text(ACTORS)
    outcome = import_actors(path)
    assert (outcome.actors, outcome.aliases_added, outcome.memberships_added) == (2, 5, 2)
    store = ActorStore()
    gang = Actor.objects.get(name="Gang A")
    assert store.get("gang a haiti") == gang
    assert store.get("BANDE-A") == gang
    assert store.get("Coalition Zed") == Actor.objects.get(name="Coalition Z")  # accents do not matter
    current = CoalitionMembership.objects.get(member=gang, coalition__name="Coalition Z")
    assert (current.valid_from, current.valid_to, current.source.reference) == (  # type: ignore[union-attr]
        dt.date(2023, 9, 1),
        None,
        "Made-up statement of 2023",
    )
    assert Actor.objects.get(name="Coalition Y").kind == "coalition"
    assert import_actors(path).aliases_added == 0  # idempotent


def test_an_alias_claimed_by_another_actor_is_refused(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text(ACTORS)
    import_actors(path)
    clash = tmp_path / "clash.csv"
    clash.write_text("name,aliases\nGang B,Bande A\n")
    with pytest.raises(ImportRejected) as rejected:
        import_actors(clash)
    assert [str(e) for e in rejected.value.errors] == [
        "clash.csv:2: aliases: 'Bande A' is already an alias of 'Gang A'"
    ]
    assert not Actor.objects.filter(name="Gang B").exists()


def test_bad_rows_are_named_and_nothing_is_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "name,kind,coalition,member_from,member_to\nGang A,cartel,,,\nGang B,gang,Z,2024-01-01,2023-01-01\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_actors(path)
    assert [str(e) for e in rejected.value.errors] == [
        "bad.csv:2: kind: 'cartel' is not an actor kind "
        "(gang, coalition, state_force, mission, self_defence, civilians, other)",
        "bad.csv:3: member_to: is before member_from",
    ]
    assert not ActorAlias.objects.exists()


def test_event_imports_resolve_actors_through_aliases(areas, fixtures_dir, tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n")
    import_actors(path)
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    assert not Actor.objects.filter(name="Gang A").exists()
    assert Actor.objects.get(name="Gang A (Haiti)").events_as_actor1.count() == 2
