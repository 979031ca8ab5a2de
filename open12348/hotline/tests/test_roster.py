"""The roster services on the legal calendar: generating a month, leave with cover, swaps, filling a
vacancy, who is on duty now, and the refusals."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from open12348.core.calendar_store import calendar_day_set
from open12348.core.errors import ApplicationError
from open12348.hotline.models import Leave, RosterEntry
from open12348.hotline.selectors import on_duty_now, schedule_of
from open12348.hotline.services import roster as services

from .factories import hotline_world, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return hotline_world(lawyers=7)


def test_a_generated_month_is_fair_and_says_whether_the_calendar_is_complete(world):
    result = services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2026, month=12,
                                      seed=3)
    days = set(RosterEntry.objects.values_list("date", flat=True))
    assert len(days) == 23 and all(d.weekday() < 5 for d in days)
    counts = Counter(RosterEntry.objects.values_list("user_id", flat=True))
    assert result.created == sum(counts.values()) == 23 * 3 and not result.vacant
    assert max(counts.values()) - min(counts.values()) <= 1
    assert result.calendar_complete
    # 2027's arrangement is not in the calendar yet: the roster is made, and flagged provisional.
    assert not services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2027, month=1,
                                        seed=3).calendar_complete


def test_holidays_entered_by_an_administrator_are_honoured(world):
    calendar_day_set(actor=None, date=dt.date(2027, 2, 10), kind="holiday", name="春节")
    calendar_day_set(actor=None, date=dt.date(2027, 2, 20), kind="workday", name="春节调休")  # a Saturday
    services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2027, month=2, seed=1)
    days = set(RosterEntry.objects.values_list("date", flat=True))
    assert dt.date(2027, 2, 10) not in days and dt.date(2027, 2, 20) in days


def test_a_month_is_not_generated_twice_unless_replaced(world):
    args = {"actor": world["supervisor"], "hotline": world["hotline"], "year": 2027, "month": 3}
    services.roster_generate(**args, seed=1)
    first = list(RosterEntry.objects.order_by("date", "seat__code").values_list("user_id", flat=True))
    with pytest.raises(ApplicationError) as exists:
        services.roster_generate(**args, seed=2)
    assert exists.value.code == "roster_exists"
    services.roster_generate(**args, seed=1, replace=True)
    assert list(RosterEntry.objects.order_by("date", "seat__code").values_list("user_id", flat=True)) == first


def test_the_next_month_evens_out_the_last(world):
    for month in (3, 4, 5):
        services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2027, month=month, seed=month)
    counts = Counter(RosterEntry.objects.values_list("user_id", flat=True))
    assert max(counts.values()) - min(counts.values()) <= 1


def test_leave_is_covered_by_the_least_loaded_free_person(world):
    services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2027, month=3, seed=1)
    lawyer = world["pool"][0]
    away = list(RosterEntry.objects.filter(user=lawyer).values_list("date", flat=True))
    leave, covered, vacant = services.leave_record(actor=world["supervisor"], hotline=world["hotline"], user=lawyer,
                                                   starts=dt.date(2027, 3, 1), ends=dt.date(2027, 3, 31),
                                                   reason="病假")
    assert (covered, vacant) == (len(away), 0)
    assert not RosterEntry.objects.filter(user=lawyer).exists()
    assert RosterEntry.objects.filter(date__in=away, source="cover").count() == len(away)
    per_day = Counter(RosterEntry.objects.values_list("user_id", "date"))
    assert max(per_day.values()) == 1  # nobody got two seats on one day
    others = Counter(RosterEntry.objects.values_list("user_id", flat=True))
    assert max(others.values()) - min(others.values()) <= 1
    assert Leave.objects.get() == leave
    # the substitutes were told
    assert sum(u.notifications.filter(kind="hotline.roster").count() for u in world["pool"][1:]) == len(away)


def test_generation_leaves_people_on_leave_out(world):
    services.leave_record(actor=world["supervisor"], hotline=world["hotline"], user=world["pool"][1],
                          starts=dt.date(2027, 4, 1), ends=dt.date(2027, 4, 15), reason="年休假")
    services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2027, month=4, seed=2)
    assert not RosterEntry.objects.filter(user=world["pool"][1], date__lte=dt.date(2027, 4, 15)).exists()
    assert RosterEntry.objects.filter(user=world["pool"][1], date__gt=dt.date(2027, 4, 15)).exists()


def test_a_swap_exchanges_two_slots_and_refuses_a_double_booking(world):
    a, b, c = world["pool"][:3]

    def slot(user, day, seat):
        return RosterEntry.objects.create(hotline=world["hotline"], date=dt.date(2027, 3, day), shift=world["shift"],
                                          seat=world["seats"][seat], user=user)

    mine, theirs = slot(a, 1, 0), slot(b, 2, 0)
    first, second = services.roster_swap(actor=world["supervisor"], entry=mine, other=theirs)
    assert (first.date.day, first.user, first.source) == (1, b, "swap")
    assert (second.date.day, second.user) == (2, a)
    slot(c, 3, 1)
    busy = slot(a, 3, 0)
    other = slot(c, 4, 0)
    before = list(RosterEntry.objects.order_by("pk").values_list("pk", "user_id"))
    with pytest.raises(ApplicationError) as refused:  # c already sits on 3 March
        services.roster_swap(actor=world["supervisor"], entry=busy, other=other)
    assert refused.value.code == "swap_busy"
    assert list(RosterEntry.objects.order_by("pk").values_list("pk", "user_id")) == before


def test_only_a_manager_changes_the_roster(world):
    services.roster_generate(actor=world["supervisor"], hotline=world["hotline"], year=2027, month=3, seed=1)
    entries = list(RosterEntry.objects.filter(date=dt.date(2027, 3, 1)))
    before = list(RosterEntry.objects.values_list("pk", "user_id"))
    for call in (lambda: services.roster_swap(actor=world["pool"][0], entry=entries[0], other=entries[1]),
                 lambda: services.leave_record(actor=world["operator"], hotline=world["hotline"], user=world["pool"][0],
                                               starts=dt.date(2027, 3, 1), ends=dt.date(2027, 3, 2), reason="x"),
                 lambda: services.roster_generate(actor=world["outsider"], hotline=world["hotline"], year=2027,
                                                  month=4)):
        with pytest.raises(ApplicationError) as refused:
            call()
        assert refused.value.status in (403, 404)
    assert list(RosterEntry.objects.values_list("pk", "user_id")) == before
    assert not Leave.objects.exists()


def test_filling_a_vacant_slot(world):
    hotline, seat, shift = world["hotline"], world["seats"][0], world["shift"]
    entry = services.roster_assign(actor=world["supervisor"], hotline=hotline, date=dt.date(2027, 3, 1), shift=shift,
                                   seat=seat, user=world["pool"][3])
    assert entry.source == "cover"
    with pytest.raises(ApplicationError) as taken:
        services.roster_assign(actor=world["supervisor"], hotline=hotline, date=dt.date(2027, 3, 1), shift=shift,
                               seat=seat, user=world["pool"][4])
    assert taken.value.code == "slot_taken"
    with pytest.raises(ApplicationError):
        services.roster_assign(actor=world["supervisor"], hotline=hotline, date=dt.date(2027, 3, 1), shift=shift,
                               seat=world["seats"][1], user=world["pool"][3])  # already on duty that day


def test_who_is_on_duty_now_and_my_schedule(world):
    today = timezone.localdate()
    RosterEntry.objects.create(hotline=world["hotline"], date=dt.date(2026, 11, 27), shift=world["shift"],
                               seat=world["seats"][0], user=world["pool"][0])
    duty = on_duty_now(hotline=world["hotline"], now=local(2026, 11, 27, 10))
    assert not duty["voice_mail"] and [e.user for e in duty["entries"]] == [world["pool"][0]]
    evening = on_duty_now(hotline=world["hotline"], now=local(2026, 11, 27, 19))
    assert evening["voice_mail"] and not evening["entries"]
    assert on_duty_now(hotline=world["hotline"], now=local(2026, 11, 28, 10))["voice_mail"]  # Saturday
    RosterEntry.objects.create(hotline=world["hotline"], date=today + dt.timedelta(days=3), shift=world["shift"],
                               seat=world["seats"][1], user=world["pool"][0])
    mine = list(schedule_of(user=world["pool"][0], start=today, end=today + dt.timedelta(days=30)))
    assert [e.date for e in mine] == [today + dt.timedelta(days=3)]
