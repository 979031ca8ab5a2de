"""The case API end to end: list, detail with timeline, every action, assignment and suggestions;
errors in the project's shape, 404 for a case that is not yours, 409 on a stale version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.legalaid import services_cases
from open12348.legalaid.choices import CaseStatus as C
from open12348.legalaid.models import Case, Subsidy

from .test_case_views import PHONE, assigned, build_world, closed, granted, in_progress, state

pytestmark = [pytest.mark.django_db, pytest.mark.urls("open12348.legalaid.tests.test_case_views")]

BASE = "/api/v1/legal-aid"


@pytest.fixture
def world():
    return build_world()


def api(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def do(client: Client, case: Case, action: str, **data):
    if action != "progress":
        data.setdefault("version", case.version)
    return post(client, f"{BASE}/cases/{case.pk}/actions/{action}", data)


class TestReads:
    def test_a_lawyer_lists_only_their_own_cases_and_staff_the_area(self, world):
        mine, theirs = assigned(world), assigned(world, lawyer="other_lawyer")
        own = api(world["lawyer"]).get(f"{BASE}/cases").json()
        assert [row["id"] for row in own["results"]] == [mine.pk]
        assert own["results"][0]["next_deadline"]["kind"] == "agreement"
        assert "phone" not in own["results"][0]
        staff = api(world["window_staff"]).get(f"{BASE}/cases").json()
        assert {row["id"] for row in staff["results"]} == {mine.pk, theirs.pk}

    def test_filters_are_checked(self, world):
        response = api(world["director"]).get(f"{BASE}/cases", {"deadline": "someday"})
        assert response.status_code == 400
        assert set(response.json()) >= {"code", "message", "fields"} and "deadline" in response.json()["fields"]

    def test_roles_without_cases_are_refused(self, world):
        response = api(world["evaluator"]).get(f"{BASE}/cases")
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"

    def test_the_detail_has_the_timeline_and_the_lawyer_sees_the_full_phone_audited(self, world):
        case = in_progress(world)
        body = api(world["lawyer"]).get(f"{BASE}/cases/{case.pk}").json()
        assert [e["kind"] for e in body["events"]] == ["assigned", "agreement_signed", "begun"]
        assert body["contact"]["phone"] == PHONE and body["contact"]["phone_full"] is True
        assert "progress" in body["actions"] and "close" in body["actions"]
        assert AuditEvent.objects.filter(action="legalaid.case.view_contact", actor=world["lawyer"]).count() == 1
        masked = api(world["window_staff"]).get(f"{BASE}/cases/{case.pk}").json()
        assert masked["contact"]["phone"] == "138****1234" and masked["actions"] == []

    def test_another_lawyers_case_is_not_found(self, world):
        case = assigned(world, lawyer="other_lawyer")
        client = api(world["lawyer"])
        response = client.get(f"{BASE}/cases/{case.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        before = state(case)
        assert do(client, case, "sign_agreement", signed_on=timezone.localdate().isoformat()).status_code == 404
        assert state(case) == before

    def test_suggestions_list_lawyers_with_score_reasons_and_conflicts(self, world):
        application = granted(world)
        rows = api(world["reviewer"]).get(f"{BASE}/applications/{application.pk}/lawyer-suggestions").json()
        assert {r["lawyer"]["id"] for r in rows} == {world["lawyer_p"].pk, world["other_lawyer_p"].pk}
        assert all(r["reasons"] and isinstance(r["score"], float) and r["conflicts"] == [] for r in rows)
        refused = api(world["window_staff"]).get(f"{BASE}/applications/{application.pk}/lawyer-suggestions")
        assert refused.status_code == 403


class TestAssign:
    def test_assigning_creates_the_case_and_a_second_dispatcher_gets_409(self, world):
        application = granted(world)
        seen = application.version
        response = post(api(world["director"]), f"{BASE}/applications/{application.pk}/assign",
                        {"version": seen, "lawyer": world["lawyer_p"].pk})
        assert response.status_code == 201
        body = response.json()
        assert body["status"] == C.ASSIGNED and body["lawyer"]["id"] == world["lawyer_p"].pk
        second = post(api(world["reviewer"]), f"{BASE}/applications/{application.pk}/assign",
                      {"version": seen, "lawyer": world["other_lawyer_p"].pk})
        assert second.status_code == 409 and second.json()["code"] == "stale_version"
        assert Case.objects.get(application=application).lawyer == world["lawyer_p"]

    def test_a_conflict_is_refused_until_a_reason_is_recorded(self, world):
        first = assigned(world)
        application = granted(world, opposing_party=first.application.applicant.name)
        client = api(world["director"])
        refused = post(client, f"{BASE}/applications/{application.pk}/assign",
                       {"version": application.version, "lawyer": world["lawyer_p"].pk})
        assert refused.status_code == 400
        assert refused.json()["code"] == "conflict_of_interest"
        assert refused.json()["details"]["conflicts"][0]["other_case_number"] == first.number
        assert not Case.objects.filter(application=application).exists()
        done = post(client, f"{BASE}/applications/{application.pk}/assign",
                    {"version": application.version, "lawyer": world["lawyer_p"].pk,
                     "conflict_override": "受援人书面同意"})
        assert done.status_code == 201

    def test_a_lawyer_outside_the_area_is_a_field_error(self, world):
        application = granted(world)
        response = post(api(world["director"]), f"{BASE}/applications/{application.pk}/assign",
                        {"version": application.version, "lawyer": 999999})
        assert response.status_code == 400 and "lawyer" in response.json()["fields"]
        assert not Case.objects.exists()

    def test_only_dispatchers_assign(self, world):
        application = granted(world)
        response = post(api(world["window_staff"]), f"{BASE}/applications/{application.pk}/assign",
                        {"version": application.version, "lawyer": world["lawyer_p"].pk})
        assert response.status_code == 403
        assert not Case.objects.exists()


class TestActions:
    def test_the_whole_path_through_the_api(self, world):
        application = granted(world)
        director, lawyer = api(world["director"]), api(world["lawyer"])
        today = timezone.localdate().isoformat()
        case_id = post(director, f"{BASE}/applications/{application.pk}/assign",
                       {"version": application.version, "lawyer": world["lawyer_p"].pk}).json()["id"]
        case = Case.objects.get(pk=case_id)

        def step(client, action, **data):
            response = do(client, case, action, **data)
            assert response.status_code == 200, response.json()
            case.refresh_from_db()
            return response.json()

        step(lawyer, "sign_agreement", signed_on=today)
        step(lawyer, "begin")
        body = step(lawyer, "progress", kind="hearing", occurred_on=today,
                    hearing_at=f"{today}T09:30:00+08:00", court="卫东区人民法院", courtroom="第三法庭")
        assert body["progress"][0]["court"] == "卫东区人民法院"
        checklist = [item["code"] for item in body["checklist"]]
        body = step(lawyer, "close", how_ended="judgment", ended_on=today, outcome="胜诉", hearings=1,
                    amount_recovered="36000.00", people_aided=3, checklist=checklist)
        assert body["status"] == C.CLOSED and body["closing"]["people_aided"] == 3
        step(director, "archive_review", passed=True, file_rating="合格")
        body = step(director, "pay_subsidy", paid_on=today)
        assert body["status"] == C.SUBSIDY_PAID and body["subsidy"]["status"] == "paid"
        assert Subsidy.objects.get(case=case).paid_on.isoformat() == today

    def test_a_stale_version_is_409_and_changes_nothing(self, world):
        case = assigned(world)
        before = state(case)
        response = do(api(world["lawyer"]), case, "sign_agreement", version=case.version + 1,
                      signed_on=timezone.localdate().isoformat())
        assert response.status_code == 409
        assert response.json()["code"] == "stale_version"
        assert state(case) == before

    def test_a_transition_from_the_wrong_state_is_409(self, world):
        case = assigned(world)
        response = do(api(world["lawyer"]), case, "close", how_ended="judgment",
                      ended_on=timezone.localdate().isoformat(), outcome="x")
        assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
        assert state(case)[0] == C.ASSIGNED

    def test_bad_input_is_400_with_the_field(self, world):
        case = assigned(world)
        response = do(api(world["lawyer"]), case, "sign_agreement")
        assert response.status_code == 400 and "signed_on" in response.json()["fields"]

    @pytest.mark.parametrize(("role", "action", "data"), [
        ("window_staff", "terminate", {"ground": "T5", "report": "撤诉"}),
        ("lawyer", "reassign", {"lawyer": 1, "reason": "x"}),
        ("reviewer", "pay_subsidy", {"paid_on": "2026-01-05"}),
        ("director", "begin", {}),
    ])
    def test_each_role_is_refused_what_is_not_theirs_and_nothing_changes(self, world, role, action, data):
        case = in_progress(world)
        before = state(case)
        response = do(api(world[role]), case, action, **data)
        assert response.status_code == 403
        assert state(case) == before

    def test_termination_objection_and_reassignment(self, world):
        case = in_progress(world)
        terminated = do(api(world["director"]), case, "terminate", ground="T6", report="受援人自行委托律师").json()
        assert terminated["status"] == C.TERMINATED
        case.refresh_from_db()
        objected = do(api(world["window_staff"]), case, "object_termination", reasons="受援人否认自行委托").json()
        assert objected["status"] == C.TERMINATION_OBJECTION
        case.refresh_from_db()
        upheld = do(api(world["bureau_admin"]), case, "decide_objection", correct=False, reasons="查证属实").json()
        assert upheld["status"] == C.TERMINATED

        other = assigned(world)
        moved = do(api(world["director"]), other, "reassign", lawyer=world["other_lawyer_p"].pk,
                   reason="受援人申请更换").json()
        assert moved["lawyer"]["id"] == world["other_lawyer_p"].pk
        assert api(world["lawyer"]).get(f"{BASE}/cases/{other.pk}").status_code == 404

    def test_the_archive_review_refuses_an_incomplete_file(self, world):
        case = closed(world)
        services_cases.archive_review(actor=world["director"], case=case, passed=False, reasons="缺少判决书")
        case.refresh_from_db()
        services_cases.case_resubmit(actor=world["lawyer"], case=case, checklist=[])
        case.refresh_from_db()
        response = do(api(world["director"]), case, "archive_review", passed=True)
        assert response.status_code == 400 and response.json()["code"] == "checklist_incomplete"
        assert state(case)[0] == C.CLOSED
