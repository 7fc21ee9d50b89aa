"""The tense reader tells past from future clauses."""

from __future__ import annotations

import pytest

from timeline.tense import clause, examples, tense_at


@pytest.mark.parametrize("example", examples(), ids=lambda e: e["text"])
def test_tense_examples(example: dict) -> None:
    text, at = example["text"], example["at"]
    start = text.index(at)
    assert tense_at(text, start, start + len(at)) == (example["tense"] or None)  # "": none


def test_clause_stops_at_sentence_ends() -> None:
    text = "He left. She will come Tuesday; they stay."
    start = text.index("Tuesday")
    lo, hi = clause(text, start, start + 7)
    assert text[lo:hi].strip() == "She will come Tuesday"


def test_no_cue_is_unknown() -> None:
    assert tense_at("Tuesday", 0, 7) is None


def test_clause_stops_at_quotation_marks() -> None:
    text = "``We will talk on Tuesday,'' he said."
    start = text.index("Tuesday")
    lo, hi = clause(text, start, start + 7)
    assert text[lo:hi].strip() == "We will talk on Tuesday,"
