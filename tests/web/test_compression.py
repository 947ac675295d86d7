"""Data, scripts and styles travel gzipped to a browser that accepts it; HTML pages never do."""

import gzip
import json

import pytest

from tests.conftest import session_client

pytestmark = pytest.mark.django_db

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_api_json_is_gzipped_and_still_reads_the_same(alice):
    client = session_client(alice)
    plain = client.get("/api/dashboard/trend", {"until": "2024-06-30"})
    packed = client.get("/api/dashboard/trend", {"until": "2024-06-30"}, headers=GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert json.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 3


def test_scripts_styles_and_charts_are_gzipped(alice):
    client = session_client(alice)
    for path in ("/static/leaflet/leaflet.js", "/static/dashboard/dashboard.css", "/dashboard/trend.svg"):
        response = client.get(path, headers=GZIP)
        assert response.status_code == 200, path
        assert response["Content-Encoding"] == "gzip", path
        body = response.getvalue()  # the whole body, streamed (static files) or not
        assert gzip.decompress(body), path


def test_html_pages_are_never_compressed(alice):
    response = session_client(alice).get("/", headers=GZIP)
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Encoding" not in response
