"""Known events, holidays and countries: the facts anchors are resolved against.

The facts live in data files: ``data/known_events.csv`` (named events with dates and sources),
``data/en/series.toml`` (series and the phrases naming them), ``data/en/holidays.toml``
(holiday phrases and how to date them) and ``data/en/countries.toml`` (a small gazetteer).
Everything is loaded once and cached.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from dateutil.easter import easter

from . import holiday_cache
from .calendar import Interval
from .errors import RuleError

DATA = Path(__file__).parent / "data"
EVENTS_CSV = DATA / "known_events.csv"
SERIES_TOML = DATA / "en" / "series.toml"
HOLIDAYS_TOML = DATA / "en" / "holidays.toml"
COUNTRIES_TOML = DATA / "en" / "countries.toml"
CSV_HEADER = ("series", "name", "start", "end", "place", "country", "aliases", "source")
DIRECTIONS = ("before", "after", "at", "nearest")


@dataclass(frozen=True, slots=True)
class KnownEvent:
    """One row of the known-events table; ``end`` is the inclusive last day."""

    series: str
    name: str
    start: date
    end: date
    place: str
    country: str
    aliases: tuple[str, ...]
    source: str

    @property
    def interval(self) -> Interval:
        """The half-open interval ``[start, end + 1 day)``."""
        return Interval(self.start, self.end + timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A dated thing to choose among: a known event or one year's holiday."""

    name: str
    interval: Interval
    source: str
    event: KnownEvent | None = None


# --- loading ---------------------------------------------------------------------------------

def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path.name}: {exc}") from None


def normalize(phrase: str) -> str:
    """Lowercase, straight apostrophes, hyphens and runs of spaces as one space."""
    text = phrase.lower().replace("\u2019", "'").replace("\u2010", "-")
    return re.sub(r"[\s\-]+", " ", text).strip()


def _parse_row(row: dict[str, str], line: int, name: str) -> KnownEvent:
    where = f"{name} line {line}"
    if None in row or any(row.get(col) is None for col in CSV_HEADER):
        raise RuleError(f"{where}: expected {len(CSV_HEADER)} columns")
    series = row["series"].strip()
    if not re.fullmatch(r"[a-z0-9_]+", series):
        raise RuleError(f"{where}: series {series!r} is not a lowercase key")
    try:
        start = date.fromisoformat(row["start"].strip())
        end = date.fromisoformat(row["end"].strip())
    except ValueError as exc:
        raise RuleError(f"{where}: {exc}") from None
    if end < start:
        raise RuleError(f"{where}: end {end} is before start {start}")
    title = row["name"].strip()
    if not title:
        raise RuleError(f"{where}: empty name")
    if not row["source"].strip():
        raise RuleError(f"{where}: no source")
    aliases = tuple(normalize(a) for a in row["aliases"].split("|") if a.strip())
    return KnownEvent(series, title, start, end, row["place"].strip(),
                      row["country"].strip().upper(), aliases, row["source"].strip())


@lru_cache(maxsize=8)
def load_events(path: str | Path | None = None) -> tuple[KnownEvent, ...]:
    """The known-events table, validated; :class:`RuleError` on a bad file or row."""
    file = Path(path) if path is not None else EVENTS_CSV
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RuleError(f"cannot read known events {file}: {exc}") from None
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != CSV_HEADER:
        raise RuleError(f"{file.name}: header must be {','.join(CSV_HEADER)}, "
                        f"not {','.join(reader.fieldnames or ())}")
    events = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(reader, start=2):
        event = _parse_row(row, line, file.name)
        if (event.series, event.name) in seen:
            raise RuleError(f"{file.name} line {line}: duplicate {event.series} {event.name!r}")
        seen.add((event.series, event.name))
        events.append(event)
    return tuple(sorted(events, key=lambda e: (e.series, e.start)))


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    category: str
    country: str | None
    election: tuple[str, ...]
    horizon_years: int = 2
    needs_signal: bool = False      # a mention with no signal word is the event, not a time
    direction: str | None = None    # "before": a mention always means the last one so far


