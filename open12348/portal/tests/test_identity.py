"""Proving a phone: the pages, the session it leaves, and how long that lasts."""

from __future__ import annotations

import time

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from open12348.core.crypto import blind_index
from open12348.legalaid.models import Person
from open12348.portal.choices import ConsentPurpose
from open12348.portal.identity import SESSION_KEY, citizen_phone_hash, normalize_phone
from open12348.portal.models import CitizenConsent

from .support import PHONE, citizen_client, last_code, sign_in_by_sms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["13803751234", "138 0375 1234", "138-0375-1234", "+86 138 0375 1234",
                                 "008613803751234", "8613803751234", "（138）03751234"])
def test_normalize_phone_accepts_the_shapes_people_copy(raw):
    assert normalize_phone(raw) == "13803751234"


@pytest.mark.parametrize("raw", ["", "1380375123", "23803751234", "0375-2812348", "1380375123x"])
def test_normalize_phone_refuses_what_is_not_a_mobile(raw):
    with pytest.raises(ValueError):
        normalize_phone(raw)


def test_the_phone_hash_is_the_one_legal_aid_uses():
    assert citizen_phone_hash("138 0375 1234") == blind_index("13803751234", purpose="phone")
    person = Person.objects.create(name="康建军", phone=PHONE, phone_hash=blind_index(PHONE, purpose="phone"))
    assert Person.objects.get(phone_hash=citizen_phone_hash(PHONE)) == person


def test_a_page_for_citizens_sends_a_stranger_to_prove_their_phone_and_back():
    client = Client()
    response = client.get(reverse("portal:mine"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('portal:verify')}?next=%2Fportal%2Fmine%2F"
    sign_in_by_sms(client, next_url="/portal/mine/")
    assert client.get(reverse("portal:mine")).status_code == 200


def test_verifying_records_the_basic_consent_and_renews_the_session_key():
    client = Client()
    client.get(reverse("portal:home"))
    before = client.session.session_key
    sign_in_by_sms(client)
    assert client.session.session_key != before
    consent = CitizenConsent.objects.get(phone_hash=citizen_phone_hash(PHONE))
    assert consent.purpose == ConsentPurpose.BASIC and consent.withdrawn_at is None


def test_the_session_keeps_the_phone_encrypted():
    client = citizen_client()
    stored = client.session[SESSION_KEY]
    assert PHONE not in str(stored)


def test_the_proof_lapses_when_idle_and_after_the_maximum(settings):
    settings.PORTAL_CITIZEN_IDLE_MINUTES = 60
    settings.PORTAL_CITIZEN_MAX_HOURS = 12
    client = citizen_client()
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "seen_at": time.time() - 61 * 60}
    session.save()
    assert client.get(reverse("portal:mine")).status_code == 302

    client = citizen_client()
    session = client.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "verified_at": time.time() - 13 * 3600}
    session.save()
    assert client.get(reverse("portal:mine")).status_code == 302


def test_signing_out_forgets_the_phone():
    client = citizen_client()
    assert client.get(reverse("portal:mine")).status_code == 200
    client.post(reverse("portal:sign_out"))
    assert client.get(reverse("portal:mine")).status_code == 302


def test_next_never_leaves_the_site():
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("portal:verify"), {"phone": PHONE, "agree": "on", "next": "https://evil.example/"})
    response = client.post(reverse("portal:verify_code"), {"code": last_code(PHONE), "next": "https://evil.example/"})
    assert response["Location"] == reverse("portal:home")


# --- bad input on the pages: a message at the field, in Chinese, and what was typed kept --------------

def test_a_wrong_phone_number_is_shown_at_its_field_and_kept():
    response = Client().post(reverse("portal:verify"), {"phone": "138037", "agree": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_phone_error"' in html and 'value="138037"' in html and 'aria-invalid="true"' in html
    assert 'class="error-summary"' in html


def test_the_agreement_box_must_be_ticked():
    response = Client().post(reverse("portal:verify"), {"phone": PHONE})
    assert response.status_code == 400
    assert 'id="id_agree_error"' in response.content.decode() and PHONE in response.content.decode()


def test_messages_are_in_chinese(settings):
    """Django's own messages come translated; ours carry the catalogue's Chinese once it is filled."""
    response = Client().post(reverse("portal:verify"), {"phone": ""})
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html


def test_a_wrong_code_is_shown_at_its_field_and_the_page_stays():
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("portal:verify"), {"phone": PHONE, "agree": "on"})
    code = last_code(PHONE)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    response = client.post(reverse("portal:verify_code"), {"code": wrong})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_code_error"' in html and f'value="{wrong}"' in html and "138****1234" in html


def test_asking_again_too_soon_says_how_long_to_wait():
    client = Client()
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("portal:verify"), {"phone": PHONE, "agree": "on"})
    response = client.post(reverse("portal:verify_code"), {"resend": "1"})
    assert response.status_code == 429
    response = Client().post(reverse("portal:verify"), {"phone": PHONE, "agree": "on"})
    assert response.status_code == 429 and 'id="id_phone_error"' in response.content.decode()


def test_the_code_page_without_a_number_goes_back_to_the_first_step():
    response = Client().get(reverse("portal:verify_code"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:verify"))
