"""A period read from whole years, whole months and days counts every day exactly once."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from open12348.stats.selectors import Period, period_pieces

DAYS = st.dates(min_value=dt.date(2018, 1, 1), max_value=dt.date(2027, 12, 31))


def covered(pieces) -> list[dt.date]:
    days = []
    for grain, first, last in pieces:
        day = first
        while day <= last:
            if grain == "d":
                days.append(day)
                day += dt.timedelta(days=1)
            elif grain == "m":
                following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
                days += [day + dt.timedelta(days=i) for i in range((following - day).days)]
                day = following
            else:
                following = day.replace(year=day.year + 1)
                days += [day + dt.timedelta(days=i) for i in range((following - day).days)]
                day = following
    return days


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])  # the machine may be busy
@given(a=DAYS, b=DAYS)
def test_the_pieces_cover_each_day_of_the_period_once(a, b):
    start, end = min(a, b), max(a, b)
    for coarsest in ("y", "m"):
        pieces = period_pieces(Period(start, end), coarsest=coarsest)
        days = covered(pieces)
        assert days == [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        assert coarsest == "y" or all(grain != "y" for grain, _first, _last in pieces)


@pytest.mark.parametrize(("start", "end", "expected"), [
    ((2019, 1, 1), (2026, 11, 30), [("y", (2019, 1, 1), (2025, 1, 1)), ("m", (2026, 1, 1), (2026, 11, 1))]),
    ((2019, 3, 15), (2020, 12, 31), [("d", (2019, 3, 15), (2019, 3, 31)), ("m", (2019, 4, 1), (2019, 12, 1)),
                                     ("y", (2020, 1, 1), (2020, 1, 1))]),
    ((2026, 2, 3), (2026, 2, 20), [("d", (2026, 2, 3), (2026, 2, 20))]),
])
def test_a_period_is_read_in_the_fewest_cells(start, end, expected):
    pieces = period_pieces(Period(dt.date(*start), dt.date(*end)))
    assert [(g, f.timetuple()[:3], t.timetuple()[:3]) for g, f, t in pieces] == expected


def test_figures_are_written_with_their_unit():
    from decimal import Decimal

    from open12348.stats.templatetags.stats_tags import figure

    assert figure(None, "pct") == "—"
    assert figure(60.583, "pct") == "60.58 %"
    assert figure(Decimal("27377000"), "yuan") == "27,377,000.00"
    assert figure(6906, "count") == "6,906"
    assert figure(3.66, "number") == "3.7"
