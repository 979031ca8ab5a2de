"""Background work of the notification centre: thin, idempotent tasks that take ids.

All run with late acknowledgement: a worker killed mid-task leaves the task on the broker, and
running it again does no harm (a sent message is not sent again, a reminder is not repeated).
"""

from __future__ import annotations

import random
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from open12348.core.jobs import enqueue

from . import reminders, selectors, services

MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 60 * 60
STALLED_AFTER = timedelta(minutes=15)


def retry_delay(attempts: int) -> int:
    """1, 2, 4, 8 … minutes after the 1st, 2nd, 3rd … failure, capped, with jitter so a provider
    outage does not end in every message retrying in the same second."""
    delay = min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)
    return delay + random.randint(0, delay // 10)


@shared_task(name="notifications.send_message", bind=True, acks_late=True, max_retries=MAX_ATTEMPTS)
def send_message_task(self, message_id: int) -> str:
    result = services.message_deliver(message_id=message_id)
    if result.outcome == services.Delivery.FAILED and result.attempts < MAX_ATTEMPTS:
        raise self.retry(countdown=retry_delay(result.attempts))
    return str(result.outcome)


@shared_task(name="notifications.run_reminders", acks_late=True)
def run_reminders_task() -> dict:
    return reminders.run_reminders(today=timezone.localdate()).as_dict()


@shared_task(name="notifications.resend_stalled", acks_late=True)
def resend_stalled_task() -> int:
    """Every few minutes: give messages whose task was lost (or gave up early) another task."""
    ids = selectors.message_ids_stalled(now=timezone.now(), max_attempts=MAX_ATTEMPTS, wait=STALLED_AFTER)
    for message_id in ids:
        enqueue(send_message_task, message_id)
    return len(ids)
