"""Tests of timeline.anchors: the case table, the data file's examples, the seed, speed."""

from __future__ import annotations

import time
import tomllib
from datetime import date
from pathlib import Path

import pytest

import timeline
from timeline import anchors
from timeline.calendar import Interval, day_interval, parse_iso
from timeline.model import Anchor, TimeExpression

DATA = Path(__file__).parent / "data"
SMALL = DATA / "known_events_small.csv"
CASES = tomllib.loads((DATA / "anchor_cases.toml").read_text(encoding="utf-8"))["case"]


def _timexes(text: str, pairs: list[list[str]]) -> list[TimeExpression]:
    found = []
    for i, (span, day) in enumerate(pairs, start=1):
        start = text.index(span)
        found.append(TimeExpression(f"t{i}", span, start, start + len(span), "DATE", day,
                                    granularity="day",
                                    interval=day_interval(date.fromisoformat(day)),
                                    resolution="explicit"))
    return found


def _run(case: dict, path: Path | None) -> list[Anchor]:
    dateline = date.fromisoformat(case["dateline"]) if case.get("dateline") else None
    text = case["text"]
    return anchors.find_anchors(text, dateline, _timexes(text, case.get("timexes", [])),
                                path=path, country=case.get("country"))


def _pick(found: list[Anchor], case: dict) -> Anchor:
    hits = [a for a in found if a.text == case["anchor"]]
    nth = case.get("nth", 1)
    assert len(hits) >= nth, f"no anchor {case['anchor']!r} in {[a.text for a in found]}"
    return hits[nth - 1]


def _checked_run(case: dict, path: Path | None) -> tuple[list[Anchor], Anchor | None]:
    """Run a case and check what every case states: no anchor on its ``absent`` texts, none at
    all for a ``none`` case. The anchors found and the case's own (None for a ``none`` case)."""
    found = _run(case, path)
    for text_absent in case.get("absent", []):
        assert text_absent not in [a.text for a in found]
    if case.get("none"):
        assert found == []
        return found, None
    return found, _pick(found, case)


def _interval(case: dict, prefix: str = "") -> Interval:
    return Interval(parse_iso(case[prefix + "start"] or None),
                    parse_iso(case[prefix + "end"] or None))


def _id(case: dict) -> str:
    return (case.get("anchor") or "none") + "|" + (case.get("dateline") or "-") + "|" + \
        case["text"][:40]


def test_case_table_is_big_enough() -> None:
    assert len(CASES) >= 80
    kinds = {c.get("kind") for c in CASES}
    assert {"known_event", "holiday", "previous_mention", "unresolved"} <= kinds
    relations = {c.get("relation") for c in CASES}
    assert {"on", "before", "after", "since", "until", "during"} <= relations


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_case(case: dict) -> None:
    found, anchor = _checked_run(case, SMALL)
    text = case["text"]
    for a in found:
        assert text[a.start_char:a.end_char] == a.text
    if anchor is None:
        return
    assert anchor.name == (case["name"] or None)
    assert anchor.kind == case["kind"]
    assert anchor.resolution == case["kind"]
    assert anchor.interval == _interval(case)
    assert anchor.relation == case["relation"]
    if "offset" in case:
        assert anchor.offset == case["offset"]
    if "target_start" in case:
        assert anchor.target == _interval(case, "target_")
    expected_source = {"known_event": "known_events.csv", "holiday": "holidays",
                       "previous_mention": "document", "unresolved": None}[case["kind"]]
    assert anchor.source == expected_source
    if case["kind"] == "unresolved":
        assert anchor.interval.is_empty and anchor.target.is_empty


PROJECT_CASES = [c for c in CASES if "small_only" not in c]


@pytest.mark.parametrize("case", PROJECT_CASES, ids=[_id(c) for c in PROJECT_CASES])
def test_case_on_project_table(case: dict) -> None:
    """The same cases over timeline/data/known_events.csv: kind, interval and relation."""
    _, anchor = _checked_run(case, None)
    if anchor is None:
        return
    assert (anchor.kind, anchor.interval, anchor.relation) == \
        (case["kind"], _interval(case), case["relation"])


