"""Events and what dates them: sentences, triggers, attachment, labels, actors.

Method. Events are found by rules over a hand-made English lexicon
(``data/en/events.toml``), in pure Python with no tagger or parser model. Each sentence is
tokenised and every word gets a coarse tag from closed word lists (auxiliaries, modals,
prepositions, determiners, clause openers), verb forms generated from some 650 base verbs
(regular inflections plus an irregular table), a list of event nouns ("decision", "summit",
"press conference", "talks") and word endings (-ed, -ing, -tion), with the neighbouring tag
deciding noun or verb for words that can be both ("the attack" / "rebels attack"). A time
expression then dates the verb that governs it within its clause (the one after it when it
opens the clause or stands between subject and verb, else the nearest one before it), the
event noun heading the phrase it sits in ("the summit on April 24", "Friday's meeting"), and
the nearest event word on each side when no clause boundary lies between ("signed a truce on
Friday", "on Friday as they left"); the base of a comparison ("from $4 million a year
earlier") dates only its noun. A dated infinitive or participle also dates the verb it
depends on, unless that verb only expects or intends it ("began to relax in 1990", not
"expected to report on Friday"), and an aspectual verb passes its time down ("on Friday
began notifying"); a time modifying a subject dates the subject's verb ("third-quarter
profit rose"); a time in a temporal clause dates the main verb too, related by the clause's
opener ("killed when helicopters crashed last February"; "removed after Gadhafi agreed in
April" is after April); event nouns in one run of phrases with the time or a dated word
share it ("paid tribute Tuesday to the victims on a whirlwind visit"). The word before the time
(after, before, since, until, during, "in the run-up to") gives the relation; an anchor with
an offset ("two days after the vote") dates the offset day. A sentence with no time keeps one
undated event, its main clause (or the clause a reporting verb reports), placed before or
after the dateline by tense.
Labels are built from the subject phrase (names preferred; "he", "she" and "the minister"
resolved to the last named subject), the verb group and its object, cut to about 12 words.
We chose rules over a statistical pipeline because the task needs only shallow structure
around each time, rules need no model download (the project must work without spaCy), run
in about 0.3 ms of CPU per 1,000 characters compiled (0.5 as plain Python), and keep every
decision traceable to a data line with a tested example. On TimeBank/AQUAINT they link times
to events with recall 0.551 and precision 0.680 (0.565 and 0.675 with gold times; attaching
each time to the nearest *gold* event gives 0.46/0.69): short of what a parser would find in
long or nested clauses, and links that cross sentences (a quarter of the gold ones) are not
attempted.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter, sub
from pathlib import Path
from typing import NamedTuple

from .calendar import Interval, relate
from .model import Anchor, Dateline, Event, Span, TimeExpression
from .sentences import Sentence, split
from .tense import tense_at

DATA = Path(__file__).parent / "data" / "en" / "events.toml"
MAX_LABEL_WORDS = 12
TRACE: list[tuple[int, int, int, int, str]] | None = None   # set to a list to record rules
_WALK = 30           # tokens a time looks across for its verb
_LIGHT_HEADS = frozenset({"be", "have", "do", "get"})
_NOUN_WALK = 12      # tokens a time looks back across for the event noun heading its phrase
_PHRASE_GAP = 6      # words between an event noun and the time or word it shares a phrase with

# Coarse tags: V verb head, AUX, MD modal, NEG, TO, DT determiner, IN preposition, CC, WH
# clause opener, PRP pronoun, POS possessive 's, NE event noun, NNP name, W other word,
# JJ participle used as adjective, RB adverb, CD number, P punctuation, TX time or anchor.
_NP_TAGS = frozenset({"DT", "W", "NNP", "NE", "POS", "CD", "JJ"})
_BARRIERS = frozenset({";", ":", "--", "—", "–", "(", ")", "[", "]"})
_QUOTES = frozenset({'"', "“", "”", "``", "''", "'", "‘", "’"})
_STOP_LABEL = frozenset({",", ";", ":", "--", "—", "–", "(", ")", "[", "]", '"', "“", "”",
                         "``", "''", "!", "?", "."})
_TEXT = attrgetter("text")
_TRIM = frozenset({"IN", "DT", "CC", "TO", "POS", "WH", "AUX", "MD", "NEG"})

# A token with the spaces before it: the matches tile the text, so that offsets follow from
# their lengths alone. The first branch is a fast path for a plain word (the token the ``\w``
# branch would give it); the others each open with a character class.
_TOKEN = re.compile(
    r"\s*+(?:[A-Za-z]++(?![\w.&/-])"                                # said  the  Moscow
    r"|\d\d*+(?:[.,:]\d+)+%?"                                      # 18.375  1,000  5:30
    r"|[A-Za-z]\.(?:[A-Za-z]\.)+(?:-\w+)*"                         # U.S.  a.m.  U.S.-led
    r"|\w\w*+(?:[-&/](?:(?:[A-Za-z]\.){2,}|\w+))*"                # Russia-U.S.  pre-election
    r"|['’]\w+|``|''|--|\S)")                                    # 's  ``  ''  --  any other


@dataclass(slots=True, init=False)
class _Tok:
    """A token. Made by ``_tag`` with ``_Tok()`` and attribute stores, which skips calling an
    ``__init__`` (a fifth of the cost of making one); every field is set there."""

    text: str
    low: str
    start: int
    end: int
    tag: str = "W"
    base: str = ""
    form: str = ""        # past | base | s | ing (verbs)
    weak: bool = False    # an event noun by ending or verb form only: rarely an event


@dataclass(frozen=True, slots=True)
class _Lexicon:
    closed: dict[str, str]
    verbs: dict[str, tuple[str, str]]
    reporting: frozenset[str]
    light: frozenset[str]
    aspectual: frozenset[str]
    intended: frozenset[str]
    nouns: frozenset[str]
    compounds: dict[str, tuple[tuple[str, ...], ...]]
    not_verbs: frozenset[str]
    not_events: frozenset[str]
    suffixes: tuple[str, ...]
    suffix_min: int
    roles: frozenset[str]
    titles: frozenset[str]
    descriptors: frozenset[str]
    not_persons: frozenset[str]
    organisations: frozenset[str]
    person_pronouns: frozenset[str]
    copulas: dict[str, tuple[str, str]]
    adjectives: frozenset[str]
    phrasal: frozenset[tuple[str, str]]
    causative: frozenset[str]
    transitive: frozenset[str]
    adverbs: frozenset[str]
    signals: tuple[tuple[tuple[str, ...], str], ...]
    abbreviations: frozenset[str]
    temporal_openers: frozenset[str]
    clause_relations: dict[str, str]
    name_particles: frozenset[str]
    moves: frozenset[str]
    tense_auxiliaries: dict[str, frozenset[str]]
    phrasal_first: frozenset[str]
    signal_ends: dict[str, tuple[tuple[tuple[str, ...], str], ...]]
    words: dict = field(repr=False, compare=False)      # low -> _Word, filled as words come
    comparison: frozenset[str]
    data: dict = field(repr=False)


def _inflect(base: str) -> dict[str, str]:
    """Regular forms of a verb: base, -s, -ed, -ing."""
    if base.endswith("e") and not base.endswith(("ee", "ye", "oe")):
        ing, ed = base[:-1] + "ing", base + "d"
    elif base.endswith("ie"):
        ing, ed = base[:-2] + "ying", base + "d"
    elif re.search(r"[^aeiou]y$", base):
        ing, ed = base + "ing", base[:-1] + "ied"
    elif re.search(r"(?:^|[^aeiou])[aeiou][bdgmnprt]$", base) and len(base) <= 4 or \
            base in ("commit", "admit", "permit", "submit", "regret", "refer", "prefer",
                     "occur", "deter", "defer", "control", "patrol", "compel", "expel",
                     "repel", "kidnap", "equip", "transfer", "confer", "omit", "emit"):
        ing, ed = base + base[-1] + "ing", base + base[-1] + "ed"
    else:
        ing, ed = base + "ing", base + "ed"
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        s = base + "es"
    elif re.search(r"[^aeiou]y$", base):
        s = base[:-1] + "ies"
    else:
        s = base + "s"
    return {base: "base", s: "s", ed: "past", ing: "ing"}


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    words = data["words"]
    closed: dict[str, str] = {}
    for key, tag in (("prepositions", "IN"), ("determiners", "DT"), ("conjunctions", "CC"),
                     ("subordinators", "WH"), ("pronouns", "PRP"), ("adverbs", "RB"),
                     ("negations", "NEG"), ("modals", "MD"), ("auxiliaries", "AUX")):
        for w in words[key]:
            closed[w] = tag
    closed["to"] = "TO"
    closed["'s"] = "POS"
    closed["’s"] = "POS"
    verbs: dict[str, tuple[str, str]] = {}
    for base in data["verbs"]["regular"]:
        for form, kind in _inflect(base).items():
            verbs.setdefault(form, (base, kind))
    for line in data["verbs"]["irregular"]:
        base, past, participle = line.split()
        forms = _inflect(base)
        forms = {f: k for f, k in forms.items() if k != "past"}
        forms[past] = "past"
        forms[participle] = "past"
        for form, kind in forms.items():
            verbs[form] = (base, kind)
    nouns: set[str] = set()
    compounds: dict[str, list[tuple[str, ...]]] = {}
    for entry in data["nouns"]["events"]:
        parts = tuple(entry.split())
        nouns.add(parts[-1])
        if len(parts) > 1:
            compounds.setdefault(parts[-1], []).append(parts[:-1])
    signals = []
    for relation, phrases in data["signals"].items():
        if relation == "example":
            continue
        for phrase in phrases:
            signals.append((tuple(phrase.split()), relation))
    signals.sort(key=lambda s: -len(s[0]))
    short = frozenset(w for w in data["sentences"]["titles"] + data["sentences"]["abbreviations"]
                      if "." not in w and w.isalpha())
    return _Lexicon(
        closed=closed, verbs=verbs, reporting=frozenset(data["verbs"]["reporting"]),
        light=frozenset(data["verbs"]["light"]), nouns=frozenset(nouns),
        aspectual=frozenset(data["verbs"]["aspectual"]),
        intended=frozenset(data["verbs"]["intended"]),
        compounds={k: tuple(v) for k, v in compounds.items()},
        not_verbs=frozenset(words["not_verbs"]), not_events=frozenset(data["nouns"]["not_events"]),
        suffixes=tuple(data["nouns"]["suffixes"]),
        suffix_min=int(data["nouns"]["suffix_min_length"]),
        roles=frozenset(data["nouns"]["roles"]), titles=frozenset(data["nouns"]["titles"]),
        descriptors=frozenset(data["nouns"]["descriptors"]),
        not_persons=frozenset(data["nouns"]["not_persons"]),
        organisations=frozenset(data["nouns"]["organisations"]),
        person_pronouns=frozenset(words["person_pronouns"]),
        copulas={w: ("be" if w in ("is", "are", "was", "were", "am", "be", "been", "being",
                                   "'re", "'m") else "have", "past" if w in (
                     "was", "were", "had", "been") else "base") for w in words["auxiliaries"]},
        causative=frozenset(data["verbs"]["causative"]),
        transitive=frozenset(data["verbs"]["reporting_with_object"]),
        adjectives=frozenset(data["nouns"]["adjectives"]),
        phrasal=frozenset(tuple(p.split()[:2]) for p in data["nouns"]["prepositions"]),
        adverbs=frozenset(words["adverbs"]), signals=tuple(signals), abbreviations=short,
        temporal_openers=frozenset(words["temporal_openers"]),
        clause_relations=dict(words["clause_relations"]),
        name_particles=frozenset(words["name_particles"]), moves=frozenset(words["moves"]),
        tense_auxiliaries={k: frozenset(v) for k, v in words["tense_auxiliaries"].items()},
        phrasal_first=frozenset(p.split()[0] for p in data["nouns"]["prepositions"]), words={},
        signal_ends={w: tuple(s for s in signals if s[0][-1] == w)
                     for w in {s[0][-1] for s in signals}},

        comparison=frozenset(words["comparison"]),
        data=data)


def lexicon_data() -> dict:
    """The parsed ``events.toml`` (for the tests that run its examples)."""
    return _lexicon().data


# --- tokens and tags ------------------------------------------------------------------------

def _tokens(text: str, start: int, end: int,
            lex: _Lexicon) -> tuple[list[str], list[str], list[int], list[int]]:
    """The tokens of ``text[start:end]`` as lists: texts, lower case, starts and ends (``_tag``
    makes the token objects)."""
    # Whole lists at a time (offsets are running sums of the match lengths); Python code per
    # token only where an abbreviation takes its period or "n't" is split off.
    pieces = _TOKEN.findall(text, start, end)
    ends = list(accumulate(map(len, pieces), initial=start))
    del ends[0]
    words = list(map(str.lstrip, pieces))
    starts = list(map(sub, ends, map(len, words)))
    lows = list(map(str.lower, words))
    abbr = lex.abbreviations
    if words and words[-1] == "." and text.count(".", start, end) == 1:
        # Most sentences' one period is their last token: taken only after an abbreviation.
        if len(words) > 1 and lows[-2] in abbr:
            _take_periods(words, lows, starts, ends, abbr)
    elif "." in words and (words[-1] != "." or words.count(".") > 1
                           or len(words) > 1 and lows[-2] in abbr):
        _take_periods(words, lows, starts, ends, abbr)
    if (text.find("'", start, end) >= 0 or text.find("’", start, end) >= 0) and \
            not _NT.isdisjoint(lows):
        _split_nt(text, words, lows, starts, ends)
    return words, lows, starts, ends


def _new_tok(text: str, low: str, start: int, end: int, tag: str) -> _Tok:
    t = _Tok()
    t.text, t.low, t.start, t.end, t.tag, t.base, t.form, t.weak = \
        text, low, start, end, tag, "", "", False
    return t


def _take_periods(words: list[str], lows: list[str], starts: list[int], ends: list[int],
                  abbr: frozenset[str]) -> None:
    """Mr.  Jan.  Gen.: an abbreviation takes the period right after it (in place)."""
    k = -1
    for _ in range(words.count(".")):
        k = words.index(".", k + 1)
        p = k - 1
        if p >= 0 and starts[k] == ends[p] and lows[p] in abbr:
            words[p] += "."
            lows[p] += "."
            ends[p] += 1
            del words[k], lows[k], starts[k], ends[k]
            k = p


def _split_nt(text: str, words: list[str], lows: list[str], starts: list[int],
              ends: list[int]) -> None:
    """do|n't: the "n" goes from the word before to the "'t" after it (in place)."""
    for k in range(1, len(lows)):
        if lows[k] in _NT and lows[k - 1][-1:] == "n" and len(lows[k - 1]) > 1 and \
                ends[k - 1] == starts[k]:           # not a lone "n" ("said n't"), no space
            words[k - 1], lows[k - 1] = words[k - 1][:-1], lows[k - 1][:-1]
            ends[k - 1] -= 1
            s = starts[k] - 1
            words[k], lows[k], starts[k] = text[s:ends[k]], "n't", s


