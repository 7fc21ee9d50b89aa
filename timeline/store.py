"""Articles, their times and events, kept in SQLite (default) or PostgreSQL (by URL).

One :class:`Store` fronts both through SQLAlchemy Core. SQLite is one file in the data
directory, in WAL mode; write transactions take the write lock up front (``BEGIN IMMEDIATE``)
so that concurrent writers queue on ``busy_timeout`` instead of failing. The schema carries its
version in ``schema_version``; :data:`MIGRATIONS` upgrades older databases when they are opened.

Each article row keeps its text and dateline; timexes, anchors and events are rows of their own
with their JSON plus indexed columns for filtering. Every event row also holds its finished frame
row, so :meth:`Store.frame` reads no article text. User corrections are kept apart, keyed by the
event's trigger offsets, and are applied again whenever the article is re-extracted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .calendar import Interval, iso, parse_iso
from .errors import InputError, NotFoundError, StoreError
from .model import FRAME_COLUMNS, RELATIONS, Anchor, Event, TimeExpression, Timeline, rows_to_frame

SCHEMA_VERSION = 2
DEFAULT_DIR = "data"
DB_FILENAME = "timeline.sqlite3"
SQLITE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
BUSY_TIMEOUT_MS = 30_000
ENV_URL = "TIMELINE_DATABASE_URL"

_UNSET: Any = ...  # "not given" for update_event (None means "clear this field")


class CorrectionError(InputError, StoreError):
    """A user correction carries a value the store cannot accept (bad date, relation...)."""


class _Conflict(StoreError):
    """A write hit a unique constraint (another writer stored the same thing first)."""


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What a listing shows of one stored article; ``events`` counts its visible events."""

    id: str
    title: str | None
    dateline: str | None          # ISO date or None
    dateline_source: str          # given | text | metadata | none
    content_hash: str             # sha256 of the text, hex
    uploaded_at: str              # ISO UTC, e.g. 2017-01-31T10:00:00Z
    events: int

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- schema ---------------------------------------------------------------------------------

metadata = MetaData()

schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("upload_key", String(100), nullable=False, unique=True),
    Column("content_hash", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("title", Text),
    Column("dateline", String(32)),
    Column("dateline_source", String(16), nullable=False),
    Column("uploaded_at", String(32), nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("data", Text, nullable=False),          # {"dateline": {...}, "warnings": [...]}
    Column("event_count", Integer, nullable=False),
    sqlite_autoincrement=True,                     # ids of deleted articles are never reused
)


def _child(name: str, *columns: Column) -> Table:
    return Table(
        name, metadata,
        Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"),
               primary_key=True),
        Column("seq", Integer, primary_key=True),
        *columns,
    )


timexes = _child(
    "timexes",
    Column("timex_id", String(64), nullable=False),
    Column("start_char", Integer, nullable=False), Column("end_char", Integer, nullable=False),
    Column("type", String(16)), Column("value", String(64)),
    Column("start", String(32)), Column("end", String(32)),
    Column("data", Text, nullable=False),
)
anchors = _child(
    "anchors",
    Column("anchor_id", String(64), nullable=False),
    Column("start_char", Integer, nullable=False), Column("end_char", Integer, nullable=False),
    Column("name", Text), Column("kind", String(32)),
    Column("start", String(32)), Column("end", String(32)),
    Column("data", Text, nullable=False),
)
events = _child(
    "events",
    Column("event_id", String(64), nullable=False),
    Column("key", String(64), nullable=False),       # trigger offsets: survives re-extraction
    Column("start", String(32)), Column("end", String(32)),
    Column("sort_start", String(32), nullable=False),
    Column("time_start_char", Integer),
    Column("relation", String(16), nullable=False),
    Column("search", Text, nullable=False),          # casefolded event, sentence and time text
    Column("deleted", Boolean, nullable=False),
    Column("data", Text, nullable=False),            # Event JSON, corrections applied
    Column("frame_row", Text, nullable=False),       # the frame row, corrections applied
)
Index("ix_events_article_event", events.c.article_id, events.c.event_id, unique=True)
Index("ix_events_start", events.c.start)
Index("ix_events_end", events.c.end)
corrections = Table(
    "corrections", metadata,
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"),
           primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("fields", Text, nullable=False),          # {"start", "end", "label", "relation"} given
    Column("deleted", Boolean, nullable=False),
    Column("updated_at", String(32), nullable=False),
)
ARTICLE_TABLES = (corrections, events, anchors, timexes)   # children first, then articles


