"""Mentions of named events, holidays and earlier-dated things that a time leans on.

"after a G20 summit", "pre-election promises", "since Easter", "two days after the vote": each
mention becomes an :class:`~timeline.model.Anchor` with exact offsets, the interval of the thing
it names (from the known-events table, the holidays package or an earlier dated mention of the
same article), the relation its signal word states, and how it was resolved. The words are data
(``data/en/anchors.toml``, ``series.toml``, ``holidays.toml``, ``countries.toml``); the patterns
are compiled once per known-events file.
"""

from __future__ import annotations

import bisect
import logging
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import knowledge as kb
from .calendar import Interval, add_months, day_interval, relate, safe_date, to_date
from .errors import RuleError
from .model import Anchor, TimeExpression
from .patterns import trie_regex
from .tense import tense_at

ANCHORS_TOML = Path(__file__).parent / "data" / "en" / "anchors.toml"
_LEFT_WINDOW = 100
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Signal:
    """What a signal word says: the relation, and how it picks among dated occurrences."""

    relation: str
    direction: str                # before | after | tense
    default: str = "nearest"      # direction when the tense is unknown or present
    weak: bool = False


@dataclass(frozen=True)
class Entry:
    """What a matched phrase is: a series, aliases of events, an election, holiday or noun."""

    kind: str                     # series | numbered | alias | election | holiday | backref
    key: str                      # election kind, holiday key or noun
    series: tuple[str, ...] = ()
    events: tuple[kb.KnownEvent, ...] = ()
    not_after: tuple[str, ...] = ()
    not_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grammar:
    """Compiled patterns and tables for one known-events file."""

    base: kb.KnowledgeBase
    mention_lower: re.Pattern[str]          # mentions in lower-cased text
    numbered: re.Pattern[str] | None
    numbered_entry: Entry | None
    entries: dict[str, Entry]
    left: re.Pattern[str]
    right: re.Pattern[str]
    next_word: re.Pattern[str]
    signals: dict[str, Signal]
    prefixes: dict[str, Signal]
    plain: Signal
    modifiers: dict[str, str]
    definite: frozenset[str]
    backrefs: dict[str, frozenset[str]]
    numbers: dict[str, int]
    units: dict[str, str]
    blocking: frozenset[str]
    months: dict[str, int]


def _trie_regex(phrases: list[str]) -> str:
    """One regex for many normalized phrases (a space stands for spaces or hyphens)."""
    return trie_regex(phrases, _unit)


def _unit(ch: str) -> str:
    return r"[\s\-]+" if ch == " " else "['\u2019]" if ch == "'" else re.escape(ch)


def _signal(spec: dict[str, Any], where: str) -> Signal:
    relation = spec.get("relation")
    direction = spec.get("direction")
    if relation not in ("on", "before", "after", "since", "until", "during") or \
            direction not in ("before", "after", "tense"):
        raise RuleError(f"anchors.toml: {where} needs a relation and a direction")
    return Signal(relation, direction, spec.get("default", "nearest"), bool(spec.get("weak")))


def _base(path: str | Path | None) -> kb.KnowledgeBase:
    if path is None and not kb.EVENTS_CSV.exists():
        _log.warning("%s is missing: named events stay unresolved", kb.EVENTS_CSV)
        return kb.KnowledgeBase((), {}, {})
    return kb.knowledge_base(path)


