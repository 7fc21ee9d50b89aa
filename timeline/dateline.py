"""Publication date from the head of an article's text (placeholder until detection lands)."""

from __future__ import annotations

from .model import Dateline


def detect(text: str) -> Dateline:
    """The dateline found at the head of ``text``, or ``Dateline(None, "none")``."""
    return Dateline(None, "none")
