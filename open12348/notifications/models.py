"""The notification centre: what a user sees in the console, and the SMS and e-mail sent on its behalf.

A notification is also the record that a reminder went out: the engine in reminders.py never keeps
a second table, it relies on the unique (recipient, dedupe_key) pair here.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Unique per recipient, so that one event told to several people can use one key. NULL, not "",
    # is "no key": NULLs never collide in the unique constraint.
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, null=True, blank=True)  # noqa: DJ001

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="notification_unique_dedupe_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class OutboundMessage(models.Model):
    """One SMS or e-mail. Sent by `tasks.send_message_task` after the transaction that queued it commits."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("sending channel"), max_length=8, choices=Channel.choices)
    # A phone number or an e-mail address: personal data, encrypted at rest.
    to = EncryptedTextField(_("to"))
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # The text may carry a sign-in code, a tracking code or a name: encrypted as well.
    body = EncryptedTextField(_("text"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    dedupe_key = models.CharField(_("deduplication key"), max_length=255, unique=True, null=True, blank=True)
    notification = models.ForeignKey(
        Notification, verbose_name=_("notification"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="messages",
    )

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_at"], condition=~Q(status="sent"), name="message_unsent"),
        ]

    def __str__(self) -> str:
        # Never the address: this text goes into audit rows and logs.
        return f"{self.get_channel_display()} #{self.pk}"