@lru_cache(maxsize=8)
def grammar(path: str | Path | None = None) -> Grammar:
    """The compiled anchor grammar over the known events of ``path`` (cached)."""
    try:
        data = tomllib.loads(ANCHORS_TOML.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"anchors.toml: {exc}") from None
    base = _base(path)
    series, forms, elections, _ = kb.series_data()
    holidays, _ = kb.holiday_data()

    entries: dict[str, Entry] = {}
    for noun in data.get("backref", {}):
        entries[kb.normalize(noun)] = Entry("backref", noun)
    for kind, phrases in elections.items():
        for phrase in phrases:
            entries[phrase] = Entry("election", kind)
    for key, holiday in holidays.items():
        for phrase in holiday.forms:
            entries[phrase] = Entry("holiday", key, not_before=holiday.not_before)
    for alias, events in base.by_alias.items():
        entries[alias] = Entry("alias", alias, events=events)
    numbered_entry = None
    numbered_regex = []
    for form in forms:
        if form.regex:
            numbered_regex.append(form.regex)
            numbered_entry = Entry("numbered", form.regex, form.series)
        for phrase in form.phrases:
            entries[phrase] = Entry("series", phrase, form.series, (),
                                    form.not_after, form.not_before)

    signals: dict[str, Signal] = {}
    for name, spec in data.get("signal", {}).items():
        signal = _signal(spec, f"signal.{name}")
        for word in spec.get("words", ()):
            signals[kb.normalize(word)] = signal
    prefixes = {}
    for name, spec in data.get("prefix", {}).items():
        signal = _signal(spec, f"prefix.{name}")
        for word in spec.get("words", ()):
            prefixes[word.lower()] = signal
    plain = _signal(data.get("plain", {}), "plain")
    mods = data.get("modifier", {})
    modifiers = {kb.normalize(w): group for group in ("before", "after", "nearest",
                                                      "this_year", "next_year", "last_year")
                 for w in mods.get(group, ())}
    adjectives = data.get("adjective", {})
    blocking = frozenset(kb.normalize(w) for w in adjectives.get("blocking", ()))
    words = data.get("date_words", {})
    full_names = {w: i for i, w in enumerate(words.get("months", ()), start=1)}
    if len(full_names) != 12:
        raise RuleError("anchors.toml: date_words.months must list twelve months")
    months = dict(full_names)
    for abbr in words.get("abbreviations", ()):
        full = [i for w, i in full_names.items() if w.startswith(abbr[:3])]
        if len(full) != 1:
            raise RuleError(f"anchors.toml: abbreviation {abbr!r} names no single month")
        months[abbr] = full[0]
    dets = data.get("determiner", {})
    definite = frozenset(dets.get("definite", ()))
    offset = data.get("offset", {})
    numbers = {kb.normalize(k): int(v) for k, v in offset.get("numbers", {}).items()}
    units = dict(offset.get("units", {}))
    backrefs = {kb.normalize(noun): frozenset(spec.get("refers_to", (noun,)))
                for noun, spec in data.get("backref", {}).items()}

    country_words = _trie_regex(kb.country_forms())
    year_mods = [w for w, g in modifiers.items() if g.endswith("_year")]
    plain_mods = [w for w, g in modifiers.items() if not g.endswith("_year")]
    left = re.compile(
        r"(?<![\w\-])"
        r"(?:(?P<num>\d{1,3}|" + _trie_regex(list(numbers)) + r")\s+"
        r"(?P<unit>" + _trie_regex(list(units)) + r")\s+)?"
        r"(?:(?P<signal>" + _trie_regex(list(signals)) + r")\s+)?"
        r"(?:(?P<det>" + _trie_regex(list(dets.get("definite", ())) +
                                     list(dets.get("indefinite", ()))) + r")\s+)?"
        r"(?:(?P<yearmod>" + _trie_regex(year_mods) + r")\s+)?"
        r"(?:(?P<mod>" + _trie_regex(plain_mods) + r")\s+)?"
        r"(?:(?P<month>" + _trie_regex(list(months)) + r")\.?\s+(?P<day>\d{1,2})"
        r"(?:st|nd|rd|th)?(?:,?\s+(?P<dyear>(?:19|20)\d\d))?,?\s+)?"
        r"(?:(?P<year>(?:19|20)\d\d)(?:['\u2019]s)?\s+)?"
        r"(?:(?P<country>(?-i:" + country_words + r"))(?:['\u2019]s)?\s+)?"
        r"(?:(?P<adj>" + _trie_regex([kb.normalize(w) for w in adjectives.get("neutral", ())])
        + r")\s+)?\Z",
        re.IGNORECASE)
    right = re.compile(r"(?P<bare>[ \t]+(?P<year>(?:19|20)\d\d)(?!\w))"
                       r"|[ \t]+(?:of|in)[ \t]+(?P<inyear>(?:19|20)\d\d)(?!\w)"
                       r"|[ \t]+(?:in|at)[ \t]+(?P<place>[A-Z][\w\-]+(?:[ \t]+[A-Z][\w\-]+)?)")
    mention_pattern = r"(?<![\w'])(?:" + _trie_regex(list(entries)) + r")(?![\w]|-\w)"
    mention_lower = re.compile(mention_pattern)
    numbered = re.compile(r"(?<!\w)(?:" + "|".join(numbered_regex) + r")(?!\w)") \
        if numbered_regex else None
    return Grammar(base, mention_lower, numbered, numbered_entry, entries, left, right,
                   re.compile(r"[\s\-]+([\w']+)"), signals, prefixes, plain, modifiers,
                   definite, backrefs, numbers, units, blocking,
                   months)


