"""Idle session timeout (等保三级): an idle staff session is signed out; an active one is not."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.network.tests.factories import pingdingshan, staff_in


@pytest.fixture
def clerk(db):
    return staff_in(pingdingshan()["xinhua"])


def _idle_for(client, seconds: float) -> None:
    session = client.session
    session["last_activity"] = time.time() - seconds
    session.save()


def test_idle_session_is_signed_out_and_sent_to_login(client, clerk, settings):
    client.force_login(clerk)
    _idle_for(client, settings.SECURITY_IDLE_TIMEOUT_MINUTES * 60 + 5)

    response = client.get(reverse("web:console"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("web:console")).url.startswith(reverse("accounts:login"))  # still out
    row = AuditEvent.objects.get(action="auth.session_timeout")
    assert row.actor_id == clerk.pk


def test_active_session_stays_signed_in_and_is_refreshed(client, clerk):
    client.force_login(clerk)
    _idle_for(client, 60)
    before = client.session["last_activity"]

    response = client.get(reverse("web:console"))

    assert response.status_code == 200
    assert client.session["last_activity"] > before
    assert not AuditEvent.objects.filter(action="auth.session_timeout").exists()


def test_idle_api_session_gets_401_json(client, clerk, settings):
    client.force_login(clerk)
    _idle_for(client, settings.SECURITY_IDLE_TIMEOUT_MINUTES * 60 + 5)

    response = client.get("/api/schema/")

    assert response.status_code == 401 and response.json()["code"] == "session_timeout"


def test_idle_limit_is_configurable(client, clerk, settings):
    settings.SECURITY_IDLE_TIMEOUT_MINUTES = 5
    client.force_login(clerk)
    _idle_for(client, 6 * 60)

    assert client.get(reverse("web:console")).status_code == 302
