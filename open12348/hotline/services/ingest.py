"""Call events into work orders: every call on record without typing, whatever the events' order.

`call_events_ingest` takes events already checked by `events.parse_event` and, in one transaction
for the whole batch:

1. locks the batch's work orders (one query, in call id order, so two batches cannot deadlock),
   and creates the missing ones with INSERT … ON CONFLICT DO NOTHING, then locks those too: two
   requests creating the same call at once end with one row, the second waiting for the first;
2. drops the events already stored (same call id and event id: read after the lock, so a
   concurrent copy is seen) and stores the rest in one insert (a unique constraint backs this up);
3. folds each call's events (`events.fold_call`) and writes the answer on its work order (one
   UPDATE for the batch);
4. opens or withdraws the callbacks the new states call for, and queues the rating SMS;
5. writes one audit row for the batch: the work orders created, the status and rating changes,
   the callbacks opened or withdrawn. A batch of duplicates changes nothing and writes nothing.

The batch is all or nothing, which is safe because events are idempotent: a failed request is
sent again, and what it had stored counts as duplicates. Per-call transactions would cost a
commit (a WAL flush on PostgreSQL) and a turn of the audit chain's lock per call; measured in
bench/bench_hotline.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.models import User
from open12348.audit.services import audit_record
from open12348.core.calendar_store import legal_calendar
from open12348.core.crypto import blind_index
from open12348.core.jobs import enqueue

from .. import workflow
from ..choices import CALLBACK_OWED, CallbackKind, CallStatus, OrderSource, Satisfaction
from ..events import CallFacts, EventIn, fold_call
from ..models import CallEvent, Hotline, RosterEntry, Seat, Shift, TelephonyClient, WorkOrder
from ..rostering import shift_runs_on
from .callbacks import callback_ensure, callback_withdraw_untouched
from .common import local_day

CREATED, DUPLICATE, REJECTED = "created", "duplicate", "rejected"
FACT_FIELDS = ("status", "channel", "rang_at", "answered_at", "ended_at", "wait_seconds", "talk_seconds",
               "recording_url", "message_text", "rated_at", "rating_channel")


@dataclass
class EventOutcome:
    call_id: str
    event_id: str
    result: str
    work_order: int | None = None
    errors: dict[str, str] = field(default_factory=dict)


@dataclass
class _Changes:
    """What the batch did, for its one audit row."""

    created: list[int] = field(default_factory=list)
    status: list[tuple[int, str, str]] = field(default_factory=list)
    ratings: list[tuple[int, str, str]] = field(default_factory=list)
    callbacks: list[tuple[int, str, str]] = field(default_factory=list)
    events: int = 0
    duplicates: int = 0

    def record_callback(self, task, action: str) -> None:
        if task is not None:
            self.callbacks.append((task.pk, task.kind, action))


class _Context:
    """What one batch needs again and again: the calendar, seats, shifts, agents, the roster."""

    def __init__(self, hotline: Hotline) -> None:
        self.hotline = hotline
        self._calendar = None
        self._seats: dict[str, Seat] | None = None
        self._shifts: list[Shift] | None = None
        self._agents: dict[str, int | None] = {}
        self._rostered: dict[tuple[int, dt.date], list[tuple[dt.time, dt.time, int]]] = {}

    @property
    def calendar(self):
        """Read when a call's day or a deadline is needed: a batch of duplicates never asks."""
        if self._calendar is None:
            self._calendar = legal_calendar()
        return self._calendar

    def seat(self, code: str) -> Seat | None:
        if not code:
            return None
        if self._seats is None:
            self._seats = {s.code: s for s in Seat.objects.filter(hotline=self.hotline)}
        return self._seats.get(code)

    def shifts(self) -> list[Shift]:
        if self._shifts is None:
            self._shifts = list(Shift.objects.filter(hotline=self.hotline, is_active=True))
        return self._shifts

    def in_service(self, moment: dt.datetime) -> bool:
        local = timezone.localtime(moment)
        working = self.calendar.is_working_day(local.date())
        return any(shift_runs_on(s.days, working_day=working) and s.starts <= local.time() < s.ends
                   for s in self.shifts())

    def agent(self, code: str) -> int | None:
        """The account the telephony system's agent id names (agent ids are usernames)."""
        if code not in self._agents:
            self._agents[code] = User.objects.filter(username=code, is_active=True).values_list("id", flat=True).first()
        return self._agents[code]

    def rostered(self, seat: Seat, moment: dt.datetime) -> int | None:
        """Who the roster put at `seat` at `moment`, when the telephony system does not say."""
        local = timezone.localtime(moment)
        key = (seat.pk, local.date())
        if key not in self._rostered:
            self._rostered[key] = list(RosterEntry.objects.filter(seat=seat, date=local.date())
                                       .values_list("shift__starts", "shift__ends", "user_id"))
        return next((user for starts, ends, user in self._rostered[key] if starts <= local.time() < ends), None)


