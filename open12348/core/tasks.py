"""Background work of the core: thin, idempotent tasks."""

from __future__ import annotations

from celery import shared_task

from .idempotency import idempotency_records_purge


@shared_task(name="core.purge_idempotency_records", acks_late=True)
def purge_idempotency_records_task() -> int:
    """Hourly: delete idempotency keys past IDEMPOTENCY_TTL_HOURS. Running it twice deletes nothing more."""
    return idempotency_records_purge()
