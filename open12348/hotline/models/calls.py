"""Every call on record: the work order (话务工单), the telephony events it is folded from, its
timeline, and the callbacks it owes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimelineEvent, TimeStampedModel

from ..choices import (
    AttemptOutcome,
    CallbackKind,
    CallbackStatus,
    CallChannel,
    CallStatus,
    Category,
    EventKind,
    OrderSource,
    RatingChannel,
    Referral,
    Satisfaction,
    Topic,
)
from .hotline import Hotline, TelephonyClient
from .roster import Seat


class WorkOrder(TimeStampedModel):
    """One call or message (DB32/T 3837-2020: one electronic work order per call).

    The telephony fields (times, seat, status, caller, recording, rating) are what the call's
    events say (`events.fold_call`); staff fill in the content (category, topic, question, answer,
    resolution, referral). The caller's number, question, answer and message are encrypted at rest.
    """

    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.PROTECT,
                                related_name="work_orders")
    call_id = models.CharField(_("telephony call id"), max_length=100, unique=True)
    source = models.CharField(_("recorded by"), max_length=12, choices=OrderSource.choices,
                              default=OrderSource.TELEPHONY)
    channel = models.CharField(_("channel"), max_length=16, choices=CallChannel.choices, default=CallChannel.CALL)
    status = models.CharField(_("call status"), max_length=16, choices=CallStatus.choices, default=CallStatus.RINGING)
    caller_phone = EncryptedTextField(_("caller's number"), blank=True)
    caller_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    caller_name = models.CharField(_("caller's name"), max_length=50, blank=True)
    rang_at = models.DateTimeField(_("rang at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    wait_seconds = models.PositiveIntegerField(_("seconds to answer"), null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(_("call length in seconds"), null=True, blank=True)
    in_service_hours = models.BooleanField(_("in service hours"), default=True)
    seat_code = models.CharField(_("seat number"), max_length=20, blank=True)
    seat = models.ForeignKey(Seat, verbose_name=_("seat"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    agent_code = models.CharField(_("agent id"), max_length=150, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="hotline_calls")
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    message_text = EncryptedTextField(_("message"), blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rating_channel = models.CharField(_("rated through"), max_length=8, choices=RatingChannel.choices, blank=True)
    # The content, written by the person who took the call.
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    topic = models.CharField(_("legal topic"), max_length=24, choices=Topic.choices, blank=True)
    question = EncryptedTextField(_("question"), blank=True)
    answer = EncryptedTextField(_("answer given"), blank=True)
    resolved = models.BooleanField(_("resolved"), null=True, blank=True)
    follow_up_needed = models.BooleanField(_("follow-up needed"), default=False)
    referral = models.CharField(_("referred to"), max_length=20, choices=Referral.choices, blank=True)
    referral_to = models.CharField(_("department or organisation"), max_length=100, blank=True)
    referred_at = models.DateTimeField(_("referred at"), null=True, blank=True)
    application = models.ForeignKey("legalaid.Application", verbose_name=_("legal aid application"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="hotline_orders")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-rang_at", "-id"]
        indexes = [
            models.Index(fields=["hotline", "rang_at"], name="hotline_order_day_idx"),
            models.Index(fields=["answered_by", "rang_at"], name="hotline_order_person_idx"),
            models.Index(fields=["status", "rang_at"], name="hotline_order_status_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The work order number staff quote: stable from creation, whatever later events say."""
        return f"RX{self.pk:08d}" if self.pk else ""


class CallEvent(models.Model):
    """One event as the telephony system (or a person, when it was down) reported it.

    (call id, event id) is unique: a repeated event is refused by the database as well as by the
    service, so a call never counts an event twice.
    """

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    call_id = models.CharField(max_length=100)
    event_id = models.CharField(max_length=100)
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    caller_phone = EncryptedTextField(blank=True)
    seat_code = models.CharField(max_length=20, blank=True)
    agent_code = models.CharField(max_length=150, blank=True)
    recording_url = models.URLField(max_length=500, blank=True)
    channel = models.CharField(max_length=8, blank=True)
    text = EncryptedTextField(blank=True)
    rating = models.CharField(max_length=16, blank=True)
    rating_channel = models.CharField(max_length=8, blank=True)
    client = models.ForeignKey(TelephonyClient, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("call event")
        verbose_name_plural = _("call events")
        ordering = ["occurred_at", "id"]
        constraints = [models.UniqueConstraint(fields=["call_id", "event_id"], name="hotline_event_unique")]

    def __str__(self) -> str:
        return f"{self.call_id}/{self.event_id} {self.kind}"


class WorkOrderEvent(TimelineEvent):
    """The work order's history as staff see it: content recorded, referred, callbacks and reviews."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="timeline")

    class Meta(TimelineEvent.Meta):
        verbose_name = _("work order event")
        verbose_name_plural = _("work order events")


class CallbackTask(TimeStampedModel):
    """A call the hotline owes a caller: after a missed call or message, a dissatisfied rating, a
    follow-up, or an expert's answer to a difficult question. Closes only when the caller is
    reached or the configured number of attempts ran out with a reason (workflow.py)."""

    work_order = models.ForeignKey(WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE,
                                   related_name="callbacks")
    hotline = models.ForeignKey(Hotline, verbose_name=_("hotline"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=CallbackKind.choices)
    status = models.CharField(_("status"), max_length=12, choices=CallbackStatus.choices,
                              default=CallbackStatus.OPEN)
    due_on = models.DateField(_("due by"))
    calendar_complete = models.BooleanField(default=True)
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="hotline_callbacks")
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"))
    attempts_made = models.PositiveSmallIntegerField(_("attempts made"), default=0)
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    question = EncryptedTextField(_("question for the expert"), blank=True)
    answer = EncryptedTextField(_("answer given on the callback"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    close_reason = models.TextField(_("reason"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["work_order", "kind"], name="hotline_callback_one_per_kind")]
        indexes = [
            models.Index(fields=["hotline", "status", "due_on"], name="hotline_callback_queue_idx"),
            models.Index(fields=["assigned_to"], condition=Q(status="open"), name="hotline_callback_mine_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.work_order_id}"


class CallbackAttempt(models.Model):
    task = models.ForeignKey(CallbackTask, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=16, choices=AttemptOutcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("callback attempt")
        verbose_name_plural = _("callback attempts")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.outcome}"
