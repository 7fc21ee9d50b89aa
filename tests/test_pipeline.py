"""The whole extraction on the seed article, and a property test on arbitrary input."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import timeline
from timeline.calendar import earlier


def test_seed_dateline_is_found_in_the_text(seed_text: str) -> None:
    tl = timeline.extract(seed_text)
    assert tl.dateline.value == date(2017, 1, 31)
    assert tl.dateline.source == "text"
    assert seed_text[tl.dateline.start_char:tl.dateline.end_char] == "Jan. 31, 2017"


def test_seed_yesterdays_and_no_false_dates(seed_text: str) -> None:
    tl = timeline.extract(seed_text)
    yesterdays = [t for t in tl.timexes if t.text == "yesterday"]
    assert len(yesterdays) == 2
    for t in yesterdays:
        assert t.value == "2017-01-30"
        assert t.interval.to_json() == {"start": "2017-01-30", "end": "2017-01-31"}
        assert t.resolution == "dateline"
    assert not any(t.text.lower() in ("may", "we") for t in tl.timexes)


def test_given_dateline_wins(seed_text: str) -> None:
    tl = timeline.extract(seed_text, "2017-02-05")
    assert tl.dateline.source == "given"
    assert [t.value for t in tl.timexes if t.text == "yesterday"] == ["2017-02-04"] * 2


def test_no_dateline_warns_and_leaves_relative_times_unresolved() -> None:
    tl = timeline.extract("Officials said yesterday that talks would resume soon.")
    assert tl.dateline.value is None and tl.dateline.source == "none"
    assert tl.warnings
    assert all(t.resolution == "unresolved" for t in tl.timexes)
    assert all(t.interval.is_empty for t in tl.timexes)


def test_datelines_at_the_ends_of_the_calendar() -> None:
    text = ("last year, yesterday, three years ago, next week, tomorrow, the third quarter, "
            "in March, last Tuesday, next decade, a year earlier, the following year")
    expected = {t.text for t in timeline.extract(text, date(2000, 6, 1)).timexes}
    for day in (date(1, 1, 1), date(1, 6, 1), date(9999, 12, 31)):
        tl = timeline.extract(text, day)
        _check(tl, text)
        assert {t.text for t in tl.timexes} == expected
        assert all(t.value and not t.value.startswith(("1-", "9-")) for t in tl.timexes)


_WORDS = ["Jan.", "31,", "2017", "yesterday", "last", "next", "Tuesday", "March", "may",
          "the", "past", "three", "years", "ago", "soon", "at", "present", "early", "1990s",
          "quarter", "third", "fiscal", "1989", "10:35", "a.m.", "week", "summit", "after",
          "G20", "election", "pre-election", "Christmas", "since", "we", "$", "5", "-", ",",
          ".", "\n", "(Reuters)", "MOSCOW,", "'98", "mid-", "year-earlier", "daily", "noon",
          "3/4/2019", "31/01/2017", "2019/03/04", "FY2019", "10am", "H1", "(0735 GMT)", "Friday",
          "recent", "coming", "weeks", "Earlier", "quarterly", "this", "late", "was", "will",
          "n't", "n", "'t", "don't", "Mr.", "U.S."]


def _check(tl: timeline.Timeline, text: str) -> None:
    spans = [(t.start_char, t.end_char, t.text) for t in tl.timexes]
    spans += [(a.start_char, a.end_char, a.text) for a in tl.anchors]
    spans += [(e.trigger.start_char, e.trigger.end_char, e.trigger.text) for e in tl.events]
    for start, end, piece in spans:
        assert 0 <= start <= end <= len(text)
        assert text[start:end] == piece
    intervals = [t.interval for t in tl.timexes] + [a.interval for a in tl.anchors]
    intervals += [e.interval for e in tl.events]
    for iv in intervals:
        if iv.start is not None and iv.end is not None:
            assert earlier(iv.start, iv.end)
    tl.to_json()
    tl.to_csv()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=300),
       dateline=st.one_of(st.none(), st.dates(min_value=date(1, 1, 1))))
def test_arbitrary_text_never_breaks(text: str, dateline: date | None) -> None:
    _check(timeline.extract(text, dateline), text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(_WORDS), max_size=40),
       dateline=st.one_of(st.none(), st.dates(min_value=date(1, 1, 1),
                                              max_value=date(9999, 12, 31))))
def test_date_like_text_never_breaks(words: list[str], dateline: date | None) -> None:
    text = " ".join(words)
    _check(timeline.extract(text, dateline), text)


def test_seed_as_a_reader_dates_it(seed_text: str) -> None:
    """Issue 3's reading of the seed, point by point."""
    tl = timeline.extract(seed_text)
    by_text = {t.text: t for t in tl.timexes}
    soon = by_text["soon"]
    assert (soon.value, soon.interval.to_json()) == (
        "FUTURE_REF", {"start": "2017-01-31", "end": None})
    present = by_text["at present"]
    assert (present.value, present.interval.to_json()) == (
        "PRESENT_REF", {"start": "2017-01-31", "end": "2017-02-01"})
    later = by_text["some time later"]
    assert later.value == "FUTURE_REF" and later.interval.end is None
    anchors = {a.text: a for a in tl.anchors}
    g20 = anchors["a G20 summit"]
    assert g20.interval.to_json() == {"start": "2017-07-07", "end": "2017-07-09"}
    assert g20.kind == "known_event" and g20.relation == "after"
    election = anchors["election"]
    assert election.interval.to_json() == {"start": "2016-11-08", "end": "2016-11-09"}
    assert election.relation == "before"
    decision = next(e for e in tl.events if "decision" in e.text)
    assert decision.interval.start is not None and str(decision.interval.start) >= "2017-01-31"
    assert decision.interval.end is None
