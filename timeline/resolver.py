"""Fix candidate time expressions to the calendar: TIMEX3 type, value, mod and an interval.

Each rule in ``data/<lang>/rules.toml`` names one resolver function below (registered in
``RESOLVERS``). A resolver reads the rule's named groups, the dateline, the tense of the clause
and the last calendar time mentioned before it, and returns a :class:`Resolved`, or None to drop
a match that is not a time after all (February 30th). Nothing is guessed: without a dateline a
relative expression keeps an ``X`` value and an open interval, marked ``unresolved``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from . import calendar as cal
from .calendar import Interval
from .finder import Candidate
from .model import TimeExpression
from .rules import Language, load
from .tense import clause, tense_at


@dataclass(slots=True)
class Resolved:
    """What a resolver fixes: TIMEX3 attributes plus the interval they stand for."""

    type: str
    value: str | None
    granularity: str = "unknown"
    interval: Interval = field(default_factory=Interval)
    resolution: str = "unresolved"
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None


@dataclass(slots=True)
class Context:
    """What a resolver may read besides its match."""

    text: str
    dateline: date | None
    lang: Language
    cand: Candidate
    reference: Resolved | None = None      # the last calendar time mentioned before
    quarter: Resolved | None = None        # the last fiscal quarter mentioned before
    reference_end: int = 0                 # where that mention ends in the text
    _tense: str | None = None
    _tense_done: bool = False

    @property
    def tense(self) -> str | None:
        if not self._tense_done:
            before = self.text[max(0, self.cand.start - 12):self.cand.start].split()
            word = before[-1].lower() if before else ""
            self._tense = self.lang.gazetteer["side_word"].get(word) or \
                tense_at(self.text, self.cand.start, self.cand.end)
            if word in self.lang.gazetteer["side_word_past"] and self._past_perfect(word):
                self._tense = "PAST"
            self._tense_done = True
        return self._tense

    def _past_perfect(self, word: str) -> bool:
        """A past perfect earlier in the clause, with no "to" or "that" after it ("had filed
        reports by Wednesday", not "had agreed to finish by Friday")."""
        lo, _ = clause(self.text, self.cand.start, self.cand.end)
        words = self.text[lo:self.cand.start].lower().split()
        auxiliaries = self.lang.gazetteer["side_word_past"][word]
        for i in range(len(words) - 1, -1, -1):
            if words[i] in self.lang.gazetteer["past_perfect_break"]:
                return False
            if words[i] in auxiliaries:
                return True
        return False

    def group(self, name: str) -> str | None:
        return self.cand.groups.get(name)

    def word(self, table: str, name: str) -> object:
        return self.lang.lookup(table, self.group(name))


Resolver = Callable[[Context], "Resolved | None"]
RESOLVERS: dict[str, Resolver] = {}


def resolver(fn: Resolver) -> Resolver:
    RESOLVERS[fn.__name__] = fn
    return fn


# --- helpers ---------------------------------------

def _period(interval: Interval, granularity: str, resolution: str,
            type_: str = "DATE") -> Resolved:
    return Resolved(type_, cal.timex_value(interval, granularity), granularity, interval,
                    resolution)


def _unresolved(value: str, granularity: str, type_: str = "DATE") -> Resolved:
    return Resolved(type_, value, granularity, Interval(), "unresolved")


def _number(ctx: Context, name: str = "num") -> float | None:
    """A number in digits or words, or None when vague ("several")."""
    raw = ctx.group(name) or ctx.cand.rule.params.get(name)
    if raw is None:
        return None
    raw = str(raw).replace(",", "")
    if raw.endswith(" 1/2"):
        raw = str(float(raw[:-4]) + 0.5)
    try:
        return float(raw)
    except ValueError:
        pass
    key = " ".join(raw.lower().replace("-", " ").split())
    factor = 1
    head, _, last = key.rpartition(" ")
    if head and last in ctx.lang.gazetteer["multiplier"]:     # "two thousand"
        key, factor = head, ctx.lang.gazetteer["multiplier"][last]
    value = ctx.lang.gazetteer["number"].get(key)
    if value is None and " " in key:
        tens, _, unit = key.partition(" ")
        t, u = ctx.lang.gazetteer["number"].get(tens), ctx.lang.gazetteer["number"].get(unit)
        if t is not None and u is not None:
            value = t + u
    if value is None:
        return None
    if "and a half" in (ctx.text[ctx.cand.start:ctx.cand.end].lower()):
        value += 0.5
    return float(value * factor)


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


_DURATION_CODES = {"second": ("T", "S", 1), "minute": ("T", "M", 1), "hour": ("T", "H", 1),
                   "day": ("", "D", 1), "week": ("", "W", 1), "weekend": ("", "D", 2),
                   "fortnight": ("", "W", 2), "month": ("", "M", 1), "quarter": ("", "Q", 1),
                   "year": ("", "Y", 1), "decade": ("", "Y", 10), "century": ("", "Y", 100)}
_VAGUE_UNITS = {"decade": "E", "century": "C"}
_STEP_DAYS = {"day": 1, "week": 7, "weekend": 7, "fortnight": 14}


_FRACTIONS = {"hour": ("M", 60), "minute": ("S", 60), "day": ("H", 24), "year": ("M", 12),
              "month": ("D", 30)}


def duration_value(number: float | None, unit: str) -> str:
    time_part, code, factor = _DURATION_CODES[unit]
    if number is not None and number != int(number) and unit in _FRACTIONS:
        small, per = _FRACTIONS[unit]
        whole, part = int(number), round((number - int(number)) * per)
        joiner = "T" if unit == "day" else ""
        head = f"{whole}{code}" if whole else ""
        return f"P{time_part}{head}{joiner}{part}{small}"
    if number is None:
        # TimeML's own units for a vague count: E decades, C centuries ("for decades" PXE,
        # "for centuries" PXC, as TimeBank writes them); a number of them stays in years.
        if unit in _VAGUE_UNITS:
            return "PX" + _VAGUE_UNITS[unit]
        return f"P{time_part}X{code}"
    if code == "Y" and number * factor >= 1000 and number * factor % 1000 == 0:
        return f"P{_fmt(number * factor / 1000)}L"    # millennia, TimeML's L ("P2L")
    return f"P{time_part}{_fmt(number * factor)}{code}"


def _shift_days(day: date, unit: str, count: float) -> date | None:
    """``day`` moved by ``count`` units (fractions of months and years to the nearest day)."""
    try:
        if unit in _STEP_DAYS:
            return day + timedelta(days=round(_STEP_DAYS[unit] * count))
        months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
        if months is None:
            return None
        whole = months * count
        y, m = cal.add_months(day.year, day.month, int(whole))
        extra = round((whole - int(whole)) * 30)
        last = [31, 29 if y % 4 == 0 and (y % 100 or y % 400 == 0) else 28, 31, 30, 31, 30,
                31, 31, 30, 31, 30, 31][m - 1]
        return date(y, m, min(day.day, last)) + timedelta(days=extra)
    except (ValueError, OverflowError):
        return None


def _month_number(ctx: Context) -> int | None:
    month = ctx.word("month", "month")
    if month is None and ctx.group("mnum"):
        month = int(ctx.group("mnum") or 0)
    return month if isinstance(month, int) and 1 <= month <= 12 else None


def _year(ctx: Context) -> int | None:
    last, first = ctx.group("last"), ctx.group("first")
    if last and first:                     # the end of a range: "1998-2004", "2008-09"
        year = int(last) if len(last) == 4 else int(first) // 100 * 100 + int(last)
        if len(last) == 2 and year < int(first):
            year += 100
        reach = 100 if len(last) == 4 else 20
        return year if int(first) < year <= int(first) + reach else None
    two = ctx.group("year")
    if two:
        if len(two) == 4:
            return int(two)
        yy = int(two)
        if ctx.dateline is not None:
            century = ctx.dateline.year // 100 * 100
            year = century + yy
            return year - 100 if year > ctx.dateline.year + 10 else year
        return 1900 + yy if yy >= 30 else 2000 + yy
    return None


def _choose(options: list[Interval], dateline: date, tense: str | None,
            direction: int | None = None, *, past_prior: bool = True) -> Interval:
    """Of the same calendar name in neighbouring years, the one a reader means."""
    def key(iv: Interval) -> date:
        return cal.to_date(iv.start)  # type: ignore[arg-type]

    current = next((o for o in options if key(o) <= dateline < cal.to_date(o.end)), None)
    if direction == 0:
        if current is not None:
            return current
        same_year = [o for o in options if key(o).year == dateline.year]
        if same_year:
            return same_year[0]
    if direction == -1 or (direction is None and tense == "PAST"):
        past = [o for o in options if key(o) <= dateline and (direction is None or o is not
                                                               current)]
        if past:
            return max(past, key=key)
    if direction == 1 or (direction is None and tense == "FUTURE"):
        future = [o for o in options if cal.to_date(o.end) > dateline and
                  (direction is None or (o is not current and key(o) > dateline))]
        if future:
            return min(future, key=key)
    weight = _FUTURE_WEIGHT if tense != "FUTURE" and past_prior else 1.0
    return min(options, key=lambda o: _distance(o, dateline, weight))


# News tells of the past more than of the future: unless the clause looks ahead, a weekday,
# month or season after the dateline must be this much nearer than one before it to be chosen.
# (Full dates are left out: "the summit opens on 7 July" is as often a schedule as a report.)
_FUTURE_WEIGHT = 2.0


def _distance(option: Interval, dateline: date, future_weight: float) -> float:
    start, end = cal.to_date(option.start), cal.to_date(option.end)  # type: ignore[arg-type]
    if start > dateline:
        return (start - dateline).days * future_weight
    return max(0, (dateline - end).days + 1)


# A month and day without a year lies within this many days of the dateline, whatever the tense.
_DAY_REACH = 300


def _position_mod(ctx: Context) -> str | None:
    word = ctx.group("position") or ctx.cand.prefix
    if word:
        mod = ctx.lang.lookup("position", word) or ctx.lang.lookup("position",
                                                                   word.rstrip("-"))
        if isinstance(mod, str):
            return mod
    return None


# --- calendar dates ---------------------------------------

@resolver
def calendar(ctx: Context) -> Resolved | None:
    """Dates built of a year, month, day, season and clock time; missing parts from the dateline."""
    year, month = _year(ctx), _month_number(ctx)
    year_word = (ctx.group("yeardir") or "").lower()
    if year_word and ctx.dateline is not None:      # "April next year"
        year = ctx.dateline.year + int(ctx.lang.gazetteer["direction"][year_word])
    day_text = ctx.group("day")
    season = ctx.word("season", "season")
    direction_word = (ctx.group("dir") or "").lower().rstrip("-")
    direction = ctx.lang.gazetteer["direction"].get(direction_word)
    if direction_word in ("early", "late", "mid"):
        ctx.cand.groups["position"] = direction_word
    dl = ctx.dateline
    if season is not None:
        if year is not None:
            return _period(cal.season_interval(year, str(season)), "season", "explicit")
        if dl is None:
            return _unresolved(f"XXXX-{season}", "season")
        options = [cal.season_interval(y, str(season)) for y in (dl.year - 1, dl.year,
                                                                  dl.year + 1)]
        return _period(_choose(options, dl, ctx.tense, direction), "season", "dateline")
    if month is None:
        if year is None:
            return None
        return _period(cal.year_interval(year), "year", "explicit")
    if day_text is not None:
        day = int(day_text)
        if not 1 <= day <= 31:
            return None
        if year is not None:
            d = cal.safe_date(year, month, day)
            if d is None:
                return None
            hour = ctx.group("hour")
            if hour is not None:
                moment = datetime(d.year, d.month, d.day, int(hour), int(ctx.group("minute") or 0))
                return _period(cal.time_interval(moment, "minute"), "minute", "explicit", "TIME")
            return _period(cal.day_interval(d), "day", "explicit")
        if dl is None:
            return _unresolved(f"XXXX-{month:02d}-{day:02d}", "day")
        options = [cal.day_interval(d) for y in (dl.year - 1, dl.year, dl.year + 1)
                   if (d := cal.safe_date(y, month, day)) is not None]
        if not options:
            return None
        # A full date is as often announced ahead as reported after: no past prior.
        chosen = _choose(options, dl, ctx.tense, past_prior=False)
        if abs((cal.to_date(chosen.start) - dl).days) > _DAY_REACH:  # type: ignore[arg-type]
            chosen = _choose(options, dl, None, past_prior=False)
        return _period(chosen, "day", "dateline")
    if year is not None:
        return _period(cal.month_interval(year, month), "month", "explicit")
    if dl is None:
        return _unresolved(f"XXXX-{month:02d}", "month")
    options = [cal.month_interval(y, month) for y in (dl.year - 1, dl.year, dl.year + 1)]
    tense = None if direction is None and _attributive(ctx) else ctx.tense
    return _period(_choose(options, dl, tense, direction), "month", "dateline")


def _attributive(ctx: Context) -> bool:
    """"the September jobs report", "its October meeting": after a determiner or a possessive
    and before a word in lower case, a month names the period of what follows, and means the
    one nearest the dateline whatever the clause's tense ("will get the September jobs report"
    in early October is the September just past)."""
    before = ctx.text[max(0, ctx.cand.start - 16):ctx.cand.start].split()
    if not before:
        return False
    word = before[-1].lower()
    if word not in ctx.lang.gazetteer["month_determiner"] and not word.endswith(("'s", "’s")):
        return False
    after = ctx.text[ctx.cand.end:ctx.cand.end + 2]
    return len(after) == 2 and after[0] == " " and after[1].islower()


def _period_by_ordinal(ctx: Context, granularity: str, number: int) -> Resolved:
    make = cal.quarter_interval if granularity == "quarter" else cal.half_interval
    letter = "Q" if granularity == "quarter" else "H"
    year = _year(ctx)
    if year is not None:
        return _period(make(year, number), granularity, "explicit")
    dl = ctx.dateline
    shift = ctx.lang.gazetteer["direction"].get((ctx.group("dir") or "").lower())
    if dl is None:
        return _unresolved(f"XXXX-{letter}{number}", granularity)
    if shift is not None:
        return _period(make(dl.year + shift, number), granularity, "dateline")
    # Quarters and halves are mostly reported after they end: the latest one begun, unless the
    # clause looks ahead and that one ended long ago.
    options = [make(y, number) for y in (dl.year - 1, dl.year, dl.year + 1)]
    chosen = _choose(options, dl, "PAST")
    if ctx.tense == "FUTURE" and cal.to_date(chosen.end) < dl - timedelta(days=92):  # type: ignore[arg-type]
        chosen = _choose(options, dl, "FUTURE")
    return _period(chosen, granularity, "dateline")


@resolver
def quarter(ctx: Context) -> Resolved | None:
    """Quarters: "the third quarter", "Q3 2017", "the latest quarter", "the year-ago quarter"."""
    number = ctx.word("ordinal", "ordinal") or (int(ctx.group("qnum") or 0) or None)
    if number is not None:
        return _period_by_ordinal(ctx, "quarter", int(number))
    direction = (ctx.group("dir") or "").lower()
    ref = ctx.reference
    is_period = "period" in ctx.text[ctx.cand.start:ctx.cand.end].lower()
    year = _year(ctx)
    if year is not None:      # "the 1988 quarter": the quarter last spoken of, in 1988
        spoken = ref if ref is not None and ref.granularity == "quarter" else ctx.quarter
        if spoken is not None and spoken.interval.start is not None:
            number = (cal.to_date(spoken.interval.start).month - 1) // 3 + 1
            return _period(cal.quarter_interval(year, number), "quarter", "previous_mention")
        return _period(cal.year_interval(year), "year", "explicit")
    if is_period and (ref is None or ref.granularity != "quarter") and not direction:
        return None
    if ref is not None and ref.granularity == "quarter" and ref.interval.start is not None \
            and direction in ("", "same", "that", "this"):
        return Resolved("DATE", ref.value, ref.granularity, ref.interval, "previous_mention")
    dl = ctx.dateline
    if dl is None:
        return _unresolved("XXXX-QX", "quarter")
    current = cal.period_of(dl, "quarter")
    if direction in ("current", "this"):
        return _period(current, "quarter", "dateline")
    if direction in ("next", "coming"):
        return _period(cal.shift(current, "quarter", 1), "quarter", "dateline")
    if direction in ("year-ago", "year-earlier", "comparable", "year-before"):
        if ref is not None and ref.granularity == "quarter" and ref.interval.start is not None:
            return _period(cal.shift(ref.interval, "quarter", -4), "quarter",
                           "previous_mention")
        return _period(cal.shift(current, "quarter", -5), "quarter", "dateline")
    return _period(cal.shift(current, "quarter", -1), "quarter", "dateline")


@resolver
def half(ctx: Context) -> Resolved | None:
    """Halves of a year: "the first half", "the second half of 1998"."""
    number = ctx.word("half", "ordinal")
    if number is None:
        return None
    return _period_by_ordinal(ctx, "half", int(number))  # type: ignore[arg-type]


@resolver
def decade(ctx: Context) -> Resolved | None:
    """Decades: "the 1990s", "the late '70s"."""
    digits = ctx.group("decade")
    word = (ctx.group("decadeword") or "").lower()
    if word:
        digits = str(ctx.lang.gazetteer["decade_word"][word])
    if digits is None:
        return None
    if len(digits) == 2:
        base = 1900 + int(digits)
        if ctx.dateline is not None and 2000 + int(digits) <= ctx.dateline.year:
            base = 2000 + int(digits)
    else:
        base = int(digits)
    if base % 10:
        return None
    # TimeML 1.2 writes the 1990s as "199" (the TIMEX2 habit "199X" shows in part of TimeBank).
    return _period(cal.years_interval(base, 10), "decade", "explicit")


@resolver
def century(ctx: Context) -> Resolved | None:
    """Centuries: "the 20th century", "the nineteenth century"."""
    number = ctx.group("ordnum")
    n = int(number) if number else ctx.word("century_ordinal", "ordword")
    if not n or not 1 <= n <= 30:
        return None
    return _period(cal.years_interval((n - 1) * 100, 100), "century", "explicit")


# --- relative to the dateline ---------------------------------------

def _day_with_pod(day: date, pod: str | None, resolution: str) -> Resolved:
    if pod:
        return _period(cal.part_of_day_interval(day, pod), "part_of_day", resolution, "TIME")
    return _period(cal.day_interval(day), "day", resolution)


def _in_name(ctx: Context) -> bool:
    """"USA Today", "VOA Today": a capitalised day word right after a capitalised word, not at
    the start of a sentence, is part of a name."""
    start = ctx.cand.start
    if not ctx.text[start:start + 1].isupper():
        return False
    before = ctx.text[max(0, start - 30):start].rstrip()
    if not before or before[-1] in ".!?:;\"'\u201c\u201d`(\n-":
        return False
    previous = before.split()[-1]
    return previous[:1].isupper() and previous[-1:].isalnum()


@resolver
def relative_day(ctx: Context) -> Resolved | None:
    """today, yesterday, tomorrow, tonight, last night, this morning."""
    if _in_name(ctx):
        return None
    word = " ".join((ctx.group("word") or ctx.group("dir") or "").lower().split())
    if not word:                            # "by mid-afternoon": the rule names the day
        word = str(ctx.cand.rule.params.get("word", ""))
    offset = ctx.lang.gazetteer["relative_day"].get(word)
    if offset is None:
        return None
    generic = ctx.lang.gazetteer["generic_day"].get(word)
    if generic and _before_generic_noun(ctx):
        return _deictic(ctx, str(generic))  # "today's youth", "tomorrow's world": no one day
    pod_word = (ctx.group("pod") or "").lower()
    pod = ctx.lang.gazetteer["pod"].get(pod_word) if pod_word else None
    pod = ctx.lang.gazetteer["day_part_of_day"].get(word, pod)
    needs = ctx.lang.gazetteer["day_needs_part"].get(word)
    if needs is not None and pod_word not in needs:
        return None                         # "last" with no "night" after it
    ref = ctx.reference
    if word == "overnight" and ref is not None and ref.granularity == "day" and \
            ref.interval.start is not None and ctx.dateline is not None and \
            ctx.cand.start - ctx.reference_end <= _OVERNIGHT_REACH and \
            abs((cal.to_date(ref.interval.start) - ctx.dateline).days) < 7:
        # "London shares closed lower Friday. [...] depressed by overnight losses in New York":
        # the night before the day of this week the story is telling of (not a date in its
        # background: "The bombings, on Aug. 7, ... the sites struck overnight").
        return _day_with_pod(cal.to_date(ref.interval.start) + timedelta(days=offset), pod,
                             "previous_mention")
    if ctx.dateline is None:
        suffix = f"T{pod}" if pod else ""
        return _unresolved(f"XXXX-XX-XX{suffix}", "part_of_day" if pod else "day",
                           "TIME" if pod else "DATE")
    return _day_with_pod(ctx.dateline + timedelta(days=offset), pod, "dateline")


def _before_generic_noun(ctx: Context) -> bool:
    """True for "today's youth", "tomorrow's world": a possessive before a noun of the
    gazetteer's generic_noun table (a time of life, not a day: not "today's meeting")."""
    if not _possessive(ctx):
        return False
    words = ctx.text[ctx.cand.end + 3:ctx.cand.end + 24].lower().split()
    return bool(words) and words[0].strip(".,;:!?") in ctx.lang.gazetteer["generic_noun"]


# How far (in characters) after a named day "overnight" still means the night before it.
_OVERNIGHT_REACH = 300


def _possessive(ctx: Context) -> bool:
    """"Wednesday's ruling": a day named for what happened on it, whatever the clause's tense."""
    return ctx.text.startswith(("'s ", "\u2019s "), ctx.cand.end)


@resolver
def weekday(ctx: Context) -> Resolved | None:
    """Days of the week, placed by "last/next/this" or by the tense of the clause."""
    wd = ctx.word("weekday", "weekday")
    if not isinstance(wd, int):
        return None
    pod_word = (ctx.group("pod") or "").lower()
    pod = ctx.lang.gazetteer["pod"].get(pod_word) if pod_word else None
    direction = (ctx.group("dir") or "").lower()
    if direction in ("early", "late"):
        ctx.cand.groups["position"] = direction
        direction = ""
    # "Friday night" is dated to the day, as TimeBank does: the part of day stays in the text.
    pod = None
    dl = ctx.dateline
    if dl is None:
        return _unresolved(f"XXXX-WXX-{wd + 1}", "day")
    back = (dl.weekday() - wd) % 7           # days back to the latest such weekday (0 = today)
    ahead = (wd - dl.weekday()) % 7
    if direction in ("last", "past", "previous", "preceding"):
        delta = -(back or 7)
    elif direction in ("next", "coming", "following"):
        delta = ahead or 7
    elif direction == "this":
        delta = ahead if ctx.tense == "FUTURE" else -back
    elif ctx.tense == "FUTURE" and not _possessive(ctx):
        delta = ahead
    elif ctx.tense == "PAST" or back <= ahead * _FUTURE_WEIGHT:
        delta = -back
    else:
        delta = ahead
    return _day_with_pod(dl + timedelta(days=delta), pod, "dateline")




@resolver
def relative_period(ctx: Context) -> Resolved | None:
    """last week, this month, next year, the previous year, earlier this month."""
    unit_word = ctx.group("unit") or ctx.cand.rule.params.get("unit") or ""
    unit = ctx.lang.lookup("period_unit", str(unit_word))
    direction = (ctx.group("dir") or "").lower()
    if unit is None:
        return None
    if direction == "the":       # "over the weekend": the one the tense points to
        direction = "next" if ctx.tense == "FUTURE" else "last"
        if ctx.dateline is not None and ctx.dateline.weekday() >= 5:
            direction = "this"
    position = (ctx.group("position") or "").lower()
    mod = {"early": "START", "earlier": "START", "late": "END", "later": "END"}.get(position)
    if direction == "in the":
        direction = "this"
    if direction in ("that",):
        ref = ctx.reference
        if ref is None or ref.interval.start is None:
            return None
        base = cal.period_of(cal.to_date(ref.interval.start), unit)
        out = _period(base, unit, "previous_mention")
        return _with_mod(out, mod)
    anaphoric = ctx.lang.gazetteer["anaphoric"]
    if direction in anaphoric and ctx.reference is not None and \
            ctx.reference.interval.start is not None:
        base = cal.period_of(cal.to_date(ctx.reference.interval.start), unit)
        out = _period(cal.shift(base, unit, anaphoric[direction]), unit, "previous_mention")
        return _with_mod(out, mod)
    step = ctx.lang.lookup("direction", direction)
    if step is None:
        step = anaphoric.get(direction)
    if step is None:
        return None
    if ctx.dateline is None:
        return _unresolved({"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
                            "day": "XXXX-XX-XX"}.get(unit, "XXXX"), unit)
    if unit in ("decade", "century") and step != 0 and \
            direction not in ctx.lang.gazetteer["calendar_direction"]:
        number = 10 if unit == "decade" else 100
        span = Interval(_shift_days(ctx.dateline, "year", -number), ctx.dateline) if step < 0 \
            else Interval(ctx.dateline, _shift_days(ctx.dateline, "year", number))
        return Resolved("DURATION", f"P{number}Y", unit, span, "dateline")
    base = cal.period_of(ctx.dateline, unit)
    out = _period(cal.shift(base, unit, int(step)) if step else base, unit, "dateline")
    if not step and position in ("earlier", "later"):
        # "earlier this month": from the month's start up to the dateline; "later": after it.
        out.mod = mod
        start, end = cal.to_date(base.start), cal.to_date(base.end)  # type: ignore[arg-type]
        if position == "earlier" and start < ctx.dateline:
            out.interval = Interval(start, ctx.dateline)
        elif position == "later" and ctx.dateline + timedelta(days=1) < end:
            out.interval = Interval(ctx.dateline + timedelta(days=1), end)
        return out
    return _with_mod(out, mod)


@resolver
def the_period(ctx: Context) -> Resolved | None:
    """"for the year", "during the month": the period of the last time mentioned (for "the
    year", one named in the same sentence: "by 1992 it would ... . It forecast a gain for the
    full year" is the dateline's year)."""
    unit = (ctx.group("unit") or "").lower()
    following = ctx.text[ctx.cand.end:ctx.cand.end + 9].lower()
    if following.startswith((" ended", " ending", " that ended")):
        return Resolved("DURATION", duration_value(1, unit), unit, Interval(), "explicit")
    ref = ctx.reference
    if ref is not None and ref.interval.start is not None and ref.granularity in (
            "year", "quarter", "month", "half", "day", "week") and not (
            unit == "year" and _SENTENCE_BREAK.search(ctx.text, ctx.reference_end,
                                                      ctx.cand.start)):
        start = cal.to_date(ref.interval.start)
        return _period(cal.period_of(start, unit), unit, "previous_mention")
    if ctx.dateline is None:
        return None
    return _period(cal.period_of(ctx.dateline, unit), unit, "dateline")


@resolver
def offset(ctx: Context) -> Resolved | None:
    """"three years ago", "two days later", "a year earlier", "the year-ago quarter"."""
    unit = ctx.word("unit", "unit")
    if not isinstance(unit, str):
        return None
    rel = " ".join((ctx.group("rel") or "ago").lower().split())
    number = _number(ctx)
    sign = 1 if rel in ("later", "after", "hence", "from now") else -1
    ref = ctx.reference
    from_reference = rel in ("earlier", "later", "before", "after", "prior")
    base_day: date | None = ctx.dateline
    resolution = "dateline"
    granularity = {"decade": "year", "century": "year", "fortnight": "week",
                   "weekend": "week"}.get(unit, unit)
    if granularity in ("hour", "minute", "second"):
        granularity = "day"
    what = (ctx.group("what") or "").lower()
    if what == "quarter" and ctx.quarter is None and base_day is not None:
        # "the year-ago quarter" with no quarter named yet: the last one reported.
        last = cal.shift(cal.period_of(base_day, "quarter"), "quarter", -1)
        return _period(cal.shift(last, "quarter", -4), "quarter", "dateline")
    if unit == "year" and number == 1 and rel in ("ago", "earlier") and ctx.quarter is not None \
            and what in ("", "period", "quarter", "results"):
        # Earnings news: "a year ago" is the same quarter of the year before.
        ref = ctx.quarter
        from_reference = True
    if ref is not None and ref.interval.start is not None and (
            from_reference or (unit == "year" and ref.granularity in ("quarter", "half")
                               and rel == "ago")) and ref.granularity in (
            "day", "week", "month", "quarter", "half", "year", "season"):
        base_day = cal.to_date(ref.interval.start)
        resolution = "previous_mention"
        if ref.granularity in ("quarter", "half", "month") and unit == "year" and \
                (what in ("", "period", "quarter", "level", "levels", "figure", "figures",
                          "results")):
            granularity = ref.granularity
    if base_day is None:
        return _unresolved("PAST_REF" if sign < 0 else "FUTURE_REF", "unknown")
    mod = _approx_mod(ctx)
    if number is None:
        value = "PAST_REF" if sign < 0 else "FUTURE_REF"
        span = Interval(None, base_day) if sign < 0 else Interval(base_day + timedelta(days=1),
                                                                  None)
        return Resolved("DATE", value, "unknown", span, resolution, mod)
    moved = _shift_days(base_day, unit, sign * number)
    if moved is None:
        return _unresolved("PAST_REF" if sign < 0 else "FUTURE_REF", "unknown")
    out = _period(cal.period_of(moved, granularity), granularity, resolution)
    out.mod = mod if mod in ("APPROX", "MORE_THAN", "LESS_THAN") else None
    return out


def _approx_mod(ctx: Context) -> str | None:
    word = ctx.group("approx") or ctx.cand.prefix
    if not word:
        return None
    mod = ctx.lang.lookup("approximation", word)
    return mod if isinstance(mod, str) else None


# --- durations, references, sets, clock times -------------------------------------------

def _after_rate(ctx: Context) -> bool:
    """True when the words before the match make "a year" a rate ("$5 million a year")."""
    before = ctx.text[max(0, ctx.cand.start - 25):ctx.cand.start].split()
    if not before:
        return False
    last = before[-1].lower().rstrip(".,")
    return last[:1].isdigit() or last.endswith("%") or last in ctx.lang.gazetteer["rate_word"]


def _after_measure(ctx: Context) -> bool:
    """True when a unit of measure comes right before the match ("miles per hour")."""
    before = ctx.text[max(0, ctx.cand.start - 25):ctx.cand.start].lower().split()
    units = ctx.lang.gazetteer["measure_unit"]
    return bool(before) and (before[-1] in units or " ".join(before[-2:]) in units)


def _side(ctx: Context, word: str) -> int:
    """-1 for "past", "last"...; 1 for "next", "coming"...; 0 for anything else."""
    step = ctx.lang.gazetteer["direction"].get(word, 0)
    return -1 if step < 0 else (1 if step > 0 else 0)


@resolver
def duration(ctx: Context) -> Resolved | None:
    """Amounts of time: "three years", "the past two months", "a two-year contract"."""
    unit = ctx.word("unit", "unit")
    if not isinstance(unit, str):
        return None
    number = _number(ctx)
    if ctx.group("num") is None and (ctx.group("unit") or "").lower().endswith("s"):
        number = None if ctx.cand.rule.params.get("num") else number
        if number is None:
            return vague_duration(ctx)
    if number is None or number <= 0 or number > 10000:
        return None
    article = (ctx.group("num") or "").lower() in ("a", "an")
    if article and _after_rate(ctx):
        return None
    following = ctx.text[ctx.cand.end:ctx.cand.end + 16].lower()
    if unit == "quarter" and following.startswith(" of ") and \
            not ctx.text[ctx.cand.start:ctx.cand.end].lower().startswith(("the ", "its ")):
        return None                         # "three-quarters of its food": a share
    if unit == "second" and article:
        nxt = [w.rstrip(".,;:!?'\"") for w in following.split()[:1]]
        if nxt and nxt[0].isalpha() and nxt[0] not in ctx.lang.gazetteer["after_amount"]:
            return None                     # "a second group": the ordinal
    value = duration_value(number, unit)
    direction = (ctx.group("dir") or "").lower()
    span = Interval()
    resolution = "explicit"
    side = _side(ctx, direction)
    if ctx.dateline is not None and side:
        other = _shift_days(ctx.dateline, unit, number * side)
        if other is not None and other != ctx.dateline:
            span = Interval(other, ctx.dateline) if side < 0 else \
                Interval(ctx.dateline, other)
            resolution = "dateline"
    return Resolved("DURATION", value, unit, span, resolution, _approx_mod(ctx))


@resolver
def vague_duration(ctx: Context) -> Resolved | None:
    """Vague amounts: "several years", "the past few months", "years"."""
    unit = ctx.word("unit", "unit")
    if not isinstance(unit, str):
        return None
    words = ctx.text[ctx.cand.start:ctx.cand.end].lower()
    if ctx.group("ahead"):
        words = "next " + words
    if words.endswith("-long") and not ctx.group("plural"):
        return Resolved("DURATION", duration_value(1, unit), unit, Interval(), "explicit")
    # "recent years", "the coming weeks": a stretch up to or from now, as TimeML writes it
    # (PAST_REF / FUTURE_REF), not an amount of time.
    reference = ctx.lang.gazetteer["vague_reference"]
    split = words.split()
    ref_value = next((v for w, v in reference.items() if w in split), None)
    if ref_value is not None:
        if ctx.dateline is None:
            return Resolved("DATE", str(ref_value), unit, Interval(), "unresolved")
        span = Interval(None, ctx.dateline) if ref_value == "PAST_REF" else \
            Interval(ctx.dateline, None)
        return Resolved("DATE", str(ref_value), unit, span, "dateline")
    span = Interval()
    resolution = "explicit"
    if ctx.dateline is not None:
        if any(w in words for w in ("past", "last", "recent", "previous")):
            span, resolution = Interval(None, ctx.dateline), "dateline"
        elif any(w in words for w in ("next", "coming", "following", "future", "ahead")):
            span, resolution = Interval(ctx.dateline, None), "dateline"
    return Resolved("DURATION", duration_value(None, unit), unit, span, resolution,
                    _approx_mod(ctx))


@resolver
def week_of(ctx: Context) -> Resolved | None:
    """"the week of March 6": the calendar week that holds the day named."""
    day = calendar(ctx)
    if day is None or day.granularity != "day" or day.interval.start is None:
        return day
    week = cal.period_of(cal.to_date(day.interval.start), "week")
    return _period(week, "week", day.resolution)


@resolver
def vague_amount(ctx: Context) -> Resolved | None:
    """"for a while": an amount of time with neither number nor unit (TimeML's PXX)."""
    return Resolved("DURATION", "PXX", "unknown", Interval(), "explicit", _approx_mod(ctx))


def _split_infinitive(ctx: Context) -> bool:
    """"expects sales to soon grow": the adverb sits in a to-infinitive, which looks ahead
    from its own verb whatever the tense of the clause around it ("from 20% last year")."""
    before = ctx.text[max(0, ctx.cand.start - 4):ctx.cand.start]
    after = ctx.text[ctx.cand.end:ctx.cand.end + 2]
    return re.search(r"(?<![\w-])to $", before) is not None and \
        re.match(r" [a-z]", after) is not None


@resolver
def reference(ctx: Context) -> Resolved | None:
    """PRESENT_REF, PAST_REF, FUTURE_REF: "now", "recently", "soon", "some time later"."""
    value = str(ctx.cand.rule.params.get("value", "PRESENT_REF"))
    if value == "FUTURE_REF" and ctx.tense == "PAST" and \
            ctx.text[ctx.cand.start:ctx.cand.end].lower() in ctx.lang.gazetteer["relative_adverb"] \
            and not _split_infinitive(ctx):
        # "He was soon released": shortly after something told before, not after the dateline.
        return None
    return _deictic(ctx, value)


def _deictic(ctx: Context, value: str) -> Resolved:
    """PRESENT_REF on the dateline's day, PAST_REF up to it, FUTURE_REF from it (bounded
    where the phrase says: "in the coming weeks")."""
    dl = ctx.dateline
    if dl is None:
        return Resolved("DATE", value, "unknown", Interval(), "unresolved")
    if value == "PRESENT_REF":
        return Resolved("DATE", value, "day", cal.day_interval(dl), "dateline")
    if value == "PAST_REF":
        return Resolved("DATE", value, "unknown", Interval(None, dl), "dateline")
    words = ctx.text[ctx.cand.start:ctx.cand.end].lower()
    end = None
    for key, days in ctx.lang.gazetteer["vague_bound"].items():
        if key in words:
            end = dl + timedelta(days=int(days))
            break
    return Resolved("DATE", value, "unknown", Interval(dl, end), "dateline")


@resolver
def set(ctx: Context) -> Resolved | None:  # noqa: A001 - the TIMEX3 type's name
    """Recurring times: "daily", "every Tuesday", "twice a year", "$5 a year"."""
    words = " ".join(ctx.text[ctx.cand.start:ctx.cand.end].lower().split())
    one_word = ctx.lang.gazetteer["set_word"].get(words)
    if one_word and words in ctx.lang.gazetteer["report_adjective"]:
        nxt = ctx.text[ctx.cand.end:ctx.cand.end + 20].split()[:1]
        if nxt and nxt[0][:1].isalpha() and nxt[0].islower() and \
                nxt[0] not in ctx.lang.gazetteer["report_adjective_before"]:
            return None                     # "its quarterly dividend": a kind of payment
    if one_word and one_word.endswith("Y") and _after_rate(ctx):
        return None                         # "to rise 8.5% annually": a rate, like "a year"
    if one_word:
        return Resolved("SET", one_word, "unknown", Interval(), "explicit")
    month = _month_number(ctx)
    if month is not None:
        return Resolved("SET", f"XXXX-{month:02d}", "month", Interval(), "explicit",
                        quant="EVERY")
    for word in words.split():
        day = ctx.lang.gazetteer["weekday"].get(word.rstrip("s"))
        if isinstance(day, int):
            # "Tuesday nights", and "Monday" of "Monday and Tuesday nights"
            pod_word = ctx.group("pods") or words.split()[-1]
            pod = ctx.lang.gazetteer["pod"].get(pod_word.lower().rstrip("s"))
            value = f"XXXX-WXX-{day + 1}" + (f"T{pod}" if pod else "")
            return Resolved("SET", value, "day", Interval(), "explicit", quant="EVERY")
    last = words.split()[-1]
    unit = ctx.lang.lookup("unit", last)
    if unit is None:
        pod = ctx.lang.gazetteer["pod"].get(last)
        if pod:
            return Resolved("SET", f"XXXX-XX-XXT{pod}", "part_of_day", Interval(), "explicit",
                            quant="EVERY")
        return None
    number = _number(ctx) or 1.0
    freq = None
    if words.startswith("twice"):
        freq = "2X"
    elif words.startswith("once"):
        freq = "1X"
    quant = "EVERY" if words.startswith(("every", "each")) else None
    value = duration_value(number, str(unit))
    if value.startswith("PT") and _after_measure(ctx):
        return None                         # "90 miles per hour": a speed
    return Resolved("SET", value, "unknown", Interval(), "explicit", quant=quant, freq=freq)


# Between a day and the clock time on it: "on March 15, 2017 at 10:30 a.m.", "Friday, 8 p.m.".
_AT_THE_DAY = re.compile(r"\s*,?\s*(?:(?:at|from|by|around|about|until|before|after)\s+)?")


@resolver
def clock_time(ctx: Context) -> Resolved | None:
    """Clock times: "10:35 a.m.", "8 p.m. EST", "noon": on the day named right before them
    ("on 15 March 2017 at 10:30 a.m."), else on the day of the dateline."""
    noon = (ctx.group("noon") or "").lower()
    if noon:
        hour, minute = (0, 0) if noon == "midnight" else (12, 0)
    else:
        hour, minute = int(ctx.group("hour") or 0), int(ctx.group("minute") or 0)
        ampm = (ctx.group("ampm") or "").lower()
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
        if hour > 23:
            return None
    day = ctx.dateline
    resolution = "dateline"
    ref = ctx.reference
    if ref is not None and ref.granularity == "day" and ref.interval.start is not None and \
            _AT_THE_DAY.fullmatch(ctx.text, ctx.reference_end, ctx.cand.start):
        day, resolution = cal.to_date(ref.interval.start), "previous_mention"
    elif day is not None and (ctx.group("weekday") or ctx.group("month")):
        named = weekday(ctx) if ctx.group("weekday") else calendar(ctx)
        if named is None or named.interval.start is None:
            return None
        day = cal.to_date(named.interval.start)
    if day is None:
        return _unresolved(f"XXXX-XX-XXT{hour:02d}:{minute:02d}", "minute", "TIME")
    moment = datetime(day.year, day.month, day.day, hour, minute)
    return _period(cal.time_interval(moment, "minute"), "minute", resolution, "TIME")


# The end of one sentence and the start of the next (an abbreviation's period counts too, which
# only makes the same-sentence test stricter).
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"“(]*[A-Z]|\n\s*\n")


