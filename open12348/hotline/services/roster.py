"""Writes of the duty roster: generate a month, record leave (a fair substitute covers), swap two
slots, fill a vacant slot. Managed by HOTLINE_MANAGE; every change is audited and the people whose
duty changed are told."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import secrets
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.notifications.services import notify

from .. import rostering
from ..choices import RosterSource
from ..models import Hotline, Leave, PoolMember, RosterEntry, Seat, Shift
from .common import require_hotline, text, user_or_none

MANAGE = Capability.HOTLINE_MANAGE
PRIOR_MONTHS = 12  # the months whose duty counts even out the next month's rota


@dataclass
class RosterResult:
    seed: int
    created: int = 0
    vacant: list[rostering.Slot] = field(default_factory=list)
    calendar_complete: bool = True  # False: a year without holiday data; rest days may be missing


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ApplicationError(_("Choose a month."), code="month_invalid", field="month")
    return dt.date(year, month, 1), dt.date(year, month, month_calendar.monthrange(year, month)[1])


def shift_specs(hotline: Hotline) -> tuple[list[rostering.ShiftSpec], dict[str, Shift], dict[str, Seat]]:
    seats = list(Seat.objects.filter(hotline=hotline, is_active=True).order_by("code"))
    shifts = list(Shift.objects.filter(hotline=hotline, is_active=True).order_by("starts", "code"))
    seat_specs = tuple(rostering.SeatSpec(code=s.code, kind=s.kind) for s in seats)
    specs = [rostering.ShiftSpec(code=s.code, days=s.days, seats=seat_specs) for s in shifts]
    return specs, {s.code: s for s in shifts}, {s.code: s for s in seats}


def pool_people(hotline: Hotline) -> list[rostering.Person]:
    return [rostering.Person(id=user_id, kind=kind) for user_id, kind in
            PoolMember.objects.filter(hotline=hotline, is_active=True, user__is_active=True)
            .values_list("user_id", "kind")]


def leave_days(hotline: Hotline, start: dt.date, end: dt.date) -> set[tuple[int, dt.date]]:
    days = set()
    for user_id, starts, ends in Leave.objects.filter(hotline=hotline, starts__lte=end, ends__gte=start) \
            .values_list("user_id", "starts", "ends"):
        day = max(starts, start)
        while day <= min(ends, end):
            days.add((user_id, day))
            day += dt.timedelta(days=1)
    return days


def _prior(hotline: Hotline, start: dt.date) -> tuple[Counter, Counter]:
    since = start - dt.timedelta(days=31 * PRIOR_MONTHS)
    totals: Counter = Counter()
    by_shift: Counter = Counter()
    for user_id, shift_code in RosterEntry.objects.filter(hotline=hotline, date__gte=since, date__lt=start) \
            .values_list("user_id", "shift__code"):
        totals[user_id] += 1
        by_shift[(user_id, shift_code)] += 1
    return totals, by_shift


def roster_plan(*, hotline: Hotline, start: dt.date, end: dt.date, seed: int) -> rostering.Roster:
    """The generator's answer for the hotline's shifts, seats, pool and leave (nothing written)."""
    specs, _shifts, _seats = shift_specs(hotline)
    calendar = legal_calendar()
    slots = rostering.slots_for(start=start, end=end, shifts=specs, is_working_day=calendar.is_working_day)
    prior, prior_by_shift = _prior(hotline, start)
    return rostering.generate(slots=slots, people=pool_people(hotline), seed=seed,
                              unavailable=leave_days(hotline, start, end), prior=prior, prior_by_shift=prior_by_shift)


@transaction.atomic
def roster_generate(*, actor, hotline: Hotline, year: int, month: int, seed: int | None = None,
                    replace: bool = False) -> RosterResult:
    """Generate a month's roster. Days already past are never changed; with `replace`, the month's
    remaining days are generated again (after a change of pool, seats or shifts)."""
    if actor is not None:  # None: the demo loader
        require_hotline(actor, MANAGE, hotline.pk)
    first, last = month_bounds(year, month)
    today = timezone.localdate()
    start = max(first, today) if actor is not None else first
    if start > last:
        raise ApplicationError(_("This month is over; its roster is history."), code="month_past", field="month")
    Hotline.objects.select_for_update().filter(pk=hotline.pk).first()  # one generation at a time per hotline
    existing = RosterEntry.objects.filter(hotline=hotline, date__gte=start, date__lte=last)
    if existing.exists():
        if not replace:
            raise ConflictError(_("This month already has a roster. Choose to replace the remaining days."),
                                code="roster_exists")
        existing.delete()
    seed = seed if seed is not None else secrets.randbelow(2**31)
    plan = roster_plan(hotline=hotline, start=start, end=last, seed=seed)
    _specs, shifts, seats = shift_specs(hotline)
    RosterEntry.objects.bulk_create([
        RosterEntry(hotline=hotline, date=a.date, shift=shifts[a.shift], seat=seats[a.seat], user_id=a.person)
        for a in plan.assignments
    ])
    audit_record(actor=actor, action="hotline.roster.generate", obj=hotline,
                 extra={"month": f"{year}-{month:02d}", "from": start, "seed": seed, "entries": len(plan.assignments),
                        "vacant": len(plan.vacant), "replace": replace})
    calendar = legal_calendar()
    return RosterResult(seed=seed, created=len(plan.assignments), vacant=plan.vacant,
                        calendar_complete=calendar.has_data(start.year) and calendar.has_data(last.year))


def _tell(user, *, title: str, actor, key: str) -> None:
    notify(recipient=user, kind="hotline.roster", title=title, url=reverse("hotline:roster"), dedupe_key=key,
           actor=actor)


@transaction.atomic
def leave_record(*, actor, hotline: Hotline, user, starts: dt.date, ends: dt.date, reason: str) -> tuple[Leave, int, int]:
    """Record leave; each of the person's coming slots in it goes to a substitute chosen by the
    roster's fairness rule. Returns (leave, slots covered, slots left vacant)."""
    require_hotline(actor, MANAGE, hotline.pk)
    if ends < starts:
        raise ApplicationError(_("The leave ends before it starts."), code="period_invalid", field="ends")
    reason = text(reason, field="reason", message=_("Give the reason for the leave."), limit=200)
    if not PoolMember.objects.filter(hotline=hotline, user=user).exists():
        raise ApplicationError(_("This person is not on the hotline's rotation."), code="not_in_pool", field="user")
    leave = Leave.objects.create(hotline=hotline, user=user, starts=starts, ends=ends, reason=reason,
                                 created_by=user_or_none(actor))
    today = timezone.localdate()
    affected = list(RosterEntry.objects.select_for_update().filter(
        hotline=hotline, user=user, date__gte=max(starts, today), date__lte=ends).select_related("shift", "seat"))
    covered = vacated = 0
    people = pool_people(hotline)
    for entry in affected:
        first, last = month_bounds(entry.date.year, entry.date.month)
        blocked = leave_days(hotline, first, last)
        taken = [rostering.Assignment(date=d, shift=s, seat=c, person=u) for d, s, c, u in
                 RosterEntry.objects.filter(hotline=hotline, date__gte=first, date__lte=last).exclude(pk=entry.pk)
                 .values_list("date", "shift__code", "seat__code", "user_id")]
        slot = rostering.Slot(date=entry.date, shift=entry.shift.code, seat=entry.seat.code, seat_kind=entry.seat.kind)
        substitute = rostering.substitute(slot=slot, people=people, taken=taken, unavailable=blocked,
                                          seed=entry.pk)
        if substitute is None:
            entry.delete()
            vacated += 1
            continue
        entry.user_id, entry.source = substitute, RosterSource.COVER
        entry.save(update_fields=["user", "source"])
        covered += 1
        _tell(entry.user, actor=actor, key=f"hotline.roster:{entry.pk}:{substitute}",
              title=_("You cover the duty of %(date)s, %(shift)s, %(seat)s") % {
                  "date": entry.date.isoformat(), "shift": entry.shift.name, "seat": entry.seat.name})
    audit_record(actor=actor, action="hotline.leave.record", obj=leave,
                 extra={"user": user.pk, "starts": starts, "ends": ends, "covered": covered, "vacant": vacated})
    return leave, covered, vacated


