"""Turn what a user hands us (bytes and a file name) into article text.

Decoding: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else the charset an HTML file
declares, else Windows-1252 when the bytes decode cleanly; anything else is an
:class:`InputError`, as are empty, binary and over-large inputs. HTML gives its main text
(trafilatura, or a plain tag strip when that finds nothing), its title and the publication date
of its metadata (htmldate); nothing of it is kept as markup. Markdown and plain text are kept as
given. The only change made to the text is that newlines become ``\\n``.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from datetime import date

from .errors import InputError

MAX_BYTES = 5 * 1024 * 1024

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown")
# Share of control characters (other than tab, newlines and form feed) that makes text binary.
MAX_CONTROL_SHARE = 0.10
_SAMPLE = 65536

_BOMS = (  # longest first: the UTF-32 LE mark starts like the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.I | re.S)
_TAG = re.compile(r"<[^>]*>")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_DECLARED = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})"""
    rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""", re.I)
# A DOCTYPE's internal subset (where entity bombs are declared): never read, cut before parsing.
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]{0,500}\[.*?\]\s*>", re.I | re.S)
_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
# Elements whose content is never article text.
_DROP = ("script", "style", "noscript", "template", "iframe", "frame", "frameset", "object",
         "embed", "applet", "svg", "math", "canvas", "head", "button", "select", "textarea",
         "input", "form", "nav", "footer", "audio", "video", "picture", "source", "track",
         "map", "dialog")
_BLOCKS = frozenset(("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                     "tr", "table", "section", "article", "header", "blockquote", "pre",
                     "dd", "dt", "dl", "figure", "figcaption", "main", "aside", "address",
                     "hr", "td", "th"))

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Document:
    """An article's text, with what its container said about it."""

    text: str
    title: str | None = None
    metadata_date: date | None = None
    kind: str = "text"            # text | html | markdown | timeml


