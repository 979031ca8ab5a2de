"""The OpenAPI document and its browsable docs."""

import pytest
import yaml

pytestmark = pytest.mark.django_db

DIRECTORY_PATHS = {
    "/api/v1/directory/institutions": {"q", "region", "kind", "service", "page", "page_size"},
    "/api/v1/directory/practitioners": {"q", "region", "kind", "specialty", "institution", "page", "page_size"},
    "/api/v1/directory/service-points": {"q", "region", "kind", "service", "page", "page_size"},
    "/api/v1/regions": {"parent"},
}


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json() if "json" in response["Content-Type"] else yaml.safe_load(response.content)


def test_schema_loads_and_lists_the_directory(schema):
    assert schema["openapi"].startswith("3.")
    for path in [*DIRECTORY_PATHS, "/api/v1/directory/institutions/{id}", "/api/v1/directory/practitioners/{id}"]:
        assert "get" in schema["paths"][path], path


@pytest.mark.parametrize("path,params", DIRECTORY_PATHS.items())
def test_query_parameters_are_documented(schema, path, params):
    documented = {p["name"] for p in schema["paths"][path]["get"]["parameters"] if p["in"] == "query"}
    assert params <= documented


def test_kind_is_an_enum_and_errors_have_the_project_shape(schema):
    get = schema["paths"]["/api/v1/directory/practitioners"]["get"]
    kind = next(p for p in get["parameters"] if p["name"] == "kind")
    assert "lawyer" in kind["schema"]["enum"]
    error_ref = get["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    error = schema["components"]["schemas"][error_ref.rsplit("/", 1)[-1]]
    assert set(error["properties"]) == {"code", "message", "fields"}


def test_public_fields_only_in_the_practitioner_schema(schema):
    detail_ref = schema["paths"]["/api/v1/directory/practitioners/{id}"]["get"]["responses"]["200"]
    name = detail_ref["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    fields = set(schema["components"]["schemas"][name]["properties"])
    assert "name" in fields and "institution" in fields
    assert not fields & {"id_number", "id_number_hash", "mobile", "mobile_hash"}


def test_swagger_ui_renders_from_the_vendored_sidecar(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "swagger-ui" in body.lower()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in body
    assert "cdn.jsdelivr.net" not in body
