"""The legal-day clock (open12348.core.calendar): worked examples with real dates, no database.

Every holiday fact used here is cross-checked against the chinesecalendar package itself, so a
wrong expectation in this file shows up as a failed premise, not as a wrong "pass".
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from open12348.core.calendar import (
    ChineseCalendar,
    Due,
    HolidayCalendar,
    WorkCalendar,
    days_remaining,
    due_at,
    due_date,
    due_date_with_pauses,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CAL = ChineseCalendar()


def days(first: date, last: date) -> tuple[date, ...]:
    return tuple(first + timedelta(n) for n in range((last - first).days + 1))


# --- the package's data, as the calculator sees it -------------------------------------------------

def test_the_calendar_agrees_with_the_package_on_every_day_it_covers():
    day, last = date(2004, 1, 1), date(2026, 12, 31)
    while day <= last:
        assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(1)


def test_years_the_package_covers_have_data_and_later_ones_do_not():
    assert CAL.has_data(2004) and CAL.has_data(2025) and CAL.has_data(2026)
    assert not CAL.has_data(2003)
    assert not CAL.has_data(2027)
    assert isinstance(CAL, WorkCalendar)


# --- Art. 201 and 203: the start day is not counted; a last day off moves to the next working day ----

def test_seven_days_ending_in_the_2025_national_day_holiday_moves_past_the_whole_holiday():
    # 2025-10-01..08 were off (National Day and Mid-Autumn together); 09 was a working Thursday.
    assert [chinese_calendar.is_workday(d) for d in days(date(2025, 10, 3), date(2025, 10, 9))] == [False] * 6 + [True]

    result = due_date(start=date(2025, 9, 26), days=7, calendar=CAL)

    assert result == Due(due=date(2025, 10, 9), calendar_complete=True,
                         moved_over=days(date(2025, 10, 3), date(2025, 10, 8)))


def test_a_period_ending_on_a_working_weekday_stays_there():
    assert due_date(start=date(2025, 11, 3), days=7, calendar=CAL) == Due(date(2025, 11, 10), True, ())


def test_the_start_day_is_not_counted():
    # Event on Monday 2025-11-03: day 1 is Tuesday 04, so 1 day ends on Tuesday, not Monday.
    assert due_date(start=date(2025, 11, 3), days=1, calendar=CAL).due == date(2025, 11, 4)


def test_a_period_ending_on_a_make_up_working_sunday_stays_there():
    assert date(2025, 9, 28).weekday() == 6 and chinese_calendar.is_workday(date(2025, 9, 28))

    result = due_date(start=date(2025, 9, 21), days=7, calendar=CAL)

    assert result == Due(due=date(2025, 9, 28), calendar_complete=True, moved_over=())


def test_a_make_up_working_day_across_the_new_year_counts_too():
    assert date(2026, 1, 4).weekday() == 6 and chinese_calendar.is_workday(date(2026, 1, 4))
    assert due_date(start=date(2025, 12, 28), days=7, calendar=CAL).due == date(2026, 1, 4)


def test_a_period_ending_on_an_ordinary_saturday_moves_to_monday():
    assert date(2025, 11, 15).weekday() == 5 and not chinese_calendar.is_workday(date(2025, 11, 15))

    result = due_date(start=date(2025, 11, 8), days=7, calendar=CAL)

    assert result == Due(due=date(2025, 11, 17), calendar_complete=True,
                         moved_over=(date(2025, 11, 15), date(2025, 11, 16)))


def test_spring_festival_2026_moves_a_three_day_period_to_the_first_day_back():
    # 2026-02-15..23 off; 24 (Tuesday) back at work.
    assert not any(chinese_calendar.is_workday(d) for d in days(date(2026, 2, 15), date(2026, 2, 23)))
    assert chinese_calendar.is_workday(date(2026, 2, 24))

    result = due_date(start=date(2026, 2, 14), days=3, calendar=CAL)

    assert result.due == date(2026, 2, 24)
    assert result.moved_over == days(date(2026, 2, 17), date(2026, 2, 23))
    assert result.calendar_complete


def test_spring_festival_2026_make_up_saturday_is_a_working_day():
    assert date(2026, 2, 14).weekday() == 5 and chinese_calendar.is_workday(date(2026, 2, 14))
    assert due_date(start=date(2026, 2, 7), days=7, calendar=CAL).due == date(2026, 2, 14)


def test_the_24_hour_clock_counts_hours_and_ignores_the_holiday():
    start = datetime(2025, 10, 1, 10, 0, tzinfo=SHANGHAI)

    assert due_at(start=start, hours=24) == datetime(2025, 10, 2, 10, 0, tzinfo=SHANGHAI)
    assert due_at(start=start, hours=48).tzinfo is SHANGHAI


def test_the_hour_clock_counts_elapsed_hours_across_a_daylight_saving_change():
    # Asia/Shanghai has no DST now, but the clock must count real hours wherever it runs.
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2025, 3, 29, 12, 0, tzinfo=berlin)  # clocks go forward on 30 March

    end = due_at(start=start, hours=24)

    assert end == datetime(2025, 3, 30, 13, 0, tzinfo=berlin)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=24)


@pytest.mark.parametrize("bad", [datetime(2025, 10, 1, 10, 0), date(2025, 10, 1)])
def test_the_hour_clock_refuses_a_naive_start(bad):
    with pytest.raises(ValueError, match="aware"):
        due_at(start=bad, hours=24)


@pytest.mark.parametrize("hours", [0, -1, True, 1.5])
def test_the_hour_clock_refuses_a_period_that_is_not_a_positive_whole_number(hours):
    with pytest.raises(ValueError):
        due_at(start=datetime(2025, 10, 1, tzinfo=SHANGHAI), hours=hours)


@pytest.mark.parametrize("n", [0, -7, True, 7.0])
def test_a_period_must_be_at_least_one_whole_day(n):
    with pytest.raises(ValueError):
        due_date(start=date(2025, 11, 3), days=n, calendar=CAL)


def test_days_remaining_is_zero_on_the_day_and_negative_when_overdue():
    due = date(2025, 10, 9)
    assert days_remaining(due=due, today=date(2025, 10, 1)) == 8
    assert days_remaining(due=due, today=due) == 0
    assert days_remaining(due=due, today=date(2025, 10, 11)) == -2


# --- years without data ------------------------------------------------------------------------------

def test_a_year_without_data_answers_from_weekends_only_and_says_so():
    # In 2031 1 October falls on a Wednesday; with no arrangement entered, Friday 3 October is "working".
    result = due_date(start=date(2031, 9, 26), days=7, calendar=CAL)

    assert result == Due(due=date(2031, 10, 3), calendar_complete=False, moved_over=())


def test_a_weekend_in_a_year_without_data_still_moves():
    result = due_date(start=date(2031, 9, 27), days=7, calendar=CAL)  # ends Saturday 4 October

    assert result == Due(due=date(2031, 10, 6), calendar_complete=False,
                         moved_over=(date(2031, 10, 4), date(2031, 10, 5)))


def test_completeness_depends_on_the_years_whose_days_decided_the_answer():
    # Starts in 2026 (data) but ends in 2027 (none yet): provisional.
    assert not due_date(start=date(2026, 12, 28), days=7, calendar=CAL).calendar_complete
    # Starts in 2003 (no data) but ends in 2004: only the last day's status matters, so complete.
    assert due_date(start=date(2003, 12, 30), days=7, calendar=CAL).calendar_complete


def test_a_hand_entered_arrangement_for_a_new_year_moves_the_date_and_completes_it():
    national_day_2031 = days(date(2031, 10, 1), date(2031, 10, 7))
    entered = CAL.overlay(holidays=national_day_2031, workdays=[date(2031, 9, 28), date(2031, 10, 11)],
                          years=[2031])

    result = due_date(start=date(2031, 9, 26), days=7, calendar=entered)

    assert result == Due(due=date(2031, 10, 8), calendar_complete=True,
                         moved_over=days(date(2031, 10, 3), date(2031, 10, 7)))
    assert entered.is_working_day(date(2031, 9, 28))  # a Sunday, worked


def test_days_entered_for_an_unfinished_year_apply_but_the_answer_stays_provisional():
    partial = CAL.overlay(holidays=days(date(2031, 10, 1), date(2031, 10, 7)))

    result = due_date(start=date(2031, 9, 26), days=7, calendar=partial)

    assert (result.due, result.calendar_complete) == (date(2031, 10, 8), False)


def test_overlay_lets_the_new_data_win_over_the_old():
    corrected = CAL.overlay(workdays=[date(2025, 10, 3)], holidays=[date(2025, 11, 10)])

    assert corrected.is_working_day(date(2025, 10, 3))
    assert not corrected.is_working_day(date(2025, 11, 10))
    assert CAL.is_working_day(date(2025, 11, 10)) and not CAL.is_working_day(date(2025, 10, 3))  # unchanged


def test_a_day_cannot_be_both_a_holiday_and_a_working_day():
    with pytest.raises(ValueError):
        HolidayCalendar(holidays=[date(2030, 1, 1)], workdays=[date(2030, 1, 1)])


def test_broken_data_with_no_working_day_in_sight_is_an_error_not_a_hang():
    everything_off = HolidayCalendar(holidays=days(date(2040, 1, 1), date(2041, 12, 31)))
    with pytest.raises(ValueError, match="calendar data"):
        due_date(start=date(2039, 12, 31), days=1, calendar=everything_off)


# --- a clock that pauses while the agency waits for supplementary materials ---------------------------

START = date(2025, 11, 3)  # Monday; 7 days without pauses ends Monday 10 November


def test_no_pauses_is_the_plain_period():
    assert due_date_with_pauses(start=START, days=7, pauses=[], calendar=CAL) == \
        due_date(start=START, days=7, calendar=CAL)


def test_a_pause_adds_the_calendar_days_from_the_stop_to_the_restart():
    # Notice on Wed 5th (day 2 counts), materials arrive Tue 11th: 6 days do not count.
    result = due_date_with_pauses(start=START, days=7, pauses=[(date(2025, 11, 5), date(2025, 11, 11))],
                                  calendar=CAL)

    # 10th + 6 = Sunday 16th, moved to Monday 17th.
    assert result == Due(due=date(2025, 11, 17), calendar_complete=True, moved_over=(date(2025, 11, 16),))


def test_a_pause_that_restarts_the_same_day_adds_nothing():
    result = due_date_with_pauses(start=START, days=7, pauses=[(date(2025, 11, 5), date(2025, 11, 5))],
                                  calendar=CAL)
    assert result.due == date(2025, 11, 10)


def test_several_pauses_add_up():
    pauses = [(date(2025, 11, 4), date(2025, 11, 6)), (date(2025, 11, 7), date(2025, 11, 8))]

    result = due_date_with_pauses(start=START, days=7, pauses=pauses, calendar=CAL)

    assert result.due == date(2025, 11, 13)  # 10th + 2 + 1


def test_an_open_pause_means_there_is_no_deadline_while_it_lasts():
    assert due_date_with_pauses(start=START, days=7, pauses=[(date(2025, 11, 5), None)], calendar=CAL) is None


def test_a_pause_that_begins_after_the_deadline_does_not_revive_it():
    late = [(date(2025, 11, 12), date(2025, 11, 20))]
    assert due_date_with_pauses(start=START, days=7, pauses=late, calendar=CAL).due == date(2025, 11, 10)
    assert due_date_with_pauses(start=START, days=7, pauses=[(date(2025, 11, 12), None)], calendar=CAL).due == \
        date(2025, 11, 10)


def test_a_pause_on_the_last_day_leaves_the_restart_day_as_the_deadline():
    result = due_date_with_pauses(start=START, days=7, pauses=[(date(2025, 11, 10), date(2025, 11, 13))],
                                  calendar=CAL)
    assert result.due == date(2025, 11, 13)


def test_a_pause_that_runs_into_a_holiday_moves_the_deadline_past_it():
    # 7 days from 2025-09-22 ends 29 September; a 3-day pause pushes it to 2 October, in the holiday.
    result = due_date_with_pauses(start=date(2025, 9, 22), days=7,
                                  pauses=[(date(2025, 9, 24), date(2025, 9, 27))], calendar=CAL)
    assert result.due == date(2025, 10, 9)


def test_a_pause_during_the_rest_days_a_deadline_was_moved_over_ends_on_the_restart():
    # 7 days from 2025-09-26 end on 3 October, moved to the 9th; a notice sent on the 5th (a holiday)
    # stops a clock with no counted days left, so the deadline becomes the restart day, the 10th.
    result = due_date_with_pauses(start=date(2025, 9, 26), days=7,
                                  pauses=[(date(2025, 10, 5), date(2025, 10, 10))], calendar=CAL)
    assert result.due == date(2025, 10, 10)


@pytest.mark.parametrize("pauses", [
    [(date(2025, 11, 1), date(2025, 11, 4))],  # begins before the start
    [(date(2025, 11, 6), date(2025, 11, 5))],  # ends before it begins
    [(date(2025, 11, 4), date(2025, 11, 6)), (date(2025, 11, 5), date(2025, 11, 7))],  # overlap
    [(date(2025, 11, 4), None), (date(2025, 11, 6), date(2025, 11, 7))],  # open pause not last
])
def test_inconsistent_pauses_are_refused(pauses):
    with pytest.raises(ValueError):
        due_date_with_pauses(start=START, days=7, pauses=pauses, calendar=CAL)


def test_a_pause_in_a_year_without_data_makes_the_answer_provisional():
    result = due_date_with_pauses(start=date(2026, 12, 20), days=7,
                                  pauses=[(date(2026, 12, 22), date(2026, 12, 30))], calendar=CAL)
    assert result.due == date(2027, 1, 4) and not result.calendar_complete


def test_a_datetime_start_is_refused_so_no_one_counts_from_a_utc_date_by_mistake():
    with pytest.raises(TypeError):
        due_date(start=datetime(2025, 9, 26, 23, 0, tzinfo=SHANGHAI), days=7, calendar=CAL)
    with pytest.raises(TypeError):
        due_date_with_pauses(start=datetime(2025, 9, 26, 23, 0, tzinfo=SHANGHAI), days=7, pauses=[], calendar=CAL)
