"""Find candidate time expressions, with character offsets, from the rule data files.

Finding is separate from resolving: a candidate says where an expression is and which rule
found it (with the rule's named groups); :mod:`timeline.resolver` fixes it to the calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import regex

from .patterns import trie_regex
from .rules import Language, Rule, load

# Words just before an expression that narrow or qualify it; the span grows to take them in.
_PREFIX_TABLES = ("position", "approximation")
_CAPITALIZED = ("month", "weekday", "month2")


@dataclass(slots=True)
class Candidate:
    """A time expression found in the text, not yet normalized."""

    start: int
    end: int
    rule: Rule
    groups: dict[str, str | None]
    prefix: str | None = None           # a position or approximation word taken in from the left
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return self.end - self.start


@lru_cache(maxsize=4)
def _prefix_pattern(code: str) -> regex.Pattern:
    lang = load(code)
    words: list[str] = []
    for table in _PREFIX_TABLES:
        words.extend(lang.gazetteer.get(table, {}))
    ordered = sorted(set(words), key=len, reverse=True)
    body = "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in ordered)
    # The prefix must end right where the expression starts: "mid-" directly, words by a space.
    return regex.compile(r"(?<![\w-])(?P<prefix>" + body + r")(?:(?<=-)|\s+)$", regex.IGNORECASE)


def _merge_groups(match: regex.Match) -> dict[str, str | None]:
    """Named groups, with numbered alternatives (``unit2``) folded into their base name."""
    groups: dict[str, str | None] = {}
    for name, value in match.groupdict().items():
        base = name.rstrip("0123456789") or name
        if value is not None or base not in groups:
            if value is not None or groups.get(base) is None:
                groups[base] = value
    return groups


def _capitalization_ok(text: str, match: regex.Match) -> bool:
    """Month and weekday names must be capitalized ("may" and "march" are words too)."""
    for name in _CAPITALIZED:
        try:
            value = match.group(name)
        except IndexError:
            continue
        if value and not value[0].isupper():
            return False
    return True


def _select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: the longest first, then the higher rule priority."""
    chosen: list[Candidate] = []
    taken: list[tuple[int, int]] = []
    for cand in sorted(candidates, key=lambda c: (-c.length, -c.rule.priority, c.start)):
        if any(cand.start < e and s < cand.end for s, e in taken):
            continue
        chosen.append(cand)
        taken.append((cand.start, cand.end))
    chosen.sort(key=lambda c: c.start)
    return chosen


# Which prefixes each resolver takes: amounts take approximations, calendar times positions.
_TAKES = {"duration": "approximation", "vague_duration": "approximation",
          "offset": "approximation", "calendar": "position", "relative_period": "position",
          "weekday": "position", "decade": "position", "century": "position",
          "quarter": "position", "half": "position", "relative_day": "position",
          "the_period": "position", "spelled_year": "position", "year_end": "approximation"}


def _extend_left(text: str, chosen: list[Candidate], lang: Language) -> None:
    pattern = _prefix_pattern(lang.code)
    previous_end = 0
    for cand in chosen:
        table = _TAKES.get(cand.rule.resolver)
        if table is None or cand.groups.get("position") or cand.groups.get("approx"):
            previous_end = cand.end
            continue
        window_start = max(previous_end, cand.start - 30)
        m = pattern.search(text, window_start, cand.start)
        determined = text[cand.start:cand.start + 6].lower().startswith(("the ", "its ", "their "))
        if m and lang.lookup(table, m.group("prefix")) is not None and not (
                table == "approximation" and determined):
            cand.prefix = m.group("prefix")
            cand.start = m.start()
        previous_end = cand.end


_TOKEN = re.compile(r"\w+")
# How far around a trigger word a rule's match may reach.
_YEARISH = re.compile(r"(?:(?:1[6-9]|20)\d\d(?:s|\d*)?|\d0s)$")


@lru_cache(maxsize=4)
def _trigger_index(code: str) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...],
                                       tuple[int, ...], tuple[int, ...],
                                       tuple[re.Pattern[str], re.Pattern[str]]]:
    lang = load(code)
    index: dict[str, list[int]] = {}
    for i, rule in enumerate(lang.rules):
        for word in rule.triggers:
            index.setdefault(word, []).append(i)
    any_number = tuple(i for i, rule in enumerate(lang.rules) if rule.digits == "any")
    years = tuple(i for i, rule in enumerate(lang.rules) if rule.digits == "year")
    hours = tuple(i for i, rule in enumerate(lang.rules) if rule.digits == "hour")
    # The words that can trigger a rule: the trigger words themselves, and any word with a
    # digit in it (numbers, years, "10am", "FY2019"); one trie-shaped search finds them all.
    words = [w for w in index if _TOKEN.fullmatch(w)]
    tokens = r"(?<!\w)(?:(?:" + trie_regex(words) + r")(?!\w)|\w*\d\w*)"
    return ({w: tuple(v) for w, v in index.items()}, any_number, years, hours,
            (re.compile(tokens), re.compile(tokens, re.IGNORECASE)))


def _windows(text: str, lang: Language) -> list[list[tuple[int, int]]]:
    """For each rule, the stretches of text around its trigger words, merged."""
    index, any_number, years, hours, (lower_tokens, any_tokens) = _trigger_index(lang.code)
    spans: list[list[tuple[int, int]]] = [[] for _ in lang.rules]
    reach = [rule.reach for rule in lang.rules]
    size = len(text)
    lowered = text.lower()
    same_length = len(lowered) == size      # a few letters grow when lowercased ("İ")
    found = lower_tokens.finditer(lowered) if same_length else any_tokens.finditer(text)
    for m in found:
        word = m.group() if same_length else m.group().lower()
        rules = index.get(word, ())
        if word[-1] <= "9" and word[0] > "9":      # "fy2019": a trigger glued to a number
            rules = rules + index.get(word.rstrip("0123456789"), ())
        if word[0] <= "9":
            rules = rules + any_number
            bare = word.rstrip("apm")
            if bare != word and len(bare) <= 2:         # "10am", "5pm" ("10 a.m." by "m")
                rules = rules + hours
            elif _YEARISH.match(word):
                rules = rules + years
        if not rules:
            continue
        start, end = m.span()
        for i in rules:
            left, right = reach[i]
            lo, hi = start - left, end + right
            if lo < 0:
                lo = 0
            if hi > size:
                hi = size
            stretch = spans[i]
            if stretch and stretch[-1][1] >= lo:
                stretch[-1] = (stretch[-1][0], hi)
            else:
                stretch.append((lo, hi))
    return spans


def find(text: str, *, language: str = "en") -> list[Candidate]:
    """Candidate time expressions of ``text``, in text order, none overlapping."""
    lang = load(language)
    candidates: list[Candidate] = []
    seen: set[tuple[int, int, int]] = set()
    for i, (rule, stretches) in enumerate(zip(lang.rules, _windows(text, lang), strict=True)):
        for lo, hi in stretches:
            for m in rule.pattern.finditer(text, lo, hi):
                start, end = m.span()
                if end == start or (i, start, end) in seen or not _capitalization_ok(text, m):
                    continue
                seen.add((i, start, end))
                while end > start and text[end - 1] in " \t\n,":
                    end -= 1
                candidates.append(Candidate(start, end, rule, _merge_groups(m)))
    chosen = _select(candidates)
    _extend_left(text, chosen, lang)
    return chosen
