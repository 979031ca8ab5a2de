"""Reads of the hotline, restricted to the hotlines the user may see (access.hotline_ids_for):
work orders, the callback queues, and the roster (on duty now, a person's schedule, a month)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.core.crypto import blind_index

from .access import hotline_ids_for
from .choices import CallbackKind, CallbackStatus, CallStatus
from .events import normalise_phone
from .models import CallbackTask, Hotline, RosterEntry, Shift, WorkOrder
from .rostering import shift_runs_on

CALLBACK_QUEUES = ("mine", "queue", "overdue", "supervisor", "closed")


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of `start` and of the day after `end`: an index-friendly range on a datetime."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))


# --- work orders ------------------------------------------------------------------------------------

def work_order_list_visible_to(*, user, filters: dict[str, Any] | None = None) -> QuerySet[WorkOrder]:
    """Work orders of the user's hotlines, newest first, filtered. A fixed number of queries per page."""
    filters = filters or {}
    orders = WorkOrder.objects.filter(hotline_id__in=hotline_ids_for(user))
    if filters.get("date_from") or filters.get("date_to"):
        start, end = day_bounds(filters.get("date_from") or dt.date(2000, 1, 1),
                                filters.get("date_to") or timezone.localdate())
        orders = orders.filter(rang_at__gte=start, rang_at__lt=end)
    for name in ("channel", "status", "category", "topic"):
        if filters.get(name):
            orders = orders.filter(**{name: filters[name]})
    phone = normalise_phone(filters.get("phone"))
    if phone:
        orders = orders.filter(caller_phone_hash=blind_index(phone, purpose="phone"))
    number = str(filters.get("number") or "").strip().upper().removeprefix("RX")
    if number:
        orders = orders.filter(pk=int(number)) if number.isdigit() else orders.none()
    if filters.get("mine"):
        orders = orders.filter(answered_by=user)
    if filters.get("to_record"):  # answered, but nobody wrote down the question yet
        orders = orders.filter(status=CallStatus.ANSWERED, category="")
    return orders.select_related("hotline", "seat", "answered_by").order_by("-rang_at", "-id")


def work_order_callbacks(order: WorkOrder) -> QuerySet[CallbackTask]:
    return order.callbacks.select_related("assigned_to", "closed_by").prefetch_related("attempts__by")


# --- callbacks ----------------------------------------------------------------------------------------

def callback_queue(*, user, queue: str, today: dt.date | None = None) -> QuerySet[CallbackTask]:
    """One of the callback queues: mine (assigned to me, open), queue (open, nobody's yet), overdue
    (open, past due), supervisor (dissatisfied callers, for HOTLINE_MANAGE), closed."""
    today = today or timezone.localdate()
    tasks = CallbackTask.objects.filter(hotline_id__in=hotline_ids_for(user))
    manager = user_can(user, Capability.HOTLINE_MANAGE)
    if not manager:
        tasks = tasks.exclude(kind=CallbackKind.DISSATISFIED)
    if queue == "mine":
        tasks = tasks.filter(status=CallbackStatus.OPEN, assigned_to=user)
    elif queue == "queue":
        tasks = tasks.filter(status=CallbackStatus.OPEN, assigned_to__isnull=True)
    elif queue == "overdue":
        tasks = tasks.filter(status=CallbackStatus.OPEN, due_on__lt=today)
    elif queue == "supervisor":
        tasks = tasks.filter(status=CallbackStatus.OPEN, kind=CallbackKind.DISSATISFIED) if manager else tasks.none()
    else:
        tasks = tasks.exclude(status=CallbackStatus.OPEN)
    order = ("-closed_at", "-id") if queue == "closed" else ("due_on", "id")
    return tasks.select_related("work_order", "assigned_to", "closed_by").order_by(*order)


def callback_counts(*, user, today: dt.date | None = None) -> dict[str, int]:
    """The open queues' sizes in one query."""
    today = today or timezone.localdate()
    tasks = CallbackTask.objects.filter(hotline_id__in=hotline_ids_for(user), status=CallbackStatus.OPEN)
    manager = user_can(user, Capability.HOTLINE_MANAGE)
    if not manager:
        tasks = tasks.exclude(kind=CallbackKind.DISSATISFIED)
    counts = tasks.aggregate(
        mine=Count("id", filter=Q(assigned_to=user)),
        queue=Count("id", filter=Q(assigned_to__isnull=True)),
        overdue=Count("id", filter=Q(due_on__lt=today)),
        supervisor=Count("id", filter=Q(kind=CallbackKind.DISSATISFIED)),
    )
    if not manager:
        counts["supervisor"] = 0
    return counts


# --- the roster ---------------------------------------------------------------------------------------

def on_duty_now(*, hotline: Hotline, now: dt.datetime | None = None, calendar=None) -> dict[str, Any]:
    """Who sits at which seat now; or, outside every shift, that calls go to voice mail."""
    from open12348.core.calendar_store import legal_calendar

    now = timezone.localtime(now or timezone.now())
    calendar = calendar or legal_calendar()
    working = calendar.is_working_day(now.date())
    shifts = [s for s in Shift.objects.filter(hotline=hotline, is_active=True)
              if shift_runs_on(s.days, working_day=working) and s.starts <= now.time() < s.ends]
    entries = list(RosterEntry.objects.filter(hotline=hotline, date=now.date(), shift__in=shifts)
                   .select_related("seat", "shift", "user").order_by("seat__code"))
    upcoming = (RosterEntry.objects.filter(hotline=hotline, date__gt=now.date()).order_by("date")
                .values_list("date", flat=True).first())
    return {"now": now, "working_day": working, "shifts": shifts, "entries": entries, "voice_mail": not shifts,
            "next_duty_day": upcoming}


def schedule_of(*, user, start: dt.date, end: dt.date) -> QuerySet[RosterEntry]:
    return (RosterEntry.objects.filter(user=user, date__gte=start, date__lte=end, hotline_id__in=hotline_ids_for(user))
            .select_related("shift", "seat", "hotline").order_by("date", "shift__starts"))


def month_roster(*, hotline: Hotline, start: dt.date, end: dt.date) -> QuerySet[RosterEntry]:
    return (RosterEntry.objects.filter(hotline=hotline, date__gte=start, date__lte=end)
            .select_related("shift", "seat", "user").order_by("date", "shift__starts", "seat__code"))