_NT = frozenset({"'t", "’t"})


@dataclass(frozen=True, slots=True)
class _Word:
    """What the lexicon says of one lower-case word, whatever its context."""

    closed: str | None              # closed-class tag
    verb: tuple[str, str] | None    # (base, form)
    verb_ok: bool                   # a verb form not listed as never a verb
    noun: bool                      # listed event noun
    noun_any: bool                  # listed event noun, or its plural
    noun_stem: bool                 # "talks" -> "talk" is listed
    adjective: bool
    phrasal: bool                   # first word of a two-word preposition
    tail: str                       # tag when no verb reading applies: NE, NEw, W, ED, ING, RB
    fixed: str | None               # the tag whatever the context (most closed words, numbers)
    plain: str | None               # the tag in lower case after anything but TO or MD, for
    #                                 an open-class word with no verb, adjective or two-word
    #                                 preposition reading whose ending says W, NE or RB


def _word(low: str, lex: _Lexicon) -> _Word:
    info = lex.words.get(low)
    if info is None:
        nouns = lex.nouns
        noun_any = low in nouns or low[-1:] == "s" and (low[:-1] in nouns or low[:-2] in nouns)
        if noun_any:
            tail = "NE"
        elif low in lex.not_verbs or low in lex.not_events:
            tail = "W"
        elif low.endswith("ed") and len(low) > 4:
            tail = "ED"
        elif low.endswith("ing") and len(low) > 5:
            tail = "ING"
        elif low.endswith("ly") and len(low) > 4:
            tail = "RB"
        elif len(low) >= lex.suffix_min and low.rstrip("s").endswith(lex.suffixes):
            tail = "NEw"
        else:
            tail = "W"
        verb = lex.verbs.get(low)
        closed = lex.closed.get(low)
        if closed is not None:
            fixed = None if closed in ("POS", "IN", "AUX") or low == "that" else closed
        elif low and not low[0].isalpha():
            fixed = "CD" if low[0].isdigit() else "P"
        else:
            fixed = None
        verb_ok = verb is not None and low not in lex.not_verbs
        adjective = low in lex.adjectives
        phrasal = low in lex.phrasal_first
        plain = tail if closed is None and fixed is None and not (
            verb_ok or adjective or phrasal) and tail in ("W", "NE", "RB") else None
        info = _Word(closed, verb, verb_ok, low in nouns, noun_any, low[:-1] in nouns,
                     adjective, phrasal, tail, fixed, plain)
        if len(lex.words) < 200_000:
            lex.words[low] = info
    return info


