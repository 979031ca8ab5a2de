import pytest
from rest_framework.test import APIClient

from open12348.legalaid.tests.factories import MAN

from .conftest import register

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_and_detail_with_region_scope_and_masking(world, django_assert_max_num_queries):
    case = register(world)
    for _ in range(4):
        register(world)
    client = api(world["mediator"])
    with django_assert_max_num_queries(10):
        response = client.get("/api/v1/mediation/disputes")
    assert response.status_code == 200
    body = response.json()
    items = body["results"] if isinstance(body, dict) else body
    assert len(items) == 5
    assert MAN not in response.content.decode() and "13803751234" not in response.content.decode()
    detail = client.get(f"/api/v1/mediation/disputes/{case.pk}").json()
    assert detail["number"] == case.number and detail["facts"] and len(detail["parties"]) == 3
    assert api(world["xinhua_mediator"]).get(f"/api/v1/mediation/disputes/{case.pk}").status_code == 404
    outsider = api(world["xinhua_mediator"]).get("/api/v1/mediation/disputes").json()
    assert (outsider["results"] if isinstance(outsider, dict) else outsider) == []


def test_window_staff_is_refused(world):
    register(world)
    assert api(world["window_staff"]).get("/api/v1/mediation/disputes").status_code == 403
