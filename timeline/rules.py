"""Load and validate the rule data files of a language (``timeline/data/<lang>/``).

``gazetteer.toml`` holds word lists; ``rules.toml`` holds patterns that use them as macros and
name a resolver function. Everything is compiled once per process and cached.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex

from .errors import RuleError

DATA_DIR = Path(__file__).parent / "data"
# Macros that become a named group of their own lowercase name; the rest are non-capturing.
_NAMED = {"MONTH", "WEEKDAY", "SEASON", "POD"}
_MACRO = re.compile(r"\{([A-Z_]+)(?::([a-z_0-9]+))?\}")
# Word lists the finder and the resolvers read; a gazetteer without one of them is refused.
REQUIRED_TABLES = ("month", "weekday", "season", "pod", "ordinal", "half", "unit", "number",
                   "direction", "position", "approximation", "relative_day", "side_word",
                   "period_unit", "anaphoric", "decade_word", "century_ordinal", "set_word",
                   "vague_bound", "rate_word", "vague_reference", "report_adjective",
                   "report_adjective_before", "after_amount", "relative_adverb",
                   "measure_unit", "past_perfect_break", "calendar_direction", "multiplier",
                   "generic_day", "generic_noun", "day_part_of_day", "day_needs_part",
                   "month_determiner")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True, slots=True)
class Rule:
    """One finding rule: a compiled pattern and the resolver that normalizes its matches."""

    name: str
    pattern: Any                  # a compiled ``re`` (or ``regex``) pattern
    resolver: str
    priority: int = 0
    params: dict[str, Any] = field(default_factory=dict)
    examples: tuple[dict[str, Any], ...] = ()
    triggers: frozenset[str] = frozenset()    # lowercase words; the rule runs around them
    digits: str = ""                          # ... and around numbers: "any", "year", "hour"
    reach: tuple[int, int] = (40, 16)         # characters a match may reach left and right




@dataclass(frozen=True, slots=True)
class Language:
    """A language's gazetteer and rules, ready to use."""

    code: str
    gazetteer: dict[str, dict[str, Any]]
    rules: tuple[Rule, ...]

    def lookup(self, table: str, word: str | None) -> Any:
        if word is None:
            return None
        return self.gazetteer[table].get(_norm(word))


def _norm(word: str) -> str:
    """Lookup key of a word: lowercase, hyphens and runs of space as one space."""
    key = word.lower().strip()
    if key.endswith("-"):
        return key
    return " ".join(key.replace("-", " ").split())


def _alternation(words: list[str]) -> str:
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(regex.escape(w).replace(r"\ ", " ") for w in ordered)


def _macros(gazetteer: dict[str, dict[str, Any]]) -> dict[str, str]:
    numbers = [w for w in gazetteer["number"] if w not in _TENS]
    compounds = f"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?"
    macros = {
        "MONTH": _alternation(list(gazetteer["month"])),
        "WEEKDAY": _alternation(list(gazetteer["weekday"])),
        "SEASON": _alternation(list(gazetteer["season"])),
        "POD": _alternation(list(gazetteer["pod"])),
        "UNIT": _alternation(list(gazetteer["unit"])),
        # "two hundred", "a thousand": a number times a multiplier word.
        "NUMBER": f"(?:{compounds}|{_alternation(numbers)})"
                  f"(?:[- ](?:{_alternation(list(gazetteer['multiplier']))}))?",
    }
    return macros


def _expand(pattern: str, macros: dict[str, str], rule: str) -> str:
    def repl(m: re.Match[str]) -> str:
        name, group = m.group(1), m.group(2)
        if name not in macros:
            raise RuleError(f"rule {rule}: unknown macro {{{name}}}")
        body = macros[name]
        if group or name in _NAMED:
            return f"(?<![\\w'])(?P<{group or name.lower()}>{body})(?!\\w)"
        return f"(?:{body})"

    expanded = _MACRO.sub(repl, pattern)
    # A single space in a rule stands for any run of white space, an optional one (" ?") for
    # none or any; no match starts mid-word.
    spaced = expanded.replace(" ?", "\0").replace(" ", r"\s+").replace("\0", r"\s*")
    return r"(?<!\w)(?:" + spaced + ")"


def _triggers(items: list[str], gazetteer: dict[str, dict[str, Any]],
              rule: str) -> tuple[frozenset[str], str]:
    """Trigger words of a rule: plain words, or ``{TABLE}`` for a gazetteer table's words."""
    if not items:
        raise RuleError(f"rule {rule}: 'triggers' is missing")
    words: set[str] = set()
    digits = ""
    for item in items:
        m = _MACRO.fullmatch(item)
        if m is None:
            words.add(item.lower())
        elif m.group(1) == "DIGIT":
            digits = "any"
        elif m.group(1) in ("YEAR", "HOUR"):
            digits = digits or m.group(1).lower()
        elif m.group(1).lower() in gazetteer:
            words.update(w.split()[0].rstrip(".-") for w in gazetteer[m.group(1).lower()])
        else:
            raise RuleError(f"rule {rule}: unknown trigger list {item}")
    return frozenset(words), digits


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleError(f"{path}: {exc}") from None


def _compile(pattern: str, name: str) -> Any:
    """The rule's pattern compiled by ``re`` (about a fifth faster), or by ``regex`` when it
    needs what only ``regex`` has (look-behinds of varying width)."""
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        pass
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    except regex.error as exc:
        raise RuleError(f"rule {name}: bad pattern: {exc}") from None


@lru_cache(maxsize=4)
def load(code: str = "en") -> Language:
    """The compiled rules of language ``code`` (cached)."""
    folder = DATA_DIR / code
    if not folder.is_dir():
        raise RuleError(f"no rules for language {code!r}")
    gazetteer = _read_toml(folder / "gazetteer.toml")
    for table in REQUIRED_TABLES:
        if table not in gazetteer:
            raise RuleError(f"{folder}/gazetteer.toml: table [{table}] is missing")
    gazetteer = {k: {_norm(w): v for w, v in table.items()} for k, table in gazetteer.items()}
    macros = _macros(gazetteer)
    rules = []
    seen = set()
    for item in _read_toml(folder / "rules.toml").get("rule", []):
        name = item.get("name")
        if not name or name in seen:
            raise RuleError(f"rules.toml: rule without a unique name: {item!r}")
        seen.add(name)
        for key in ("pattern", "resolver"):
            if key not in item:
                raise RuleError(f"rule {name}: '{key}' is missing")
        compiled = _compile(_expand(item["pattern"], macros, name), name)
        if not item.get("examples"):
            raise RuleError(f"rule {name}: every rule needs examples")
        words, digits = _triggers(item.get("triggers", []), gazetteer, name)
        reach = item.get("reach", [40, 16])
        if not (isinstance(reach, list) and len(reach) == 2 and all(
                isinstance(n, int) and 0 <= n <= 200 for n in reach)):
            raise RuleError(f"rule {name}: 'reach' must be [left, right] in characters")
        rules.append(Rule(name, compiled, item["resolver"], int(item.get("priority", 0)),
                          dict(item.get("params", {})), tuple(item["examples"]), words, digits,
                          (reach[0], reach[1])))
    return Language(code, gazetteer, tuple(rules))
