"""Separate consent for sensitive information (PIPL), withdrawing it, and the optional account."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.consult.tests.factories import answered, world
from open12348.portal import notices, services
from open12348.portal.choices import ConsentPurpose
from open12348.portal.identity import citizen_phone_hash
from open12348.portal.models import ApplicationDraft, CitizenAccount, CitizenConsent

from .support import OTHER_PHONE, PHONE, citizen_client

pytestmark = pytest.mark.django_db



def phone_hash(phone: str = PHONE) -> str:
    return citizen_phone_hash(phone)


def test_consent_is_recorded_once_with_the_notice_version_and_audited():
    first = services.consent_record(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    again = services.consent_record(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    assert first.pk == again.pk
    assert first.notice_version == notices.NOTICE_VERSIONS[ConsentPurpose.SENSITIVE]
    assert services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    assert not services.consent_given(phone_hash=phone_hash(OTHER_PHONE), purpose=ConsentPurpose.SENSITIVE)
    assert AuditEvent.objects.filter(action="portal.consent.grant").count() == 1


def test_a_new_notice_version_asks_again(monkeypatch):
    services.consent_record(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    monkeypatch.setitem(notices.NOTICE_VERSIONS, ConsentPurpose.SENSITIVE, "2099.1")
    assert not services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)


def test_withdrawing_keeps_the_record_and_asks_again_next_time():
    services.consent_record(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    assert services.consent_withdraw(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE) == 1
    assert not services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    services.consent_record(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    assert CitizenConsent.objects.filter(purpose=ConsentPurpose.SENSITIVE).count() == 2


def test_asking_needs_the_separate_consent_first():
    client = citizen_client(sensitive=False)
    response = client.get(reverse("portal:ask"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:consent')}?purpose=sensitive&next=%2Fportal%2Fask%2F"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and 'name="agree"' in html and "checked" not in html
    refused = client.post(response["Location"], {"purpose": "sensitive", "next": "/portal/ask/"})
    assert refused.status_code == 400 and 'id="id_agree_error"' in refused.content.decode()
    assert not services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    agreed = client.post(response["Location"], {"purpose": "sensitive", "next": "/portal/ask/", "agree": "on"})
    assert agreed["Location"] == "/portal/ask/"
    assert client.get(reverse("portal:ask")).status_code == 200


def test_an_unknown_purpose_is_not_found():
    assert citizen_client().get(reverse("portal:consent") + "?purpose=marketing").status_code == 404


def test_the_consents_page_lists_and_withdraws():
    client = citizen_client()
    html = client.get(reverse("portal:consents")).content.decode()
    assert "2025.1" in html
    client.post(reverse("portal:consents"), {"purpose": "sensitive"})
    assert not services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.SENSITIVE)
    assert client.get(reverse("portal:ask")).status_code == 302


def test_without_an_account_my_records_offers_one_and_the_tracking_code():
    html = citizen_client().get(reverse("portal:mine")).content.decode()
    assert reverse("portal:account_open") in html and reverse("portal:question_find") in html


def test_opening_needs_the_tick_and_then_lists_everything_of_the_phone():
    data = world()
    mine = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    theirs = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=OTHER_PHONE)
    draft = ApplicationDraft.objects.create(phone_hash=phone_hash(), step="region")
    client = citizen_client()
    client.post(reverse("portal:account_open"))
    assert not CitizenAccount.objects.exists()
    client.post(reverse("portal:account_open"), {"agree": "1"})
    account = CitizenAccount.objects.get()
    assert account.phone == PHONE and services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.ACCOUNT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM portal_citizenaccount")
        assert PHONE not in cursor.fetchone()[0]
    html = client.get(reverse("portal:mine")).content.decode()
    assert mine.tracking_code in html and theirs.tracking_code not in html
    assert reverse("portal:apply_resume", args=[draft.pk]) in html


def test_my_records_costs_the_same_queries_for_1_or_10_questions(django_assert_max_num_queries, settings):
    settings.CONSULT_MAX_QUESTIONS_PER_DAY = 20
    data = world()
    client = citizen_client()
    services.account_open(phone=PHONE)
    answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    client.get(reverse("portal:mine"))
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("portal:mine"))
    for _ in range(9):
        answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
        ApplicationDraft.objects.create(phone_hash=phone_hash())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("portal:mine")).status_code == 200


def test_closing_the_account_removes_the_list_and_its_consent():
    client = citizen_client()
    services.account_open(phone=PHONE)
    client.post(reverse("portal:account_close"))
    assert not CitizenAccount.objects.exists()
    assert not services.consent_given(phone_hash=phone_hash(), purpose=ConsentPurpose.ACCOUNT)
    assert AuditEvent.objects.filter(action="portal.account.close").count() == 1