# --- one document ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?](?<!\b[A-Z][.])(?<!\bMr[.])(?<!\bMs[.])(?<!\bDr[.])"
                           r"(?<!\bSt[.])[\"\u201d']?(?=\s+[\"\u201c'(\[]?[A-Z])|\n")


@dataclass
class _Mention:
    """A dated mention earlier in the document that a later "the summit" may refer back to."""

    start: int
    categories: frozenset[str]
    interval: Interval
    name: str
    event: kb.KnownEvent | None = None


@dataclass
class _Doc:
    text: str
    dateline: date | None
    timexes: list[TimeExpression]
    grammar: Grammar
    country: str | None
    dated: list[_Mention] = field(default_factory=list)
    _article: dict[str, str | None] = field(default_factory=dict)
    _ends: list[int] | None = None

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [m.start() for m in _SENTENCE_END.finditer(self.text)]
        return self._ends

    def sentence(self, pos: int) -> tuple[int, int]:
        """Bounds of the sentence holding ``pos``."""
        i = bisect.bisect_right(self.ends, pos)
        start = self.ends[i - 1] + 1 if i > 0 else 0
        end = self.ends[i] + 1 if i < len(self.ends) else len(self.text)
        return start, end

    def article_country(self) -> str | None:
        """The country the article names most, else the caller's setting."""
        if "any" not in self._article:
            self._article["any"] = kb.article_country(self.text) or self.country
        return self._article["any"]

    def sentence_country(self, pos: int) -> str | None:
        """The country named most in the sentence holding ``pos``."""
        lo, hi = self.sentence(pos)
        counts = kb.country_mentions(self.text, lo, hi)
        return counts.most_common(1)[0][0] if counts else None


@dataclass
class _Context:
    """The words around one mention."""

    start: int                    # start of the anchor text
    end: int                      # end of the anchor text
    signal: Signal
    signal_text: str | None
    det: str | None
    mod: str | None               # before | after | this_year | next_year | last_year
    year: int | None
    country: str | None
    place: str | None
    offset: tuple[int, str] | None
    on_date: date | None = None   # "the Nov. 8 election"
    possessive: bool = False      # "Sunday's vote" (as definite as "the vote")