@resolver
def year_end(ctx: Context) -> Resolved | None:
    """"year-end", "the end of the year": the end of the year a year named earlier in the same
    sentence means ("in 1988, when year-end net fell"); else the dateline's year, or the year
    before it in a past clause ("the change is since year-end")."""
    ref = ctx.reference
    if ref is not None and ref.granularity == "year" and ref.interval.start is not None and \
            not _SENTENCE_BREAK.search(ctx.text, ctx.reference_end, ctx.cand.start):
        year, resolution = cal.to_date(ref.interval.start).year, "previous_mention"
    elif ctx.dateline is not None:
        year, resolution = ctx.dateline.year, "dateline"
        if ctx.tense == "PAST" and ctx.dateline.month < 12:
            year -= 1
    else:
        return _unresolved("XXXX", "year")
    out = _period(cal.year_interval(year), "year", resolution)
    out.mod = "END"
    out.interval = cal.sub_period(out.interval, "END")
    return out


@resolver
def anaphoric(ctx: Context) -> Resolved | None:
    """"that day", "the same week", "the next morning": the period of the last time mentioned."""
    unit = (ctx.group("unit") or "").lower()
    ref = ctx.reference
    if ctx.group("appos"):
        # "Oct. 12, the day before the plunge": set beside a day named right before it.
        if ref is None or ref.granularity != "day" or ref.interval.start is None or \
                ctx.text[ctx.reference_end:ctx.cand.start].strip() != ",":
            return None
        return _period(cal.day_interval(cal.to_date(ref.interval.start)), "day",
                       "previous_mention")
    if ref is None or ref.interval.start is None:
        # "that day" with no day named before: a day, but which one is not known.
        return _unresolved({"week": "XXXX-WXX", "month": "XXXX-XX", "year": "XXXX"}.get(
            unit, "XXXX-XX-XX"), unit if unit in ("week", "month", "year") else "day")
    day = cal.to_date(ref.interval.start)
    step = _side(ctx, (ctx.group("dir") or "").lower())
    pod = ctx.lang.gazetteer["pod"].get(unit)
    if pod:
        return _day_with_pod(day + timedelta(days=step), pod, "previous_mention")
    if unit not in ("day", "week", "month", "year"):
        return None
    if cal.GRANULARITIES.index(unit) < cal.GRANULARITIES.index(
            ref.granularity if ref.granularity in cal.GRANULARITIES else "unknown") and \
            unit == "day":
        # "last October ... that same day": a day of that month or year, which one not known
        # ("same" says the day is the one of an event told of before, not any day).
        if ref.granularity in ("month", "year") and ref.value and ref.value[:4].isdigit() and \
                ctx.group("same"):
            value = ref.value[:7] + "-XX" if ref.granularity == "month" else ref.value[:4] + \
                "-XX-XX"
            return Resolved("DATE", value, "day", ref.interval, "previous_mention")
        return None
    return _period(cal.shift(cal.period_of(day, unit), unit, step) if step else
                   cal.period_of(day, unit), unit, "previous_mention")


