"""Publication date from the head of an article's text.

Only the head is read: the first lines and characters, plus the first ~1500 characters for a
"Published ..."/"Updated ..." line. The patterns, month names, agencies and cue words live in
``data/en/datelines.toml`` and are compiled once. Detection is conservative: a date in a
sentence, half of a range, a weekday that disagrees with its date, a date under a label such as
"Born", or a pattern whose matches disagree gives no dateline rather than a wrong one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import RuleError
from .model import Dateline

DATA = Path(__file__).parent / "data" / "en" / "datelines.toml"
_PLACEHOLDER = re.compile(r"\{([A-Z]+)\}")
_DIGIT = re.compile(r"[0-9]")


@dataclass(frozen=True, slots=True)
class Pattern:
    """One compiled dateline pattern: a regex per date form it accepts."""

    name: str
    rank: int
    extended: bool
    segment: bool               # tried after separators too, not only at line starts
    regexes: tuple[tuple[str, re.Pattern[str]], ...]


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything detection needs, loaded and compiled from the data file."""

    patterns: tuple[Pattern, ...]
    months: dict[str, int]
    weekdays: dict[str, int]
    head_chars: int
    head_lines: int
    max_head_chars: int
    extended_chars: int
    max_line_chars: int
    min_year: int
    max_year: int
    range_after: re.Pattern[str]
    range_before: re.Pattern[str]
    negative: re.Pattern[str]
    forms: dict[str, re.Pattern[str]]
    separator: re.Pattern[str]
    segment_head: re.Pattern[str]
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class _Candidate:
    rank: int
    pattern: str
    start: int
    end: int
    year: int | None
    month: int
    day: int
    refused: bool = False


def _names(words: list[str] | dict[str, int], *, abbrev_dot: bool = False) -> str:
    """Alternation of ``words`` in Title case and CAPITALS, longest first, whole words only."""
    variants: set[str] = set()
    for word in words:
        variants.update({word[:1].upper() + word[1:], word.upper()})
    alts = []
    for v in sorted(variants, key=len, reverse=True):
        alts.append(re.escape(v) + (r"\.?" if abbrev_dot and len(v) <= 5 else ""))
    return r"\b(?:" + "|".join(alts) + r")(?![A-Za-z])"