@dataclass(frozen=True)
class SeriesForm:
    """Phrases (or a regex) naming one or more series."""

    series: tuple[str, ...]
    phrases: tuple[str, ...]
    regex: str | None
    numbered: bool
    not_after: tuple[str, ...]
    not_before: tuple[str, ...]


@lru_cache(maxsize=1)
def series_data() -> tuple[dict[str, Series], tuple[SeriesForm, ...], dict[str, tuple[str, ...]],
                           list[dict]]:
    """Series, their forms, election phrases by kind, and examples from ``series.toml``."""
    data = _toml(SERIES_TOML)
    series = {}
    for key, spec in data.get("series", {}).items():
        if "label" not in spec or "category" not in spec:
            raise RuleError(f"series.toml: series {key} needs a label and a category")
        series[key] = Series(key, spec["label"], spec["category"], spec.get("country"),
                             tuple(spec.get("election", ())), int(spec.get("horizon_years", 2)),
                             bool(spec.get("needs_signal", False)), spec.get("direction"))
        if series[key].direction not in (None, "before", "after"):
            raise RuleError(f"series.toml: series {key} direction must be before or after")
    forms = []
    for spec in data.get("form", []):
        keys = tuple(spec.get("series", ()))
        unknown = [k for k in keys if k not in series]
        if not keys or unknown:
            raise RuleError(f"series.toml: form names unknown series {unknown or keys}")
        if not spec.get("phrases") and not spec.get("regex"):
            raise RuleError(f"series.toml: form of {keys} has no phrases and no regex")
        forms.append(SeriesForm(keys, tuple(normalize(p) for p in spec.get("phrases", ())),
                                spec.get("regex"), bool(spec.get("numbered", False)),
                                tuple(normalize(w) for w in spec.get("not_after", ())),
                                tuple(normalize(w) for w in spec.get("not_before", ()))))
    election = {kind: tuple(normalize(p) for p in phrases)
                for kind, phrases in data.get("election", {}).items()}
    for s in series.values():
        for kind in s.election:
            if kind not in election:
                raise RuleError(f"series.toml: {s.key} names unknown election kind {kind}")
    return series, tuple(forms), election, list(data.get("example", []))


@lru_cache(maxsize=1)
def signal_categories() -> frozenset[str]:
    """Categories every series of which needs a signal word to be a time ("invasion")."""
    by_category: dict[str, list[bool]] = {}
    for s in series_data()[0].values():
        by_category.setdefault(s.category, []).append(s.needs_signal)
    return frozenset(c for c, needs in by_category.items() if all(needs))


@dataclass(frozen=True)
class KnowledgeBase:
    """The known events indexed by series and alias."""

    events: tuple[KnownEvent, ...]
    by_series: dict[str, tuple[KnownEvent, ...]]
    by_alias: dict[str, tuple[KnownEvent, ...]]

    def series_events(self, keys: tuple[str, ...] | list[str]) -> list[KnownEvent]:
        found = [e for k in keys for e in self.by_series.get(k, ())]
        return sorted(found, key=lambda e: e.start)

    def numbered(self, text: str) -> KnownEvent | None:
        """The event whose alias or name carries this numbered form ("COP26")."""
        key = normalize(text).replace(" ", "")
        for event in self.events:
            names = [a.replace(" ", "") for a in event.aliases]
            names += [normalize(w) for w in event.name.split()]
            if key in names:
                return event
        return None


@lru_cache(maxsize=8)
def knowledge_base(path: str | Path | None = None) -> KnowledgeBase:
    """The indexed known events of ``path`` (default ``data/known_events.csv``), cached."""
    events = load_events(path)
    by_series: dict[str, list[KnownEvent]] = {}
    by_alias: dict[str, list[KnownEvent]] = {}
    for event in events:
        by_series.setdefault(event.series, []).append(event)
        for alias in dict.fromkeys(event.aliases):
            by_alias.setdefault(alias, []).append(event)
    return KnowledgeBase(events, {k: tuple(v) for k, v in by_series.items()},
                         {k: tuple(v) for k, v in by_alias.items()})


