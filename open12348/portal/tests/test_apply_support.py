"""Helpers for the application and tracking tests (no tests here): a citizen signed in on a test
client, and the interview answered screen by screen through the real pages."""

from __future__ import annotations

import time

from django.test import Client
from django.urls import reverse

from open12348.core.crypto import encrypt
from open12348.legalaid.tests.factories import MAN, WOMAN_ELDERLY, centre_setup
from open12348.portal import interview
from open12348.portal.choices import ConsentPurpose
from open12348.portal.identity import SESSION_KEY, citizen_phone_hash
from open12348.portal.models import ApplicationDraft
from open12348.portal.services import consent_record

PHONE = "13803751234"
OTHER_PHONE = "13903759876"

__all__ = ["MAN", "OTHER_PHONE", "PHONE", "WOMAN_ELDERLY", "answer_all", "centre_setup", "citizen", "new_draft",
           "traffic_answers", "wage_answers"]


def citizen(phone: str = PHONE, *, consent: bool = True) -> Client:
    """A browser whose phone was proved by SMS code (as identity.citizen_sign_in leaves the session)."""
    client = Client()
    session = client.session
    now = time.time()
    session[SESSION_KEY] = {"phone": encrypt(phone), "verified_at": now, "seen_at": now}
    session.save()
    if consent:
        consent_record(phone_hash=citizen_phone_hash(phone), purpose=ConsentPurpose.SENSITIVE)
    return client


def new_draft(client: Client) -> ApplicationDraft:
    before = set(ApplicationDraft.objects.values_list("pk", flat=True))
    response = client.post(reverse("portal:apply_start"))
    assert response.status_code == 302, response
    return ApplicationDraft.objects.exclude(pk__in=before).get()


def wage_answers(**extra) -> dict:
    """A migrant worker owed wages in 卫东区 (green channel GC-MIGRANT), as the form posts them."""
    return {"region": "410403", "for_whom": "self", "topic": "work", "problem": "wages", "other_counsel": "no",
            "applicant_name": "康建军", "applicant_id_number": MAN, "groups": ["migrant_worker"],
            "stage": "arbitration", "handling_organ": "平顶山市劳动人事争议仲裁委员会", "opposing_party": "平顶山某建筑公司",
            "amount_claimed": "36000", "people_count": "3", "facts": "2025年在工地干活，老板拖欠工资36000元。",
            "address": "平顶山市卫东区建设路1号", **extra}


def traffic_answers(**extra) -> dict:
    """An ordinary case: hurt in a traffic accident, income tested against the local standard."""
    return {"region": "410403", "for_whom": "self", "topic": "injury", "problem": "traffic", "other_counsel": "no",
            "applicant_name": "李明", "applicant_id_number": MAN, "groups": [], "household_members": "3",
            "monthly_income": "2400", "integrity_commitment": "on", "stage": "first_instance",
            "handling_organ": "卫东区人民法院", "opposing_party": "张三", "amount_claimed": "52000",
            "facts": "2026年1月过马路时被车撞伤，对方不赔偿。", "address": "平顶山市卫东区建设路2号", **extra}


def answer_all(client: Client, draft: ApplicationDraft, answers: dict) -> list[str]:
    """Post each question's answer on its own page, following the redirects, until the review page.

    Returns the questions asked, in order. A question missing from `answers` gets an empty answer.
    """
    asked: list[str] = []
    url = reverse("portal:apply_resume", args=[draft.pk])
    response = client.get(url)
    for _step in range(len(interview.QUESTIONS) + 2):
        location = response["Location"]
        if location.endswith("/review/"):
            return asked
        key = location.rstrip("/").rsplit("/", 1)[-1]
        asked.append(key)
        value = answers.get(key, "")
        data = {"answer": value} if key != "materials" else {"action": "continue"}
        response = client.post(location, data)
        assert response.status_code == 302, (key, response.status_code, response.content.decode()[:3000])
    raise AssertionError(f"no review page after {asked}")
