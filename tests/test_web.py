"""The web pages with Flask's test client: upload form, article page, corrections, the
cross-article timeline, exports (exact CSV text), CSRF, security headers, restarts."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.calendar import Interval
from timeline.model import Dateline, Event, Span, TimeExpression, Timeline, frame_to_csv
from web import close_store, create_app, get_store

# -- fixtures (flaskr style; test_api.py imports them) ---------------------------------------

@pytest.fixture()
def app(tmp_path: Path) -> Iterator[Flask]:
    app = create_app({"TESTING": True, "DATA_DIR": str(tmp_path / "data")})
    yield app
    close_store(app)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


def token(client: FlaskClient) -> str:
    """The session's CSRF token, as the upload form carries it."""
    page = client.get("/").get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "the upload form has no CSRF token"
    return found.group(1)


def post_form(client: FlaskClient, url: str, data: dict, **kwargs: object) -> object:
    return client.post(url, data={"csrf_token": token(client), **data}, **kwargs)


def upload(client: FlaskClient, **data: object) -> str:
    """Upload through the form; the new article's id."""
    response = post_form(client, "/articles", data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    found = re.fullmatch(r"/articles/(\d+)", response.headers["Location"])
    assert found, response.headers["Location"]
    return found.group(1)


STORY = ("GENEVA, March 4, 2015 - The ministers met on March 3, 2015 in Geneva. "
         "Talks resumed in April 2015. =HYPERLINK(\"http://x\") was typed by a \"clerk\".")


def _span(part: str) -> Span:
    start = STORY.index(part)
    return Span(part, start, start + len(part))


def hand_timeline(title: str = "Geneva talks") -> Timeline:
    """A timeline built by hand, so that exports can be compared with exact text."""
    t1, t2 = _span("March 3, 2015"), _span("April 2015")
    s1 = _span("The ministers met on March 3, 2015 in Geneva.")
    s2 = _span("Talks resumed in April 2015.")
    s3 = _span("=HYPERLINK(\"http://x\") was typed by a \"clerk\".")
    return Timeline(
        text=STORY, title=title,
        dateline=Dateline(date(2015, 3, 4), "text", 8, 21, "March 4, 2015"),
        timexes=[
            TimeExpression("t1", t1.text, t1.start_char, t1.end_char, "DATE", "2015-03-03",
                           None, "day", Interval(date(2015, 3, 3), date(2015, 3, 4)),
                           "explicit", "month_day_year"),
            TimeExpression("t2", t2.text, t2.start_char, t2.end_char, "DATE", "2015-04",
                           None, "month", Interval(date(2015, 4, 1), date(2015, 5, 1)),
                           "explicit", "month_year")],
        events=[
            Event("e1", _span("met"), "The ministers met", s1, "The ministers", "t1", None,
                  "on", Interval(date(2015, 3, 3), date(2015, 3, 4))),
            Event("e2", _span("resumed"), "Talks resumed", s2, None, "t2", None, "on",
                  Interval(date(2015, 4, 1), date(2015, 5, 1))),
            Event("e3", _span("typed"), "=HYPERLINK(\"http://x\")", s3, "clerk", None, None,
                  "undated", Interval())])


HAND_CSV = (
    "article_id,event_id,start,end,granularity,relation,event,trigger,actor,time_text,"
    "time_type,time_value,time_mod,resolution,anchor_name,sentence,time_start_char,"
    "time_end_char,dateline,dateline_source\n"
    "{id},e1,2015-03-03,2015-03-04,day,on,The ministers met,met,The ministers,"
    "\"March 3, 2015\",DATE,2015-03-03,,explicit,,\"The ministers met on March 3, 2015 in "
    "Geneva.\",45,58,2015-03-04,text\n"
    "{id},e2,2015-04-01,2015-05-01,month,on,Talks resumed,resumed,,April 2015,DATE,2015-04,,"
    "explicit,,Talks resumed in April 2015.,87,97,2015-03-04,text\n"
    "{id},e3,,,unknown,undated,\"'=HYPERLINK(\"\"http://x\"\")\",typed,clerk,,,,,unresolved,,"
    "\"'=HYPERLINK(\"\"http://x\"\") was typed by a \"\"clerk\"\".\",,,2015-03-04,text\n")


@pytest.fixture()
def hand(app: Flask) -> str:
    """The id of the hand-built article, saved straight into the app's store."""
    with app.app_context():
        return get_store().save(hand_timeline())


SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options",
                    "Referrer-Policy")


