"""The duty roster generator: who sits at which seat on which shift. Pure Python, no database.

The slots come from the shifts and the legal-day calendar: a shift for working days has slots on
working days (make-up working days included, public holidays excluded), a shift for rest days on
weekends and holidays. Hours outside every shift go to voice mail.

Each slot is filled in date order by the eligible person (the seat's kind: duty lawyer, staff or
either) who is free that day (no leave, no other slot that day) and has, in this order:

1. the fewest slots of this shift so far (the prior months' count included, so the rota evens
   out across months, and rest-day shifts are shared apart from working-day ones);
2. the fewest slots of all shifts so far;
3. the longest time since their last slot (a rotation rather than clusters);
4. a place in an order drawn at random from the seed (so the same inputs give the same roster).

With everyone equally available the counts of any two people then differ by at most one. A slot
nobody can take is reported as vacant, never filled by breaking a rule.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .choices import SeatKind, ShiftDays


@dataclass(frozen=True, slots=True)
class SeatSpec:
    code: str
    kind: str = SeatKind.ANY


@dataclass(frozen=True, slots=True)
class ShiftSpec:
    code: str
    days: str  # ShiftDays
    seats: tuple[SeatSpec, ...]


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    kind: str  # MemberKind


@dataclass(frozen=True, slots=True)
class Slot:
    date: dt.date
    shift: str
    seat: str
    seat_kind: str = SeatKind.ANY


@dataclass(frozen=True, slots=True)
class Assignment:
    date: dt.date
    shift: str
    seat: str
    person: int


@dataclass
class Roster:
    assignments: list[Assignment] = field(default_factory=list)
    vacant: list[Slot] = field(default_factory=list)

    def counts(self) -> dict[int, int]:
        found: dict[int, int] = {}
        for a in self.assignments:
            found[a.person] = found.get(a.person, 0) + 1
        return found


def shift_runs_on(days: str, *, working_day: bool) -> bool:
    return days == ShiftDays.EVERY or (days == ShiftDays.WORKING) == working_day


def slots_for(*, start: dt.date, end: dt.date, shifts: Iterable[ShiftSpec],
              is_working_day: Callable[[dt.date], bool]) -> list[Slot]:
    """Every (date, shift, seat) to staff from `start` to `end` inclusive."""
    shifts = list(shifts)
    slots: list[Slot] = []
    day = start
    while day <= end:
        working = is_working_day(day)
        for shift in shifts:
            if shift_runs_on(shift.days, working_day=working):
                slots.extend(Slot(date=day, shift=shift.code, seat=s.code, seat_kind=s.kind) for s in shift.seats)
        day += dt.timedelta(days=1)
    return slots


def eligible(person: Person, seat_kind: str) -> bool:
    return seat_kind == SeatKind.ANY or person.kind == seat_kind


class _Chooser:
    """The fairness rule, with the running counts it needs."""

    def __init__(self, *, people: list[Person], seed: int, prior: Mapping[int, int],
                 prior_by_shift: Mapping[tuple[int, str], int]) -> None:
        rng = random.Random(seed)
        order = sorted(people, key=lambda p: p.id)
        rng.shuffle(order)
        self.rank = {p.id: n for n, p in enumerate(order)}
        self.people = order
        self.totals: dict[int, int] = {p.id: prior.get(p.id, 0) for p in people}
        self.by_shift: dict[tuple[int, str], int] = dict(prior_by_shift)
        self.last: dict[int, dt.date] = {}
        self.busy: set[tuple[int, dt.date]] = set()

    def take(self, person: int, slot: Slot) -> None:
        self.totals[person] = self.totals.get(person, 0) + 1
        self.by_shift[(person, slot.shift)] = self.by_shift.get((person, slot.shift), 0) + 1
        self.last[person] = max(self.last.get(person, slot.date), slot.date)
        self.busy.add((person, slot.date))

    def choose(self, slot: Slot, *, unavailable: set[tuple[int, dt.date]]) -> int | None:
        best, best_key = None, None
        for person in self.people:
            if not eligible(person, slot.seat_kind):
                continue
            if (person.id, slot.date) in unavailable or (person.id, slot.date) in self.busy:
                continue
            last = self.last.get(person.id)
            key = (self.by_shift.get((person.id, slot.shift), 0), self.totals.get(person.id, 0),
                   last.toordinal() if last else -1, self.rank[person.id])
            if best_key is None or key < best_key:
                best, best_key = person.id, key
        return best


def generate(*, slots: Iterable[Slot], people: Iterable[Person], seed: int,
             unavailable: Iterable[tuple[int, dt.date]] = (), prior: Mapping[int, int] | None = None,
             prior_by_shift: Mapping[tuple[int, str], int] | None = None) -> Roster:
    """Fill the slots fairly (see the module's rules). `unavailable` holds (person id, date) pairs
    (leave); `prior` and `prior_by_shift` are slots already worked, to even out across months."""
    chooser = _Chooser(people=list(people), seed=seed, prior=prior or {}, prior_by_shift=prior_by_shift or {})
    blocked = set(unavailable)
    roster = Roster()
    for slot in sorted(slots, key=lambda s: (s.date, s.shift, s.seat)):
        person = chooser.choose(slot, unavailable=blocked)
        if person is None:
            roster.vacant.append(slot)
            continue
        chooser.take(person, slot)
        roster.assignments.append(Assignment(date=slot.date, shift=slot.shift, seat=slot.seat, person=person))
    return roster


def substitute(*, slot: Slot, people: Iterable[Person], taken: Iterable[Assignment],
               unavailable: Iterable[tuple[int, dt.date]], seed: int) -> int | None:
    """Who covers `slot` when its person goes on leave: the same rule, counted over `taken` (the
    period's other assignments)."""
    chooser = _Chooser(people=list(people), seed=seed, prior={}, prior_by_shift={})
    for a in sorted(taken, key=lambda a: (a.date, a.shift, a.seat)):
        chooser.take(a.person, Slot(date=a.date, shift=a.shift, seat=a.seat))
    return chooser.choose(slot, unavailable=set(unavailable))
