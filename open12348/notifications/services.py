"""Writes of the notification centre: notify a user, deliver one message, mark notifications read.

`notify` is the one entry point other apps use. It is idempotent on `dedupe_key`, and it sends
nothing itself: SMS and e-mail are queued as rows and delivered by a task that starts only after
the caller's transaction commits, so a rolled-back change never tells anyone anything.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from open12348.audit.models import AuditEvent
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.jobs import enqueue

from .backends import backend_for, mask_address
from .models import Notification, OutboundMessage

log = logging.getLogger(__name__)

Channel = OutboundMessage.Channel
Status = OutboundMessage.Status

# Provider errors sometimes echo the number or address they refused; neither may reach a log.
_PHONE_LIKE = re.compile(r"\+?\d[\d -]{6,}\d")
_EMAIL_LIKE = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+")


def _scrub(text: str) -> str:
    return _EMAIL_LIKE.sub("***@***", _PHONE_LIKE.sub("***", text))


def _email_text(*, body: str, url: str) -> str:
    site = getattr(settings, "NOTIFY_SITE_URL", "").rstrip("/")
    if url.startswith("/") and site:
        return f"{body}\n\n{site}{url}".strip()
    return body


def _notification_exists(*, recipient, dedupe_key: str) -> bool:
    """The cheap check; the unique constraint is what actually guarantees one notification."""
    return Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists()


@transaction.atomic
def notify(
    *,
    recipient,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    dedupe_key: str | None = None,
    sms: bool = False,
    email: bool = False,
    phone: str = "",
    actor=None,
) -> Notification | None:
    """Tell `recipient` something in the console, and by SMS to `phone` and/or e-mail when asked.

    Returns None, and sends nothing, when this recipient already has a notification with
    `dedupe_key` (also when another worker is creating it at this moment) or is deactivated.
    SMS needs `phone` (users have no phone field); e-mail goes to `recipient.email` if it has one.
    Keep personal data out of `title` and `body`: SMS and e-mail pass through third parties.
    """
    if not recipient.is_active:
        return None
    dedupe_key = dedupe_key or None  # "" would otherwise be a key shared by every call
    if dedupe_key is not None and _notification_exists(recipient=recipient, dedupe_key=dedupe_key):
        return None
    notification = Notification(
        recipient=recipient, kind=kind, title=Truncator(title).chars(200), body=body, url=url[:500],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        dedupe_key=dedupe_key,
    )
    try:
        with transaction.atomic():  # a savepoint: losing the race must not break the caller's transaction
            notification.save()
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None

    channels = []
    phone = (phone or "").strip()
    if sms and phone:
        sms_text = f"{notification.title} {body}".strip()
        channels.append(_message_create(channel=Channel.SMS, to=phone, subject="", body=sms_text,
                                        notification=notification))
    if email and recipient.email:
        channels.append(_message_create(channel=Channel.EMAIL, to=recipient.email, subject=notification.title,
                                        body=_email_text(body=body, url=url), notification=notification))
    audit_record(actor=actor, action="notification.create", obj=notification,
                 extra={"recipient": recipient.pk, "kind": kind, "dedupe_key": dedupe_key,
                        "channels": [m.channel for m in channels]})
    for message in channels:
        _deliver_after_commit(message)
    return notification


@transaction.atomic
def message_queue(
    *, channel: str, to: str, body: str, subject: str = "", dedupe_key: str | None = None, actor=None,
) -> OutboundMessage | None:
    """Send an SMS or e-mail to someone who has no account (a citizen), after commit.

    Returns None when a message with `dedupe_key` exists already.
    """
    dedupe_key = dedupe_key or None
    if dedupe_key is not None and OutboundMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            message = _message_create(channel=channel, to=to.strip(), subject=subject, body=body,
                                      dedupe_key=dedupe_key)
    except IntegrityError:
        if dedupe_key is None:
            raise
        return None
    audit_record(actor=actor, action="notification.message_queue", obj=message,
                 extra={"channel": channel, "to": mask_address(channel, message.to), "dedupe_key": dedupe_key})
    _deliver_after_commit(message)
    return message


def _message_create(*, channel: str, to: str, subject: str, body: str, notification: Notification | None = None,
                    dedupe_key: str | None = None) -> OutboundMessage:
    if dedupe_key is None and notification is not None:
        dedupe_key = f"notification:{notification.pk}:{channel}"
    return OutboundMessage.objects.create(channel=channel, to=to, subject=Truncator(subject).chars(200),
                                          body=body, notification=notification, dedupe_key=dedupe_key)


def _deliver_after_commit(message: OutboundMessage) -> None:
    from .tasks import send_message_task  # the task module imports this one

    enqueue(send_message_task, message.pk)


class Delivery(StrEnum):
    SENT = "sent"
    ALREADY_SENT = "already_sent"
    FAILED = "failed"
    MISSING = "missing"


@dataclass(frozen=True)
class DeliveryResult:
    outcome: Delivery
    attempts: int = 0


def message_deliver(*, message_id: int) -> DeliveryResult:
    """Try once to hand one message to its backend, and record the outcome on the message.

    The row stays locked while the backend works, so two workers given the same message send it
    once: the second waits and then finds it sent. A sent message is never sent again; a failed
    one can be tried again any time.
    """
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return DeliveryResult(Delivery.MISSING)
        if message.status == Status.SENT:
            return DeliveryResult(Delivery.ALREADY_SENT, message.attempts)
        now = timezone.now()
        masked = mask_address(message.channel, message.to)
        try:
            backend_for(message.channel).send(message)
        except Exception as exc:  # any provider failure is recorded and retried, never raised into the worker
            error = _scrub(f"{type(exc).__name__}: {exc}")[:500]
            OutboundMessage.objects.filter(pk=message.pk).update(
                status=Status.FAILED, attempts=F("attempts") + 1, last_error=error, last_attempt_at=now,
            )
            audit_record(actor=None, action="notification.message_failed", obj=message,
                         result=AuditEvent.Result.FAILURE,
                         extra={"channel": message.channel, "to": masked, "attempt": message.attempts + 1,
                                "error": error})
            log.warning("%s failed (attempt %d): %s", message, message.attempts + 1, error)
            return DeliveryResult(Delivery.FAILED, message.attempts + 1)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=Status.SENT, attempts=F("attempts") + 1, last_error="", last_attempt_at=now, sent_at=now,
        )
        audit_record(actor=None, action="notification.message_sent", obj=message,
                     extra={"channel": message.channel, "to": masked, "attempt": message.attempts + 1})
        return DeliveryResult(Delivery.SENT, message.attempts + 1)


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> bool:
    """Mark the actor's own notification read. Returns False if it was read already.

    Load the notification with `access.access_notification`, which gives 404 for other people's.
    """
    if notification.recipient_id != actor.pk:
        raise ApplicationError(_("This notification was not found."), code="not_found", status=404)
    now = timezone.now()
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    if changed:
        notification.read_at = now
        audit_record(actor=actor, action="notification.read", obj=notification)
    return bool(changed)


@transaction.atomic
def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    count = Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(actor=actor, action="notification.read_all", object_type="notifications.notification",
                     extra={"count": count})
    return count
