"""Every output of SGBV counts (API, CSV export, page) shows the suppressed table only, to every role.

The fixture's January in Alpha (XX0101) holds rapes 15, sexual assaults 6, physical assaults 8;
by survivor band 26 adult women and 3 girls (a small cell); by perpetrator 15 armed-group members
and 14 intimate partners. The girls' cell is suppressed, so the type and perpetrator views each
hide a cell too, and Alpha's January total is a lower bound.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

from tests.conftest import MakeUser, session_client, token_client
from ulinzi.accounts.roles import Role
from ulinzi.audit.models import AuditEntry
from ulinzi.protection.importers.sgbv.importer import import_sgbv
from ulinzi.protection.models import SgbvCount

pytestmark = pytest.mark.django_db

SHAPES = [
    {},
    {"by": "violence_type"},
    {"by": "age_band,sex_band"},
    {"by": "sex_band", "period": "quarter", "area": "department"},
    {"by": "perpetrator_type", "period": "year", "area": "all"},
    {"by": "violence_type", "within": "2025-02", "pcode": "XX01"},
    {"by": "age_band", "sex_band": "female", "period": "quarter"},
    {"area": "all", "period": "year"},
]
SMALL = range(1, 5)


@pytest.fixture
def counts(areas: None, fixtures_dir: Path) -> None:
    import_sgbv(fixtures_dir / "sgbv_three_areas.csv")


@pytest.fixture
def mona(make_user: MakeUser) -> User:
    return make_user("mona", Role.MONITOR)


@pytest.fixture
def everyone(admin: User, cora: User, alice: User, mona: User, charlie: User) -> list[User]:
    return [admin, cora, alice, mona, charlie]


def rows(client: Client, **params: str) -> list[dict[str, object]]:
    response = client.get("/api/protection/sgbv", params)
    assert response.status_code == 200, response.content
    found: list[dict[str, object]] = response.json()["rows"]
    return found


def cell(found: list[dict[str, object]], **wanted: object) -> tuple[object, object]:
    [match] = [row for row in found if all(row.get(key) == value for key, value in wanted.items())]
    return match["count"], match["qualifier"]


def new_entries(since: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(sequence__gt=since).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEntry.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def test_the_api_gives_the_suppressed_table(alice, counts):
    found = rows(token_client(alice), by="violence_type", pcode="XX0101", within="2025-01")
    assert cell(found, violence_type="rape") == (15, "exact")
    assert cell(found, violence_type="sexual_assault") == (6, "exact")
    assert cell(found, violence_type="physical_assault") == (None, "suppressed")
    assert cell(found, violence_type="forced_marriage") == (0, "exact")
    totals = rows(token_client(alice), pcode="XX0101", within="2025-01")
    assert cell(totals) == (26, "at_least")
    by_band = rows(token_client(alice), by="age_band,sex_band", pcode="XX0101", within="2025-01")
    assert cell(by_band, age_band="12-17", sex_band="female") == (None, "suppressed")


def test_no_output_shows_a_cell_below_k_to_any_role(everyone, counts):
    tables = set()
    for user in everyone:
        api, browser = token_client(user), session_client(user)
        for shape in SHAPES:
            body = api.get("/api/protection/sgbv", shape).json()
            assert not [row for row in body["rows"] if row["count"] in SMALL], (user, shape)
            tables.add(json.dumps(body, sort_keys=True))
            exported = api.get("/api/protection/sgbv.csv", shape).content.decode()
            assert not [line for line in csv.DictReader(io.StringIO(exported)) if line["count"] in {"1", "2", "3", "4"}]
            page = browser.get("/protection/sgbv/", shape).content.decode()
            shown = re.findall(r'<td class="num">([^<]*)</td>', page)
            assert shown and not [text for text in shown if text.strip() in {"1", "2", "3", "4"}], (user, shape)
    assert len(tables) == len(SHAPES)  # every role gets the same tables


def test_the_threshold_comes_from_the_setting(alice, counts):
    with override_settings(SGBV_MIN_CELL=10):
        body = token_client(alice).get("/api/protection/sgbv", {"by": "violence_type", "within": "2025-01"}).json()
        page = session_client(alice).get("/protection/sgbv/").content.decode()
    assert body["min_cell"] == 10
    assert cell(body["rows"], pcode="XX0101", violence_type="rape") == (15, "exact")
    assert cell(body["rows"], pcode="XX0101", violence_type="sexual_assault") == (None, "suppressed")
    assert not [row for row in body["rows"] if row["count"] in range(1, 10)]
    assert "Minimum cell size 10: Cells with 1 to 9 incidents (fewer than 10)" in page


def test_crossing_two_views_is_refused_with_the_reason(alice, counts):
    response = token_client(alice).get("/api/protection/sgbv", {"by": "violence_type", "sex_band": "female"})
    assert response.status_code == 422
    assert "never crossed" in response.json()["detail"]
    page = session_client(alice).get("/protection/sgbv/", {"by": "violence_type", "sex_band": "female"})
    assert page.status_code == 400
    assert "never crossed" in page.content.decode()


def test_the_csv_is_a_download_with_the_threshold_on_every_row(alice, counts):
    response = token_client(alice).get("/api/protection/sgbv.csv", {"by": "violence_type", "pcode": "XX0101"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ulinzi-sgbv.csv"'
    lines = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {line["min_cell"] for line in lines} == {"5"}
    assert {
        "period": "2025-01",
        "violence_type": "physical_assault",
        "count": "",
        "qualifier": "suppressed",
    }.items() <= lines[2].items()


def test_the_page_states_the_threshold_and_links_the_same_table_as_csv(alice, counts):
    response = session_client(alice).get("/protection/sgbv/", {"by": "violence_type", "pcode": "XX0101"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Minimum cell size 5: Cells with 1 to 4 incidents (fewer than 5)" in html
    assert '<td class="num">suppressed</td>' in html
    assert 'href="/api/protection/sgbv.csv?by=violence_type&amp;pcode=XX0101"' in html
    assert "<script" not in html.split("<main>")[1] and "style=" not in html


def test_reads_and_exports_are_audited_without_a_figure(alice, counts):
    since = last_sequence()
    token_client(alice).get("/api/protection/sgbv", {"by": "violence_type"})
    token_client(alice).get("/api/protection/sgbv.csv")
    session_client(alice).get("/protection/sgbv/", {"period": "year"})
    entries = new_entries(since)
    assert [(e.actor, e.action, e.object_type, e.label) for e in entries] == [
        ("alice", "read", "protection.sgbvcount", 3),
        ("alice", "export", "protection.sgbvcount", 3),
        ("alice", "read", "protection.sgbvcount", 3),
    ]
    details = [json.loads(e.detail) for e in entries]
    assert [(d["output"], d["min_cell"], d["by"], d["period"]) for d in details] == [
        ("api", 5, ["violence_type"], "month"), ("csv", 5, [], "month"), ("page", 5, [], "year"),
    ]  # fmt: skip
    assert "15" not in entries[0].detail


def test_the_stored_cells_are_not_in_the_admin(admin, counts):
    client = session_client(admin)
    assert client.get("/admin/protection/sgbvcount/").status_code == 404
    assert "sgbv" not in client.get("/admin/").content.decode().lower()
    assert SgbvCount.objects.exists()


@pytest.mark.refused("api:protection-sgbv")
def test_the_api_refuses_anonymous_callers(anonymous, counts):
    response = anonymous.get("/api/protection/sgbv")
    assert response.status_code == 401
    assert "rows" not in response.content.decode()


@pytest.mark.refused("api:protection-sgbv")
def test_the_api_refuses_an_account_without_a_role(roleless, counts):
    since = last_sequence()
    assert token_client(roleless).get("/api/protection/sgbv").status_code == 403
    assert new_entries(since) == []


@pytest.mark.refused("api:protection-sgbv-csv")
def test_the_csv_refuses_anonymous_callers_and_accounts_without_a_role(anonymous, roleless, counts):
    assert anonymous.get("/api/protection/sgbv.csv").status_code == 401
    assert token_client(roleless).get("/api/protection/sgbv.csv").status_code == 403


@pytest.mark.refused("protection:sgbv")
def test_the_page_sends_anonymous_visitors_to_log_in(anonymous, counts):
    response = anonymous.get("/protection/sgbv/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.refused("protection:sgbv")
def test_the_page_refuses_an_account_without_a_role(roleless, counts):
    assert session_client(roleless).get("/protection/sgbv/").status_code == 403


def test_the_api_accepts_only_get(alice):
    assert token_client(alice).post("/api/protection/sgbv").status_code == 405
    assert token_client(alice).delete("/api/protection/sgbv.csv").status_code == 405
