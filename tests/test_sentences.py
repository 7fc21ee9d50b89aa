"""Sentence splitting: the rule examples of events.toml, offsets, the seed's layout."""

from __future__ import annotations

import pytest

from timeline.sentences import MAX_SENTENCE, examples, split


@pytest.mark.parametrize("example", examples(), ids=lambda e: e["text"][:40])
def test_rule_examples(example: dict) -> None:
    text = example["text"]
    assert [text[s.start:s.end] for s in split(text)] == example["sentences"]


def test_examples_exist() -> None:
    assert len(examples()) >= 5


@pytest.mark.parametrize("text", [
    "", "   \n\n  ", "No punctuation at all", "Ends with a question?", "Dr. No.",
    "\"Quoted.\" Then more. And the end", "1. first\n2. second\n\nThird paragraph.",
])
def test_offsets_are_ordered_trimmed_and_non_empty(text: str) -> None:
    sentences = split(text)
    last = 0
    for s in sentences:
        piece = text[s.start:s.end]
        assert piece and piece == piece.strip()
        assert s.start >= last
        last = s.end
    covered = " ".join(text[s.start:s.end] for s in sentences)
    if not text.startswith("1."):         # list markers are left out, nothing else is
        assert covered.split() == text.split()


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Gen. Jones met Mr. Lee of the U.N. in Washington on Jan. 30 at 5 p.m. local time."
    assert len(split(text)) == 1


def test_abbreviation_then_a_sentence_opener_ends_the_sentence() -> None:
    text = "The troops are from the U.S. They arrived on Sunday."
    assert [text[s.start:s.end] for s in split(text)] == [
        "The troops are from the U.S.", "They arrived on Sunday."]


def test_reuters_dateline_is_its_own_piece() -> None:
    text = "MOSCOW, Jan 30 (Reuters) - Russia said on Monday it was ready to talk."
    pieces = split(text)
    assert pieces[0].kind == "dateline"
    assert text[pieces[0].start:pieces[0].end] == "MOSCOW, Jan 30 (Reuters) -"
    assert text[pieces[1].start:pieces[1].end].startswith("Russia said")


def test_seed_layout(seed_text: str) -> None:
    pieces = {seed_text[s.start:s.end]: s.kind for s in split(seed_text)}
    assert pieces["Jan. 31, 2017 (EIRNS)—"] == "dateline"
    assert "Naumkin said." in pieces
    assert "he said." in pieces
    first = next(p for p in pieces if p.startswith("Vitaky Naumkin"))
    assert first.endswith("reports Tass.")
    assert any(p.startswith("Russian Foreign Minister Sergei Lavrov, during a joint press "
                            "conference") and p.endswith("in Syria.") for p in pieces)


def test_run_on_text_is_cut_into_bounded_pieces() -> None:
    text = " ".join(["word"] * 3000) + ", tail; " + " ".join(["more"] * 500)
    pieces = split(text)
    assert len(pieces) > 10
    assert all(s.end - s.start <= MAX_SENTENCE for s in pieces)
    assert " ".join(text[s.start:s.end] for s in pieces).split() == text.split()
