"""Events and what dates them (placeholder until event extraction lands)."""

from __future__ import annotations

from .model import Anchor, Dateline, Event, TimeExpression


def extract_events(text: str, timexes: list[TimeExpression], anchors: list[Anchor],
                   dateline: Dateline) -> list[Event]:
    """Events of ``text`` with the time expression or anchor that dates each."""
    return []
