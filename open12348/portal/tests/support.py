"""Helpers for the portal's tests (no tests here): citizens signed in, by the real SMS pages or directly."""

from __future__ import annotations

import re
import time

from django.test import Client, TestCase
from django.urls import reverse

from open12348.core.crypto import encrypt
from open12348.notifications import backends
from open12348.portal.choices import ConsentPurpose
from open12348.portal.identity import SESSION_KEY, citizen_phone_hash
from open12348.portal.services import consent_record

PHONE = "13803751234"
OTHER_PHONE = "13903759876"
CODE_IN_SMS = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def last_code(phone: str) -> str:
    """The code of the newest SMS sent to `phone` (RecordingBackend's outbox)."""
    for message in reversed(backends.outbox):
        if message.to == phone:
            match = CODE_IN_SMS.search(message.body)
            if match:
                return match.group(1)
    raise AssertionError(f"no code was sent to {phone}")


def sign_in_by_sms(client: Client, phone: str = PHONE, *, next_url: str = "") -> None:
    """Prove `phone` through the real pages: number, then the code read from the outbox."""
    query = f"?next={next_url}" if next_url else ""
    # The SMS leaves after the transaction commits; inside a test's transaction, run that now.
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("portal:verify") + query, {"phone": phone, "agree": "on", "next": next_url})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("portal:verify_code"), {"code": last_code(phone), "next": next_url})
    assert response.status_code == 302, response.content.decode()[:2000]


def citizen_client(phone: str = PHONE, *, sensitive: bool = True) -> Client:
    """A browser whose phone was proved (the session `citizen_sign_in` leaves), with consents given."""
    client = Client()
    session = client.session
    now = time.time()
    session[SESSION_KEY] = {"phone": encrypt(phone), "verified_at": now, "seen_at": now}
    session.save()
    consent_record(phone_hash=citizen_phone_hash(phone), purpose=ConsentPurpose.BASIC)
    if sensitive:
        consent_record(phone_hash=citizen_phone_hash(phone), purpose=ConsentPurpose.SENSITIVE)
    return client
