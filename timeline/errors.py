"""One tree of errors for the whole library: catch ``TimelineError`` to catch them all."""

from __future__ import annotations


class TimelineError(Exception):
    """Base class of every error the timeline library raises on purpose."""


class InputError(TimelineError, ValueError):
    """The input cannot be read as an article: empty, binary, undecodable or too large."""


class DatelineError(InputError):
    """A dateline given by the caller is not a date."""


class RuleError(TimelineError):
    """A rule or gazetteer data file is malformed (raised when the data are loaded)."""


class StoreError(TimelineError):
    """The article store failed to read or write."""


class NotFoundError(StoreError, LookupError):
    """An article or event asked for by id does not exist."""
