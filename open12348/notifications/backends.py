"""Where SMS and e-mail actually go: small pluggable backends chosen by settings.

    NOTIFY_SMS_BACKEND = "open12348.notifications.backends.RecordingBackend"    # the default
    NOTIFY_EMAIL_BACKEND = "open12348.notifications.backends.EmailBackend"

A backend's `send(message)` returns nothing when the provider accepted the message and raises any
exception when it did not; the task then records the error and retries. A backend never writes to
the database: marking a message sent is the task's job, so that a backend cannot forget it.

A site with an SMS contract writes a subclass for its provider (see docs/notifications.md):

    class AliyunSmsBackend(MessageBackend):
        def send(self, message):
            response = client.send_sms(phone=message.to, text=message.body, timeout=10)
            if response.code != "OK":
                raise RuntimeError(response.code)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

from open12348.core.masking import mask_phone

from .models import OutboundMessage

log = logging.getLogger(__name__)

DEFAULT_BACKEND = "open12348.notifications.backends.RecordingBackend"


class MessageBackend:
    """Delivers one message. Raise to fail; the caller retries with backoff."""

    def send(self, message: OutboundMessage) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class RecordedMessage:
    id: int
    channel: str
    to: str
    subject: str
    body: str
    at: datetime


# What RecordingBackend "sent", oldest first, like django.core.mail.outbox. Tests clear it.
outbox: list[RecordedMessage] = []


class RecordingBackend(MessageBackend):
    """Keeps messages in `outbox` instead of sending them: for tests, and for sites without an SMS
    contract, where the in-app notification is what reaches the user and the message row shows
    what would have been sent."""

    def send(self, message: OutboundMessage) -> None:
        outbox.append(RecordedMessage(id=message.pk, channel=message.channel, to=message.to,
                                      subject=message.subject, body=message.body, at=timezone.now()))


def mask_address(channel: str, to: str) -> str:
    """A phone as 138****5678, an e-mail as z***@example.com: fit for logs and audit rows."""
    if channel == OutboundMessage.Channel.SMS:
        return mask_phone(to)
    local, _, domain = to.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


class ConsoleBackend(MessageBackend):
    """Writes messages to the log, with the address masked: for development."""

    def send(self, message: OutboundMessage) -> None:
        log.info("%s to %s: %s %s", message.channel, mask_address(message.channel, message.to),
                 message.subject, message.body)


class EmailBackend(MessageBackend):
    """E-mail through Django's own mail settings (EMAIL_HOST, DEFAULT_FROM_EMAIL …)."""

    def send(self, message: OutboundMessage) -> None:
        send_mail(message.subject, message.body, None, [message.to], fail_silently=False)


_SETTING = {
    OutboundMessage.Channel.SMS: "NOTIFY_SMS_BACKEND",
    OutboundMessage.Channel.EMAIL: "NOTIFY_EMAIL_BACKEND",
}


def backend_for(channel: str) -> MessageBackend:
    path = getattr(settings, _SETTING[channel], DEFAULT_BACKEND)
    return import_string(path)()
