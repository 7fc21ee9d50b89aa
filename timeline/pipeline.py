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
from .errors import InputError
from .model import Dateline, Timeline, as_date

MAX_CHARS = 5_000_000


def extract(text: str, dateline: date | datetime | str | None = None, *, language: str = "en",
            title: str | None = None, article_id: str | None = None,
            metadata_date: date | None = None) -> Timeline:
    """Find, normalize and attach every time expression of ``text``.

    ``dateline`` (a date, datetime or ``YYYY-MM-DD``) wins over anything found in the text;
    ``metadata_date`` (for instance from HTML meta tags) comes next, then the text's head.
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
    anchors = _anchors.find_anchors(text, line.value, timexes)
    events = _events.extract_events(text, timexes, anchors, line)
    return Timeline(text=text, dateline=line, timexes=timexes, anchors=anchors, events=events,
                    warnings=warnings, id=article_id, title=title)