@resolver
def spelled_year(ctx: Context) -> Resolved | None:
    """Years in words: "nineteen ninety-six", "the year two thousand"."""
    numbers = ctx.lang.gazetteer["number"]
    ones = int(numbers.get((ctx.group("ones") or "").lower(), 0))
    if ctx.group("millennium"):
        year = 2000 + ones
    else:
        century = int(numbers[(ctx.group("century") or "").lower()]) * 100
        year = century + int(numbers[(ctx.group("tens") or "").lower()]) + ones
    month, season = _month_number(ctx), ctx.word("season", "season")
    if month is not None:      # "January nineteen ninety-seven"
        return _period(cal.month_interval(year, month), "month", "explicit")
    if season is not None:     # "the winter of nineteen ninety-four"
        return _period(cal.season_interval(year, str(season)), "season", "explicit")
    return _period(cal.year_interval(year), "year", "explicit")


# --- the pass over a document ---------------------------------------

_REFERENCE_GRANULARITIES = {"day", "week", "month", "quarter", "half", "year", "season",
                            "part_of_day", "minute", "hour"}


def _with_mod(out: Resolved, mod: str | None) -> Resolved:
    """``out`` narrowed to its START, MID or END part ("late last year")."""
    out.mod = mod
    if mod in ("START", "MID", "END") and out.interval.is_bounded:
        out.interval = cal.sub_period(out.interval, mod)
    return out


