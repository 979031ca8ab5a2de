"""Background work of case quality: thin, idempotent tasks."""

from __future__ import annotations

from celery import shared_task

from . import services_review


@shared_task(name="quality.escalate_tickets")
def escalate_tickets() -> int:
    """Daily: supervision tickets past their deadline go up to the centre's directors and evaluators."""
    return services_review.tickets_escalate()
