"""Accounts in the Django admin: lock state, the audited unlock action, and role grants that go
through membership_grant so 三员分立 shows as a form error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from open12348.accounts.models import Membership, User
from open12348.accounts.roles import Role
from open12348.accounts.services import membership_grant
from open12348.audit.models import AuditEvent
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, UserFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    return pingdingshan()


@pytest.fixture
def bureau(regions):
    return InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, region=regions["city"], name="平顶山市司法局")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def security_admin(regions):
    user = staff_in(regions["city"], role=Role.SECURITY_ADMIN)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


@pytest.fixture
def locked_user():
    user = UserFactory(username="locked")
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() + timedelta(minutes=20), failed_login_count=0)
    return user


def test_user_list_shows_lock_state(client, security_admin, locked_user):
    client.force_login(security_admin)

    response = client.get(reverse("admin:accounts_user_changelist"))

    assert response.status_code == 200
    rows = {u.username: u for u in response.context["cl"].result_list}
    assert rows["locked"].is_locked is True
    assert 'alt="True"' in response.content.decode()  # the boolean "locked" column


def test_unlock_action_calls_the_service_and_is_audited(client, security_admin, locked_user):
    client.force_login(security_admin)

    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "unlock", "_selected_action": [locked_user.pk],
    })

    assert response.status_code == 302
    locked_user.refresh_from_db()
    assert not locked_user.is_locked
    row = AuditEvent.objects.get(action="auth.unlock")
    assert (row.actor_id, row.object_id) == (security_admin.pk, str(locked_user.pk))


def test_unlock_is_not_offered_without_the_capability(client, regions, locked_user):
    system_admin = staff_in(regions["city"], role=Role.SYSTEM_ADMIN)
    User.objects.filter(pk=system_admin.pk).update(is_staff=True)
    client.force_login(system_admin)

    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "unlock", "_selected_action": [locked_user.pk],
    })

    assert response.status_code == 200  # Django shows "no action selected"; nothing ran
    locked_user.refresh_from_db()
    assert locked_user.is_locked
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_membership_add_refusing_a_second_admin_role_shows_a_form_error(client, superuser, bureau):
    target = UserFactory(username="sysadmin")
    membership_grant(actor=superuser, user=target, institution=bureau, role=Role.SYSTEM_ADMIN)
    grants = AuditEvent.objects.filter(action="accounts.membership.grant").count()
    client.force_login(superuser)

    response = client.post(reverse("admin:accounts_membership_add"), {
        "user": target.pk, "institution": bureau.pk, "role": Role.AUDIT_ADMIN,
    })

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert list(Membership.objects.filter(user=target).values_list("role", flat=True)) == [Role.SYSTEM_ADMIN]
    assert AuditEvent.objects.filter(action="accounts.membership.grant").count() == grants


def test_membership_add_goes_through_the_service(client, superuser, bureau):
    target = UserFactory(username="auditor")
    client.force_login(superuser)

    response = client.post(reverse("admin:accounts_membership_add"), {
        "user": target.pk, "institution": bureau.pk, "role": Role.AUDIT_ADMIN,
    })

    assert response.status_code == 302
    membership = Membership.objects.get(user=target)
    assert membership.role == Role.AUDIT_ADMIN
    row = AuditEvent.objects.get(action="accounts.membership.grant")
    assert (row.actor_id, row.object_id) == (superuser.pk, str(membership.pk))


def test_membership_cannot_be_edited_in_place(client, superuser, bureau):
    target = UserFactory(username="sysadmin")
    membership = membership_grant(actor=superuser, user=target, institution=bureau, role=Role.SYSTEM_ADMIN)
    client.force_login(superuser)

    response = client.post(reverse("admin:accounts_membership_change", args=[membership.pk]), {
        "user": target.pk, "institution": bureau.pk, "role": Role.AUDIT_ADMIN,
    })

    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.SYSTEM_ADMIN


def test_user_add_applies_the_password_policy(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:accounts_user_add")

    weak = client.post(url, {"username": "wangwu", "real_name": "王五", "password1": "wangwu12",
                             "password2": "wangwu12"})
    strong = client.post(url, {"username": "wangwu", "real_name": "王五", "password1": "Yingcheng#2026",
                               "password2": "Yingcheng#2026"})

    assert weak.status_code == 200 and "password1" in weak.context["adminform"].form.errors
    assert strong.status_code == 302
    created = User.objects.get(username="wangwu")
    assert created.check_password("Yingcheng#2026")
    assert AuditEvent.objects.filter(action="accounts.user.create", object_id=str(created.pk)).count() == 1


def test_user_edit_cannot_grant_superuser_and_is_audited(client, regions):
    system_admin = staff_in(regions["city"], role=Role.SYSTEM_ADMIN)
    User.objects.filter(pk=system_admin.pk).update(is_staff=True)
    target = UserFactory(username="clerk", real_name="旧名")
    client.force_login(system_admin)

    response = client.post(reverse("admin:accounts_user_change", args=[target.pk]), {
        "real_name": "新名", "email": "", "is_active": "on", "is_superuser": "on", "is_staff": "on",
    })

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.real_name == "新名" and not target.is_superuser and not target.is_staff
    row = AuditEvent.objects.get(action="accounts.user.update")
    assert row.changes == {"before": {"real_name": "旧名"}, "after": {"real_name": "新名"}}
