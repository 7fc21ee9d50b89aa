"""The events frame and its CSV: columns, dtypes, order, formula safety, concatenation."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from timeline.calendar import Interval
from timeline.errors import DatelineError
from timeline.model import (
    FRAME_COLUMNS,
    Dateline,
    Event,
    Span,
    TimeExpression,
    Timeline,
    as_date,
    frame_to_csv,
    rows_to_frame,
    safe_cell,
)

TEXT = ('KYIV, May 5, 2017 - "=SUM(A1)" was typed, Ann said on Monday. '
        "Prices fell at 3 p.m. yesterday. @home they rest.")


def _span(part: str) -> Span:
    start = TEXT.index(part)
    return Span(part, start, start + len(part))


def hand_built(article_id: str | None = "42") -> Timeline:
    """Three events (given in reverse time order) whose cells need escaping."""
    monday = Interval(date(2017, 5, 1), date(2017, 5, 2))
    three_pm = Interval(datetime(2017, 5, 4, 15), datetime(2017, 5, 4, 16))
    t1, t2 = _span("on Monday"), _span("3 p.m. yesterday")
    return Timeline(
        TEXT, Dateline(date(2017, 5, 5), "text", 0, 17, "KYIV, May 5, 2017"),
        timexes=[
            TimeExpression("t1", t1.text, t1.start_char, t1.end_char, "DATE", "2017-05-01",
                           None, "day", monday, "dateline", "weekday"),
            TimeExpression("t2", t2.text, t2.start_char, t2.end_char, "TIME",
                           "2017-05-04T15:00", "APPROX", "hour", three_pm, "dateline", "clock"),
        ],
        events=[
            Event("e3", _span("rest"), "@home they rest", _span("@home they rest."), "\tthey",
                  None, None, "after", Interval(date(2017, 5, 5), None)),
            Event("e2", _span("fell"), "-5 percent fall", _span("Prices fell at 3 p.m. "
                  "yesterday."), "+Prices", "t2", None, "on", three_pm),
            Event("e1", _span("said"), "Ann said =SUM(A1)",
                  _span('"=SUM(A1)" was typed, Ann said on Monday.'), "Ann", "t1", None, "on",
                  monday),
        ],
        id=article_id,
    )


EXPECTED_CSV = (
    "article_id,event_id,start,end,granularity,relation,event,trigger,actor,time_text,"
    "time_type,time_value,time_mod,resolution,anchor_name,sentence,time_start_char,"
    "time_end_char,dateline,dateline_source\n"
    '42,e1,2017-05-01,2017-05-02,day,on,Ann said =SUM(A1),said,Ann,on Monday,DATE,2017-05-01,,'
    'dateline,,"""=SUM(A1)"" was typed, Ann said on Monday.",51,60,2017-05-05,text\n'
    "42,e2,2017-05-04T15:00,2017-05-04T16:00,hour,on,'-5 percent fall,fell,'+Prices,"
    "3 p.m. yesterday,TIME,2017-05-04T15:00,APPROX,dateline,,Prices fell at 3 p.m. yesterday.,"
    "77,93,2017-05-05,text\n"
    "42,e3,2017-05-05,,unknown,after,'@home they rest,rest,'\tthey,,,,,tense,,"
    "'@home they rest.,,,2017-05-05,text\n"
)


def test_csv_text_exact(tmp_path: Path) -> None:
    tl = hand_built()
    assert tl.to_csv() == EXPECTED_CSV
    out = tmp_path / "events.csv"
    assert tl.to_csv(out) is None
    assert out.read_bytes() == EXPECTED_CSV.encode("utf-8")


def test_csv_parses_back_to_the_frame() -> None:
    tl = hand_built()
    back = list(csv.DictReader(io.StringIO(tl.to_csv())))
    frame = tl.to_frame()
    assert [r["event_id"] for r in back] == list(frame["event_id"])
    for row, (_, cells) in zip(back, frame.iterrows(), strict=True):
        for col in FRAME_COLUMNS:
            value = "" if pd.isna(cells[col]) else str(cells[col])
            assert row[col].removeprefix("'") == value


