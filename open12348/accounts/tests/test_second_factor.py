"""Two-factor staff sign-in (QUALITY.md: staff login without the second factor fails; a code works
once and expires), enrolment, recovery codes, the security administrator's reset, and the admin's
own login page."""

from __future__ import annotations

import time
from unittest import mock

import pyotp
import pytest
from django.urls import reverse

from open12348.accounts import second_factor
from open12348.accounts.models import RecoveryCode, TotpDevice, User
from open12348.accounts.roles import Role
from open12348.accounts.services import second_factor_reset
from open12348.audit.models import AuditEvent
from open12348.network.tests.factories import STRONG_PASSWORD, pingdingshan, staff_in

from .support import SECRET, enrol, post_code, post_password, sign_in, signed_in

pytestmark = pytest.mark.django_db

# A fixed moment in the middle of a 30-second step, so "now", "one step ago" and "two steps ago"
# are exact whatever the clock says when the test runs.
T0 = 1_800_000_015.0


@pytest.fixture
def clerk():
    return staff_in(pingdingshan()["xinhua"], username="clerk")


@pytest.fixture
def totp(clerk):
    return enrol(clerk)


@pytest.fixture
def frozen():
    with mock.patch.object(second_factor, "_now", return_value=T0):
        yield


def _console_redirects_to_sign_in(client) -> bool:
    response = client.get(reverse("web:console"))
    return response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- the password alone ------------------------------------------------------------------------

def test_the_right_password_alone_gives_no_session(client, clerk, totp):
    response = post_password(client, clerk)

    assert response.status_code == 302 and response.url == reverse("accounts:second_step")
    assert not signed_in(client)
    assert _console_redirects_to_sign_in(client)
    assert AuditEvent.objects.filter(action="auth.login", result="success").count() == 1  # the password step
    assert not AuditEvent.objects.filter(action="auth.2fa.ok").exists()


def test_an_account_without_a_device_is_sent_to_enrol_and_not_signed_in(client, clerk):
    response = post_password(client, clerk)

    assert response.url == reverse("accounts:enrol")
    assert not signed_in(client) and _console_redirects_to_sign_in(client)


def test_the_second_step_without_the_password_step_goes_back_to_sign_in(client, clerk, totp):
    response = post_code(client, totp.now())

    assert response.status_code == 302 and response.url == reverse("accounts:login")
    assert not signed_in(client)
    assert not AuditEvent.objects.filter(action__startswith="auth.2fa.ok").exists()


def test_the_pending_password_step_expires(client, clerk, totp, settings):
    post_password(client, clerk)
    session = client.session
    session["signin_pending"]["at"] = time.time() - settings.SECURITY_SECOND_FACTOR_PENDING_SECONDS - 1
    session.save()

    response = post_code(client, totp.now())

    assert response.url == reverse("accounts:login") and not signed_in(client)
    assert "signin_pending" not in client.session


# --- codes ---------------------------------------------------------------------------------------

def test_the_right_code_signs_in_and_goes_where_the_user_was_going(client, clerk, totp, frozen):
    next_url = reverse("web:console")
    client.post(f"{reverse('accounts:login')}?next={next_url}",
                {"username": clerk.username, "password": STRONG_PASSWORD, "next": next_url})

    response = post_code(client, totp.at(T0))

    assert response.status_code == 302 and response.url == next_url
    assert signed_in(client) and int(client.session["_auth_user_id"]) == clerk.pk
    assert "signin_pending" not in client.session
    assert client.get(next_url).status_code == 200
    row = AuditEvent.objects.get(action="auth.2fa.ok")
    assert row.actor_id == clerk.pk and row.extra == {"factor": "totp"}


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_early_or_late_is_accepted(client, clerk, totp, frozen, steps):
    post_password(client, clerk)

    post_code(client, totp.at(T0 + 30 * steps))

    assert signed_in(client)


