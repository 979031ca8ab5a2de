"""Reads of the audit log for the audit administrator's screens and export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    """What the audit administrator asked for. Dates are local calendar days, both inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    username: str = ""
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    result: str = ""

    def as_extra(self) -> dict[str, str]:
        """The filters as written into the export's own audit row."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v}


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def audit_event_list(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """Newest first. `action` is a prefix, so `auth.` finds every sign-in event."""
    qs = AuditEvent.objects.all()
    if filters.date_from:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    if filters.username:
        qs = qs.filter(actor_username=filters.username)
    if filters.action:
        qs = qs.filter(action__startswith=filters.action)
    if filters.object_type:
        qs = qs.filter(object_type=filters.object_type)
    if filters.object_id:
        qs = qs.filter(object_id=filters.object_id)
    if filters.result:
        qs = qs.filter(result=filters.result)
    return qs.order_by("-id")


def audit_event_page(*, filters: AuditFilters, before: int | None, size: int) -> tuple[list[AuditEvent], int | None]:
    """One page of the log by keyset (`id < before`), so page 10,000 costs what page 1 costs.

    Returns the rows and the `before` value of the next (older) page, or None on the last page.
    """
    qs = audit_event_list(filters=filters)
    if before is not None:
        qs = qs.filter(id__lt=before)
    rows = list(qs[: size + 1])
    if len(rows) > size:
        rows = rows[:size]
        return rows, rows[-1].id
    return rows, None
