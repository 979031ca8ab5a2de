"""The front desk (窗口受理): the queue, a visitor's visit with its requests (tickets), each ticket's
back office and feedback deadline, and the consultation register.

A ticket follows its back office: a legal aid application, a mediation case, or — for referrals to
notaries, appraisal, arbitration, lawyers and other departments — the result staff record when the
receiving body reports. What the person asked and the results are personal data: encrypted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.masking import mask_phone
from open12348.core.models import TimeStampedModel

from .choices import ConsultationChannel, QueueStatus, TicketKind, TicketStatus


class QueueNumber(models.Model):
    """A number taken at a service point's desk: A001, A002 … afresh every day."""

    desk = models.ForeignKey("network.Institution", verbose_name=_("service point"), on_delete=models.PROTECT,
                             related_name="queue_numbers")
    day = models.DateField(_("day"))
    sequence = models.PositiveIntegerField(_("sequence"))
    label = models.CharField(_("queue number"), max_length=8)
    status = models.CharField(_("status"), max_length=8, choices=QueueStatus.choices, default=QueueStatus.WAITING)
    taken_at = models.DateTimeField(_("taken at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        verbose_name = _("queue number")
        verbose_name_plural = _("queue numbers")
        ordering = ["day", "desk", "sequence"]
        constraints = [models.UniqueConstraint(fields=["desk", "day", "sequence"], name="frontdesk_queue_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def wait_minutes(self) -> int | None:
        if self.called_at is None:
            return None
        return int((self.called_at - self.taken_at).total_seconds() // 60)


class Visit(models.Model):
    """One visitor registered once at a desk, with one or more requests."""

    desk = models.ForeignKey("network.Institution", verbose_name=_("service point"), on_delete=models.PROTECT,
                             related_name="frontdesk_visits")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("legalaid.Person", verbose_name=_("visitor"), on_delete=models.PROTECT,
                               related_name="frontdesk_visits")
    queue_number = models.OneToOneField(QueueNumber, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="visit")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-registered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pk}"


class Ticket(TimeStampedModel):
    """One request of a visit, owned by a back office, with a feedback deadline in legal days."""

    number = models.CharField(_("ticket number"), max_length=20, unique=True)
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="tickets")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("request"), max_length=20, choices=TicketKind.choices)
    owner = models.ForeignKey("network.Institution", verbose_name=_("back office"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="frontdesk_tickets")
    owner_name = models.CharField(_("back office"), max_length=100)
    summary = EncryptedTextField(_("what the person asks"), blank=True)
    feedback_due = models.DateField(_("feedback due"))
    calendar_complete = models.BooleanField(default=True)
    status = models.CharField(_("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.OPEN)
    back_office_status = models.CharField(_("back office status"), max_length=80, blank=True)
    result = EncryptedTextField(_("result"), blank=True)
    resolved_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    person_told_at = models.DateTimeField(_("person told at"), null=True, blank=True)
    application = models.ForeignKey("legalaid.Application", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    dispute = models.ForeignKey("mediation.DisputeCase", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "status", "feedback_due"], name="frontdesk_ticket_queue_idx"),
            models.Index(fields=["status", "kind"], name="frontdesk_ticket_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    action = models.CharField(_("action"), max_length=32)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.action}"


class ConsultationRecord(models.Model):
    """One line of the consultation register (SF/T 0024): who asked, through which channel, what, and the answer."""

    desk = models.ForeignKey("network.Institution", verbose_name=_("service point"), on_delete=models.PROTECT,
                             related_name="+")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("channel"), max_length=8, choices=ConsultationChannel.choices)
    ticket = models.OneToOneField(Ticket, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="consultation")
    consulted_at = models.DateTimeField(_("consulted at"))
    name = models.CharField(_("name"), max_length=50, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    topic = models.CharField(_("topic"), max_length=60)
    question = EncryptedTextField(_("question"))
    answer = EncryptedTextField(_("answer"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("consultation record")
        verbose_name_plural = _("consultation register")
        ordering = ["-consulted_at", "-id"]
        indexes = [models.Index(fields=["region", "channel", "-consulted_at"], name="frontdesk_consult_idx")]

    def __str__(self) -> str:
        return self.topic

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
