"""Gzip for data, scripts and styles: what a poor link spends most of its bytes on.

HTML pages are left alone. They carry the CSRF token and text a request can echo, the pairing
the BREACH attack needs; they are also the smallest part of a page load (the Overview's HTML is
about 12 kB, its map library and data several hundred). JSON, GeoJSON, SVG, CSV, GPX, scripts
and styles are compressed whether the app or WhiteNoise serves them; Django's GZipMiddleware
adds its random padding to every compressed body.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSED_TYPES = frozenset(
    {
        "application/json",
        "application/geo+json",
        "application/gpx+xml",
        "application/javascript",
        "image/svg+xml",
        "text/css",
        "text/csv",
        "text/javascript",
    }
)


class CompressDataMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        kind = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind not in COMPRESSED_TYPES:
            return response
        return super().process_response(request, response)