def read_bytes(data: bytes, filename: str = "") -> Document:
    """Decode an upload into a :class:`Document`; :class:`InputError` when it is no article."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"expected bytes, not {type(data).__name__}")
    data = bytes(data)
    if len(data) > MAX_BYTES:
        raise InputError(f"the file is too large: {len(data):,} bytes, over the limit of "
                         f"{MAX_BYTES:,} bytes ({MAX_BYTES // (1024 * 1024)} MiB)")
    if not data.strip():
        raise InputError("the file is empty")
    suffix = _suffix(filename)
    text = decode(data, html=suffix in HTML_SUFFIXES)
    if not text.strip():
        raise InputError("the file is empty (only white space)")
    if suffix in MARKDOWN_SUFFIXES:
        return Document(text, kind="markdown")
    if suffix in HTML_SUFFIXES or _HTML_START.match(text):
        return read_html(text)
    return Document(text, kind="text")


def decode(data: bytes, *, html: bool = False) -> str:
    """``data`` as text with ``\\n`` newlines; :class:`InputError` when binary or undecodable."""
    text = None
    error = None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
                break
            except UnicodeDecodeError as exc:   # FF FE 00 00 may be UTF-16 after all
                error = error or InputError(
                    f"the file starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} ({exc.reason} at byte {exc.start})")
    if text is None and error is not None:
        raise error
    if text is None:
        if b"\x00" in data:
            raise InputError("the file is binary (it holds NUL bytes), not text")
        text = _decode_8bit(data, html or bool(_HTML_START.match(data[:1024].decode("latin-1"))))
    if "\x00" in text:
        raise InputError("the file is binary (it holds NUL characters), not text")
    sample = text[:_SAMPLE]
    if len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample):
        raise InputError("the file is binary (mostly control characters), not text")
    return _NEWLINES.sub("\n", text)


def _decode_8bit(data: bytes, html: bool) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    tried = ["UTF-8"]
    declared = _declared_charset(data) if html else None
    if declared and declared not in ("utf-8", "cp1252"):
        tried.append(f"its declared charset {declared}")
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    tried.append("Windows-1252")
    try:
        return data.decode("cp1252")    # Latin-1 adds only C1 control codes to this
    except UnicodeDecodeError:
        pass
    bad = data[first_error.start]
    raise InputError(f"the file is not readable text: it is not {', '.join(tried[:-1])} or "
                     f"{tried[-1]} (byte 0x{bad:02x} at offset {first_error.start} is "
                     "invalid); save it as UTF-8 and try again")


def _declared_charset(data: bytes) -> str | None:
    """The codec an HTML/XML head declares (``<meta charset>``, http-equiv, ``<?xml?>``)."""
    m = _DECLARED.search(data[:8192])
    if not m:
        return None
    name = (m.group(1) or m.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    if codec in ("latin-1", "iso8859-1", "ascii"):
        codec = "cp1252"                # as browsers read them
    if codec.startswith(("utf-16", "utf-32")):
        return None                     # no BOM, no NULs: the declaration is wrong
    return codec


def _suffix(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return "." + name.rsplit(".", 1)[1] if "." in name else ""


# -- HTML -----------------------------------------------------------------------------------
def _parse(html: str):
    """An lxml tree of ``html``: no network, no entity expansion, comments and PIs dropped."""
    from lxml import etree
    from lxml import html as lxml_html

    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                                  no_network=True, recover=True, default_doctype=False)
    html = _DOCTYPE_SUBSET.sub("", html, count=1)
    try:
        tree = lxml_html.document_fromstring(html.encode("utf-8", "surrogatepass"),
                                             parser=parser)
    except (etree.ParserError, ValueError):
        return None
    return tree


def _clean(tree):
    """``tree`` without the elements that never hold article text (scripts, frames, forms...)."""
    for el in list(tree.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()              # keeps the element's tail text
    return tree


def read_html(html: str) -> Document:
    """Main text, title and metadata date of an HTML page; :class:`InputError` when it has
    no text."""
    tree = _parse(html)
    if tree is None:
        raise InputError("the HTML file holds no document")
    title = _title(tree)
    metadata_date = _find_date(_parse(html))
    text = _main_text(html)
    if not text or not text.strip():
        text = strip_tags(tree)
    text = _NEWLINES.sub("\n", text or "")
    if not text.strip():
        raise InputError("the HTML file holds no article text")
    return Document(text, title, metadata_date, "html")


def _main_text(html: str) -> str | None:
    import trafilatura

    tree = _parse(html)
    if tree is None:
        return None
    try:
        return trafilatura.extract(_clean(tree), url=None, include_comments=False,
                                   include_tables=True, include_images=False, include_links=False,
                                   include_formatting=False, output_format="txt",
                                   deduplicate=False, with_metadata=False)
    except Exception as exc:          # a third-party parser on hostile input
        log.warning("trafilatura failed (%s); falling back to a tag strip", exc)
        return None


def strip_tags(tree) -> str:
    """The text of the page's body, without markup, scripts or styles: one block a line."""
    _clean(tree)
    body = tree.find(".//body")
    root = body if body is not None else tree
    lines = [" ".join(line.split()) for line in "".join(_walk(root)).split("\n")]
    return "\n".join(line for line in lines if line)


def _walk(root):
    """Text pieces of ``root`` in document order, with a newline around each block
    (iterative, so deep nesting cannot exhaust the stack)."""
    from lxml import etree

    for event, el in etree.iterwalk(root, events=("start", "end")):
        block = isinstance(el.tag, str) and el.tag in _BLOCKS
        if event == "start":
            if block:
                yield "\n"
            if isinstance(el.tag, str) and el.text:
                yield el.text
        else:
            if block:
                yield "\n"
            if el.tail and el is not root:
                yield el.tail


def _title(tree) -> str | None:
    for xpath in ('//meta[@property="og:title"]/@content', '//meta[@name="og:title"]/@content',
                  '//meta[@name="twitter:title"]/@content', "//title//text()"):
        values = tree.xpath(xpath)
        title = _TAG.sub(" ", _SCRIPT.sub(" ", " ".join(str(v) for v in values)))
        title = " ".join(title.split())[:300]
        if title:
            return title
    return None


def _find_date(tree) -> date | None:
    if tree is None:
        return None
    try:
        from htmldate import find_date

        found = find_date(tree, extensive_search=False, original_date=True,
                          outputformat="%Y-%m-%d")
        return date.fromisoformat(found) if found else None
    except Exception as exc:          # metadata is a bonus, never a failure
        log.warning("htmldate failed: %s", exc)
        return None


def detect_html_date(html: str) -> date | None:
    """The publication date in an HTML page's metadata (meta tags, JSON-LD), or None."""
    if not isinstance(html, str) or not html.strip():
        return None
    return _find_date(_parse(html))
