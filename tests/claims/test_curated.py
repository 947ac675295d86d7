"""The demo's curated claims: the founding article's headline figures and one conflicting source."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from ulinzi.accounts.policy import Viewer
from ulinzi.audit.services import operator
from ulinzi.claims import services
from ulinzi.claims.curated import load_claims
from ulinzi.claims.ledger import Relation
from ulinzi.claims.models import Claim
from ulinzi.importing.errors import ImportRejected
from ulinzi.incidents.importers.actors.importer import import_actors

pytestmark = pytest.mark.django_db


def curated(name: str) -> Path:
    return Path(str(resources.files("ulinzi.demo_data").joinpath(name)))


def test_the_curated_claims_load_once_and_the_first_contingent_conflicts():
    import_actors(curated("actors_curated.csv"))
    assert load_claims(curated("claims_curated.csv"), by=operator()).created == 5
    assert load_claims(curated("claims_curated.csv"), by=operator()).unchanged == 5
    assert Claim.objects.count() == 5
    killed = Claim.objects.get(metric="killed")
    assert (killed.actor and killed.actor.name, killed.actor_name) == ("Viv Ansanm", "Viv Ansam")
    assert all(claim.sensitivity == 0 for claim in Claim.objects.all())
    [deployed] = services.ledger_of(Viewer.operator(), metric="personnel_deployed")
    assert [pair.relation for pair in deployed.group.pairs] == [Relation.CONFLICT]
    assert [entry.claim.value for entry in deployed.entries] == [400, 200]


def test_a_bad_row_names_its_line_and_field_and_loads_nothing(tmp_path):
    bad = tmp_path / "claims.csv"
    text = curated("claims_curated.csv").read_text().splitlines()
    bad.write_text("\n".join([*text[:2], text[2].replace("killed", "deaths", 1)]) + "\n")
    with pytest.raises(ImportRejected) as rejected:
        load_claims(bad, by=operator())
    [error] = rejected.value.errors
    assert str(error).startswith("claims.csv:3: metric: 'deaths' is not a metric (killed, injured,")
    assert Claim.objects.count() == 0
