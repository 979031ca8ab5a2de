"""Every public form of the portal is rate-limited per client address and per proved phone
(settings.RATE_LIMITS, open12348/core/ratelimit.py). Past the limit: 429, the form shown again with
what was typed and a Chinese message, nothing created, and a `ratelimit.refused` audit row."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.consult.models import Question, Rating, Reply
from open12348.consult.services_ratings import rate_url
from open12348.consult.tests.factories import answered
from open12348.consult.tests.factories import world as consult_world
from open12348.core.ratelimit import too_many_message
from open12348.legalaid.models import Application
from open12348.portal.models import ApplicationDraft, SmsCode

from .support import OTHER_PHONE, PHONE, citizen_client
from .test_apply_support import answer_all, centre_setup, new_draft, wage_answers

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def limit(settings, scope: str, **rates: str) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: rates}


def assert_refused(response, scope: str, *, by: str) -> str:
    assert response.status_code == 429
    html = response.content.decode()
    row = AuditEvent.objects.filter(action="ratelimit.refused").latest("id")
    assert row.result == AuditEvent.Result.DENIED and row.extra["scope"] == scope and row.extra["by"] == by
    return html


ASK = {"category": "labour", "region": "410403", "text": "老板拖欠我三个月工资，我该怎么办？", "wants_public": "no"}


def test_asking_is_limited_per_phone_and_the_text_is_kept(settings):
    consult_world()
    limit(settings, "portal.ask", ip="100/h", account="2/h")
    client = citizen_client()
    for n in range(2):
        assert client.post(reverse("portal:ask"), {**ASK, "submit_token": f"t{n}"}).status_code == 302
    refused = client.post(reverse("portal:ask"), {**ASK, "text": "第三个问题：工伤怎么认定？", "submit_token": "t3"})
    html = assert_refused(refused, "portal.ask", by="account")
    assert "第三个问题：工伤怎么认定？" in html and too_many_message() in html
    assert Question.objects.count() == 2
    # Another phone on the same connection is not held back by the first one's limit.
    other = citizen_client(OTHER_PHONE)
    assert other.post(reverse("portal:ask"), {**ASK, "submit_token": "t4"}).status_code == 302


def test_asking_is_limited_per_address_across_phones(settings):
    consult_world()
    limit(settings, "portal.ask", ip="1/h", account="100/h")
    assert citizen_client().post(reverse("portal:ask"), {**ASK, "submit_token": "a"}).status_code == 302
    refused = citizen_client(OTHER_PHONE).post(reverse("portal:ask"), {**ASK, "submit_token": "b"})
    assert_refused(refused, "portal.ask", by="ip")
    assert Question.objects.count() == 1


def test_a_follow_up_is_limited(settings):
    data = consult_world()
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    limit(settings, "portal.follow_up", account="0/h")
    client = citizen_client()
    url = reverse("portal:question_follow_up", args=[question.tracking_code])
    replies = Reply.objects.count()
    html = assert_refused(client.post(url, {"text": "还要带什么材料？"}), "portal.follow_up", by="account")
    assert "还要带什么材料？" in html
    assert Reply.objects.count() == replies
    limit(settings, "portal.follow_up", account="1/h")
    assert client.post(url, {"text": "还要带什么材料？"}).status_code == 302
    assert Reply.objects.count() == replies + 1


def test_looking_up_tracking_codes_is_limited(settings):
    data = consult_world()
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    limit(settings, "portal.question_find", ip="100/h", account="3/h")
    client = citizen_client()
    for _ in range(3):
        assert client.post(reverse("portal:question_find"), {"code": "0000000001"}).status_code == 400
    html = assert_refused(client.post(reverse("portal:question_find"), {"code": question.tracking_code}),
                          "portal.question_find", by="account")
    assert question.tracking_code in html  # kept in the field, but not opened


def test_rating_is_limited(settings):
    data = consult_world()
    first = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    second = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    limit(settings, "portal.rate", account="1/h")
    client = citizen_client()
    assert client.post(rate_url(first), {"level": "5", "comment": ""}).status_code == 302
    html = assert_refused(client.post(rate_url(second), {"level": "4", "comment": "还算清楚"}), "portal.rate",
                          by="account")
    assert "还算清楚" in html
    assert Rating.objects.count() == 1


def test_starting_and_sending_applications_is_limited(settings):
    centre_setup()
    limit(settings, "portal.apply_start", account="1/h")
    client = citizen_client()
    draft = new_draft(client)
    refused = client.post(reverse("portal:apply_start"))
    assert_refused(refused, "portal.apply_start", by="account")
    assert ApplicationDraft.objects.count() == 1

    answer_all(client, draft, wage_answers())
    review = reverse("portal:apply_review", args=[draft.pk])
    limit(settings, "portal.apply_submit", account="0/h")  # every send is over the limit
    html = assert_refused(client.post(review), "portal.apply_submit", by="account")
    assert too_many_message() in html
    assert not Application.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_application is None and draft.answers
    limit(settings, "portal.apply_submit", account="1/h")  # a later window: the same draft goes through
    cache.clear()
    assert client.post(review).status_code == 302
    assert Application.objects.count() == 1


def test_adding_papers_is_limited(settings):
    centre_setup()
    client = citizen_client()
    draft = new_draft(client)
    from .test_apply_views import reach

    reach(client, draft, "materials", wage_answers())
    limit(settings, "portal.upload", account="0/h")
    url = reverse("portal:apply_step", args=[draft.pk, "materials"])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    refused = client.post(url, {"action": "upload", "kind": "id_copy",
                                "file": SimpleUploadedFile("身份证.png", png, content_type="image/png")})
    assert_refused(refused, "portal.upload", by="account")
    draft.refresh_from_db()
    assert not draft.answers.get("uploads")


def test_typing_sms_codes_is_limited_per_address(settings):
    limit(settings, "portal.sms_verify", ip="2/h")
    client = Client()
    assert client.post(reverse("portal:verify"), {"phone": PHONE, "agree": "on"}).status_code == 302
    for _ in range(2):
        assert client.post(reverse("portal:verify_code"), {"code": "000000"}).status_code == 400
    tries = SmsCode.objects.get().attempts
    refused = client.post(reverse("portal:verify_code"), {"code": "000001"})
    assert_refused(refused, "portal.sms_verify", by="ip")
    assert SmsCode.objects.get().attempts == tries  # the refused try did not reach the code


def test_the_test_settings_do_not_limit_the_rest_of_the_suite():
    from django.conf import settings

    assert all(rate == "100000/h" for rates in settings.RATE_LIMITS.values() for rate in rates.values())
