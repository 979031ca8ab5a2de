"""The pure roster generator: fairness over a month, the holiday calendar, leave, seat kinds."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from open12348.core.calendar import HolidayCalendar
from open12348.hotline.rostering import Person, SeatSpec, ShiftSpec, Slot, generate, slots_for, substitute

# October 2026 as the State Council arranged it: 1–7 off, Saturday 10 October worked.
OCTOBER_HOLIDAYS = [dt.date(2026, 10, d) for d in range(1, 8)]
CALENDAR = HolidayCalendar(holidays=OCTOBER_HOLIDAYS, workdays=[dt.date(2026, 10, 10)], years=[2026])
SEATS = (SeatSpec("01", "lawyer"), SeatSpec("02", "lawyer"), SeatSpec("03", "lawyer"))
DAY = ShiftSpec("day", "working", SEATS)
POOL = [Person(id=n, kind="lawyer") for n in range(1, 24)]  # the seed's 23 duty lawyers


def month_slots(shifts=(DAY,), month: int = 10):
    start = dt.date(2026, month, 1)
    end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return slots_for(start=start, end=end, shifts=shifts, is_working_day=CALENDAR.is_working_day)


def test_holidays_have_no_duty_and_the_make_up_saturday_has():
    days = {s.date for s in month_slots()}
    assert not days & set(OCTOBER_HOLIDAYS)
    assert dt.date(2026, 10, 10) in days  # 调休上班
    assert dt.date(2026, 10, 11) not in days  # an ordinary Sunday
    assert len(days) == 18  # 22 weekdays − 5 holiday weekdays + the make-up Saturday


def test_a_month_is_fair_and_nobody_sits_twice_a_day():
    roster = generate(slots=month_slots(), people=POOL, seed=7)
    assert not roster.vacant
    counts = roster.counts()
    assert sum(counts.values()) == 18 * 3
    assert max(counts.values()) - min(counts.values()) <= 1
    assert set(counts) == {p.id for p in POOL}
    per_day = Counter((a.person, a.date) for a in roster.assignments)
    assert max(per_day.values()) == 1


def test_the_same_seed_gives_the_same_roster_and_another_seed_another():
    assert generate(slots=month_slots(), people=POOL, seed=7).assignments == \
        generate(slots=month_slots(), people=list(reversed(POOL)), seed=7).assignments
    assert generate(slots=month_slots(), people=POOL, seed=7).assignments != \
        generate(slots=month_slots(), people=POOL, seed=8).assignments


def test_prior_months_even_out_the_next():
    october = generate(slots=month_slots(month=10), people=POOL, seed=1)
    november = generate(slots=month_slots(month=11), people=POOL, seed=2, prior=october.counts(),
                        prior_by_shift={(p, "day"): n for p, n in october.counts().items()})
    total = Counter(october.counts()) + Counter(november.counts())
    assert max(total.values()) - min(total.values()) <= 1


def test_leave_is_honoured_and_the_others_share_fairly():
    away = {(1, day) for day in (dt.date(2026, 10, d) for d in range(8, 32))}
    roster = generate(slots=month_slots(), people=POOL, seed=3, unavailable=away)
    assert all(not (a.person == 1 and a.date.day >= 8) for a in roster.assignments)
    others = {p: n for p, n in roster.counts().items() if p != 1}
    assert max(others.values()) - min(others.values()) <= 1


def test_seat_kinds_and_vacancies():
    shift = ShiftSpec("day", "working", (SeatSpec("01", "lawyer"), SeatSpec("09", "staff")))
    people = [Person(1, "lawyer"), Person(2, "lawyer"), Person(3, "staff")]
    roster = generate(slots=month_slots((shift,)), people=people, seed=1)
    staff_seat = {a.person for a in roster.assignments if a.seat == "09"}
    assert staff_seat == {3}
    lonely = generate(slots=month_slots((shift,)), people=people[:2], seed=1)
    assert {s.seat for s in lonely.vacant} == {"09"}  # never filled by the wrong kind


def test_rest_day_shifts_are_shared_apart_from_working_day_ones():
    rest = ShiftSpec("holiday", "rest", (SeatSpec("01"),))
    roster = generate(slots=month_slots((DAY, rest)), people=POOL, seed=5)
    holiday_counts = Counter(a.person for a in roster.assignments if a.shift == "holiday")
    assert {a.date for a in roster.assignments if a.shift == "holiday"} >= set(OCTOBER_HOLIDAYS)
    assert max(holiday_counts.values()) - min(holiday_counts.values(), default=0) <= 1


def test_a_substitute_is_the_least_loaded_free_person():
    roster = generate(slots=month_slots(), people=POOL[:6], seed=4)
    slot_taken = roster.assignments[0]
    others = [a for a in roster.assignments if a is not slot_taken]
    slot = Slot(date=slot_taken.date, shift="day", seat=slot_taken.seat, seat_kind="lawyer")
    chosen = substitute(slot=slot, people=POOL[:6], taken=others,
                        unavailable={(slot_taken.person, slot_taken.date)}, seed=1)
    busy_that_day = {a.person for a in others if a.date == slot.date}
    assert chosen not in busy_that_day | {slot_taken.person}
    load = Counter(a.person for a in others)
    free = [p.id for p in POOL[:6] if p.id not in busy_that_day | {slot_taken.person}]
    assert load[chosen] == min(load[p] for p in free)


@settings(max_examples=60, deadline=None)
@given(pool=st.integers(min_value=3, max_value=30), seats=st.integers(min_value=1, max_value=3),
       seed=st.integers(min_value=0, max_value=10**6), month=st.integers(min_value=1, max_value=12))
def test_fairness_holds_for_any_pool_size_seat_count_and_month(pool, seats, seed, month):
    shift = ShiftSpec("day", "working", tuple(SeatSpec(f"0{n}") for n in range(seats)))
    people = [Person(n, "lawyer") for n in range(pool)]
    roster = generate(slots=month_slots((shift,), month=month), people=people, seed=seed)
    counts = [roster.counts().get(p.id, 0) for p in people]
    assert max(counts) - min(counts) <= 1
    assert len(roster.vacant) == 0 if pool >= seats else len(roster.vacant) > 0
