"""Plotly timelines from an events frame (the contract's columns); no Flask in here.

Exact days (and finer) are markers at the middle of their interval; coarser or fuzzy intervals
are bands from start to end; an interval open at one end is a band that fades towards the chart
edge with an arrow there; events without any time sit in their own "unresolved" lane.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

import plotly.graph_objects as go

# Granularities precise enough to draw as one point.
POINT_GRANULARITIES = frozenset({"day", "part_of_day", "hour", "minute", "second"})
# Fuzzy modifiers: even a single day with one of these is drawn as a band.
FUZZY_MODS = frozenset({"APPROX", "BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER",
                        "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS", "EQUAL_OR_MORE"})
# Up to this many events get one row each; beyond, one lane per colour group.
ROW_LIMIT = 60
# Above this many day markers, markers of one lane are merged per day, then week, then month
# (SVG stays smooth and the chart needs no WebGL, which headless or old browsers may lack).
AGGREGATE_ABOVE = 1500
# Up to this many colour groups get their own legend entries (and traces).
LEGEND_LIMIT = 12
UNRESOLVED = "unresolved (no date)"
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39",
           "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1", "#636363")
FADE_STEPS = (0.55, 0.4, 0.27, 0.15, 0.07)
_MS_PER_DAY = 86_400_000


def _parse(value: Any) -> datetime | None:
    text = _text(value)
    if not text:
        return None
    try:
        if "T" in text:
            return datetime.fromisoformat(text).replace(tzinfo=None)
        day = date.fromisoformat(text[:10])
    except ValueError:
        return None
    return datetime(day.year, day.month, day.day)


def _text(value: Any) -> str:
    try:
        if value is None or value != value:
            return ""
    except (TypeError, ValueError):  # pandas.NA compares ambiguously
        return ""
    return str(value)


def _esc(value: Any, width: int = 0, limit: int = 0) -> str:
    """User text made safe for Plotly's hover labels (which understand a little HTML)."""
    text = " ".join(_text(value).split())
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…"
    if width:
        return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) or ""
    return html.escape(text)


def _colour_map(values: list[str]) -> dict[str, str]:
    colours: dict[str, str] = {}
    for value in values:
        if value not in colours:
            colours[value] = PALETTE[len(colours) % len(PALETTE)]
    return colours


def _hover(row: Mapping[str, Any], group_name: str | None) -> str:
    start, end = _text(row.get("start")), _text(row.get("end"))
    if start or end:
        interval = f"[{start or '…'}, {end or '…'})"
    else:
        interval = "no interval"
    time_text = _text(row.get("time_text"))
    value = _text(row.get("time_value"))
    how = _text(row.get("resolution")) or "unresolved"
    lines = [f"<b>{_esc(row.get('event'), limit=90)}</b>"]
    if time_text:
        lines.append(f"“{_esc(time_text, limit=80)}”" + (f" = {_esc(value)}" if value else ""))
    lines.append(f"{_esc(row.get('relation'))} {interval} · {_esc(how)}")
    if group_name:
        lines.append(f"<i>{_esc(group_name, limit=60)}</i>")
    sentence = _esc(row.get("sentence"), width=80, limit=320)
    if sentence:
        lines.append(sentence)
    return "<br>".join(lines)


def _kind(row: Mapping[str, Any], start: datetime | None, end: datetime | None) -> str:
    if start is None and end is None:
        return "unresolved"
    if start is None or end is None:
        return "open"
    if _text(row.get("time_mod")).upper() in FUZZY_MODS:
        return "band"
    granularity = _text(row.get("granularity"))
    if granularity in POINT_GRANULARITIES:
        return "point"
    if granularity in ("", "unknown") and end - start <= timedelta(days=1):
        return "point"
    return "band"


