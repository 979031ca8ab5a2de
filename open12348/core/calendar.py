"""The legal-day clock: one calculator for every statutory period in the platform.

Pure Python, no database. The rules (Civil Code Art. 201–204; RULES.md §0 and §12):

- A period in days starts counting the day after the event: day 1 is `start + 1`, and the
  period's last day is `start + days` (calendar days, 日, not working days).
- If that last day is a rest day or a public holiday, the period ends on the first working day
  after it (Art. 203). A make-up working day (调休上班, e.g. a Sunday worked to bridge a holiday)
  is a working day.
- A period in hours runs from the event itself, hour by hour, holidays included (Art. 201 para 2).

Which days are rest days is calendar data: the State Council publishes each year's arrangement,
so a `WorkCalendar` says for each year whether it has that year's data. A year without data still
answers (weekends are rest days, nothing else is) and every result says whether the data it
relied on was complete. `calendar_store.legal_calendar()` gives the calendar the platform uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol, runtime_checkable

# No published arrangement has ever made more than ten days in a row rest days; a longer run
# means broken data, and an endless loop would be worse than an error.
MAX_REST_RUN = 366


@runtime_checkable
class WorkCalendar(Protocol):
    def is_working_day(self, d: date, /) -> bool: ...

    def has_data(self, year: int, /) -> bool: ...


class HolidayCalendar:
    """Working days from explicit data: public holidays, make-up working days, and the years covered.

    A date in `holidays` is a rest day and a date in `workdays` a working day, whatever the
    weekday; any other date is a working day from Monday to Friday. Explicit dates apply in every
    year, even one not in `years` (a year an administrator is still entering), but only the years
    in `years` count as complete: for the others `has_data` is False and results say so.
    """

    __slots__ = ("_holidays", "_workdays", "_years")

    def __init__(self, *, holidays: Iterable[date] = (), workdays: Iterable[date] = (),
                 years: Iterable[int] = ()) -> None:
        self._holidays = frozenset(holidays)
        self._workdays = frozenset(workdays)
        clash = self._holidays & self._workdays
        if clash:
            raise ValueError(f"dates both holiday and working day: {sorted(clash)}")
        self._years = frozenset(years)

    @property
    def holidays(self) -> frozenset[date]:
        return self._holidays

    @property
    def workdays(self) -> frozenset[date]:
        return self._workdays

    @property
    def years(self) -> frozenset[int]:
        return self._years

    def is_working_day(self, d: date, /) -> bool:
        if d in self._workdays:
            return True
        if d in self._holidays:
            return False
        return d.weekday() < 5

    def has_data(self, year: int, /) -> bool:
        return year in self._years

    def overlay(self, *, holidays: Iterable[date] = (), workdays: Iterable[date] = (),
                years: Iterable[int] = ()) -> HolidayCalendar:
        """A new calendar where the given dates override this one's, and the given years are added."""
        holidays, workdays = frozenset(holidays), frozenset(workdays)
        return HolidayCalendar(
            holidays=(self._holidays - workdays) | holidays,
            workdays=(self._workdays - holidays) | workdays,
            years=self._years | frozenset(years),
        )


class ChineseCalendar(HolidayCalendar):
    """The State Council arrangements shipped in the `chinesecalendar` package (2004 to its last year).

    The package stores every day off inside a holiday period, weekends included, and every
    make-up working day; a year has data when it falls between the package's first and last year.
    """

    __slots__ = ()

    def __init__(self) -> None:
        import chinese_calendar

        holidays = frozenset(chinese_calendar.holidays)
        workdays = frozenset(chinese_calendar.workdays)
        first = min(d.year for d in holidays)
        last = max(d.year for d in holidays | workdays)
        super().__init__(holidays=holidays, workdays=workdays, years=range(first, last + 1))


@dataclass(frozen=True, slots=True)
class Due:
    """A period's last day, and how much to trust it.

    `calendar_complete` is False when a year whose rest days the answer depends on has no data:
    the date is then computed from weekends only and must be shown as provisional.
    `moved_over` lists the rest days the period's end moved past (empty when it fell on a working day).
    """

    due: date
    calendar_complete: bool
    moved_over: tuple[date, ...] = ()