def _busy(hotline_id: int, user_id: int, date: dt.date, *, besides: tuple[int, ...]) -> bool:
    return RosterEntry.objects.filter(hotline_id=hotline_id, user_id=user_id, date=date).exclude(pk__in=besides).exists()


def _on_leave(hotline_id: int, user_id: int, date: dt.date) -> bool:
    return Leave.objects.filter(hotline_id=hotline_id, user_id=user_id, starts__lte=date, ends__gte=date).exists()


@transaction.atomic
def roster_swap(*, actor, entry: RosterEntry, other: RosterEntry) -> tuple[RosterEntry, RosterEntry]:
    """Two people exchange their slots (as they agreed with the supervisor)."""
    require_hotline(actor, MANAGE, entry.hotline_id)
    entries = {e.pk: e for e in RosterEntry.objects.select_for_update().filter(pk__in=[entry.pk, other.pk])}
    if len(entries) != 2:
        raise ApplicationError(_("Choose two different slots."), code="swap_invalid", field="other")
    entry, other = entries[entry.pk], entries[other.pk]
    if entry.hotline_id != other.hotline_id or entry.user_id == other.user_id:
        raise ApplicationError(_("Choose a slot of another person on the same hotline."), code="swap_invalid",
                               field="other")
    if min(entry.date, other.date) < timezone.localdate():
        raise ApplicationError(_("Past duty cannot be swapped."), code="swap_past", field="other")
    pairs = ((entry.user_id, other.date), (other.user_id, entry.date))
    for user_id, date in pairs:
        if _busy(entry.hotline_id, user_id, date, besides=(entry.pk, other.pk)):
            raise ApplicationError(_("One of them already has duty on the other's day."), code="swap_busy",
                                   field="other")
        if _on_leave(entry.hotline_id, user_id, date):
            raise ApplicationError(_("One of them is on leave on the other's day."), code="swap_leave",
                                   field="other")
    rows = [RosterEntry(hotline_id=e.hotline_id, date=e.date, shift_id=e.shift_id, seat_id=e.seat_id, user_id=u,
                        source=RosterSource.SWAP) for e, u in ((entry, other.user_id), (other, entry.user_id))]
    RosterEntry.objects.filter(pk__in=[entry.pk, other.pk]).delete()  # the unique (day, shift, person) forbids two updates
    first, second = RosterEntry.objects.bulk_create(rows)
    audit_record(actor=actor, action="hotline.roster.swap", obj=first,
                 extra={"entries": [entry.pk, other.pk], "new": [first.pk, second.pk],
                        "users": [entry.user_id, other.user_id], "dates": [entry.date, other.date]})
    for row in (first, second):
        _tell(row.user, actor=actor, key=f"hotline.roster:{row.pk}:{row.user_id}",
              title=_("Your duty was swapped: now %(date)s") % {"date": row.date.isoformat()})
    return first, second


