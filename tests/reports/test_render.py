"""The report as files: self-contained HTML, and a PDF with maps, charts and embedded fonts,
rendered without touching the network."""

import ctypes
import re
from datetime import UTC, datetime

import numpy as np
import pypdfium2 as pdfium  # type: ignore[import-untyped]  # pypdfium2 ships no type information
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]  # as above
import pytest

from tests.reports.conftest import COMMANDER, MARCH, PARTNER, TODAY
from ulinzi.patrols.models import Patrol, PatrolKind, TrackPoint
from ulinzi.reports import content, render

pytestmark = pytest.mark.django_db

FETCHED = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def page_texts(document: pdfium.PdfDocument) -> list[str]:
    return [page.get_textpage().get_text_range() for page in document]


def inked_share(page: pdfium.PdfPage) -> float:
    """The share of the page's pixels that are not (nearly) white."""
    pixels = np.asarray(page.render(scale=1).to_pil().convert("L"))
    return float((pixels < 235).mean())


def fonts_of(document: pdfium.PdfDocument) -> dict[str, bool]:
    """Every font the pages' text uses, and whether the PDF embeds it."""
    found = {}
    for page in document:
        for item in page.get_objects(max_depth=5):
            if item.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
                font = pdfium_c.FPDFTextObj_GetFont(item.raw)
                name = ctypes.create_string_buffer(200)
                pdfium_c.FPDFFont_GetBaseFontName(font, name, 200)
                found[name.value.decode()] = bool(pdfium_c.FPDFFont_GetIsEmbedded(font))
    return found


def test_the_html_loads_nothing_from_anywhere(recorded):
    text = render.html(content.build(COMMANDER, MARCH, None, TODAY))
    assert not FETCHED.findall(text)
    assert "<link" not in text and "<script" not in text and "url(" not in text
    assert text.count('src="data:image/') == 6  # two maps, three charts, the strength chart
    assert "https://example.org/p2" in text  # cited as text in the annex


def test_the_pdf_shows_maps_and_charts_with_every_font_embedded(recorded):
    document = pdfium.PdfDocument(render.pdf(content.build(COMMANDER, MARCH, None, TODAY)))
    texts = page_texts(document)
    assert len(document) >= 3
    maps = next(i for i, text in enumerate(texts) if "2. Maps" in text)
    charts = next(i for i, text in enumerate(texts) if "3. Charts" in text)
    assert inked_share(document[maps]) > 0.05
    assert inked_share(document[charts]) > 0.05
    fonts = fonts_of(document)
    assert fonts and all(fonts.values()), fonts
    assert all("DejaVu" in name for name in fonts)
    assert "P3 STRICTLY CONFIDENTIAL" in texts[0] and all("P3 STRICTLY CONFIDENTIAL" in text for text in texts)


def test_every_key_figure_is_footnoted_in_the_pdf(recorded):
    report = content.build(PARTNER, MARCH, None, TODAY)
    texts = "\n".join(page_texts(pdfium.PdfDocument(render.pdf(report))))
    assert "Contains only what a partner may see" in texts
    annex = texts[texts.index("Annex: sources") :]
    for note in report.annex:
        assert note.subject[:40] in annex.replace("\r\n", " ").replace("\n", " ")


def test_the_renderer_refuses_every_url_but_data_and_still_renders():
    fetcher = render.OfflineFetcher()
    page = '<html><body><p>Hello</p><img src="http://example.org/x.png"><img src="file:///etc/passwd"></body></html>'
    pdf = render.pdf_of(page, fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == ["http://example.org/x.png", "file:///etc/passwd"]


def test_the_fetcher_raises_for_a_url_and_reads_a_data_uri():
    fetcher = render.OfflineFetcher()
    with pytest.raises(render.RefusedURL):
        fetcher.fetch("https://example.org/font.woff")
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_file_names_say_the_month_and_area():
    assert render.file_name(MARCH, None, "pdf") == "situation-report-2024-03.pdf"
    assert render.file_name(MARCH, "HT01", "html") == "situation-report-2024-03-HT01.html"


def test_no_report_carries_a_patrol_position(recorded):
    """Patrol positions never leave through a report, whoever reads it (issue #8's release rule)."""
    patrol = Patrol.objects.create(reference="KE-RPT-1", kind=PatrolKind.FOOT, devices="KE-SECRET-DEVICE")
    TrackPoint.objects.create(
        patrol=patrol,
        device="KE-SECRET-DEVICE",
        time=datetime(2024, 3, 10, 9, tzinfo=UTC),
        lat=18.5432109,
        lon=-72.3456789,
    )
    for viewer in (COMMANDER, PARTNER):
        text = render.html(content.build(viewer, MARCH, None, TODAY))
        for trace in ("KE-SECRET-DEVICE", "KE-RPT-1", "18.5432109", "72.3456789"):
            assert trace not in text
