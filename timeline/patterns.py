"""Regular expressions built from word lists.

A flat alternation of many phrases (``a|b|c``) makes the regex engine try every branch at
every position; the same phrases shaped as a character trie share their prefixes and are
several times faster to search, with the same matches (the longest phrase wins).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable


def trie_regex(phrases: Iterable[str], unit: Callable[[str], str] = re.escape) -> str:
    """One regex (without anchors or flags) matching any of ``phrases``, longest first.

    ``unit`` turns one character of a phrase into its pattern (by default the character
    itself, escaped).
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [unit(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)