# -- upload form -----------------------------------------------------------------------------

def test_upload_form_has_every_field_and_a_csrf_token(client: FlaskClient) -> None:
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<textarea id="text" name="text"' in page
    assert 'type="file" id="file" name="file" accept=".txt,.text,.html,.htm,.md' in page
    assert 'name="dateline"' in page and 'name="title"' in page
    assert 'enctype="multipart/form-data"' in page
    assert len(token(client)) >= 32


def test_security_headers_on_every_page(client: FlaskClient, hand: str) -> None:
    for url in ("/", f"/articles/{hand}", f"/articles/{hand}.csv", "/timeline",
                "/timeline.json", "/articles/999", "/static/style.css", "/api/articles"):
        response = client.get(url)
        for header in SECURITY_HEADERS:
            assert header in response.headers, (url, header)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_pasted_seed_is_stored_and_answered_with_303(client: FlaskClient,
                                                     seed_text: str) -> None:
    article_id = upload(client, text=seed_text, title="Seed")
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "<h1>Seed</h1>" in page
    data = client.get(f"/articles/{article_id}.json").get_json()
    assert data["id"] == article_id and data["title"] == "Seed"
    assert data["timexes"], "the seed has time expressions"


def test_article_page_marks_every_time_expression(client: FlaskClient, seed_text: str) -> None:
    article_id = upload(client, text=seed_text)
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    data = client.get(f"/articles/{article_id}.json").get_json()
    marks = re.findall(r'<mark class="timex[^"]*" data-kind="timex" data-id="([^"]+)"'
                       r' data-char-start="(\d+)" data-type="[^"]*" data-value="([^"]*)"'
                       r' data-start="([^"]*)" data-end="([^"]*)" data-resolution="([^"]*)"'
                       r' title="([^"]*)"', page)
    by_id = {m[0]: m for m in marks}
    assert len(by_id) == len(data["timexes"])
    for tx in data["timexes"]:
        _id, start_char, value, start, end, resolution, title = by_id[tx["id"]]
        assert int(start_char) == tx["start_char"]
        assert value == (tx["value"] or "")
        assert start == (tx["interval"]["start"] or "") and end == (tx["interval"]["end"] or "")
        assert resolution == tx["resolution"]
        assert "interval" in title and "resolved: " + tx["resolution"] in title
    for anchor in data["anchors"]:
        assert f'data-kind="anchor" data-id="{anchor["id"]}"' in page


def test_article_page_shows_events_table_and_chart_data(client: FlaskClient,
                                                        hand: str) -> None:
    page = client.get(f"/articles/{hand}").get_data(as_text=True)
    for event_id in ("e1", "e2", "e3"):
        assert f'<tr id="event-{event_id}"' in page
    figure = re.search(r'<script type="application/json" id="figure-data">(.*?)</script>',
                       page, re.S)
    assert figure
    data = json.loads(figure.group(1))
    ids = [i for trace in data["data"] for i in trace.get("ids", [])]
    assert sorted(ids) == [f"{hand}/e1", f"{hand}/e2", f"{hand}/e3"]
    assert '<script src="/static/plotly.min.js"></script>' in page


def test_pages_have_no_inline_scripts(client: FlaskClient, hand: str) -> None:
    for url in ("/", f"/articles/{hand}", "/timeline"):
        page = client.get(url).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", page):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (url, tag)
        assert "cdn." not in page


def test_plotly_js_is_served_from_the_installed_package(client: FlaskClient) -> None:
    import plotly

    response = client.get("/static/plotly.min.js")
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.get_data() == path.read_bytes()


