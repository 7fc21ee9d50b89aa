"""Reading uploads: size, binary, empty, encodings, HTML main text, title and metadata date."""

from __future__ import annotations

import codecs
import time
from datetime import date
from pathlib import Path

import pytest

from timeline import source
from timeline.errors import InputError
from timeline.pipeline import extract
from timeline.source import MAX_BYTES, detect_html_date, read_bytes

HTML = Path(__file__).parent / "data" / "html"
HOSTILE_MARKERS = ("SCRIPT", "INJECTED", "STYLECONTENT", "ONLOAD", "ONERROR", "SRCDOC",
                   "NOSCRIPTCONTENT", "IFRAMECONTENT", "HREF", "SVG", "TEMPLATECONTENT",
                   "OBJECTCONTENT", "INPUTVALUE", "TEXTAREACONTENT", "BUTTONTEXT", "COMMENT",
                   "alert", "javascript", "<", ">")
ARTICLE = "Zürich, 4 March 2019 — The café’s owner said “no” on Monday.\nSecond line."


def _html(name: str) -> bytes:
    return (HTML / name).read_bytes()


# -- refusals ---------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", codecs.BOM_UTF8 + b"  \n",
                                  codecs.BOM_UTF16_LE + " \n ".encode("utf-16-le")])
def test_empty_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="empty"):
        read_bytes(data, "a.txt")


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    b"some text\x00with a NUL",
    bytes(range(1, 9)) * 200 + b"a little text",
])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        read_bytes(data, "a.txt")


def test_binary_disguised_as_utf16_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        read_bytes(codecs.BOM_UTF16_LE + "ab\x00\x00cd".encode("utf-16-le"), "a.txt")


