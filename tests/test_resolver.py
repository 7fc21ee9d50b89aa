"""Resolving: values and intervals against the dateline, tense, and earlier mentions."""

from __future__ import annotations

from datetime import date

import pytest

from timeline import finder, resolver


def resolve(text: str, dct: str | None) -> dict[str, object]:
    day = date.fromisoformat(dct) if dct else None
    return {t.text: t for t in resolver.resolve(text, finder.find(text), day)}


@pytest.mark.parametrize(("text", "dct", "span", "value"), [
    ("The minister said on Tuesday he would stay.", "2017-02-01", "Tuesday", "2017-01-31"),
    ("Talks will resume on Tuesday.", "2017-02-01", "Tuesday", "2017-02-07"),
    ("The plant closed in March.", "2017-01-31", "March", "2016-03"),
    ("The plant will close in March.", "2017-01-31", "March", "2017-03"),
    ("Net rose in the third quarter.", "1989-11-02", "the third quarter", "1989-Q3"),
    ("A year earlier, net was $2 million.", "1989-11-02", "A year earlier", "1988"),
    ("Net rose in the third quarter. A year earlier, net fell.", "1989-11-02",
     "A year earlier", "1988-Q3"),
])
def test_relative_values(text: str, dct: str, span: str, value: str) -> None:
    assert resolve(text, dct)[span].value == value


def test_no_dateline_leaves_relative_times_unresolved() -> None:
    found = resolve("Yesterday and on Tuesday, in March; they will meet soon; on Jan. 31, 2017.",
                    None)
    assert found["Yesterday"].value == "XXXX-XX-XX"
    assert found["Tuesday"].value == "XXXX-WXX-2"
    assert found["March"].value == "XXXX-03"
    for key in ("Yesterday", "Tuesday", "March", "soon"):
        assert found[key].interval.is_empty
        assert found[key].resolution == "unresolved"
    assert found["Jan. 31, 2017"].value == "2017-01-31"
    assert found["Jan. 31, 2017"].resolution == "explicit"


def test_vague_times_are_open_intervals() -> None:
    found = resolve("Prices fell recently and will rise soon; at present they hold.",
                    "2017-01-31")
    assert found["recently"].interval.to_json() == {"start": None, "end": "2017-01-31"}
    assert found["soon"].interval.to_json() == {"start": "2017-01-31", "end": None}
    assert found["at present"].interval.to_json() == {"start": "2017-01-31",
                                                      "end": "2017-02-01"}


def test_durations_anchored_by_past_or_next() -> None:
    found = resolve("Output fell over the past two months and three days.", "2000-01-28")
    past = found["the past two months"]
    assert (past.value, past.type) == ("P2M", "DURATION")
    assert past.interval.to_json() == {"start": "1999-11-28", "end": "2000-01-28"}
    assert found["three days"].interval.is_empty


def test_position_mods_narrow_the_interval() -> None:
    late = resolve("It closed in late November.", "2000-01-06")["late November"]
    assert (late.value, late.mod) == ("1999-11", "END")
    assert late.interval.to_json()["end"] == "1999-12-01"
    assert late.interval.to_json()["start"] > "1999-11-01"


def test_a_present_tense_schedule_looks_ahead() -> None:
    # Written on Thursday 2000-01-06: a schedule verb in the present points to what is to come.
    assert resolve("It closes in late November.", "2000-01-06")["late November"].value == \
        "2000-11"
    assert resolve("Talks resume on Monday.", "2000-01-06")["Monday"].value == "2000-01-10"
    assert resolve("Talks resumed on Monday.", "2000-01-06")["Monday"].value == "2000-01-03"


def test_impossible_dates_are_dropped() -> None:
    assert "Feb. 30, 2017" not in resolve("It was Feb. 30, 2017.", "2017-03-01")
