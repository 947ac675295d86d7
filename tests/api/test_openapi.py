import pytest

from tests.conftest import session_client, token_client

pytestmark = pytest.mark.django_db


def test_the_openapi_document_describes_every_operation(alice):
    schema = token_client(alice).get("/api/openapi.json").json()
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert {op["operationId"] for op in operations} >= {"forces_strength", "forces_timeline", "geo_areas"}
    for operation in operations:
        assert operation.get("summary"), f"{operation['operationId']} has no summary"
        assert operation.get("description"), f"{operation['operationId']} has no description"
        assert operation.get("security"), f"{operation['operationId']} has no security requirement"


def test_the_docs_page_is_served_without_a_cdn(alice):
    html = session_client(alice).get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html


@pytest.mark.refused("api:openapi-json")
def test_the_openapi_document_needs_a_caller(anonymous, roleless):
    assert anonymous.get("/api/openapi.json").status_code == 401
    assert session_client(roleless).get("/api/openapi.json").status_code == 401


@pytest.mark.refused("api:openapi-view")
def test_the_docs_page_needs_a_caller(anonymous, roleless):
    assert anonymous.get("/api/docs").status_code == 401
    assert session_client(roleless).get("/api/docs").status_code == 401


@pytest.mark.refused("api:api-root")
def test_the_api_root_reveals_nothing(anonymous, charlie):
    for client in (anonymous, token_client(charlie)):
        response = client.get("/api/", follow=True)
        assert response.status_code == 404
        assert "forces" not in response.content.decode()


def test_the_api_does_not_accept_undeclared_methods(alice):
    client = token_client(alice)
    assert client.post("/api/forces/strength").status_code == 405
    assert client.delete("/api/forces/timeline").status_code == 405
