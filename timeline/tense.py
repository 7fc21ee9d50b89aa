"""The tense of the clause around a span: PAST, FUTURE, PRESENT or None (unknown).

A light reading, from cue words kept in ``data/en/tense.toml``: the cue nearest to the span
within its clause decides. It only has to tell a reader's "said on Tuesday" (past) from
"will meet on Tuesday" (future).
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "en" / "tense.toml"
_WINDOW = 90


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern[str], dict[str, str], dict]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    kinds: dict[str, str] = {}
    for kind in ("future", "past", "present"):
        for word in data[kind]:
            kinds.setdefault(word.lower(), kind.upper())
    words = sorted(kinds, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in words) +
                         r")(?!\w)|\b\w{3,}ed\b", re.I)
    return pattern, kinds, data


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the clause around ``[start, end)``: to the nearest sentence punctuation."""
    lo = max(0, start - _WINDOW)
    hi = min(len(text), end + _WINDOW)
    left = max(text.rfind(ch, lo, start) for ch in ".;!?\n")
    right_candidates = [i for i in (text.find(ch, end, hi) for ch in ".;!?\n") if i != -1]
    return (left + 1 if left >= 0 else lo), (min(right_candidates) if right_candidates else hi)


def tense_at(text: str, start: int, end: int) -> str | None:
    """PAST, FUTURE or PRESENT for the clause holding ``text[start:end]``, or None."""
    pattern, kinds, _ = _cues()
    lo, hi = clause(text, start, end)
    best: tuple[int, str] | None = None
    for m in pattern.finditer(text, lo, hi):
        if start <= m.start() < end:
            continue
        word = m.group(0).lower()
        kind = kinds.get(word, "PAST" if word.endswith("ed") else None)
        if kind is None:
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        # Auxiliaries decide over plain -ed words and present-tense copulas.
        weight = distance + (25 if word.endswith("ed") and word not in kinds else 0) + \
            (15 if kind == "PRESENT" else 0)
        if best is None or weight < best[0]:
            best = (weight, kind)
    return best[1] if best else None


def examples() -> list[dict]:
    """The runnable examples of the tense cue file."""
    return list(_cues()[2].get("example", []))