def _phrases(words: list[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + \
        r")(?![A-Za-z])"


def _expand(template: str, blocks: dict[str, str], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        if m.group(1) not in blocks:
            raise RuleError(f"{DATA.name}: {where}: unknown placeholder {{{m.group(1)}}}")
        return blocks[m.group(1)]

    for _ in range(4):          # blocks may use blocks
        template = _PLACEHOLDER.sub(sub, template)
    return template


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Load and compile ``data/en/datelines.toml`` (once)."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    lists = data["lists"]
    months = {k.lower(): int(v) for k, v in data["months"].items()}
    weekdays = {k.lower(): int(v) for k, v in data["weekdays"].items()}
    blocks = dict(data["blocks"])
    blocks.update({
        "MONTH": _names(list(months), abbrev_dot=True),
        "WEEKDAY": _names(list(weekdays), abbrev_dot=True),
        "AGENCY": _phrases(lists["agencies"]),
        "SLASHWIRE": _phrases(lists["slash_wires"]),
        "TZ": _phrases(lists["timezones"]),
        "PUBLISHED": _phrases(lists["published_cues"]),
        "UPDATED": _phrases(lists["updated_cues"]),
    })
    forms = {name: _expand(regex, blocks, f"form {name}") for name, regex in data["forms"].items()}
    patterns = []
    for spec in data["pattern"]:
        compiled = []
        for form in spec["forms"]:
            if form not in forms:
                raise RuleError(f"{DATA.name}: pattern {spec['name']}: unknown form {form!r}")
            regex = _expand(spec["regex"].replace("{DATE}", "(?P<date>" + forms[form] + ")"),
                            blocks, f"pattern {spec['name']}")
            try:
                compiled.append((form, re.compile(regex, re.M)))
            except re.error as exc:
                raise RuleError(f"{DATA.name}: pattern {spec['name']} ({form}): {exc}") from exc
        if spec.get("anchor") not in ("line", "segment"):
            raise RuleError(f"{DATA.name}: pattern {spec['name']}: anchor must be line or "
                            "segment")
        patterns.append(Pattern(spec["name"], int(spec["rank"]),
                                spec.get("scope", "head") == "extended",
                                spec["anchor"] == "segment", tuple(compiled)))
    date_start = _expand(r"(?:{WEEKDAY},?[ \t]*)?(?:{DAY}{ORD}[ \t]+(?:of[ \t]+)?{MONTH}|{MONTH}"
                         r"|{YEAR}(?![0-9:.]))", blocks, "range")
    words = r"\b" + _phrases(lists["range_words"])
    range_after = re.compile(r"[ \t]*(?:" + blocks["DASH"] + "|" + words + r")[ \t]*" +
                             date_start)
    range_before = re.compile(_expand(
        r"(?:(?<![0-9:.])\b{DAY}{ORD}|{MONTH}[ \t]?{DAY}{ORD}|\b{YEAR})[ \t]*,?[ \t]*"
        r"(?:{DASH}|&|" + words + r")[ \t]*$", blocks, "range"))
    negative = re.compile(r"(?<![A-Za-z])(?:" + "|".join(
        re.escape(w) for w in sorted(lists["negative_labels"], key=len, reverse=True)) +
        r")(?![A-Za-z])", re.I)
    compiled_forms = {name: re.compile(regex) for name, regex in forms.items()}
    separator = re.compile("[" + re.escape(data["separators"]) + "]")
    # What may open a segment-anchored match: a cue word, a weekday, a month or a digit.
    segment_head = re.compile(_expand(r"[ \t]*(?:{PUBLISHED}|{UPDATED}|{WEEKDAY}|{MONTH}|[0-9])",
                                      blocks, "segment head"))
    return Rules(tuple(sorted(patterns, key=lambda p: p.rank)), months, weekdays,
                 int(data["head_chars"]), int(data["head_lines"]), int(data["max_head_chars"]),
                 int(data["extended_chars"]), int(data["max_line_chars"]),
                 int(data["min_year"]), int(data["max_year"]),
                 range_after, range_before, negative, compiled_forms, separator,
                 segment_head, data)


def head_limits(text: str, r: Rules | None = None) -> tuple[int, int]:
    """How far matches may start: the head (the first ``head_chars`` characters or the first
    ``head_lines`` lines, whichever reaches further, at most ``max_head_chars``) and the
    extended head (for "Published ..." lines)."""
    r = r or rules()
    pos, lines = 0, 0
    while pos < len(text) and pos < r.max_head_chars and lines < r.head_lines:
        nl = text.find("\n", pos, r.max_head_chars)
        nl = r.max_head_chars if nl == -1 else nl
        if text[pos:nl].strip():
            lines += 1
        pos = nl + 1
    head = min(max(r.head_chars, pos), r.max_head_chars)
    return min(head, len(text)), min(max(head, r.extended_chars), len(text))


def _number(token: str, names: dict[str, int]) -> int | None:
    token = token.rstrip(".").lower()
    return int(token) if token.isdigit() else names.get(token)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _refused(text: str, m: re.Match[str], r: Rules) -> bool:
    """True when the match is half of a range or sits under or after a negative label."""
    start, end = m.span("date")
    if r.range_after.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40):start]
    if r.range_before.search(before):
        return True
    if r.negative.search(text, line_start, start):
        return True
    prev_end = line_start - 1
    while prev_end > 0 and not text[text.rfind("\n", 0, prev_end) + 1:prev_end].strip():
        prev_end = text.rfind("\n", 0, prev_end)      # skip blank lines
    if prev_end > 0:
        prev = text[text.rfind("\n", 0, prev_end) + 1:prev_end].strip()
        if len(prev) <= 30 and r.negative.match(prev):     # a label such as "Born"
            return True
    return False


def _lines(text: str, end: int, max_line: int) -> list[tuple[int, int]]:
    """(start, end) of each line starting before ``end`` that holds a digit (every date form
    has one); a line is read for at most ``max_line`` characters."""
    spans = []
    pos = 0
    while pos < end:
        nl = text.find("\n", pos, pos + max_line)
        stop = min(pos + max_line, len(text)) if nl == -1 else nl
        if stop > pos and text[stop - 1] == "\r":
            stop -= 1
        if _DIGIT.search(text, pos, stop):
            spans.append((pos, stop))
        if nl == -1:
            nl = text.find("\n", stop)
            if nl == -1:
                break
        pos = nl + 1
    return spans


def _candidates(text: str, head: int, extended: int, r: Rules) -> list[_Candidate]:
    """Every match: patterns are tried only at the line and segment starts (before the head's
    end) of lines that hold a digit, so a call costs a few anchored matches per such line."""
    found: list[_Candidate] = []
    for line_start, line_end in _lines(text, extended, r.max_line_chars):
        segments: list[int] | None = None
        for pattern in r.patterns:
            limit = extended if pattern.extended else head
            if line_start >= limit:
                continue
            if pattern.segment:
                if segments is None:
                    segments = [p for p in [line_start] + [
                        m.end() for m in r.separator.finditer(text, line_start, line_end)]
                        if r.segment_head.match(text, p, line_end)]
                starts = [p for p in segments if p < limit]
            else:
                starts = [line_start]
            for start in starts:
                for _form, regex in pattern.regexes:
                    m = regex.match(text, start, line_end)
                    cand = _accept(text, m, pattern, r) if m else None
                    if cand is not None:
                        found.append(cand)
    return found


def _accept(text: str, m: re.Match[str], pattern: Pattern, r: Rules) -> _Candidate | None:
    """The candidate a match stands for (``refused`` when it is no valid dateline: an
    impossible date, a weekday that disagrees, a range, a negative label); None when the
    year is out of bounds."""
    year = int(m.group("year")) if "year" in m.re.groupindex else None
    month = _number(m.group("month"), r.months)
    day = int(m.group("day"))
    if month is None or (year is not None and not r.min_year <= year <= r.max_year):
        return None
    refused = False
    if year is not None:
        value = _valid(year, month, day)
        weekday = m.groupdict().get("weekday")
        refused = value is None or bool(
            weekday and r.weekdays.get(weekday.rstrip(".").lower()) != value.weekday())
    else:
        refused = _valid(2000, month, day) is None      # 2000 is a leap year: Feb 29 may be
    refused = refused or _refused(text, m, r)
    return _Candidate(pattern.rank, pattern.name, m.start("date"), m.end("date"), year, month,
                      day, refused)


def _fix_year(cand: _Candidate, refs: list[date]) -> date | None:
    """The yearless candidate's date in the year that puts it nearest to the first reference."""
    if not refs:
        return None
    ref = refs[0]
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1)
               if (d := _valid(y, cand.month, cand.day)) is not None]
    return min(options, key=lambda d: abs((d - ref).days)) if options else None