class _Lanes:
    """The traces of one colour group, filled point by point."""

    def __init__(self) -> None:
        self.point: dict[str, list] = {"x": [], "y": [], "text": [], "color": [], "ids": [],
                                       "label": [], "weight": []}
        self.band: dict[str, list] = {"base": [], "x": [], "y": [], "text": [], "color": [],
                                      "ids": []}
        self.fade: dict[str, list] = {"base": [], "x": [], "y": [], "text": [], "color": [],
                                      "opacity": [], "ids": []}
        self.arrow: dict[str, list] = {"x": [], "y": [], "text": [], "color": [], "symbol": [],
                                       "ids": []}
        self.loose: dict[str, list] = {"y": [], "text": [], "color": [], "ids": []}

    def __len__(self) -> int:
        return len(self.point["x"]) + len(self.band["x"]) + len(self.arrow["x"]) + len(
            self.loose["y"])


def _bucket(x: str, unit: str) -> tuple[str, datetime]:
    """The bucket a marker at ``x`` falls in, and the middle of that bucket."""
    day = datetime.fromisoformat(x[:10])
    if unit == "day":
        return x[:10], day + timedelta(hours=12)
    if unit == "week":
        monday = day - timedelta(days=day.weekday())
        return monday.isoformat(), monday + timedelta(days=3, hours=12)
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return x[:7], first + (following - first) / 2


def _aggregate(point: dict[str, list], unit: str) -> dict[str, list]:
    """Markers of the same lane and colour in the same day/week/month merged into one."""
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for n, x in enumerate(point["x"]):
        key, middle = _bucket(x, unit)
        slot = merged.setdefault((point["y"][n], point["color"][n], key), {
            "x": middle.isoformat(), "labels": [], "weight": 0, "text": point["text"][n],
            "ids": point["ids"][n]})
        slot["weight"] += point["weight"][n]
        slot["labels"].extend(point["label"][n])
    out: dict[str, list] = {k: [] for k in point}
    for (y, colour, key), slot in merged.items():
        weight, labels = slot["weight"], slot["labels"][:8]
        if weight == 1:
            text = slot["text"]
        else:
            more = f"<br>… and {weight - len(labels)} more" if weight > len(labels) else ""
            text = f"<b>{weight} events</b> · {unit} of {key}<br>{'<br>'.join(labels)}{more}"
        for name, value in (("x", slot["x"]), ("y", y), ("text", text), ("color", colour),
                            ("ids", slot["ids"]), ("label", labels), ("weight", weight)):
            out[name].append(value)
    return out


def _size(weight: int) -> float:
    """Marker size for a marker standing for ``weight`` events."""
    return 11 if weight <= 1 else round(min(11 + 3 * (weight - 1) ** 0.5, 30), 1)


