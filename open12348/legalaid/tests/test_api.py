"""The staff legal aid API: /api/v1/legal-aid/applications and the actions on them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from open12348.audit.models import AuditEvent
from open12348.core.masking import mask_id_number, mask_phone
from open12348.legalaid import services
from open12348.legalaid.choices import ApplicationStatus as S
from open12348.legalaid.models import Application, ApplicationEvent, SupplementRequest

from .factories import MAN, centre_setup, contract_dispute, id_number, wage_claim

pytestmark = pytest.mark.django_db

LIST = "/api/v1/legal-aid/applications"
PHONE = "13803751234"


def detail_url(pk: int) -> str:
    return f"{LIST}/{pk}"


def action_url(pk: int, action: str) -> str:
    return f"{LIST}/{pk}/actions/{action}"


@pytest.fixture
def setup():
    return centre_setup()


@pytest.fixture
def as_user(setup):
    def client_for(role: str) -> APIClient:
        client = APIClient()
        client.force_login(setup[role])
        return client

    return client_for


def body(setup, data: dict | None = None, *, channel: str = "window", **extra) -> dict:
    return {"centre": setup["centre"].pk, "channel": channel, **(data or wage_claim()), **extra}


def notification(setup) -> dict:
    return body(setup, {
        "applicant": {"name": "王小", "id_number": id_number("41040320100101123")},
        "details": {"matter": "CR-N-MINOR", "category": "criminal", "aid_form": "criminal_defence",
                    "stage": "investigation", "cause": "盗窃"},
    }, channel="notification", notifying_organ="public_security", notice_number="卫公通〔2026〕12号")


CHANNEL_EXTRAS = {
    "window": {},
    "online": {},
    "workstation": {"channel_detail": "卫东区总工会法律援助工作站"},
    "hotline": {"channel_detail": "12348热线留言"},
    "duty_lawyer": {"channel_detail": "卫东区人民法院值班律师工作站"},
    "detention_forwarding": {"channel_detail": "平顶山市看守所", "facility_received_at": "2026-05-04T09:00:00+08:00"},
}


def create(client, payload: dict, *, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(LIST, payload, format="json", headers=headers)


def registered(as_user, setup, data=None, **extra) -> dict:
    response = create(as_user("window_staff"), body(setup, data, **extra))
    assert response.status_code == 201, response.content
    return response.json()


def act(client, pk: int, action: str, **payload):
    return client.post(action_url(pk, action), payload, format="json")


def state(pk: int) -> tuple:
    application = Application.objects.get(pk=pk)
    return (application.status, application.version, application.decision,
            ApplicationEvent.objects.filter(application_id=pk).count())


class TestCreate:
    @pytest.mark.parametrize("channel", list(CHANNEL_EXTRAS))
    def test_every_application_channel_registers_a_numbered_application(self, as_user, setup, channel):
        response = create(as_user("window_staff"), body(setup, channel=channel, **CHANNEL_EXTRAS[channel]))
        assert response.status_code == 201, response.content
        created = response.json()
        assert created["number"].startswith("卫法援〔") and created["number"].endswith("号")
        assert created["channel"]["code"] == channel
        assert created["status"]["code"] == S.RECEIVED
        assert created["eligibility"]["eligible"] is True and created["priority"] is True
        assert [d["kind"] for d in created["deadlines"]] == ["review"]
        assert response["Location"] == detail_url(created["id"])
        assert Application.objects.get(pk=created["id"]).channel == channel

    def test_a_notification_is_registered_straight_for_assignment(self, as_user, setup):
        response = create(as_user("window_staff"), notification(setup))
        assert response.status_code == 201, response.content
        created = response.json()
        assert created["status"]["code"] == S.NOTIFIED
        assert created["eligibility"]["economic_review"] == "not_required"
        assert [d["kind"] for d in created["deadlines"]] == ["assignment"]
        assert created["notifying_organ"]["code"] == "public_security"
        assert "review_start" not in created["actions"]

    def test_detention_forwarding_keeps_the_24_hour_clock(self, as_user, setup):
        created = registered(as_user, setup, channel="detention_forwarding",
                             **CHANNEL_EXTRAS["detention_forwarding"])
        assert created["forwarding_due_at"].startswith("2026-05-05T09:00:00")

    def test_an_agent_applies_for_the_applicant(self, as_user, setup):
        agent = {"name": "康母", "id_number": id_number("41040319600101122"), "phone": "13903759999"}
        created = registered(as_user, setup, agent=agent, agent_relationship="母亲")
        assert created["agent"]["name"] == "康母" and created["agent_relationship"] == "母亲"
        assert created["agent"]["id_number_masked"] == mask_id_number(agent["id_number"])

    def test_a_retry_with_the_same_idempotency_key_returns_the_same_application(self, as_user, setup):
        client = as_user("window_staff")
        first = create(client, body(setup), key="8f7c0e52-retry")
        again = create(client, body(setup), key="8f7c0e52-retry")
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        assert first.json()["number"] == again.json()["number"]
        assert Application.objects.count() == 1
        assert AuditEvent.objects.filter(action="legalaid.application.create").count() == 1

    def test_another_users_key_never_returns_someone_elses_application(self, as_user, setup):
        first = create(as_user("window_staff"), body(setup), key="same-key")
        other = create(as_user("reviewer"), body(setup), key="same-key")
        assert other.status_code == 201 and other.json()["id"] != first.json()["id"]

    def test_without_a_key_two_posts_make_two_applications(self, as_user, setup):
        client = as_user("window_staff")
        assert create(client, body(setup)).json()["id"] != create(client, body(setup)).json()["id"]

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            pytest.param({"applicant": {"name": "康建军", "id_number": MAN[:-1] + ("0" if MAN[-1] != "0" else "1")}},
                         "applicant.id_number", id="bad-check-digit"),
            pytest.param({"applicant": {"name": "康建军", "id_number": MAN, "birth_date": "1986-01-01"}},
                         "applicant.birth_date", id="birth-date-contradicts-id"),
            pytest.param({"applicant": {"name": "康建军", "groups": ["pirate"]}}, "applicant.groups.0",
                         id="unknown-group"),
            pytest.param({"household": {"members": 2, "monthly_income": "-5"}}, "household.monthly_income",
                         id="negative-income"),
            pytest.param({"household": {"members": 0, "monthly_income": "100"}}, "household.members",
                         id="no-members"),
            pytest.param({"details": {**wage_claim()["details"], "matter": "CV-99"}}, "details.matter",
                         id="unknown-matter"),
            pytest.param({"details": {**wage_claim()["details"], "aid_form": "magic"}}, "details.aid_form",
                         id="unknown-aid-form"),
            pytest.param({"channel": "carrier_pigeon"}, "channel", id="unknown-channel"),
            pytest.param({"centre": 999999}, "centre", id="unknown-centre"),
            pytest.param({"channel": "notification"}, "category", id="notification-of-a-civil-matter"),
            pytest.param({"channel": "detention_forwarding"}, "facility_received_at",
                         id="forwarding-without-time"),
            pytest.param({"agent": {"name": "某人"}}, "agent_relationship", id="agent-without-relationship"),
        ],
    )
    def test_bad_input_names_its_field_and_saves_nothing(self, as_user, setup, change, field):
        payload = {**body(setup), **change}
        response = create(as_user("window_staff"), payload)
        assert response.status_code == 400, response.content
        error = response.json()
        assert field in error["fields"], error
        assert error["fields"][field][0]
        assert Application.objects.count() == 0

    def test_a_centre_outside_the_users_area_is_refused(self, as_user, setup):
        response = create(as_user("xinhua_reviewer"), body(setup))
        assert response.status_code == 400
        assert response.json()["code"] == "centre_out_of_scope" and "centre" in response.json()["fields"]
        assert Application.objects.count() == 0

    def test_a_role_without_intake_cannot_register(self, as_user, setup):
        response = create(as_user("bureau_admin"), body(setup))
        assert response.status_code == 403
        assert Application.objects.count() == 0

    def test_anonymous_clients_are_refused(self, setup):
        assert APIClient().get(LIST).status_code == 403
        assert APIClient().post(LIST, body(setup), format="json").status_code == 403
        assert Application.objects.count() == 0


class TestReads:
    def test_the_list_is_masked_and_carries_no_private_values(self, as_user, setup):
        registered(as_user, setup)
        response = as_user("reviewer").get(LIST)
        assert response.status_code == 200
        text = response.content.decode()
        assert MAN not in text and PHONE not in text
        row = response.json()["results"][0]
        assert row["applicant"]["id_number_masked"] == mask_id_number(MAN)
        assert row["applicant"]["phone_masked"] == mask_phone(PHONE)
        assert not {"household", "facts", "health_details", "eligibility"} & set(row)
        assert row["days_remaining"] is not None and row["version"] == 1

    def test_the_detail_is_masked_and_shows_what_a_reviewer_needs(self, as_user, setup):
        created = registered(as_user, setup)
        response = as_user("reviewer").get(detail_url(created["id"]))
        text = response.content.decode()
        assert MAN not in text and PHONE not in text and "节日加班" not in text and "2400" not in text
        shown = response.json()
        assert shown["eligibility"]["economic_review"] == "exempt"
        assert shown["has_household"] is True
        assert [e["kind"] for e in shown["events"]] == ["received"]
        assert shown["deadlines"][0]["kind"] == "review"
        assert isinstance(shown["deadlines"][0]["days_remaining"], int)
        assert set(shown["actions"]) == {"review_start", "supplement_request", "decide", "advance_aid", "withdraw"}

    def test_the_notification_without_an_organ_is_refused_on_that_field(self, as_user, setup):
        payload = notification(setup)
        payload["notifying_organ"] = ""
        response = create(as_user("window_staff"), payload)
        assert response.status_code == 400 and list(response.json()["fields"]) == ["notifying_organ"]

    def test_full_values_only_for_private_roles_and_every_read_is_audited(self, as_user, setup):
        created = registered(as_user, setup)
        url = detail_url(created["id"]) + "/private"
        refused = as_user("window_staff").get(url)
        assert refused.status_code == 403 and MAN not in refused.content.decode()
        shown = as_user("reviewer").get(url)
        assert shown.status_code == 200
        assert shown.json()["id_number"] == MAN and shown.json()["household"]["monthly_income"] == "2400.00"
        assert shown["Cache-Control"] == "no-store"
        assert AuditEvent.objects.filter(action="legalaid.application.view_private",
                                         object_id=str(created["id"]), actor=setup["reviewer"]).count() == 1
        assert as_user("xinhua_reviewer").get(url).status_code == 404

    def test_window_staff_are_offered_only_the_actions_they_may_take(self, as_user, setup):
        created = registered(as_user, setup)
        assert set(as_user("window_staff").get(detail_url(created["id"])).json()["actions"]) == {"withdraw"}

    def test_earlier_applications_of_the_same_person_are_shown(self, as_user, setup):
        first = registered(as_user, setup)
        second = registered(as_user, setup)
        shown = as_user("reviewer").get(detail_url(second["id"])).json()
        assert [p["id"] for p in shown["previous_applications"]] == [first["id"]]

    def test_a_reviewer_of_another_county_neither_lists_nor_reads_it(self, as_user, setup):
        created = registered(as_user, setup)
        client = as_user("xinhua_reviewer")
        assert client.get(LIST).json()["count"] == 0
        missing = client.get(detail_url(created["id"]))
        assert missing.status_code == 404
        assert set(missing.json()) == {"code", "message", "fields"}
        before = state(created["id"])
        assert act(client, created["id"], "decide", version=1, decision="grant", reasons="x").status_code == 404
        assert state(created["id"]) == before

    def test_filters_narrow_the_list_and_bad_values_name_the_parameter(self, as_user, setup):
        wage = registered(as_user, setup)
        registered(as_user, setup, contract_dispute())
        client = as_user("reviewer")
        assert [r["id"] for r in client.get(LIST, {"matter": "CV-05"}).json()["results"]] == [wage["id"]]
        assert client.get(LIST, {"queue": "new"}).json()["count"] == 2
        assert client.get(LIST, {"q": wage["number"]}).json()["count"] == 1
        assert client.get(LIST, {"status": S.APPROVED}).json()["count"] == 0
        bad = client.get(LIST, {"status": "lost"})
        assert bad.status_code == 400 and "status" in bad.json()["fields"]

    def test_priority_applications_come_first(self, as_user, setup):
        ordinary = registered(as_user, setup, contract_dispute())
        green = registered(as_user, setup)
        ids = [r["id"] for r in as_user("reviewer").get(LIST).json()["results"]]
        assert ids == [green["id"], ordinary["id"]]

    def test_the_list_costs_the_same_queries_for_2_or_12_rows(self, as_user, setup):
        client = as_user("reviewer")
        for _ in range(2):
            registered(as_user, setup)
        with CaptureQueriesContext(connection) as few:
            assert client.get(LIST).json()["count"] == 2
        for _ in range(10):
            registered(as_user, setup)
        with CaptureQueriesContext(connection) as many:
            assert client.get(LIST).json()["count"] == 12
        assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


class TestDecisionPaths:
    def test_supplement_then_receive_restarts_the_review(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        asked = act(as_user("reviewer"), pk, "supplement_request", version=1, items=["身份证复印件", "工资欠条"],
                    note="请十五日内补交")
        assert asked.status_code == 200, asked.content
        shown = asked.json()
        assert shown["status"]["code"] == S.SUPPLEMENT_REQUESTED and shown["version"] == 2
        assert shown["supplement_requests"][0]["items"] == ["身份证复印件", "工资欠条"]
        assert [d["kind"] for d in shown["deadlines"]] == ["materials"]
        received = act(as_user("window_staff"), pk, "supplement_receive", version=2)
        assert received.status_code == 200, received.content
        assert received.json()["status"]["code"] == S.UNDER_REVIEW
        assert received.json()["supplement_requests"][0]["status"]["code"] == "fulfilled"
        assert [d["kind"] for d in received.json()["deadlines"]] == ["review"]

    def test_materials_not_supplied_in_time_show_as_deemed_withdrawn(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        assert act(as_user("reviewer"), pk, "supplement_request", version=1, items=["工资欠条"]).status_code == 200
        due = SupplementRequest.objects.get(application_id=pk).due
        assert services.supplement_expire(application_id=pk, today=due + dt.timedelta(days=1)) is True
        shown = as_user("reviewer").get(detail_url(pk)).json()
        assert shown["status"]["code"] == S.WITHDRAWN_DEEMED
        assert shown["events"][-1]["kind"] == "deemed_withdrawn"
        assert shown["supplement_requests"][0]["status"]["code"] == "expired"
        assert shown["actions"] == []

    def test_grant(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        client = as_user("reviewer")
        assert act(client, pk, "review_start", version=1).json()["status"]["code"] == S.UNDER_REVIEW
        granted = act(client, pk, "decide", version=2, decision="grant", reasons="符合法律援助条件")
        assert granted.status_code == 200, granted.content
        shown = granted.json()
        assert shown["status"]["code"] == S.APPROVED and shown["decision"]["code"] == "grant"
        assert shown["decided_by"] == str(setup["reviewer"])
        assert [d["kind"] for d in shown["deadlines"]] == ["assignment"]
        kinds = [e["kind"] for e in shown["events"]]
        assert kinds[:3] == ["received", "review_started", "granted"]

    def test_refusal_needs_reasons_and_differing_from_the_check_needs_an_override_reason(self, as_user, setup):
        pk = registered(as_user, setup)["id"]  # the check says eligible
        client = as_user("reviewer")
        no_reasons = act(client, pk, "decide", version=1, decision="refuse", reasons="")
        assert no_reasons.status_code == 400 and list(no_reasons.json()["fields"]) == ["reasons"]
        no_override = act(client, pk, "decide", version=1, decision="refuse", reasons="材料不实")
        assert no_override.status_code == 400 and list(no_override.json()["fields"]) == ["override_reason"]
        assert state(pk)[:2] == (S.RECEIVED, 1)
        refused = act(client, pk, "decide", version=1, decision="refuse", reasons="材料不实",
                      override_reason="经核查提供虚假工资证明")
        assert refused.json()["status"]["code"] == S.REJECTED and refused.json()["decision_override"] is True

    def test_refusal_then_objection_then_correction(self, as_user, setup):
        pk = registered(as_user, setup, contract_dispute())["id"]
        refused = act(as_user("reviewer"), pk, "decide", version=1, decision="refuse", reasons="不属于事项范围")
        assert refused.json()["status"]["code"] == S.REJECTED and refused.json()["actions"] == ["object"]
        objected = act(as_user("window_staff"), pk, "object", version=2, reasons="申请人认为属于法律援助范围")
        assert objected.status_code == 200, objected.content
        shown = objected.json()
        assert shown["status"]["code"] == S.OBJECTION
        objection = shown["objections"][0]
        assert objection["status"]["code"] == "pending" and isinstance(objection["days_remaining"], int)
        assert "objection" in [d["kind"] for d in shown["deadlines"]]

        url = f"/api/v1/legal-aid/objections/{objection['id']}/decide"
        refused_reviewer = as_user("reviewer").post(url, {"correct": True, "reasons": "x"}, format="json")
        assert refused_reviewer.status_code == 403
        assert state(pk)[0] == S.OBJECTION
        decided = as_user("bureau_admin").post(url, {"correct": True, "reasons": "属于事项范围，责令改正"}, format="json")
        assert decided.status_code == 200, decided.content
        assert decided.json()["status"]["code"] == S.APPROVED
        assert decided.json()["objections"][0]["status"]["code"] == "corrected"
        again = as_user("bureau_admin").post(url, {"correct": False, "reasons": "维持"}, format="json")
        assert again.status_code == 409

    def test_advance_aid_then_regularise(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        client = as_user("reviewer")
        too_far = act(client, pk, "advance_aid", version=1, reason="时效将届满",
                      limitation_deadline=(timezone.localdate() + dt.timedelta(days=20)).isoformat())
        assert too_far.status_code == 400 and list(too_far.json()["fields"]) == ["limitation_deadline"]
        close = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        advanced = act(client, pk, "advance_aid", version=1, reason="仲裁时效三日后届满", limitation_deadline=close)
        assert advanced.status_code == 200, advanced.content
        assert advanced.json()["status"]["code"] == S.ADVANCE_AID
        assert {"assignment", "limitation"} <= {d["kind"] for d in advanced.json()["deadlines"]}
        regular = act(as_user("director"), pk, "regularise", version=2, reasons="材料已补齐")
        assert regular.status_code == 200, regular.content
        assert regular.json()["status"]["code"] == S.APPROVED and regular.json()["regularised_at"]

    def test_withdrawal(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        withdrawn = act(as_user("window_staff"), pk, "withdraw", version=1, note="申请人已与用人单位和解")
        assert withdrawn.json()["status"]["code"] == S.WITHDRAWN

    def test_a_notification_is_never_reviewed(self, as_user, setup):
        pk = create(as_user("window_staff"), notification(setup)).json()["id"]
        before = state(pk)
        response = act(as_user("reviewer"), pk, "review_start", version=1)
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"
        assert state(pk) == before

    def test_a_stale_version_is_a_conflict_and_changes_nothing(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        assert act(as_user("reviewer"), pk, "review_start", version=1).status_code == 200
        before = state(pk)
        stale = act(as_user("director"), pk, "decide", version=1, decision="grant", reasons="ok")
        assert stale.status_code == 409
        assert stale.json()["code"] == "stale_version" and stale.json()["message"]
        assert state(pk) == before

    def test_a_stale_version_on_an_objection_is_a_conflict(self, as_user, setup):
        pk = registered(as_user, setup, contract_dispute())["id"]
        act(as_user("reviewer"), pk, "decide", version=1, decision="refuse", reasons="不属于事项范围")
        before = state(pk)
        assert act(as_user("window_staff"), pk, "object", version=1, reasons="异议").status_code == 409
        assert state(pk) == before

    def test_a_missing_version_is_a_400_on_version(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        response = act(as_user("reviewer"), pk, "review_start")
        assert response.status_code == 400 and "version" in response.json()["fields"]


class TestRoles:
    def test_window_staff_cannot_decide_and_nothing_changes(self, as_user, setup):
        pk = registered(as_user, setup)["id"]
        before = state(pk)
        response = act(as_user("window_staff"), pk, "decide", version=1, decision="grant", reasons="符合条件")
        assert response.status_code == 403
        assert set(response.json()) == {"code", "message", "fields"}
        assert state(pk) == before
        assert AuditEvent.objects.filter(action="auth.permission_denied", actor=setup["window_staff"]).exists()

    @pytest.mark.parametrize(
        ("role", "action", "payload", "allowed"),
        [
            ("window_staff", "review_start", {}, False),
            ("window_staff", "supplement_request", {"items": ["x"]}, False),
            ("window_staff", "advance_aid", {"reason": "r", "urgent_measure": True}, False),
            ("bureau_admin", "review_start", {}, False),
            ("bureau_admin", "withdraw", {}, False),
            ("reviewer", "review_start", {}, True),
            ("director", "advance_aid", {"reason": "需要立即申请财产保全", "urgent_measure": True}, True),
            ("window_staff", "withdraw", {}, True),
        ],
    )
    def test_role_by_action(self, as_user, setup, role, action, payload, allowed):
        pk = registered(as_user, setup)["id"]
        before = state(pk)
        response = act(as_user(role), pk, action, version=1, **payload)
        if allowed:
            assert response.status_code == 200, response.content
            assert state(pk) != before
        else:
            assert response.status_code == 403
            assert state(pk) == before

    def test_a_leader_cannot_read_applications(self, setup, as_user):
        from open12348.network.tests.factories import MembershipFactory, UserFactory

        pk = registered(as_user, setup)["id"]
        leader = UserFactory(username="leader")
        MembershipFactory(user=leader, institution=setup["centre"], role="leader")
        client = APIClient()
        client.force_login(leader)
        assert client.get(LIST).status_code == 403
        assert client.get(detail_url(pk)).status_code == 403


def test_the_schema_documents_the_legal_aid_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if "json" in response["Content-Type"] else yaml.safe_load(response.content)
    paths = schema["paths"]
    expected = {
        "/api/v1/legal-aid/eligibility-check": "post",
        "/api/v1/legal-aid/applications": "post",
        "/api/v1/legal-aid/applications/{id}": "get",
        "/api/v1/legal-aid/objections/{id}/decide": "post",
        **{f"/api/v1/legal-aid/applications/{{id}}/actions/{a}": "post" for a in (
            "review_start", "supplement_request", "supplement_receive", "decide", "advance_aid", "regularise",
            "withdraw", "object")},
    }
    for path, method in expected.items():
        assert method in paths[path], path
    precheck = paths["/api/v1/legal-aid/eligibility-check"]["post"]
    assert precheck["security"] == [{}] or not precheck.get("security") or {} in precheck["security"]
    examples = precheck["requestBody"]["content"]["application/json"]["examples"]
    assert len(examples) >= 2
    person = json.dumps(schema["components"]["schemas"]["MaskedPerson"])
    assert "id_number_masked" in person and '"id_number"' not in person and '"phone"' not in person


def test_the_applicants_township_is_taken_by_its_code_and_checked(as_user, setup):
    from open12348.legalaid.models import Application

    client = as_user("window_staff")
    made = create(client, body(setup, residence="410403001"))
    assert made.status_code == 201 and made.json()["residence"] == "410403001"
    assert Application.objects.get(pk=made.json()["id"]).residence == setup["regions"]["weidong_township"]
    before = Application.objects.count()
    for code in ("410402001", "410403001001", "999999999"):  # another county's, a village, no such division
        refused = create(client, body(setup, residence=code))
        assert refused.status_code == 400 and "residence" in refused.json()["fields"], code
    assert Application.objects.count() == before
    assert create(client, body(setup)).json()["residence"] is None  # optional
