"""Writes of the portal's identity layer: SMS codes, consents and the optional citizen account.

The citizen is the actor of these writes but has no staff account, so audit rows carry no user;
the masked phone and the source address (from the request context) say who it was.

Limits (settings, with these defaults):
    PORTAL_SMS_CODE_TTL_SECONDS = 300     a code is good for 5 minutes
    PORTAL_SMS_MAX_ATTEMPTS = 5           wrong tries before a code is void
    PORTAL_SMS_MIN_INTERVAL_SECONDS = 60  one code per phone per minute
    PORTAL_SMS_MAX_PER_PHONE_HOUR = 5
    PORTAL_SMS_MAX_PER_PHONE_DAY = 10
    PORTAL_SMS_MAX_PER_IP_HOUR = 20       a township station's shared connection needs room
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.audit.models import AuditEvent
from open12348.audit.services import audit_record
from open12348.core.crypto import blind_index
from open12348.core.errors import ApplicationError
from open12348.core.masking import mask_phone
from open12348.notifications.services import message_queue

from .choices import ConsentPurpose
from .identity import citizen_phone_hash, normalize_phone
from .models import CitizenAccount, CitizenConsent, SmsCode
from .notices import current_notice_version

CODE_DIGITS = 6


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def code_ttl() -> timedelta:
    return timedelta(seconds=_setting("PORTAL_SMS_CODE_TTL_SECONDS", 300))


def min_interval_seconds() -> int:
    return max(_setting("PORTAL_SMS_MIN_INTERVAL_SECONDS", 60), 1)


def _phone_or_error(phone: str) -> str:
    try:
        return normalize_phone(phone)
    except ValueError as exc:
        raise ApplicationError(_("Enter an 11-digit mobile number, such as 138 0375 1234."),
                               code="phone_invalid", field="phone") from exc


def _code_hash(*, salt: str, phone_hash: str, code: str) -> str:
    key = f"{settings.BLIND_INDEX_KEY}:sms-code".encode()
    return hmac.new(key, f"{salt}:{phone_hash}:{code}".encode(), hashlib.sha256).hexdigest()


def _ip_hash(ip: str) -> str:
    return blind_index(ip, purpose="client-ip") if ip else ""


# --- sending a code ------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeSent:
    phone: str
    expires_at: datetime
    resend_after: datetime


def wait_seconds(*, phone: str, now: datetime | None = None) -> int:
    """How long this phone must wait before another code can be sent (0: now)."""
    now = now or timezone.now()
    last = (SmsCode.objects.filter(phone_hash=citizen_phone_hash(phone))
            .order_by("-created_at").values_list("created_at", flat=True).first())
    if last is None:
        return 0
    remaining = (last + timedelta(seconds=min_interval_seconds()) - now).total_seconds()
    return max(int(remaining + 0.999), 0)


def _refuse_send(*, phone_hash: str, phone: str, reason: str, message: str) -> ApplicationError:
    # Its own transaction: the refusal is a security event worth keeping although nothing else is written.
    audit_record(actor=None, action="portal.sms_code.refused", object_type="portal.smscode",
                 result=AuditEvent.Result.DENIED, extra={"phone": mask_phone(phone), "reason": reason})
    return ApplicationError(message, code="sms_rate_limited", field="phone", status=429,
                            extra={"reason": reason})


def _check_send_limits(*, phone: str, phone_hash: str, ip_hash: str, now: datetime) -> None:
    wait = wait_seconds(phone=phone, now=now)
    if wait:
        raise _refuse_send(phone_hash=phone_hash, phone=phone, reason="interval", message=_(
            "A code was sent to this number a moment ago. Please wait %(seconds)d seconds before asking for "
            "another.") % {"seconds": wait})
    sent = SmsCode.objects.filter(phone_hash=phone_hash)
    if sent.filter(created_at__gte=now - timedelta(hours=1)).count() >= _setting("PORTAL_SMS_MAX_PER_PHONE_HOUR", 5):
        raise _refuse_send(phone_hash=phone_hash, phone=phone, reason="phone_hour", message=_(
            "Too many codes were sent to this number in the last hour. Please try again in an hour, "
            "or call 12348."))
    if sent.filter(created_at__gte=now - timedelta(days=1)).count() >= _setting("PORTAL_SMS_MAX_PER_PHONE_DAY", 10):
        raise _refuse_send(phone_hash=phone_hash, phone=phone, reason="phone_day", message=_(
            "Too many codes were sent to this number today. Please try again tomorrow, or call 12348."))
    if ip_hash and SmsCode.objects.filter(ip_hash=ip_hash, created_at__gte=now - timedelta(hours=1)).count() \
            >= _setting("PORTAL_SMS_MAX_PER_IP_HOUR", 20):
        raise _refuse_send(phone_hash=phone_hash, phone=phone, reason="ip_hour", message=_(
            "Too many codes were asked for from this network in the last hour. Please try again later."))


def sms_code_send(*, phone: str, ip: str = "", now: datetime | None = None) -> CodeSent:
    """Send a fresh 6-digit code to `phone` by SMS (after commit) and void the older ones.

    Not one atomic block on purpose: a refusal (rate limit) is audited and kept while nothing else
    is written; the write itself is atomic.
    """
    phone = _phone_or_error(phone)
    phone_hash = citizen_phone_hash(phone)
    ip_hash = _ip_hash(ip)
    now = now or timezone.now()
    _check_send_limits(phone=phone, phone_hash=phone_hash, ip_hash=ip_hash, now=now)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(16)
    expires_at = now + code_ttl()
    try:
        with transaction.atomic():
            SmsCode.objects.filter(phone_hash=phone_hash, used_at__isnull=True, voided_at__isnull=True).update(
                voided_at=now)
            row = SmsCode.objects.create(
                phone_hash=phone_hash, ip_hash=ip_hash, salt=salt,
                code_hash=_code_hash(salt=salt, phone_hash=phone_hash, code=code),
                slot=int(now.timestamp()) // min_interval_seconds(), created_at=now, expires_at=expires_at,
            )
            minutes = max(int(code_ttl().total_seconds() // 60), 1)
            message_queue(channel="sms", to=phone, body=_(
                "Your 12348 verification code is %(code)s. It is good for %(minutes)d minutes. "
                "Do not tell it to anyone, including people who say they are staff.")
                % {"code": code, "minutes": minutes})
            audit_record(actor=None, action="portal.sms_code.send", obj=row, extra={"phone": mask_phone(phone)})
    except IntegrityError as exc:  # another request for this phone won the same interval
        raise _refuse_send(phone_hash=phone_hash, phone=phone, reason="interval", message=_(
            "A code was sent to this number a moment ago. Please wait %(seconds)d seconds before asking for "
            "another.") % {"seconds": min_interval_seconds()}) from exc
    return CodeSent(phone=phone, expires_at=expires_at,
                    resend_after=now + timedelta(seconds=min_interval_seconds()))


@transaction.atomic
def sms_codes_purge(*, now: datetime | None = None) -> int:
    """Delete codes older than PORTAL_SMS_CODE_KEEP_DAYS (7): kept only as long as the limits and an
    investigation of abuse need them (the privacy notice promises "a few days")."""
    cutoff = (now or timezone.now()) - timedelta(days=_setting("PORTAL_SMS_CODE_KEEP_DAYS", 7))
    count, _ = SmsCode.objects.filter(created_at__lt=cutoff).delete()
    if count:
        audit_record(actor=None, action="portal.sms_code.purge", object_type="portal.smscode",
                     extra={"count": count, "before": cutoff})
    return count


# --- checking a code -----------------------------------------------------------------------

class CodeCheck(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"  # none live: never sent, used, voided, or past its time


def _check_code(*, phone_hash: str, code: str, now: datetime) -> tuple[CodeCheck, SmsCode | None]:
    with transaction.atomic():
        row = (SmsCode.objects.select_for_update()
               .filter(phone_hash=phone_hash, used_at__isnull=True, voided_at__isnull=True, expires_at__gt=now)
               .order_by("-created_at").first())
        if row is None:
            return CodeCheck.EXPIRED, None
        expected = _code_hash(salt=row.salt, phone_hash=phone_hash, code=code)
        if hmac.compare_digest(expected, row.code_hash):
            row.used_at = now
            row.save(update_fields=["used_at"])
            audit_record(actor=None, action="portal.sms_code.verify", obj=row)
            return CodeCheck.OK, row
        row.attempts += 1
        fields = ["attempts"]
        if row.attempts >= _setting("PORTAL_SMS_MAX_ATTEMPTS", 5):
            row.voided_at = now
            fields.append("voided_at")
        row.save(update_fields=fields)
        audit_record(actor=None, action="portal.sms_code.wrong", obj=row, result=AuditEvent.Result.FAILURE,
                     extra={"attempts": row.attempts, "voided": row.voided_at is not None})
        return CodeCheck.WRONG, row


def sms_code_verify(*, phone: str, code: str, now: datetime | None = None) -> str:
    """Check `code` for `phone`; returns the normalised phone, else ApplicationError on the "code" field.

    A right code is spent at once. A wrong try counts (and is kept: it is written before the error
    is raised, outside the transaction that would roll it back); the fifth voids the code.
    """
    phone = _phone_or_error(phone)
    code = "".join(str(code or "").split())
    if not (code.isdigit() and len(code) == CODE_DIGITS):
        raise ApplicationError(_("The code is the 6 digits in the text message."), code="code_format", field="code")
    result, row = _check_code(phone_hash=citizen_phone_hash(phone), code=code, now=now or timezone.now())
    if result == CodeCheck.OK:
        return phone
    if result == CodeCheck.EXPIRED or (row is not None and row.voided_at is not None):
        raise ApplicationError(_("This code no longer works (it is used up or too old). Ask for a new code."),
                               code="code_expired", field="code")
    left = _setting("PORTAL_SMS_MAX_ATTEMPTS", 5) - row.attempts
    raise ApplicationError(_("The code is not right. Check the text message and type it again "
                             "(%(left)d tries left).") % {"left": left}, code="code_wrong", field="code")


# --- consent ---------------------------------------------------------------------------------

def consent_given(*, phone_hash: str, purpose: str) -> bool:
    """Whether this phone agreed to `purpose` under the notice in force now, and has not withdrawn."""
    return CitizenConsent.objects.filter(phone_hash=phone_hash, purpose=purpose,
                                         notice_version=current_notice_version(purpose),
                                         withdrawn_at__isnull=True).exists()


@transaction.atomic
def consent_record(*, phone_hash: str, purpose: str, now: datetime | None = None) -> CitizenConsent:
    """Record that the citizen agreed to `purpose` under the current notice. Agreeing twice is one row."""
    if purpose not in ConsentPurpose.values:
        raise ApplicationError(_("Unknown purpose of consent."), code="purpose_invalid", field="purpose")
    version = current_notice_version(purpose)
    existing = CitizenConsent.objects.filter(phone_hash=phone_hash, purpose=purpose, notice_version=version,
                                             withdrawn_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            consent = CitizenConsent.objects.create(phone_hash=phone_hash, purpose=purpose, notice_version=version,
                                                    granted_at=now or timezone.now())
    except IntegrityError:  # a double click recorded it a moment ago
        return CitizenConsent.objects.get(phone_hash=phone_hash, purpose=purpose, notice_version=version,
                                          withdrawn_at__isnull=True)
    audit_record(actor=None, action="portal.consent.grant", obj=consent,
                 extra={"purpose": purpose, "notice_version": version})
    return consent


@transaction.atomic
def consent_withdraw(*, phone_hash: str, purpose: str, now: datetime | None = None) -> int:
    """Withdraw every live consent of this phone to `purpose` (PIPL Art. 15); returns how many."""
    now = now or timezone.now()
    count = CitizenConsent.objects.filter(phone_hash=phone_hash, purpose=purpose,
                                          withdrawn_at__isnull=True).update(withdrawn_at=now)
    if count:
        audit_record(actor=None, action="portal.consent.withdraw", object_type="portal.citizenconsent",
                     extra={"purpose": purpose, "count": count})
    if count and purpose == ConsentPurpose.ACCOUNT:
        account_close(phone=None, phone_hash=phone_hash)
    return count


# --- the optional account --------------------------------------------------------------------

def account_for(*, phone_hash: str) -> CitizenAccount | None:
    return CitizenAccount.objects.filter(phone_hash=phone_hash).first()


@transaction.atomic
def account_open(*, phone: str, now: datetime | None = None) -> CitizenAccount:
    """Open (or find) the account of a verified phone, with the consent to keep its records together."""
    phone = _phone_or_error(phone)
    phone_hash = citizen_phone_hash(phone)
    consent_record(phone_hash=phone_hash, purpose=ConsentPurpose.ACCOUNT, now=now)
    account = CitizenAccount.objects.select_for_update().filter(phone_hash=phone_hash).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            account = CitizenAccount.objects.create(phone_hash=phone_hash, phone=phone,
                                                    last_signed_in_at=now or timezone.now())
    except IntegrityError:
        return CitizenAccount.objects.get(phone_hash=phone_hash)
    audit_record(actor=None, action="portal.account.open", obj=account, extra={"phone": mask_phone(phone)})
    return account


@transaction.atomic
def account_touch(*, phone_hash: str, now: datetime | None = None) -> None:
    CitizenAccount.objects.filter(phone_hash=phone_hash).update(last_signed_in_at=now or timezone.now())


@transaction.atomic
def account_close(*, phone: str | None, phone_hash: str = "") -> bool:
    """Close the account: the list goes away; questions and applications themselves stay on record."""
    phone_hash = phone_hash or citizen_phone_hash(_phone_or_error(phone or ""))
    account = CitizenAccount.objects.filter(phone_hash=phone_hash).first()
    if account is None:
        return False
    audit_record(actor=None, action="portal.account.close", obj=account)
    account.delete()
    CitizenConsent.objects.filter(phone_hash=phone_hash, purpose=ConsentPurpose.ACCOUNT,
                                  withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())
    return True
