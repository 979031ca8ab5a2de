"""Least privilege: which role reaches which console endpoint. The table is written out by hand
so that a change to accounts/roles.py that widens a role makes this test fail."""

from __future__ import annotations

import pytest
from django.urls import reverse

from open12348.accounts.roles import Role
from open12348.audit.models import AuditEvent
from open12348.core.idnumber import check_digit
from open12348.network.tests.factories import InstitutionFactory, PractitionerFactory, pingdingshan, staff_in

ID_NUMBER = "41040219900101123" + check_digit("41040219900101123")

_STAFF = {"console", "institutions"}
ALLOWED: dict[str, set[str]] = {
    Role.WINDOW_STAFF: _STAFF,
    Role.REVIEWER: _STAFF,
    Role.DIRECTOR: _STAFF,
    Role.LAWYER: _STAFF,
    Role.HOTLINE_OPERATOR: _STAFF,
    Role.HOTLINE_SUPERVISOR: _STAFF,
    Role.DUTY_LAWYER: _STAFF,
    Role.EVALUATOR: _STAFF,
    Role.MEDIATOR: _STAFF,
    Role.STATION_STAFF: _STAFF,
    Role.BUREAU_ADMIN: _STAFF | {"reveal"},
    Role.LEADER: _STAFF,
    Role.SYSTEM_ADMIN: _STAFF,
    Role.SECURITY_ADMIN: {"console"},
    Role.AUDIT_ADMIN: {"console", "audit_log", "audit_export"},
}


def test_the_table_covers_every_role():
    assert set(ALLOWED) == set(Role.values)


def _call(client, endpoint: str, practitioner_pk: int):
    if endpoint == "console":
        return client.get(reverse("web:console"))
    if endpoint == "institutions":
        return client.get(reverse("network:console_institutions"))
    if endpoint == "reveal":
        return client.post(reverse("network:console_practitioner_detail", args=[practitioner_pk]), {"reveal": "1"})
    if endpoint == "audit_log":
        return client.get(reverse("audit:log"))
    if endpoint == "audit_export":
        return client.get(reverse("audit:export"))
    raise AssertionError(endpoint)


ENDPOINTS = ["console", "institutions", "reveal", "audit_log", "audit_export"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_role_endpoint_matrix(client, role):
    regions = pingdingshan()
    practitioner = PractitionerFactory(institution=InstitutionFactory(region=regions["xinhua"]), id_number=ID_NUMBER)
    user = staff_in(regions["city"], role=role)
    client.force_login(user)

    outcome = {endpoint: _call(client, endpoint, practitioner.pk) for endpoint in ENDPOINTS}

    expected = {e: (200 if e in ALLOWED[role] else 403) for e in ENDPOINTS}
    assert {e: r.status_code for e, r in outcome.items()} == expected
    # Refusals changed nothing: no full ID number shown, no export or reveal recorded, each refusal audited.
    if "reveal" not in ALLOWED[role]:
        assert ID_NUMBER not in outcome["reveal"].content.decode()
        assert not AuditEvent.objects.filter(action="network.practitioner.view_private").exists()
    if "audit_export" not in ALLOWED[role]:
        assert not AuditEvent.objects.filter(action="audit.export").exists()
    refused = [e for e in ENDPOINTS if e not in ALLOWED[role]]
    assert AuditEvent.objects.filter(actor=user, action="auth.permission_denied", result="denied").count() == len(refused)


@pytest.mark.django_db
def test_audit_admin_cannot_reach_account_or_network_management_in_the_admin(client):
    auditor = staff_in(pingdingshan()["city"], role=Role.AUDIT_ADMIN)
    auditor.is_staff = True  # even with admin access switched on
    auditor.save(update_fields=["is_staff"])
    client.force_login(auditor)

    for name in ("admin:accounts_user_changelist", "admin:accounts_membership_add", "admin:accounts_user_add",
                 "admin:network_institution_changelist", "admin:network_servicetype_add", "admin:core_job_changelist"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
