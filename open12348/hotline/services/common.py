"""Helpers every hotline service shares: who may act, the legal-day deadlines, the timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.core.calendar import WorkCalendar, due_date
from open12348.core.errors import ApplicationError

from ..access import hotline_ids_for
from ..models import WorkOrder, WorkOrderEvent


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def not_found() -> ApplicationError:
    return ApplicationError(_("This record does not exist or is not yours."), code="not_found", status=404)


def require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise forbidden()


def require_hotline(actor, capability: str, hotline_id: int) -> None:
    """The capability, and the hotline within the actor's reach (else the same 404 as a missing one)."""
    require(actor, capability)
    if hotline_id not in hotline_ids_for(actor):
        raise not_found()


def text(value: Any, *, field: str, message: str, limit: int | None = None) -> str:
    value = str(value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    if limit and len(value) > limit:
        raise ApplicationError(_("Keep this under %(limit)d characters.") % {"limit": limit},
                               code="too_long", field=field)
    return value


def working_days_after(day: dt.date, *, days: int, calendar: WorkCalendar) -> tuple[dt.date, bool]:
    """The end of the `days`-th working day after `day` ("by the next working day" is days=1),
    and whether the calendar data it relied on was complete."""
    complete = True
    for _i in range(days):
        result = due_date(start=day, days=1, calendar=calendar)
        day, complete = result.due, complete and result.calendar_complete
    return day, complete


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def timeline(order: WorkOrder, *, actor, kind: str, note: str = "", data: dict | None = None) -> WorkOrderEvent:
    return WorkOrderEvent.objects.create(work_order=order, actor=user_or_none(actor), kind=kind, note=note,
                                         data=data or {})