def _row(event: EventIn, *, order: WorkOrder, client: TelephonyClient | None, entered_by, now) -> CallEvent:
    return CallEvent(work_order=order, call_id=event.call_id, event_id=event.event_id, kind=event.kind,
                     occurred_at=event.at, caller_phone=event.caller, seat_code=event.seat, agent_code=event.agent,
                     recording_url=event.recording_url, channel=event.channel, text=event.text, rating=event.rating,
                     rating_channel=event.rating_channel, client=client, entered_by=entered_by, received_at=now)


def _event_in(row: CallEvent) -> EventIn:
    return EventIn(call_id=row.call_id, event_id=row.event_id, kind=row.kind, at=row.occurred_at,
                   caller=row.caller_phone, seat=row.seat_code, agent=row.agent_code,
                   recording_url=row.recording_url, channel=row.channel, text=row.text, rating=row.rating,
                   rating_channel=row.rating_channel)


def _values(facts: CallFacts, ctx: _Context) -> dict:
    """The work order's fields as the facts give them."""
    values = {name: getattr(facts, name) for name in FACT_FIELDS}
    values.update(seat_code=facts.seat, agent_code=facts.agent, satisfaction=facts.rating)
    seat = ctx.seat(facts.seat)
    values["seat_id"] = seat.pk if seat else None
    answered_by = None
    if facts.answered_at is not None:
        answered_by = ctx.agent(facts.agent) if facts.agent else None
        if answered_by is None and seat is not None:
            answered_by = ctx.rostered(seat, facts.answered_at)
    values["answered_by_id"] = answered_by
    values["in_service_hours"] = ctx.in_service(facts.rang_at)
    values["caller_phone"] = facts.caller
    values["caller_phone_hash"] = blind_index(facts.caller, purpose="phone")
    return values


def _apply(order: WorkOrder, values: dict) -> set[str]:
    if not workflow.call_move_allowed(order.status, values["status"]):
        raise ValueError(f"work order {order.pk}: {order.status} -> {values['status']} is not a possible move")
    changed = {name for name, value in values.items() if getattr(order, name) != value}
    for name in changed:
        setattr(order, name, values[name])
    return changed


def _lock(call_ids: list[str]) -> dict[str, WorkOrder]:
    return {o.call_id: o for o in WorkOrder.objects.select_for_update().filter(call_id__in=call_ids).order_by("call_id")}


def _follow_through(order: WorkOrder, *, ctx: _Context, actor, status_before: str | None, rating_before: str,
                    changes: _Changes) -> None:
    """Callbacks and the rating SMS for the order's new state."""
    owed = order.status in CALLBACK_OWED and bool(order.caller_phone)
    if owed:
        task, opened = callback_ensure(order=order, kind=CallbackKind.MISSED, actor=actor, calendar=ctx.calendar,
                                       from_day=local_day(order.rang_at), audited=False)
        if opened:
            changes.record_callback(task, "open")
    elif status_before in CALLBACK_OWED:  # only then can a missed-call callback exist
        changes.record_callback(callback_withdraw_untouched(
            order=order, kind=CallbackKind.MISSED, actor=actor, reason=_("The call was answered after all."),
            audited=False), "withdraw")
    dissatisfied = order.satisfaction == Satisfaction.DISSATISFIED
    if dissatisfied and rating_before != Satisfaction.DISSATISFIED:
        task, opened = callback_ensure(order=order, kind=CallbackKind.DISSATISFIED, actor=actor,
                                       calendar=ctx.calendar, from_day=local_day(order.rated_at), audited=False)
        if opened:
            changes.record_callback(task, "open")
    elif rating_before == Satisfaction.DISSATISFIED and not dissatisfied:
        changes.record_callback(callback_withdraw_untouched(
            order=order, kind=CallbackKind.DISSATISFIED, actor=actor, reason=_("The caller changed the rating."),
            audited=False), "withdraw")
    if (order.status == CallStatus.ANSWERED and status_before != CallStatus.ANSWERED and ctx.hotline.rating_by_sms
            and order.caller_phone and not order.satisfaction):
        from ..tasks import send_rating_sms

        enqueue(send_rating_sms, order.pk)


def _group(events: list[EventIn]) -> dict[str, list[EventIn]]:
    by_call: dict[str, list[EventIn]] = defaultdict(list)
    for event in events:
        by_call[event.call_id].append(event)
    return by_call


