"""Staff password policy (等保三级): complexity, and expiry that forces a change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from open12348.accounts.models import User
from open12348.accounts.services import user_create
from open12348.accounts.validators import CharacterClassValidator
from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.network.tests.factories import STRONG_PASSWORD, pingdingshan, staff_in


@pytest.mark.parametrize("password", ["Yingcheng#2026", "abcDEF123", "abc123!@#", "ABC-def-xyz", "平顶山Ab1"])
def test_three_of_four_classes_accepted(password):
    CharacterClassValidator(min_classes=3).validate(password)


@pytest.mark.parametrize("password", ["abcdefgh12", "ABCDEFGHij", "abcdefgh!!", "12345678!!", "abcdefghij"])
def test_fewer_than_three_classes_rejected(password):
    with pytest.raises(ValidationError) as exc:
        CharacterClassValidator(min_classes=3).validate(password)
    assert exc.value.code == "password_too_simple"


@pytest.mark.django_db
def test_configured_validators_require_eight_characters():
    with pytest.raises(ValidationError) as exc:
        validate_password("Ab1!xyz")  # 7 characters, 4 classes
    assert "password_too_short" in [e.code for e in exc.value.error_list]
    validate_password("Ab1!xyzw")


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["short1A", "alllowercaseletters", "12345678", "password1"])
def test_user_create_refuses_a_weak_password_and_creates_nothing(weak):
    users_before = User.objects.count()

    with pytest.raises(ApplicationError) as exc:
        user_create(actor=None, username="lisi", password=weak)

    assert (exc.value.field, exc.value.code) == ("password", "weak_password")
    assert User.objects.count() == users_before
    assert not AuditEvent.objects.filter(action="accounts.user.create").exists()


@pytest.mark.django_db
def test_user_create_with_a_strong_password_is_audited():
    user = user_create(actor=None, username="lisi", password=STRONG_PASSWORD, real_name="李四")

    assert user.check_password(STRONG_PASSWORD) and user.password_changed_at is not None
    row = AuditEvent.objects.get(action="accounts.user.create")
    assert row.object_id == str(user.pk)
    assert "password" not in row.changes["after"]


# --- expiry --------------------------------------------------------------------------------

@pytest.fixture
def clerk(db):
    return staff_in(pingdingshan()["xinhua"])


def _age_password(user, days: int) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=days))


def test_expired_password_redirects_console_to_change_page(client, clerk, settings):
    assert settings.SECURITY_PASSWORD_MAX_AGE_DAYS == 90
    _age_password(clerk, 91)
    client.force_login(clerk)

    response = client.get(reverse("web:console"))

    assert response.status_code == 302 and response.url == reverse("accounts:password_change")
    assert client.get(reverse("accounts:password_change")).status_code == 200  # the way out stays open


def test_expired_password_gets_403_json_from_the_api(client, clerk):
    _age_password(clerk, 91)
    client.force_login(clerk)

    response = client.get("/api/schema/")

    assert response.status_code == 403
    assert response.json()["code"] == "password_expired"


def test_password_within_max_age_is_not_expired(client, clerk):
    _age_password(clerk, 89)
    client.force_login(clerk)

    assert client.get(reverse("web:console")).status_code == 200


def test_max_age_is_configurable(client, clerk, settings):
    settings.SECURITY_PASSWORD_MAX_AGE_DAYS = 30
    _age_password(clerk, 31)
    client.force_login(clerk)

    assert client.get(reverse("web:console")).url == reverse("accounts:password_change")


def test_changing_the_expired_password_lets_the_user_back_in(client, clerk):
    _age_password(clerk, 120)
    client.force_login(clerk)

    response = client.post(reverse("accounts:password_change"), {
        "old_password": STRONG_PASSWORD, "new_password1": "Pingdingshan@2027", "new_password2": "Pingdingshan@2027",
    })

    assert response.status_code == 302
    assert client.get(reverse("web:console")).status_code == 200
    assert AuditEvent.objects.filter(action="accounts.password.change", object_id=str(clerk.pk)).count() == 1