def figure(frame: Any, *, color_by: str = "article_id", names: Mapping[str, str] | None = None,
           title: str | None = None, height: int | None = None,
           window: tuple[date | None, date | None] | None = None) -> go.Figure:
    """A Plotly timeline of the events in ``frame``, one colour per value of ``color_by``.

    ``names`` maps colour values (e.g. article ids) to legend names (e.g. titles);
    ``window`` (first day, last day; either may be None) fixes the visible range, as the
    cross-article page's date filters do.
    """
    records = frame.to_dict("records") if hasattr(frame, "to_dict") else list(frame)
    names = dict(names or {})
    parsed = [(_parse(r.get("start")), _parse(r.get("end"))) for r in records]
    known = [v for pair in parsed for v in pair if v is not None]
    if known:
        low, high = min(known), max(known)
    else:
        low = high = datetime(2000, 1, 1)
    pad = max((high - low) * 0.06, timedelta(days=2))
    open_pad = max((high - low) * 0.18, timedelta(days=10))
    open_left = any(s is None and e is not None for s, e in parsed)
    open_right = any(e is None and s is not None for s, e in parsed)
    left = low - (open_pad if open_left else pad)
    right = high + (open_pad if open_right else pad)
    first, last = window or (None, None)
    if first is not None:
        left = datetime(first.year, first.month, first.day)
    if last is not None:
        right = datetime(last.year, last.month, last.day) + timedelta(days=1)
    if right <= left:
        right = left + timedelta(days=1)

    groups = [_text(r.get(color_by)) or "—" for r in records]
    colours = _colour_map(groups)
    per_row = len(records) <= ROW_LIMIT
    split_legend = 1 < len(colours) <= LEGEND_LIMIT

    order = sorted(range(len(records)), key=lambda i: (
        (parsed[i][0] or parsed[i][1] or datetime.max), i))
    categories: list[str] = []
    ticktext: list[str] = []
    lanes: dict[str, _Lanes] = {}
    loose_count = 0
    for i in order:
        row, (start, end) = records[i], parsed[i]
        group = groups[i]
        key = group if split_legend else ""
        lane = lanes.setdefault(key, _Lanes())
        colour = colours[group]
        hover = _hover(row, names.get(group, group) if len(colours) > 1 else None)
        ident = f"{_text(row.get('article_id'))}/{_text(row.get('event_id'))}"
        kind = _kind(row, start, end)
        if kind == "unresolved":
            lane.loose["y"].append(UNRESOLVED)
            lane.loose["text"].append(hover)
            lane.loose["color"].append(colour)
            lane.loose["ids"].append(ident)
            loose_count += 1
            continue
        if per_row:
            y = ident
            categories.append(y)
            ticktext.append(_esc(row.get("event"), limit=38) or ident)
        else:
            y = names.get(group, group)
            if y not in categories:
                categories.append(y)
                ticktext.append(_esc(y, limit=38))
        if kind == "point":
            mid = start + (end - start) / 2
            lane.point["x"].append(mid.isoformat())
            for name, value in (("y", y), ("text", hover), ("color", colour), ("ids", ident),
                                ("label", [_esc(row.get("event"), limit=60)]), ("weight", 1)):
                lane.point[name].append(value)
        elif kind == "band":
            lane.band["base"].append(start.isoformat())
            lane.band["x"].append((end - start) / timedelta(milliseconds=1))
            for name, value in (("y", y), ("text", hover), ("color", colour), ("ids", ident)):
                lane.band[name].append(value)
        else:  # open at one end: fade towards the edge, arrow at the edge
            edge, towards_right = (right, True) if end is None else (left, False)
            near = start if towards_right else end
            span = (edge - near) if towards_right else (near - edge)
            step = span / len(FADE_STEPS)
            for n, opacity in enumerate(FADE_STEPS):
                seg_start = near + step * n if towards_right else near - step * (n + 1)
                lane.fade["base"].append(seg_start.isoformat())
                lane.fade["x"].append(step / timedelta(milliseconds=1))
                for name, value in (("y", y), ("text", hover), ("color", colour),
                                    ("opacity", opacity), ("ids", ident)):
                    lane.fade[name].append(value)
            lane.arrow["x"].append(edge.isoformat())
            lane.arrow["symbol"].append("triangle-right" if towards_right else "triangle-left")
            for name, value in (("y", y), ("text", hover), ("color", colour), ("ids", ident)):
                lane.arrow[name].append(value)
    if loose_count:
        categories.append(UNRESOLVED)
        ticktext.append(UNRESOLVED)

    fig = go.Figure()
    loose_seen = 0
    for unit in ("day", "week", "month"):
        if sum(len(lane.point["x"]) for lane in lanes.values()) <= AGGREGATE_ABOVE:
            break
        for lane in lanes.values():
            lane.point = _aggregate(lane.point, unit)
    scatter = go.Scatter
    for key, lane in lanes.items():
        legend = names.get(key, key) if key else None
        group_args: dict[str, Any] = {"legendgroup": key or "all"}
        if legend:
            # One legend entry per colour group (it toggles the whole group); the kinds of
            # marks are explained under the chart.
            fig.add_trace(go.Scatter(
                x=[None], y=[None], mode="markers", name=_esc(legend, limit=60),
                marker={"color": colours[key], "size": 10, "symbol": "square"},
                hoverinfo="skip", **group_args))
            group_args["showlegend"] = False

        def label(kind: str, legend: str | None = legend) -> str:
            return f"{legend} · {kind}" if legend else kind

        if lane.band["x"]:
            fig.add_trace(go.Bar(
                orientation="h", base=lane.band["base"], x=lane.band["x"], y=lane.band["y"],
                hovertext=lane.band["text"], hoverinfo="text", ids=lane.band["ids"],
                customdata=lane.band["ids"],
                marker={"color": lane.band["color"], "opacity": 0.55,
                        "line": {"width": 1, "color": lane.band["color"]}},
                name=label("period"), width=0.6, **group_args))
        if lane.fade["x"]:
            fig.add_trace(go.Bar(
                orientation="h", base=lane.fade["base"], x=lane.fade["x"], y=lane.fade["y"],
                hovertext=lane.fade["text"], hoverinfo="text", customdata=lane.fade["ids"],
                marker={"color": lane.fade["color"], "opacity": lane.fade["opacity"],
                        "line": {"width": 0}},
                name=label("open end"), width=0.6, **group_args))
            fig.add_trace(go.Scatter(
                x=lane.arrow["x"], y=lane.arrow["y"], mode="markers", cliponaxis=False,
                hovertext=lane.arrow["text"], hoverinfo="text", customdata=lane.arrow["ids"],
                marker={"symbol": lane.arrow["symbol"], "size": 14, "color": lane.arrow["color"],
                        "line": {"width": 1, "color": "#ffffff"}},
                name=label("open end"), **{**group_args, "showlegend": False}))
        if lane.point["x"]:
            fig.add_trace(scatter(
                x=lane.point["x"], y=lane.point["y"], mode="markers",
                hovertext=lane.point["text"], hoverinfo="text", ids=lane.point["ids"],
                customdata=lane.point["ids"],
                marker={"color": lane.point["color"],
                        "size": [_size(w) for w in lane.point["weight"]],
                        "symbol": "diamond",
                        "line": {"width": 1, "color": "#ffffff"}},
                name=label("day"), **group_args))
        if lane.loose["y"]:
            count = len(lane.loose["y"])
            xs = [(left + (right - left) * (loose_seen + n + 0.5) / loose_count).isoformat()
                  for n in range(count)]
            loose_seen += count
            fig.add_trace(scatter(
                x=xs, y=lane.loose["y"], mode="markers", hovertext=lane.loose["text"],
                hoverinfo="text", ids=lane.loose["ids"], customdata=lane.loose["ids"],
                marker={"color": lane.loose["color"], "size": 10, "symbol": "circle-open",
                        "line": {"width": 2}},
                name=label("no date"), **group_args))

    rows = max(len(categories), 1)
    fig.update_layout(
        title={"text": _esc(title), "x": 0.01, "font": {"size": 15}} if title else None,
        barmode="overlay", hovermode="closest", dragmode="zoom",
        height=height or min(max(180 + 26 * rows, 300), 900),
        margin={"l": 10, "r": 20, "t": 40 if title else 16, "b": 40},
        paper_bgcolor="#ffffff", plot_bgcolor="#fbfbfa",
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
              "size": 12, "color": "#222"},
        hoverlabel={"align": "left", "bgcolor": "#ffffff", "font": {"size": 12}},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": 11}},
        showlegend=bool(records),
        xaxis={"type": "date", "range": [left.isoformat(), right.isoformat()],
               "gridcolor": "#e6e6e2", "showspikes": True, "spikemode": "across",
               "spikethickness": 1, "spikecolor": "#999", "spikedash": "dot"},
        yaxis={"type": "category", "categoryorder": "array", "categoryarray": categories,
               "tickvals": categories, "ticktext": ticktext, "autorange": "reversed",
               "automargin": True, "gridcolor": "#efefec"},
    )
    if not records:
        fig.add_annotation(text="no events", showarrow=False, x=0.5, y=0.5, xref="paper",
                           yref="paper", font={"size": 14, "color": "#777"})
    return fig


def standalone_html(frame: Any, title: str, *, color_by: str = "article_id",
                    names: Mapping[str, str] | None = None) -> str:
    """One self-contained HTML page (plotly.js inlined) with the timeline of ``frame``."""
    fig = figure(frame, color_by=color_by, names=names, title=title)
    body = fig.to_html(full_html=False, include_plotlyjs=True, config={"responsive": True})
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title>"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<style>body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222}</style>"
            f"</head><body><h1 style=\"font-size:1.2rem\">{html.escape(title)}</h1>\n"
            f"{body}\n</body></html>\n")