def _read_context(doc: _Doc, m: re.Match[str]) -> _Context | None:
    g, text = doc.grammar, doc.text
    start, end = m.start(), m.end()
    if start > 0 and text[start - 1] == "-":
        head = text[max(0, start - 6):start].lower()
        for word, signal in g.prefixes.items():
            if head.endswith(word) and not (len(head) > len(word) and
                                            head[-len(word) - 1].isalnum()):
                return _Context(start, end, signal, text[start - len(word):start], None, None,
                                None, None, None, None)
        return None
    window = text[max(0, start - _LEFT_WINDOW):start]
    left = g.left.search(window)
    parts = left.groupdict() if left else {}
    anchor_start = start
    for name in ("det", "yearmod", "mod", "month", "year", "country", "adj"):
        if parts.get(name):
            anchor_start = start - len(window) + left.start(name)
            break
    year = int(parts["year"]) if parts.get("year") else None
    right = g.right.match(text, end)
    place = None
    if right:
        if right.group("bare"):
            year = year or int(right.group("year"))
            end = right.end()
        elif right.group("inyear"):
            year = year or int(right.group("inyear"))
        else:
            place = right.group("place")
    signal = g.plain
    signal_text = parts.get("signal")
    if signal_text:
        signal = g.signals[kb.normalize(signal_text)]
    mod = None
    if parts.get("yearmod"):
        mod = g.modifiers.get(kb.normalize(parts["yearmod"]))
    elif parts.get("mod"):
        mod = g.modifiers.get(kb.normalize(parts["mod"]))
    offset = None
    if parts.get("num") and parts.get("unit") and signal.relation in ("after", "before"):
        num = parts["num"]
        count = int(num) if num.isdigit() else g.numbers[kb.normalize(num)]
        offset = (count, g.units[parts["unit"].lower()])
    country = kb.country_of(parts["country"]) if parts.get("country") else None
    det = parts["det"].lower() if parts.get("det") else None
    on_date = None
    if parts.get("month"):
        on_year = int(parts["dyear"]) if parts.get("dyear") else \
            (doc.dateline.year if doc.dateline else None)
        month = g.months[parts["month"].lower()]
        on_date = safe_date(on_year, month, int(parts["day"])) if on_year else None
        if on_date is None:
            return None if on_year else _Context(anchor_start, end, signal, signal_text, det,
                                                 mod, year, country, place, offset, None, False)
    possessive = bool(parts.get("mod") and parts["mod"].lower().endswith("'s"))
    return _Context(anchor_start, end, signal, signal_text, det, mod, year, country, place,
                    offset, on_date, possessive)


def _direction(doc: _Doc, ctx: _Context, m: re.Match[str], fixed: str | None = None) -> str:
    if ctx.mod in ("before", "after", "nearest"):
        return ctx.mod
    if fixed is not None:
        return fixed
    if ctx.signal.direction in ("before", "after"):
        return ctx.signal.direction
    tense = tense_at(doc.text, m.start(), m.end())
    if tense == "PAST":
        return "before"
    if tense == "FUTURE":
        return "after"
    return ctx.signal.default


def _target_year(doc: _Doc, ctx: _Context) -> int | None:
    if ctx.year is not None:
        return ctx.year
    if doc.dateline is None or ctx.mod not in ("this_year", "next_year", "last_year"):
        return None
    return doc.dateline.year + {"this_year": 0, "next_year": 1, "last_year": -1}[ctx.mod]


def _horizon_ok(occ: kb.Occurrence, when: date) -> bool:
    """Whether a known event lies within its series' horizon of ``when`` (holidays always do)."""
    if occ.event is None:
        return True
    series = kb.series_data()[0].get(occ.event.series)
    years = series.horizon_years if series else 2
    return abs((occ.event.start - when).days) <= 366 * years


def _gap(occ: kb.Occurrence, when: date) -> int:
    start, end = to_date(occ.interval.start), to_date(occ.interval.end)
    return (start - when).days if start > when else max(0, (when - end).days + 1)


def _pick(doc: _Doc, ctx: _Context, m: re.Match[str],
          occurrences: list[kb.Occurrence]) -> kb.Occurrence | None:
    """The occurrence a mention means, or None rather than a guess.

    A date or year in the mention decides. Otherwise, with a dateline: the one under way, else
    by modifier, signal and tense; never when the dateline is older than the table's first
    occurrence (what came between is unknown) or the choice lies beyond the series' horizon.
    """
    if not occurrences:
        return None
    if ctx.on_date is not None:
        return kb.choose(occurrences, ctx.on_date, "at")
    year = _target_year(doc, ctx)
    if year is not None:
        return kb.choose(occurrences, doc.dateline, "at", year)
    when = doc.dateline
    if when is None or when < min(to_date(o.interval.start) for o in occurrences):
        return None
    if ctx.mod is None:
        holding = kb.choose(occurrences, when, "at")
        if holding is not None:
            return holding
    found = kb.choose(occurrences, when, _direction(doc, ctx, m, _series_direction(occurrences)))
    if found is not None and ctx.mod is None and ctx.signal.relation in ("on", "during"):
        # Without a strong signal a very close occurrence beats a far one the tense chose.
        near = kb.choose(occurrences, when, "nearest")
        if near is not None and _gap(near, when) <= 31 and _gap(found, when) > 180:
            found = near
    return found if found is not None and _horizon_ok(found, when) else None