@pytest.mark.parametrize("name, body", [
    ("story.txt", STORY.encode()),
    ("story.md", ("# Geneva talks\n\n" + STORY).encode()),
    ("story.html", ("<html><head><title>Geneva talks</title></head><body><article><p>"
                    + STORY + "</p></article></body></html>").encode()),
])
def test_files_are_uploaded(client: FlaskClient, name: str, body: bytes) -> None:
    article_id = upload(client, file=(io.BytesIO(body), name))
    data = client.get(f"/articles/{article_id}.json").get_json()
    assert "The ministers met on March 3, 2015 in Geneva." in data["text"]
    assert "<" not in data["text"]
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "The ministers met on" in page
    assert "<article>" not in page and "<p>The ministers" not in page


def test_uploaded_html_is_never_rendered_as_html(client: FlaskClient) -> None:
    body = (b"<html><body><article><p>On March 3, 2015 the ministers met. "
            b"&lt;script&gt;alert(1)&lt;/script&gt; <b>bold</b> it was.</p>"
            b"<script>alert(2)</script></article></body></html>")
    article_id = upload(client, file=(io.BytesIO(body), "evil.html"))
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>bold</b>" not in page


def test_user_text_is_escaped(client: FlaskClient) -> None:
    article_id = upload(client, text="<script>alert(1)</script> The talks ended on 3 March "
                        "2015.", title="<img src=x onerror=alert(1)>")
    for url in (f"/articles/{article_id}", "/", "/timeline"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, url
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_path_traversal_in_file_names_writes_nothing_outside(client: FlaskClient, app: Flask,
                                                             tmp_path: Path) -> None:
    article_id = upload(client, file=(io.BytesIO(STORY.encode()), "../../../../tmp/evil.txt"))
    assert client.get(f"/articles/{article_id}.json").get_json()["title"] == "evil"
    files = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert all(name.startswith(("timeline.sqlite3", "secret_key")) for name in files), files


@pytest.mark.parametrize("data, status, message", [
    ({"text": ""}, 400, "the text is empty"),
    ({"text": "   \n\t "}, 400, "the text is empty"),
    ({}, 400, "paste its text or choose a file"),
    ({"text": STORY, "dateline": "2015-13-45"}, 400, "is not a date: use YYYY-MM-DD"),
    ({"text": STORY, "dateline": "yesterday"}, 400, "is not a date: use YYYY-MM-DD"),
    ({"text": STORY, "title": "x" * 301}, 400, "the limit is 300"),
    ({"text": "a\x00b 3 March 2015"}, 400, "looks binary"),
    ({"file": (io.BytesIO(b""), "empty.txt")}, 400, "empty"),
    ({"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image.txt")}, 400, "binary"),
    ({"file": (io.BytesIO(b"caf\x81\x8d\x8f\x90\x9d" * 20), "bad.txt")}, 400,
     "bad.txt: the file is not readable text"),
    ({"file": (io.BytesIO(b"%PDF-1.4"), "report.pdf")}, 415, "is not a .txt, .html or .md"),
    ({"file": (io.BytesIO(b"text"), "noextension")}, 415, "is not a .txt, .html or .md"),
    ({"file": (io.BytesIO(b"a" * (5 * 1024 * 1024 + 1)), "big.txt")}, 413, "the limit is 5 MB"),
    ({"text": STORY, "file": (io.BytesIO(STORY.encode()), "story.txt")}, 400, "not both"),
])
def test_bad_uploads_are_answered_on_the_form_and_store_nothing(
        client: FlaskClient, app: Flask, data: dict, status: int, message: str) -> None:
    response = post_form(client, "/articles", data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == status
    error = re.search(r'<p class="alert" role="alert" id="form-error">(.*?)</p>', page, re.S)
    assert error, page[:3000]
    assert message in error.group(1).replace("&#39;", "'")
    assert '<textarea id="text" name="text"' in page     # the form is shown again
    with app.app_context():
        assert get_store().count() == 0


def test_request_over_the_size_limit_is_413(client: FlaskClient, app: Flask) -> None:
    response = post_form(client, "/articles", {"text": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert "the limit is 5 MB" in response.get_data(as_text=True)
    with app.app_context():
        assert get_store().count() == 0


def test_form_posts_without_the_csrf_token_are_refused(client: FlaskClient, app: Flask,
                                                       hand: str) -> None:
    for url, data in (("/articles", {"text": STORY}),
                      (f"/articles/{hand}/events/e1", {"label": "hacked"}),
                      (f"/articles/{hand}/dateline", {"dateline": "2015-01-01"}),
                      (f"/articles/{hand}/delete", {})):
        for extra in ({}, {"csrf_token": "forged"}):
            client.get("/")
            response = client.post(url, data={**data, **extra})
            assert response.status_code == 400, url
            assert "CSRF token" in response.get_data(as_text=True)
    with app.app_context():
        assert get_store().count() == 1
        assert get_store().get(hand).events[0].text == "The ministers met"


# -- exports ---------------------------------------------------------------------------------

def test_article_csv_is_exact_and_formula_safe(client: FlaskClient, hand: str) -> None:
    response = client.get(f"/articles/{hand}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert response.get_data(as_text=True) == HAND_CSV.format(id=hand)


def test_csv_download_is_an_attachment(client: FlaskClient, hand: str) -> None:
    response = client.get(f"/articles/{hand}.csv?_download=1")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="article-{hand}.csv"'
    assert response.get_data(as_text=True) == HAND_CSV.format(id=hand)


def test_article_json_is_the_timeline(client: FlaskClient, hand: str) -> None:
    data = client.get(f"/articles/{hand}.json").get_json()
    expected = hand_timeline().to_dict()
    assert data["id"] == hand and data["title"] == "Geneva talks"
    assert data["url"] == f"http://localhost/articles/{hand}"
    for key in ("dateline", "timexes", "anchors", "warnings"):
        assert data[key] == expected[key], key
    assert [e["text"] for e in data["events"]] == [e["text"] for e in expected["events"]]


def test_unknown_article_is_404(client: FlaskClient) -> None:
    for url in ("/articles/999", "/articles/abc", "/articles/999.csv"):
        response = client.get(url)
        assert response.status_code == 404
        assert "there is no article" in response.get_data(as_text=True)
    response = client.get("/articles/999.json")
    assert response.status_code == 404
    assert response.get_json() == {"ok": False, "error": "there is no article '999'",
                                   "status": 404}


def test_wrong_method_is_405(client: FlaskClient) -> None:
    response = client.put("/articles")
    assert response.status_code == 405
    assert "does not answer to that method" in response.get_data(as_text=True)


# -- corrections -----------------------------------------------------------------------------

def edit(client: FlaskClient, article_id: str, event_id: str, **fields: str) -> object:
    return post_form(client, f"/articles/{article_id}/events/{event_id}", fields)


def test_correcting_an_event_persists_and_reaches_the_exports(client: FlaskClient,
                                                              hand: str) -> None:
    response = edit(client, hand, "e1", start="2015-03-02", end="2015-03-03",
                    label="The ministers met (corrected)", relation="on", action="save")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/articles/{hand}#events"
    rows = list(csv.DictReader(io.StringIO(client.get(f"/articles/{hand}.csv").text)))
    first = next(r for r in rows if r["event_id"] == "e1")
    assert (first["start"], first["end"], first["event"]) == (
        "2015-03-02", "2015-03-03", "The ministers met (corrected)")
    timeline_rows = list(csv.DictReader(io.StringIO(client.get("/timeline.csv").text)))
    assert next(r for r in timeline_rows if r["event_id"] == "e1")["start"] == "2015-03-02"
    page = client.get(f"/articles/{hand}").get_data(as_text=True)
    assert "The ministers met (corrected)" in page
    event = next(e for e in client.get(f"/articles/{hand}.json").get_json()["events"]
                 if e["id"] == "e1")
    assert event["edited"] is True


def test_relation_and_open_ends_can_be_corrected(client: FlaskClient, hand: str) -> None:
    assert edit(client, hand, "e2", start="2015-04-01", end="", relation="after",
                action="save").status_code == 303
    row = next(r for r in csv.DictReader(io.StringIO(client.get(f"/articles/{hand}.csv").text))
               if r["event_id"] == "e2")
    assert (row["start"], row["end"], row["relation"]) == ("2015-04-01", "", "after")


def test_deleting_an_event_removes_it_everywhere(client: FlaskClient, hand: str) -> None:
    assert edit(client, hand, "e3", action="delete").status_code == 303
    text = client.get(f"/articles/{hand}.csv").text
    assert [r["event_id"] for r in csv.DictReader(io.StringIO(text))] == ["e1", "e2"]
    assert 'id="event-e3"' not in client.get(f"/articles/{hand}").get_data(as_text=True)
    assert "e3" not in {r["event_id"] for r in csv.DictReader(
        io.StringIO(client.get("/timeline.csv").text))}


@pytest.mark.parametrize("fields, status, message", [
    ({"start": "March 2", "end": "2015-03-03"}, 400, "is not a date"),
    ({"start": "2015-03-05", "end": "2015-03-03"}, 400, "must be before end"),
    ({"start": "2015-03-03", "end": "2015-03-03"}, 400, "must be before end"),
    ({"relation": "sometimes"}, 400, "is not one of on, before"),
    ({"label": "   "}, 400, "label must be a non-empty string"),
    ({"label": "x" * 501}, 400, "the limit is 500"),
])
def test_bad_corrections_are_400(client: FlaskClient, hand: str, fields: dict, status: int,
                                 message: str) -> None:
    response = edit(client, hand, "e1", action="save", **fields)
    assert response.status_code == status
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert client.get(f"/articles/{hand}.csv").text == HAND_CSV.format(id=hand)


def test_correcting_an_unknown_event_or_article_is_404(client: FlaskClient, hand: str) -> None:
    assert edit(client, hand, "e99", label="x").status_code == 404
    assert edit(client, "999", "e1", label="x").status_code == 404


def test_setting_a_dateline_reextracts_and_keeps_corrections(client: FlaskClient,
                                                             app: Flask) -> None:
    text = ("Officials said the talks ended yesterday. The ministers met on 3 March 2015 "
            "and will meet again next week.")
    article_id = upload(client, text=text)
    page = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert 'id="no-dateline"' in page and "No dateline found" in page
    before = client.get(f"/articles/{article_id}.json").get_json()
    yesterday = next(t for t in before["timexes"] if t["text"] == "yesterday")
    assert yesterday["resolution"] == "unresolved" and yesterday["interval"]["start"] is None
    assert f'data-id="{yesterday["id"]}"' in page
    assert before["events"], "the extractor finds the events of this text"
    first = before["events"][0]["id"]
    assert edit(client, article_id, first, label="Corrected label",
                action="save").status_code == 303

    response = post_form(client, f"/articles/{article_id}/dateline", {"dateline": "2015-03-05"})
    assert response.status_code == 303
    after = client.get(f"/articles/{article_id}.json").get_json()
    assert after["dateline"]["value"] == "2015-03-05" and after["dateline"]["source"] == "given"
    yesterday = next(t for t in after["timexes"] if t["text"] == "yesterday")
    assert yesterday["interval"] == {"start": "2015-03-04", "end": "2015-03-05"}
    assert next(e for e in after["events"] if e["id"] == first)["text"] == "Corrected label"
    assert 'id="no-dateline"' not in client.get(f"/articles/{article_id}").get_data(
        as_text=True)
    assert post_form(client, f"/articles/{article_id}/dateline",
                     {"dateline": "tomorrow"}).status_code == 400


def test_an_article_can_be_deleted(client: FlaskClient, app: Flask, hand: str) -> None:
    response = post_form(client, f"/articles/{hand}/delete", {})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert client.get(f"/articles/{hand}").status_code == 404
    assert post_form(client, f"/articles/{hand}/delete", {}).status_code == 404


# -- the cross-article timeline --------------------------------------------------------------

@pytest.fixture()
def two(app: Flask) -> tuple[str, str]:
    other = hand_timeline("Second story")
    other.text = other.text.replace("Geneva", "Lisbon")
    for ev in other.events:
        ev.sentence = Span(other.text[ev.sentence.start_char:ev.sentence.end_char],
                           ev.sentence.start_char, ev.sentence.end_char)
    with app.app_context():
        store = get_store()
        return store.save(hand_timeline()), store.save(other)


def timeline_rows(client: FlaskClient, query: str = "") -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get("/timeline.csv" + query).text)))


def test_timeline_page_shows_all_articles_with_their_names(client: FlaskClient,
                                                           two: tuple[str, str]) -> None:
    page = client.get("/timeline").get_data(as_text=True)
    assert "6 events;" in page
    assert page.count('<tr data-article-id="') == 6
    assert ">Geneva talks</option>" in page and ">Second story</option>" in page
    figure = json.loads(re.search(r'id="figure-data">(.*?)</script>', page, re.S).group(1))
    names = {t["name"] for t in figure["data"]}
    assert {"Geneva talks · day", "Second story · day"} <= names


def test_timeline_exports_exactly_what_is_shown(client: FlaskClient, app: Flask,
                                                two: tuple[str, str]) -> None:
    first, second = two
    with app.app_context():
        for query, kwargs in (("", {}), ("?q=lisbon", {"q": "lisbon"}),
                              ("?from=2015-04-01", {"start": "2015-04-01"}),
                              ("?to=2015-03-31", {"end": "2015-03-31"}),
                              (f"?article={first}", {"article": first})):
            expected = frame_to_csv(get_store().frame(**kwargs))
            assert client.get("/timeline.csv" + query).text == expected, query
            data = client.get("/timeline.json" + query).get_json()
            assert data["count"] == len(list(csv.DictReader(io.StringIO(expected))))
            page = client.get("/timeline" + query).get_data(as_text=True)
            assert page.count('<tr data-article-id="') == data["count"], query


def test_timeline_filters(client: FlaskClient, two: tuple[str, str]) -> None:
    first, second = two
    assert {r["article_id"] for r in timeline_rows(client, "?q=Lisbon")} == {second}
    assert [r["event_id"] for r in timeline_rows(client, "?q=lisbon")] == ["e1"]
    assert {r["event_id"] for r in timeline_rows(client, "?from=2015-04-01")} == {"e2"}
    assert {r["event_id"] for r in timeline_rows(client, "?to=2015-03-03")} == {"e1"}
    assert {(r["article_id"], r["event_id"]) for r in
            timeline_rows(client, f"?article={second}&from=2015-03-01&to=2015-12-31")} == {
        (second, "e1"), (second, "e2")}
    assert timeline_rows(client, "?article=999") == []
    data = client.get("/timeline.json?q=talks&article=" + first).get_json()
    assert data["filters"] == {"from": None, "to": None, "q": "talks", "article": first}
    assert [e["event"] for e in data["events"]] == ["Talks resumed"]


@pytest.mark.parametrize("query, message", [
    ("?from=yesterday", "from 'yesterday' is not a date"),
    ("?to=2015-02-30", "to '2015-02-30' is not a date"),
    ("?from=2015-05-01&to=2015-04-01", "from 2015-05-01 is after to 2015-04-01"),
    ("?q=" + "x" * 201, "q is too long"),
])
def test_bad_timeline_filters_are_400(client: FlaskClient, query: str, message: str) -> None:
    for path in ("/timeline", "/timeline.csv"):
        response = client.get(path + query)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True).replace("&#39;", "'")
    data = client.get("/timeline.json" + query)
    assert data.status_code == 400
    assert data.get_json()["ok"] is False and message in data.get_json()["error"]


