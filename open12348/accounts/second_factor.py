"""Second factors for staff sign-in, and where a CA certificate / UKey plugs in.

Sign-in is two steps (views.LoginView, then views.second_step): the password first, then one
factor from `FACTORS` that the user has enrolled. Only after the second step does
`django.contrib.auth.login()` run, so a password alone never yields a session.

A factor is a class with:

    kind        a short name stored in audit rows ("totp", "recovery")
    is_enrolled(user) -> bool
    claims(data) -> bool                       does this submission look like it is meant for me?
    verify(request, user, data) -> bool        True if it proves the user; must be single-use

`data` is the second-step form's cleaned data; `request` gives a factor what the browser or the
reverse proxy sent. `services.second_factor_check` tries the enrolled factors that claim the
submission, audits the outcome and counts failures towards the lock-out.

How a CA certificate / UKey factor would plug in (not implemented: no CA is chosen yet):

* nginx verifies the client certificate against the CA (`ssl_verify_client optional;
  ssl_client_certificate ca.pem;`) and passes `$ssl_client_verify` and `$ssl_client_fingerprint`
  to the application in headers it sets itself (never trusted from the client, like X-Real-IP);
* a model binds a certificate fingerprint (or subject serial) to a user, enrolled by the security
  administrator through an audited service, reset by `second_factor_reset` like the TOTP device;
* a `CertificateFactor` with `kind = "ukey"` whose `claims` answers a "sign in with the UKey"
  button, and whose `verify` checks the header says SUCCESS and the fingerprint is bound to the
  user. A signed-challenge UKey (no TLS client auth) works the same way: the second-step page
  embeds a random challenge kept in the session, the browser plug-in returns the signature, and
  `verify` checks it against the bound certificate's public key and drops the challenge.

Register it with `@register` below; the second-step page lists every enrolled factor's `label`.
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any, ClassVar

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.core.crypto import blind_index

from .models import RecoveryCode, TotpDevice, User

TOTP_DIGITS = 6
TOTP_STEP_SECONDS = 30
TOTP_TOLERANCE_STEPS = 1  # a code from the step before or after is still accepted (clock drift)
RECOVERY_HASH_PURPOSE = "2fa_recovery"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: codes are read off paper
_SIX_DIGITS = re.compile(r"^\d{6}$")

FACTORS: dict[str, type[SecondFactor]] = {}


def register(factor: type[SecondFactor]) -> type[SecondFactor]:
    FACTORS[factor.kind] = factor
    return factor


def _now() -> float:
    return time.time()


class SecondFactor:
    kind: ClassVar[str]
    label: ClassVar[Any]

    def is_enrolled(self, user: User) -> bool:
        raise NotImplementedError

    def claims(self, data: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def verify(self, request, user: User, data: Mapping[str, Any]) -> bool:
        raise NotImplementedError


def totp_for(device: TotpDevice) -> pyotp.TOTP:
    return pyotp.TOTP(device.secret, digits=TOTP_DIGITS, interval=TOTP_STEP_SECONDS)


def totp_provisioning_uri(device: TotpDevice) -> str:
    return totp_for(device).provisioning_uri(name=device.user.username,
                                             issuer_name=settings.SECURITY_SECOND_FACTOR_ISSUER)


def totp_matching_step(device: TotpDevice, code: str, *, at: float | None = None) -> int | None:
    """The newest time step within the tolerance whose code is `code` and that was not used yet."""
    code = (code or "").strip()
    if not _SIX_DIGITS.match(code):
        return None
    totp = totp_for(device)
    now = _now() if at is None else at
    current = int(now // TOTP_STEP_SECONDS)  # what pyotp's TOTP.timecode computes
    for offset in range(TOTP_TOLERANCE_STEPS, -TOTP_TOLERANCE_STEPS - 1, -1):
        step = current + offset
        if device.last_step is not None and step <= device.last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


@transaction.atomic
def totp_consume(*, user: User, code: str, confirmed: bool = True) -> bool:
    """Accept `code` from the user's device once: the step is remembered, a replay is refused."""
    device = TotpDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=not confirmed).first()
    if device is None:
        return False
    step = totp_matching_step(device, code)
    if step is None:
        return False
    TotpDevice.objects.filter(pk=device.pk).update(last_step=step, updated_at=timezone.now())
    return True


def recovery_code_new() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def recovery_code_hash(code: str) -> str:
    return blind_index(re.sub(r"[\s-]", "", code or ""), purpose=RECOVERY_HASH_PURPOSE)


@register
class TotpFactor(SecondFactor):
    kind = "totp"
    label = _("a 6-digit code from your authenticator app")

    def is_enrolled(self, user: User) -> bool:
        return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()

    def claims(self, data: Mapping[str, Any]) -> bool:
        return bool(_SIX_DIGITS.match(str(data.get("code", "")).strip()))

    def verify(self, request, user: User, data: Mapping[str, Any]) -> bool:
        return totp_consume(user=user, code=str(data.get("code", "")))


@register
class RecoveryCodeFactor(SecondFactor):
    kind = "recovery"
    label = _("one of your recovery codes")

    def is_enrolled(self, user: User) -> bool:
        return RecoveryCode.objects.filter(user=user, used_at__isnull=True).exists()

    def claims(self, data: Mapping[str, Any]) -> bool:
        code = str(data.get("code", "")).strip()
        return bool(code) and not _SIX_DIGITS.match(code)

    def verify(self, request, user: User, data: Mapping[str, Any]) -> bool:
        # The UPDATE is the check: of two concurrent uses of one code, only one changes a row.
        return RecoveryCode.objects.filter(
            user=user, code_hash=recovery_code_hash(str(data.get("code", ""))), used_at__isnull=True,
        ).update(used_at=timezone.now()) == 1


def enrolled_factors(user: User) -> list[SecondFactor]:
    return [factor for factor in (cls() for cls in FACTORS.values()) if factor.is_enrolled(user)]


def has_second_factor(user: User) -> bool:
    """Enrolled in a factor other than recovery codes (which only stand in for a lost device)."""
    return any(f.kind != RecoveryCodeFactor.kind for f in enrolled_factors(user))
