"""The timeline web service: ``create_app()`` builds the Flask app (flaskr-style factory).

Configuration, lowest to highest precedence: defaults here, ``instance/config.py``, environment
variables ``TIMELINE_*`` (``TIMELINE_DATA_DIR``, ``TIMELINE_SECRET_KEY``, ...), then the mapping
given to ``create_app``. The SQLite store lives in ``DATA_DIR``; a secret key is generated and
kept there when none is configured.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app, jsonify, render_template, request, session
from flask.cli import with_appcontext
from werkzeug.exceptions import HTTPException

from timeline.errors import InputError, NotFoundError, StoreError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Scripts only from this site; plotly.js inserts <style> rules, so styles allow 'unsafe-inline'.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_BODY_TYPES = ("application/json", "multipart/form-data")
_STORE_LOCK = threading.Lock()


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: config, store, blueprints, CSRF, security headers, error pages."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATA_DIR=None,
        DATABASE=None,
        # The multipart envelope adds a little around a 5 MB file; the file itself is
        # checked against MAX_UPLOAD_BYTES exactly.
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES + 64 * 1024,
        MAX_UPLOAD_BYTES=MAX_UPLOAD_BYTES,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
        TABLE_ROW_LIMIT=2000,
    )
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("TIMELINE")
    if test_config is not None:
        app.config.from_mapping(test_config)
    data_dir = Path(app.config["DATA_DIR"] or Path(app.instance_path) / "data")
    data_dir.mkdir(parents=True, exist_ok=True)
    app.config["DATA_DIR"] = str(data_dir)
    if not app.config["DATABASE"]:
        app.config["DATABASE"] = str(data_dir / "timeline.sqlite3")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(data_dir)
    app.json.sort_keys = False  # type: ignore[attr-defined]

    from . import api, views
    from .ingest import ClientError

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.before_request(_check_csrf)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(ClientError, lambda e: _error(e.status, e.message))
    app.register_error_handler(NotFoundError, lambda e: _error(404, _message(e)))
    app.register_error_handler(InputError, lambda e: _error(400, _message(e)))
    app.register_error_handler(StoreError, _store_error)
    app.register_error_handler(Exception, _unexpected)
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.cli.add_command(_articles_command)
    with app.app_context():
        get_store()  # create the database now, not on the first request
    return app


def _secret_key(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
    if len(key) < 32:
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key + "\n")
    return key


def get_store() -> Any:
    """The app's article store (one per app; it is safe to share between threads)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    store = app.extensions.get("timeline_store")
    if store is None:
        with _STORE_LOCK:
            store = app.extensions.get("timeline_store")
            if store is None:
                from timeline.store import Store

                store = app.extensions["timeline_store"] = Store.open(app.config["DATABASE"])
    return store


def close_store(app: Flask) -> None:
    """Release the app's database connections (tests and shutdown)."""
    store = app.extensions.pop("timeline_store", None)
    if store is not None:
        store.close()


@click.command("articles")
@with_appcontext
@click.option("--limit", default=20, show_default=True, help="how many, newest first")
def _articles_command(limit: int) -> None:
    """List the stored articles: id, dateline, events, title."""
    for info in get_store().list(limit=limit):
        click.echo(f"{info.id}\t{info.dateline or '-'}\t{info.events}\t{info.title or ''}")


# -- CSRF --------------------------------------------------------------------------------------
def csrf_token() -> str:
    """This session's CSRF token (created on first use); forms carry it in ``csrf_token``."""
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def wants_json() -> bool:
    """True for the JSON API and the ``.json`` views: errors are answered in JSON there."""
    path = request.path
    return path.startswith("/api/") or path == "/api" or path.endswith(".json")


def _check_csrf() -> Any:
    if request.method not in UNSAFE_METHODS or request.routing_exception is not None:
        return None  # nothing to protect, or routing answers 404/405 anyway
    if request.path.startswith("/api/"):
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype not in API_BODY_TYPES:
            return _error(415, "send the body as application/json (or multipart/form-data "
                          f"with a file), not {request.mimetype or 'no content type'}")
        return None
    expected = session.get("csrf")
    given = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
    if not expected or not given or not secrets.compare_digest(expected, given):
        return _error(400, "the form has expired or did not come from this site (CSRF token "
                      "missing or wrong): reload the page and try again")
    return None


# -- headers -----------------------------------------------------------------------------------
def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response


# -- errors ------------------------------------------------------------------------------------
def _message(exc: BaseException) -> str:
    return str(exc.args[0]) if getattr(exc, "args", None) else str(exc)


def _error(status: int, message: str) -> Any:
    """One error shape: JSON ``{"ok": false, "error", "status"}`` or a small HTML page."""
    if wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
        return response
    return render_template("error.html", status=status, message=message), status


_HTTP_MESSAGES = {
    400: "the request is malformed",
    404: "there is nothing at this address",
    405: "this address does not answer to that method",
    413: f"the upload is too large: the limit is {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
    415: "the content type is not supported here",
}


def _http_error(exc: HTTPException) -> Any:
    status = exc.code or 500
    custom = exc.description and exc.description != type(exc).description
    message = (exc.description if custom else _HTTP_MESSAGES.get(status)) or exc.name
    allowed = sorted(getattr(exc, "valid_methods", None) or [])
    if status == 405 and allowed:
        message += f" (allowed: {', '.join(allowed)})"
    response = _error(status, message)
    if status == 405 and allowed:
        if isinstance(response, tuple):
            return response[0], status, {"Allow": ", ".join(allowed)}
        response.headers["Allow"] = ", ".join(allowed)
    return response


def _store_error(exc: StoreError) -> Any:
    current_app.logger.exception("store error")
    return _error(500, "the article store failed; the error is logged")


def _unexpected(exc: Exception) -> Any:
    if isinstance(exc, HTTPException):  # pragma: no cover - routed to _http_error
        return _http_error(exc)
    current_app.logger.exception("unexpected error on %s %s", request.method, request.path)
    return _error(500, "internal error; it is logged")
