"""A NUL character in any API text input is a clear 400 on both databases, never a server error
(pages refuse it through their forms)."""

import pytest

from tests.conftest import session_client, token_client


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/events?event_type=x%00y",
        "/api/events/stats?actor=x%00y",
        "/api/events/export?format=csv&pcode=x%00y",
        "/api/geo/control/share?area=x%00y",
    ],
)
def test_a_nul_in_a_parameter_is_refused_by_name(alice, url):
    for client in (token_client(alice), session_client(alice)):
        response = client.get(url)
        assert response.status_code == 400
        assert "NUL character" in response.json()["detail"]


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_refused_by_the_schema(alice):
    response = token_client(alice).post(
        "/api/events/1/verification", '{"state": "corroborated", "note": "x\\u0000y"}', content_type="application/json"
    )
    assert response.status_code == 422  # the schema names the field


@pytest.mark.django_db
def test_an_anonymous_caller_is_refused_before_anything_is_checked(anonymous):
    assert anonymous.get("/api/events?event_type=x%00y").status_code == 401
    assert anonymous.get("/events/?actor=x%00y").status_code == 302
