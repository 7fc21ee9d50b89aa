"""TimeML in and out: read gold TIMEX3/EVENT/TLINK annotations, write TIMEX3 tags, and score.

Scoring follows TempEval-3 Task A (UzZaman et al. 2013, section 4.1): strict match (same
extent) and relaxed match (any overlap) precision, recall and F1; value and type F1 are the
relaxed F1 times the share of relaxed matches whose attribute is right.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import InputError

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)((?:\s+[^>]*?)?)\s*(/?)>", re.S)
_ATTR = re.compile(r'([A-Za-z_:][\w:.-]*)\s*=\s*"([^"]*)"')


@dataclass(slots=True)
class GoldSpan:
    """An annotated element of the text: TIMEX3 or EVENT, with its attributes."""

    tag: str
    start_char: int
    end_char: int
    text: str
    attrs: dict[str, str]


@dataclass(slots=True)
class TimeMLDocument:
    """A TimeML file read into plain text with gold annotations as character offsets."""

    doc_id: str
    dct: date | None
    text: str
    timexes: list[GoldSpan] = field(default_factory=list)
    events: list[GoldSpan] = field(default_factory=list)
    tlinks: list[dict[str, str]] = field(default_factory=list)
    instances: dict[str, str] = field(default_factory=dict)   # eiid -> eid
    path: str | None = None

    def event_timex_links(self) -> set[tuple[str, str]]:
        """Gold (event id, timex id) pairs linked by a TLINK, links to the DCT left out."""
        dct_ids = {"t0"}
        links = set()
        for link in self.tlinks:
            ev = link.get("eventInstanceID") or link.get("relatedToEventInstance")
            tid = link.get("relatedToTime") or link.get("timeID")
            if not ev or not tid or tid in dct_ids:
                continue
            if link.get("eventInstanceID") and link.get("relatedToEventInstance"):
                continue
            eid = self.instances.get(ev, ev if ev.startswith("e") else None)
            if eid:
                links.add((eid, tid))
        return links


def _plain_text(fragment: str, offset_tags: list[tuple[str, dict[str, str], int, int]]) -> str:
    """Strip tags from ``fragment``, collecting (tag, attrs, start, end) of the elements."""
    out: list[str] = []
    length = 0
    stack: list[tuple[str, dict[str, str], int]] = []
    pos = 0
    for m in _TAG.finditer(fragment):
        piece = html.unescape(fragment[pos:m.start()])
        out.append(piece)
        length += len(piece)
        pos = m.end()
        closing, name, attrs, selfclosing = m.group(1), m.group(2), m.group(3), m.group(4)
        if closing:
            for i in range(len(stack) - 1, -1, -1):
                if stack[i][0] == name:
                    tag, attr, start = stack.pop(i)
                    offset_tags.append((tag, attr, start, length))
                    break
        elif not selfclosing:
            stack.append((name, dict(_ATTR.findall(attrs)), length))
    out.append(html.unescape(fragment[pos:]))
    return "".join(out)


def parse(source: str, *, doc_id: str = "", path: str | None = None) -> TimeMLDocument:
    """Read TimeML markup into a :class:`TimeMLDocument` (the text of its TEXT element)."""
    text_m = re.search(r"<TEXT>(.*?)</TEXT>", source, re.S)
    if text_m is None:
        raise InputError(f"{path or doc_id or 'document'}: no <TEXT> element, not TimeML")
    dct = None
    dct_m = re.search(r"<DCT>.*?value=\"(\d{4}-\d{2}-\d{2})", source, re.S)
    if dct_m:
        dct = date.fromisoformat(dct_m.group(1))
    id_m = re.search(r"<DOCID>\s*(.*?)\s*</DOCID>", source, re.S)
    elements: list[tuple[str, dict[str, str], int, int]] = []
    text = _plain_text(text_m.group(1), elements)
    doc = TimeMLDocument(doc_id or (id_m.group(1) if id_m else ""), dct, text, path=path)
    for tag, attrs, start, end in sorted(elements, key=lambda e: (e[2], e[3])):
        span = GoldSpan(tag, start, end, text[start:end], attrs)
        if tag == "TIMEX3":
            doc.timexes.append(span)
        elif tag == "EVENT":
            doc.events.append(span)
    tail = source[text_m.end():]
    for m in re.finditer(r"<MAKEINSTANCE\b([^>]*)>", tail):
        attrs = dict(_ATTR.findall(m.group(1)))
        if "eiid" in attrs and "eventID" in attrs:
            doc.instances[attrs["eiid"]] = attrs["eventID"]
    for m in re.finditer(r"<TLINK\b([^>]*)>", tail):
        doc.tlinks.append(dict(_ATTR.findall(m.group(1))))
    return doc


def read(path: str | Path) -> TimeMLDocument:
    p = Path(path)
    return parse(p.read_text(encoding="utf-8"), doc_id=p.stem.removesuffix(".tml"), path=str(p))


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every ``.tml`` file named, or below a folder named, in a stable order."""
    found: list[Path] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(p.rglob("*.tml")))
        elif p.is_file():
            found.append(p)
        else:
            raise InputError(f"{item}: no such file or folder")
    return found


