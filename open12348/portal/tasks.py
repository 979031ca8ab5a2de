"""Background work of the portal: thin, idempotent tasks."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="portal.purge_sms_codes", acks_late=True)
def purge_sms_codes_task() -> int:
    """Daily: delete verification codes past their keeping time. Running it twice deletes nothing more."""
    return services.sms_codes_purge()