def test_timeline_csv_download(client: FlaskClient, two: tuple[str, str]) -> None:
    response = client.get("/timeline.csv?q=talks&_download=1")
    assert response.headers["Content-Disposition"] == 'attachment; filename="timeline.csv"'
    assert [r["event"] for r in csv.DictReader(io.StringIO(response.text))] == [
        "Talks resumed", "Talks resumed"]


# -- restarts and the command line -----------------------------------------------------------

def test_data_and_sessions_survive_a_restart(tmp_path: Path) -> None:
    config = {"TESTING": True, "DATA_DIR": str(tmp_path / "data")}
    first = create_app(config)
    client = first.test_client()
    article_id = upload(client, text=STORY, title="Survivor")
    with first.app_context():
        hand_id = get_store().save(hand_timeline())
    assert edit(client, hand_id, "e1", label="Kept label", action="save").status_code == 303
    before = client.get(f"/articles/{hand_id}.csv").text
    assert "Kept label" in before
    close_store(first)

    second = create_app(config)
    try:
        again = second.test_client()
        again.set_cookie("session", client.get_cookie("session").value)
        assert again.get(f"/articles/{hand_id}.csv").text == before
        assert f'href="/articles/{article_id}">Survivor</a>' in again.get("/").get_data(
            as_text=True)
        assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
        # The session (and its CSRF token) made before the restart still works.
        response = again.post("/articles", data={"csrf_token": token(client),
                                                 "text": STORY + " Again."})
        assert response.status_code == 303
    finally:
        close_store(second)


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    app = create_app({"DATA_DIR": str(tmp_path / "d")})
    close_store(app)
    key_file = tmp_path / "d" / "secret_key"
    assert key_file.read_text().strip() == app.config["SECRET_KEY"]
    assert key_file.stat().st_mode & 0o077 == 0