def test_a_code_works_once(client, clerk, totp, frozen):
    code = totp.at(T0)
    post_password(client, clerk)
    post_code(client, code)
    assert signed_in(client)
    client.logout()

    post_password(client, clerk)
    replay = post_code(client, code)

    assert replay.status_code == 200 and not signed_in(client)
    assert "already used" in replay.context["refusal"] or "已使用" in replay.context["refusal"]
    assert AuditEvent.objects.get(action="auth.2fa.failed").extra["reason"] == "bad_code"


def test_a_code_older_than_an_accepted_one_is_refused(client, clerk, totp, frozen):
    post_password(client, clerk)
    post_code(client, totp.at(T0))
    client.logout()

    post_password(client, clerk)
    post_code(client, totp.at(T0 - 30))  # inside the tolerance, but before the step already used

    assert not signed_in(client)


def test_a_code_from_two_steps_ago_has_expired(client, clerk, totp, frozen):
    post_password(client, clerk)

    response = post_code(client, totp.at(T0 - 60))

    assert response.status_code == 200 and not signed_in(client)
    assert TotpDevice.objects.get(user=clerk).last_step is None


def test_a_code_of_another_secret_is_refused(client, clerk, totp, frozen):
    post_password(client, clerk)

    post_code(client, pyotp.TOTP(pyotp.random_base32()).at(T0))

    assert not signed_in(client)


def test_wrong_codes_lock_the_account_and_reentering_the_password_does_not_reset_them(client, clerk, totp, frozen,
                                                                                      settings):
    post_password(client, clerk)
    for _ in range(3):
        post_code(client, "000000" if totp.at(T0) != "000000" else "111111")
    post_password(client, clerk)  # the right password again: the code failures are not forgotten
    post_code(client, "999999" if totp.at(T0) != "999999" else "111111")
    fifth = post_code(client, "888888" if totp.at(T0) != "888888" else "111111")

    clerk.refresh_from_db()
    assert clerk.is_locked
    assert "locked" in fifth.context["refusal"] or "锁定" in fifth.context["refusal"]
    assert post_code(client, totp.at(T0)).status_code == 200 and not signed_in(client)  # right code, still locked
    assert AuditEvent.objects.filter(action="auth.2fa.failed", result="failure").count() == 5
    assert AuditEvent.objects.get(action="auth.lock").extra["reason"] == "second_factor"
    assert AuditEvent.objects.filter(action="auth.2fa.failed", result="denied").count() == 1


# --- recovery codes ---------------------------------------------------------------------------------

def _enrol_through_the_pages(client, user: User) -> tuple[pyotp.TOTP, list[str]]:
    post_password(client, user)
    page = client.get(reverse("accounts:enrol"))
    secret = page.context["secret"]
    totp = pyotp.TOTP(secret)
    with mock.patch.object(second_factor, "_now", return_value=T0):
        done = client.post(reverse("accounts:enrol"), {"code": totp.at(T0)})
    return totp, done.context["codes"]


