"""timeline: news articles in, event timelines out.

>>> import timeline
>>> tl = timeline.extract("MOSCOW, Jan 30 (Reuters) - Talks ended yesterday.")
>>> tl.timexes[0].value
'2017-01-29'
"""

from . import compiled

compiled.install()        # first: it decides whether the modules below load compiled or not

from .calendar import Interval
from .errors import DatelineError, InputError, NotFoundError, RuleError, StoreError, TimelineError
from .model import Anchor, Dateline, Event, Span, TimeExpression, Timeline
from .pipeline import extract

__all__ = [
    "Anchor", "Dateline", "DatelineError", "Event", "InputError", "Interval", "NotFoundError",
    "RuleError", "Span", "StoreError", "TimeExpression", "Timeline", "TimelineError", "extract",
]
__version__ = "0.1.0"