def _tag(texts: list[str], lows: list[str], starts: list[int], ends: list[int], tx: set[int],
         lex: _Lexicon, pool: list[_Tok]) -> tuple[list[_Tok], list[int]]:
    """The tokens, each with its coarse tag (``tx``: the indices inside a time), and the finite
    verbs (past or -s forms). A token looks ahead at the lists, back at the tokens made.

    The token objects come from ``pool``, the tokens of the document's previous sentences:
    nothing keeps a token once its sentence is done (events hold strings and numbers), and
    setting the fields of an object costs less than making and freeing one. Every field is
    set here."""
    prev = "P"
    n = len(lows)
    finite: list[int] = []
    if len(pool) < n:
        pool.extend([_Tok() for _ in range(n - len(pool))])
    toks = pool[:n]
    # What the lexicon says of each word, looked up for the whole list at once (None for a
    # word not seen yet).
    infos = list(map(lex.words.get, lows))
    for i, low in enumerate(lows):
        t = toks[i]
        t.text = text = texts[i]
        t.low = low
        t.start = starts[i]
        t.end = ends[i]
        t.base = t.form = ""
        t.weak = False
        if tx and i in tx:
            t.tag = "TX"
            # A time inside a noun phrase ("his pre-election promises") or hyphenated before
            # a noun ("release third-quarter results") acts as a modifier.
            prev = "JJ" if prev in ("DT", "POS", "JJ") or "-" in text else "TX"
            continue
        w = infos[i] or _word(low, lex)
        tag = w.fixed
        if tag is not None:
            t.tag = prev = tag
            continue
        tag = w.closed
        if tag is not None:
            if tag == "POS" and (prev == "PRP" or prev == "WH"):
                tag = "AUX"
            elif tag == "IN":
                if prev == "DT":
                    tag = "JJ"                     # "the past two months"
            elif low == "that" and prev in ("IN", "V") and i + 1 < n and \
                    lows[i + 1] in lex.nouns:
                tag = "DT"
            elif tag == "AUX" and not _aux_followed(texts, lows, tx, i, lex):
                tag = "V"
                t.base, t.form = w.verb or lex.copulas.get(low, (low, "base"))
                if t.form == "past" or t.form == "s":
                    finite.append(i)
            t.tag = prev = tag
            continue
        capital = text[0].isupper()      # a letter: numbers and punctuation are fixed above
        if w.plain is not None and not capital and prev != "TO" and prev != "MD":
            t.tag = prev = w.plain                   # the most common case, decided early
            continue
        if w.phrasal and i + 1 < n and (low, lows[i + 1]) in lex.phrasal:
            t.tag = prev = "IN"                      # "compared with", "according to"
            continue
        if w.adjective and not capital:
            t.tag = prev = "NE"                      # "due", "payable": dated states
            continue
        verb = w.verb
        initial = prev == "P" and (i == 0 or texts[i - 1] in _QUOTES or
                                   texts[i - 1] in _BARRIERS)
        if capital and not initial and (verb is None or i == 0 or toks[i - 1].tag != "TO"):
            t.tag = "NNP"
        elif w.verb_ok and verb is not None:         # (verb_ok implies a verb reading)
            base, form = verb
            nounish = w.noun or (form == "ing" and not capital)
            if prev in ("DT", "POS", "JJ", "CD"):
                t.tag = "JJ" if form == "past" and not w.noun else "NE"
                t.weak = not nounish
            elif prev in ("NNP", "W", "NE") and form == "base" and not nounish and (
                    prev == "NNP" or lows[i - 1].endswith("s")):
                t.tag, t.base, t.form = "V", base, form       # "officials say"
            elif prev in ("NNP", "W", "NE") and form in ("base", "ing"):
                t.tag = "NE" if nounish else "W"
            elif prev == "IN" and form != "ing":
                t.tag = "NE" if form != "past" else "JJ"
                t.weak = not nounish
            elif prev == "V" and form in ("base", "s") and toks[i - 1].base not in lex.causative:
                t.tag = "NE" if nounish else "W"
            elif form == "s" and i + 1 < n and _noun_before_verb(lows[i + 1], prev, lex):
                t.tag = "NE" if nounish or w.noun_stem else "W"
            else:
                t.tag, t.base, t.form = "V", base, form
                if form == "past" or form == "s":
                    finite.append(i)
        elif capital and initial and (i + 1 < n and texts[i + 1][:1].isupper()
                                      or not w.noun):
            t.tag = "NNP"
        elif prev in ("TO", "MD") and not capital and not w.noun and not (
                prev == "TO" and low[-1:] == "s" and low[-2:] != "ss"):   # "to shareholders"
            t.tag, t.base, t.form = "V", low, "base"
        else:
            tail = w.tail
            if tail == "ED":
                if prev in ("DT", "POS"):
                    t.tag = "JJ"
                else:
                    t.tag, t.base, t.form = "V", low, "past"
                    finite.append(i)
            elif tail == "ING":
                if prev in ("DT", "POS", "JJ", "W", "NNP"):
                    t.tag = "NE"
                    t.weak = True
                else:
                    t.tag, t.base, t.form = "V", low, "ing"
            elif tail == "NEw":
                t.tag = "NE"
                t.weak = True
            else:
                t.tag = tail
        prev = t.tag
    return toks, finite


def _noun_before_verb(nxt: str, prev: str, lex: _Lexicon) -> bool:
    """An -s form is a plural noun before an auxiliary or a past verb ("prices rose")."""
    if lex.closed.get(nxt) in ("AUX", "MD"):
        return True
    verb = lex.verbs.get(nxt)
    return verb is not None and verb[1] == "past" and prev in ("W", "NE", "JJ")


def _aux_followed(texts: list[str], lows: list[str], tx: set[int], i: int,
                  lex: _Lexicon) -> bool:
    """True when the auxiliary at ``i`` is followed (over adverbs) by a verb form."""
    n = len(lows)
    for j in range(i + 1, i + 4 if i + 4 < n else n):
        low = lows[j]
        tag = lex.closed.get(low)
        if tag in ("RB", "NEG") or texts[j] in _QUOTES or j in tx:
            continue
        if tag in ("AUX", "TO"):
            return True
        verb = lex.verbs.get(low)
        if verb is not None:
            return verb[1] in ("past", "ing") or lows[i] in ("do", "does", "did")
        return low.endswith(("ed", "ing")) and len(low) > 4
    return False


def _group_start(toks: list[_Tok], h: int) -> int:
    """First token of the verb group whose head is ``h`` (auxiliaries, modals, adverbs)."""
    g = h
    j = h - 1
    while j >= 0:
        t = toks[j]
        if t.tag in ("AUX", "MD", "NEG", "TO"):
            g = j
        elif t.tag in ("RB", "TX") or t.text in _QUOTES:
            pass
        elif t.tag == "CC" and j > 0 and toks[j - 1].tag in ("MD", "AUX") and g == j + 1:
            pass
        else:
            break
        j -= 1
    return g


