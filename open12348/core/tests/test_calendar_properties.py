"""Properties of the legal-day clock that must hold for any start, length and holiday data (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from open12348.core.calendar import ChineseCalendar, HolidayCalendar, due_date, due_date_with_pauses

PACKAGE = ChineseCalendar()

starts = st.dates(min_value=date(2003, 1, 1), max_value=date(2032, 12, 31))
lengths = st.integers(min_value=1, max_value=400)


@st.composite
def calendars(draw) -> HolidayCalendar:
    """The real data, or invented data: random holidays (runs of rest days) and make-up working days."""
    if draw(st.booleans()):
        return PACKAGE
    base = draw(st.dates(min_value=date(2003, 1, 1), max_value=date(2033, 12, 31)))
    offsets = draw(st.sets(st.integers(min_value=0, max_value=500), max_size=80))
    holidays = {base + timedelta(n) for n in offsets}
    workdays = {base + timedelta(n) for n in draw(st.sets(st.integers(0, 500), max_size=20))} - holidays
    years = draw(st.sets(st.integers(2003, 2034), max_size=5))
    return HolidayCalendar(holidays=holidays, workdays=workdays, years=years)


@settings(max_examples=400, deadline=None)
@given(start=starts, days=lengths, calendar=calendars())
def test_the_due_date_is_a_working_day_no_earlier_than_the_nominal_end(start, days, calendar):
    result = due_date(start=start, days=days, calendar=calendar)

    nominal = start + timedelta(days=days)
    assert result.due > start
    assert result.due >= nominal
    assert calendar.is_working_day(result.due)
    # It moved exactly over the rest days between the nominal end and the due date, no further.
    assert result.moved_over == tuple(nominal + timedelta(n) for n in range((result.due - nominal).days))
    assert not any(calendar.is_working_day(d) for d in result.moved_over)


@settings(max_examples=400, deadline=None)
@given(start=starts, days=lengths, calendar=calendars())
def test_a_longer_period_never_ends_earlier(start, days, calendar):
    shorter = due_date(start=start, days=days, calendar=calendar).due
    longer = due_date(start=start, days=days + 1, calendar=calendar).due
    assert shorter <= longer


@settings(max_examples=300, deadline=None)
@given(start=starts, days=lengths, calendar=calendars())
def test_complete_exactly_when_every_year_consulted_has_data(start, days, calendar):
    result = due_date(start=start, days=days, calendar=calendar)
    consulted = {d.year for d in (*result.moved_over, result.due)}
    assert result.calendar_complete == all(calendar.has_data(y) for y in consulted)


@st.composite
def closed_pauses(draw, start: date, days: int):
    """Pauses that all begin before the nominal end, in order, none open."""
    pauses, cursor, budget = [], start, days
    for _ in range(draw(st.integers(0, 3))):
        step = draw(st.integers(0, budget))
        length = draw(st.integers(0, 30))
        stopped = cursor + timedelta(step)
        pauses.append((stopped, stopped + timedelta(length)))
        cursor, budget = stopped + timedelta(length), budget - step
        if budget == 0:
            break
    return pauses


@settings(max_examples=300, deadline=None)
@given(data=st.data(), start=starts, days=st.integers(1, 60))
def test_pauses_before_the_deadline_add_exactly_their_paused_days(data, start, days):
    pauses = data.draw(closed_pauses(start, days))
    paused = sum((resumed - stopped).days for stopped, resumed in pauses)

    with_pauses = due_date_with_pauses(start=start, days=days, pauses=pauses, calendar=PACKAGE)

    shifted = due_date(start=start + timedelta(paused), days=days, calendar=PACKAGE)
    # Completeness may differ: deciding whether each pause began in time also looks at the deadline
    # as it stood then, which can lie in a year without data.
    assert (with_pauses.due, with_pauses.moved_over) == (shifted.due, shifted.moved_over)
    assert with_pauses.calendar_complete <= shifted.calendar_complete
    assert with_pauses.due >= due_date(start=start, days=days, calendar=PACKAGE).due