def _orders(ctx: _Context, by_call: dict[str, list[EventIn]], *, source: str, entered_by) -> dict[str, WorkOrder]:
    """The batch's work orders, locked; the missing ones created from their events first."""
    call_ids = sorted(by_call)
    orders = _lock(call_ids)
    missing = [c for c in call_ids if c not in orders]
    if missing:
        WorkOrder.objects.bulk_create([
            WorkOrder(hotline=ctx.hotline, call_id=c, source=source, entered_by=entered_by,
                      **_values(fold_call(by_call[c]), ctx)) for c in missing
        ], ignore_conflicts=True)
        orders.update(_lock(missing))
    return orders


def _audit(changes: _Changes, *, actor, client: TelephonyClient | None, orders: list[WorkOrder]) -> None:
    one = orders[0] if len(orders) == 1 else None
    audit_record(actor=actor, action="hotline.work_order.ingest", obj=one,
                 object_type="" if one else "hotline.workorder",
                 extra={"client": client.pk if client else None, "work_orders": sorted(o.pk for o in orders),
                        "created": changes.created, "status": changes.status, "ratings": changes.ratings,
                        "callbacks": changes.callbacks, "events": changes.events, "duplicates": changes.duplicates})


@transaction.atomic
def call_events_ingest(*, hotline: Hotline, events: list[EventIn], actor, client: TelephonyClient | None = None,
                       entered_by=None) -> list[EventOutcome]:
    """Store and fold a batch of events (any calls, any order, duplicates allowed); one outcome per
    event, in the order given. See the module's note for the steps and why one transaction."""
    ctx = _Context(hotline)
    source = OrderSource.MANUAL if entered_by is not None else OrderSource.TELEPHONY
    by_call = _group(events)
    orders = _orders(ctx, by_call, source=source, entered_by=entered_by)
    stored: dict[int, list[EventIn]] = defaultdict(list)
    for row in CallEvent.objects.filter(work_order__in=[o.pk for o in orders.values()]).order_by():
        stored[row.work_order_id].append(_event_in(row))
    now = timezone.now()
    changes, outcomes = _Changes(), {}
    rows, touched, updated, fields = [], [], [], set()
    for call_id in sorted(by_call):
        order, call_events = orders[call_id], by_call[call_id]
        if order.hotline_id != hotline.pk:
            outcomes[call_id] = [EventOutcome(call_id, e.event_id, REJECTED,
                                              errors={"call_id": "belongs to another hotline"}) for e in call_events]
            continue
        # An order without stored events was created by this transaction: the creator of any other
        # would have stored its events in the same transaction, and we read after its commit.
        created = not stored[order.pk]
        known = {e.event_id for e in stored[order.pk]}
        fresh, results = [], []
        for event in call_events:
            duplicate = event.event_id in known
            known.add(event.event_id)
            results.append(EventOutcome(call_id, event.event_id, DUPLICATE if duplicate else CREATED, order.pk))
            if not duplicate:
                fresh.append(event)
        outcomes[call_id] = results
        changes.duplicates += len(call_events) - len(fresh)
        if not fresh:
            continue
        order.hotline = hotline
        rows.extend(_row(e, order=order, client=client, entered_by=entered_by, now=now) for e in fresh)
        status_before = None if created else order.status
        rating_before = "" if created else order.satisfaction
        if created:
            changes.created.append(order.pk)
        else:
            changed = _apply(order, _values(fold_call(stored[order.pk] + fresh), ctx))
            if changed:
                fields |= changed
                updated.append(order)
            if status_before != order.status:
                changes.status.append((order.pk, status_before, order.status))
            if rating_before != order.satisfaction:
                changes.ratings.append((order.pk, rating_before, order.satisfaction))
        touched.append((order, status_before, rating_before))
    if rows:
        CallEvent.objects.bulk_create(rows)
        changes.events = len(rows)
    if updated:
        for order in updated:
            order.updated_at = now
        WorkOrder.objects.bulk_update(updated, fields=sorted(fields | {"updated_at"}))
    for order, status_before, rating_before in touched:
        _follow_through(order, ctx=ctx, actor=actor, status_before=status_before, rating_before=rating_before,
                        changes=changes)
    if rows:
        _audit(changes, actor=actor, client=client, orders=[o for o, _s, _r in touched])
    seen: dict[str, int] = defaultdict(int)
    ordered = []
    for event in events:
        ordered.append(outcomes[event.call_id][seen[event.call_id]])
        seen[event.call_id] += 1
    return ordered
