import pytest

from tests.conftest import session_client
from ulinzi.incidents.importers.acled.importer import import_acled
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.ucdp.importer import import_ucdp
from ulinzi.incidents.models import Event, EventReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(areas, fixtures_dir, tmp_path) -> EventReport:
    actors = tmp_path / "actors.csv"
    actors.write_text("name,kind,aliases\nGang A (Haiti),gang,Gang A\n")
    import_actors(actors)
    import_acled(fixtures_dir / "acled_sample.csv")
    import_ucdp(fixtures_dir / "ucdp_sample.csv")
    return EventReport.objects.get()


def test_the_event_page_lists_merged_reports_and_their_history(alice, merged):
    page = session_client(alice).get(f"/events/{merged.event_id}/").content.decode()
    assert "ucdp:900001" in page
    assert "0 day(s) and 0.2 km apart" in page
    assert "Report merged in: ucdp:900001 (3 killed)" in page
    assert "Split into its own event" in page


def test_commanders_see_reports_but_no_split_button(cora, merged):
    page = session_client(cora).get(f"/events/{merged.event_id}/").content.decode()
    assert "ucdp:900001" in page
    assert "Split into its own event" not in page
    url = f"/events/{merged.event_id}/reports/{merged.pk}/split/"
    assert session_client(cora).post(url).status_code == 403


@pytest.mark.refused("web:event-split")
def test_an_analyst_splits_from_the_page_and_outsiders_cannot(alice, anonymous, charlie, merged):
    url = f"/events/{merged.event_id}/reports/{merged.pk}/split/"
    assert anonymous.post(url).status_code == 302  # to the login page
    assert session_client(charlie).post(url).status_code == 404  # the event is above a partner's clearance
    assert session_client(alice).get(url).status_code == 405
    response = session_client(alice).post(url)
    created = Event.objects.get(natural_key="ucdp:900001")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{created.pk}/"
    page = session_client(alice).get(response["Location"]).content.decode()
    assert f"Created by a split by alice: split out of event {merged.event_id}" in page
