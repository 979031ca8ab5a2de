"""What the API fuzzing found, pinned by plain tests that fail fast if it comes back (the fuzzing test
itself is in test_fuzz_schemathesis.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from open12348.api.errors import flatten_errors
from open12348.hotline.events import EventError, parse_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


def test_nested_field_errors_are_one_list_per_dotted_name():
    # A dict field's per-key errors used to reach clients as {"scores": {"x": [...]}}, not the documented shape.
    assert flatten_errors({"scores": {"meeting": ["A valid integer is required."]}, "method": ["Required."]}) == {
        "scores.meeting": ["A valid integer is required."], "method": ["Required."]}
    assert flatten_errors({"items": [{}, {"name": ["Required."]}]}) == {"items.1.name": ["Required."]}
    assert flatten_errors(["Not a JSON object."]) == {"non_field_errors": ["Not a JSON object."]}


def test_a_page_size_that_is_not_a_whole_number_is_400_and_a_big_one_is_capped(client):
    for bad in ("abc", "0", "-1", "true", "1.5"):
        response = client.get(f"/api/v1/directory/institutions?page_size={bad}")
        assert (response.status_code, list(response.json()["fields"])) == (400, ["page_size"]), bad
    assert client.get("/api/v1/directory/institutions?page_size=1000").status_code == 200


def test_a_telephony_event_dated_before_2000_is_rejected():
    now = timezone.now()
    with pytest.raises(EventError) as refused:
        parse_event({"call_id": "c", "event_id": "e", "type": "ringing", "at": "0056-10-28T07:34:02+08:00"},
                     tz=dt.UTC, now=now)
    assert "at" in refused.value.errors
    parsed = parse_event({"call_id": "c", "event_id": "e", "type": "ringing", "at": "2026-11-27T10:00:00+08:00"},
                         tz=dt.UTC, now=now)
    assert parsed.at.year == 2026


def test_framework_errors_are_documented_where_they_can_happen(schema):
    staff_list = schema["paths"]["/api/v1/hotline/work-orders"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404"} <= set(staff_list)
    page = staff_list["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert {"count", "results"} <= set(schema["components"]["schemas"][page]["properties"])  # not a bare array
    public_detail = schema["paths"]["/api/v1/directory/institutions/{id}"]["get"]["responses"]
    assert "404" in public_detail and "403" not in public_detail  # anyone may read the directory


def test_an_empty_optional_query_parameter_is_documented_as_allowed(schema):
    parameters = schema["paths"]["/api/v1/legal-aid/cases"]["get"]["parameters"]
    status = next(p for p in parameters if p["name"] == "status")
    assert status["allowEmptyValue"] is True
