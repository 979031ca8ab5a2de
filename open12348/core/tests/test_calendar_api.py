"""GET /api/v1/calendar/deadline: public, rate-limited, one message per bad field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import yaml
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from open12348.core.apis import DeadlineApi
from open12348.core.calendar_store import calendar_day_set, calendar_year_mark_complete
from open12348.network.apis import PublicRateThrottle
from open12348.network.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/deadline"


@pytest.fixture
def api():
    return APIClient()


def zh(message: str) -> str:
    """What a citizen reads: the message in the project's default language."""
    with translation.override("zh-hans"):
        return gettext(message)


def expected_message(source: str) -> str:
    text = zh(source)
    if "{max_value}" in source:
        return text.format(max_value=3650)
    if "%(first)s" in source:
        return text % {"first": "1990-01-01", "last": "2180-12-31"}
    return text


def test_national_day_2025_without_logging_in(api):
    response = api.get(URL, {"start": "2025-09-26", "days": "7"})

    assert response.status_code == 200, response.content
    assert response.json() == {
        "start": "2025-09-26", "days": 7, "due": "2025-10-09", "calendar_complete": True,
        "moved_over": ["2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"],
    }


def test_a_working_day_end_has_nothing_moved_over(api):
    body = api.get(URL, {"start": "2025-11-03", "days": "7"}).json()
    assert (body["due"], body["moved_over"]) == ("2025-11-10", [])


def test_a_signed_in_session_gets_the_same_answer(api):
    api.force_login(UserFactory())
    assert api.get(URL, {"start": "2025-09-26", "days": "7"}).json()["due"] == "2025-10-09"


def test_a_year_without_data_is_flagged_until_an_administrator_completes_it(api):
    before = api.get(URL, {"start": "2031-09-26", "days": "7"}).json()
    assert (before["due"], before["calendar_complete"]) == ("2031-10-03", False)

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    for offset in range(7):
        calendar_day_set(actor=admin, date=date(2031, 10, 1) + timedelta(offset), kind="holiday", name="国庆节")
    calendar_year_mark_complete(actor=admin, year=2031, source="国办发明电〔2030〕（示例）")

    after = api.get(URL, {"start": "2031-09-26", "days": "7"}).json()
    assert (after["due"], after["calendar_complete"]) == ("2031-10-08", True)


@pytest.mark.parametrize("params,errors", [
    ({}, {"start": "Enter the day the period starts from, as YYYY-MM-DD.",
          "days": "Enter the number of days in the period."}),
    ({"start": "2025-02-30", "days": "7"},
     {"start": "The start date must be a real date written as YYYY-MM-DD, such as 2025-09-26."}),
    ({"start": "26/09/2025", "days": "7"},
     {"start": "The start date must be a real date written as YYYY-MM-DD, such as 2025-09-26."}),
    ({"start": "2025-09-26", "days": "seven"}, {"days": "The number of days must be a whole number, such as 7."}),
    ({"start": "2025-09-26", "days": "7.5"}, {"days": "The number of days must be a whole number, such as 7."}),
    ({"start": "2025-09-26", "days": "7.0"}, {"days": "The number of days must be a whole number, such as 7."}),
    ({"start": "2025-09-26", "days": "-7"}, {"days": "The number of days must be a whole number, such as 7."}),
    ({"start": "2025-09-26", "days": "0"}, {"days": "The number of days must be at least 1."}),
    ({"start": "2025-09-26", "days": "3651"}, {"days": "The number of days can be at most {max_value}."}),
    ({"start": "9999-12-30", "days": "7"}, {"start": "The start date must be between %(first)s and %(last)s."}),
])
def test_bad_input_is_a_400_with_one_message_per_field(api, params, errors):
    response = api.get(URL, params)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["message"]
    assert set(body["fields"]) == set(errors)
    assert body["fields"] == {field: [expected_message(source)] for field, source in errors.items()}


def test_the_longest_allowed_period_answers(api):
    response = api.get(URL, {"start": "2025-09-26", "days": "3650"})
    assert response.status_code == 200
    assert response.json()["calendar_complete"] is False  # ten years on, no data yet


def test_it_is_rate_limited_as_a_public_endpoint(api, monkeypatch):
    assert PublicRateThrottle in DeadlineApi.throttle_classes and DeadlineApi.throttle_scope == "public"
    cache.clear()
    monkeypatch.setattr(PublicRateThrottle, "THROTTLE_RATES", {"public": "2/min"})
    try:
        codes = [api.get(URL, {"start": "2025-09-26", "days": "7"}).status_code for _ in range(3)]
    finally:
        cache.clear()
    assert codes == [200, 200, 429]


def test_the_endpoint_is_documented_with_its_parameters_and_error_shape(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json() if "json" in response["Content-Type"] else yaml.safe_load(response.content)

    get = schema["paths"][URL]["get"]
    params = {p["name"]: p for p in get["parameters"] if p["in"] == "query"}
    assert {"start", "days"} <= set(params)
    assert params["start"]["required"] and params["days"]["required"]
    ok = get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][ok]["properties"]) == {
        "start", "days", "due", "calendar_complete", "moved_over"}
    error = get["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][error]["properties"]) == {"code", "message", "fields"}