@pytest.mark.parametrize("example", anchors.examples(), ids=lambda e: e["anchor"])
def test_data_examples_on_project_table(example: dict) -> None:
    """The examples of anchors.toml, resolved over the project's known_events.csv."""
    text = example["text"]
    pairs = [[example["timex"], example["timex_date"]]] if "timex" in example else []
    found = anchors.find_anchors(text, date.fromisoformat(example["dateline"]),
                                 _timexes(text, pairs))
    anchor = _pick(found, example)
    assert anchor.interval == _interval(example)
    assert anchor.relation == example["relation"]
    if "target_start" in example:
        assert anchor.target == _interval(example, "target_")


def test_every_table_of_the_data_file_has_an_example() -> None:
    data = tomllib.loads(anchors.ANCHORS_TOML.read_text(encoding="utf-8"))
    tables = {f"{top}.{name}" for top in ("signal", "prefix") for name in data[top]}
    tables |= {"plain", "modifier", "adjective", "date_words", "determiner", "backref",
               "offset"}
    assert tables <= {e["rule"] for e in anchors.examples()}
    assert set(data) - {"example"} <= {t.split(".")[0] for t in tables}


def test_offsets_and_ids_on_a_longer_text() -> None:
    text = ("Leaders gathered for the G20 summit in Hamburg. After the summit, Trump flew to "
            "Warsaw. Since the Brexit vote, the pound has fallen; it may rise before Christmas.")
    found = anchors.find_anchors(text, date(2017, 7, 20), [], path=SMALL)
    assert [a.id for a in found] == [f"a{i}" for i in range(1, len(found) + 1)]
    assert [a.text for a in found] == ["the G20 summit", "the summit", "the Brexit vote",
                                       "Christmas"]
    for a in found:
        assert text[a.start_char:a.end_char] == a.text
        assert Anchor.from_json(a.to_json()) == a


def test_grammar_is_compiled_once() -> None:
    assert anchors.grammar(SMALL) is anchors.grammar(SMALL)


def test_seed(seed_text: str) -> None:
    tl = timeline.extract(seed_text, dateline="2017-01-31")
    g20 = next(a for a in tl.anchors if a.text == "a G20 summit")
    assert seed_text[g20.start_char:g20.end_char] == "a G20 summit"
    assert g20.interval == Interval(date(2017, 7, 7), date(2017, 7, 9))
    assert g20.kind == "known_event" and g20.source == "known_events.csv"
    assert g20.relation == "after" and g20.signal == "after"
    election = next(a for a in tl.anchors if a.text == "election")
    assert seed_text[election.start_char - 4:election.end_char] == "pre-election"
    assert election.interval == Interval(date(2016, 11, 8), date(2016, 11, 9))
    assert election.relation == "before" and election.signal == "pre-"
    assert election.kind == "known_event"
    # "a meeting with Russian President Vladimir Putin" has nothing to refer back to.
    assert not [a for a in tl.anchors if "meeting" in a.text]


def test_seed_is_fast(seed_text: str) -> None:
    day = date(2017, 1, 31)
    anchors.find_anchors(seed_text, day, [])
    runs = 50
    start = time.process_time()
    for _ in range(runs):
        anchors.find_anchors(seed_text, day, [])
    per_call = (time.process_time() - start) / runs
    # A guard against gross regressions (anchors take about a tenth of the pipeline's budget
    # of 1 ms CPU per 1,000 characters; bench/engine.py measures it), loose enough for a
    # loaded CI machine.
    assert per_call < 1.0e-3 * len(seed_text) / 1000, per_call


def test_a_plain_mention_of_a_needs_signal_series_is_the_event_not_a_time() -> None:
    """'Iraq's invasion of Kuwait on Aug. 2' and 'the pandemic hit': the event itself, dated by
    its own times; after 'since', 'after' or 'pre-' the same names are times."""
    plain = ("The U.N. condemned Iraq's invasion of Kuwait on Aug. 2. The invasion was swift. "
             "The pandemic hit the economy.")
    assert anchors.find_anchors(plain, date(1990, 9, 1), []) == []
    later = "The U.N. condemned Iraq's invasion of Kuwait. Trade has fallen since the invasion."
    found = anchors.find_anchors(later, date(1990, 9, 1), [])
    assert [(a.text, a.relation, a.interval.start, a.resolution) for a in found] == [
        ("the invasion", "since", date(1990, 8, 2), "previous_mention")]
    signalled = "Sanctions came after Iraq's invasion of Kuwait."
    found = anchors.find_anchors(signalled, date(1990, 9, 1), [])
    assert [(a.text, a.relation, a.interval.start) for a in found] == [
        ("Iraq's invasion of Kuwait", "after", date(1990, 8, 2))]
