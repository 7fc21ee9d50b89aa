"""The JSON API under ``/api``: every answer is JSON, every client mistake a 4xx of one shape.

Errors: ``{"ok": false, "error": "...", "status": N}`` (see ``web._error``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, request, url_for

from . import get_store
from .ingest import ClientError, Upload, build, correction

bp = Blueprint("api", __name__, url_prefix="/api")
MAX_LIMIT = 1000


def _json_body() -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise ClientError(f"send application/json, not {request.mimetype or 'nothing'}", 415)
    body = request.get_json(silent=True)
    if body is None:
        raise ClientError("the body is not valid JSON")
    if not isinstance(body, dict):
        raise ClientError(f"the body must be a JSON object, not {type(body).__name__}")
    return body


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ClientError(f"{name} must be an integer, not {raw[:20]!r}") from None
    if not low <= value <= high:
        raise ClientError(f"{name} must be between {low} and {high}")
    return value


def _article_json(article_id: str) -> dict[str, Any]:
    store = get_store()
    tl, info = store.get(article_id), store.info(article_id)
    return {"ok": True, "id": info.id,
            "url": url_for("views.article", name=info.id, _external=True),
            "uploaded_at": info.uploaded_at, "content_hash": info.content_hash,
            **{k: v for k, v in tl.to_dict().items() if k != "id"}, "text": tl.text}


@bp.post("/articles")
def create() -> Any:
    if request.mimetype == "multipart/form-data":
        file = request.files.get("file")
        if file is None:
            raise ClientError("multipart uploads carry the article in a field named 'file'")
        upload = Upload(data=file.read(), filename=file.filename or "",
                        dateline=request.form.get("dateline"), title=request.form.get("title"))
    else:
        body = _json_body()
        unknown = sorted(set(body) - {"text", "dateline", "title"})
        if unknown:
            raise ClientError(f"unknown field(s) {', '.join(unknown)}: send text, dateline "
                              "and title")
        if "text" not in body:
            raise ClientError("the field 'text' is required")
        upload = Upload(text=body["text"], dateline=body.get("dateline"),
                        title=body.get("title"))
    tl = build(upload, max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    article_id = get_store().save(tl, title=tl.title)
    response = jsonify(_article_json(article_id))
    response.status_code = 201
    response.headers["Location"] = url_for("api.read", article_id=article_id)
    return response


@bp.get("/articles")
def listing() -> Any:
    limit = _int_arg("limit", 100, 0, MAX_LIMIT)
    offset = _int_arg("offset", 0, 0, 10**9)
    articles = get_store().list(limit=limit, offset=offset)
    return jsonify({"ok": True, "limit": limit, "offset": offset,
                    "articles": [{**a.to_json(),
                                  "url": url_for("views.article", name=a.id, _external=True)}
                                 for a in articles]})


@bp.get("/articles/<article_id>")
def read(article_id: str) -> Any:
    return jsonify(_article_json(article_id))


@bp.delete("/articles/<article_id>")
def remove(article_id: str) -> Any:
    if not get_store().delete(article_id):
        raise ClientError(f"no article {article_id!r}", 404)
    return jsonify({"ok": True, "id": article_id, "deleted": True})


@bp.patch("/articles/<article_id>/events/<event_id>")
def edit_event(article_id: str, event_id: str) -> Any:
    fields = correction(_json_body())
    store = get_store()
    store.update_event(article_id, event_id, **fields)
    tl = store.get(article_id)
    event = next((e for e in tl.events if e.id == event_id), None)
    row = next((r for r in tl.rows() if r["event_id"] == event_id), None)
    return jsonify({"ok": True, "id": article_id, "event_id": event_id,
                    "deleted": event is None,
                    "event": event.to_json() if event else None, "row": row})
