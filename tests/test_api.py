"""The JSON API: create, list, read, delete, correct; one error shape, 4xx for every client
mistake and never a 5xx, whatever the input."""

from __future__ import annotations

import csv
import io
import json

import pytest
import test_web
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from web import get_store

# The app/client/hand fixtures and the hand-built article of the page tests.
app, client, hand = test_web.app, test_web.client, test_web.hand
HAND_CSV, STORY = test_web.HAND_CSV, test_web.STORY


def assert_error(response: object, status: int, message: str) -> dict:
    """The one error shape, with the status in the body equal to the HTTP status."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status
    assert message in body["error"], body["error"]
    return body


# -- create ----------------------------------------------------------------------------------

def test_post_json_creates_an_article(client: FlaskClient, seed_text: str) -> None:
    response = client.post("/api/articles", json={"text": seed_text, "title": "Seed",
                                                  "dateline": "2017-01-31"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["ok"] is True and body["id"].isdigit()
    assert body["url"] == f"http://localhost/articles/{body['id']}"
    assert response.headers["Location"] == f"/api/articles/{body['id']}"
    assert body["title"] == "Seed" and body["text"] == seed_text
    assert body["dateline"]["value"] == "2017-01-31" and body["dateline"]["source"] == "given"
    for key in ("timexes", "anchors", "events", "warnings"):
        assert isinstance(body[key], list)
    assert body["timexes"] and body["events"]
    for tx in body["timexes"]:
        assert seed_text[tx["start_char"]:tx["end_char"]] == tx["text"]


def test_post_multipart_file_creates_an_article(client: FlaskClient) -> None:
    response = client.post("/api/articles", data={
        "file": (io.BytesIO(STORY.encode()), "geneva.txt"), "dateline": "2015-03-04"},
        content_type="multipart/form-data")
    assert response.status_code == 201
    body = response.get_json()
    assert body["title"] == "geneva" and body["dateline"]["value"] == "2015-03-04"
    assert client.get(f"/api/articles/{body['id']}").get_json()["text"] == STORY


def test_the_same_upload_twice_is_one_article(client: FlaskClient) -> None:
    first = client.post("/api/articles", json={"text": STORY}).get_json()["id"]
    second = client.post("/api/articles", json={"text": STORY}).get_json()["id"]
    assert first == second
    assert len(client.get("/api/articles").get_json()["articles"]) == 1


# -- list, read, delete ----------------------------------------------------------------------

def test_list_is_newest_first_with_paging(client: FlaskClient) -> None:
    ids = [client.post("/api/articles", json={"text": f"{STORY} Number {n}.",
                                               "title": f"n{n}"}).get_json()["id"]
           for n in range(3)]
    body = client.get("/api/articles").get_json()
    assert body["ok"] is True
    assert [a["id"] for a in body["articles"]] == ids[::-1]
    first = body["articles"][0]
    assert set(first) == {"id", "title", "dateline", "dateline_source", "content_hash",
                          "uploaded_at", "events", "url"}
    assert first["title"] == "n2" and first["dateline"] == "2015-03-04"
    page = client.get("/api/articles?limit=1&offset=1").get_json()
    assert [a["id"] for a in page["articles"]] == [ids[1]]
    assert (page["limit"], page["offset"]) == (1, 1)


def test_read_one_reflects_the_store(client: FlaskClient, hand: str) -> None:
    body = client.get(f"/api/articles/{hand}").get_json()
    assert body["ok"] is True and body["id"] == hand and body["title"] == "Geneva talks"
    assert [e["id"] for e in body["events"]] == ["e1", "e2", "e3"]
    assert body == {**client.get(f"/articles/{hand}.json").get_json(), "ok": True}


def test_delete(client: FlaskClient, hand: str) -> None:
    response = client.delete(f"/api/articles/{hand}")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "id": hand, "deleted": True}
    assert_error(client.get(f"/api/articles/{hand}"), 404, f"no article {hand}")
    assert_error(client.delete(f"/api/articles/{hand}"), 404, f"no article '{hand}'")


# -- corrections -----------------------------------------------------------------------------

def test_patch_event_persists_and_reaches_the_exports(client: FlaskClient,
                                                      hand: str) -> None:
    response = client.patch(f"/api/articles/{hand}/events/e2",
                            json={"start": "2015-04-10", "end": "2015-04-11",
                                  "label": "Talks resumed on the 10th", "relation": "on"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True and body["deleted"] is False
    assert body["event"]["interval"] == {"start": "2015-04-10", "end": "2015-04-11"}
    assert body["event"]["edited"] is True
    assert body["row"]["event"] == "Talks resumed on the 10th"
    rows = list(csv.DictReader(io.StringIO(client.get(f"/articles/{hand}.csv").text)))
    assert [(r["event_id"], r["start"], r["event"]) for r in rows][:2] == [
        ("e1", "2015-03-03", "The ministers met"),
        ("e2", "2015-04-10", "Talks resumed on the 10th")]


def test_patch_can_open_an_end_delete_and_restore(client: FlaskClient,
                                                  hand: str) -> None:
    body = client.patch(f"/api/articles/{hand}/events/e1", json={"end": None}).get_json()
    assert body["event"]["interval"] == {"start": "2015-03-03", "end": None}
    body = client.patch(f"/api/articles/{hand}/events/e1", json={"deleted": True}).get_json()
    assert body["deleted"] is True and body["event"] is None
    assert "e1" not in {r["event_id"] for r in csv.DictReader(
        io.StringIO(client.get("/timeline.csv").text))}
    body = client.patch(f"/api/articles/{hand}/events/e1", json={"deleted": False}).get_json()
    assert body["deleted"] is False and body["event"]["interval"]["end"] is None


@pytest.mark.parametrize("body, status, message", [
    ({}, 400, "nothing to change"),
    ({"colour": "red"}, 400, "unknown field(s) colour"),
    ({"start": "soon"}, 400, "start 'soon' is not a date"),
    ({"start": 20150301}, 400, "start must be a YYYY-MM-DD date"),
    ({"end": ["2015-03-01"]}, 400, "end must be a YYYY-MM-DD date"),
    ({"start": "2015-03-05", "end": "2015-03-01"}, 400, "must be before end"),
    ({"start": "2015-03-05", "end": "2015-03-06T10:00"}, 400, "both dates or both"),
    ({"end": "2015-03-01"}, 400, "bad interval"),                 # before the stored start
    ({"relation": "whenever"}, 400, "relation 'whenever' is not one of"),
    ({"relation": None}, 400, "relation 'None' is not one of"),
    ({"label": ""}, 400, "label must be a non-empty string"),
    ({"label": 7}, 400, "label must be a non-empty string"),
    ({"deleted": "yes"}, 400, "deleted must be true or false"),
])
def test_bad_patches_are_400_and_change_nothing(client: FlaskClient, hand: str,
                                                body: dict, status: int,
                                                message: str) -> None:
    response = client.patch(f"/api/articles/{hand}/events/e1", json=body)
    assert_error(response, status, message)
    assert client.get(f"/articles/{hand}.csv").text == HAND_CSV.format(id=hand)


def test_patch_unknown_event_or_article_is_404(client: FlaskClient,
                                               hand: str) -> None:
    assert_error(client.patch(f"/api/articles/{hand}/events/e9", json={"label": "x"}), 404,
                 "no event 'e9'")
    assert_error(client.patch("/api/articles/999/events/e1", json={"label": "x"}), 404,
                 "no article")


# -- every client mistake is a 4xx of one shape ----------------------------------------------

@pytest.mark.parametrize("kwargs, status, message", [
    ({"data": "text=hello", "content_type": "application/x-www-form-urlencoded"}, 415,
     "send the body as application/json"),
    ({"data": STORY, "content_type": "text/plain"}, 415, "not text/plain"),
    ({"data": STORY}, 415, "no content type"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"data": "", "content_type": "application/json"}, 400, "not valid JSON"),
    ({"json": [STORY]}, 400, "must be a JSON object, not list"),
    ({"json": "text"}, 400, "must be a JSON object, not str"),
    ({"json": {}}, 400, "the field 'text' is required"),
    ({"json": {"txt": STORY}}, 400, "unknown field(s) txt"),
    ({"json": {"text": None}}, 400, "give the article"),
    ({"json": {"text": 42}}, 400, "text must be a string, not int"),
    ({"json": {"text": ["a"]}}, 400, "text must be a string, not list"),
    ({"json": {"text": ""}}, 400, "the text is empty"),
    ({"json": {"text": " \n "}}, 400, "the text is empty"),
    ({"json": {"text": "a\u0000b"}}, 400, "looks binary"),
    ({"json": {"text": "bad \udc80 surrogate"}}, 400, "unpaired surrogates"),
    ({"json": {"text": STORY, "dateline": "31/01/2017"}}, 400, "is not a date"),
    ({"json": {"text": STORY, "dateline": "2017-02-30"}}, 400, "is not a date"),
    ({"json": {"text": STORY, "dateline": "2017-01-31T10:00"}}, 400, "is not a date"),
    ({"json": {"text": STORY, "dateline": 20170131}}, 400, "dateline must be a YYYY-MM-DD"),
    ({"json": {"text": STORY, "dateline": {"value": "2017-01-31"}}}, 400, "not dict"),
    ({"json": {"text": STORY, "title": 5}}, 400, "title must be a string, not int"),
    ({"json": {"text": STORY, "title": "t" * 301}}, 400, "the limit is 300"),
    ({"json": {"text": "x" * (5 * 1024 * 1024 + 1)}}, 413, "the limit is 5 MB"),
    ({"data": {"text": STORY}, "content_type": "multipart/form-data"}, 400,
     "a field named 'file'"),
    ({"data": {"file": (io.BytesIO(b"%PDF-1.7"), "a.pdf")},
      "content_type": "multipart/form-data"}, 415, "is not a .txt, .html or .md file"),
    ({"data": {"file": (io.BytesIO(b"\x00\x01\x02\x03"), "a.txt")},
      "content_type": "multipart/form-data"}, 400, "binary"),
    ({"data": {"file": (io.BytesIO(b""), "a.txt")},
      "content_type": "multipart/form-data"}, 400, "empty"),
    ({"data": {"file": (io.BytesIO(b"caf\x81\x8d\x8f\x90\x9d" * 40), "a.txt")},
      "content_type": "multipart/form-data"}, 400, "a.txt: the file is not readable text"),
    ({"data": {"file": (io.BytesIO(STORY.encode()), "a.txt"), "dateline": "soon"},
      "content_type": "multipart/form-data"}, 400, "is not a date"),
])
def test_bad_posts_are_4xx_and_store_nothing(client: FlaskClient, app: Flask,
                                             kwargs: dict, status: int, message: str) -> None:
    assert_error(client.post("/api/articles", **kwargs), status, message)
    with app.app_context():
        assert get_store().count() == 0


def test_body_over_the_request_limit_is_413(client: FlaskClient) -> None:
    body = json.dumps({"text": "x" * (6 * 1024 * 1024)})
    assert_error(client.post("/api/articles", data=body, content_type="application/json"),
                 413, "the limit is 5 MB")


@pytest.mark.parametrize("method, url, status, message", [
    ("put", "/api/articles", 405, "allowed: GET, HEAD, OPTIONS, POST"),
    ("post", "/api/articles/1", 405, "does not answer to that method"),
    ("get", "/api/nothing", 404, "there is nothing at this address"),
    ("get", "/api/articles/abc", 404, "no article 'abc'"),
    ("get", "/api/articles/99999999999999999999999", 404, "no article"),
    ("get", "/api/articles?limit=lots", 400, "limit must be an integer"),
    ("get", "/api/articles?limit=-1", 400, "limit must be between 0 and 1000"),
    ("get", "/api/articles?offset=1.5", 400, "offset must be an integer"),
])
def test_routing_and_query_mistakes(client: FlaskClient, method: str, url: str,
                                    status: int, message: str) -> None:
    kwargs = {"json": {"text": STORY}} if method in ("put", "post") else {}
    response = getattr(client, method)(url, **kwargs)
    assert_error(response, status, message)
    if status == 405:
        assert "Allow" in response.headers


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
bodies = st.dictionaries(st.sampled_from(["text", "dateline", "title", "start", "end",
                                          "label", "relation", "deleted", "x"]),
                         json_values, max_size=4)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=bodies | json_values)
def test_no_json_body_gives_a_5xx(client: FlaskClient, hand: str, body: object) -> None:
    for method, url in (("post", "/api/articles"),
                        ("patch", f"/api/articles/{hand}/events/e1")):
        response = getattr(client, method)(url, data=json.dumps(body),
                                           content_type="application/json")
        assert response.status_code < 500, (method, body, response.get_data(as_text=True))
        if response.status_code >= 400:
            assert set(response.get_json()) == {"ok", "error", "status"}


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300), name=st.text(max_size=40))
def test_no_file_gives_a_5xx(client: FlaskClient, data: bytes, name: str) -> None:
    response = client.post("/api/articles", data={"file": (io.BytesIO(data), name or "x")},
                           content_type="multipart/form-data")
    assert response.status_code < 500, (data, name, response.get_data(as_text=True))
