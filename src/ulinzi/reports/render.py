"""The report as one self-contained HTML file, and as PDF through WeasyPrint, without the network.

Everything the report shows is inside it: styles inline, charts and maps as data: URIs, DejaVu
Sans (a system font) embedded by WeasyPrint. The PDF renderer is handed a fetcher that refuses
every URL but data:, and no base URL, so nothing in a record (a source's address, say) can make
rendering reach out: a link left in by mistake is recorded as refused and drawn as nothing.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from ulinzi.reports.content import Report
from ulinzi.reports.period import Month

FORMATS = ("pdf", "html")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


class RefusedURL(ValueError):
    """A URL the report renderer will not fetch: anything but data:."""


class OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint's base class is untyped
    """WeasyPrint's fetcher, limited to data: URIs; every other URL is refused and remembered."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not url.startswith("data:"):
            self.refused.append(url)
            raise RefusedURL(f"the report renderer fetches nothing: {url[:100]}")
        return super().fetch(url, headers)


def html(report: Report) -> str:
    return render_to_string("reports/report.html", {"report": report})


def pdf(report: Report) -> bytes:
    return pdf_of(html(report))


def pdf_of(text: str, fetcher: OfflineFetcher | None = None) -> bytes:
    """PDF from self-contained HTML; ``fetcher`` (made here when not given) sees every URL asked for."""
    document = HTML(string=text, base_url=None, url_fetcher=fetcher or OfflineFetcher())
    written: bytes = document.write_pdf()
    return written


def render(report: Report, chosen: str) -> bytes:
    """The report in ``chosen`` format (one of FORMATS)."""
    if chosen == "pdf":
        return pdf(report)
    if chosen == "html":
        return html(report).encode("utf-8")
    raise ValueError(f"format must be one of {', '.join(FORMATS)}")


def file_name(month: Month, area_pcode: str | None, chosen: str) -> str:
    """``situation-report-2025-01-HT01.pdf``: what the command writes by default and the page sends."""
    area = f"-{area_pcode}" if area_pcode else ""
    return f"situation-report-{month.code}{area}.{chosen}"