@transaction.atomic
def roster_assign(*, actor, hotline: Hotline, date: dt.date, shift: Shift, seat: Seat, user) -> RosterEntry:
    """Put a person on a vacant slot."""
    require_hotline(actor, MANAGE, hotline.pk)
    if shift.hotline_id != hotline.pk or seat.hotline_id != hotline.pk:
        raise ApplicationError(_("Choose a shift and a seat of this hotline."), code="slot_invalid", field="seat")
    if date < timezone.localdate():
        raise ApplicationError(_("Past duty cannot be changed."), code="slot_past", field="date")
    if not PoolMember.objects.filter(hotline=hotline, user=user, is_active=True).exists():
        raise ApplicationError(_("This person is not on the hotline's rotation."), code="not_in_pool", field="user")
    if RosterEntry.objects.filter(date=date, shift=shift, seat=seat).exists():
        raise ConflictError(_("This slot is already taken."), code="slot_taken")
    if _busy(hotline.pk, user.pk, date, besides=()) or _on_leave(hotline.pk, user.pk, date):
        raise ApplicationError(_("This person already has duty or leave that day."), code="person_busy", field="user")
    entry = RosterEntry.objects.create(hotline=hotline, date=date, shift=shift, seat=seat, user=user,
                                       source=RosterSource.COVER)
    audit_record(actor=actor, action="hotline.roster.assign", obj=entry,
                 extra={"date": date, "shift": shift.code, "seat": seat.code, "user": user.pk})
    _tell(user, actor=actor, key=f"hotline.roster:{entry.pk}:{user.pk}",
          title=_("You are on duty on %(date)s, %(shift)s, %(seat)s") % {
              "date": date.isoformat(), "shift": shift.name, "seat": seat.name})
    return entry


def roster_export_record(*, actor, hotline: Hotline, year: int, month: int, rows: int) -> None:
    audit_record(actor=actor, action="hotline.roster.export", obj=hotline,
                 extra={"month": f"{year}-{month:02d}", "rows": rows})
