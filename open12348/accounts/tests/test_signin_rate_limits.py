"""Sign-in rate limits per client address and per account name (QUALITY.md: login is rate-limited
per IP and per account). Over the limit: HTTP 429, a clear message, an audit row, nobody signed in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from open12348.accounts.models import User
from open12348.audit.models import AuditEvent
from open12348.network.tests.factories import STRONG_PASSWORD, UserFactory

from .support import enrol, post_code, post_password, signed_in

pytestmark = pytest.mark.django_db
WRONG = "Wrong#Password1"


@pytest.fixture
def limits(settings):
    settings.SECURITY_SIGNIN_RATE_PER_IP = "6/5m"
    settings.SECURITY_SIGNIN_RATE_PER_ACCOUNT = "3/5m"
    settings.SECURITY_LOGIN_MAX_FAILURES = 100  # keep the lock-out out of the way
    return settings


def test_too_many_attempts_for_one_account_get_429_and_the_right_password_does_not_help(client, limits):
    user = UserFactory(username="zhangsan")
    for _ in range(3):
        assert post_password(client, user, WRONG).status_code == 200

    refused = post_password(client, user, STRONG_PASSWORD)

    assert refused.status_code == 429 and not signed_in(client)
    assert "Too many sign-in attempts" in refused.content.decode() or "尝试次数过多" in refused.content.decode()
    assert "signin_pending" not in client.session
    row = AuditEvent.objects.get(action="ratelimit.refused")
    assert row.result == "denied"
    assert {k: row.extra[k] for k in ("scope", "by", "step", "username")} == {
        "scope": "signin", "by": "account", "step": "password", "username": "zhangsan"}
    user.refresh_from_db()
    assert user.failed_login_count == 3  # the refused attempt never reached the password check


def test_the_account_limit_ignores_letter_case(client, limits):
    UserFactory(username="zhangsan")
    for name in ("zhangsan", "ZhangSan", "ZHANGSAN"):
        post_password(client, name, WRONG)
    assert post_password(client, "zhangSAN", WRONG).status_code == 429


def test_another_account_from_another_address_is_not_affected(client, limits):
    busy, other = UserFactory(username="busy"), UserFactory(username="other")
    enrol(other)
    for _ in range(4):
        post_password(client, busy, WRONG, REMOTE_ADDR="10.0.0.1")

    response = post_password(client, other, REMOTE_ADDR="10.0.0.2")

    assert response.status_code == 302 and response.url == reverse("accounts:second_step")


def test_one_address_trying_many_accounts_is_refused(client, limits):
    names = [f"user{i}" for i in range(7)]
    responses = [post_password(client, name, WRONG, REMOTE_ADDR="10.0.0.9") for name in names]

    assert [r.status_code for r in responses] == [200] * 6 + [429]
    assert AuditEvent.objects.get(action="ratelimit.refused").extra["by"] == "ip"
    assert post_password(client, "user0", WRONG, REMOTE_ADDR="10.0.0.10").status_code == 200  # another address


def test_code_guesses_count_towards_the_account_limit(client, limits):
    user = UserFactory(username="coder")
    totp = enrol(user)
    post_password(client, user)  # 1
    post_code(client, "000000" if totp.now() != "000000" else "111111")  # 2
    post_code(client, "000000" if totp.now() != "000000" else "111111")  # 3

    refused = post_code(client, totp.now())

    assert refused.status_code == 429 and not signed_in(client)
    assert AuditEvent.objects.get(action="ratelimit.refused").extra["step"] == "second_factor"
    assert not AuditEvent.objects.filter(action="auth.2fa.ok").exists()


def test_limits_come_from_settings(client, settings):
    settings.SECURITY_SIGNIN_RATE_PER_IP = "1/5m"
    UserFactory(username="a")
    post_password(client, "a", WRONG)
    assert post_password(client, "a", WRONG).status_code == 429
    assert User.objects.get(username="a").failed_login_count == 1
