"""Finding: offsets, overlaps, and the words that look like dates but are not."""

from __future__ import annotations

import pytest

from timeline import finder


def texts(text: str) -> list[str]:
    return [text[c.start:c.end] for c in finder.find(text)]


@pytest.mark.parametrize("text", [
    "He may or may not go, we will see.",
    "Protesters march on the capital and we march with them.",
    "It sold 2,000 copies at $1999 each and 1999 euros more; 1999 people came.",
    "The Sunday Times reported it first.",
    "We expect 40 percent growth, maybe 30 or 45.",
    "Sandra Day O'Connor wrote the opinion.",
    "The company's headquarters moved to Paris.",
    "A 6-year-old boy and a 44-year-old man were found.",
])
def test_no_false_positives(text: str) -> None:
    assert texts(text) == []


def test_spans_do_not_overlap_and_are_in_order() -> None:
    text = "On Jan. 31, 2017 and yesterday, three years ago, the past two months, soon."
    found = finder.find(text)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    assert texts(text) == ["Jan. 31, 2017", "yesterday", "three years ago",
                           "the past two months", "soon"]


def test_longest_match_wins() -> None:
    assert texts("It happened on Tuesday, Nov. 8, 2016 at noon.") == [
        "Tuesday, Nov. 8, 2016", "noon"]


def test_prefixes_are_taken_in() -> None:
    assert texts("Prices rose in late November and for more than three years.") == [
        "late November", "more than three years"]
    assert texts("They met around Wednesday.") == ["Wednesday"]


def test_month_names_must_be_capitalized() -> None:
    assert texts("in march and in may") == []
    assert texts("in March and in May") == ["March", "May"]