def test_enrolment_shows_a_qr_code_and_the_secret_then_recovery_codes_once(client, clerk):
    post_password(client, clerk)
    page = client.get(reverse("accounts:enrol"))
    html = page.content.decode()
    device = TotpDevice.objects.get(user=clerk)

    assert page.status_code == 200 and "<svg" in html and device.secret in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert client.get(reverse("accounts:enrol")).context["secret"] == device.secret  # a reload keeps the secret
    assert device.confirmed_at is None and not signed_in(client)

    with mock.patch.object(second_factor, "_now", return_value=T0):
        done = client.post(reverse("accounts:enrol"), {"code": pyotp.TOTP(device.secret).at(T0)})

    codes = done.context["codes"]
    assert done.status_code == 200 and len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert signed_in(client)
    device.refresh_from_db()
    assert device.confirmed_at is not None
    stored = set(RecoveryCode.objects.filter(user=clerk).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not stored & set(codes)  # only hashes are kept
    assert AuditEvent.objects.filter(action="auth.2fa.enrol", extra__stage="confirmed").count() == 1


def test_the_secret_is_stored_encrypted(clerk, totp):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_totpdevice WHERE user_id = %s", [clerk.pk])
        raw = cursor.fetchone()[0]
    assert SECRET not in raw and TotpDevice.objects.get(user=clerk).secret == SECRET


def test_a_wrong_code_does_not_confirm_the_enrolment(client, clerk):
    post_password(client, clerk)
    secret = client.get(reverse("accounts:enrol")).context["secret"]

    with mock.patch.object(second_factor, "_now", return_value=T0):
        response = client.post(reverse("accounts:enrol"), {"code": pyotp.TOTP(secret).at(T0 - 90)})

    assert response.status_code == 200 and not signed_in(client)
    assert TotpDevice.objects.get(user=clerk).confirmed_at is None
    assert not RecoveryCode.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.get(action="auth.2fa.failed").extra["reason"] == "enrolment"


def test_a_recovery_code_works_once(client, clerk):
    _, codes = _enrol_through_the_pages(client, clerk)
    client.logout()

    post_password(client, clerk)
    post_code(client, codes[3].upper())  # typed in capitals: still the same code
    assert signed_in(client)
    client.logout()

    post_password(client, clerk)
    again = post_code(client, codes[3])

    assert again.status_code == 200 and not signed_in(client)
    used = AuditEvent.objects.get(action="auth.2fa.recovery_used")
    assert used.actor_id == clerk.pk and used.extra == {"left": 9}


def test_new_recovery_codes_need_a_current_code_and_replace_the_old_ones(client, clerk):
    totp, old = _enrol_through_the_pages(client, clerk)
    url = reverse("accounts:recovery_codes")

    with mock.patch.object(second_factor, "_now", return_value=T0 + 30):
        refused = client.post(url, {"code": totp.at(T0)})  # already used at enrolment
        assert refused.status_code == 200 and "codes" not in refused.context
        assert set(RecoveryCode.objects.filter(user=clerk).values_list("code_hash", flat=True)) == {
            second_factor.recovery_code_hash(c) for c in old}
        response = client.post(url, {"code": totp.at(T0 + 30)})

    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    hashes = set(RecoveryCode.objects.filter(user=clerk).values_list("code_hash", flat=True))
    assert hashes == {second_factor.recovery_code_hash(c) for c in new}
    assert AuditEvent.objects.filter(action="auth.2fa.recovery_codes", actor=clerk).count() == 1


def test_recovery_codes_page_needs_a_session(client):
    response = client.get(reverse("accounts:recovery_codes"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


# --- the security administrator's reset and the Django admin ---------------------------------------

@pytest.fixture
def security_admin():
    user = staff_in(pingdingshan()["city"], role=Role.SECURITY_ADMIN, username="secadmin")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def test_security_admin_resets_the_second_factor_from_the_admin(client, clerk, totp, security_admin):
    RecoveryCode.objects.create(user=clerk, code_hash=second_factor.recovery_code_hash("abcde-fghjk"))
    client.force_login(security_admin)

    response = client.post(reverse("admin:accounts_user_changelist"),
                           {"action": "reset_second_factor", "_selected_action": [clerk.pk]})

    assert response.status_code == 302
    assert not TotpDevice.objects.filter(user=clerk).exists()
    assert not RecoveryCode.objects.filter(user=clerk).exists()
    row = AuditEvent.objects.get(action="auth.2fa.reset")
    assert (row.actor_id, row.object_id) == (security_admin.pk, str(clerk.pk))
    assert row.extra == {"had_device": True, "recovery_codes": 1}
    client.logout()
    assert post_password(client, clerk).url == reverse("accounts:enrol")  # re-enrols at the next sign-in


def test_an_account_without_the_capability_cannot_reset(client, clerk, totp, security_admin):
    sysadmin = staff_in(pingdingshan()["city"], role=Role.SYSTEM_ADMIN, username="sysadmin")
    User.objects.filter(pk=sysadmin.pk).update(is_staff=True)
    client.force_login(sysadmin)

    client.post(reverse("admin:accounts_user_changelist"),
                {"action": "reset_second_factor", "_selected_action": [clerk.pk]})

    assert TotpDevice.objects.filter(user=clerk, confirmed_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="auth.2fa.reset").exists()


def test_reset_service_is_audited_even_without_a_device(clerk, security_admin):
    second_factor_reset(actor=security_admin, user=clerk)
    assert AuditEvent.objects.get(action="auth.2fa.reset").extra == {"had_device": False, "recovery_codes": 0}


def test_the_admin_login_page_is_the_two_step_sign_in(client, security_admin):
    response = client.get(reverse("admin:login") + "?next=/admin/accounts/user/")
    assert response.status_code == 302
    assert response.url == reverse("accounts:login") + "?next=%2Fadmin%2Faccounts%2Fuser%2F"

    # Posting a password to the admin's login URL signs nobody in.
    client.post(reverse("admin:login"), {"username": security_admin.username, "password": STRONG_PASSWORD})
    assert not signed_in(client)

    # The admin index sends a stranger there too, and the next URL never leaves the site.
    index = client.get(reverse("admin:index"))
    assert index.status_code == 302 and index.url.startswith(reverse("admin:login"))
    outside = client.get(reverse("admin:login") + "?next=https://evil.example/")
    assert outside.url == reverse("accounts:login") + "?next=%2Fadmin%2F"


def test_admin_reached_through_both_steps(client, security_admin):
    totp = enrol(security_admin)
    client.post(reverse("accounts:login") + "?next=/admin/",
                {"username": security_admin.username, "password": STRONG_PASSWORD, "next": "/admin/"})
    response = post_code(client, totp.now())
    assert response.url == "/admin/" and client.get("/admin/").status_code == 200


def test_a_signed_in_account_the_admin_refuses_gets_403_not_a_loop(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("admin:login") + "?next=/admin/").status_code == 403


# --- who must use it --------------------------------------------------------------------------------

def test_with_the_setting_off_an_account_without_a_device_signs_in_with_the_password(client, clerk, settings):
    settings.SECURITY_SECOND_FACTOR_REQUIRED = False
    response = post_password(client, clerk)
    assert response.status_code == 302 and signed_in(client)


def test_with_the_setting_off_an_enrolled_account_still_gives_its_code(client, clerk, totp, settings):
    settings.SECURITY_SECOND_FACTOR_REQUIRED = False
    assert post_password(client, clerk).url == reverse("accounts:second_step") and not signed_in(client)


def test_superusers_need_the_second_factor_too(client):
    root = staff_in(pingdingshan()["city"], username="root")
    User.objects.filter(pk=root.pk).update(is_staff=True, is_superuser=True)
    assert post_password(client, root).url == reverse("accounts:enrol") and not signed_in(client)


def test_sign_in_helper_completes_both_steps(client, clerk, totp):
    sign_in(client, clerk)
    assert signed_in(client)


def test_portal_citizens_sign_in_by_sms_without_a_second_factor(settings):
    from open12348.notifications import backends
    from open12348.portal.tests.support import sign_in_by_sms

    assert settings.SECURITY_SECOND_FACTOR_REQUIRED
    from django.test import Client

    backends.outbox.clear()
    citizen = Client()
    users_before = User.objects.count()

    sign_in_by_sms(citizen, next_url="/portal/mine/")

    assert citizen.get(reverse("portal:mine")).status_code == 200
    assert not signed_in(citizen) and User.objects.count() == users_before
    assert not TotpDevice.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="auth.2fa").exists()
    backends.outbox.clear()


def test_the_break_glass_command_resets_and_is_audited(clerk, totp):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("second_factor_reset", "clerk", stdout=out)

    assert not TotpDevice.objects.filter(user=clerk).exists()
    row = AuditEvent.objects.get(action="auth.2fa.reset")
    assert row.actor_id is None and row.object_id == str(clerk.pk) and "clerk" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("second_factor_reset", "nobody")