# --- attachment -----------------------------------------------------------------------------

def _is_head(toks: list[_Tok], i: int) -> bool:
    return toks[i].tag == "V"


def _clause_initial(toks: list[_Tok], a: int) -> bool:
    """True when only prepositions, determiners and adverbs precede ``a`` in its clause."""
    j = a - 1
    while j >= 0:
        t = toks[j]
        if t.text == "," or t.text in _BARRIERS or t.tag in ("CC", "WH") or t.text in _QUOTES:
            return True
        if t.tag not in ("IN", "DT", "RB", "CD", "TX") and t.low not in ("early", "late"):
            return False
        j -= 1
    return True


def _verb_left(toks: list[_Tok], a: int) -> int | None:
    for j in range(a - 1, a - 1 - _WALK if a > _WALK else -1, -1):
        t = toks[j]
        if t.text in _BARRIERS:
            return None
        if t.tag == "V":                           # (what _is_head tests)
            return _upper(toks, j)
    return None


def _upper(toks: list[_Tok], j: int) -> int:
    """A bare participle dates the verb it complements: "was found clinging" -> found."""
    if toks[j].form == "ing" and j > 0 and toks[j - 1].tag == "V":
        return j - 1
    return j


def _verb_right(toks: list[_Tok], b: int) -> int | None:
    j = b
    n = len(toks)
    limit = min(n, b + _WALK)
    while j < limit:
        t = toks[j]
        if t.text in _BARRIERS:
            return None
        if t.text == "," and j + 1 < n and toks[j + 1].low in ("which", "who", "whose"):
            k = j + 1
            while k < n and toks[k].text != ",":
                k += 1
            j = k + 1
            continue
        if t.tag == "V":                           # (what _is_head tests)
            if j == b and t.form in ("past", "ing") and j + 1 < n and toks[j + 1].tag in (
                    "NNP", "CD", "TX"):
                j += 1                         # "the year ended July 2, Rally had ..."
                continue
            return j
        j += 1
    return None


def _preverbal(toks: list[_Tok], a: int, b: int) -> int | None:
    """The verb head right after a time standing before its verb ("Clinton Saturday vowed")."""
    j = b
    n = len(toks)
    if a > 0 and toks[a - 1].tag == "IN":
        return None
    while j < n and (toks[j].text in _QUOTES or toks[j].tag in ("RB", "AUX", "MD", "NEG")):
        j += 1
    if j < n and j < b + 4 and _is_head(toks, j):
        return j
    return None


def _coordinated(toks: list[_Tok], v: int, step: int) -> int | None:
    """The verb joined to ``v`` by "and"/"or" ("killed three and wounded six")."""
    j = v + step
    seen_cc = False
    n = len(toks)
    while 0 <= j < n and abs(j - v) < 20:
        t = toks[j]
        if t.text in _BARRIERS or t.tag in ("WH", "TX") or t.text == "," and not seen_cc and not (
                0 <= j + step < n and toks[j + step].tag == "CC"):
            return None
        if t.tag == "CC" and t.low in ("and", "or", "but"):
            seen_cc = True
        elif t.tag == "V":
            return j if seen_cc and t.form == toks[v].form else None
        j += step
    return None


def _predicate(toks: list[_Tok], v: int, b: int, lex: _Lexicon) -> int | None:
    """What a copula says of its subject: "is payable", "were net losers", "is much lower",
    "were down 25 cents"."""
    for k in range(v + 1, min(len(toks), v + 5)):
        t = toks[k]
        if t.low in lex.moves and k + 1 < len(toks) and (
                toks[k + 1].tag in ("CD", "RB") or toks[k + 1].text in ("$", "%")):
            return k                           # "shares were down 25 cents"
        if t.tag in ("RB", "DT", "NEG") or t.text in _QUOTES:
            continue
        if t.tag in ("W", "NE", "JJ") and t.text[:1].isalpha():
            while k + 1 < len(toks) and toks[k + 1].tag in ("W", "NE") and k + 1 < b:
                k += 1
            return k
        return None
    return None


def _noun_before(toks: list[_Tok], a: int) -> int | None:
    """The event noun heading the phrase the time sits in ("the summit on April 24")."""
    for j in range(a - 1, a - 1 - _NOUN_WALK if a > _NOUN_WALK else -1, -1):
        t = toks[j]
        if t.tag == "NE":
            return j
        if t.tag not in _NP_TAGS and t.tag not in ("IN", "RB") and t.text not in (
                "-", "&", "$", "%") and not (t.text == "," and (toks[j + 1].tag in ("CC", "CD")
                                                              or j > 0 and toks[j - 1].tag == "W")):
            return None
    return None


def _noun_after(toks: list[_Tok], a: int, b: int) -> int | None:
    """The noun a time modifies from before ("Friday's meeting", "fourth-quarter results")."""
    j = b
    n = len(toks)
    if j < n and toks[j].tag == "POS":
        j += 1
    elif a > 0 and toks[a - 1].tag == "IN":
        return None
    head = None
    for k in range(j, min(n, j + 4)):
        tag = toks[k].tag
        if tag in ("NE", "W") and toks[k].text[:1].isalpha():
            head = k
        elif tag not in ("JJ", "NNP", "CD") and toks[k].text != "-" or head is not None:
            break
    if head is not None:
        while head + 1 < n and toks[head + 1].tag in ("NE", "W") and \
                toks[head + 1].text[:1].isalpha():
            head += 1                                  # "the 1959 trade embargo"
    return head


def _attach(toks: list[_Tok], a: int, b: int, lex: _Lexicon) -> list[tuple[int, str]]:
    """(token index, rule) of the triggers the time at tokens ``[a, b)`` dates."""
    noun = _noun_before(toks, a)
    if _comparison(toks, a, lex):
        out = [(noun, "comparison")] if noun is not None else []
    else:
        out = _attach_rules(toks, a, b, lex, noun)
    if TRACE is not None:
        TRACE.extend((toks[k].start, toks[k].end, toks[a].start, toks[b - 1].end, r)
                     for k, r in out)
    return out


def _attach_rules(toks: list[_Tok], a: int, b: int, lex: _Lexicon,
                  noun: int | None) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    if noun is not None:
        out.append((noun, "event_noun"))
    after = _noun_after(toks, a, b)
    if after is not None:
        out.append((after, "event_noun_after"))
        if after + 1 < len(toks) and toks[after + 1].tag == "V" and \
                toks[after + 1].form in ("past", "s"):
            out.append((after + 1, "modified_subject"))   # "third-quarter profit rose"
    verb = _preverbal(toks, a, b)
    rule = "preverbal"
    if verb is None and b < len(toks) and toks[b].tag == "V" and toks[b].form in ("past", "s") \
            and a > 1 and toks[a - 1].tag == "IN" and toks[a - 2].tag in ("W", "NE"):
        verb, rule = b, "subject_verb"            # "net income in the third quarter jumped"
    if verb is None:
        if _clause_initial(toks, a):
            verb, rule = _verb_right(toks, b), "clause_initial"
            if verb is None:
                verb, rule = _verb_left(toks, a), "governing_verb"
        else:
            verb, rule = _verb_left(toks, a), "governing_verb"
            if verb is None:
                verb, rule = _verb_right(toks, b), "following_verb"
    if verb is not None and toks[verb].base == "be":
        pred = _predicate(toks, verb, b, lex)
        if pred is not None:
            verb, rule = pred, "predicate"
    if verb is not None and (after is None or verb > after):
        out.append((verb, rule))
        if verb > a:
            other = _coordinated(toks, verb, 1)
            if other is not None:
                out.append((other, "coordinated"))
        if toks[verb].tag == "V":
            out.extend((k, "chained") for k in _chained(toks, verb, lex))
            if rule == "governing_verb":
                main = _clause_main(toks, verb, lex)
                if main is not None:
                    out.append(main)
    taken = {k for k, _ in out}
    for step in (-1, 1):
        k = _side(toks, a, b, step, lex)
        if k is not None and toks[k].base not in lex.reporting and k not in taken:
            out.append((k, "nearest_left" if step < 0 else "nearest_right"))
            taken.add(k)
    if not out:
        nearest = _nearest(toks, a, b, set(), len(toks))
        if nearest is not None:
            out.append((nearest, "nearest"))
            taken.add(nearest)
    out.extend((k, "same_phrase") for k in _same_phrase(toks, a, b, taken))
    return out