def _pick_named(doc: _Doc, ctx: _Context, m: re.Match[str], occurrences: list[kb.Occurrence],
                named: bool) -> kb.Occurrence | None:
    """:func:`_pick`, or the one event an alias or place names outright: that needs no
    dateline, only not to lie in a future beyond its series' horizon."""
    occ = _pick(doc, ctx, m, occurrences)
    if occ is not None or not named or len(occurrences) != 1:
        return occ
    if _target_year(doc, ctx) is not None or ctx.on_date is not None:
        return None
    only = occurrences[0]
    if doc.dateline is None or only.interval.start <= doc.dateline or \
            _horizon_ok(only, doc.dateline):
        return only
    return None


def _shift(day: date, count: int, unit: str) -> date:
    if unit == "D":
        return day + timedelta(days=count)
    if unit == "W":
        return day + timedelta(weeks=count)
    months = count * (12 if unit == "Y" else 1)
    y, mo = add_months(day.year, day.month, months)
    return safe_date(y, mo, day.day) or safe_date(y, mo, 28) or day


def _target(doc: _Doc, ctx: _Context, interval: Interval) -> Interval:
    """The interval of the thing the phrase dates: the offset day, or the relation's span."""
    if interval.is_empty:
        return Interval()
    if ctx.offset and interval.is_bounded:
        count, unit = ctx.offset
        if ctx.signal.relation == "after":
            last = to_date(interval.end) - timedelta(days=1)
            return day_interval(_shift(last, count, unit))
        return day_interval(_shift(to_date(interval.start), -count, unit))
    return relate(ctx.signal.relation, interval, doc.dateline)


def _timex_for(doc: _Doc, ctx: _Context, m: re.Match[str]) -> TimeExpression | None:
    """A TIMEX of the same sentence that dates a generic mention ("The summit ... on May 3")."""
    lo, hi = doc.sentence(m.start())
    best: tuple[int, TimeExpression] | None = None
    for tx in doc.timexes:
        if not (lo <= tx.start_char and tx.end_char <= hi) or tx.type not in ("DATE", "TIME"):
            continue
        if not tx.interval.is_bounded or (tx.value or "").endswith("_REF"):
            continue
        if ctx.signal_text is not None and not ctx.signal.weak:
            # With a signal, only a date right after the noun dates the noun itself.
            gap = doc.text[ctx.end:tx.start_char]
            if tx.start_char < ctx.end or not re.fullmatch(r"[\s,]*(?:on|of|in)?\s*", gap):
                continue
        distance = tx.start_char - m.end() if tx.start_char >= m.end() else \
            m.start() - tx.end_char
        if distance >= 0 and (best is None or distance < best[0]):
            best = (distance, tx)
    return best[1] if best else None


def _at_place(event: kb.KnownEvent, place: str) -> bool:
    """Whether "in <place>" names the event's city or country ("in Hamburg", "in China")."""
    if event.place and place.lower().startswith(event.place.lower().split(",")[0]):
        return True
    return kb.country_of(place) == event.country


def _earlier(doc: _Doc, pos: int, categories: frozenset[str],
             place: str | None = None) -> _Mention | None:
    """The latest dated mention before ``pos`` of one of ``categories`` (at ``place``)."""
    fallback = None
    for mention in reversed(doc.dated):
        if mention.start >= pos or not mention.categories & categories:
            continue
        if place is None:
            return mention
        if mention.event is not None and _at_place(mention.event, place):
            return mention
        fallback = fallback or mention
    return fallback


