"""Background work of the hotline: thin, idempotent tasks that take ids."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.notifications.services import message_queue

from .models import WorkOrder
from .services import callbacks, recordings

log = logging.getLogger(__name__)


@shared_task(name="hotline.send_rating_sms", acks_late=True)
def send_rating_sms(order_id: int) -> bool:
    """The satisfaction link after an answered call; once per call (the message's dedupe key)."""
    from .services.calls import rating_url

    order = WorkOrder.objects.filter(pk=order_id).select_related("hotline").first()
    if order is None or order.satisfaction or not order.caller_phone:
        return False
    body = _("Thank you for calling %(hotline)s. How satisfied were you with the answer? %(url)s") % {
        "hotline": order.hotline.number, "url": rating_url(order)}
    return message_queue(channel="sms", to=order.caller_phone, body=body,
                         dedupe_key=f"hotline.rating:{order.pk}") is not None


@shared_task(name="hotline.escalate_overdue_callbacks", acks_late=True)
def escalate_overdue_callbacks() -> int:
    """Hourly: tell the supervisors about callbacks past their due date (once each)."""
    return callbacks.callbacks_escalate_overdue(today=timezone.localdate())


@shared_task(name="hotline.expire_recordings", acks_late=True)
def expire_recordings() -> int:
    """Daily: forget recording addresses older than the hotline's retention period."""
    return recordings.recordings_expire(now=timezone.now())