def _clause_main(toks: list[_Tok], v: int, lex: _Lexicon) -> tuple[int, str] | None:
    """(main verb, rule) when the dated verb ``v`` heads a temporal clause: "73 soldiers were
    killed when two helicopters crashed last February" dates the killing too, "was removed
    from the list after Gadhafi agreed in April" dates the removal after April; a clause
    opening the sentence dates the first verb after its comma. The rule,
    ``temporal_clause_<opener>``, names the relation (after, before, until; else on)."""
    n = len(toks)
    j = v - 1
    while j > 0 and toks[j].tag not in ("V", "WH") and toks[j].text != "," and \
            toks[j].text not in _BARRIERS and toks[j].low not in lex.temporal_openers:
        j -= 1
    if j == 0 and toks[0].low in lex.temporal_openers:
        k = v + 1                              # "When the boat sank in November, ten died"
        while k < n and toks[k].text != "," and toks[k].text not in _BARRIERS:
            k += 1
        k += 1
        while k < n and toks[k].tag != "V" and toks[k].text != "," and \
                toks[k].text not in _BARRIERS and k - v < _WALK:
            k += 1
        return (k, "temporal_clause_" + toks[0].low) if k < n and toks[k].tag == "V" else None
    if j <= 0 or toks[j].low not in lex.temporal_openers:
        return None
    k = j - 1
    while k >= 0 and toks[k].tag != "V" and toks[k].text != "," and \
            toks[k].text not in _BARRIERS and v - k < _WALK:
        k -= 1
    if k < 0 or toks[k].tag != "V":
        return None
    return k, "temporal_clause_" + toks[j].low


def _chained(toks: list[_Tok], v: int, lex: _Lexicon) -> list[int]:
    """Verbs joined to the dated verb ``v`` by an infinitive or a participle: the verb above
    it ("began to relax in the early 1990s", not "expected to report on Friday") and, under
    an aspectual verb, the verb below it ("on Friday began notifying customers")."""
    out = []
    n = len(toks)
    g = _group_start(toks, v)
    if toks[g].tag == "TO":
        j = g - 1
    elif toks[v].form == "ing" and g == v:
        j = v - 1
    else:
        j = -1
    while j >= 0 and toks[j].tag in ("RB", "NEG"):
        j -= 1
    if j >= 0 and toks[j].tag == "V" and toks[j].base not in lex.intended:
        out.append(j)
    if toks[v].base not in lex.aspectual:
        return out
    j = v + 1
    while j < n and toks[j].tag in ("RB", "NEG"):
        j += 1
    form = "ing"
    if j < n and toks[j].tag == "TO":
        form = "base"
        j += 1
        while j < n and toks[j].tag in ("RB", "NEG"):
            j += 1
    if j < n and toks[j].tag == "V" and toks[j].form == form:
        out.append(j)
    return out


def _same_phrase(toks: list[_Tok], a: int, b: int, taken: set[int]) -> list[int]:
    """Event nouns in one run of phrases with the time or with a word it dates: no verb, comma,
    conjunction or clause opener between, at most ``_PHRASE_GAP`` words away ("paid tribute
    Tuesday to bombing victims on a whirlwind visit", "ten days before the shooting"). Not a
    noun that opens another clause ("said its profit rose") nor one past a dated word on the
    far side of the time ("discussed the potentials of cooperation")."""
    n = len(toks)
    out: list[int] = []
    for left in (True, False):
        edges = [k for k in taken if (k < a) == left]
        edges.append(a if left else b - 1)
        if left:
            lo = min(edges) - _PHRASE_GAP - 1
            span = range(lo if lo > 0 else 0, a)
        else:
            hi = max(edges) + _PHRASE_GAP + 2
            span = range(b, hi if hi < n else n)
        for k in span:
            if toks[k].tag != "NE" or k in taken:
                continue
            c, far = -1, n
            for e in edges:                        # the nearest edge, the first on a tie
                d = e - k if e > k else k - e
                if d < far:
                    c, far = e, d
            if far - 1 > _PHRASE_GAP or not left and c < k and c != b - 1:
                continue
            j = k + 1
            while j < n and toks[j].tag in _NP_TAGS:
                j += 1
            if j < n and toks[j].tag in ("V", "AUX", "MD") and j not in taken and \
                    not a <= j < b:
                continue
            for t in (toks[c + 1:k] if c < k else toks[k + 1:c]):
                if t.tag in ("V", "CC", "WH") or t.text == "," or t.text in _BARRIERS:
                    break
            else:
                out.append(k)
    return out


def _comparison(toks: list[_Tok], a: int, lex: _Lexicon) -> bool:
    """True for the base of a comparison: "from $4 million, or 24 cents a share, a year
    earlier", "compared with a loss of $9.7 million a year ago"."""
    amount = False
    for j in range(a - 1, a - 16 if a > 15 else -1, -1):
        t = toks[j]
        if t.text in _BARRIERS or t.tag in ("V", "WH", "CC"):
            return False
        if t.text in ("$", "%") or t.tag == "CD" or t.low in ("cents", "percent"):
            amount = True
        elif t.low in lex.comparison and amount:
            return True
    return False


def _side(toks: list[_Tok], a: int, b: int, step: int, lex: _Lexicon) -> int | None:
    """The nearest event word on one side of tokens ``[a, b)``, when no clause boundary is
    between: left, no comma or clause opener; right, an event noun across one comma at most,
    a verb with no comma, or the verb of a temporal clause ("Friday as he stood")."""
    j = a - 1 if step < 0 else b
    commas = 0
    opener = None
    n = len(toks)
    while 0 <= j < n:
        t = toks[j]
        if t.text in _BARRIERS or t.tag == "TX":
            return None
        if t.text == ",":
            commas += 1
        elif t.tag == "WH" or t.low in lex.temporal_openers:
            opener = opener or t.low
        elif t.tag in ("V", "NE") and t.base not in _LIGHT_HEADS and not t.weak:
            break
        j += step
    else:
        return None
    if step < 0:
        return j if commas == 0 and opener is None else None
    if opener is None:
        return j if commas == 0 or commas == 1 and toks[j].tag == "NE" else None
    return j if opener in lex.temporal_openers and commas <= 1 and toks[j].tag == "V" else None


def _nearest(toks: list[_Tok], a: int, b: int, taken: set[int], limit: int) -> int | None:
    """The verb or event noun nearest to tokens ``[a, b)``, copulas and ``taken`` aside."""
    best = None
    for j in range(max(0, a - limit), min(len(toks), b + limit)):
        t = toks[j]
        if t.tag in ("V", "NE") and not a <= j < b and j not in taken and \
                t.base not in _LIGHT_HEADS:
            d = a - j if j < a else j - b
            if best is None or d < best[0]:
                best = (d, j)
    return best[1] if best is not None else None


def _relation(toks: list[_Tok], a: int, lex: _Lexicon, kind: str) -> str:
    """on, after, before, since, until or during, from the words right before token ``a``."""
    if a == 0:
        return "on"
    candidates = lex.signal_ends.get(toks[a - 1].low)
    if not candidates:
        return "on"
    words = [t.low for t in toks[max(0, a - 5):a]]
    for phrase, relation in candidates:
        k = len(phrase)
        if k <= len(words) and tuple(words[-k:]) == phrase:
            if relation == "during" and phrase in (("for",), ("within",)) and kind != "DURATION":
                return "on"
            return relation
    return "on"


# --- actors and labels ------------------------------------------------------------------------

@dataclass(slots=True)
class _People:
    """Names seen so far: full names by surname, and the last person who was a subject."""

    by_surname: dict[str, str] = field(default_factory=dict)
    last_subject: str | None = None
    sentence_name: str | None = None