def _qualified(ctx: _Context) -> bool:
    """A generic phrase counts only with a determiner, date, country, modifier or signal."""
    return bool(ctx.det or ctx.year or ctx.country or ctx.mod or ctx.on_date or
                (ctx.signal_text and not ctx.signal.weak))


def _blocked(doc: _Doc, entry: Entry, m: re.Match[str]) -> bool:
    if entry.not_after:
        words = kb.normalize(doc.text[max(0, m.start() - 30):m.start()]).split()
        tail = " ".join(words[-2:])
        if words and (words[-1] in entry.not_after or tail in entry.not_after):
            return True
    if entry.not_before:
        nxt = doc.grammar.next_word.match(doc.text, m.end())
        if nxt and nxt.group(1).lower() in entry.not_before:
            return True
    return False


def _anchor(doc: _Doc, ctx: _Context, *, name: str | None, kind: str,
            interval: Interval, source: str | None) -> Anchor:
    resolution = kind if kind != "unresolved" else "unresolved"
    signal = ctx.signal_text.strip() if ctx.signal_text else None
    offset = None
    if ctx.offset and not interval.is_empty:
        count, unit = ctx.offset
        offset = f"P{count}{unit}"
    return Anchor("", doc.text[ctx.start:ctx.end], ctx.start, ctx.end, name, kind, interval,
                  source, ctx.signal.relation, signal, resolution, offset,
                  _target(doc, ctx, interval))


def _in_series(doc: _Doc, earlier: _Mention, direction: str) -> kb.Occurrence | None:
    """The event before or after an earlier-mentioned known event in its series."""
    if earlier.event is None:
        return None
    events = doc.grammar.base.by_series.get(earlier.event.series, ())
    occurrences = [kb.event_occurrence(e) for e in events if e is not earlier.event]
    return kb.choose(occurrences, earlier.event.start, direction)


def _resolve_backref(doc: _Doc, ctx: _Context, m: re.Match[str], noun: str) -> Anchor | None:
    g = doc.grammar
    prefixed = bool(ctx.signal_text and ctx.signal_text.endswith("-"))
    strong = bool(ctx.signal_text and not ctx.signal.weak)
    if ctx.det not in g.definite and not prefixed and not ctx.possessive:
        return None
    categories = g.backrefs.get(noun, frozenset({noun}))
    earlier = _earlier(doc, m.start(), categories, ctx.place)
    if earlier is None and ctx.place:
        # "the summit in Hamburg": a known event of a fitting series held there.
        series = kb.series_data()[0]
        here = [kb.event_occurrence(e) for e in g.base.events
                if series.get(e.series) and series[e.series].category in categories
                and _at_place(e, ctx.place)]
        occ = _pick_named(doc, ctx, m, here, True)
        if occ is not None:
            return _resolved(doc, ctx, m, occ, None, "known_event", noun)
    if ctx.mod in ("before", "after") and not ctx.possessive:
        # "the next summit": the one after an earlier-mentioned event of a series.
        occ = _in_series(doc, earlier, ctx.mod) if earlier is not None else None
        return _resolved(doc, ctx, m, occ, None, "known_event", noun) if occ else None
    if earlier is not None:
        doc.dated.append(_Mention(m.start(), categories, earlier.interval, earlier.name,
                                  earlier.event))
        return _anchor(doc, ctx, name=earlier.name, kind="previous_mention",
                       interval=earlier.interval, source="document")
    tx = _timex_for(doc, ctx, m)
    if tx is not None:
        name = f"{noun} of {tx.value}"
        doc.dated.append(_Mention(m.start(), categories | {noun}, tx.interval, name))
        if strong:
            return _anchor(doc, ctx, name=name, kind="previous_mention", interval=tx.interval,
                           source="document")
    # Nothing to refer back to: a generic noun stays out rather than becoming a guess.
    return None


