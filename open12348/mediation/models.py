"""People's mediation: a dispute case, its parties, sessions, the agreement and the case's timeline.

Parties' ID numbers and phones, the facts, session notes and the agreement's content are personal
data: encrypted at rest, shown masked in lists. Who sees a case: staff whose organisation's region
contains the committee's region.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.masking import mask_id_number, mask_phone
from open12348.core.models import TimeStampedModel

from .choices import (
    ConfirmationResult,
    DisputeSource,
    DisputeStatus,
    DisputeType,
    FailureReferral,
    PartyConsent,
    PartySide,
    PerformanceStatus,
)


class DisputeCase(TimeStampedModel):
    number = models.CharField(_("number"), max_length=40)
    committee = models.ForeignKey("network.Institution", verbose_name=_("mediation committee"),
                                  on_delete=models.PROTECT, related_name="dispute_cases")
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="dispute_cases", help_text=_("The committee's region: who may see it."))
    mediators = models.ManyToManyField("network.Practitioner", verbose_name=_("mediators"), blank=True,
                                       related_name="dispute_cases")
    dispute_type = models.CharField(_("type of dispute"), max_length=16, choices=DisputeType.choices)
    source = models.CharField(_("how it came"), max_length=16, choices=DisputeSource.choices)
    source_detail = models.CharField(_("referring body or ticket"), max_length=100, blank=True)
    facts = EncryptedTextField(_("facts of the dispute"))
    status = models.CharField(_("status"), max_length=20, choices=DisputeStatus.choices,
                              default=DisputeStatus.AWAITING_CONSENT)
    received_on = models.DateField(_("received on"))
    guideline_due = models.DateField(_("to be completed by (one-month guideline)"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome_note = EncryptedTextField(_("outcome notes"), blank=True)
    referral = models.CharField(_("referred after failure to"), max_length=12, choices=FailureReferral.choices,
                                blank=True)
    referral_note = models.CharField(_("referral record"), max_length=200, blank=True)
    legal_aid_application = models.ForeignKey("legalaid.Application", verbose_name=_("legal aid application"),
                                              null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("dispute case")
        verbose_name_plural = _("dispute cases")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "number"], name="mediation_case_number_unique"),
        ]
        indexes = [
            models.Index(fields=["region", "status", "-received_on"], name="mediation_region_status_idx"),
            models.Index(fields=["status", "guideline_due"], name="mediation_guideline_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    def overdue_on(self, today) -> bool:
        """Past the one-month guideline: still open after it, or closed later than it."""
        end = self.closed_on or today
        return end > self.guideline_due


class Party(models.Model):
    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="parties")
    side = models.CharField(_("side"), max_length=12, choices=PartySide.choices)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))], blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    consent = models.CharField(_("consent to mediation"), max_length=8, choices=PartyConsent.choices,
                               default=PartyConsent.PENDING)
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "side", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class Session(models.Model):
    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    notes = EncryptedTextField(_("notes"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation session")
        verbose_name_plural = _("mediation sessions")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.held_on}"


class Agreement(models.Model):
    """The written mediation agreement (调解协议书), Art. 28–29, and what happens to it afterwards.

    It takes effect when every party and the mediator have signed and the committee has sealed it
    (Art. 29); from that day runs the 30-day window for a joint application for judicial
    confirmation (Art. 33), ending on a legal day (RULES §0).
    """

    case = models.OneToOneField(DisputeCase, verbose_name=_("dispute case"), on_delete=models.CASCADE,
                                related_name="agreement")
    made_on = models.DateField(_("agreed on"))
    issues = EncryptedTextField(_("matters in dispute and each party's responsibility"))
    content = EncryptedTextField(_("what the parties agreed"))
    performance_manner = models.CharField(_("manner of performance"), max_length=200)
    performance_due = models.DateField(_("to be performed by"))
    signed_on = models.DateField(_("signed and sealed on"), null=True, blank=True)
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    confirmation_due = models.DateField(_("judicial confirmation to be applied for by"), null=True, blank=True)
    confirmation_calendar_complete = models.BooleanField(default=True)
    confirmation_applied_on = models.DateField(_("judicial confirmation applied for on"), null=True, blank=True)
    confirmation_court = models.CharField(_("court"), max_length=100, blank=True)
    confirmation_result = models.CharField(_("judicial confirmation"), max_length=10,
                                           choices=ConfirmationResult.choices, blank=True)
    confirmation_decided_on = models.DateField(_("court decided on"), null=True, blank=True)
    performance = models.CharField(_("performance"), max_length=16, choices=PerformanceStatus.choices, blank=True)
    performance_checked_on = models.DateField(_("performance checked on"), null=True, blank=True)
    performance_note = models.CharField(_("performance notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")
        indexes = [models.Index(fields=["confirmation_due"], name="mediation_confirm_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(effective_on__isnull=True) | Q(signed_on__isnull=False),
                                   name="mediation_effective_needs_signing"),
        ]

    def __str__(self) -> str:
        return f"{self.case}"

    @property
    def is_effective(self) -> bool:
        return self.effective_on is not None


class DisputeEvent(models.Model):
    """One step in a case's timeline."""

    case = models.ForeignKey(DisputeCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"
