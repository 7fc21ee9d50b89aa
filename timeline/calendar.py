"""Interval arithmetic on half-open ``[start, end)`` spans whose ends may be unknown.

A time is an interval of the calendar at some granularity (day, month, year, ...). The TIMEX3
value is derived from the interval and its granularity, never stored beside it, so the two
cannot disagree.
"""

from __future__ import annotations

import calendar as _stdcal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

DateLike = date | datetime

GRANULARITIES = (
    "second", "minute", "hour", "part_of_day", "day", "week", "weekend", "month", "season",
    "quarter", "half", "year", "decade", "century", "unknown",
)

# Part-of-day codes of TimeML and the hours they cover (start hour, end hour; end may be 24).
PARTS_OF_DAY = {"MO": (6, 12), "AF": (12, 18), "EV": (18, 22), "NI": (20, 24), "DT": (9, 17)}
# Seasons (northern hemisphere, meteorological): code -> (start month, month count).
SEASONS = {"SP": (3, 3), "SU": (6, 3), "FA": (9, 3), "WI": (12, 3)}


@dataclass(frozen=True, slots=True)
class Interval:
    """A half-open span ``[start, end)``; ``None`` marks an end that is open or unknown."""

    start: DateLike | None = None
    end: DateLike | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and not _lt(self.start, self.end):
            raise ValueError(f"interval start {self.start} is not before end {self.end}")

    @property
    def is_bounded(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def is_empty(self) -> bool:
        return self.start is None and self.end is None

    def to_json(self) -> dict[str, str | None]:
        return {"start": iso(self.start), "end": iso(self.end)}

    @classmethod
    def from_json(cls, data: dict | None) -> Interval:
        if not data:
            return cls()
        return cls(parse_iso(data.get("start")), parse_iso(data.get("end")))


def iso(value: DateLike | None) -> str | None:
    """ISO text of a date (``2017-01-30``) or datetime (``2017-01-30T14:00``)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        seconds = f":{value.second:02d}" if value.second else ""
        return f"{_ymd(value)}T{value.hour:02d}:{value.minute:02d}{seconds}"
    return value.isoformat()


def _ymd(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def parse_iso(text: str | None) -> DateLike | None:
    """Inverse of :func:`iso`."""
    if not text:
        return None
    if "T" in text:
        return datetime.fromisoformat(text)
    return date.fromisoformat(text)


def _as_datetime(value: DateLike) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def _lt(a: DateLike, b: DateLike) -> bool:
    return _as_datetime(a) < _as_datetime(b)


def earlier(a: DateLike, b: DateLike) -> bool:
    """``a < b`` for dates and datetimes mixed."""
    return _lt(a, b)


# --- constructors of calendar periods -------------------------------------------------------

def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def safe_date(year: int, month: int, day: int) -> date | None:
    """A date, or None when it does not exist (2017-02-30) or is out of range."""
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    if not 1 <= day <= _stdcal.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def day_interval(day: date) -> Interval:
    return Interval(day, day + timedelta(days=1))


def month_interval(year: int, month: int) -> Interval:
    ny, nm = add_months(year, month, 1)
    return Interval(date(year, month, 1), date(ny, nm, 1))


def year_interval(year: int) -> Interval:
    return Interval(date(year, 1, 1), date(year + 1, 1, 1))


def years_interval(first: int, count: int) -> Interval:
    return Interval(date(first, 1, 1), date(min(first + count, 9999), 1, 1))


def quarter_interval(year: int, quarter: int) -> Interval:
    return Interval(date(year, 3 * quarter - 2, 1),
                    date(*add_months(year, 3 * quarter - 2, 3), 1))


def half_interval(year: int, half: int) -> Interval:
    return Interval(date(year, 6 * half - 5, 1), date(*add_months(year, 6 * half - 5, 6), 1))


def season_interval(year: int, code: str) -> Interval:
    month, count = SEASONS[code]
    return Interval(date(year, month, 1), date(*add_months(year, month, count), 1))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_interval(day: date) -> Interval:
    start = week_start(day)
    return Interval(start, start + timedelta(days=7))


def weekend_interval(day: date) -> Interval:
    saturday = week_start(day) + timedelta(days=5)
    return Interval(saturday, saturday + timedelta(days=2))


def part_of_day_interval(day: date, code: str) -> Interval:
    first, last = PARTS_OF_DAY[code]
    start = datetime(day.year, day.month, day.day, first)
    end = datetime(day.year, day.month, day.day) + timedelta(hours=last)
    return Interval(start, end)


def time_interval(moment: datetime, granularity: str) -> Interval:
    step = {"hour": timedelta(hours=1), "minute": timedelta(minutes=1),
            "second": timedelta(seconds=1)}[granularity]
    return Interval(moment, moment + step)


# --- TIMEX3 values derived from an interval and its granularity -----------------------------

def _iso_week(day: DateLike) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


# The value of each calendar granularity, from the period's first day.
_CALENDAR_VALUES: dict[str, Callable[[DateLike], str]] = {
    "day": _ymd,
    "month": lambda s: f"{s.year:04d}-{s.month:02d}",
    "year": lambda s: f"{s.year:04d}",
    "decade": lambda s: f"{s.year // 10:03d}",
    "century": lambda s: f"{s.year // 100:02d}",
    "quarter": lambda s: f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}",
    "half": lambda s: f"{s.year:04d}-H{(s.month - 1) // 6 + 1}",
    "week": _iso_week,
    "weekend": lambda s: _iso_week(s) + "-WE",
}


def timex_value(interval: Interval, granularity: str) -> str | None:
    """The TimeML 1.2 value of a bounded calendar period, or None if it has none."""
    start = interval.start
    if start is None:
        return None
    calendar_value = _CALENDAR_VALUES.get(granularity)
    if calendar_value is not None:
        return calendar_value(start)
    if granularity == "season":
        code = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}.get(start.month)
        return f"{start.year:04d}-{code}" if code else None
    if isinstance(start, datetime):
        if granularity == "part_of_day":
            for code, (first, _last) in PARTS_OF_DAY.items():
                if first == start.hour:
                    return f"{_ymd(start)}T{code}"
            return None
        if granularity == "hour":
            return f"{_ymd(start)}T{start.hour:02d}:00"
        if granularity == "minute":
            return f"{_ymd(start)}T{start.hour:02d}:{start.minute:02d}"
        if granularity == "second":
            return f"{_ymd(start)}T{start.hour:02d}:{start.minute:02d}:{start.second:02d}"
    return None


def shift(interval: Interval, granularity: str, count: int) -> Interval:
    """The calendar period ``count`` steps of ``granularity`` away from a bounded one."""
    start = interval.start
    assert start is not None
    base = start.date() if isinstance(start, datetime) else start
    if granularity == "day":
        return day_interval(base + timedelta(days=count))
    if granularity in ("week", "weekend"):
        moved = base + timedelta(days=7 * count)
        return week_interval(moved) if granularity == "week" else weekend_interval(moved)
    if granularity == "month":
        return month_interval(*add_months(base.year, base.month, count))
    if granularity == "quarter":
        y, m = add_months(base.year, base.month, 3 * count)
        return quarter_interval(y, (m - 1) // 3 + 1)
    if granularity == "half":
        y, m = add_months(base.year, base.month, 6 * count)
        return half_interval(y, (m - 1) // 6 + 1)
    if granularity == "season":
        y, m = add_months(base.year, base.month, 3 * count)
        code = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}[m]
        return season_interval(y, code)
    if granularity == "year":
        return year_interval(base.year + count)
    if granularity == "decade":
        return years_interval(base.year // 10 * 10 + 10 * count, 10)
    if granularity == "century":
        return years_interval(base.year // 100 * 100 + 100 * count, 100)
    raise ValueError(f"cannot shift by {granularity}")


def period_of(day: date, granularity: str) -> Interval:
    """The calendar period of ``granularity`` that contains ``day``."""
    if granularity == "day":
        return day_interval(day)
    if granularity == "week":
        return week_interval(day)
    if granularity == "weekend":
        return weekend_interval(day)
    if granularity == "month":
        return month_interval(day.year, day.month)
    if granularity == "quarter":
        return quarter_interval(day.year, (day.month - 1) // 3 + 1)
    if granularity == "half":
        return half_interval(day.year, (day.month - 1) // 6 + 1)
    if granularity == "season":
        y, m = (day.year, day.month)
        if m in (1, 2):
            y, m = y - 1, 12
        code = {3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU", 9: "FA", 10: "FA",
                11: "FA", 12: "WI"}[m]
        return season_interval(y, code)
    if granularity == "year":
        return year_interval(day.year)
    if granularity == "decade":
        return years_interval(day.year // 10 * 10, 10)
    if granularity == "century":
        return years_interval(day.year // 100 * 100, 100)
    raise ValueError(f"no period of granularity {granularity}")


def sub_period(interval: Interval, part: str) -> Interval:
    """The START, MID or END third of a bounded interval, at day precision."""
    start, end = interval.start, interval.end
    assert start is not None and end is not None
    s, e = _as_datetime(start).date(), _as_datetime(end).date()
    span = (e - s).days
    third = max(1, span // 3)
    if part == "START":
        return Interval(s, s + timedelta(days=third))
    if part == "END":
        return Interval(e - timedelta(days=third), e)
    return Interval(s + timedelta(days=third), max(s + timedelta(days=third + 1),
                                                    e - timedelta(days=third)))


def to_date(value: DateLike) -> date:
    return value.date() if isinstance(value, datetime) else value


def relate(relation: str, interval: Interval, dateline: date | None = None) -> Interval:
    """The interval of something that stands in ``relation`` to ``interval``.

    after X: ``[end of X, open)``; before X: ``(open, start of X)``; since X: ``[start of X,
    dateline]``; until X: ``(open, end of X)``; on/during X: X itself.
    """
    if relation == "after":
        return Interval(interval.end, None)
    if relation == "before":
        return Interval(None, interval.start)
    if relation == "since":
        end = dateline + timedelta(days=1) if dateline is not None else None
        if end is not None and interval.start is not None and not earlier(interval.start, end):
            end = None
        return Interval(interval.start, end)
    if relation == "until":
        return Interval(None, interval.end)
    return interval