def _join(toks: list[_Tok], text: str) -> str:
    """Tokens as one string: the text's own single spaces, else one space."""
    if not toks:
        return ""
    if len(toks) == 1:                             # what the general case gives for one
        word = toks[0].text
        return word if " " not in word else word.replace("\n", " ")
    whole = text[toks[0].start:toks[-1].end]
    if sum(map(len, map(_TEXT, toks))) + whole.count(" ") == len(whole) and "  " not in whole:
        return whole                               # the tokens are one run of the text
    parts: list[str] = []
    prev: _Tok | None = None
    for t in toks:
        if prev is not None:
            gap = text[prev.end:t.start]
            parts.append(gap if prev.end <= t.start and not gap.strip() and len(gap) < 3 else
                         ("" if t.tag == "POS" else " "))
        parts.append(t.text)
        prev = t
    return "".join(parts).replace("\n", " ")


def _glue(toks: list[_Tok]) -> str:
    """Tokens as they stood: no space where the text had none ("nation's")."""
    if len(toks) == 1:
        return toks[0].text
    out = [toks[0].text]
    end = toks[0].end
    for t in toks[1:]:
        if end != t.start:
            out.append(" ")
        out.append(t.text)
        end = t.end
    return "".join(out)


def _name_parts(run: list[_Tok], lex: _Lexicon) -> tuple[list[_Tok], bool, bool]:
    """(name tokens, is a person, had a title) of a run of capitalised words."""
    lows = [t.low for t in run]
    if not lex.organisations.isdisjoint(lows):
        return run, False, False
    k = 0
    titled = False
    while k < len(run) - 1 and (lows[k] in lex.titles or lows[k] in lex.descriptors):
        titled = titled or lows[k] in lex.titles
        k += 1
    name = run[k:]
    if not lex.not_persons.isdisjoint(lows[k:]):
        return run, False, False
    person = titled or 2 <= len(name) <= 4 and _personal(name, lex)
    return name, person, titled


def _personal(name: list[_Tok], lex: _Lexicon) -> bool:
    """Every word capitalised or a particle ("bin", "de"), and none in capitals ("NATO")."""
    for t in name:
        text = t.text
        if not (text[:1].isupper() or t.low in lex.name_particles) or \
                text.isupper() and len(text) > 1:
            return False
    return True


def _subject(toks: list[_Tok], g: int, h: int, lex: _Lexicon, depth: int = 0) -> list[_Tok]:
    """The subject noun phrase of the verb group starting at ``g`` (head ``h``)."""
    j = g - 1
    while j >= 0 and (toks[j].tag in ("RB", "TX") or toks[j].tag == "IN" and j + 1 < g
                      and toks[j + 1].tag == "TX"):
        j -= 1                                     # "Bush on Tuesday said"
    if j > 0 and toks[j].tag == "CC" and depth == 0:
        # "cooperation is inevitable and will occur": the subject of the verb before "and".
        for k in range(j - 1, max(-1, j - 12), -1):
            if toks[k].tag == "V" or toks[k].tag == "AUX":
                gk = _group_start(toks, k)
                return _subject(toks, gk, k, lex, 1)
            if toks[k].text in _BARRIERS or toks[k].tag == "WH":
                break
        return []
    if j >= 0 and toks[j].text == "," and j > 0:
        k = j - 1
        while k >= 0 and toks[k].text != "," and toks[k].text not in _BARRIERS:
            k -= 1
        if k > 0 and toks[k].text == ",":
            j = k - 1
    if j >= 0 and toks[j].low in ("who", "which", "that") and j > 0:
        j -= 1
        if toks[j].text == ",":
            j -= 1
    end = j + 1
    while j >= 0:
        t = toks[j]
        tag = t.tag
        if tag == "PRP":
            if j < end - 1:
                break
        elif not (tag in _NP_TAGS or t.low == "of" or t.text in ("-", "&", ".")
                  or t.low in ("to", "for", "from") and j > 0 and toks[j - 1].tag in ("W", "NE")
                  and end - j < 4):
            break
        j -= 1                                     # "the Iraqi ambassador to Greece said"
    np = toks[j + 1:end]
    while np and np[0].tag in ("IN", "POS") or np and np[0].text in ("-", "."):
        np = np[1:]
    if not np and toks[h].base in lex.reporting and g > 0 and (
            toks[g - 1].text == "," or toks[g - 1].text in _QUOTES):
        k = h + 1                                  # "..., said Lavrov"
        run: list[_Tok] = []
        while k < len(toks) and toks[k].tag in ("NNP", "DT", "W") and len(run) < 6:
            run.append(toks[k])
            k += 1
        return run
    return np


def _actor(np: list[_Tok], people: _People, lex: _Lexicon,
           register: bool) -> tuple[str | None, str | None]:
    """(actor, short form for the label) of a subject phrase."""
    if not np:
        return None, None
    if len(np) == 1 and np[0].tag == "PRP":
        full = people.sentence_name or people.last_subject
        if np[0].low in lex.person_pronouns and full:
            return full, full.split()[-1]
        return None, np[0].text
    tags = [t.tag for t in np]
    if "NNP" not in tags:
        # No name (what the general case below gives then): no owner's name to cut to, no run
        # of names, nothing to register.
        if np[0].low == "the" and people.last_subject and \
                " ".join([t.low for t in np[1:]]) in lex.roles:
            full = people.last_subject
            return full, full.split()[-1]
        text = _glue(np[-5:])
        return text, text
    owner = len(tags) - 1 - tags[::-1].index("POS") if "POS" in tags else -1
    if 0 < owner < len(np) - 1 and all(t == "NNP" for t in tags[owner + 1:]):
        np = np[owner + 1:]                        # "Iraq's Saddam Hussein" -> the name
    if np[0].low == "the" and people.last_subject and \
            " ".join([t.low for t in np[1:]]) in lex.roles:
        full = people.last_subject
        return full, full.split()[-1]
    # The first run of names (particles inside it: "Osama bin Laden"); np has a name.
    first = 0
    while np[first].tag != "NNP":
        first += 1
    stop = first + 1
    while stop < len(np) and (np[stop].tag == "NNP" or np[stop].low in lex.name_particles):
        stop += 1
    run = np[first:stop]
    if stop < len(np) and np[-1].tag != "POS":        # the run does not end the phrase
        text = _glue([t for t in np if t.tag != "DT"][-5:] or np[-5:])
        return text, text
    name, person, _titled = _name_parts(run, lex)
    # "The North Atlantic Treaty Organization (NATO)": an acronym in brackets names it.
    full = name[0].text if len(name) == 1 else " ".join([t.text for t in name])
    if len(name) == 1 and full in people.by_surname:
        full = people.by_surname[name[0].text]
        person = True
    if person:
        if register:
            people.by_surname.setdefault(name[-1].text, full)
            people.last_subject = full
            people.sentence_name = full
        return full, full.split()[-1]
    if register and len(name) == 1 and name[0].low not in lex.not_persons:
        people.sentence_name = full                # "Saddam said he will ..."
    return full, full


_OBJECT_STOP = frozenset({"TX", "WH", "MD", "AUX", "NEG"})


def _object(toks: list[_Tok], h: int, budget: int) -> list[_Tok]:
    """Words after the verb head: its object and complements, up to a clause boundary."""
    out: list[_Tok] = []
    taken = 0                                      # len(out)
    last = ""                                      # the tag of out[-1]
    for t in toks[h + 1:]:
        if taken >= budget:
            break
        text = t.text
        if text in _QUOTES and taken:
            continue
        tag = t.tag
        if tag in _OBJECT_STOP or text in _STOP_LABEL:
            break
        if tag == "V" and last != "TO" and t.form != "ing":
            break
        out.append(t)
        taken += 1
        last = tag
    while out and (out[-1].tag in _TRIM or out[-1].tag == "PRP" and out[-1].low in (
            "he", "she", "they", "we", "i")):
        out.pop()
    if out and out[0].low == "the":
        out = out[1:]
    return out


_GROUP_TAGS = frozenset({"AUX", "MD", "NEG", "V", "TO", "CC"})


