"""TimeML reading, writing and TempEval-3 scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

import timeline
from timeline import timeml
from timeline.calendar import Interval
from timeline.errors import InputError
from timeline.model import Dateline, TimeExpression, Timeline

MINI = Path(__file__).parent / "data" / "mini.tml"


def test_reader_strips_tags_and_keeps_offsets() -> None:
    doc = timeml.read(MINI)
    assert doc.doc_id == "mini" and str(doc.dct) == "2017-01-31"
    assert [t.text for t in doc.timexes] == ["yesterday", "soon", "three years", "in March"]
    for span in doc.timexes + doc.events:
        assert doc.text[span.start_char:span.end_char] == span.text
    assert "&amp;" not in doc.text and " & " in doc.text
    assert doc.event_timex_links() == {("e1", "t1"), ("e2", "t2")}


def test_reader_refuses_non_timeml() -> None:
    with pytest.raises(InputError):
        timeml.parse("<html>no text</html>")


def _timeline(doc: timeml.TimeMLDocument, items: list[tuple[str, str, str]]) -> Timeline:
    timexes = []
    for i, (piece, type_, value) in enumerate(items, 1):
        start = doc.text.index(piece)
        timexes.append(TimeExpression(f"t{i}", piece, start, start + len(piece), type_, value,
                                      interval=Interval()))
    return Timeline(doc.text, Dateline(doc.dct, "given"), timexes)


def test_scores_strict_relaxed_value_and_type() -> None:
    doc = timeml.read(MINI)
    system = _timeline(doc, [("yesterday", "DATE", "2017-01-30"), ("soon", "DATE", "PAST_REF"),
                             ("three years", "DATE", "P3Y"), ("March", "DATE", "2016-03"),
                             ("Naumkin", "DATE", "2017")])
    counts, errors = timeml.score_document(doc, system)
    s = timeml.scores(counts)
    assert (counts.gold, counts.system) == (4, 5)
    assert s["strict_p"] == pytest.approx(3 / 5) and s["strict_r"] == pytest.approx(3 / 4)
    assert s["relaxed_p"] == pytest.approx(4 / 5) and s["relaxed_r"] == pytest.approx(1.0)
    assert s["value_acc"] == pytest.approx(3 / 4)
    assert s["type_acc"] == pytest.approx(3 / 4)
    assert s["value_f1"] == pytest.approx(s["relaxed_f1"] * 3 / 4)
    assert {e.kind for e in errors} >= {"spurious", "value", "extent"}


def test_writer_round_trips_through_the_reader() -> None:
    doc = timeml.read(MINI)
    tl = timeline.extract(doc.text, doc.dct)
    again = timeml.parse(timeml.write(tl, doc_id="mini"))
    assert again.text == doc.text
    assert [(t.start_char, t.end_char, t.attrs["value"]) for t in again.timexes] == [
        (t.start_char, t.end_char, t.value) for t in tl.timexes]


def test_evaluate_command_prints_the_scores(capsys: pytest.CaptureFixture[str]) -> None:
    from timeline.cli import main

    assert main(["evaluate", str(MINI), "--errors", "5"]) == 0
    out = capsys.readouterr().out
    for label in ("strict", "relaxed", "value", "type", "anchoring"):
        assert label in out


def test_evaluate_on_the_development_corpus_is_above_the_floor(tbaq_dir: Path) -> None:
    """A regression floor well under the measured figures (see README for the real ones)."""
    files = timeml.find_files([tbaq_dir])[:60]
    total = timeml.Counts()
    for path in files:
        doc = timeml.read(path)
        total.add(timeml.score_document(doc, timeline.extract(doc.text, doc.dct))[0])
    s = timeml.scores(total)
    assert s["relaxed_f1"] > 0.85 and s["value_f1"] > 0.70
