"""Turn what a user hands us (bytes and a file name) into article text.

Placeholder: plain text decoding only, until HTML support lands.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .errors import InputError

MAX_BYTES = 5 * 1024 * 1024


@dataclass(slots=True)
class Document:
    """An article's text, with what its container said about it."""

    text: str
    title: str | None = None
    metadata_date: date | None = None
    kind: str = "text"            # text | html | markdown | timeml


def read_bytes(data: bytes, filename: str = "") -> Document:
    """Decode an upload into a :class:`Document`; :class:`InputError` when it is no article."""
    if len(data) > MAX_BYTES:
        raise InputError(f"file of {len(data):,} bytes is over the {MAX_BYTES:,}-byte limit")
    if b"\x00" in data:
        raise InputError("the file is binary, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"the file is not valid UTF-8 text ({exc.reason} at byte "
                         f"{exc.start})") from None
    if not text.strip():
        raise InputError("the file is empty")
    return Document(text)
