"""The data a timeline is made of: datelines, time expressions, anchors, events.

Plain dataclasses with JSON round-trips; :class:`Timeline` also renders the events frame
(``to_frame``) and its CSV (``to_csv``) with the columns of the project's contract.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .calendar import Interval, iso
from .errors import DatelineError

DATELINE_SOURCES = ("given", "text", "metadata", "none")
RESOLUTIONS = ("explicit", "dateline", "previous_mention", "known_event", "holiday", "tense",
               "unresolved")
RELATIONS = ("on", "before", "after", "during", "since", "until", "undated")

FRAME_COLUMNS = (
    "article_id", "event_id", "start", "end", "granularity", "relation", "event", "trigger",
    "actor", "time_text", "time_type", "time_value", "time_mod", "resolution", "anchor_name",
    "sentence", "time_start_char", "time_end_char", "dateline", "dateline_source",
)
_INT_COLUMNS = ("time_start_char", "time_end_char")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the text: ``text == article[start_char:end_char]``."""

    text: str
    start_char: int
    end_char: int

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "start_char": self.start_char, "end_char": self.end_char}


@dataclass(frozen=True, slots=True)
class Dateline:
    """The publication date an article's relative times are read against, and where it came from."""

    value: date | None
    source: str = "none"          # given | text | metadata | none
    start_char: int | None = None
    end_char: int | None = None
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": iso(self.value), "source": self.source, "start_char": self.start_char,
                "end_char": self.end_char, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dateline:
        value = data.get("value")
        return cls(date.fromisoformat(value) if value else None, data.get("source", "none"),
                   data.get("start_char"), data.get("end_char"), data.get("text"))


@dataclass(slots=True)
class TimeExpression:
    """A TIMEX3: where it is, its TimeML type/value/mod, and the interval it denotes."""

    id: str
    text: str
    start_char: int
    end_char: int
    type: str = "DATE"            # DATE | TIME | DURATION | SET
    value: str | None = None
    mod: str | None = None
    granularity: str = "unknown"
    interval: Interval = field(default_factory=Interval)
    resolution: str = "unresolved"
    rule: str = ""
    quant: str | None = None
    freq: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"id": self.id, "text": self.text, "start_char": self.start_char,
                "end_char": self.end_char, "type": self.type, "value": self.value,
                "mod": self.mod, "granularity": self.granularity,
                "interval": self.interval.to_json(), "resolution": self.resolution,
                "rule": self.rule}
        if self.quant:
            data["quant"] = self.quant
        if self.freq:
            data["freq"] = self.freq
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TimeExpression:
        return cls(data["id"], data["text"], data["start_char"], data["end_char"],
                   data.get("type", "DATE"), data.get("value"), data.get("mod"),
                   data.get("granularity", "unknown"), Interval.from_json(data.get("interval")),
                   data.get("resolution", "unresolved"), data.get("rule", ""),
                   data.get("quant"), data.get("freq"))


@dataclass(slots=True)
class Anchor:
    """A mention of a named event, holiday or earlier-dated thing that a time leans on."""

    id: str
    text: str
    start_char: int
    end_char: int
    name: str | None = None
    kind: str = "known_event"     # known_event | holiday | previous_mention | unresolved
    interval: Interval = field(default_factory=Interval)
    source: str | None = None
    relation: str = "on"          # how the phrase relates to it: before, after, since, ...
    signal: str | None = None     # the word that says so ("after", "pre-")
    resolution: str = "unresolved"
    offset: str | None = None     # ISO duration of "two days after X" ("P2D"), else None
    # The interval of the thing the phrase dates: relate(relation, interval, dateline), or
    # the day the offset points to.
    target: Interval = field(default_factory=Interval)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "start_char": self.start_char,
                "end_char": self.end_char, "name": self.name, "kind": self.kind,
                "interval": self.interval.to_json(), "source": self.source,
                "relation": self.relation, "signal": self.signal,
                "resolution": self.resolution, "offset": self.offset,
                "target": self.target.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Anchor:
        return cls(data["id"], data["text"], data["start_char"], data["end_char"],
                   data.get("name"), data.get("kind", "known_event"),
                   Interval.from_json(data.get("interval")), data.get("source"),
                   data.get("relation", "on"), data.get("signal"),
                   data.get("resolution", "unresolved"), data.get("offset"),
                   Interval.from_json(data.get("target")))


