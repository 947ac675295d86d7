"""The Reports page and the download: who may use them, what each reader receives, bad input."""

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # pypdfium2 ships no type information
import pytest

from tests.conftest import session_client
from tests.reports.conftest import P2_NOTE, P3_NOTE
from ulinzi.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db

INDEX, DOWNLOAD = "/reports/", "/reports/situation"


def text_of(pdf: bytes) -> str:
    return "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(pdf))


def test_the_page_offers_the_month_asked_for_and_every_area(alice, recorded):
    html = session_client(alice).get(INDEX, {"period": "2024-03"}).content.decode()
    assert 'name="period" value="2024-03"' in html
    assert '<option value="XX0101">Alpha (XX0101)</option>' in html  # its department is not loaded
    assert "Contains only what an analyst may see" in html
    assert 'action="/reports/situation"' in html


def test_without_a_month_the_page_offers_the_latest_events(alice, recorded):
    html = session_client(alice).get(INDEX).content.decode()
    assert 'name="period" value="2024-03"' in html


def test_an_analyst_downloads_a_pdf_built_for_an_analyst(alice, recorded):
    response = session_client(alice).get(DOWNLOAD, {"period": "2024-03", "area": "", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="situation-report-2024-03.pdf"'
    text = text_of(response.content)
    assert "Contains only what an analyst may see" in text and "P2 CONFIDENTIAL" in text
    entry = AuditEntry.objects.get(action=Action.EXPORT, object_type="reports.situation_report")
    assert (entry.actor, entry.label) == ("alice", 2)


def test_a_partner_downloads_a_partners_report(charlie, recorded):
    response = session_client(charlie).get(DOWNLOAD, {"period": "2024-03", "area": "XX0101", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="situation-report-2024-03-XX0101.pdf"'
    text = text_of(response.content)
    assert "Contains only what a partner may see" in text and "P1 INTERNAL" in text
    assert P2_NOTE not in text and P3_NOTE not in text and "CONFIDENTIAL" not in text
    html = session_client(charlie).get(DOWNLOAD, {"period": "2024-03", "format": "html"})
    assert html["Content-Type"] == "text/html; charset=utf-8"
    assert P2_NOTE.encode() not in html.content and P3_NOTE.encode() not in html.content


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"period": "2024-13", "format": "pdf"}, "has no month 13"),
        ({"period": "2999-01", "format": "pdf"}, "has not begun"),
        ({"period": "2024-03", "format": "docx"}, "format: Select a valid choice"),
        ({"period": "2024-03", "area": "XX9999", "format": "pdf"}, "area: Select a valid choice"),
        ({"format": "pdf"}, "period: This field is required"),
    ],
)
def test_bad_input_is_a_400_naming_it(alice, recorded, query, message):
    response = session_client(alice).get(DOWNLOAD, query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(object_type="reports.situation_report").exists()


@pytest.mark.refused("reports:index")
@pytest.mark.refused("reports:situation")
def test_outsiders_are_refused(anonymous, roleless):
    for path in (INDEX, f"{DOWNLOAD}?period=2024-03&format=pdf"):
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert session_client(roleless).get(path).status_code == 403


def test_the_dashboard_links_to_the_month_it_shows(alice, recorded):
    html = session_client(alice).get("/", {"until": "2024-03-31", "days": "30"}).content.decode()
    assert 'href="/reports/?period=2024-03" id="report-link"' in html


def test_the_navigation_leads_to_the_reports_page(alice):
    assert '<a href="/reports/"' in session_client(alice).get(INDEX).content.decode()