def _resolved(doc: _Doc, ctx: _Context, m: re.Match[str], occ: kb.Occurrence | None,
              label: str | None, kind: str, category: str) -> Anchor:
    if occ is None:
        return _anchor(doc, ctx, name=label, kind="unresolved", interval=Interval(), source=None)
    _remember(doc, m, occ, category)
    return _anchor(doc, ctx, name=occ.name, kind=kind, interval=occ.interval, source=occ.source)


def _remember(doc: _Doc, m: re.Match[str], occ: kb.Occurrence, category: str) -> None:
    """Keep a dated mention for a later "the summit" or "the invasion" to refer back to."""
    doc.dated.append(_Mention(m.start(), frozenset({category}), occ.interval, occ.name,
                              occ.event))


def _series_label(keys: tuple[str, ...]) -> str:
    series = kb.series_data()[0]
    return " or ".join(series[k].label for k in keys)


def _series_direction(occurrences: list[kb.Occurrence]) -> str | None:
    """The direction every occurrence's series fixes ("before": "the pandemic" is the last one
    so far whatever the tense), or None."""
    series = kb.series_data()[0]
    found = {series[o.event.series].direction if o.event is not None and o.event.series in series
             else None for o in occurrences}
    return found.pop() if len(found) == 1 else None


def _needs_signal(keys: tuple[str, ...]) -> bool:
    """True when every series named is a time only after a signal word ("since the invasion",
    "pre-pandemic"), being otherwise the event talked of."""
    series = kb.series_data()[0]
    return bool(keys) and all(series[k].needs_signal for k in keys)


def _category(keys: tuple[str, ...]) -> str:
    return kb.series_data()[0][keys[0]].category


def _blocked_by_adjective(doc: _Doc, m: re.Match[str]) -> bool:
    """"the local elections", "the EU summit": a word before the noun makes it another thing."""
    words = kb.normalize(doc.text[max(0, m.start() - 24):m.start()]).split()
    return bool(words) and words[-1] in doc.grammar.blocking


def _only_election(doc: _Doc, ctx: _Context, m: re.Match[str],
                   kind: str) -> kb.Occurrence | None:
    """With no country: the one election of ``kind`` anywhere that a given date or year fixes."""
    if ctx.on_date is None and _target_year(doc, ctx) is None:
        return None
    keys = kb.election_series(kind, None)
    occurrences = [kb.event_occurrence(e) for e in doc.grammar.base.series_events(keys)]
    found = _pick(doc, ctx, m, occurrences)
    if found is None:
        return None
    if ctx.on_date is not None:
        same = [o for o in occurrences if kb.choose([o], ctx.on_date, "at") is not None]
    else:
        same = [o for o in occurrences if o.interval.start.year == found.interval.start.year]
    return found if len(same) == 1 else None