def _verb_label(toks: list[_Tok], g: int, h: int, actor_short: str | None,
                text: str, lex: _Lexicon) -> str:
    head = toks[h]
    if g == h:
        group = [head]                             # a bare verb (the head is tagged V)
    else:
        group = [t for t in toks[g:h + 1] if t.tag in _GROUP_TAGS]
    budget = MAX_LABEL_WORDS - len(group)
    if actor_short:
        budget -= len(actor_short.split())
    obj = _object(toks, h, budget)     # (no words when the budget is below 1)
    if obj:
        base = head.base
        if base in lex.reporting and base not in lex.transitive:
            if obj[0].tag not in ("IN", "TO"):
                obj = []                           # "said the talks ...": a clause follows
            else:
                for k in range(2, len(obj)):
                    if obj[k].tag == "DT" and obj[k - 1].tag in ("NNP", "W", "NE"):
                        obj = obj[:k]              # "said in Athens | the Americans ..."
                        break
    tail = _join(obj, text) if obj else ""
    if actor_short and obj and obj[0].tag == "NNP" and actor_short in tail:
        tail = ""                                  # "said Lavrov": the subject came after
    verb = _join(group, text)
    # The actor, verb group and tail, the empty ones left out, joined by spaces.
    label = verb
    if actor_short:
        if verb[:1] in "'’" or verb.startswith("n't"):
            label = actor_short + verb             # "I'm", "can't"
        else:
            label = actor_short + " " + verb
    if tail:
        label = label + " " + tail if label else tail
    return label[:1].upper() + label[1:]


def _noun_phrase(toks: list[_Tok], i: int, lex: _Lexicon) -> tuple[int, list[_Tok]]:
    """(first token, tokens) of the event noun's phrase: modifiers, head and complement."""
    s = i
    while s > 0 and toks[s - 1].tag in ("W", "JJ", "NNP", "NE", "CD", "TX") and i - s < 4:
        s -= 1
    head = toks[s:i + 1]
    comp: list[_Tok] = []
    j = i + 1
    n = len(toks)
    if j < n and toks[j].tag == "IN" and toks[j].low in ("with", "of", "on", "between", "for",
                                                          "against", "by", "to", "in"):
        k = j + 1
        while k < n and (toks[k].tag in _NP_TAGS or toks[k].low == "of") and k - j < 8:
            k += 1
        comp = toks[j:k]
        while comp and comp[-1].tag in _TRIM:
            comp.pop()
        comp = _possessive(comp)
    return s, head + comp


def _possessive(comp: list[_Tok]) -> list[_Tok]:
    """"with the foreign minister of Eritrea" -> "with Eritrea's foreign minister"."""
    lows = [t.low for t in comp]
    if "of" not in lows:
        return comp
    k = lows.index("of")
    owner = comp[k + 1:]
    if not owner or any(t.tag != "NNP" for t in owner) or k < 2:
        return comp
    start = 1 if comp[0].tag == "IN" else 0
    body = comp[start:k]
    if body and body[0].low == "the":
        body = body[1:]
    last = owner[-1]
    pos = _new_tok("'s", "'s", last.end, last.end, "POS")
    return comp[:start] + owner + [pos] + body


def _noun_label(toks: list[_Tok], i: int, actor_short: str | None, lex: _Lexicon,
                text: str, people: _People) -> tuple[str, int]:
    s, phrase = _noun_phrase(toks, i, lex)
    words = phrase[:MAX_LABEL_WORDS - 1]
    body = _join(words, text)
    if s > 0 and toks[s - 1].tag == "POS" and s > 1:
        owner = toks[s - 2]
        label = f"{owner.text}'s {body}"
    elif s > 0 and toks[s - 1].low in lex.person_pronouns and people.last_subject:
        label = f"{people.last_subject.split()[-1]}'s {body}"
    elif actor_short:
        label = f"{actor_short}'s {body}"
    else:
        label = body
    return label[:1].upper() + label[1:], s


# --- the pass -------------------------------------------------------------------------------

@dataclass(slots=True)
class _Time:
    start: int
    end: int
    interval: Interval
    timex: TimeExpression | None = None
    anchor: Anchor | None = None


class _Found(NamedTuple):
    trigger: int
    time: _Time | None
    relation: str
    rule: str = ""


# ``_new_found(_Found, (trigger, time, relation, rule))`` makes a _Found in C, without the
# NamedTuple's Python-level __new__.
_new_found = tuple.__new__


_TRIGGER_START = attrgetter("trigger.start_char")


def extract_events(text: str, timexes: list[TimeExpression], anchors: list[Anchor],
                   dateline: Dateline) -> list[Event]:
    """Events of ``text`` with the time expression or anchor that dates each."""
    lex = _lexicon()
    times = [_Time(t.start_char, t.end_char, t.interval, timex=t) for t in timexes
             if not any(_leans_on(text, t, an, lex) for an in anchors)]
    times += [_Time(a.start_char, a.end_char, a.interval, anchor=a) for a in anchors]
    times.sort(key=lambda t: (t.start, t.end))
    line_span: tuple[int, int] | None = None        # the dateline's own span in the text
    if dateline.source == "text" and dateline.start_char is not None and \
            dateline.end_char is not None:
        line_span = (dateline.start_char, dateline.end_char)
    people = _People()
    events: list[Event] = []
    pool: list[_Tok] = []                  # token objects reused from sentence to sentence
    ti = 0
    for sent in split(text):
        inside: list[_Time] = []
        while ti < len(times) and times[ti].start < sent.end:
            if times[ti].end > sent.start:
                inside.append(times[ti])
            ti += 1
        if sent.kind == "dateline":
            continue
        if line_span and not inside and sent.start < line_span[1] and sent.end <= line_span[1]:
            continue
        _sentence_events(text, sent, inside, dateline, lex, people, events, line_span, pool)
    # By trigger, then sentence: events come in sentence order (sentences follow each other
    # in the text) and the sort is stable, so the trigger alone gives that order.
    events.sort(key=_TRIGGER_START)
    for n, ev in enumerate(events, 1):
        ev.id = f"e{n}"
    return events


def _leans_on(text: str, tx: TimeExpression, an: Anchor, lex: _Lexicon) -> bool:
    """True when ``tx`` is part of anchor ``an``: inside its span ("the 2014 World Cup") or
    its offset ("two days" in "two days after the vote")."""
    if an.start_char <= tx.start_char and tx.end_char <= an.end_char:
        return True
    if an.offset is None or not 0 <= an.start_char - tx.end_char <= 30:
        return False
    between = tuple(text[tx.end_char:an.start_char].lower().split())
    return any(between == phrase for phrase, _ in lex.signals)


def _sentence_events(text: str, sent: Sentence, inside: list[_Time], dateline: Dateline,
                     lex: _Lexicon, people: _People, events: list[Event],
                     line_span: tuple[int, int] | None, pool: list[_Tok]) -> None:
    texts, lows, starts, ends = _tokens(text, sent.start, sent.end, lex)
    n = len(lows)
    if not n:
        return
    spans: list[tuple[_Time, int, int]] = []
    tx: set[int] = set()                   # the tokens inside a time
    for tm in inside:
        a = bisect_right(ends, tm.start)
        if a >= n:
            continue
        b = a
        while b < n and starts[b] < tm.end:
            b += 1
        if b > a:
            tx.update(range(a, b))
            spans.append((tm, a, b))
    toks, finite = _tag(texts, lows, starts, ends, tx, lex, pool)
    found: list[_Found] = []
    for tm, a, b in spans:
        if line_span and tm.start >= line_span[0] and tm.end <= line_span[1]:
            continue
        kind = tm.timex.type if tm.timex is not None else "DATE"
        if tm.anchor is not None:
            relation = tm.anchor.relation if tm.anchor.relation in (
                "on", "before", "after", "during", "since", "until") else "on"
        else:
            relation = _relation(toks, a, lex, kind)
        for trig, rule in _attach(toks, a, b, lex):
            if tm.anchor is not None and rule in ("nearest_left", "nearest_right"):
                continue                 # "his pre-election promises": the anchor's own noun
            if relation == "on" and rule.startswith("temporal_clause_"):
                opener_relation = lex.clause_relations.get(rule[16:], "on")
                found.append(_new_found(_Found, (trig, tm, opener_relation, rule)))
            else:
                found.append(_new_found(_Found, (trig, tm, relation, rule)))
    if not spans:
        main = _undated_head(toks, lex)
        if main is not None:
            found.append(_new_found(_Found, (main, None, "undated", "")))
    # Subjects in order, so that "he" finds the last named subject.
    people.sentence_name = None
    subjects: dict[int, tuple[str | None, str | None]] = {}
    groups: dict[int, int] = {}            # head -> start of its verb group, for _event too
    heads = finite                         # (in order, each once)
    for f in found:
        if toks[f.trigger].tag == "V" and f.trigger not in finite:
            heads = sorted({f.trigger for f in found if toks[f.trigger].tag == "V"}.union(finite))
            break
    for h in heads:
        groups[h] = g = _group_start(toks, h)
        if g > 0 and toks[g - 1].tag == "TO" or toks[g].tag == "TO":
            continue
        np = _subject(toks, g, h, lex)
        subjects[h] = _actor(np, people, lex, register=True)
    if not found:
        return
    sentence = Span(text[sent.start:sent.end], sent.start, sent.end)
    if len(found) == 1:                    # (most sentences: nothing to deduplicate)
        events.append(_event(text, toks, found[0], subjects, groups, sentence, dateline, lex,
                             people))
        return
    done: set[tuple[int, int]] = set()
    for f in found:
        key = (f.trigger, f.time.start if f.time else -1)
        if key in done:
            continue
        done.add(key)
        events.append(_event(text, toks, f, subjects, groups, sentence, dateline, lex, people))


