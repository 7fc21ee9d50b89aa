"""Sentence splitting for news text, with character offsets into the text as given.

Rules (abbreviations, dateline and list patterns) live in ``data/en/events.toml``:
a period after a title ("Mr.", "Gen.") or an initial never ends a sentence; after another
abbreviation ("Jan.", "U.S.", "Inc.") it does only when a sentence-opening word follows.
Blank lines, list items and a dateline at the head of a line ("MOSCOW, Jan 30 (Reuters) -")
always end one; a single line break does when the line before ends a sentence or is short.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).parent / "data" / "en" / "events.toml"
_SHORT_LINE = 60
MAX_SENTENCE = 1000      # characters; longer runs are cut so that work stays linear
_CLOSERS = "\"'”’)]»"
_OPENERS = "\"'“‘([«"


class Sentence(NamedTuple):
    """``text[start:end]`` is one sentence; ``kind`` is ``text``, ``dateline`` or ``item``."""

    start: int
    end: int
    kind: str = "text"


_new_sentence = tuple.__new__


@dataclass(frozen=True, slots=True)
class _Rules:
    titles: frozenset[str]
    abbreviations: frozenset[str]
    openers: frozenset[str]
    dateline: re.Pattern[str]
    bullet: re.Pattern[str]
    examples: tuple[dict, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))["sentences"]
    return _Rules(frozenset(data["titles"]), frozenset(data["abbreviations"]),
                  frozenset(data["openers"]), re.compile(data["dateline"]),
                  re.compile(data["bullet"]), tuple(data.get("example", [])))


def examples() -> list[dict]:
    """The runnable examples of the sentence rules."""
    return list(_rules().examples)


# A candidate end: terminal punctuation, closing quotes or brackets, then space. The same as
# ``([.!?]+|…)``, written to open with one character class so that the search skips fast.
# Group 3, in a lookahead, is the word that follows (after space, opening quotes and
# brackets), so that one search finds both.
_END = re.compile(r"([.!?…](?:(?<=…)|(?<!…)[.!?]*+))([\"'”’)\]»]*)(?=\s|$)"
                  r"(?=\s*[\"'“‘(\[«`]*([A-Za-z]+|\d)?)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_DATELINE_HEAD = re.compile(r"\d|\b[A-Z]{3,}\b")


def split(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, whitespace trimmed, never empty."""
    rules = _rules()
    out: list[Sentence] = []
    for start, end, kind in _blocks(text, rules):
        _split_block(text, start, end, kind, rules, out)
    return out


def _blocks(text: str, rules: _Rules):
    """Lines grouped into blocks: paragraphs, list items, datelines (start, end, kind)."""
    pos = 0
    n = len(text)
    block_start: int | None = None
    block_end = 0
    prev_line = ""
    while pos <= n:
        nl = text.find("\n", pos)
        line_end = n if nl == -1 else nl
        line = text[pos:line_end]
        stripped = line.strip()
        if not stripped:
            if block_start is not None:
                yield block_start, block_end, "text"
                block_start = None
        else:
            start = pos
            kind = "text"
            m = rules.dateline.match(line)
            if m and _DATELINE_HEAD.search(line, 0, line.find("(")):
                if block_start is not None:
                    yield block_start, block_end, "text"
                    block_start = None
                yield pos, pos + m.end(), "dateline"
                start = pos + m.end()
                line = text[start:line_end]
                if not line.strip():
                    prev_line = ""
                    pos = line_end + 1
                    continue
            b = rules.bullet.match(line)
            if b:
                kind = "item"
                start += b.end()
            breaks = (kind == "item" or block_start is None or _line_ends(prev_line)
                      or len(prev_line.strip()) < _SHORT_LINE)
            if breaks and block_start is not None:
                yield block_start, block_end, "text"
                block_start = None
            if kind == "item":
                yield start, line_end, "item"
                prev_line = ""
            else:
                if block_start is None:
                    block_start = start
                block_end = line_end
                prev_line = line
        if nl == -1:
            break
        pos = nl + 1
    if block_start is not None:
        yield block_start, block_end, "text"


def _line_ends(line: str) -> bool:
    s = line.rstrip().rstrip(_CLOSERS)
    return bool(s) and s[-1] in ".!?:;…"


def _split_block(text: str, start: int, end: int, kind: str, rules: _Rules,
                 out: list[Sentence]) -> None:
    if kind != "text":
        _add(text, start, end, kind, out)
        return
    seg_start = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        if stop < end and not _is_boundary(text, m, end, rules):     # (the block's end is one)
            continue
        _add(text, seg_start, stop, kind, out)
        seg_start = stop
    _add(text, seg_start, end, kind, out)


def _is_boundary(text: str, m: re.Match[str], end: int, rules: _Rules) -> bool:
    stop = m.end()
    if stop >= end:
        return True
    following = m.group(3)
    if following is None:
        return False
    punct = m.group(1)
    if punct != ".":
        return following[0].isupper() or following[0].isdigit()
    if not (following[0].isupper() or following[0].isdigit()):
        return False
    if m.group(2):                       # ."  .)  a quotation or bracket closes
        return True
    stop = m.start()                     # the word can start no earlier than the last space
    start = stop - 30 if stop > 30 else 0
    space = text.rfind(" ", start, stop) + 1
    before = _WORD_BEFORE.search(text, space if space > start else start, stop)
    if before is None:
        return True
    word = before.group(1)
    low = word.lower().rstrip(".")
    if len(word) == 1 and word.isupper():          # an initial: "J. Smith"
        return False
    if low in rules.titles:
        return False
    if low in rules.abbreviations or "." in word:
        return following.lower() in rules.openers
    return True


def _add(text: str, start: int, end: int, kind: str, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE:
        # A run-on "sentence" (no punctuation) is cut at a clause mark or space.
        limit = start + MAX_SENTENCE
        cut = max(text.rfind(";", start, limit), text.rfind(",", start, limit))
        if cut <= start + MAX_SENTENCE // 2:
            cut = text.rfind(" ", start, limit)
        cut = cut + 1 if cut > start else limit
        _add(text, start, cut, kind, out)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        # tuple.__new__ makes the NamedTuple in C, without its Python-level __new__.
        out.append(_new_sentence(Sentence, (start, end, kind)))
