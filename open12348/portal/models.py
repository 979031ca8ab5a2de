"""The public portal's own records: who proved a phone number, what they consented to, their
optional account, and the legal aid application drafts of the guided interview (part B).

A citizen has no row in the staff `User` table. They are known by the keyed hash of their mobile
number (`identity.citizen_phone_hash`), the same blind index legal aid uses for `Person.phone_hash`,
so a verified phone can be matched to the applications registered for it without storing the
number in plain text anywhere.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedJSONField, EncryptedTextField

from .choices import ConsentPurpose


class SmsCode(models.Model):
    """One verification code sent by SMS. Only a keyed hash of the code is kept.

    A code is good once, for a few minutes, for a few wrong tries; sending a new one voids the
    older ones. `slot` (the send time in whole minimum intervals) is unique per phone, so two
    requests racing each other can never both send a code inside one interval.
    """

    phone_hash = models.CharField(max_length=64, db_index=True)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    slot = models.BigIntegerField()
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS verification code")
        verbose_name_plural = _("SMS verification codes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "slot"], name="portal_sms_code_one_per_slot"),
        ]

    def __str__(self) -> str:
        return f"SMS code #{self.pk}"


class CitizenConsent(models.Model):
    """A consent a citizen gave (PIPL Art. 14, 29): to what, under which version of the notice, when.

    Withdrawing keeps the row (the record that consent existed, and until when) and sets
    `withdrawn_at`; agreeing again makes a new row.
    """

    phone_hash = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    notice_version = models.CharField(_("notice version"), max_length=20)
    granted_at = models.DateTimeField(_("agreed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen consent")
        verbose_name_plural = _("citizen consents")
        ordering = ["-granted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "purpose", "notice_version"],
                                    condition=Q(withdrawn_at__isnull=True), name="portal_consent_one_active"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} v{self.notice_version}"


class CitizenAccount(models.Model):
    """The optional account: one list of everything a phone number asked and applied for.

    Without it a citizen still asks, applies and tracks, each item by its tracking code.
    """

    phone_hash = models.CharField(max_length=64, unique=True)
    phone = EncryptedTextField(_("mobile number"))
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    last_signed_in_at = models.DateTimeField(_("last signed in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")

    def __str__(self) -> str:
        return f"citizen account #{self.pk}"


class ApplicationDraft(models.Model):
    """A legal aid application being written in the portal's guided interview (part B).

    The answers are encrypted as one document; `submitted_application` is set when the draft
    became a real application, which is how a phone's portal applications are listed.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone_hash = models.CharField(max_length=64, db_index=True)
    answers = EncryptedJSONField(_("answers"), default=dict)
    step = models.CharField(_("step"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_application = models.ForeignKey(
        "legalaid.Application", verbose_name=_("submitted application"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="portal_drafts",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application draft")
        verbose_name_plural = _("application drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"draft {self.pk}"