def _apply_position(out: Resolved, ctx: Context) -> None:
    mod = _position_mod(ctx)
    if mod is not None and out.type in ("DATE", "TIME"):
        _with_mod(out, mod)


_OPENING_QUOTES = ('"', "\u201c", "``", "''", "'")


def _is_title(text: str, start: int, end: int) -> bool:
    """True for a capitalised phrase opening a quotation: a show or a book ("This Week",
    ''60 Minutes''), not a time."""
    words = text[start:end].split()
    if len(words) < 2 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return False
    if not text[max(0, start - 2):start].endswith(_OPENING_QUOTES):
        return False
    after = text[end:end + 12].lstrip(".,:;!? ")
    return after[:1] in ('"', "\u201d", "'") or after[:1].isupper()


@lru_cache(maxsize=4)
def _unit_to_unit(code: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """"quarter-to-quarter", "day-to-day": a comparison or a habit, not a time. Patterns for
    "-to-<unit>" right after a match and "<unit>-to-" right before one."""
    units = "|".join(sorted(load(code).gazetteer["unit"], key=len, reverse=True))
    return (re.compile(rf"-to-(?:{units})\b", re.IGNORECASE),
            re.compile(rf"\b(?:{units})-to-$", re.IGNORECASE))


def resolve(text: str, candidates: list[Candidate], dateline: date | None, *,
            language: str = "en") -> list[TimeExpression]:
    """TIMEX3s for the candidates, in text order, each with its value and interval."""
    lang = load(language)
    unit_after, unit_before = _unit_to_unit(language)
    reference: Resolved | None = None
    reference_end = 0
    quarter: Resolved | None = None
    out: list[TimeExpression] = []
    for cand in candidates:
        fn = RESOLVERS.get(cand.rule.resolver)
        if fn is None or _is_title(text, cand.start, cand.end) or \
                unit_after.match(text, cand.end) or \
                unit_before.search(text, max(0, cand.start - 12), cand.start):
            continue
        ctx = Context(text, dateline, lang, cand, reference, quarter, reference_end)
        try:
            resolved = fn(ctx)
        except (ValueError, OverflowError):
            # Off the calendar (before year 1 or after 9999): keep it, unresolved.
            ctx = Context(text, None, lang, cand)
            resolved = fn(ctx)
        if resolved is None:
            continue
        if resolved.mod is None:
            _apply_position(resolved, ctx)
        if resolved.mod is None and cand.prefix:
            approx = ctx.lang.lookup("approximation", cand.prefix)
            if isinstance(approx, str):
                resolved.mod = approx
        tx = TimeExpression(
            id=f"t{len(out) + 1}", text=text[cand.start:cand.end], start_char=cand.start,
            end_char=cand.end, type=resolved.type, value=resolved.value, mod=resolved.mod,
            granularity=resolved.granularity, interval=resolved.interval,
            resolution=resolved.resolution, rule=cand.rule.name, quant=resolved.quant,
            freq=resolved.freq)
        out.append(tx)
        if resolved.type in ("DATE", "TIME") and resolved.interval.is_bounded and \
                resolved.granularity in _REFERENCE_GRANULARITIES and \
                resolved.resolution in ("explicit", "dateline") and \
                cand.rule.resolver not in ("reference", "offset", "clock_time"):
            reference, reference_end = resolved, cand.end
        if resolved.granularity == "quarter" and resolved.interval.is_bounded and \
                cand.rule.resolver != "offset" and resolved.resolution != "previous_mention" \
                and (dateline is None or cal.to_date(resolved.interval.end) <= dateline):
            # A quarter not yet over ("losses through the third quarter of 1990", "into the
            # fourth quarter") is a forecast: year-ago figures compare with a quarter reported.
            quarter = resolved
    return out