@pytest.mark.parametrize("cell", [
    "=SUM(A1)", "=1+1", "+1", "+Prices", "-cmd", "-1-12", "-2+3+cmd|' /C calc'!A0", "- 5",
    "-1e5x", "@SUM(A1)", "@home", "\tthey", "\rthey", "\t", "-",
])
def test_formula_cells_are_escaped(cell: str) -> None:
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", [
    "-5", "-3.5", "-1,234.5", "-0,5", "-2.5e3", "-0044-03-15", "-0044-03-15T12:00",
    "2017-05-01", "5", "a=b", "Ann", " =x", "'quoted", "e-mail", "",
])
def test_numbers_dates_and_text_stay(cell: str) -> None:
    assert safe_cell(cell) == cell


@pytest.mark.parametrize("value, text", [
    (None, ""), (pd.NA, ""), (float("nan"), ""), (51, "51"), (-7, "-7"),
])
def test_missing_and_numbers(value: object, text: str) -> None:
    assert safe_cell(value) == text


def test_frame_dtypes_and_order() -> None:
    frame = hand_built().to_frame()
    assert list(frame.columns) == list(FRAME_COLUMNS)
    offsets = {"time_start_char", "time_end_char"}
    for col in FRAME_COLUMNS:
        assert str(frame[col].dtype) == ("Int64" if col in offsets else "string"), col
    assert list(frame["event_id"]) == ["e1", "e2", "e3"]          # sorted by start
    assert list(frame["start"]) == ["2017-05-01", "2017-05-04T15:00", "2017-05-05"]
    assert frame["end"].isna().tolist() == [False, False, True]
    assert frame["time_start_char"].tolist()[:2] == [51, 77]
    assert frame["time_start_char"].isna().tolist() == [False, False, True]
    assert isinstance(frame.index, pd.RangeIndex)


def test_empty_and_unsaved_frames() -> None:
    empty = Timeline("nothing happened", Dateline(None)).to_frame()
    reference = hand_built().to_frame()
    assert len(empty) == 0 and list(empty.columns) == list(FRAME_COLUMNS)
    assert empty.dtypes.equals(reference.dtypes)
    unsaved = hand_built(article_id=None).to_frame()
    assert unsaved["article_id"].isna().all()
    assert rows_to_frame([]).dtypes.equals(reference.dtypes)


def _second_article() -> Timeline:
    tl = hand_built("7")
    tl.events = tl.events[:2]
    tl.dateline = Dateline(None)
    return tl


def test_frames_of_several_articles_concatenate() -> None:
    first, second = hand_built(), _second_article()
    empty = Timeline("nothing", Dateline(None), id="9").to_frame()
    joined = pd.concat([first.to_frame(), empty, second.to_frame()], ignore_index=True)
    assert joined.dtypes.equals(first.to_frame().dtypes)
    assert len(joined) == 5
    assert list(joined["article_id"]) == ["42", "42", "42", "7", "7"]
    assert joined["dateline"].isna().tolist() == [False] * 3 + [True] * 2
    header, *rows_first = first.to_csv().splitlines(keepends=True)
    rows_second = second.to_csv().splitlines(keepends=True)[1:]
    assert frame_to_csv(joined) == header + "".join(rows_first + rows_second)


def test_json_round_trip_keeps_the_frame() -> None:
    tl = hand_built()
    back = Timeline.from_dict(tl.to_dict(), TEXT)
    assert back.to_dict() == tl.to_dict()
    pd.testing.assert_frame_equal(back.to_frame(), tl.to_frame())


@pytest.mark.parametrize(("given", "expected"), [
    ("2017-01-31", date(2017, 1, 31)), ("Jan. 31, 2017", date(2017, 1, 31)),
    ("31 January 2017", date(2017, 1, 31)), ("Tuesday, 31 Jan 2017", date(2017, 1, 31)),
    ("2019-03-04T10:32:00Z", date(2019, 3, 4))])
def test_a_dateline_may_be_written_out(given: str, expected: date) -> None:
    assert as_date(given) == expected


@pytest.mark.parametrize("given", ["yesterday", "3 days ago", "Monday", "January 2017", "2017",
                                   "not a date", "x" * 200])
def test_a_dateline_must_be_a_full_absolute_date(given: str) -> None:
    # Relative phrases would tie the dateline to the day the program runs: refused.
    with pytest.raises(DatelineError, match="is not a date"):
        as_date(given)
