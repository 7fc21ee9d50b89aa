"""Every rule's examples run, and the rule data files have the shape the code expects."""

from __future__ import annotations

import tomllib
from datetime import date

import pytest

from timeline import finder, resolver, rules
from timeline.errors import RuleError

LANG = rules.load("en")
EXAMPLES = [(rule.name, ex) for rule in LANG.rules for ex in rule.examples]


@pytest.mark.parametrize(("rule_name", "example"), EXAMPLES,
                         ids=[f"{name}:{'not ' if ex.get('absent') else ''}{ex['span']}"
                              for name, ex in EXAMPLES])
def test_rule_example(rule_name: str, example: dict) -> None:
    text = example["text"]
    dct = date.fromisoformat(example["dct"])
    found = resolver.resolve(text, finder.find(text), dct)
    spans = {t.text: t for t in found}
    if example.get("absent"):
        # A counter-example: the span must not be taken as a time (overlaps count too).
        start = text.index(example["span"])
        end = start + len(example["span"])
        assert not [t for t in found if t.start_char < end and start < t.end_char], \
            f"{rule_name}: {example['span']!r} taken as a time in {spans}"
        return
    assert example["span"] in spans, f"{rule_name}: {example['span']!r} not found in {spans}"
    tx = spans[example["span"]]
    assert tx.value == example["value"], f"{rule_name}: {tx.value} != {example['value']}"
    assert tx.type == example.get("type", "DATE")
    if "mod" in example:
        assert tx.mod == example["mod"]
    assert text[tx.start_char:tx.end_char] == tx.text


def test_every_rule_names_a_resolver_and_has_triggers() -> None:
    for rule in LANG.rules:
        assert rule.resolver in resolver.RESOLVERS, rule.name
        assert rule.triggers or rule.digits, rule.name
        assert rule.examples, rule.name


def test_rule_file_shape() -> None:
    data = tomllib.loads((rules.DATA_DIR / "en" / "rules.toml").read_text(encoding="utf-8"))
    names = [r["name"] for r in data["rule"]]
    assert len(names) == len(set(names))
    for item in data["rule"]:
        assert set(item) <= {"name", "pattern", "resolver", "priority", "params", "examples",
                             "triggers", "reach"}, item["name"]
        for ex in item["examples"]:
            needed = {"text", "dct", "span"} | (set() if ex.get("absent") else {"value"})
            assert needed <= set(ex), item["name"]
            assert ex["span"] in ex["text"], item["name"]


def test_gazetteer_tables_are_present() -> None:
    for table in rules.REQUIRED_TABLES:
        assert LANG.gazetteer[table], table


def test_unknown_macro_is_a_rule_error() -> None:
    with pytest.raises(RuleError):
        rules._expand("{NOPE}", {}, "broken")