@dataclass(slots=True)
class Event:
    """Something that happened or will happen, and the time (or anchor) that dates it."""

    id: str
    trigger: Span
    text: str                      # a short label a reader understands at a glance
    sentence: Span
    actor: str | None = None
    timex: str | None = None       # id of the TimeExpression that dates it
    anchor: str | None = None      # id of the Anchor that dates it
    relation: str = "undated"      # on | before | after | during | since | until | undated
    interval: Interval = field(default_factory=Interval)
    edited: bool = False           # True once a user corrected it

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "trigger": self.trigger.to_json(), "text": self.text,
                "actor": self.actor,
                "sentence": {"start_char": self.sentence.start_char,
                             "end_char": self.sentence.end_char},
                "timex": self.timex, "anchor": self.anchor, "relation": self.relation,
                "interval": self.interval.to_json(), "edited": self.edited}

    @classmethod
    def from_json(cls, data: dict[str, Any], text: str = "") -> Event:
        trig = data["trigger"]
        sent = data["sentence"]
        s, e = sent["start_char"], sent["end_char"]
        return cls(data["id"], Span(trig["text"], trig["start_char"], trig["end_char"]),
                   data.get("text", ""), Span(sent.get("text", text[s:e]), s, e),
                   data.get("actor"), data.get("timex"), data.get("anchor"),
                   data.get("relation", "undated"), Interval.from_json(data.get("interval")),
                   bool(data.get("edited", False)))


@dataclass(slots=True)
class Timeline:
    """Everything extracted from one article."""

    text: str
    dateline: Dateline
    timexes: list[TimeExpression] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    id: str | None = None
    title: str | None = None

    # -- lookups ---------------------------------------------------------------------------
    def timex(self, tid: str | None) -> TimeExpression | None:
        return next((t for t in self.timexes if t.id == tid), None) if tid else None

    def anchor(self, aid: str | None) -> Anchor | None:
        return next((a for a in self.anchors if a.id == aid), None) if aid else None

    def with_id(self, article_id: str | None) -> Timeline:
        return replace(self, id=article_id)

    # -- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "dateline": self.dateline.to_json(),
                "timexes": [t.to_json() for t in self.timexes],
                "anchors": [a.to_json() for a in self.anchors],
                "events": [e.to_json() for e in self.events],
                "warnings": list(self.warnings)}

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any], text: str) -> Timeline:
        return cls(text=text, dateline=Dateline.from_json(data.get("dateline") or {}),
                   timexes=[TimeExpression.from_json(t) for t in data.get("timexes", [])],
                   anchors=[Anchor.from_json(a) for a in data.get("anchors", [])],
                   events=[Event.from_json(e, text) for e in data.get("events", [])],
                   warnings=list(data.get("warnings", [])), id=data.get("id"),
                   title=data.get("title"))

    # -- the events frame ------------------------------------------------------------------
    def rows(self) -> list[dict[str, Any]]:
        """One dict per event with the contract's frame columns, sorted by start."""
        rows = []
        timexes = {t.id: t for t in self.timexes}
        anchors = {a.id: a for a in self.anchors}
        article_id, text = self.id, self.text
        dateline, dateline_source = iso(self.dateline.value), self.dateline.source
        for ev in self.events:
            tx = timexes.get(ev.timex) if ev.timex else None
            an = anchors.get(ev.anchor) if ev.anchor else None
            if tx is not None:
                resolution = tx.resolution
            elif an is not None:
                resolution = an.resolution
            else:
                resolution = "tense" if ev.relation in ("before", "after") else "unresolved"
            granularity = tx.granularity if tx is not None else (
                "unknown" if an is None else "day")
            rows.append({
                "article_id": article_id, "event_id": ev.id,
                "start": iso(ev.interval.start), "end": iso(ev.interval.end),
                "granularity": granularity, "relation": ev.relation, "event": ev.text,
                "trigger": ev.trigger.text, "actor": ev.actor,
                "time_text": tx.text if tx else (an.text if an else None),
                "time_type": tx.type if tx else None, "time_value": tx.value if tx else None,
                "time_mod": tx.mod if tx else None, "resolution": resolution,
                "anchor_name": an.name if an else None,
                "sentence": text[ev.sentence.start_char:ev.sentence.end_char],
                "time_start_char": tx.start_char if tx else (an.start_char if an else None),
                "time_end_char": tx.end_char if tx else (an.end_char if an else None),
                "dateline": dateline, "dateline_source": dateline_source,
            })
        rows.sort(key=_row_order)
        return rows

    def to_frame(self) -> Any:
        """The events as a pandas DataFrame with the contract's columns and explicit dtypes."""
        return rows_to_frame(self.rows())

    def to_csv(self, path: str | Path | None = None) -> str | None:
        """The events frame as formula-safe UTF-8 CSV; written to ``path`` when given."""
        text = rows_to_csv(self.rows())
        if path is None:
            return text
        Path(path).write_text(text, encoding="utf-8")
        return None