# --- writing --------------------------------------------------------------------------------

def _escape(text: str) -> str:
    """Text for an XML element: &, < and > escaped (what xml.sax.saxutils.escape does)."""
    return html.escape(text, quote=False)


def write(timeline: Any, *, doc_id: str = "") -> str:
    """TimeML with a DCT and the timeline's TIMEX3 tags inline in its text."""
    text = timeline.text
    parts = []
    pos = 0
    for tx in sorted(timeline.timexes, key=lambda t: t.start_char):
        if tx.start_char < pos:
            continue
        parts.append(_escape(text[pos:tx.start_char]))
        attrs = f'tid="{tx.id}" type="{tx.type}" value="{html.escape(tx.value or "")}"'
        if tx.mod:
            attrs += f' mod="{tx.mod}"'
        parts.append(f"<TIMEX3 {attrs}>{_escape(text[tx.start_char:tx.end_char])}</TIMEX3>")
        pos = tx.end_char
    parts.append(_escape(text[pos:]))
    dct = timeline.dateline.value.isoformat() if timeline.dateline.value else ""
    return ('<?xml version="1.0" ?>\n<TimeML>\n'
            f"<DOCID>{_escape(doc_id or timeline.id or '')}</DOCID>\n"
            f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
            f'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n'
            f"<TEXT>{''.join(parts)}</TEXT>\n</TimeML>\n")


# --- scoring --------------------------------------------------------------------------------

@dataclass(slots=True)
class Counts:
    gold: int = 0
    system: int = 0
    strict_sys: int = 0      # system spans with a gold span of the same extent
    strict_gold: int = 0
    relaxed_sys: int = 0     # system spans overlapping a gold span
    relaxed_gold: int = 0
    matched: int = 0         # gold spans paired one-to-one with a system span
    value_ok: int = 0
    type_ok: int = 0
    links_gold: int = 0
    links_found: int = 0
    links_sys: int = 0
    links_sys_ok: int = 0

    def add(self, other: Counts) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def scores(c: Counts) -> dict[str, float]:
    sp = c.strict_sys / c.system if c.system else 0.0
    sr = c.strict_gold / c.gold if c.gold else 0.0
    rp = c.relaxed_sys / c.system if c.system else 0.0
    rr = c.relaxed_gold / c.gold if c.gold else 0.0
    rf = _f1(rp, rr)
    out = {"strict_p": sp, "strict_r": sr, "strict_f1": _f1(sp, sr),
           "relaxed_p": rp, "relaxed_r": rr, "relaxed_f1": rf,
           "value_acc": c.value_ok / c.matched if c.matched else 0.0,
           "type_acc": c.type_ok / c.matched if c.matched else 0.0}
    out["value_f1"] = rf * out["value_acc"]
    out["type_f1"] = rf * out["type_acc"]
    if c.links_gold:
        out["anchoring_recall"] = c.links_found / c.links_gold
        out["anchoring_precision"] = c.links_sys_ok / c.links_sys if c.links_sys else 0.0
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


@dataclass(slots=True)
class Error:
    doc_id: str
    kind: str          # missed | spurious | value | type | extent
    gold: str
    system: str
    context: str