def test_too_large_is_refused_and_the_limit_itself_is_not() -> None:
    line = b"The council met on Monday.\n"
    at_limit = line * (MAX_BYTES // len(line)) + b"x" * (MAX_BYTES % len(line))
    assert len(at_limit) == MAX_BYTES == 5 * 1024 * 1024
    assert read_bytes(at_limit, "a.txt").text.startswith("The council")
    with pytest.raises(InputError, match="too large"):
        read_bytes(at_limit + b"x", "a.txt")


def test_invalid_bytes_are_refused_with_a_clear_message() -> None:
    data = b"The council met \x81\x8d on Monday."   # not UTF-8, not cp1252
    with pytest.raises(InputError) as err:
        read_bytes(data, "a.txt")
    message = str(err.value)
    assert "UTF-8" in message and "Windows-1252" in message and "0x81" in message


def test_bad_utf8_after_a_utf8_bom_is_refused() -> None:
    with pytest.raises(InputError, match="byte-order mark"):
        read_bytes(codecs.BOM_UTF8 + b"caf\xe9 \x81", "a.txt")


def test_not_bytes_is_refused() -> None:
    with pytest.raises(InputError, match="bytes"):
        read_bytes("a str", "a.txt")  # type: ignore[arg-type]


# -- encodings --------------------------------------------------------------------------------
@pytest.mark.parametrize("encoded", [
    ARTICLE.encode("utf-8"),
    codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
    codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
    ARTICLE.encode("utf-16"),
    ARTICLE.encode("utf-32"),
], ids=["utf8", "utf8-bom", "utf16-le", "utf16-be", "utf16-native", "utf32"])
def test_unicode_encodings(encoded: bytes) -> None:
    doc = read_bytes(encoded, "a.txt")
    assert doc.text == ARTICLE
    assert doc.kind == "text"


def test_cp1252() -> None:
    data = "Café owners said \u201cno\u201d \u2014 twice.".encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_bytes(data, "a.txt").text == "Café owners said \u201cno\u201d \u2014 twice."


def test_latin1_text_reads_as_cp1252() -> None:
    assert read_bytes("Zürich à São Paulo".encode("latin-1"), "a.txt").text == \
        "Zürich à São Paulo"


def test_declared_html_charset() -> None:
    body = "Совет собрался в понедельник и утвердил бюджет на следующий год."
    page = (f'<html><head><meta charset="windows-1251"><title>Бюджет</title></head>'
            f"<body><p>{body}</p></body></html>").encode("cp1251")
    doc = read_bytes(page, "a.html")
    assert body in doc.text
    assert doc.title == "Бюджет"
    old_style = page.replace(b'<meta charset="windows-1251">',
                             b'<meta http-equiv="Content-Type" content="text/html; '
                             b'charset=windows-1251">')
    assert body in read_bytes(old_style, "a.html").text


def test_newlines_normalised_and_nothing_else_changed() -> None:
    raw = "  Title \t\r\n\r\nFirst  line.\rSecond line.\u2028Third.\n\n  "
    doc = read_bytes(raw.encode("utf-8"), "a.txt")
    assert doc.text == "  Title \t\n\nFirst  line.\nSecond line.\nThird.\n\n  "


def test_seed_reads_back_unchanged(seed_text: str) -> None:
    seed = Path(__file__).parent.parent / "seeds" / "000_68c4bcfba95a403f.txt"
    doc = read_bytes(seed.read_bytes(), seed.name)
    assert doc.text == seed_text.replace("\r\n", "\n")
    assert doc.kind == "text" and doc.metadata_date is None


# -- markdown and kinds -----------------------------------------------------------------------
def test_markdown_is_kept_as_text() -> None:
    md = "# Budget row\n\n*By Jane Doe* | March 3, 2019\n\nThe council <b>met</b> [here](x).\n"
    doc = read_bytes(md.encode("utf-8"), "notes.md")
    assert doc.kind == "markdown"
    assert doc.text == md
    assert doc.title is None


def test_html_content_is_sniffed_without_a_suffix() -> None:
    page = _html("og_published.html")
    for name in ("", "stdin.txt", "upload"):
        doc = read_bytes(page, name)
        assert doc.kind == "html", name
        assert "<" not in doc.text


def test_text_mentioning_html_stays_text() -> None:
    text = "The <html> tag opens a page, the manual said on Monday."
    assert read_bytes(text.encode(), "a.txt").text == text


# -- HTML -------------------------------------------------------------------------------------
def test_html_og_published_time() -> None:
    doc = read_bytes(_html("og_published.html"), "storm.html")
    assert doc.kind == "html"
    assert doc.title == "Storm hits coast"
    assert doc.metadata_date == date(2019, 3, 4)
    assert "A powerful storm hit the northern coast on Monday" in doc.text
    assert "forecasters said" in doc.text
    assert "Copyright" not in doc.text and "Sport" not in doc.text


def test_html_json_ld_date_published() -> None:
    doc = read_bytes(_html("jsonld_published.html"), "budget.htm")
    assert doc.metadata_date == date(2018, 5, 6)
    assert doc.title == "Council approves budget"
    assert "approved next year's budget on Saturday" in doc.text
    assert "datePublished" not in doc.text


def test_html_metadata_date_reaches_the_timeline() -> None:
    doc = read_bytes(_html("og_published.html"), "storm.html")
    tl = extract(doc.text, metadata_date=doc.metadata_date, title=doc.title)
    assert tl.dateline.value == date(2019, 3, 4)
    assert tl.dateline.source == "metadata"


def _assert_plain(text: str) -> None:
    for marker in HOSTILE_MARKERS:
        assert marker not in text, marker


def test_hostile_html_comes_out_as_plain_text() -> None:
    doc = read_bytes(_html("hostile.html"), "hostile.html")
    assert "agreed to meet again next week" in doc.text
    assert "told to return on Thursday" in doc.text
    _assert_plain(doc.text)
    assert doc.title == "Quiet day"


@pytest.mark.parametrize("failure", ["none", "raise"])
def test_tag_strip_fallback_is_plain_too(monkeypatch: pytest.MonkeyPatch, failure: str) -> None:
    import trafilatura

    def fake_extract(*args, **kwargs):
        if failure == "raise":
            raise RuntimeError("boom")
        return None

    monkeypatch.setattr(trafilatura, "extract", fake_extract)
    doc = read_bytes(_html("hostile.html"), "hostile.html")
    assert "agreed to meet again next week" in doc.text
    assert "Quiet day at the council\n" in doc.text      # one block a line
    _assert_plain(doc.text)


def test_entity_bomb_is_not_expanded() -> None:
    started = time.process_time()
    doc = read_bytes(_html("entity_bomb.html"), "bomb.html")
    assert time.process_time() - started < 5
    assert "The council met on Monday" in doc.text
    assert "lollol" not in doc.text
    assert "root:" not in doc.text
    assert len(doc.text) < 500


def test_huge_attribute_and_deep_nesting() -> None:
    attr = "A" * (3 * 1024 * 1024)
    page = (f'<html><body><div data-x="{attr}" title="{attr[:1000]}">'
            + "<div>" * 200 + "<p>The council met on Monday and agreed the budget.</p>"
            + "</div>" * 200 + "</div></body></html>").encode()
    assert len(page) < MAX_BYTES
    doc = read_bytes(page, "deep.html")
    assert "The council met on Monday" in doc.text
    assert "AAAA" not in doc.text


def test_absurd_nesting_is_text_or_a_clear_refusal() -> None:
    page = ("<html><body>" + "<div>" * 20000 + "<p>The council met on Monday.</p>"
            + "</div>" * 20000 + "</body></html>").encode()
    try:
        doc = read_bytes(page, "deep.html")
    except InputError as exc:
        assert "no article text" in str(exc)
    else:
        _assert_plain(doc.text)


def test_html_without_text_is_refused() -> None:
    for page in (b"<html><head><title>x</title></head><body></body></html>",
                 b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"):
        with pytest.raises(InputError, match="no article text"):
            read_bytes(page, "a.html")


# -- detect_html_date -------------------------------------------------------------------------
def test_detect_html_date() -> None:
    assert detect_html_date(_html("og_published.html").decode()) == date(2019, 3, 4)
    assert detect_html_date(_html("jsonld_published.html").decode()) == date(2018, 5, 6)
    assert detect_html_date("<html><body><p>No date here.</p></body></html>") is None
    assert detect_html_date("") is None


def test_detect_html_date_never_fetches(monkeypatch: pytest.MonkeyPatch) -> None:
    import htmldate.utils

    def no_network(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(htmldate.utils, "fetch_url", no_network)
    assert detect_html_date("https://example.com/2019/03/04/story.html") is None


def test_htmldate_failure_is_no_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import htmldate

    def broken(*args, **kwargs):
        raise ValueError("broken")

    monkeypatch.setattr(htmldate, "find_date", broken)
    assert detect_html_date(_html("og_published.html").decode()) is None
    doc = read_bytes(_html("og_published.html"), "storm.html")
    assert doc.metadata_date is None and "powerful storm" in doc.text


def test_module_limits() -> None:
    assert source.MAX_BYTES == 5 * 1024 * 1024