def _row_order(row: dict[str, Any]) -> tuple:
    start = row["start"] or row["end"] or "9999"
    return (start, row["time_start_char"] if row["time_start_char"] is not None else 10**12,
            row["event_id"] or "")


def rows_to_frame(rows: list[dict[str, Any]]) -> Any:
    """A DataFrame with the contract's columns: strings as ``string``, offsets as ``Int64``."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    dtypes = {c: ("Int64" if c in _INT_COLUMNS else "string") for c in FRAME_COLUMNS}
    return frame.astype(dtypes)


# A cell starting with "-" stays as it is only when it is a plain number (-5, -1,234.5, -2.5e3)
# or an ISO date of a negative year; anything else ("-1-12", "-2+3+cmd|...") is a formula.
_RISKY = frozenset("=+-@\t\r")
_NUMBER_OR_DATE = re.compile(
    r"-(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?"
    r"|\d{4,}-\d{2}(?:-\d{2})?(?:T\d{2}(?::\d{2}){0,2})?)$")


def safe_cell(value: Any) -> str:
    """A CSV cell a spreadsheet will never run as a formula."""
    if type(value) is str and (not value or value[0] not in _RISKY):      # the common case
        return value
    if value is None or (isinstance(value, float) and value != value):   # None, NaN
        return ""
    if type(value) is not str:
        pandas = sys.modules.get("pandas")       # pd.NA only exists where pandas is loaded
        if pandas is not None and value is pandas.NA:
            return ""
    text = str(value)
    if not text or text[0] not in _RISKY:
        return text
    if text[0] in "=+@\t\r":
        return "'" + text
    if text.startswith("-") and not _NUMBER_OR_DATE.match(text):
        return "'" + text
    return text


def rows_to_csv(rows: list[dict[str, Any]], columns: tuple[str, ...] = FRAME_COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    # Most cells are safe as they are and are passed on without a call: None (which the csv
    # module writes as an empty cell), an int, or a string that does not open with a risky
    # character; ``safe_cell`` sees the rest.
    writer.writerows([v if v is None or type(v) is int or type(v) is str and v[:1] not in _RISKY
                      else safe_cell(v) for v in map(row.get, columns)] for row in rows)
    return buffer.getvalue()


def frame_to_csv(frame: Any) -> str:
    """Formula-safe CSV of any events frame (for instance several articles concatenated)."""
    return rows_to_csv(frame.to_dict("records"), tuple(frame.columns))


def as_date(value: date | datetime | str | None) -> date | None:
    """A dateline given as a date, datetime or ``YYYY-MM-DD`` string, as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
        day = _phrase_date(value.strip())
        if day is None:
            raise DatelineError(f"dateline {value!r} is not a date: give YYYY-MM-DD or a full "
                                "date such as 'Jan. 31, 2017'")
        return day
    raise DatelineError(f"dateline must be a date or YYYY-MM-DD string, not {type(value).__name__}")


def _phrase_date(text: str) -> date | None:
    """A full calendar date written out ("Jan. 31, 2017", "31 January 2017"), read by
    dateparser; None for anything else, and for relative phrases ("yesterday"), which would
    tie the dateline to the day the program runs."""
    if not text or len(text) > 80:
        return None
    from dateparser.date import DateDataParser

    found = []
    for base in (datetime(2000, 1, 1), datetime(2010, 6, 15)):
        # A fresh parser per call: dateparser's shared search state is not thread-safe.
        parser = DateDataParser(languages=["en"], settings={
            "RELATIVE_BASE": base, "RETURN_TIME_AS_PERIOD": True,
            "REQUIRE_PARTS": ["day", "month", "year"]})
        data = parser.get_date_data(text)
        if data.date_obj is None or data.period not in ("day", "time"):
            return None
        found.append(data.date_obj.date())
    return found[0] if found[0] == found[1] else None
