"""Mentions of named events, holidays and earlier-dated things (placeholder until it lands)."""

from __future__ import annotations

from datetime import date

from .model import Anchor, TimeExpression


def find_anchors(text: str, dateline: date | None,
                 timexes: list[TimeExpression]) -> list[Anchor]:
    """Anchors of ``text`` resolved through the knowledge base, holidays or the document."""
    return []