def test_config_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("TIMELINE_SECRET_KEY", "from-the-environment")
    app = create_app()
    close_store(app)
    assert app.config["SECRET_KEY"] == "from-the-environment"
    assert (tmp_path / "env-data" / "timeline.sqlite3").exists()


def test_articles_command_lists_the_store(runner: FlaskCliRunner, hand: str) -> None:
    result = runner.invoke(args=["articles"])
    assert result.exit_code == 0
    assert result.output == f"{hand}\t2015-03-04\t3\tGeneva talks\n"


def test_html_upload_takes_title_and_dateline_from_the_metadata(client: FlaskClient) -> None:
    body = (b'<html><head><title>Geneva talks</title><meta property="article:published_time" '
            b'content="2015-03-04T10:00:00Z"></head><body><nav>Home | World</nav><article>'
            b"<h1>Geneva talks</h1><p>The ministers met yesterday in Geneva and agreed to meet "
            b"again next week. Officials said the talks were useful.</p></article></body></html>")
    article_id = upload(client, file=(io.BytesIO(body), "geneva.html"))
    data = client.get(f"/articles/{article_id}.json").get_json()
    assert data["title"] == "Geneva talks"
    assert data["dateline"]["value"] == "2015-03-04"
    assert data["dateline"]["source"] == "metadata"
    yesterday = next(t for t in data["timexes"] if t["text"] == "yesterday")
    assert yesterday["interval"] == {"start": "2015-03-03", "end": "2015-03-04"}
    # A dateline typed on the form wins over the metadata.
    again = upload(client, file=(io.BytesIO(body), "geneva.html"), dateline="2015-03-10")
    assert client.get(f"/articles/{again}.json").get_json()["dateline"] == {
        "value": "2015-03-10", "source": "given", "start_char": None, "end_char": None,
        "text": None}


def test_unexpected_failures_are_500_without_details(app: Flask, client: FlaskClient,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with app.app_context():
        store = get_store()

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(store, "frame", broken)
    page = client.get("/timeline")
    assert page.status_code == 500
    assert "secret internals" not in page.get_data(as_text=True)
    assert "internal error" in page.get_data(as_text=True)
    response = client.get("/timeline.json")
    assert response.status_code == 500
    assert response.get_json() == {"ok": False, "error": "internal error; it is logged",
                                   "status": 500}


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in
                                                         (".", "..")),
       query=st.dictionaries(st.sampled_from(["from", "to", "q", "article", "_download"]),
                             st.text(max_size=30), max_size=4))
def test_no_address_or_query_gives_a_5xx(client: FlaskClient, hand: str, name: str,
                                         query: dict) -> None:
    for path in (f"/articles/{quote(name)}", f"/articles/{quote(name)}.json",
                 f"/articles/{quote(name)}.csv"):
        assert client.get(path).status_code < 500, path
    for path in ("/timeline", "/timeline.csv", "/timeline.json"):
        response = client.get(path, query_string=query)
        assert response.status_code in (200, 400), (path, query)
