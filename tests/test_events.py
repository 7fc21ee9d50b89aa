"""Events: the lexicon's rule examples, the seed's anchoring and labels, tense, the frame."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

import timeline
from timeline import timeml
from timeline.calendar import Interval, day_interval
from timeline.cli import _with_gold_timexes
from timeline.events import MAX_LABEL_WORDS, extract_events, lexicon_data
from timeline.model import FRAME_COLUMNS, Anchor, Dateline, Event, TimeExpression, Timeline

SEED_DAY = date(2017, 1, 31)
LINE = Dateline(SEED_DAY, "given")


def _timex(text: str, phrase: str, tid: str = "t1", occurrence: int = 0,
           interval: Interval | None = None, value: str | None = None,
           kind: str = "DATE") -> TimeExpression:
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
    start = starts[occurrence]
    return TimeExpression(tid, phrase, start, start + len(phrase), kind, value,
                          interval=interval or day_interval(date(2017, 1, 30)),
                          resolution="dateline")


def _dated(events: list[Event], tid: str) -> set[str]:
    return {e.trigger.text for e in events if e.timex == tid}


# --- the data file's examples -------------------------------------------------------------

ATTACH = [(rule["rule"], ex) for rule in lexicon_data()["attach"] for ex in rule["example"]]


@pytest.mark.parametrize("rule,example", ATTACH, ids=[f"{r}:{e['time']}" for r, e in ATTACH])
def test_attachment_examples(rule: str, example: dict) -> None:
    text = example["text"]
    events = extract_events(text, [_timex(text, example["time"])], [], LINE)
    assert _dated(events, "t1") == set(example["triggers"]), rule
    if "label" in example:
        labels = {e.text for e in events if e.timex == "t1"}
        assert example["label"] in labels


SIGNALS = lexicon_data()["signals"]["example"]


@pytest.mark.parametrize("example", SIGNALS, ids=[e["text"] for e in SIGNALS])
def test_signal_examples(example: dict) -> None:
    text = example["text"]
    tx = _timex(text, example["time"])
    events = extract_events(text, [tx], [], LINE)
    dated = [e for e in events if e.timex == "t1"]
    assert dated and {e.relation for e in dated} == {example["relation"]}


def test_lexicon_shape() -> None:
    data = lexicon_data()
    assert {"words", "verbs", "nouns", "signals", "attach", "sentences"} <= set(data)
    for rule in data["attach"]:
        assert rule["doc"] and rule["example"], rule["rule"]
    for line in data["verbs"]["irregular"]:
        assert len(line.split()) == 3, line
    assert set(data["signals"]) - {"example"} <= {"after", "before", "since", "until", "during"}


# --- the seed -------------------------------------------------------------------------------

def _seed_by_hand(seed_text: str) -> tuple[list[TimeExpression], list[Event]]:
    timexes = [
        _timex(seed_text, "yesterday", "t1", 0, value="2017-01-30"),
        _timex(seed_text, "soon", "t2", 0, Interval(SEED_DAY, None), "FUTURE_REF"),
        _timex(seed_text, "yesterday", "t3", 1, value="2017-01-30"),
    ]
    return timexes, extract_events(seed_text, timexes, [], LINE)


def test_seed_yesterdays_and_soon_by_hand(seed_text: str) -> None:
    _, events = _seed_by_hand(seed_text)
    assert _dated(events, "t1") == {"told"}
    assert _dated(events, "t3") == {"press conference", "discussed"}
    make = [e for e in events if e.timex == "t2"]
    assert [e.trigger.text for e in make] == ["make"]
    assert make[0].interval == Interval(SEED_DAY, None)
    assert make[0].relation == "on"


def test_seed_labels_and_actors(seed_text: str) -> None:
    _, events = _seed_by_hand(seed_text)
    by_trigger = {e.trigger.text: e for e in events if e.timex}
    assert by_trigger["told"].text == "Naumkin told reporters in Moscow"
    assert by_trigger["told"].actor == "Vitaky Naumkin"
    assert by_trigger["discussed"].text == (
        "Lavrov discussed potentials of U.S.-Russian military cooperation")
    assert by_trigger["press conference"].text == (
        "Lavrov's joint press conference with Eritrea's foreign minister")
    assert by_trigger["discussed"].actor == "Sergei Lavrov"
    assert by_trigger["make"].text.startswith("Trump will make a decision")
    assert by_trigger["make"].actor == "Trump"
    for e in events:
        assert len(e.text.split()) <= MAX_LABEL_WORDS, e.text
        assert seed_text[e.trigger.start_char:e.trigger.end_char] == e.trigger.text
        assert e.sentence.start_char <= e.trigger.start_char < e.sentence.end_char
        assert seed_text[e.sentence.start_char:e.sentence.end_char] == e.sentence.text


def test_seed_pronoun_resolves_to_last_named_subject(seed_text: str) -> None:
    _, events = _seed_by_hand(seed_text)
    he_said = [e for e in events if e.sentence.text == "he said."]
    assert [(e.trigger.text, e.actor, e.text) for e in he_said] == [
        ("said", "Vitaky Naumkin", "Naumkin said")]
    assert he_said[0].relation == "before"
    assert he_said[0].interval == Interval(None, SEED_DAY)


def test_seed_through_the_pipeline(seed_text: str) -> None:
    tl = timeline.extract(seed_text)
    assert tl.dateline.value == SEED_DAY
    yesterdays = [t for t in tl.timexes if t.text == "yesterday"]
    soon = [t for t in tl.timexes if t.text == "soon"]
    assert len(yesterdays) == 2 and len(soon) == 1
    assert _dated(tl.events, yesterdays[0].id) == {"told"}
    assert _dated(tl.events, yesterdays[1].id) == {"press conference", "discussed"}
    make = [e for e in tl.events if e.timex == soon[0].id]
    assert [e.trigger.text for e in make] == ["make"]
    assert make[0].interval.start == SEED_DAY and make[0].interval.end is None
    # Every time and anchor dates at least one event, except the dateline itself.
    dated = {e.timex for e in tl.events} | {e.anchor for e in tl.events}
    for tx in tl.timexes:
        if tx.start_char != tl.dateline.start_char:
            assert tx.id in dated, tx.text
    for an in tl.anchors:
        assert an.id in dated, an.text


def test_seed_anchor_relations(seed_text: str) -> None:
    g20 = seed_text.index("a G20 summit")
    anchor = Anchor("a1", "a G20 summit", g20, g20 + len("a G20 summit"), "G20 2017",
                    interval=Interval(date(2017, 7, 7), date(2017, 7, 9)), relation="after",
                    resolution="known_event")
    events = extract_events(seed_text, [], [anchor], LINE)
    dated = [e for e in events if e.anchor == "a1"]
    assert [e.trigger.text for e in dated] == ["happen"]
    assert dated[0].relation == "after"
    assert dated[0].interval == Interval(date(2017, 7, 9), None)
    assert dated[0].text == "This may or may not happen"


def test_anchor_offset_dates_the_offset_day() -> None:
    text = "Two days after the 2017 G20 summit, Merkel met Trump."
    start = text.index("the 2017")
    anchor = Anchor("a1", "the 2017 G20 summit", start, start + 19, "G20 2017",
                    interval=Interval(date(2017, 7, 7), date(2017, 7, 9)), relation="after",
                    offset="P2D", target=Interval(date(2017, 7, 10), date(2017, 7, 11)),
                    resolution="known_event")
    timexes = [TimeExpression("t1", "Two days", 0, 8, "DURATION", "P2D"),
               _timex(text, "2017", "t2", interval=Interval(date(2017, 1, 1), date(2018, 1, 1)))]
    events = extract_events(text, timexes, [anchor], LINE)
    assert [(e.trigger.text, e.anchor, e.timex, e.interval) for e in events] == [
        ("met", "a1", None, Interval(date(2017, 7, 10), date(2017, 7, 11)))]


def test_time_inside_an_anchor_makes_no_second_event() -> None:
    text = "Germany won the 2014 World Cup in Rio."
    start = text.index("the 2014")
    cup = Interval(date(2014, 6, 12), date(2014, 7, 14))
    anchor = Anchor("a1", "the 2014 World Cup", start, start + 18, "World Cup 2014",
                    interval=cup, target=cup, resolution="known_event")
    events = extract_events(text, [_timex(text, "2014")], [anchor], LINE)
    assert [(e.trigger.text, e.anchor, e.timex, e.interval) for e in events] == [
        ("won", "a1", None, cup)]


# --- events without a time ------------------------------------------------------------------

@pytest.mark.parametrize("text,relation,interval", [
    ("Trump will make a decision on Syria.", "after", Interval(SEED_DAY, None)),
    ("The envoy met the rebels.", "before", Interval(None, SEED_DAY)),
    ("The envoy has met the rebels.", "before", Interval(None, SEED_DAY)),
    ("The envoy wants a deal.", "undated", Interval()),
    ("The rebels could win.", "undated", Interval()),
])
def test_undated_events_take_tense(text: str, relation: str, interval: Interval) -> None:
    events = extract_events(text, [], [], LINE)
    assert len(events) == 1
    assert (events[0].relation, events[0].interval) == (relation, interval)
    assert events[0].timex is None and events[0].anchor is None


def test_only_the_main_verb_of_a_timeless_sentence() -> None:
    text = "Officials who asked not to be named met the rebels and left."
    events = extract_events(text, [], [], LINE)
    assert [e.trigger.text for e in events] == ["met"]


def test_a_timeless_report_keeps_what_it_reports() -> None:
    text = "Officials who asked not to be named said the talks had collapsed. He said."
    events = extract_events(text, [], [], LINE)
    assert [(e.trigger.text, e.text, e.relation) for e in events] == [
        ("collapsed", "The talks had collapsed", "before"), ("said", "He said", "before")]


def test_at_most_one_undated_event_per_sentence(seed_text: str) -> None:
    tl = timeline.extract(seed_text)
    undated = [e for e in tl.events if e.timex is None and e.anchor is None]
    sentences = [e.sentence.start_char for e in undated]
    assert undated and len(sentences) == len(set(sentences))
    dated_sentences = {e.sentence.start_char for e in tl.events if e.timex or e.anchor}
    assert not dated_sentences & set(sentences)


def test_sentences_with_a_time_get_no_undated_event() -> None:
    text = "The minister arrived on Monday and said the talks had collapsed."
    events = extract_events(text, [_timex(text, "Monday")], [], LINE)
    assert all(e.timex == "t1" for e in events)
    assert "arrived" in _dated(events, "t1")


def test_role_noun_resolves_to_last_named_subject() -> None:
    text = "Foreign Minister Sergei Lavrov spoke on Monday. The minister left for Geneva."
    events = extract_events(text, [_timex(text, "Monday")], [], LINE)
    left = next(e for e in events if e.trigger.text == "left")
    assert left.actor == "Sergei Lavrov" and left.text == "Lavrov left for Geneva"


def test_dateline_time_dates_nothing() -> None:
    text = "MOSCOW, Jan 30 (Reuters) - Russia said on Monday it was ready."
    line = Dateline(date(2017, 1, 30), "text", 8, 14, "Jan 30")
    timexes = [_timex(text, "Jan 30", "t1"), _timex(text, "Monday", "t2")]
    events = extract_events(text, timexes, [], line)
    assert not _dated(events, "t1")
    assert "said" in _dated(events, "t2")


def test_empty_and_odd_input() -> None:
    assert extract_events("", [], [], LINE) == []
    assert extract_events("   \n", [], [], LINE) == []
    assert extract_events("!!! ??? ...", [], [], LINE) == []
    events = extract_events("Yesterday.", [_timex("Yesterday.", "Yesterday")], [],
                            Dateline(None))
    assert all(e.interval == Interval() or e.timex for e in events)


# --- the frame ----------------------------------------------------------------------------

def test_frame_from_events(seed_text: str) -> None:
    timexes, events = _seed_by_hand(seed_text)
    frame = Timeline(seed_text, LINE, timexes, [], events, id="seed").to_frame()
    assert tuple(frame.columns) == FRAME_COLUMNS
    assert len(frame) == len(events)
    assert str(frame["start"].dtype) == "string" and str(frame["time_start_char"].dtype) == "Int64"
    starts = [s for s in frame["start"].tolist() if isinstance(s, str)]
    assert starts == sorted(starts)
    told = frame[frame["trigger"] == "told"].iloc[0]
    assert (told["start"], told["end"], told["relation"]) == ("2017-01-30", "2017-01-31", "on")
    assert told["event"] == "Naumkin told reporters in Moscow"


# --- measured anchoring and speed -----------------------------------------------------------

def test_tbaq_anchoring_with_gold_timexes(tbaq_dir) -> None:
    total = timeml.Counts()
    for path in timeml.find_files([tbaq_dir]):
        doc = timeml.read(path)
        counts, _ = timeml.score_document(doc, _with_gold_timexes(doc))
        total.add(counts)
    scores = timeml.scores(total)
    assert scores["anchoring_recall"] >= 0.55
    assert scores["anchoring_precision"] >= 0.67


def test_speed(seed_text: str) -> None:
    timexes, _ = _seed_by_hand(seed_text)
    text = seed_text * 5
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        extract_events(text, timexes, [], LINE)
        best = min(best, time.process_time() - started)
    # A guard against gross regressions only (3x the stage's share of the 1 ms/1k budget, so
    # that a loaded CI machine does not fail it); bench/engine.py measures the real figure.
    assert best * 1000 / len(text) * 1000 < 1.8      # ms CPU per 1,000 characters


def test_long_unpunctuated_input_stays_linear() -> None:
    words = "the talks resumed on monday and officials said they would meet again".split()
    text = " ".join(words[i % len(words)] for i in range(40000))
    timexes = [TimeExpression(f"t{i}", "monday", m.start(), m.end())
               for i, m in enumerate(re.finditer("monday", text))]
    started = time.process_time()
    events = extract_events(text, timexes, [], Dateline(None))
    assert time.process_time() - started < 2.0
    assert {e.timex for e in events} >= {t.id for t in timexes}


@pytest.mark.parametrize("text", ["He said n't go on Monday.", "n't", "Don 't stop Monday.",
                                  "They don't go on Monday."])
def test_contractions_never_break(text: str) -> None:
    # A lone "n" before "'t" once left an empty token behind.
    tl = timeline.extract(text, dateline="2019-01-02")
    for ev in tl.events:
        assert text[ev.trigger.start_char:ev.trigger.end_char] == ev.trigger.text != ""
