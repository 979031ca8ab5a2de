"""The public eligibility pre-check: POST /api/v1/legal-aid/eligibility-check."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from rest_framework.test import APIClient

from open12348.audit.models import AuditEvent
from open12348.legalaid.apis import PrecheckRateThrottle
from open12348.network.tests.factories import UserFactory, pingdingshan

from .factories import WOMAN_ELDERLY, id_number

pytestmark = pytest.mark.django_db

URL = "/api/v1/legal-aid/eligibility-check"
DATE = "2026-03-02"


@pytest.fixture(autouse=True)
def _regions_and_a_fresh_throttle():
    pingdingshan()
    cache.clear()  # throttle history lives in the cache
    yield
    cache.clear()


@pytest.fixture
def client():
    # CSRF checks on, as a browser would have them: the pre-check must still work without a token.
    return APIClient(enforce_csrf_checks=True)


def check(client, body):
    return client.post(URL, body, format="json")


def codes(answer) -> list[str]:
    return [rule["code"] for rule in answer["rules"]]


def wage_claim(**overrides):
    body = {"matter": "CV-05", "subtype": "wages", "region": "410403", "date": DATE,
            "applicant": {"groups": ["migrant_worker"]}}
    return {**body, **overrides}


class TestAnswers:
    def test_a_migrant_workers_wage_claim_is_exempt_and_prioritised(self, client):
        response = check(client, wage_claim())
        assert response.status_code == 200, response.content
        answer = response.json()
        assert (answer["in_scope"], answer["economic_review"], answer["eligible"], answer["priority"]) == (
            True, "exempt", True, True)
        assert {"CV-05", "EX-03", "GC-MIGRANT"} <= set(codes(answer))
        assert answer["threshold"] is None
        gc = next(rule for rule in answer["rules"] if rule["code"] == "GC-MIGRANT")
        assert "priority" in gc["effects"] and gc["source"]
        assert response["Cache-Control"] == "no-store"

    def test_a_notified_minor_needs_no_economic_review(self, client):
        response = check(client, {"matter": "CR-N-MINOR", "region": "410403", "date": DATE,
                                  "applicant": {"id_number": id_number("41040320100101123")}})
        answer = response.json()
        assert response.status_code == 200
        assert answer["in_scope"] is True and answer["eligible"] is True
        assert answer["economic_review"] == "not_required"
        assert codes(answer)[0] == "CR-N-MINOR"
        assert "not_required" in answer["rules"][0]["effects"]

    def test_an_ordinary_contract_dispute_is_out_of_scope(self, client):
        answer = check(client, {"matter": "CV-OTHER", "region": "410402", "date": DATE,
                                "household": {"members": 2, "monthly_income": "800"}}).json()
        assert (answer["in_scope"], answer["eligible"], answer["priority"]) == (False, False, False)
        assert [(r["code"], r["effects"]) for r in answer["rules"]] == [("CV-OTHER", ["out_of_scope"])]

    def test_without_a_household_the_economic_test_is_unknown(self, client):
        answer = check(client, {"matter": "CV-04", "region": "410402", "date": DATE}).json()
        assert answer["in_scope"] is True
        assert answer["economic_review"] == "unknown" and answer["eligible"] is None
        assert "ECON-UNKNOWN" in codes(answer)

    def test_the_income_test_uses_the_local_standard_per_member(self, client):
        poor = check(client, {"matter": "CV-04", "region": "410402", "date": DATE,
                              "household": {"members": 3, "monthly_income": "1500"}}).json()
        rich = check(client, {"matter": "CV-04", "region": "410402", "date": DATE,
                              "household": {"members": 1, "monthly_income": 90000}}).json()
        assert (poor["economic_review"], poor["eligible"]) == ("passed", True)
        assert (rich["economic_review"], rich["eligible"]) == ("failed", False)
        assert rich["threshold"]["region"].startswith("41") and float(rich["threshold"]["amount"]) > 0

    def test_age_from_the_id_number_opens_the_elderly_green_channel(self, client):
        answer = check(client, {"matter": "CV-04", "region": "410402", "date": DATE,
                                "applicant": {"id_number": WOMAN_ELDERLY}}).json()
        assert answer["economic_review"] == "exempt" and answer["eligible"] is True
        assert "GC-ELDERLY" in codes(answer)


class TestBadInput:
    @pytest.mark.parametrize(
        ("body", "field", "code"),
        [
            pytest.param(wage_claim(matter="CV-99"), "matter", "unknown_matter", id="unknown-matter"),
            pytest.param(wage_claim(applicant={"id_number": "41040319850317123"}), "applicant.id_number",
                         "invalid_id_number", id="id-17-digits"),
            pytest.param(wage_claim(applicant={"id_number": "410403198513171234"}), "applicant.id_number",
                         "invalid_id_number", id="id-month-13"),
            pytest.param(wage_claim(household={"members": 2, "monthly_income": "-1"}), "household.monthly_income",
                         "negative_amount", id="negative-income"),
            pytest.param(wage_claim(household={"members": 0, "monthly_income": "100"}), "household.members",
                         "invalid_members", id="no-members"),
            pytest.param(wage_claim(region="419999"), "region", "unknown_region", id="unknown-region"),
            pytest.param(wage_claim(region="41O4"), "region", "invalid_region", id="malformed-region"),
            pytest.param(wage_claim(date="02/03/2026"), "date", "invalid_date", id="malformed-date"),
            pytest.param(wage_claim(subtype="shipwreck"), "subtype", "unknown_subtype", id="unknown-subtype"),
        ],
    )
    def test_each_bad_field_is_named_with_its_own_message(self, client, body, field, code):
        response = check(client, body)
        assert response.status_code == 400
        error = response.json()
        assert error["code"] == "invalid" and error["message"]
        assert list(error["fields"]) == [field]
        assert error["fields"][field][0]
        assert error["details"][field][0]["code"] == code

    def test_every_problem_is_reported_at_once(self, client):
        body = {"matter": "CV-99", "region": "419999", "date": DATE,
                "applicant": {"id_number": "123"}, "household": {"members": 0, "monthly_income": "-5"}}
        error = check(client, body).json()
        assert set(error["fields"]) == {"matter", "region", "applicant.id_number", "household.members",
                                        "household.monthly_income"}
        messages = [m for field_messages in error["fields"].values() for m in field_messages]
        assert len(set(messages)) == len(messages)  # a message specific to each field

    def test_a_body_that_is_not_an_object_is_refused(self, client):
        response = check(client, ["CV-05"])
        assert response.status_code == 400
        assert "non_field_errors" in response.json()["fields"]

    def test_malformed_json_is_a_400_in_the_project_shape(self, client):
        response = client.post(URL, "{not json", content_type="application/json")
        assert response.status_code == 400
        assert set(response.json()) >= {"code", "message", "fields"}


def test_it_stores_nothing_and_audits_nothing(client):
    models = [*apps.get_app_config("legalaid").get_models(), AuditEvent]
    before = {m.__name__: m.objects.count() for m in models}
    assert check(client, wage_claim(applicant={"id_number": id_number("41040319850317123"),
                                               "groups": ["migrant_worker"]},
                                    household={"members": 3, "monthly_income": "2400"})).status_code == 200
    assert check(client, wage_claim(matter="CV-99")).status_code == 400
    assert {m.__name__: m.objects.count() for m in models} == before


def test_no_login_is_needed_and_a_staff_session_changes_nothing(client):
    assert check(client, wage_claim()).status_code == 200
    client.force_login(UserFactory(username="someone"))
    assert check(client, wage_claim()).status_code == 200  # no CSRF token needed either


def test_requests_over_the_rate_get_429(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "precheck": "3/min"}}
    statuses = [check(client, wage_claim()).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = check(client, wage_claim())
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled" and refused.json()["message"]
    assert int(refused["Retry-After"]) > 0


def test_the_rate_falls_back_to_30_a_minute_when_the_settings_name_none(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"public": "120/min"}}
    throttle = PrecheckRateThrottle()
    throttle.scope = "precheck"
    assert throttle.get_rate() == "30/min"
