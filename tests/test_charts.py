"""web.charts: markers for exact days, bands for periods, fading open ends, the unresolved lane,
hover text, colours per article, aggregation of large frames, the standalone page."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import plotly.graph_objects as go
import pytest

from timeline.model import rows_to_frame
from web import charts


def row(event_id: str, start: str | None, end: str | None, *, granularity: str = "day",
        article_id: str = "1", label: str | None = None, mod: str | None = None,
        relation: str = "on", time_text: str | None = "yesterday",
        sentence: str = "Naumkin told reporters in Moscow yesterday.") -> dict:
    return {"article_id": article_id, "event_id": event_id, "start": start, "end": end,
            "granularity": granularity, "relation": relation,
            "event": label or f"event {event_id}", "trigger": "told", "actor": None,
            "time_text": time_text, "time_type": "DATE", "time_value": start, "time_mod": mod,
            "resolution": "dateline", "anchor_name": None, "sentence": sentence,
            "time_start_char": 10, "time_end_char": 19, "dateline": "2017-01-31",
            "dateline_source": "given"}


def traces(fig: go.Figure, name_part: str) -> list:
    return [t for t in fig.data if name_part in (t.name or "")]


def ms(delta: timedelta) -> float:
    return delta / timedelta(milliseconds=1)


@pytest.fixture()
def mixed() -> go.Figure:
    frame = rows_to_frame([
        row("e1", "2017-01-30", "2017-01-31", label="Naumkin told reporters"),
        row("e2", "2017-01-01", "2017-02-01", granularity="month", label="Talks in January"),
        row("e3", "2017-01-31", None, granularity="unknown", label="Trump will decide",
            relation="after"),
        row("e4", None, "2016-11-08", granularity="unknown", label="pre-election promises",
            relation="before"),
        row("e5", None, None, granularity="unknown", label="Palmyra effort",
            relation="undated", time_text=None),
        row("e6", "2017-01-20", "2017-01-21", label="About that day", mod="APPROX"),
    ])
    return charts.figure(frame)


def test_exact_day_is_a_marker_at_the_middle_of_its_day(mixed: go.Figure) -> None:
    (days,) = traces(mixed, "day")
    assert days.type == "scatter" and days.mode == "markers"
    assert list(days.x) == ["2017-01-30T12:00:00"]
    assert list(days.ids) == ["1/e1"]


def test_periods_and_fuzzy_days_are_bands_from_start_to_end(mixed: go.Figure) -> None:
    (bands,) = traces(mixed, "period")
    assert bands.type == "bar" and bands.orientation == "h"
    spans = dict(zip(bands.ids, zip(bands.base, bands.x, strict=True), strict=True))
    assert spans["1/e2"] == ("2017-01-01T00:00:00", ms(timedelta(days=31)))
    assert spans["1/e6"] == ("2017-01-20T00:00:00", ms(timedelta(days=1)))   # APPROX: a band


def test_open_ends_fade_to_the_chart_edge_with_an_arrow(mixed: go.Figure) -> None:
    left, right = (datetime.fromisoformat(v) for v in mixed.layout.xaxis.range)
    (fade,) = [t for t in traces(mixed, "open end") if t.type == "bar"]
    (arrows,) = [t for t in traces(mixed, "open end") if t.type == "scatter"]
    segments = list(zip(fade.y, fade.base, fade.x, fade.marker.opacity, strict=True))
    after = [s for s in segments if s[0] == "1/e3"]
    before = [s for s in segments if s[0] == "1/e4"]
    assert len(after) == len(before) == len(charts.FADE_STEPS)
    # "after" runs from its start to the right edge, fading out.
    assert datetime.fromisoformat(after[0][1]) == datetime(2017, 1, 31)
    end = datetime.fromisoformat(after[-1][1]) + timedelta(milliseconds=after[-1][2])
    assert abs(end - right) < timedelta(seconds=1)
    assert [s[3] for s in after] == sorted((s[3] for s in after), reverse=True)
    # "before" runs from the left edge up to its end, fading towards the edge.
    assert abs(datetime.fromisoformat(before[-1][1]) - left) < timedelta(seconds=1)
    assert dict(zip(arrows.y, arrows.marker.symbol, strict=True)) == {
        "1/e3": "triangle-right", "1/e4": "triangle-left"}
    assert set(arrows.x) == {mixed.layout.xaxis.range[0], mixed.layout.xaxis.range[1]}


def test_events_without_time_sit_in_the_unresolved_lane(mixed: go.Figure) -> None:
    (loose,) = traces(mixed, "no date")
    assert list(loose.y) == [charts.UNRESOLVED]
    assert list(mixed.layout.yaxis.categoryarray)[-1] == charts.UNRESOLVED
    left, right = mixed.layout.xaxis.range
    assert left < loose.x[0] < right


def test_rows_are_ordered_by_start_and_labelled(mixed: go.Figure) -> None:
    assert list(mixed.layout.yaxis.categoryarray) == [
        "1/e4", "1/e2", "1/e6", "1/e1", "1/e3", charts.UNRESOLVED]
    assert list(mixed.layout.yaxis.ticktext)[:2] == ["pre-election promises",
                                                     "Talks in January"]


def test_hover_shows_label_time_text_interval_and_sentence(mixed: go.Figure) -> None:
    (days,) = traces(mixed, "day")
    hover = days.hovertext[0]
    assert "<b>Naumkin told reporters</b>" in hover
    assert "“yesterday”" in hover
    assert "[2017-01-30, 2017-01-31)" in hover
    assert "Naumkin told reporters in Moscow yesterday." in hover


def test_user_text_is_escaped_in_hover_and_ticks() -> None:
    frame = rows_to_frame([row("e1", "2017-01-30", "2017-01-31",
                               label="<img src=x onerror=alert(1)>",
                               sentence="a <script>alert(1)</script> b")])
    fig = charts.figure(frame)
    blob = fig.to_json()
    assert "<img" not in blob and "<script" not in blob
    assert "&lt;img src=x onerror=alert(1)&gt;" in fig.data[0].hovertext[0]


def test_one_colour_per_article_and_names_in_the_legend() -> None:
    frame = rows_to_frame([row("e1", "2017-01-30", "2017-01-31", article_id="1"),
                           row("e2", "2017-02-03", "2017-02-04", article_id="2"),
                           row("e3", "2017-02-05", "2017-02-06", article_id="2")])
    fig = charts.figure(frame, names={"1": "First story", "2": "Second story"})
    by_name = {t.name: t for t in fig.data}
    first, second = by_name["First story · day"], by_name["Second story · day"]
    assert len(set(first.marker.color)) == len(set(second.marker.color)) == 1
    assert first.marker.color[0] != second.marker.color[0]
    assert "<i>Second story</i>" in second.hovertext[0]
    legend = [t.name for t in fig.data if t.showlegend is not False]
    assert legend == ["First story", "Second story"]      # one entry per article


def test_many_articles_share_traces_with_per_point_colours() -> None:
    rows = [row(f"e{i}", "2017-01-30", "2017-01-31", article_id=str(i)) for i in range(20)]
    fig = charts.figure(rows_to_frame(rows))
    (days,) = traces(fig, "day")
    assert len(days.x) == 20 and len(set(days.marker.color)) == 20


def test_large_frames_are_aggregated_and_lose_no_event() -> None:
    start = datetime(2016, 1, 1)
    rows = []
    for i in range(4000):
        day = start + timedelta(days=i % 400)
        rows.append(row(f"e{i}", day.date().isoformat(),
                        (day + timedelta(days=1)).date().isoformat(), article_id=str(i % 5)))
    fig = charts.figure(rows_to_frame(rows))
    markers = traces(fig, "day")
    assert sum(len(t.x) for t in markers) <= charts.AGGREGATE_ABOVE
    # Every marker stands for a number of events; together they are all 4000.
    counts = [re.match(r"<b>(\d+) events</b>", text) for t in markers for text in t.hovertext]
    assert sum(int(m.group(1)) if m else 1 for m in counts) == 4000
    assert set(fig.layout.yaxis.categoryarray) == {"0", "1", "2", "3", "4"}   # one lane each


def test_aggregate_keeps_weights_per_bucket() -> None:
    point = {"x": ["2017-01-02T12:00:00", "2017-01-03T12:00:00", "2017-01-20T12:00:00"],
             "y": ["a", "a", "a"], "text": ["t1", "t2", "t3"], "color": ["#000"] * 3,
             "ids": ["1/e1", "1/e2", "1/e3"], "label": [["one"], ["two"], ["three"]],
             "weight": [1, 1, 1]}
    week = charts._aggregate(point, "week")
    assert week["weight"] == [2, 1]
    assert week["text"][1] == "t3"
    assert week["text"][0].startswith("<b>2 events</b> · week of 2017-01-02")
    month = charts._aggregate(week, "month")
    assert month["weight"] == [3] and month["label"] == [["one", "two", "three"]]


def test_empty_frame_draws_an_empty_chart() -> None:
    fig = charts.figure(rows_to_frame([]))
    assert len(fig.data) == 0
    assert fig.layout.annotations[0].text == "no events"


def test_standalone_html_inlines_plotly_and_escapes_the_title() -> None:
    frame = rows_to_frame([row("e1", "2017-01-30", "2017-01-31")])
    page = charts.standalone_html(frame, "Seed <article>")
    assert page.startswith("<!doctype html>")
    assert "<title>Seed &lt;article&gt;</title>" in page
    assert '<script src="http' not in page and "<script src=" not in page
    assert len(page) > 1_000_000          # plotly.js itself is inside
    assert "Plotly.newPlot" in page


def test_a_window_fixes_the_visible_range_and_open_ends_reach_its_edge() -> None:
    frame = rows_to_frame([row("e1", "2017-01-30", "2017-01-31"),
                           row("e2", "2010-01-01", None, granularity="unknown"),
                           row("e3", "2030-01-01", "2030-01-02")])
    fig = charts.figure(frame, window=(date(2017, 1, 1), date(2017, 2, 28)))
    assert fig.layout.xaxis.range == ("2017-01-01T00:00:00", "2017-03-01T00:00:00")
    (arrows,) = [t for t in traces(fig, "open end") if t.type == "scatter"]
    assert list(arrows.x) == ["2017-03-01T00:00:00"]
    half_open = charts.figure(frame, window=(None, date(2017, 2, 28)))
    assert half_open.layout.xaxis.range[1] == "2017-03-01T00:00:00"
    assert half_open.layout.xaxis.range[0] < "2010-01-01"
