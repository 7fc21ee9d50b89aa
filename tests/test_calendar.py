"""Intervals on the calendar: construction, values, shifts, relations."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from timeline import calendar as cal
from timeline.calendar import Interval


def test_interval_rejects_start_not_before_end() -> None:
    with pytest.raises(ValueError):
        Interval(date(2017, 1, 2), date(2017, 1, 2))


def test_open_ends_are_allowed_and_serialised_as_null() -> None:
    iv = Interval(date(2017, 1, 31), None)
    assert iv.to_json() == {"start": "2017-01-31", "end": None}
    assert Interval.from_json(iv.to_json()) == iv


@pytest.mark.parametrize(("interval", "granularity", "value"), [
    (cal.day_interval(date(2017, 1, 30)), "day", "2017-01-30"),
    (cal.month_interval(2017, 12), "month", "2017-12"),
    (cal.year_interval(2017), "year", "2017"),
    (cal.quarter_interval(2017, 1), "quarter", "2017-Q1"),
    (cal.half_interval(1998, 2), "half", "1998-H2"),
    (cal.week_interval(date(2017, 1, 31)), "week", "2017-W05"),
    (cal.weekend_interval(date(1990, 8, 11)), "weekend", "1990-W32-WE"),
    (cal.season_interval(1998, "SU"), "season", "1998-SU"),
    (cal.years_interval(1990, 10), "decade", "199"),
    (cal.years_interval(1900, 100), "century", "19"),
    (cal.part_of_day_interval(date(1998, 2, 6), "MO"), "part_of_day", "1998-02-06TMO"),
    (cal.time_interval(datetime(1998, 8, 7, 10, 35), "minute"), "minute", "1998-08-07T10:35"),
])
def test_timex_value_is_derived_from_interval(interval: Interval, granularity: str,
                                              value: str) -> None:
    assert cal.timex_value(interval, granularity) == value


def test_month_interval_wraps_the_year() -> None:
    assert cal.month_interval(2016, 12) == Interval(date(2016, 12, 1), date(2017, 1, 1))


def test_shift_by_granularity() -> None:
    assert cal.shift(cal.quarter_interval(1989, 3), "quarter", -4) == cal.quarter_interval(1988, 3)
    assert cal.shift(cal.month_interval(2017, 1), "month", -1) == cal.month_interval(2016, 12)
    assert cal.shift(cal.week_interval(date(2017, 1, 2)), "week", 1).start == date(2017, 1, 9)


def test_sub_period_thirds() -> None:
    year = cal.year_interval(1990)
    assert cal.sub_period(year, "END").end == date(1991, 1, 1)
    assert cal.sub_period(year, "START").start == date(1990, 1, 1)
    mid = cal.sub_period(year, "MID")
    assert date(1990, 1, 1) < mid.start < mid.end < date(1991, 1, 1)


def test_relations_to_intervals() -> None:
    summit = Interval(date(2017, 7, 7), date(2017, 7, 9))
    dateline = date(2017, 1, 31)
    assert cal.relate("after", summit) == Interval(date(2017, 7, 9), None)
    assert cal.relate("before", summit) == Interval(None, date(2017, 7, 7))
    assert cal.relate("until", summit) == Interval(None, date(2017, 7, 9))
    assert cal.relate("during", summit) == summit
    election = Interval(date(2016, 11, 8), date(2016, 11, 9))
    assert cal.relate("since", election, dateline) == Interval(date(2016, 11, 8),
                                                               date(2017, 2, 1))


def test_safe_date_refuses_impossible_days() -> None:
    assert cal.safe_date(2017, 2, 30) is None
    assert cal.safe_date(2016, 2, 29) == date(2016, 2, 29)
