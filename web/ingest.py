"""From what a client sent (pasted text or a file, a dateline, a title) to a Timeline.

Shared by the upload form and the JSON API; every client mistake is a :class:`ClientError`
carrying the HTTP status it should be answered with (400, 413 or 415).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import Any

import timeline
from timeline.calendar import parse_iso
from timeline.errors import InputError
from timeline.model import RELATIONS, Timeline
from timeline.source import read_bytes

ALLOWED_SUFFIXES = (".txt", ".text", ".html", ".htm", ".md", ".markdown")
MAX_TITLE = 300
MAX_LABEL = 500


class ClientError(Exception):
    """A request the client must fix; ``status`` is the HTTP answer (400, 413, 415)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(slots=True)
class Upload:
    """What a client handed in, before any checks."""

    text: Any = None
    data: bytes | None = None
    filename: str | None = None
    dateline: Any = None
    title: Any = None


def _limit_mb(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB"


def parse_dateline(value: Any, *, field: str = "dateline") -> date | None:
    """A ``YYYY-MM-DD`` dateline (or nothing), else a 400 that says what was wrong."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ClientError(f"{field} must be a YYYY-MM-DD string, not {type(value).__name__}")
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError
        day = date.fromisoformat(text)      # the API takes exactly YYYY-MM-DD
    except ValueError:
        raise ClientError(f"{field} {text[:40]!r} is not a date: use YYYY-MM-DD, "
                          "for example 2017-01-31") from None
    return day


def clean_title(value: Any) -> str | None:
    """A title stripped to one line (or None); 400 when it is not text or too long."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ClientError(f"title must be a string, not {type(value).__name__}")
    title = " ".join(value.split())
    if len(title) > MAX_TITLE:
        raise ClientError(f"title is {len(title)} characters long; the limit is {MAX_TITLE}")
    return title or None


def safe_filename(name: str | None) -> str:
    """The last component of a client's file name, for display only (never a path)."""
    if not name:
        return ""
    base = PurePath(name.replace("\\", "/")).name
    return "".join(ch for ch in base if ch.isprintable())[:120]


def build(upload: Upload, *, max_bytes: int) -> Timeline:
    """Check the upload and extract its timeline; :class:`ClientError` for the client's faults."""
    dateline = parse_dateline(upload.dateline)
    title = clean_title(upload.title)
    metadata_date = None
    if upload.data is not None:
        name = safe_filename(upload.filename)
        suffix = PurePath(name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            raise ClientError(f"file {name or '(no name)'!r} is not a .txt, .html or .md file",
                              415)
        if len(upload.data) > max_bytes:
            raise ClientError(f"the file is {len(upload.data):,} bytes; the limit is "
                              f"{_limit_mb(max_bytes)}", 413)
        try:
            document = read_bytes(upload.data, name)
        except InputError as exc:
            raise ClientError(f"{name}: {exc}") from None
        text = document.text
        title = title or clean_title(document.title) or PurePath(name).stem or None
        metadata_date = document.metadata_date
    else:
        if upload.text is None:
            raise ClientError("give the article: paste its text or choose a file")
        if not isinstance(upload.text, str):
            raise ClientError(f"text must be a string, not {type(upload.text).__name__}")
        text = upload.text.replace("\r\n", "\n")
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            raise ClientError(f"the text is {size:,} bytes; the limit is "
                              f"{_limit_mb(max_bytes)}", 413)
        if not text.strip():
            raise ClientError("the text is empty: paste an article or choose a file")
        if "\x00" in text:
            raise ClientError("the text contains NUL characters: it looks binary, not text")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise ClientError("the text contains unpaired surrogates: it is not valid "
                              "Unicode text") from None
    try:
        return timeline.extract(text, dateline, title=title, metadata_date=metadata_date)
    except InputError as exc:
        raise ClientError(str(exc)) from None


# -- event corrections ------------------------------------------------------------------------
def parse_time(value: Any, field: str) -> Any:
    """An ISO date or datetime for an event's start or end; None (open) when blank."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ClientError(f"{field} must be a YYYY-MM-DD date (or date and time), not "
                          f"{type(value).__name__}")
    text = value.strip()
    try:
        if len(text) < 10:
            raise ValueError
        return parse_iso(text)
    except ValueError:
        raise ClientError(f"{field} {text[:40]!r} is not a date: use YYYY-MM-DD or "
                          "YYYY-MM-DDTHH:MM") from None


def correction(fields: dict[str, Any]) -> dict[str, Any]:
    """Checked keyword arguments for ``Store.update_event`` from a form or JSON body."""
    allowed = {"start", "end", "label", "relation", "deleted"}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise ClientError(f"unknown field(s) {', '.join(unknown)}; an event correction may "
                          "set start, end, label, relation and deleted")
    if not fields:
        raise ClientError("nothing to change: give start, end, label, relation or deleted")
    out: dict[str, Any] = {}
    for name in ("start", "end"):
        if name in fields:
            out[name] = parse_time(fields[name], name)
    if out.get("start") is not None and out.get("end") is not None:
        start, end = out["start"], out["end"]
        if type(start) is not type(end) or not start < end:
            raise ClientError(f"start {start} must be before end {end} (the end is "
                              "exclusive: a single day D is start=D, end=D+1), and both "
                              "dates or both date-times")
    if "label" in fields:
        label = fields["label"]
        if not isinstance(label, str) or not label.strip():
            raise ClientError("label must be a non-empty string")
        label = " ".join(label.split())
        if len(label) > MAX_LABEL:
            raise ClientError(f"label is {len(label)} characters long; the limit is "
                              f"{MAX_LABEL}")
        out["label"] = label
    if "relation" in fields:
        relation = fields["relation"]
        if relation not in RELATIONS:
            raise ClientError(f"relation {str(relation)[:40]!r} is not one of "
                              f"{', '.join(RELATIONS)}")
        out["relation"] = relation
    if "deleted" in fields:
        if not isinstance(fields["deleted"], bool):
            raise ClientError("deleted must be true or false")
        out["deleted"] = fields["deleted"]
    return out
