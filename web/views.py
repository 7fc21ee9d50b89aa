"""HTML pages: upload form, article page, cross-article timeline; ``.csv``/``.json`` suffixes.

One view per resource, several formats by suffix (``/articles/3``, ``/articles/3.csv``,
``/articles/3.json``), Datasette-style. CSV is shown as ``text/plain`` unless ``?_download=1``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup

import timeline
from timeline.errors import InputError, NotFoundError
from timeline.model import RELATIONS, frame_to_csv

from . import charts, get_store
from .ingest import ClientError, Upload, build, correction, parse_dateline, safe_filename

bp = Blueprint("views", __name__)
FORMATS = ("csv", "json")


# -- helpers ----------------------------------------------------------------------------------
def split_format(name: str) -> tuple[str, str | None]:
    """``"3.csv"`` -> ``("3", "csv")``; a name without a known suffix has format None."""
    stem, dot, suffix = name.rpartition(".")
    if dot and suffix in FORMATS:
        return stem, suffix
    return name, None


def csv_response(text: str, filename: str) -> Response:
    """CSV as ``text/plain`` to read in the browser, or an attachment with ``?_download=1``."""
    if request.args.get("_download") == "1":
        response = Response(text, mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = Response(text, mimetype="text/plain")
    response.charset = "utf-8"
    return response


def figure_json(frame: Any, **kwargs: Any) -> Markup:
    """The figure as JSON safe to sit inside ``<script type="application/json">``."""
    fig = charts.figure(frame, **kwargs)
    text = fig.to_json()
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def records(frame: Any) -> list[dict[str, Any]]:
    """Frame rows as dicts with missing values as None (for templates and JSON)."""
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return rows


def article_names(limit: int = 1000) -> dict[str, str]:
    return {info.id: (info.title or f"Article {info.id}")
            for info in get_store().list(limit=limit)}


def _find_article(article_id: str) -> tuple[Any, Any]:
    store = get_store()
    try:
        return store.get(article_id), store.info(article_id)
    except NotFoundError:
        abort(404, description=f"there is no article {article_id!r}")


# -- upload -----------------------------------------------------------------------------------
@bp.get("/")
def index() -> Any:
    return render_template("index.html", articles=get_store().list(limit=50), form={},
                           error=None)


@bp.post("/articles")
def upload() -> Any:
    form = request.form
    file = request.files.get("file")
    data = filename = None
    if file is not None and file.filename:
        data = file.read()
        filename = file.filename
    text = form.get("text")
    if data is not None and text and text.strip():
        return _form_error("give either pasted text or a file, not both", 400)
    try:
        tl = build(Upload(text=text, data=data, filename=filename,
                          dateline=form.get("dateline"), title=form.get("title")),
                   max_bytes=current_app.config["MAX_UPLOAD_BYTES"])
    except ClientError as exc:
        return _form_error(exc.message, exc.status)
    article_id = get_store().save(tl, title=tl.title)
    return redirect(url_for("views.article", name=article_id), code=303)


def _form_error(message: str, status: int) -> Any:
    form = {key: request.form.get(key, "") for key in ("text", "dateline", "title")}
    if len(form["text"]) > 200_000:
        form["text"] = ""
    return render_template("index.html", articles=get_store().list(limit=50), form=form,
                           error=message), status


# -- article ----------------------------------------------------------------------------------
@bp.get("/articles/<name>")
def article(name: str) -> Any:
    article_id, fmt = split_format(name)
    tl, info = _find_article(article_id)
    frame = get_store().frame(article=article_id)
    if fmt == "csv":
        return csv_response(frame_to_csv(frame), f"article-{safe_filename(info.id)}.csv")
    if fmt == "json":
        data = tl.to_dict()
        data["text"] = tl.text
        data["url"] = url_for("views.article", name=info.id, _external=True)
        data["uploaded_at"] = info.uploaded_at
        data["content_hash"] = info.content_hash
        return jsonify(data)
    return render_template(
        "article.html", tl=tl, info=info, rows=records(frame), segments=highlight(tl),
        figure=figure_json(frame, color_by="resolution" if len(frame) else "article_id"),
        relations=RELATIONS, counts=_counts(tl, frame))


def _counts(tl: timeline.Timeline, frame: Any) -> dict[str, int]:
    unresolved = sum(1 for t in tl.timexes if t.resolution == "unresolved")
    return {"timexes": len(tl.timexes), "anchors": len(tl.anchors), "events": len(frame),
            "unresolved": unresolved}


def highlight(tl: timeline.Timeline) -> list[dict[str, Any]]:
    """The text cut into plain pieces and marked pieces (time expressions and anchors).

    Overlapping spans keep the one that starts first (the longer one on a tie).
    """
    spans: list[tuple[int, int, dict[str, Any]]] = []
    text = tl.text
    for tx in tl.timexes:
        start, end = tx.interval.to_json()["start"], tx.interval.to_json()["end"]
        how = tx.resolution + (f" by rule {tx.rule}" if tx.rule else "")
        interval = f"[{start or '…'}, {end or '…'})" if (start or end) else "no interval"
        tip = f"{tx.type} {tx.value or '?'}"
        if tx.mod:
            tip += f" ({tx.mod})"
        spans.append((tx.start_char, tx.end_char, {
            "kind": "timex", "id": tx.id, "value": tx.value or "", "start": start or "",
            "end": end or "", "resolution": tx.resolution, "type": tx.type,
            "title": f"{tip}\ninterval {interval}\nresolved: {how}"}))
    for an in tl.anchors:
        start, end = an.interval.to_json()["start"], an.interval.to_json()["end"]
        interval = f"[{start or '…'}, {end or '…'})" if (start or end) else "no interval"
        spans.append((an.start_char, an.end_char, {
            "kind": "anchor", "id": an.id, "value": an.name or "", "start": start or "",
            "end": end or "", "resolution": an.resolution, "type": an.kind,
            "title": f"anchor: {an.name or an.text} ({an.kind})\ninterval {interval}\n"
                     f"resolved: {an.resolution}"
                     + (f" from {an.source}" if an.source else "")}))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    pieces: list[dict[str, Any]] = []
    pos = 0
    for start, end, mark in spans:
        if start < pos or not 0 <= start < end <= len(text):
            continue
        if start > pos:
            pieces.append({"text": text[pos:start], "mark": None})
        pieces.append({"text": text[start:end], "mark": {**mark, "char_start": start}})
        pos = end
    if pos < len(text):
        pieces.append({"text": text[pos:], "mark": None})
    return pieces


@bp.post("/articles/<article_id>/dateline")
def set_dateline(article_id: str) -> Any:
    tl, _info = _find_article(article_id)
    try:
        day = parse_dateline(request.form.get("dateline"))
    except ClientError as exc:
        abort(400, description=exc.message)
    if day is None:
        abort(400, description="give the dateline as YYYY-MM-DD")
    fresh = timeline.extract(tl.text, day, title=tl.title)
    get_store().replace(article_id, fresh)
    return redirect(url_for("views.article", name=article_id), code=303)


@bp.post("/articles/<article_id>/events/<event_id>")
def edit_event(article_id: str, event_id: str) -> Any:
    form = request.form
    if form.get("action") == "delete":
        fields: dict[str, Any] = {"deleted": True}
    else:
        fields = {key: form[key] for key in ("start", "end", "label", "relation") if key in form}
    try:
        checked = correction(fields)
    except ClientError as exc:
        abort(exc.status, description=exc.message)
    get_store().update_event(article_id, event_id, **checked)
    return redirect(url_for("views.article", name=article_id) + "#events", code=303)


@bp.post("/articles/<article_id>/delete")
def delete_article(article_id: str) -> Any:
    if not get_store().delete(article_id):
        abort(404, description=f"there is no article {article_id!r}")
    return redirect(url_for("views.index"), code=303)


# -- cross-article timeline -------------------------------------------------------------------
def timeline_filters() -> dict[str, Any]:
    """The ``from``/``to``/``q``/``article`` filters of the query string, checked."""
    args = request.args
    filters: dict[str, Any] = {"from": None, "to": None, "q": None, "article": None}
    for key in ("from", "to"):
        try:
            filters[key] = parse_dateline(args.get(key), field=key)
        except ClientError as exc:
            abort(400, description=exc.message)
    q = (args.get("q") or "").strip()
    if len(q) > 200:
        abort(400, description="q is too long: at most 200 characters")
    filters["q"] = q or None
    article_id = (args.get("article") or "").strip()
    filters["article"] = article_id or None
    if filters["from"] and filters["to"] and filters["from"] > filters["to"]:
        abort(400, description=f"from {filters['from']} is after to {filters['to']}")
    return filters


def filtered_frame(filters: dict[str, Any]) -> Any:
    try:
        return get_store().frame(start=filters["from"], end=filters["to"], q=filters["q"],
                                 article=filters["article"])
    except InputError as exc:
        abort(400, description=str(exc))


def _jsonable_filters(filters: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in filters.items()}


@bp.get("/timeline")
def cross_timeline() -> Any:
    filters = timeline_filters()
    frame = filtered_frame(filters)
    names = article_names()
    limit = current_app.config["TABLE_ROW_LIMIT"]
    query = {k: v for k, v in _jsonable_filters(filters).items() if v}
    return render_template(
        "timeline.html", filters=_jsonable_filters(filters), names=names,
        rows=records(frame.head(limit)), total=len(frame), limit=limit, query=query,
        figure=figure_json(frame, color_by="article_id", names=names,
                           window=(filters["from"], filters["to"])))


@bp.get("/timeline.csv")
def cross_timeline_csv() -> Any:
    return csv_response(frame_to_csv(filtered_frame(timeline_filters())), "timeline.csv")


@bp.get("/timeline.json")
def cross_timeline_json() -> Any:
    filters = timeline_filters()
    frame = filtered_frame(filters)
    return jsonify({"ok": True, "filters": _jsonable_filters(filters), "count": len(frame),
                    "columns": list(frame.columns), "events": records(frame)})


# -- plotly.js from the installed package -----------------------------------------------------
@bp.get("/static/plotly.min.js")
def plotly_js() -> Any:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    response = send_file(path, mimetype="text/javascript", max_age=86400)
    return response