def _undated_head(toks: list[_Tok], lex: _Lexicon) -> int | None:
    """The one undated event of a sentence with no time: its main clause, or the clause a
    reporting verb reports ("officials said the talks had collapsed" -> collapsed)."""
    main = _main_verb(toks)
    if main is None or toks[main].base not in lex.reporting:
        return main
    reported = _main_verb(toks[main + 1:])
    if reported is not None and toks[main + 1 + reported].base not in _LIGHT_HEADS:
        return main + 1 + reported
    return main


def _main_verb(toks: list[_Tok]) -> int | None:
    """The head of the sentence's main clause: the first verb not in a subordinate clause."""
    fallback = None
    subordinate = False
    for i, t in enumerate(toks):
        if t.tag != "V":
            if t.tag == "WH":
                subordinate = True
            elif subordinate and (t.text == "," or t.text in _BARRIERS):
                subordinate = False                # (a verb is never a comma or a barrier)
            continue
        g = _group_start(toks, i)
        if g == i:                                 # a bare verb: only the token before
            infinitive = i > 0 and toks[i - 1].tag == "TO"
        else:
            infinitive = "TO" in [x.tag for x in toks[g - 1 if g else 0:i]]
        if infinitive:
            fallback = fallback if fallback is not None else i
            continue
        if subordinate:
            # The subordinate clause takes one finite verb; the next one is the main clause's.
            subordinate = False
            fallback = fallback if fallback is not None else i
            continue
        if t.form == "ing" and g == i:
            fallback = fallback if fallback is not None else i
            continue
        return i
    return fallback


def _event(text: str, toks: list[_Tok], f: _Found, subjects: dict, groups: dict[int, int],
           sentence: Span, dateline: Dateline, lex: _Lexicon, people: _People) -> Event:
    t = toks[f.trigger]
    head = f.trigger
    if f.rule == "predicate" or t.low in lex.adjectives:    # "is payable": label the clause
        head = next((k for k in range(f.trigger - 1, max(-1, f.trigger - 4), -1)
                     if toks[k].tag == "V"), f.trigger)
    g = -1
    if t.tag == "V" or head != f.trigger:
        known = groups.get(head)
        g = _group_start(toks, head) if known is None else known
        if toks[g].tag == "TO":                # "were in Geneva to sign": the clause's actor
            actor, short = _clause_actor(toks, head, subjects)
        else:
            actor, short = subjects.get(head) or _actor(_subject(toks, g, head, lex),
                                                        people, lex, register=False)
        if actor is None and short is None:
            actor, short = _clause_actor(toks, head, subjects)
        label = _verb_label(toks, g, head, short, text, lex)
        trigger = Span(t.text, t.start, t.end)
    else:
        actor, short = _noun_actor(toks, f.trigger, subjects)
        label, s = _noun_label(toks, f.trigger, short, lex, text, people)
        if actor is None and s > 0 and toks[s - 1].low in lex.person_pronouns:
            actor = people.last_subject
        first = f.trigger
        for mods in lex.compounds.get(t.low, ()):
            k = len(mods)
            if f.trigger - k >= 0 and tuple(x.low for x in toks[f.trigger - k:f.trigger]) == mods:
                first = f.trigger - k
                break
        trigger = Span(text[toks[first].start:t.end], toks[first].start, t.end)
    tm = f.time
    relation = f.relation
    if tm is None:
        tense = _own_tense(toks, head, lex, g) if toks[head].tag == "V" else "?"
        if tense == "?":
            tense = tense_at(text, t.start, t.end)
        if tense == "PAST" and dateline.value is not None:
            relation, interval = "before", _until(dateline.value)
        elif tense == "FUTURE" and dateline.value is not None:
            relation, interval = "after", _from(dateline.value)
        else:
            relation, interval = "undated", _UNDATED
    elif tm.anchor is not None and tm.anchor.offset is not None:
        interval = tm.anchor.target         # "two days after the vote": the day itself
    else:
        interval = relate(relation, tm.interval, dateline.value)
    words = label.split()
    if len(words) > MAX_LABEL_WORDS:
        label = " ".join(words[:MAX_LABEL_WORDS])
    # Positional (id, trigger, text, sentence, actor, timex, anchor, relation, interval):
    # cheaper than keywords.
    return Event("", trigger, label, sentence, actor,
                 tm.timex.id if tm and tm.timex else None,
                 tm.anchor.id if tm and tm.anchor else None, relation, interval)


# Intervals are frozen: the undated events of a document share theirs, made once.
_UNDATED = Interval()


@lru_cache(maxsize=256)
def _until(day: date | datetime) -> Interval:
    return Interval(None, day)


@lru_cache(maxsize=256)
def _from(day: date | datetime) -> Interval:
    return Interval(day, None)




def _own_tense(toks: list[_Tok], h: int, lex: _Lexicon, g: int = -1) -> str | None:
    """PAST, FUTURE, PRESENT or None (a modal: unclear) from the verb group; "?" if silent.
    ``g`` is the group's first token when the caller knows it."""
    if g < 0:
        g = _group_start(toks, h)
    lows = [t.low for t in toks[g:h] if t.tag in ("AUX", "MD", "TO")] if g < h else []
    if toks[g].tag == "TO" or (g > 0 and toks[g - 1].tag == "TO"):
        return "?"
    if lows:                                       # a bare verb says it by its form
        if not lex.tense_auxiliaries["future"].isdisjoint(lows) or lows[-2:] == ["going", "to"]:
            return "FUTURE"
        if "MD" in [t.tag for t in toks[g:h]]:
            return None
        if not lex.tense_auxiliaries["past"].isdisjoint(lows):
            return "PAST"
        if not lex.tense_auxiliaries["present"].isdisjoint(lows):
            return "PRESENT"
    form = toks[h].form
    if form == "past":
        return "PAST" if toks[h].low not in ("is", "are") else "PRESENT"
    if form in ("base", "s"):
        return "PRESENT"
    return "?"


def _clause_actor(toks: list[_Tok], i: int, subjects: dict) -> tuple[str | None, str | None]:
    """The subject of the nearest finite verb before ``i`` (for infinitives, participles)."""
    for h in sorted(subjects, reverse=True):
        if h < i and subjects[h][0] is not None:
            return subjects[h]
    return None, None


def _noun_actor(toks: list[_Tok], i: int, subjects: dict) -> tuple[str | None, str | None]:
    """Who holds an event noun: the clause's subject when the noun sits in an adverbial
    phrase ("Lavrov, during a press conference, discussed")."""
    s = i
    while s > 0 and toks[s - 1].tag in ("W", "JJ", "NNP", "NE", "CD", "DT"):
        s -= 1
    if s > 0 and toks[s - 1].low in ("during", "at", "in", "after", "before", "on"):
        for h in sorted(subjects):
            if subjects[h][0] is not None and abs(h - i) < 25:
                return subjects[h]
    return None, None
