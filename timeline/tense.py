"""The tense of the clause around a span: PAST, FUTURE, PRESENT or None (unknown).

A light reading, from cue words kept in ``data/en/tense.toml``: the cue nearest to the span
within its clause decides, after per-kind weights. It only has to tell a reader's "said on
Tuesday" (past) from "will meet on Tuesday" (future).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Any

from .patterns import trie_regex

DATA = Path(__file__).parent / "data" / "en" / "tense.toml"
_WINDOW = 100
_KINDS = (("future_strong", "FUTURE"), ("future_weak", "FUTURE"), ("past", "PAST"),
          ("present", "PRESENT"))


@lru_cache(maxsize=1)
def _cues() -> tuple[Any, dict[str, tuple[str, int]], dict[str, Any]]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    weights = {"future_strong": data["future_strong_weight"],
               "future_weak": data["future_weak_weight"], "past": 0,
               "present": data["present_weight"]}
    kinds: dict[str, tuple[str, int]] = {}
    for table, kind in _KINDS:
        for word in data[table]:
            kinds.setdefault(word.lower(), (kind, weights[table]))
    pattern = re.compile(r"(?<![\w'])(?:" + trie_regex(kinds) + r")(?!\w)|\b\w{3,}ed\b",
                         re.IGNORECASE)
    return pattern, kinds, data


@lru_cache(maxsize=1)
def _schedule() -> re.Pattern[str]:
    """A schedule verb ending where the pattern's search ends, over the allowed words."""
    data = _cues()[2]
    between = [w for w in data["schedule_between"] if w]
    reach = int(data["schedule_reach"])
    return re.compile(r"(?<![\w'])(?:" + trie_regex(data["schedule"]) + r")"
                      r"(?:\s+\w[\w'.-]*(?<!ed)){0," + str(reach) + r"}?"
                      r"(?:\s+(?:" + trie_regex(between) + r"))?\s*$")


def _scheduled(text: str, start: int) -> bool:
    """True when a present-tense verb of a scheduled event stands right before ``start``
    ("Talks resume on Friday", "he leaves for Paris on Sunday"), not under an auxiliary or a
    negation ("did not leave Friday") and not a noun after a determiner ("the vote Friday")."""
    m = _schedule().search(text, max(0, start - 40), start)
    if m is None:
        return False
    data = _cues()[2]
    before = _previous_word(text, m.start())
    return before not in data["auxiliaries"] and before not in data["negations"] and \
        before not in data["determiners"] and not before.endswith(("'s", "’s"))


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause around ``[start, end)``: to the nearest sentence punctuation or
    quotation mark (the words of a quote and of the frame that reports it are two clauses)."""
    marks = _cues()[2]["clause_marks"]
    lo = max(0, start - _WINDOW)
    hi = min(len(text), end + _WINDOW)
    left = max((i + len(ch) for ch in marks if (i := text.rfind(ch, lo, start)) != -1),
               default=lo)
    right = min((i for ch in marks if (i := text.find(ch, end, hi)) != -1), default=hi)
    return left, right


def _previous_word(text: str, pos: int) -> str:
    head = text[max(0, pos - 12):pos].split()
    return head[-1].lower() if head else ""


def _after_determiner(text: str, pos: int, data: dict[str, Any]) -> bool:
    """A determiner right before ``pos``, or before one adverb ("a still unspecified")."""
    head = text[max(0, pos - 30):pos].lower().split()
    determiners = data["determiners"]
    if head and head[-1] in determiners:
        return True
    return len(head) >= 2 and head[-2] in determiners and \
        (head[-1].endswith("ly") or head[-1] in data["degree_adverbs"])


def tense_at(text: str, start: int, end: int) -> str | None:
    """PAST, FUTURE or PRESENT for the clause holding ``text[start:end]``, or None."""
    pattern, kinds, data = _cues()
    reporting = data["reporting"]
    auxiliaries = data["auxiliaries"]
    if _scheduled(text, start):
        return "FUTURE"
    lo, hi = clause(text, start, end)
    best: tuple[int, str] | None = None
    for m in pattern.finditer(text, lo, hi):
        if start <= m.start() < end:
            continue
        word = m.group(0).lower()
        if word not in kinds and m.group(0)[0].isupper() and m.start() > lo + 1:
            continue                        # "United", "Ahmed": a name, not a past verb
        kind, weight = kinds.get(word, ("PAST", data["past_suffix_weight"]))
        if kind == "PAST" and _previous_word(text, m.start()) in auxiliaries:
            continue
        if word not in kinds and _after_determiner(text, m.start(), data):
            continue                        # "an unspecified date": an adjective, not a verb
        distance = start - m.end() if m.end() <= start else m.start() - end
        if word in reporting and distance > data["reporting_reach"]:
            continue                        # it frames what it reports, and does not date it
        score = distance + weight
        if m.end() <= start and distance <= 1:
            return kind                     # right before it: "said Monday", "will Monday"
        if best is None or score < best[0]:
            best = (score, kind)
    return best[1] if best else None


def examples() -> list[dict[str, Any]]:
    """The runnable examples of the tense cue file."""
    return list(_cues()[2].get("example", []))
