"""The extraction pipeline: dateline -> time expressions -> anchors -> events -> Timeline.

Each pass lives in its own module; this one only wires them together in order.
"""

from __future__ import annotations

from datetime import date, datetime

from . import anchors as _anchors
from . import dateline as _dateline
from . import events as _events
from . import finder as _finder
from . import resolver as _resolver
from .calendar import Interval, timex_value, to_date
from .errors import InputError
from .model import Anchor, Dateline, TimeExpression, Timeline, as_date

MAX_CHARS = 5_000_000


def _with_holidays(timexes: list[TimeExpression], anchors: list[Anchor]) -> list[TimeExpression]:
    """Holidays are TIMEX3s too ("Thanksgiving Day"): add a dated one where no TIMEX3 stands."""
    added = []
    for anchor in anchors:
        if anchor.kind != "holiday" or not _one_day(anchor.interval) or any(
                t.start_char < anchor.end_char and anchor.start_char < t.end_char
                for t in timexes):
            continue
        added.append(TimeExpression(
            "", anchor.text, anchor.start_char, anchor.end_char, "DATE",
            timex_value(anchor.interval, "day"), None, "day", anchor.interval, "holiday",
            "holiday"))
    if not added:
        return timexes
    merged = sorted(timexes + added, key=lambda t: t.start_char)
    for i, t in enumerate(merged, 1):
        t.id = f"t{i}"
    return merged


def _one_day(interval: Interval) -> bool:
    return interval.start is not None and interval.end is not None and \
        (to_date(interval.end) - to_date(interval.start)).days == 1


def extract(text: str, dateline: date | datetime | str | None = None, *, language: str = "en",
            title: str | None = None, article_id: str | None = None,
            metadata_date: date | None = None, country: str | None = None) -> Timeline:
    """Find, normalize and attach every time expression of ``text``.

    ``dateline`` (a date, datetime or ``YYYY-MM-DD``) wins over anything found in the text;
    ``metadata_date`` (for instance from HTML meta tags) comes next, then the text's head.
    ``country`` (ISO 3166 code, e.g. ``"US"``) picks holidays and elections when the text names
    no country.
    """
    if not isinstance(text, str):
        raise InputError(f"text must be str, not {type(text).__name__}")
    if language != "en":
        raise InputError(f"language {language!r} is not supported (supported: 'en')")
    if len(text) > MAX_CHARS:
        raise InputError(f"text of {len(text):,} characters is over the {MAX_CHARS:,} limit")
    given = as_date(dateline)
    warnings: list[str] = []
    if given is not None:
        line = Dateline(given, "given")
    elif metadata_date is not None:
        line = Dateline(metadata_date, "metadata")
    else:
        line = _dateline.detect(text)
    if line.value is None:
        warnings.append("no dateline found: relative times are left unresolved; give one "
                        "with dateline=YYYY-MM-DD")
    candidates = _finder.find(text, language=language)
    timexes = _resolver.resolve(text, candidates, line.value)
    anchors = _anchors.find_anchors(text, line.value, timexes,
                                    country=country.upper() if country else None)
    timexes = _with_holidays(timexes, anchors)
    events = _events.extract_events(text, timexes, anchors, line)
    return Timeline(text=text, dateline=line, timexes=timexes, anchors=anchors, events=events,
                    warnings=warnings, id=article_id, title=title)
