"""Account writes: creating users, granting roles, unlocking, second factors. Each is audited."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.audit.services import audit_record, snapshot
from open12348.core.errors import ApplicationError

from . import second_factor
from .models import Membership, RecoveryCode, TotpDevice, User
from .roles import SEPARATED_ADMIN_ROLES, Role


@transaction.atomic
def user_create(*, actor, username: str, password: str, real_name: str = "", email: str = "") -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("This username is already taken."), code="username_taken", field="username")
    user = User(username=username, real_name=real_name, email=email, is_staff=False)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="accounts.user.create", obj=user,
                 changes={"after": snapshot(user, ["username", "real_name", "email", "is_active"])})
    return user


@transaction.atomic
def membership_grant(*, actor, user: User, institution, role: str) -> Membership:
    """Give `user` a role in `institution`, keeping the three administrators apart (三员分立)."""
    User.objects.select_for_update().get(pk=user.pk)  # serialise concurrent grants to one user
    if role in SEPARATED_ADMIN_ROLES:
        held = set(
            Membership.objects.filter(user=user, is_active=True, role__in=SEPARATED_ADMIN_ROLES)
            .exclude(role=role)
            .values_list("role", flat=True)
        )
        if held:
            raise ApplicationError(
                _("The system, security and audit administrators must be different people; "
                  "this account is already %(role)s.") % {"role": Role(sorted(held)[0]).label},
                code="admin_roles_separated",
                field="role",
            )
    membership, created = Membership.objects.get_or_create(
        user=user, institution=institution, role=role, defaults={"is_active": True}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active", "updated_at"])
        created = True
    if created:
        audit_record(actor=actor, action="accounts.membership.grant", obj=membership,
                     changes={"after": {"user": user.username, "institution": institution.pk, "role": role}})
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    if not membership.is_active:
        return
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    audit_record(actor=actor, action="accounts.membership.revoke", obj=membership,
                 changes={"before": {"is_active": True}, "after": {"is_active": False}})


@transaction.atomic
def user_unlock(*, actor, user: User) -> None:
    User.objects.filter(pk=user.pk).update(locked_until=None, failed_login_count=0, second_factor_failures=0)
    audit_record(actor=actor, action="auth.unlock", obj=user)


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="weak_password", field="password") from exc
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=actor, action="accounts.password.change", obj=user)


# --- second factor (see second_factor.py) -------------------------------------------------------

@transaction.atomic
def totp_enrolment_start(*, user: User) -> TotpDevice:
    """The user's unconfirmed authenticator secret, created on first call (a reload shows the same QR code)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None:
        if device.is_confirmed:
            raise ApplicationError(_("This account already has an authenticator app."), code="already_enrolled")
        return device
    device = TotpDevice.objects.create(user=user, secret=pyotp.random_base32())
    audit_record(actor=user, action="auth.2fa.enrol", obj=user, extra={"stage": "started", "factor": "totp"})
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str) -> list[str] | None:
    """Confirm the pending device with a code from it; return the new recovery codes, or None if wrong."""
    if user.is_locked:
        audit_record(actor=None, action="auth.2fa.failed", obj=user, result="denied", extra={"reason": "locked"})
        return None
    if not second_factor.totp_consume(user=user, code=code, confirmed=False):
        second_factor_failure(user=user, factor="totp", reason="enrolment")
        return None
    TotpDevice.objects.filter(user=user).update(confirmed_at=timezone.now())
    User.objects.filter(pk=user.pk).update(second_factor_failures=0)
    audit_record(actor=user, action="auth.2fa.enrol", obj=user, extra={"stage": "confirmed", "factor": "totp"})
    return _recovery_codes_replace(user=user)


@transaction.atomic
def totp_device_preset(*, actor, user: User, secret: str) -> TotpDevice:
    """Enrol `user` with a known secret, already confirmed. For demo databases only (network/demo.py)."""
    pyotp.TOTP(secret).now()  # refuses a secret that is not base32
    TotpDevice.objects.filter(user=user).delete()
    device = TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    audit_record(actor=actor, action="auth.2fa.enrol", obj=user, extra={"stage": "preset", "factor": "totp"})
    return device


def _recovery_codes_replace(*, user: User) -> list[str]:
    codes = [second_factor.recovery_code_new() for _ in range(settings.SECURITY_RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        [RecoveryCode(user=user, code_hash=second_factor.recovery_code_hash(code)) for code in codes]
    )
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, request, user: User, code: str) -> list[str] | None:
    """New recovery codes (the old ones stop working) after the user proves the device again."""
    if not second_factor_check(request=request, user=user, data={"code": code}, kinds=("totp",)):
        return None
    codes = _recovery_codes_replace(user=user)
    audit_record(actor=user, action="auth.2fa.recovery_codes", obj=user, extra={"count": len(codes)})
    return codes


@transaction.atomic
def second_factor_check(*, request, user: User, data: Mapping[str, Any],
                        kinds: Collection[str] | None = None) -> bool:
    """Does `data` prove `user` with one of their second factors? Audited; failures count towards the lock."""
    if user.is_locked:
        audit_record(actor=None, action="auth.2fa.failed", obj=user, result="denied", extra={"reason": "locked"})
        return False
    candidates = [f for f in second_factor.enrolled_factors(user)
                  if (kinds is None or f.kind in kinds) and f.claims(data)]
    for factor in candidates:
        if factor.verify(request, user, data):
            User.objects.filter(pk=user.pk).update(second_factor_failures=0)
            user.second_factor_failures = 0
            if factor.kind == second_factor.RecoveryCodeFactor.kind:
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                audit_record(actor=user, action="auth.2fa.recovery_used", obj=user, extra={"left": left})
            else:
                audit_record(actor=user, action="auth.2fa.ok", obj=user, extra={"factor": factor.kind})
            return True
    second_factor_failure(user=user, factor=candidates[0].kind if candidates else "", reason="bad_code")
    return False


@transaction.atomic
def second_factor_failure(*, user: User, factor: str, reason: str) -> None:
    """Count a wrong code; SECURITY_LOGIN_MAX_FAILURES in a row lock the account like wrong passwords do."""
    User.objects.filter(pk=user.pk).update(second_factor_failures=F("second_factor_failures") + 1)
    failures = User.objects.select_for_update().values_list("second_factor_failures", flat=True).get(pk=user.pk)
    audit_record(actor=None, action="auth.2fa.failed", obj=user, result="failure",
                 extra={"factor": factor, "reason": reason, "failures": failures})
    if failures >= settings.SECURITY_LOGIN_MAX_FAILURES:
        until = timezone.now() + timedelta(minutes=settings.SECURITY_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, second_factor_failures=0)
        user.locked_until = until
        audit_record(actor=None, action="auth.lock", obj=user,
                     extra={"locked_until": until.isoformat(), "reason": "second_factor"})


@transaction.atomic
def second_factor_reset(*, actor, user: User) -> None:
    """Forget the user's authenticator and recovery codes: they enrol again at their next sign-in."""
    had_device = TotpDevice.objects.filter(user=user).delete()[0] > 0
    codes = RecoveryCode.objects.filter(user=user).delete()[0]
    User.objects.filter(pk=user.pk).update(second_factor_failures=0)
    audit_record(actor=actor, action="auth.2fa.reset", obj=user,
                 extra={"had_device": had_device, "recovery_codes": codes})