class _Probe:
    """Asks a calendar and remembers which years it needed; a result is complete only if they all had data."""

    __slots__ = ("calendar", "complete")

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.complete = True

    def is_working_day(self, d: date) -> bool:
        if not self.calendar.has_data(d.year):
            self.complete = False
        return self.calendar.is_working_day(d)

    def first_working_day_from(self, last: date) -> tuple[date, tuple[date, ...]]:
        moved: list[date] = []
        day = last
        while not self.is_working_day(day):
            moved.append(day)
            if len(moved) > MAX_REST_RUN:
                raise ValueError(f"no working day within {MAX_REST_RUN} days after {last}: check the calendar data")
            day += timedelta(days=1)
        return day, tuple(moved)


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"a period is a whole number of days, at least 1 (got {days!r})")


def _check_start(start: date) -> None:
    if isinstance(start, datetime):
        raise TypeError("start is a date: take .date() of the event in local time first")


def due_date(*, start: date, days: int, calendar: WorkCalendar) -> Due:
    """The last day of a period of `days` days that starts with the event on `start`.

    `start + days` is the last day; if it is a rest day or public holiday, the first working day
    after it. The years touched are those of the days whose status was looked up (the last day
    and any it moved over); days in the middle of the period do not matter and are not consulted.
    """
    _check_days(days)
    _check_start(start)
    probe = _Probe(calendar)
    due, moved = probe.first_working_day_from(start + timedelta(days=days))
    return Due(due=due, calendar_complete=probe.complete, moved_over=moved)


def due_date_with_pauses(*, start: date, days: int, pauses: list[tuple[date, date | None]],
                         calendar: WorkCalendar) -> Due | None:
    """A period of `days` days whose clock stops while the agency waits (e.g. for supplementary materials).

    Each pause is `(stopped, resumed)`: the clock stops on `stopped` (the day the one-time notice
    of missing materials is issued) and restarts on `resumed` (the day they arrive). The day the
    clock stops still counts; the days after it up to and including `resumed` do not, just as the
    event's own day is not counted (Art. 201). So a pause adds `resumed - stopped` calendar days:
    the period's last day is `start + days + sum(resumed - stopped)`, then moved off rest days as
    in `due_date`.

    A pause counts only if it begins on or before the deadline as it stands when the pause begins
    (earlier pauses included): a request made after the deadline has passed does not revive it.
    A pause that begins during the rest days a deadline was moved over (after the counted days ran
    out) leaves no counted days, so the period then ends on the day the clock restarts, or the
    first working day after it.

    A pause still open (`resumed` is None) that counts means there is no deadline while it lasts:
    the answer is None. Pauses must be in order, must not overlap, must not begin before `start`,
    and only the last one may be open; otherwise ValueError.
    """
    _check_days(days)
    _check_start(start)
    _check_pauses(start=start, pauses=pauses)
    probe = _Probe(calendar)
    remaining = days
    cursor = start  # the last day already accounted for
    for stopped, resumed in pauses:
        current_due, _moved = probe.first_working_day_from(cursor + timedelta(days=remaining))
        if stopped > current_due:
            break
        remaining = max(0, remaining - (stopped - cursor).days)
        if resumed is None:
            return None
        cursor = resumed
    due, moved = probe.first_working_day_from(cursor + timedelta(days=remaining))
    return Due(due=due, calendar_complete=probe.complete, moved_over=moved)


def _check_pauses(*, start: date, pauses: list[tuple[date, date | None]]) -> None:
    previous_end: date | None = start
    for index, (stopped, resumed) in enumerate(pauses):
        if previous_end is None:
            raise ValueError("only the last pause may be open")
        if stopped < previous_end:
            raise ValueError(f"pause {index} begins before the start or before the previous pause ended")
        if resumed is not None and resumed < stopped:
            raise ValueError(f"pause {index} ends before it begins")
        previous_end = resumed


def due_at(*, start: datetime, hours: int) -> datetime:
    """The moment a period of `hours` hours that runs from `start` ends (e.g. 24 h forwarding, Art. 39).

    Hours are counted as elapsed time from the event, holidays included. `start` must be aware;
    the answer is in the same time zone.
    """
    if not isinstance(start, datetime) or start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be a timezone-aware datetime")
    if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
        raise ValueError(f"a period is a whole number of hours, at least 1 (got {hours!r})")
    return (start.astimezone(UTC) + timedelta(hours=hours)).astimezone(start.tzinfo)


def days_remaining(*, due: date, today: date) -> int:
    """Days left until the due date: 0 on the day itself, negative when overdue."""
    return (due - today).days
