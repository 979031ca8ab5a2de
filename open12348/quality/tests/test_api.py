"""The case quality API: the same rules as the services, in the API's one error shape."""

from __future__ import annotations

import pytest

from open12348.quality.models import Evaluation, Sample, Ticket

from .test_quality import ASSIGNED_ON, CIVIL_FILE_ITEMS, archive, with_hearing
from .test_review import evaluator_in

pytestmark = pytest.mark.django_db


def test_draw_check_grade_and_close_through_the_api(data, clock, client):
    case, hearing = with_hearing(data, clock)
    archive(data, case)
    client.force_login(data["evaluator"])

    drawn = client.post("/api/v1/quality/samples", {
        "centre_ids": [data["centre"].pk], "period_start": str(ASSIGNED_ON), "period_end": str(ASSIGNED_ON),
        "rate": "1", "seed": 5, "peer_review": True}, content_type="application/json")
    assert drawn.status_code == 201, drawn.content
    sample = drawn.json()
    assert (sample["seed"], [c["case"] for c in sample["cases"]]) == (5, [case.pk])

    peer = evaluator_in(data["regions"]["xinhua"], "xh_peer")
    assigned = client.post(f"/api/v1/quality/samples/{sample['id']}/peers", {"reviewers": [peer.pk]},
                           content_type="application/json")
    assert assigned.json()["cases"][0]["reviewer"] == peer.pk

    # Only the assigned peer records the sample's checks; the error names the rule.
    refused = client.post(f"/api/v1/quality/cases/{case.pk}/evaluations", {
        "method": "file_review", "sample": sample["id"], "scores": dict.fromkeys(CIVIL_FILE_ITEMS, 70)},
        content_type="application/json")
    assert (refused.status_code, refused.json()["code"]) == (403, "not_assigned_reviewer")
    client.force_login(peer)
    bad = client.post(f"/api/v1/quality/cases/{case.pk}/evaluations", {
        "method": "file_review", "sample": sample["id"], "scores": {"meeting": 70}}, content_type="application/json")
    assert (bad.status_code, list(bad.json()["fields"])) == (400, ["scores"])
    assert not Evaluation.objects.exists()
    recorded = client.post(f"/api/v1/quality/cases/{case.pk}/evaluations", {
        "method": "file_review", "sample": sample["id"], "scores": dict.fromkeys(CIVIL_FILE_ITEMS, 50)},
        content_type="application/json")
    assert recorded.status_code == 201
    assert recorded.json()["score"] == "50.00"

    client.force_login(data["evaluator"])
    graded = client.post(f"/api/v1/quality/cases/{case.pk}/grade")
    assert graded.json()["grade"] == "不合格"
    tickets = client.get("/api/v1/quality/tickets?status=open").json()
    [ticket] = tickets["results"]
    assert ticket["reason"] == "unqualified_grade"

    client.force_login(data["other_lawyer"].user)  # not the owner, not an evaluator
    assert client.post(f"/api/v1/quality/tickets/{ticket['id']}/close", {"evidence": "已改正"},
                       content_type="application/json").status_code == 404
    client.force_login(data["lawyer"].user)
    closed = client.post(f"/api/v1/quality/tickets/{ticket['id']}/close", {"evidence": "已补充会见笔录"},
                         content_type="application/json")
    assert closed.json()["status"] == "closed"
    assert Ticket.objects.get().status == "closed"


def test_an_evaluator_elsewhere_and_a_lawyer_get_nothing(data, clock, client):
    case, _hearing = with_hearing(data, clock)
    client.force_login(evaluator_in(data["regions"]["xinhua"], "xh_eval"))
    assert client.get(f"/api/v1/quality/cases/{case.pk}/evaluations").status_code == 404
    assert client.post(f"/api/v1/quality/cases/{case.pk}/grade").status_code == 404
    client.force_login(data["lawyer"].user)
    response = client.post("/api/v1/quality/samples", {
        "centre_ids": [data["centre"].pk], "period_start": str(ASSIGNED_ON), "period_end": str(ASSIGNED_ON),
        "rate": "1"}, content_type="application/json")
    assert response.status_code == 403
    assert not Sample.objects.exists()


def test_the_public_sees_only_published_exemplary_cases(client):
    response = client.get("/api/v1/quality/exemplary-cases")
    assert response.status_code == 200
    assert response.json()["results"] == []
