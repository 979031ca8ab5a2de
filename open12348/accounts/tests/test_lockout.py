"""Login failure handling (等保三级): N wrong passwords lock the account; lock and unlock are audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from open12348.accounts.models import User
from open12348.accounts.roles import Role
from open12348.accounts.services import user_unlock
from open12348.audit.models import AuditEvent
from open12348.network.tests.factories import STRONG_PASSWORD, UserFactory, pingdingshan, staff_in

from .support import enrol, post_code

pytestmark = pytest.mark.django_db
WRONG = "Wrong#Password1"


@pytest.fixture
def user():
    return UserFactory(username="zhangsan")


def _login(client, password: str, username: str = "zhangsan"):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _error_codes(response) -> list[str]:
    return [e.code for e in response.context["form"].errors.as_data().get("__all__", [])]


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_and_the_right_one_then_fails(client, settings, user):
    assert settings.SECURITY_LOGIN_MAX_FAILURES == 5
    for _ in range(4):
        assert _error_codes(_login(client, WRONG)) == ["invalid_login"]
    user.refresh_from_db()
    assert not user.is_locked and user.failed_login_count == 4

    fifth = _login(client, WRONG)
    sixth = _login(client, STRONG_PASSWORD)

    user.refresh_from_db()
    assert user.is_locked
    assert user.locked_until > timezone.now() + timedelta(minutes=settings.SECURITY_LOCKOUT_MINUTES - 1)
    assert _error_codes(fifth) == ["locked"]
    assert sixth.status_code == 200 and _error_codes(sixth) == ["locked"]
    assert not _signed_in(client)


def test_lock_is_audited(client, user):
    for _ in range(5):
        _login(client, WRONG)
    _login(client, STRONG_PASSWORD)

    lock = AuditEvent.objects.get(action="auth.lock")
    assert (lock.object_type, lock.object_id) == ("accounts.user", str(user.pk))
    assert "locked_until" in lock.extra
    failures = AuditEvent.objects.filter(action="auth.login", object_id=str(user.pk), result="failure")
    assert failures.count() == 5
    refused = AuditEvent.objects.get(action="auth.login", object_id=str(user.pk), result="denied")
    assert refused.extra == {"reason": "locked"}
    assert not AuditEvent.objects.filter(action="auth.login", result="success").exists()


def test_login_works_again_after_the_lockout_period(client, settings, user):
    totp = enrol(user)
    for _ in range(5):
        _login(client, WRONG)
    # Move time: the lock started longer ago than SECURITY_LOCKOUT_MINUTES.
    User.objects.filter(pk=user.pk).update(locked_until=timezone.now() - timedelta(seconds=1))

    response = _login(client, STRONG_PASSWORD)
    assert response.status_code == 302 and response.url == reverse("accounts:second_step")
    post_code(client, totp.now())

    assert _signed_in(client)


def test_a_success_resets_the_failure_count(client, user):
    for _ in range(4):
        _login(client, WRONG)
    assert _login(client, STRONG_PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _login(client, WRONG)

    user.refresh_from_db()
    assert not user.is_locked and user.failed_login_count == 4


def test_unlock_is_audited_and_lets_the_user_in(client, user):
    security = staff_in(pingdingshan()["city"], role=Role.SECURITY_ADMIN)
    for _ in range(5):
        _login(client, WRONG)

    user_unlock(actor=security, user=user)

    user.refresh_from_db()
    assert not user.is_locked and user.failed_login_count == 0
    row = AuditEvent.objects.get(action="auth.unlock")
    assert (row.actor_id, row.object_id) == (security.pk, str(user.pk))
    assert _login(client, STRONG_PASSWORD).status_code == 302


def test_the_threshold_is_configurable(client, settings, user):
    settings.SECURITY_LOGIN_MAX_FAILURES = 3
    _login(client, WRONG)
    _login(client, WRONG)
    user.refresh_from_db()
    assert not user.is_locked

    third = _login(client, WRONG)

    user.refresh_from_db()
    assert user.is_locked and _error_codes(third) == ["locked"]
    assert _error_codes(_login(client, STRONG_PASSWORD)) == ["locked"]


def test_unknown_username_is_audited_without_revealing_it_exists(client, user):
    unknown = _login(client, WRONG, username="nobody")
    known = _login(client, WRONG)

    assert _error_codes(unknown) == _error_codes(known) == ["invalid_login"]
    row = AuditEvent.objects.get(action="auth.login", extra__reason="unknown_user")
    assert row.result == "failure" and row.extra["username"] == "nobody"
