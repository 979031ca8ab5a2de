"""The hotline board: a period's figures and the service standards per seat and per person.

Definitions (docs/hotline.md):

- calls: phone calls received (voice messages included), by the day they rang;
- calls served: calls answered by a person;
- answer rate: calls answered in service hours ÷ calls that rang in service hours (out of hours,
  calls go to voice mail by design and do not count against it);
- answered within target: answered calls picked up within the hotline's seconds;
- messages: voice messages, SMS and web messages; messages called back: those whose callback is
  closed (reached, or not reachable after the configured attempts, with a reason);
- callback rate: callbacks of missed calls and messages closed ÷ (closed + open past their due
  date), so a callback not yet due does not count against the rate; overdue: open past due;
- satisfaction: (satisfied + fairly satisfied) ÷ calls rated.

Each figure is one aggregate query over an index-backed date range (a few queries in all). A
city's year is some ten thousand work orders; a province's board would read a daily summary.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from .choices import (
    CALLBACK_CLOSED,
    SATISFIED_ANSWERS,
    CallbackKind,
    CallbackStatus,
    CallChannel,
    CallStatus,
    Referral,
    ReviewStatus,
    Satisfaction,
)
from .models import CallbackTask, CallReview, WorkOrder
from .selectors import day_bounds

CALLS = (CallChannel.CALL, CallChannel.VOICE_MESSAGE)
SERVED = (CallStatus.ANSWERED, CallStatus.IN_CALL)
MESSAGES = (CallStatus.VOICE_MESSAGE, CallStatus.MESSAGE)
PER_ROW_LIMIT = 100


def ratio(part: int, whole: int) -> Decimal | None:
    """part ÷ whole to four decimals (shown as a percentage with two), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _seconds(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Period:
    start: dt.date
    end: dt.date


def _orders(hotline_ids: list[int], period: Period):
    start, end = day_bounds(period.start, period.end)
    return WorkOrder.objects.filter(hotline_id__in=hotline_ids, rang_at__gte=start, rang_at__lt=end)


def _call_aggregates(prefix: str = "") -> dict:
    """The per-call counts, usable on work orders (prefix "") or grouped rows."""
    served = Q(status__in=SERVED)
    return {
        "calls": Count("id", filter=Q(channel__in=CALLS)),
        "served": Count("id", filter=served),
        "in_hours": Count("id", filter=Q(channel__in=CALLS, in_service_hours=True) & ~Q(status=CallStatus.RINGING)),
        "served_in_hours": Count("id", filter=served & Q(in_service_hours=True)),
        "within_target": Count("id", filter=served & Q(wait_seconds__lte=F("hotline__answer_within_seconds"))),
        "avg_wait": Avg("wait_seconds", filter=served),
        "avg_talk": Avg("talk_seconds", filter=served),
        "rated": Count("id", filter=~Q(satisfaction="")),
        "satisfied": Count("id", filter=Q(satisfaction__in=SATISFIED_ANSWERS)),
        "dissatisfied": Count("id", filter=Q(satisfaction=Satisfaction.DISSATISFIED)),
    }


def _call_figures(row: dict) -> dict:
    return {
        **row,
        "answer_rate": ratio(row["served_in_hours"], row["in_hours"]),
        "within_target_rate": ratio(row["within_target"], row["served"]),
        "avg_wait": _seconds(row["avg_wait"]),
        "avg_talk": _seconds(row["avg_talk"]),
        "satisfaction_rate": ratio(row["satisfied"], row["rated"]),
    }


def _callback_figures(hotline_ids: list[int], period: Period, *, today: dt.date) -> dict:
    start, end = day_bounds(period.start, period.end)
    closed = Q(status__in=CALLBACK_CLOSED)
    overdue = Q(status=CallbackStatus.OPEN, due_on__lt=today)
    tasks = CallbackTask.objects.filter(hotline_id__in=hotline_ids, kind=CallbackKind.MISSED,
                                        work_order__rang_at__gte=start, work_order__rang_at__lt=end)
    row = tasks.aggregate(
        owed=Count("id", filter=~Q(status=CallbackStatus.WITHDRAWN)),
        closed=Count("id", filter=closed),
        reached=Count("id", filter=Q(status=CallbackStatus.REACHED)),
        overdue=Count("id", filter=overdue),
        waiting=Count("id", filter=Q(status=CallbackStatus.OPEN, due_on__gte=today)),
        first_try_on_time=Count("id", filter=Q(first_attempt_at__isnull=False, first_attempt_at__date__lte=F("due_on"))),
        messages_owed=Count("id", filter=Q(work_order__status__in=MESSAGES) & ~Q(status=CallbackStatus.WITHDRAWN)),
        messages_called_back=Count("id", filter=closed & Q(work_order__status__in=MESSAGES)),
    )
    row["callback_rate"] = ratio(row["closed"], row["closed"] + row["overdue"])
    row["on_time_rate"] = ratio(row["first_try_on_time"], row["closed"] + row["overdue"])
    return row


def board_figures(*, hotline_ids: list[int], start: dt.date, end: dt.date, today: dt.date | None = None) -> dict:
    """Every figure of the board for the period (both days included)."""
    today = today or timezone.localdate()
    period = Period(start, end)
    orders = _orders(hotline_ids, period)
    calls = _call_figures(orders.aggregate(
        **_call_aggregates(),
        missed=Count("id", filter=Q(status=CallStatus.MISSED)),
        messages=Count("id", filter=Q(status__in=MESSAGES)),
        voice_messages=Count("id", filter=Q(status=CallStatus.VOICE_MESSAGE)),
        written_messages=Count("id", filter=Q(status=CallStatus.MESSAGE)),
        to_legal_aid=Count("id", filter=Q(referral=Referral.LEGAL_AID)),
        to_mediation=Count("id", filter=Q(referral=Referral.MEDIATION)),
        to_department=Count("id", filter=Q(referral=Referral.OTHER_DEPARTMENT)),
        resolved=Count("id", filter=Q(resolved=True)),
    ))
    reviews = CallReview.objects.filter(work_order__in=orders.values("id"), status=ReviewStatus.REVIEWED) \
        .aggregate(n=Count("id"), avg=Avg("score"))
    return {
        "start": start, "end": end, "calls": calls,
        "callbacks": _callback_figures(hotline_ids, period, today=today),
        "reviews": {"count": reviews["n"], "average": _seconds(reviews["avg"])},
    }


def per_person(*, hotline_ids: list[int], start: dt.date, end: dt.date) -> list[dict]:
    """Service standards per person who answered: calls, answer time, call length, satisfaction,
    callbacks closed and on time, quality score. A few grouped queries, whatever the staff size."""
    period = Period(start, end)
    orders = _orders(hotline_ids, period)
    rows = {r["answered_by"]: _call_figures(r) for r in orders.filter(answered_by__isnull=False)
            .values("answered_by", "answered_by__username", "answered_by__real_name")
            .annotate(**_call_aggregates()).order_by("-served")[:PER_ROW_LIMIT]}
    start_dt, end_dt = day_bounds(start, end)
    callbacks = (CallbackTask.objects.filter(hotline_id__in=hotline_ids, closed_by__in=list(rows),
                                             closed_at__gte=start_dt, closed_at__lt=end_dt)
                 .values("closed_by").annotate(closed=Count("id"),
                                               on_time=Count("id", filter=Q(closed_at__date__lte=F("due_on")))))
    for row in callbacks:
        rows[row["closed_by"]].update(callbacks_closed=row["closed"],
                                      callbacks_on_time=ratio(row["on_time"], row["closed"]))
    reviews = (CallReview.objects.filter(person__in=list(rows), status=ReviewStatus.REVIEWED,
                                         work_order__in=orders.values("id"))
               .values("person").annotate(n=Count("id"), avg=Avg("score")))
    for row in reviews:
        rows[row["person"]].update(reviews=row["n"], review_score=_seconds(row["avg"]))
    for row in rows.values():
        row["name"] = row["answered_by__real_name"] or row["answered_by__username"]
    return list(rows.values())


def per_seat(*, hotline_ids: list[int], start: dt.date, end: dt.date) -> list[dict]:
    """Service standards per seat: calls that rang there, answered, answer rate, times, satisfaction."""
    orders = _orders(hotline_ids, Period(start, end)).exclude(seat_code="")
    rows = (orders.values("hotline__name", "seat_code").annotate(**_call_aggregates())
            .order_by("hotline__name", "seat_code")[:PER_ROW_LIMIT])
    return [_call_figures(row) for row in rows]


def overdue_callbacks(*, hotline_ids: list[int], today: dt.date, limit: int = 20):
    return (CallbackTask.objects.filter(hotline_id__in=hotline_ids, status=CallbackStatus.OPEN, due_on__lt=today)
            .select_related("work_order", "assigned_to").order_by("due_on", "id")[:limit])
