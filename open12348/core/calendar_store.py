"""The platform's legal calendar: the `chinesecalendar` package's data plus what administrators entered.

Read with `legal_calendar()`; write with the services below, which audit every change. The
database wins on conflict (an administrator can correct the package), and a year has data if
the package covers it or a `CalendarYear` row says it is complete.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from open12348.audit.services import audit_record, changes_from, snapshot

from .calendar import ChineseCalendar, HolidayCalendar
from .errors import ApplicationError
from .models import CalendarDay, CalendarYear
from .services import model_update

FIRST_YEAR, LAST_YEAR = 1990, 2199

_cached: tuple[tuple[Any, ...], HolidayCalendar] | None = None


@functools.cache
def package_calendar() -> ChineseCalendar:
    return ChineseCalendar()


def _stamp() -> tuple[Any, ...]:
    """Changes whenever a row is added, edited or removed (or a transaction that did so rolls back)."""
    days = CalendarDay.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    years = CalendarYear.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    return days["n"], days["at"], years["n"], years["at"]


def _build() -> HolidayCalendar:
    holidays, workdays = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (holidays if kind == CalendarDay.Kind.HOLIDAY else workdays).add(day)
    complete = CalendarYear.objects.filter(complete=True).values_list("year", flat=True)
    return package_calendar().overlay(holidays=holidays, workdays=workdays, years=complete)


def legal_calendar() -> HolidayCalendar:
    """The calendar every statutory period uses. Kept per process; costs two small queries per call
    to notice changes made by other processes, so call it once per request or loop, not per item."""
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    calendar = _build()
    _cached = (stamp, calendar)  # one assignment: a thread sees the old pair or the new one
    return calendar


# --- writes ---------------------------------------------------------------------------------------

def _check_year(year: int, *, field: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApplicationError(
            _("Enter a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR},
            code="year_out_of_range", field=field,
        )


@transaction.atomic
def calendar_day_set(*, actor, date: dt.date, kind: str, name: str, note: str = "") -> CalendarDay:
    """Record that `date` is a public holiday or a make-up working day, replacing what was there."""
    _check_year(date.year, field="date")
    if kind not in CalendarDay.Kind.values:
        raise ApplicationError(_("Choose whether the day is a public holiday or a make-up working day."),
                               code="kind_invalid", field="kind")
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Enter the holiday's name, such as National Day."), code="name_required",
                               field="name")
    note = (note or "").strip()
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        day = CalendarDay(date=date, kind=kind, name=name, note=note,
                          created_by=actor if getattr(actor, "is_authenticated", False) else None)
        day.full_clean()
        day.save()
        audit_record(actor=actor, action="core.calendar_day.create", obj=day, changes={"after": snapshot(day)})
        return day
    day, updated, diff = model_update(instance=day, fields=["kind", "name", "note"],
                                      data={"kind": kind, "name": name, "note": note})
    if updated:
        audit_record(actor=actor, action="core.calendar_day.update", obj=day, changes=changes_from(diff))
    return day


@transaction.atomic
def calendar_day_remove(*, actor, date: dt.date) -> bool:
    """Remove an entered day, so the package's data (or the weekday) applies again. False if there was none."""
    day = CalendarDay.objects.select_for_update().filter(date=date).first()
    if day is None:
        return False
    audit_record(actor=actor, action="core.calendar_day.delete", obj=day, changes={"before": snapshot(day)})
    day.delete()
    return True


@transaction.atomic
def calendar_year_set(*, actor, year: int, complete: bool, source: str) -> CalendarYear:
    """Say whether a year's arrangement has been entered in full, and from which notice."""
    _check_year(year, field="year")
    source = (source or "").strip()
    if complete:
        if not source:
            raise ApplicationError(
                _("Enter the State Council notice the holidays come from, with its number and date."),
                code="source_required", field="source",
            )
        has_holidays = (package_calendar().has_data(year)
                        or CalendarDay.objects.filter(date__year=year, kind=CalendarDay.Kind.HOLIDAY).exists())
        if not has_holidays:
            raise ApplicationError(
                _("No public holidays have been entered for %(year)s yet. Enter the days first, "
                  "then mark the year complete.") % {"year": year},
                code="year_empty", field="year",
            )
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        row = CalendarYear.objects.create(year=year, complete=complete, source=source)
        audit_record(actor=actor, action="core.calendar_year.create", obj=row, changes={"after": snapshot(row)})
        return row
    row, updated, diff = model_update(instance=row, fields=["complete", "source"],
                                      data={"complete": complete, "source": source})
    if updated:
        audit_record(actor=actor, action="core.calendar_year.update", obj=row, changes=changes_from(diff))
    return row


def calendar_year_mark_complete(*, actor, year: int, source: str) -> CalendarYear:
    """Every holiday and make-up working day of `year` is in: deadlines in that year stop being provisional."""
    return calendar_year_set(actor=actor, year=year, complete=True, source=source)