# --- migrations -----------------------------------------------------------------------------

def _migrate_1_to_2(conn: Connection) -> None:
    """v1 kept each timeline as one JSON column; v2 splits it into indexed rows."""
    old = conn.exec_driver_sql(
        "SELECT id, text, uploaded_at, timeline FROM articles ORDER BY id").all()
    conn.exec_driver_sql("DROP TABLE articles")
    metadata.create_all(conn, tables=[articles, *reversed(ARTICLE_TABLES)])
    for article_id, text, uploaded_at, blob in old:
        tl = Timeline.from_dict(json.loads(blob), text)
        _insert_article(conn, tl, tl.title, article_id=article_id, uploaded_at=uploaded_at)
    if conn.dialect.name == "postgresql" and old:
        conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('articles', 'id'), "
                             "(SELECT max(id) FROM articles))")


MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_1_to_2}


# --- helpers --------------------------------------------------------------------------------

def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def content_hash(text: str) -> str:
    """sha256 of the article text (UTF-8), hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upload_key(timeline: Timeline) -> str:
    """What makes two uploads the same article: the text and the dateline the caller gave."""
    given = iso(timeline.dateline.value) if timeline.dateline.source == "given" else ""
    return f"{content_hash(timeline.text)}|{given or ''}"


def event_keys(evs: list[Event]) -> list[str]:
    """Stable keys of events: trigger offsets, with a counter when two share a trigger."""
    seen: dict[str, int] = {}
    keys = []
    for ev in evs:
        base = f"{ev.trigger.start_char}:{ev.trigger.end_char}"
        n = seen.get(base, 0)
        seen[base] = n + 1
        keys.append(base if n == 0 else f"{base}#{n}")
    return keys


def _parse_bound(value: str | date | None, name: str) -> date | datetime | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_iso(str(value).strip())
    except ValueError:
        raise CorrectionError(f"{name} {value!r} is not an ISO date or datetime") from None


def apply_correction(ev: Event, fields: dict[str, Any]) -> Event:
    """The event with a user's corrected fields (start, end, label, relation) applied."""
    changes: dict[str, Any] = {"edited": True}
    if "start" in fields or "end" in fields:
        start = _parse_bound(fields["start"], "start") if "start" in fields else ev.interval.start
        end = _parse_bound(fields["end"], "end") if "end" in fields else ev.interval.end
        try:
            changes["interval"] = Interval(start, end)
        except (ValueError, TypeError) as exc:
            raise CorrectionError(f"bad interval: {exc}") from None
    if "label" in fields:
        changes["text"] = fields["label"] or ""
    if "relation" in fields:
        changes["relation"] = fields["relation"]
    return dataclasses.replace(ev, **changes)


def _check_fields(fields: dict[str, Any]) -> dict[str, Any]:
    relation = fields.get("relation")
    if "relation" in fields and relation not in RELATIONS:
        raise CorrectionError(f"relation {relation!r} is not one of {', '.join(RELATIONS)}")
    if "label" in fields and fields["label"] is not None and not isinstance(fields["label"], str):
        raise CorrectionError("label must be a string")
    out = dict(fields)
    for name in ("start", "end"):
        if name in out:
            out[name] = iso(_parse_bound(out[name], name))
    return out


def _article_id(article_id: str | int) -> int:
    text = str(article_id).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise NotFoundError(f"no article {article_id!r}")
    return int(text)


