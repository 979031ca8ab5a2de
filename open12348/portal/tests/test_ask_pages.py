"""Asking a lawyer on the portal: the form, the question's page, follow-ups, and the Q&A library."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse

from open12348.consult import services as consult
from open12348.consult.choices import QuestionStatus
from open12348.consult.models import Question
from open12348.consult.tests.factories import answered, ask, world
from open12348.notifications import backends

from .support import OTHER_PHONE, PHONE, citizen_client

pytestmark = pytest.mark.django_db

FORM = {"category": "labour", "region": "410403", "text": "老板拖欠我三个月工资，我该怎么办？", "wants_public": "no",
        "submit_token": "form-token-1"}


@pytest.fixture
def data(db):
    return world()


def test_asking_sends_the_citizen_to_the_questions_page_with_its_code(data):
    client = citizen_client()
    form = client.get(reverse("portal:ask")).content.decode()
    assert 'value="410403"' in form and 'name="submit_token"' in form
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("portal:ask"), FORM)
    question = Question.objects.get()
    assert response["Location"] == reverse("portal:question", args=[question.tracking_code])
    assert question.region == data["regions"]["weidong"] and question.wants_public is False
    page = client.get(response["Location"]).content.decode()
    assert question.tracking_code in page and "老板拖欠我三个月工资" in page
    assert 'data-poll-url="' in page
    assert [m.to for m in backends.outbox] == [PHONE]


def test_sending_the_form_twice_makes_one_question(data):
    client = citizen_client()
    client.post(reverse("portal:ask"), FORM)
    client.post(reverse("portal:ask"), FORM)
    assert Question.objects.count() == 1


@pytest.mark.parametrize(("change", "field"), [
    ({"category": ""}, "category"),
    ({"category": "astrology"}, "category"),
    ({"region": ""}, "region"),
    ({"region": "110101"}, "region"),
    ({"text": "工资"}, "text"),
    ({"text": ""}, "text"),
    ({"wants_public": "maybe"}, "wants_public"),
])
def test_bad_input_is_explained_at_its_field_and_the_rest_is_kept(data, change, field):
    response = citizen_client().post(reverse("portal:ask"), {**FORM, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert f'href="#id_{field}_field"' in html  # the summary at the top links to it
    typed = {**FORM, **change}["text"]
    if typed:
        assert typed in html
    assert not Question.objects.exists()


def test_an_attachment_that_is_not_a_picture_or_document_is_refused_at_its_field(data):
    upload = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")
    response = citizen_client().post(reverse("portal:ask"), {**FORM, "attachment": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_attachment_error"' in html and "老板拖欠我三个月工资" in html
    assert not Question.objects.exists()


def test_a_picture_is_kept_and_only_the_asker_downloads_it(data):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    client = citizen_client()
    client.post(reverse("portal:ask"), {**FORM, "attachment": SimpleUploadedFile("合同.png", png)})
    question = Question.objects.get()
    attachment = question.attachments.get()
    url = reverse("portal:question_attachment", args=[question.tracking_code, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert citizen_client(OTHER_PHONE).get(url).status_code == 404


def test_someone_elses_question_is_not_found(data):
    question = ask(data["regions"]["weidong"], phone=PHONE)
    other = citizen_client(OTHER_PHONE)
    assert other.get(reverse("portal:question", args=[question.tracking_code])).status_code == 404
    assert other.get(reverse("portal:question_version", args=[question.tracking_code])).status_code == 404
    response = other.post(reverse("portal:question_withdraw", args=[question.tracking_code]))
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING


def test_the_page_polls_a_version_that_moves_when_the_lawyer_answers(data):
    question = ask(data["regions"]["weidong"], phone=PHONE)
    client = citizen_client()
    url = reverse("portal:question_version", args=[question.tracking_code])
    before = client.get(url).json()
    consult.question_answer(actor=data["weidong_lawyer"], question=question, text="可以申请劳动仲裁，仲裁不收费。")
    after = client.get(url).json()
    assert after["version"] > before["version"] and after["status"] == "answered"
    page = client.get(reverse("portal:question", args=[question.tracking_code])).content.decode()
    assert "可以申请劳动仲裁" in page and "data-poll-url" not in page
    assert reverse("portal:rate") in page


def test_following_up_closing_and_withdrawing_from_the_page(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    client = citizen_client()
    url = reverse("portal:question_follow_up", args=[question.tracking_code])
    bad = client.post(url, {"text": ""})
    assert bad.status_code == 400 and 'id="id_text_error"' in bad.content.decode()
    client.post(url, {"text": "仲裁要去哪里申请？"})
    question.refresh_from_db()
    assert question.status == QuestionStatus.WAITING
    client.post(reverse("portal:question_withdraw", args=[question.tracking_code]))
    question.refresh_from_db()
    assert question.status == QuestionStatus.WITHDRAWN
    again = client.post(reverse("portal:question_close", args=[question.tracking_code]))
    assert again.status_code == 302  # refused politely, with a message on the question's page
    question.refresh_from_db()
    assert question.status == QuestionStatus.WITHDRAWN


def test_finding_a_question_by_its_tracking_code(data):
    question = ask(data["regions"]["weidong"], phone=PHONE)
    client = citizen_client()
    spaced = f"{question.tracking_code[:3]} {question.tracking_code[3:6]} {question.tracking_code[6:]}"
    response = client.post(reverse("portal:question_find"), {"code": spaced})
    assert response["Location"] == reverse("portal:question", args=[question.tracking_code])
    for code in ("123", "0000000000"):
        response = client.post(reverse("portal:question_find"), {"code": code})
        assert response.status_code == 400 and 'id="id_code_error"' in response.content.decode()
        assert code in response.content.decode()
    assert citizen_client(OTHER_PHONE).post(reverse("portal:question_find"),
                                            {"code": question.tracking_code}).status_code == 400


def test_the_library_is_public_and_searchable(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    entry = consult.library_publish(actor=data["supervisor"], question=question, title="老板拖欠工资怎么办？",
                                    question_text="工地老板不给工资。", answer_text="可以申请劳动仲裁。",
                                    category="labour", checked=True)
    client = Client()
    html = client.get(reverse("portal:library"), {"q": "仲裁"}).content.decode()
    assert "老板拖欠工资怎么办？" in html
    assert "老板拖欠工资怎么办？" not in client.get(reverse("portal:library"), {"q": "离婚"}).content.decode()
    assert client.get(reverse("portal:library_entry", args=[entry.pk])).status_code == 200
    consult.library_unpublish(actor=data["supervisor"], entry=entry)
    assert client.get(reverse("portal:library_entry", args=[entry.pk])).status_code == 404
    bad = client.get(reverse("portal:library"), {"category": "nope"})
    assert bad.status_code == 400 and 'id="id_category_error"' in bad.content.decode()


def test_the_library_list_costs_the_same_queries_for_1_or_11(data, django_assert_max_num_queries, settings):
    settings.CONSULT_MAX_QUESTIONS_PER_DAY = 50

    def publish():
        question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
        consult.library_publish(actor=data["supervisor"], question=question, title="工资问题", category="labour",
                                question_text="老板不给工资。", answer_text="可以申请劳动仲裁。", checked=True)

    publish()
    client = Client()
    with django_assert_max_num_queries(6) as few:
        client.get(reverse("portal:library"))
    for _ in range(10):
        publish()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:library"))
