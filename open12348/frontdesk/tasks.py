"""Background work of the front desk: thin, idempotent tasks."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="frontdesk.sync_results")
def sync_results() -> int:
    """Every few minutes: open legal aid and mediation tickets follow their back offices; people are told."""
    return services.tickets_sync_open()