# --- series lookup ---------------------------------------------------------------------------

_ARTICLE = re.compile(r"^(?:(?:the|a|an|this|that|last|next|previous|upcoming|\d{4})\b"
                      r"(?:'s)?\s*)+")


def election_series(kind: str, country: str | None) -> tuple[str, ...]:
    """Series of elections of ``kind`` ("presidential", "any", ...), in ``country`` if given."""
    series = series_data()[0]
    return tuple(s.key for s in series.values()
                 if kind in s.election and (country is None or s.country == country))


def series_options(phrase: str, country: str | None = None,
                   path: str | Path | None = None) -> tuple[str, ...]:
    """Every series a phrase may name ("the Olympics" names both summer and winter games)."""
    text = _ARTICLE.sub("", normalize(phrase)).strip()
    _series, forms, election, _ = series_data()
    for form in forms:
        if any(w and text.startswith(w + " ") for w in form.not_after):
            continue
        rest = text
        for w in form.not_after:
            rest = rest.removeprefix(w + " ")
        if rest in form.phrases:
            return form.series
        if form.regex and re.search(r"(?<!\w)(?:" + form.regex + r")(?!\w)", phrase):
            return form.series
    aliases = knowledge_base(path).by_alias.get(text)
    if aliases:
        return tuple(dict.fromkeys(e.series for e in aliases))
    for kind, phrases in election.items():
        if text in phrases:
            return election_series(kind, country)
    return ()


def series_for(phrase: str, country: str | None = None,
               path: str | Path | None = None) -> str | None:
    """The series a phrase names, or None when it names none or is ambiguous.

    "the election" needs ``country``; "the Olympics" gives the summer games (first listed).
    """
    options = series_options(phrase, country, path)
    if not options:
        return None
    if len({series_data()[0][k].country for k in options} - {None}) > 1:
        return None
    return options[0]


# --- choosing an occurrence by date ----------------------------------------------------------

def _contains(occ: Occurrence, when: date) -> bool:
    start, end = occ.interval.start, occ.interval.end
    return start is not None and end is not None and start <= when < end


def choose(occurrences: list[Occurrence], when: date | None, direction: str,
           year: int | None = None) -> Occurrence | None:
    """The occurrence a mention means: in ``year`` if given, else by ``direction`` from ``when``.

    before: the latest starting on or before ``when``; after: the first starting after it;
    at: the one that holds ``when``; nearest: the one holding it, else the closest.
    """
    if year is not None:
        hits = [o for o in occurrences if o.interval.start is not None
                and o.interval.start.year == year]
        if not hits:
            hits = [o for o in occurrences if str(year) in o.name]
        return hits[0] if hits else None
    if when is None:
        return None
    dated = [o for o in occurrences if o.interval.start is not None]
    if direction == "before":
        past = [o for o in dated if o.interval.start <= when]
        return max(past, key=lambda o: o.interval.start) if past else None
    if direction == "after":
        future = [o for o in dated if o.interval.start > when]
        return min(future, key=lambda o: o.interval.start) if future else None
    holding = [o for o in dated if _contains(o, when)]
    if holding or direction == "at":
        return holding[0] if holding else None
    if direction != "nearest":
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")

    def distance(o: Occurrence) -> int:
        start, end = o.interval.start, o.interval.end
        return (start - when).days if start > when else (when - end).days

    return min(dated, key=distance) if dated else None


@lru_cache(maxsize=4096)
def event_occurrence(event: KnownEvent) -> Occurrence:
    """A known event as an occurrence to choose among (cached: events are immutable)."""
    return Occurrence(event.name, event.interval, "known_events.csv", event)


