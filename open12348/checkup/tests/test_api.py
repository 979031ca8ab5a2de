"""The read-only visits API: the user's region only, the check-list, no named worker."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import visited, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return world()


def get(user, url, **params):
    client = Client()
    client.force_login(user)
    return client.get(url, params)


def test_visits_of_my_region_with_their_check_list(data, django_assert_max_num_queries):
    visit = visited(data)
    visited(data, n=2, actor=data["city_admin"], region=data["regions"]["xinhua_township"])
    body = get(data["bureau_admin"], "/api/v1/checkups/visits").json()
    assert [r["id"] for r in body["results"]] == [visit.pk]
    row = body["results"][0]
    assert row["status"] == "visited" and row["workers_interviewed"] == 12 and row["opinion_issued"] is True
    assert {f["kind"] for f in row["findings"] if f["found"]} == {"written_contract", "wages_on_time"}
    assert "康建军" not in str(body)
    assert len(get(data["city_admin"], "/api/v1/checkups/visits").json()["results"]) == 2
    client = Client()
    client.force_login(data["city_admin"])
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/checkups/visits")
    for n in range(3, 7):
        visited(data, n=n, name=f"平顶山市第{n}建筑有限公司")
    with django_assert_max_num_queries(len(few)):
        assert len(client.get("/api/v1/checkups/visits").json()["results"]) == 6
    assert get(data["xinhua_admin"], f"/api/v1/checkups/visits/{visit.pk}").status_code == 404
    assert get(data["bureau_admin"], f"/api/v1/checkups/visits/{visit.pk}").json()["credit_code"] == visit.enterprise.credit_code
    assert get(data["window_staff"], "/api/v1/checkups/visits").status_code == 403
