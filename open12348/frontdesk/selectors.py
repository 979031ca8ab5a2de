"""Reads of the front desk: every ticket in the reader's region with its back office's live status,
the consultation register, and today's queue with waiting times."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from open12348.accounts.scope import restrict_to_regions

from .choices import QueueStatus, TicketStatus
from .models import ConsultationRecord, QueueNumber, Ticket


def tickets_visible_to(*, user, status: str = "", kind: str = "", overdue_on: dt.date | None = None) -> QuerySet:
    qs = (restrict_to_regions(Ticket.objects.all(), user=user)
          .select_related("visit__person", "visit__desk", "owner", "application", "dispute"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if overdue_on is not None:
        qs = qs.exclude(status=TicketStatus.RESOLVED).filter(feedback_due__lt=overdue_on)
    return qs


def consultations_visible_to(*, user, channel: str = "") -> QuerySet:
    qs = restrict_to_regions(ConsultationRecord.objects.all(), user=user).select_related("desk", "answered_by")
    return qs.filter(channel=channel) if channel else qs


@dataclass
class QueueDay:
    numbers: list[QueueNumber]
    waiting: int
    served: int
    average_wait: float | None
    longest_wait: int | None


def queue_today(*, desk, day: dt.date) -> QueueDay:
    numbers = list(QueueNumber.objects.filter(desk=desk, day=day).order_by("sequence"))
    waits = [n.wait_minutes for n in numbers if n.wait_minutes is not None]
    return QueueDay(numbers=numbers, waiting=sum(n.status == QueueStatus.WAITING for n in numbers),
                    served=sum(n.status == QueueStatus.SERVED for n in numbers),
                    average_wait=round(sum(waits) / len(waits), 1) if waits else None,
                    longest_wait=max(waits) if waits else None)