def _resolve(doc: _Doc, m: re.Match[str], entry: Entry) -> Anchor | None:
    g = doc.grammar
    if _blocked(doc, entry, m):
        return None
    if entry.kind in ("election", "backref") and _blocked_by_adjective(doc, m):
        return None
    ctx = _read_context(doc, m)
    if ctx is None:
        return None
    if entry.kind == "backref":
        categories = g.backrefs.get(entry.key, frozenset({entry.key}))
        if not ctx.signal_text and categories <= kb.signal_categories():
            return None            # "the invasion was condemned": the event itself
        return _resolve_backref(doc, ctx, m, entry.key)
    if entry.kind == "numbered":
        event = g.base.numbered(m.group(0))
        occ = kb.event_occurrence(event) if event else None
        return _resolved(doc, ctx, m, occ, _series_label(entry.series), "known_event",
                         _category(entry.series))
    if entry.kind in ("series", "alias"):
        events = list(entry.events) or g.base.series_events(entry.series)
        keys = entry.series or tuple(dict.fromkeys(e.series for e in entry.events))
        month = g.months.get(ctx.place.lower()) if ctx.place else None
        if month is not None:
            # "the NATO summit in May": a month, not a place.
            events = [e for e in events if e.start.month == month] or events
        here = [e for e in events if _at_place(e, ctx.place)] if ctx.place and not month else []
        events = here or events
        occurrences = [kb.event_occurrence(e) for e in events]
        occ = _pick_named(doc, ctx, m, occurrences, entry.kind == "alias" or bool(here))
        if not ctx.signal_text and _needs_signal(keys):
            # "Iraq's invasion of Kuwait on Aug. 2": the event itself, not a time; a later
            # "since the invasion" may still refer back to it.
            if occ is not None:
                _remember(doc, m, occ, _category(keys))
            return None
        return _resolved(doc, ctx, m, occ, _series_label(keys), "known_event", _category(keys))
    if entry.kind == "election":
        if not _qualified(ctx):
            return None
        generic = entry.key == "any" and not (ctx.year or ctx.country or ctx.mod)
        if generic and ctx.det in g.definite:
            earlier = _earlier(doc, m.start(), g.backrefs.get("election", frozenset()))
            if earlier is not None:
                return _resolve_backref(doc, ctx, m, "election")
        country = ctx.country or doc.sentence_country(m.start()) or doc.article_country()
        keys = kb.election_series(entry.key, country) if country else ()
        if not keys:
            occ = _only_election(doc, ctx, m, entry.key) if country is None else None
            if occ is not None:
                return _resolved(doc, ctx, m, occ, None, "known_event", "election")
            if not (ctx.signal_text and not ctx.signal.weak) or ctx.signal_text.endswith("-"):
                return None
            label = {"any": "election", "referendum": "referendum"}.get(
                entry.key, f"{entry.key} election")
            return _anchor(doc, ctx, name=label, kind="unresolved", interval=Interval(),
                           source=None)
        occurrences = [kb.event_occurrence(e) for e in g.base.series_events(keys)]
        return _resolved(doc, ctx, m, _pick(doc, ctx, m, occurrences), _series_label(keys),
                         "known_event", _category(keys))
    # holiday
    holiday = kb.holiday_data()[0][entry.key]
    country = ctx.country or doc.article_country()
    year = _target_year(doc, ctx)
    if year is not None:
        years = range(year, year + 1)
    elif doc.dateline is not None:
        years = range(doc.dateline.year - 1, doc.dateline.year + 2)
    else:
        years = range(0)
    occurrences = kb.holiday_occurrences(entry.key, years, country)
    return _resolved(doc, ctx, m, _pick(doc, ctx, m, occurrences), holiday.name, "holiday",
                     "holiday")


def find_anchors(text: str, dateline: date | None, timexes: list[TimeExpression], *,
                 path: str | Path | None = None, country: str | None = None) -> list[Anchor]:
    """Anchors of ``text`` resolved through the knowledge base, holidays or the document.

    ``path`` names another known-events CSV; ``country`` (ISO code) is used for holidays and
    elections when the text names no country.
    """
    g = grammar(path)
    doc = _Doc(text, dateline, sorted(timexes, key=lambda t: t.start_char), g, country)
    matches: list[tuple[re.Match[str], Entry]] = []
    lowered = text.lower()                  # (only offsets and the normalized words are read)
    found = g.mention_lower.finditer(lowered) if len(lowered) == len(text) else \
        re.compile(g.mention_lower.pattern, re.IGNORECASE).finditer(text)   # (rare: "İ")
    for m in found:
        entry = g.entries.get(kb.normalize(m.group(0)))
        if entry is not None:
            matches.append((m, entry))
    if g.numbered is not None and g.numbered_entry is not None:
        for m in g.numbered.finditer(text):
            matches.append((m, g.numbered_entry))
    matches.sort(key=lambda pair: pair[0].start())
    anchors: list[Anchor] = []
    last_end = -1
    for m, entry in matches:
        if m.start() < last_end:
            continue
        anchor = _resolve(doc, m, entry)
        if anchor is not None:
            anchor.id = f"a{len(anchors) + 1}"
            anchors.append(anchor)
            last_end = anchor.end_char
    return anchors


def examples() -> list[dict]:
    """The runnable examples of ``anchors.toml``."""
    return list(tomllib.loads(ANCHORS_TOML.read_text(encoding="utf-8")).get("example", []))
