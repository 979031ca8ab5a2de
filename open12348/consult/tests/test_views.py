"""The staff console: queue, answering, publishing, follow-ups; who may open what; queries per list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.consult.choices import FollowUpStatus, QuestionStatus
from open12348.consult.models import FollowUp, LibraryEntry
from open12348.consult.services_ratings import rating_submit

from .factories import ASKER, answered, ask

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_queue_shows_the_lawyers_region_only_nearest_due_first(data):
    mine = ask(data["regions"]["weidong"])
    other = ask(data["regions"]["xinhua"])
    page = signed_in(data["weidong_lawyer"]).get(reverse("consult:queue"))
    assert page.status_code == 200
    html = page.content.decode()
    assert mine.tracking_code in html and other.tracking_code not in html
    both = signed_in(data["supervisor"]).get(reverse("consult:queue")).content.decode()
    assert mine.tracking_code in both and other.tracking_code in both


def test_the_queue_costs_the_same_queries_for_3_or_25_questions(data, django_assert_max_num_queries):
    client = signed_in(data["supervisor"])
    for _ in range(3):
        ask(data["regions"]["weidong"], phone="13800000001")
    client.get(reverse("consult:queue"))  # warm the per-process caches (calendar, scope)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("consult:queue"))
    for index in range(22):
        ask(data["regions"]["xinhua"], phone=f"1380000{index + 100:04d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("consult:queue")).status_code == 200


@pytest.mark.parametrize("who", ["window", "xinhua_director"])
def test_staff_without_the_capability_are_refused(data, who):
    question = ask(data["regions"]["weidong"])
    client = signed_in(data[who])
    assert client.get(reverse("consult:queue")).status_code == 403
    response = client.post(reverse("consult:question", args=[question.pk]),
                           {"action": "answer", "text": "不该被保存的答复内容，十个字以上。", "version": question.version})
    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING and not question.replies.exists()
    assert AuditEvent.objects.filter(action="auth.permission_denied", actor=data[who]).exists()


def test_anonymous_visitors_are_sent_to_sign_in(data):
    response = Client().get(reverse("consult:queue"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_lawyer_of_another_district_gets_not_found(data):
    question = ask(data["regions"]["weidong"])
    client = signed_in(data["xinhua_lawyer"])
    assert client.get(reverse("consult:question", args=[question.pk])).status_code == 404
    response = client.post(reverse("consult:question", args=[question.pk]),
                           {"action": "answer", "text": "不该被保存的答复内容，十个字以上。", "version": question.version})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING


def test_reading_a_question_is_audited_and_answering_moves_it_on(data):
    question = ask(data["regions"]["weidong"], text="我的电话13912345678，老板不给工资怎么办？")
    client = signed_in(data["weidong_lawyer"])
    page = client.get(reverse("consult:question", args=[question.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "老板不给工资" in html and "138****1234" in html and ASKER not in html
    assert AuditEvent.objects.filter(action="consult.question.view", object_id=str(question.pk)).count() == 1
    response = client.post(reverse("consult:question", args=[question.pk]),
                           {"action": "answer", "text": "可以申请劳动仲裁，仲裁不收费。", "version": question.version})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED


def test_a_short_answer_is_refused_at_its_field_and_kept(data):
    question = ask(data["regions"]["weidong"])
    response = signed_in(data["weidong_lawyer"]).post(
        reverse("consult:question", args=[question.pk]), {"action": "answer", "text": "去仲裁", "version": question.version})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="text"' in html and "去仲裁" in html
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING


def test_a_stale_answer_form_is_a_conflict(data):
    question = ask(data["regions"]["weidong"])
    client = signed_in(data["weidong_lawyer"])
    stale = question.version
    client.post(reverse("consult:question", args=[question.pk]),
                {"action": "answer", "text": "第一份答复，可以申请仲裁。", "version": stale})
    response = signed_in(data["supervisor"]).post(
        reverse("consult:question", args=[question.pk]),
        {"action": "answer", "text": "第二份答复，同时写的内容。", "version": stale})
    assert response.status_code == 409
    assert question.replies.count() == 1


def test_publishing_starts_from_scrubbed_texts(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    question.text = "我叫张三，电话13912345678，老板拖欠工资怎么办？"
    question.save(update_fields=["text"])
    client = signed_in(data["weidong_admin"])
    page = client.get(reverse("consult:publish", args=[question.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    form_part = html[html.index('name="question_text"'):html.index('name="checked"')]
    assert "13912345678" not in form_part and "[电话]" in form_part and "张某" in form_part
    response = client.post(reverse("consult:publish", args=[question.pk]), {
        "title": "老板拖欠工资怎么办？", "category": "labour", "question_text": "我叫张某，老板拖欠工资怎么办？",
        "answer_text": "可以申请劳动仲裁。", "checked": "on"})
    assert response.status_code == 302
    assert LibraryEntry.objects.get().question == question
    assert signed_in(data["weidong_lawyer"]).get(reverse("consult:publish", args=[question.pk])).status_code == 403


def test_publishing_with_a_phone_left_in_keeps_the_edits(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    response = signed_in(data["supervisor"]).post(reverse("consult:publish", args=[question.pk]), {
        "title": "工资问题", "category": "labour", "question_text": "请打我电话13912345678",
        "answer_text": "可以申请劳动仲裁。", "checked": "on"})
    assert response.status_code == 400
    assert "请打我电话13912345678" in response.content.decode()
    assert not LibraryEntry.objects.exists()


def test_follow_ups_list_detail_phone_and_close(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating = rating_submit(phone=ASKER, subject=question, level=1, comment="没解决")
    follow_up = FollowUp.objects.get(rating=rating)
    client = signed_in(data["weidong_admin"])
    listing = client.get(reverse("consult:followups")).content.decode()
    assert question.tracking_code in listing
    detail = client.get(reverse("consult:followup", args=[follow_up.pk])).content.decode()
    assert "138****1234" in detail and ASKER not in detail
    shown = client.post(reverse("consult:followup", args=[follow_up.pk]), {"action": "phone"}).content.decode()
    assert f"tel:{ASKER}" in shown
    bad = client.post(reverse("consult:followup", args=[follow_up.pk]), {"action": "close", "note": "已联系"})
    assert bad.status_code == 400
    done = client.post(reverse("consult:followup", args=[follow_up.pk]),
                       {"action": "close", "outcome": "resolved", "note": "已电话联系并解释。"})
    assert done.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE
    assert signed_in(data["xinhua_director"]).get(reverse("consult:followup", args=[follow_up.pk])).status_code == 404
    assert signed_in(data["weidong_lawyer"]).get(reverse("consult:followups")).status_code == 403


def test_the_follow_up_list_costs_the_same_queries_for_1_or_12(data, django_assert_max_num_queries):
    client = signed_in(data["supervisor"])

    def dissatisfied(phone):
        question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=phone)
        rating_submit(phone=phone, subject=question, level=1)

    dissatisfied("13800000001")
    client.get(reverse("consult:followups"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("consult:followups"))
    for index in range(11):
        dissatisfied(f"1380000{index + 100:04d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("consult:followups")).status_code == 200