def detect(text: str) -> Dateline:
    """The dateline found at the head of ``text``, or ``Dateline(None, "none")``."""
    if not text:
        return Dateline(None, "none")
    r = rules()
    head, extended = head_limits(text, r)
    found = _candidates(text, head, extended, r)
    if not found:
        return Dateline(None, "none")
    dated = sorted((c for c in found if c.year is not None and not c.refused),
                   key=lambda c: (c.rank, c.start))
    refs = [date(c.year, c.month, c.day) for c in dated if c.year is not None]
    if not refs:
        for form in ("mdy", "dmy", "iso"):
            for m in r.forms[form].finditer(text, 0, head):
                month = _number(m.group("month"), r.months)
                value = _valid(int(m.group("year")), month, int(m.group("day"))) if month else None
                if value is not None:
                    refs.append(value)
    by_rank: dict[int, list[tuple[_Candidate, date | None]]] = {}
    for cand in sorted(found, key=lambda c: (c.rank, c.start)):
        if cand.refused:
            value = None
        elif cand.year is not None:
            value = date(cand.year, cand.month, cand.day)
        else:
            value = _fix_year(cand, refs)
            if value is None:
                continue                # no year to be had: as if it were not there
        by_rank.setdefault(cand.rank, []).append((cand, value))
    for rank in sorted(by_rank):
        group = by_rank[rank]
        if len({(c.year or v and v.year, c.month, c.day) for c, v in group}) > 1:
            continue                    # the pattern's matches disagree: trust none of them
        accepted = [(c, v) for c, v in group if v is not None]
        if accepted:
            cand, value = accepted[0]
            return Dateline(value, "text", cand.start, cand.end, text[cand.start:cand.end])
    return Dateline(None, "none")