def _resolve_target(target: str | os.PathLike | None) -> str:
    """A SQLAlchemy URL for a data directory, a SQLite file path or a database URL."""
    if target is None:
        target = os.environ.get(ENV_URL) or DEFAULT_DIR
    text = os.fspath(target)
    if "://" in text:
        for prefix in ("postgresql://", "postgres://"):
            if text.startswith(prefix):
                return "postgresql+psycopg://" + text[len(prefix):]
        return text
    path = Path(text).expanduser()
    if path.suffix.lower() not in SQLITE_SUFFIXES:
        path = path / DB_FILENAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data directory {path.parent}: {exc}") from exc
    return f"sqlite+pysqlite:///{path.resolve()}"


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None           # we say BEGIN ourselves (see below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")    # WAL: durable against process crashes
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.info.get("timeline_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# --- writing rows ---------------------------------------------------------------------------

def _insert_article(conn: Connection, tl: Timeline, title: str | None, *,
                    article_id: int | None = None, uploaded_at: str | None = None) -> int:
    now = _now()
    values = {
        "upload_key": upload_key(tl), "content_hash": content_hash(tl.text), "text": tl.text,
        "title": title, "dateline": iso(tl.dateline.value),
        "dateline_source": tl.dateline.source, "uploaded_at": uploaded_at or now,
        "updated_at": now, "data": _article_data(tl), "event_count": 0,
    }
    if article_id is not None:
        values["id"] = article_id
    result = conn.execute(insert(articles).values(**values))
    new_id = article_id if article_id is not None else result.inserted_primary_key[0]
    _write_children(conn, new_id, tl, _load_corrections(conn, new_id))
    return int(new_id)


def _article_data(tl: Timeline) -> str:
    return _dumps({"dateline": tl.dateline.to_json(), "warnings": list(tl.warnings)})


def _load_corrections(conn: Connection, aid: int) -> dict[str, tuple[dict[str, Any], bool]]:
    rows = conn.execute(select(corrections.c.key, corrections.c.fields, corrections.c.deleted)
                        .where(corrections.c.article_id == aid)).all()
    return {key: (json.loads(fields), bool(deleted)) for key, fields, deleted in rows}


def _write_children(conn: Connection, aid: int, tl: Timeline,
                    corr: dict[str, tuple[dict[str, Any], bool]]) -> None:
    """Replace the timexes, anchors and events rows of an article by those of ``tl``."""
    for table in (events, anchors, timexes):
        conn.execute(delete(table).where(table.c.article_id == aid))
    keys = event_keys(tl.events)
    deleted_keys = set()
    evs = []
    for ev, key in zip(tl.events, keys, strict=True):
        fields, deleted = corr.get(key, ({}, False))
        evs.append(apply_correction(ev, fields) if fields else ev)
        if deleted:
            deleted_keys.add(key)
    full = dataclasses.replace(tl, events=evs, id=str(aid))
    rows = {row["event_id"]: row for row in full.rows()}
    _insert_spans(conn, timexes, aid, tl.timexes, "timex_id", ("type", "value"))
    _insert_spans(conn, anchors, aid, tl.anchors, "anchor_id", ("name", "kind"))
    if evs:
        conn.execute(insert(events), [
            _event_values(aid, i, ev, key, rows[ev.id], key in deleted_keys)
            for i, (ev, key) in enumerate(zip(evs, keys, strict=True))])
    visible = len(evs) - len(deleted_keys)
    conn.execute(update(articles).where(articles.c.id == aid).values(event_count=visible))


def _insert_spans(conn: Connection, table: Table, aid: int,
                  spans: Sequence[TimeExpression] | Sequence[Anchor], id_column: str,
                  fields: tuple[str, str]) -> None:
    """Insert the timexes or anchors rows of an article: id, offsets, the attributes named by
    ``fields`` (same-named columns), interval and JSON."""
    if spans:
        conn.execute(insert(table), [
            {"article_id": aid, "seq": i, id_column: s.id, "start_char": s.start_char,
             "end_char": s.end_char, **{f: getattr(s, f) for f in fields},
             "start": iso(s.interval.start), "end": iso(s.interval.end),
             "data": _dumps(s.to_json())} for i, s in enumerate(spans)])


def _event_values(aid: int, seq: int, ev: Event, key: str, row: dict[str, Any],
                  deleted: bool) -> dict[str, Any]:
    search = "\n".join(str(row[c]) for c in ("event", "sentence", "time_text") if row[c])
    return {"article_id": aid, "seq": seq, "event_id": ev.id, "key": key,
            "start": row["start"], "end": row["end"],
            "sort_start": row["start"] or row["end"] or "9999",
            "time_start_char": row["time_start_char"], "relation": ev.relation,
            "search": search.casefold(), "deleted": deleted, "data": _dumps(ev.to_json()),
            "frame_row": _dumps(row)}


# --- the store ------------------------------------------------------------------------------

class Store:
    """Articles and their timelines in one database; safe to share between threads."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._closed = False
        self._lock = threading.Lock()
        self._migrate()
        if hasattr(os, "register_at_fork"):      # a forked worker must not share connections
            ref = weakref.ref(self)
            os.register_at_fork(after_in_child=lambda: _forget_connections(ref))

    @classmethod
    def open(cls, target: str | os.PathLike | None = None) -> Store:
        """Open (creating or upgrading) the store of a data directory, SQLite file or URL.

        ``None`` reads ``TIMELINE_DATABASE_URL`` and falls back to ``./data``.
        """
        url = _resolve_target(target)
        try:
            if url.startswith("sqlite"):
                engine = create_engine(url, pool_size=8, max_overflow=16)
                _sqlite_setup(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            return cls(engine)
        except StoreError:
            raise
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(f"cannot open the store at {_redact(url)}: {exc}") from exc

    @property
    def url(self) -> str:
        """The database URL, password hidden."""
        return _redact(self._engine.url.render_as_string(hide_password=True))

    @property
    def dialect(self) -> str:
        return self._engine.dialect.name

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release every connection; the store cannot be used afterwards."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._engine.dispose()

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[Connection]:
        if self._closed:
            raise StoreError("the store is closed")
        try:
            with self._engine.connect() as conn:
                conn.info["timeline_write"] = write
                with conn.begin():
                    yield conn
        except (StoreError, InputError):
            raise
        except IntegrityError as exc:
            raise _Conflict(f"conflicting write: {exc}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"database error: {exc.__class__.__name__}: {exc}") from exc

    def _migrate(self) -> None:
        with self._tx(write=True) as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7461)")  # one migrator
            if not inspect(conn).has_table("schema_version"):
                metadata.create_all(conn)
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
                return
            version = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if version is None:
                raise StoreError("the database has an empty schema_version table")
            if version > SCHEMA_VERSION:
                raise StoreError(f"the database has schema version {version}, newer than "
                                 f"this code's {SCHEMA_VERSION}: upgrade timeline")
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
                conn.execute(update(schema_version).values(version=version))

    def schema_version(self) -> int:
        with self._tx(write=False) as conn:
            return int(conn.execute(select(func.max(schema_version.c.version))).scalar())

    # -- articles --------------------------------------------------------------------------
    def save(self, timeline: Timeline, *, title: str | None = None) -> str:
        """Store an article and its timeline; returns its id (digits).

        Idempotent: the same text with the same given dateline returns the existing id.
        """
        title = title if title is not None else timeline.title
        key = upload_key(timeline)
        try:
            with self._tx(write=True) as conn:
                found = conn.execute(
                    select(articles.c.id).where(articles.c.upload_key == key)).scalar()
                return str(found if found is not None else _insert_article(conn, timeline, title))
        except _Conflict as exc:
            # another writer stored the same article meanwhile (PostgreSQL): return its id
            with self._tx(write=False) as conn:
                found = conn.execute(
                    select(articles.c.id).where(articles.c.upload_key == key)).scalar()
            if found is None:
                raise StoreError(f"cannot save the article: {exc}") from exc
            return str(found)

    def get(self, article_id: str) -> Timeline:
        """The article's timeline (``.id``, ``.title`` set), corrections applied, deleted
        events left out."""
        aid = _article_id(article_id)
        with self._tx(write=False) as conn:
            return self._load(conn, aid, with_deleted=False)

    def _load(self, conn: Connection, aid: int, *, with_deleted: bool) -> Timeline:
        art = conn.execute(select(articles.c.text, articles.c.title, articles.c.data)
                           .where(articles.c.id == aid)).first()
        if art is None:
            raise NotFoundError(f"no article {aid}")
        data = json.loads(art.data)

        def blobs(table: Table, *extra: Any) -> list[Any]:
            query = select(table.c.data).where(table.c.article_id == aid, *extra)
            return [json.loads(b) for b in conn.execute(query.order_by(table.c.seq)).scalars()]

        extra = () if with_deleted else (events.c.deleted.is_(False),)
        return Timeline.from_dict({
            "id": str(aid), "title": art.title, "dateline": data["dateline"],
            "timexes": blobs(timexes), "anchors": blobs(anchors),
            "events": blobs(events, *extra), "warnings": data.get("warnings", []),
        }, art.text)

    def info(self, article_id: str) -> ArticleInfo:
        aid = _article_id(article_id)
        with self._tx(write=False) as conn:
            row = conn.execute(_info_query().where(articles.c.id == aid)).first()
        if row is None:
            raise NotFoundError(f"no article {aid}")
        return _info(row)

    def list(self, *, limit: int = 1000, offset: int = 0) -> list[ArticleInfo]:
        """Stored articles, newest first."""
        limit = max(0, int(limit))
        offset = max(0, int(offset))
        with self._tx(write=False) as conn:
            rows = conn.execute(_info_query().order_by(articles.c.id.desc())
                                .limit(limit).offset(offset)).all()
        return [_info(r) for r in rows]

    def count(self) -> int:
        with self._tx(write=False) as conn:
            return int(conn.execute(select(func.count()).select_from(articles)).scalar())

    def delete(self, article_id: str) -> bool:
        """Remove the article and all its rows; False when there was no such article."""
        try:
            aid = _article_id(article_id)
        except NotFoundError:
            return False
        with self._tx(write=True) as conn:
            for table in ARTICLE_TABLES:
                conn.execute(delete(table).where(table.c.article_id == aid))
            return conn.execute(delete(articles).where(articles.c.id == aid)).rowcount > 0

    def replace(self, article_id: str, timeline: Timeline) -> None:
        """Swap in a re-extracted timeline; the user's corrections are applied to it again.

        The title is kept unless ``timeline.title`` is set. The upload key stays that of the
        first upload, so re-uploading the original returns this article.
        """
        aid = _article_id(article_id)
        with self._tx(write=True) as conn:
            title = conn.execute(select(articles.c.title).where(articles.c.id == aid)).first()
            if title is None:
                raise NotFoundError(f"no article {aid}")
            conn.execute(update(articles).where(articles.c.id == aid).values(
                content_hash=content_hash(timeline.text), text=timeline.text,
                title=timeline.title if timeline.title is not None else title[0],
                dateline=iso(timeline.dateline.value),
                dateline_source=timeline.dateline.source, updated_at=_now(),
                data=_article_data(timeline)))
            _write_children(conn, aid, timeline, _load_corrections(conn, aid))

    # -- corrections -----------------------------------------------------------------------
    def update_event(self, article_id: str, event_id: str, *, start: str | None = _UNSET,
                     end: str | None = _UNSET, label: str | None = _UNSET,
                     relation: str | None = _UNSET, deleted: bool | None = None) -> None:
        """Record a user's correction of one event; it persists through re-extraction.

        Fields left out stay as they are; ``start``/``end`` of None open that end;
        ``deleted=True`` hides the event, ``deleted=False`` brings it back.
        """
        given = {"start": start, "end": end, "label": label, "relation": relation}
        fields = _check_fields({k: v for k, v in given.items() if v is not _UNSET})
        aid = _article_id(article_id)
        with self._tx(write=True) as conn:
            tl = self._load(conn, aid, with_deleted=True)
            keys = dict(zip((e.id for e in tl.events), event_keys(tl.events), strict=True))
            if event_id not in keys:
                raise NotFoundError(f"no event {event_id!r} in article {aid}")
            key = keys[event_id]
            corr = _load_corrections(conn, aid)
            old_fields, old_deleted = corr.get(key, ({}, False))
            merged = {**old_fields, **fields}
            now_deleted = old_deleted if deleted is None else bool(deleted)
            ev = next(e for e in tl.events if e.id == event_id)
            apply_correction(ev, merged)          # raises CorrectionError on a bad interval
            conn.execute(delete(corrections).where(corrections.c.article_id == aid,
                                                   corrections.c.key == key))
            conn.execute(insert(corrections).values(
                article_id=aid, key=key, fields=_dumps(merged), deleted=now_deleted,
                updated_at=_now()))
            corr[key] = (merged, now_deleted)
            _write_children(conn, aid, tl, corr)

    # -- the cross-article frame -----------------------------------------------------------
    def frame(self, *, start: date | str | None = None, end: date | str | None = None,
              q: str | None = None, article: str | None = None) -> Any:
        """Every visible event of every article as one frame (contract columns), by start.

        ``start``/``end`` keep events whose interval overlaps the days ``[start, end]``
        (events without any time are left out then); ``q`` is a case-insensitive substring of
        the event label, sentence or time text; ``article`` one article id.
        """
        conds: list[Any] = [events.c.deleted.is_(False)]
        if article is not None and str(article).strip() != "":
            try:
                conds.append(events.c.article_id == _article_id(article))
            except NotFoundError:
                return rows_to_frame([])
        lo, hi = _bound(start, "start"), _bound(end, "end")
        if lo is not None or hi is not None:
            conds.append(or_(events.c.start.is_not(None), events.c.end.is_not(None)))
        if lo is not None:
            conds.append(or_(events.c.end.is_(None), events.c.end > lo))
        if hi is not None:
            conds.append(or_(events.c.start.is_(None), events.c.start < hi))
        if q:
            needle = q.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conds.append(events.c.search.like(f"%{needle}%", escape="\\"))
        query = select(events.c.frame_row, events.c.sort_start, events.c.time_start_char,
                       events.c.article_id, events.c.event_id).where(and_(*conds))
        with self._tx(write=False) as conn:
            found = conn.execute(query).all()
        found.sort(key=lambda r: (r.sort_start, r.time_start_char if r.time_start_char
                                  is not None else 10**12, r.article_id, r.event_id))
        return rows_to_frame([json.loads(r.frame_row) for r in found])


def _forget_connections(ref: weakref.ref[Store]) -> None:
    store = ref()
    if store is not None:
        store._engine.dispose(close=False)   # the child opens its own; the parent keeps its


def _bound(value: date | datetime | str | None, name: str) -> str | None:
    """The ISO string an interval end is compared with; ``end`` dates are inclusive."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = parse_iso(value.strip())
        except ValueError:
            raise InputError(f"{name} {value!r} is not an ISO date") from None
    if isinstance(value, datetime):
        return iso(value)
    if name == "end":
        value = value + timedelta(days=1)
    return iso(value)


def _info_query() -> Any:
    return select(articles.c.id, articles.c.title, articles.c.dateline,
                  articles.c.dateline_source, articles.c.content_hash, articles.c.uploaded_at,
                  articles.c.event_count)


def _info(row: Any) -> ArticleInfo:
    return ArticleInfo(str(row.id), row.title, row.dateline, row.dateline_source,
                       row.content_hash, row.uploaded_at, int(row.event_count))


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        cred, host = rest.rsplit("@", 1)
        if ":" in cred:
            return f"{scheme}://{cred.split(':', 1)[0]}:***@{host}"
    return url


__all__ = ["ArticleInfo", "CorrectionError", "FRAME_COLUMNS", "SCHEMA_VERSION", "Store",
           "apply_correction", "content_hash", "event_keys", "upload_key"]
