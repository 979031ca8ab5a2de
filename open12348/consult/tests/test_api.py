"""The consultation API: same services, same permissions, same error shape as the console."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from open12348.consult import services
from open12348.consult.choices import FollowUpStatus, QuestionStatus
from open12348.consult.models import FollowUp
from open12348.consult.services_ratings import rating_submit

from .factories import ASKER, answered, ask

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_queue_and_answering(data):
    question = ask(data["regions"]["weidong"])
    ask(data["regions"]["xinhua"])
    client = api(data["weidong_lawyer"])
    listing = client.get("/api/v1/consult/questions").json()
    assert [row["tracking_code"] for row in listing["results"]] == [question.tracking_code]
    detail = client.get(f"/api/v1/consult/questions/{question.pk}").json()
    assert detail["phone_masked"] == "138****1234" and "工资" in detail["text"] and detail["replies"] == []
    answered_ = client.post(f"/api/v1/consult/questions/{question.pk}/answer",
                            {"text": "可以申请劳动仲裁，仲裁不收费。", "version": detail["version"]}, format="json")
    assert answered_.status_code == 200 and answered_.json()["status"] == QuestionStatus.ANSWERED
    stale = client.post(f"/api/v1/consult/questions/{question.pk}/answer",
                        {"text": "用旧版本号再答一次的内容。", "version": detail["version"]}, format="json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"


def test_refusals_change_nothing(data):
    question = ask(data["regions"]["weidong"])
    body = {"text": "不该被保存的答复内容，十个字以上。"}
    assert api().get("/api/v1/consult/questions").status_code == 403
    assert api(data["window"]).post(f"/api/v1/consult/questions/{question.pk}/answer", body,
                                    format="json").status_code == 403
    assert api(data["xinhua_lawyer"]).post(f"/api/v1/consult/questions/{question.pk}/answer", body,
                                           format="json").status_code == 404
    short = api(data["weidong_lawyer"]).post(f"/api/v1/consult/questions/{question.pk}/answer", {"text": "去仲裁"},
                                             format="json")
    assert short.status_code == 400 and "text" in short.json()["fields"]
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING and not question.replies.exists()


def test_the_library_is_public(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    services.library_publish(actor=data["supervisor"], question=question, title="工资问题", category="labour",
                             question_text="老板不给工资。", answer_text="可以申请劳动仲裁。", checked=True)
    found = api().get("/api/v1/consult/library", {"q": "仲裁"}).json()
    assert [row["title"] for row in found["results"]] == ["工资问题"]
    assert api().get("/api/v1/consult/library", {"category": "nope"}).status_code == 400


def test_follow_ups(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating_submit(phone=ASKER, subject=question, level=1, comment="没解决")
    follow_up = FollowUp.objects.get()
    listing = api(data["weidong_admin"]).get("/api/v1/consult/follow-ups").json()
    assert listing["results"][0]["subject_ref"] == question.tracking_code
    assert listing["results"][0]["phone_masked"] == "138****1234"
    assert api(data["weidong_lawyer"]).get("/api/v1/consult/follow-ups").status_code == 403
    assert api(data["xinhua_director"]).post(f"/api/v1/consult/follow-ups/{follow_up.pk}/close",
                                             {"outcome": "resolved", "note": "已联系并解释"},
                                             format="json").status_code == 404
    done = api(data["weidong_admin"]).post(f"/api/v1/consult/follow-ups/{follow_up.pk}/close",
                                           {"outcome": "resolved", "note": "已联系并解释"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == FollowUpStatus.DONE