def score_document(doc: TimeMLDocument, timeline: Any) -> tuple[Counts, list[Error]]:
    """Compare a timeline's TIMEX3s (and event anchoring) with a document's gold ones."""
    c = Counts(gold=len(doc.timexes), system=len(timeline.timexes))
    errors: list[Error] = []
    gold = doc.timexes
    sys = sorted(timeline.timexes, key=lambda t: t.start_char)
    text = doc.text

    def ctx(a: int, b: int) -> str:
        return text[max(0, a - 50):a].replace("\n", " ") + "[" + text[a:b] + "]" + \
            text[b:b + 40].replace("\n", " ")

    gold_extents = {(g.start_char, g.end_char) for g in gold}
    sys_extents = {(s.start_char, s.end_char) for s in sys}
    c.strict_sys = sum((s.start_char, s.end_char) in gold_extents for s in sys)
    c.strict_gold = sum((g.start_char, g.end_char) in sys_extents for g in gold)
    used: set[int] = set()
    for s in sys:
        if any(_overlap(s.start_char, s.end_char, g.start_char, g.end_char) for g in gold):
            c.relaxed_sys += 1
        else:
            errors.append(Error(doc.doc_id, "spurious", "", f"{s.value} ({s.rule})",
                                ctx(s.start_char, s.end_char)))
    for g in gold:
        match = None
        for i, s in enumerate(sys):
            if i not in used and _overlap(s.start_char, s.end_char, g.start_char, g.end_char):
                match = i
                break
        if match is None:
            if any(_overlap(s.start_char, s.end_char, g.start_char, g.end_char) for s in sys):
                c.relaxed_gold += 1
            else:
                errors.append(Error(doc.doc_id, "missed", f"{g.attrs.get('type')} "
                                    f"{g.attrs.get('value')}", "", ctx(g.start_char, g.end_char)))
            continue
        used.add(match)
        s = sys[match]
        c.relaxed_gold += 1
        c.matched += 1
        gv, gt = g.attrs.get("value", ""), g.attrs.get("type", "")
        if s.value == gv:
            c.value_ok += 1
        else:
            errors.append(Error(doc.doc_id, "value", f"{gt} {gv}", f"{s.type} {s.value} "
                                f"({s.rule}) '{s.text}'", ctx(g.start_char, g.end_char)))
        if s.type == gt:
            c.type_ok += 1
        elif s.value == gv:
            errors.append(Error(doc.doc_id, "type", f"{gt} {gv}", f"{s.type} ({s.rule})",
                                ctx(g.start_char, g.end_char)))
        if (s.start_char, s.end_char) != (g.start_char, g.end_char):
            errors.append(Error(doc.doc_id, "extent", g.text, s.text,
                                ctx(g.start_char, g.end_char)))
    _score_links(doc, timeline, c)
    return c, errors


def _score_links(doc: TimeMLDocument, timeline: Any, c: Counts) -> None:
    """Event-timex anchoring against gold TLINKs (links to the creation time left out)."""
    gold_links = doc.event_timex_links()
    if not gold_links:
        return
    events = {e.attrs.get("eid"): e for e in doc.events}
    timexes = {t.attrs.get("tid"): t for t in doc.timexes}
    gold_pairs = [(events[e], timexes[t]) for e, t in gold_links if e in events and t in timexes]
    c.links_gold += len(gold_pairs)
    sys_pairs = []
    for ev in getattr(timeline, "events", []):
        tx = timeline.timex(ev.timex)
        if tx is not None:
            sys_pairs.append(((ev.trigger.start_char, ev.trigger.end_char),
                              (tx.start_char, tx.end_char)))
    for ge, gt in gold_pairs:
        if any(_overlap(*tr, ge.start_char, ge.end_char) and _overlap(*tm, gt.start_char,
                                                                        gt.end_char)
               for tr, tm in sys_pairs):
            c.links_found += 1
    for tr, tm in sys_pairs:
        ge_hit = [e for e in doc.events if _overlap(*tr, e.start_char, e.end_char)]
        gt_hit = [t for t in doc.timexes if _overlap(*tm, t.start_char, t.end_char)]
        if not ge_hit or not gt_hit:
            continue
        c.links_sys += 1
        if any((e.attrs.get("eid"), t.attrs.get("tid")) in gold_links
               for e in ge_hit for t in gt_hit):
            c.links_sys_ok += 1


def format_scores(s: dict[str, float], c: Counts, docs: int) -> str:
    lines = [f"documents: {docs}   gold TIMEX3: {c.gold}   system TIMEX3: {c.system}",
             f"strict   P {s['strict_p']:.4f}  R {s['strict_r']:.4f}  F1 {s['strict_f1']:.4f}",
             f"relaxed  P {s['relaxed_p']:.4f}  R {s['relaxed_r']:.4f}  F1 {s['relaxed_f1']:.4f}",
             f"value    accuracy {s['value_acc']:.4f}  F1 {s['value_f1']:.4f}",
             f"type     accuracy {s['type_acc']:.4f}  F1 {s['type_f1']:.4f}"]
    if "anchoring_recall" in s:
        lines.append(f"anchoring  recall {s['anchoring_recall']:.4f}  precision "
                     f"{s['anchoring_precision']:.4f}  (gold event-timex links: {c.links_gold})")
    return "\n".join(lines)