def nearest_event(series: str, when: date, direction: str, country: str | None = None,
                  path: str | Path | None = None) -> KnownEvent | None:
    """The event of ``series`` before, after, at or nearest ``when`` (see :func:`choose`)."""
    events = [e for e in knowledge_base(path).by_series.get(series, ())
              if country is None or e.country == country]
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    found = choose([event_occurrence(e) for e in events], when, direction)
    return found.event if found else None


def events_in_year(series: str, year: int, path: str | Path | None = None) -> list[KnownEvent]:
    """The events of ``series`` that start in ``year``."""
    return [e for e in knowledge_base(path).by_series.get(series, ()) if e.start.year == year]


# --- countries -------------------------------------------------------------------------------

class _Countries(NamedTuple):
    pattern: re.Pattern[str]               # every form, case-sensitive
    owner: dict[str, str]                  # form -> country code
    examples: list[dict]
    dateline_place: re.Pattern[str]        # a place in capitals heading the text
    dateline_weight: int                   # mentions that place counts for


@lru_cache(maxsize=1)
def _countries() -> _Countries:
    data = _toml(COUNTRIES_TOML)
    owner: dict[str, str] = {}
    for code, spec in data.get("country", {}).items():
        for form in spec.get("forms", ()):
            if owner.setdefault(form, code) != code:
                raise RuleError(f"countries.toml: {form!r} is listed for two countries")
    words = sorted(owner, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    try:
        place = re.compile(data["dateline_place"])
        weight = int(data["dateline_weight"])
    except (KeyError, re.error, TypeError, ValueError) as exc:
        raise RuleError(f"countries.toml: dateline_place / dateline_weight: {exc}") from None
    return _Countries(pattern, owner, list(data.get("example", [])), place, weight)


def country_forms() -> list[str]:
    """Every name, demonym and leader of the gazetteer (case-sensitive)."""
    return list(_countries().owner)


def country_examples() -> list[dict]:
    """The runnable examples of ``countries.toml``."""
    return _countries().examples


def country_of(form: str) -> str | None:
    """The country code of a gazetteer form ("U.S." -> "US")."""
    return _countries().owner.get(form)


def country_mentions(text: str, start: int = 0, end: int | None = None) -> Counter[str]:
    """How often each country is mentioned in ``text[start:end]``."""
    pattern, owner = _countries()[:2]
    stop = len(text) if end is None else end
    return Counter(owner[m.group(0)] for m in pattern.finditer(text, start, stop))


def dateline_country(text: str) -> str | None:
    """The country of a place written in capitals as a dateline at the head of ``text``
    (``dateline_place`` of ``countries.toml``)."""
    m = _countries().dateline_place.match(text, 0, 300)
    if m is None:
        return None
    return country_of(m.group(1).title()) or country_of(m.group(1))


def article_country(text: str, among: tuple[str, ...] | set[str] | None = None) -> str | None:
    """The country mentioned most in ``text`` (only codes in ``among`` if given), or None. A
    dateline's place ("WASHINGTON, Jan. 31 -") counts for ``dateline_weight`` mentions."""
    counts = country_mentions(text)
    place = dateline_country(text)
    if place is not None:
        counts[place] += _countries().dateline_weight
    ranked = [(n, code) for code, n in counts.items() if among is None or code in among]
    if not ranked:
        return None
    ranked.sort(key=lambda item: -item[0])
    return ranked[0][1]


# --- holidays --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Holiday:
    key: str
    name: str
    forms: tuple[str, ...]
    package: tuple[str, ...]
    countries: tuple[str, ...]
    easter: int | None
    fixed: tuple[int, int] | None
    days: int
    not_before: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def holiday_data() -> tuple[dict[str, Holiday], list[dict]]:
    """Holidays by key, and the examples of ``holidays.toml``."""
    data = _toml(HOLIDAYS_TOML)
    found = {}
    for key, spec in data.get("holiday", {}).items():
        ways = [w for w in ("package", "easter", "fixed") if w in spec]
        if len(ways) != 1 or not spec.get("forms") or not spec.get("name"):
            raise RuleError(f"holidays.toml: {key} needs a name, forms and one of "
                            "package/easter/fixed")
        if "package" in spec and not spec.get("countries"):
            raise RuleError(f"holidays.toml: {key} looks up the package but has no countries")
        fixed = None
        if "fixed" in spec:
            try:
                month, day = (int(x) for x in spec["fixed"].split("-"))
                date(2000, month, day)
            except ValueError:
                raise RuleError(f"holidays.toml: {key} fixed {spec['fixed']!r} is not MM-DD")\
                    from None
            fixed = (month, day)
        found[key] = Holiday(key, spec["name"], tuple(normalize(f) for f in spec["forms"]),
                             tuple(spec.get("package", ())), tuple(spec.get("countries", ())),
                             spec.get("easter"), fixed, int(spec.get("days", 1)),
                             tuple(w.lower() for w in spec.get("not_before", ())))
    return found, list(data.get("example", []))


def holiday_for(phrase: str) -> str | None:
    """The key of the holiday a phrase names ("Thanksgiving" -> "thanksgiving"), or None."""
    text = re.sub(r"^(?:the|this|last|next)\s+", "", normalize(phrase))
    text = re.sub(r"\s+\d{4}$", "", text)
    for key, holiday in holiday_data()[0].items():
        if text in holiday.forms:
            return key
    return None


@lru_cache(maxsize=256)
def _package_days(country: str, year: int) -> dict[str, date]:
    """First day of each holiday name of the ``holidays`` package for a country and year
    (kept on disk between processes: :mod:`timeline.holiday_cache`)."""
    return holiday_cache.days(country, year, _ask_package)


def _ask_package(country: str, year: int) -> dict[str, date]:
    import holidays as pkg

    try:
        probe = pkg.country_holidays(country)
        table = pkg.country_holidays(country, years=year,
                                     categories=probe.supported_categories)
    except (NotImplementedError, KeyError, AttributeError):
        return {}
    days: dict[str, date] = {}
    for day, names in sorted(table.items()):
        for raw in names.split("; "):
            if "(observed)" in raw:
                continue
            name = raw.replace(" (estimated)", "").strip()
            days.setdefault(name, day)
    return days


def _package_day(holiday: Holiday, year: int, country: str) -> date | None:
    days = _package_days(country, year)
    return next((days[n] for n in holiday.package if n in days), None)


def holiday_country(key: str, year: int, country: str | None) -> str | None:
    """The country a holiday is looked up for: ``country`` when the package has the holiday
    there, else the first country listed for it (None for Easter-based or fixed days)."""
    holiday = holiday_data()[0][key]
    if not holiday.package:
        return country
    if country and _package_day(holiday, year, country) is not None:
        return country
    return holiday.countries[0]


def holiday_interval(key: str, year: int, country: str | None = None) -> Interval | None:
    """The half-open interval of holiday ``key`` in ``year``, or None when it has no date."""
    holidays_by_key = holiday_data()[0]
    if key not in holidays_by_key:
        return None
    holiday = holidays_by_key[key]
    start: date | None
    if holiday.easter is not None:
        start = easter(year) + timedelta(days=holiday.easter)
    elif holiday.fixed is not None:
        start = date(year, *holiday.fixed)
    else:
        where = holiday_country(key, year, country)
        start = _package_day(holiday, year, where) if where else None
    if start is None:
        return None
    return Interval(start, start + timedelta(days=holiday.days))


def holiday_occurrences(key: str, years: range, country: str | None) -> list[Occurrence]:
    """The dated occurrences of a holiday over ``years``, named "<name> <year>"."""
    holiday = holiday_data()[0][key]
    found = []
    for year in years:
        interval = holiday_interval(key, year, country)
        if interval is not None:
            found.append(Occurrence(f"{holiday.name} {year}", interval, "holidays"))
    return found
