"""The article store: round trips, idempotency, deletion, corrections, concurrency, crashes,
migrations and the cross-article frame, on SQLite in temporary directories (and PostgreSQL).
"""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

import timeline
from timeline.calendar import Interval
from timeline.errors import InputError, NotFoundError, StoreError
from timeline.model import Anchor, Dateline, Event, Span, TimeExpression, Timeline
from timeline.store import DB_FILENAME, SCHEMA_VERSION, ArticleInfo, CorrectionError, Store

TABLES = ("articles", "timexes", "anchors", "events", "corrections")


# --- timelines to store ---------------------------------------------------------------------

def _span(text: str, part: str, after: int = 0) -> Span:
    start = text.index(part, after)
    return Span(part, start, start + len(part))


def make_timeline(n: int, *, dateline: str | None = "2017-01-31", source: str = "given",
                  title: str | None = None) -> Timeline:
    """A hand-built timeline of article ``n``: dated, datetime, anchored and undated events."""
    text = (f"MOSCOW, Jan. 31, 2017 - Report {n}: Naumkin told reporters in Moscow yesterday "
            "that the talks = progress. Lavrov will meet Kerry after the G20 summit. "
            "The ministers met at 2 p.m. on Jan. 29. Élysée officials had warned before.")
    first, second = text.index("Naumkin"), text.index("Lavrov")
    third, fourth = text.index("The ministers"), text.index("Élysée")
    sentences = [Span(text[a:b].strip(), a, a + len(text[a:b].strip()))
                 for a, b in ((first, second), (second, third), (third, fourth),
                              (fourth, len(text)))]
    day = Interval(date(2017, 1, 30), date(2017, 1, 31))
    afternoon = Interval(datetime(2017, 1, 29, 14, 0), datetime(2017, 1, 29, 15, 0))
    t1, t2 = _span(text, "yesterday"), _span(text, "2 p.m. on Jan. 29")
    a1 = _span(text, "the G20 summit")
    line = Dateline(date.fromisoformat(dateline) if dateline else None,
                    source if dateline else "none")
    return Timeline(
        text=text, dateline=line, title=title,
        timexes=[
            TimeExpression("t1", t1.text, t1.start_char, t1.end_char, "DATE", "2017-01-30",
                           None, "day", day, "dateline", "relative_day"),
            TimeExpression("t2", t2.text, t2.start_char, t2.end_char, "TIME",
                           "2017-01-29T14:00", None, "hour", afternoon, "explicit",
                           "clock_on_date"),
        ],
        anchors=[Anchor("a1", a1.text, a1.start_char, a1.end_char, "G20 Hamburg summit 2017",
                        "known_event", Interval(date(2017, 7, 7), date(2017, 7, 9)),
                        "known_events.csv", "after", "after", "known_event")],
        events=[
            Event("e1", _span(text, "told"), "Naumkin told reporters in Moscow", sentences[0],
                  "Vitaky Naumkin", "t1", None, "on", day),
            Event("e2", _span(text, "meet"), "Lavrov will meet Kerry", sentences[1],
                  "Sergei Lavrov", None, "a1", "after", Interval(date(2017, 7, 9), None)),
            Event("e3", _span(text, "met"), "The ministers met", sentences[2], None, "t2",
                  None, "on", afternoon),
            Event("e4", _span(text, "warned"), "Élysée officials had warned", sentences[3],
                  None, None, None, "before", Interval(None, date(2017, 1, 31))),
        ],
        warnings=[f"hand-built {n}"],
    )


EXTRACTED_TEXTS = (
    "WASHINGTON, March 3, 2017 (Reuters) - The Senate voted on Tuesday to confirm the nominee. "
    "The vote came a day after hearings ended.",
    "Talks resumed yesterday in Geneva and will go on until Friday.",
)


def extracted_timelines(seed_text: str) -> list[Timeline]:
    """Timelines from the real extractor (whatever it finds today)."""
    found = [timeline.extract(seed_text)]
    found += [timeline.extract(t, dateline="2017-03-03") for t in EXTRACTED_TEXTS]
    found.append(timeline.extract(EXTRACTED_TEXTS[1]))
    return found


def expected(tl: Timeline, article_id: str, title: str | None = None) -> Timeline:
    out = tl.with_id(article_id)
    if title is not None:
        out.title = title
    return out


def table_counts(db: Path, article_id: str) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t} WHERE article_id = ?",
                                 (int(article_id),)).fetchone()[0]
                  for t in TABLES if t != "articles"}
        counts["articles"] = con.execute("SELECT count(*) FROM articles WHERE id = ?",
                                         (int(article_id),)).fetchone()[0]
        return counts
    finally:
        con.close()


# --- PostgreSQL: a throwaway cluster on a private Unix socket --------------------------------

def _pg_bin(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if found is None:
        pytest.fail(f"PostgreSQL's {name} is missing: apt-get install -y postgresql")
    return found


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Start a private PostgreSQL server (initdb + pg_ctl) and yield its socket directory."""
    base = Path(tempfile.mkdtemp(prefix="timeline-pg-", dir="/tmp"))
    prefix: list[str] = []
    if os.geteuid() == 0:                       # initdb refuses root: run as postgres
        shutil.chown(base, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data = base / "data"
    run = {"check": True, "capture_output": True, "text": True, "timeout": 120}
    try:
        subprocess.run([*prefix, _pg_bin("initdb"), "-D", str(data), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], **run)
        subprocess.run([*prefix, _pg_bin("pg_ctl"), "-D", str(data), "-w", "-l",
                        str(base / "log"), "-o", f"-k {base} -c listen_addresses='' -p 5432 -F",
                        "start"], **run)
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"could not start PostgreSQL: {exc.stderr}")
    try:
        yield str(base)
    finally:
        subprocess.run([*prefix, _pg_bin("pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


_pg_count = iter(range(10**6))


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh database on the private server, as a URL Store.open takes."""
    import psycopg

    name = f"timeline_test_{next(_pg_count)}"
    with psycopg.connect(host=pg_server, port=5432, user="postgres", dbname="postgres",
                         autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@/{name}?host={pg_server}&port=5432"


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    target = str(tmp_path) if request.param == "sqlite" else request.getfixturevalue("pg_url")
    store = Store.open(target)
    assert store.dialect == ("sqlite" if request.param == "sqlite" else "postgresql")
    yield store
    store.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path)
    yield s
    s.close()


# --- round trips ----------------------------------------------------------------------------

def test_round_trip_hand_built(any_store: Store) -> None:
    for n in range(3):
        tl = make_timeline(n, title=None if n else "First")
        aid = any_store.save(tl)
        assert aid.isdigit()
        got = any_store.get(aid)
        assert got.id == aid and got.title == tl.title
        assert got.to_dict() == expected(tl, aid).to_dict()
        assert got.text == tl.text
        pd.testing.assert_frame_equal(any_store.frame(article=aid), expected(tl, aid).to_frame())
        assert got.to_csv() == expected(tl, aid).to_csv()


def test_round_trip_extracted(any_store: Store, seed_text: str) -> None:
    for tl in extracted_timelines(seed_text):
        aid = any_store.save(tl, title="extracted")
        got = any_store.get(aid)
        assert got.to_dict() == expected(tl, aid, "extracted").to_dict()
        pd.testing.assert_frame_equal(any_store.frame(article=aid),
                                      expected(tl, aid, "extracted").to_frame())


def test_info_and_list(store: Store) -> None:
    ids = [store.save(make_timeline(n, title=f"Article {n}")) for n in range(5)]
    info = store.info(ids[2])
    assert isinstance(info, ArticleInfo)
    assert (info.id, info.title, info.dateline, info.dateline_source, info.events) == (
        ids[2], "Article 2", "2017-01-31", "given", 4)
    assert len(info.content_hash) == 64
    assert datetime.fromisoformat(info.uploaded_at.replace("Z", "+00:00")).year >= 2024
    assert json.loads(json.dumps(info.to_json()))["id"] == ids[2]
    listed = store.list()
    assert [i.id for i in listed] == list(reversed(ids))          # newest first
    assert [i.id for i in store.list(limit=2, offset=1)] == [ids[3], ids[2]]
    assert store.count() == 5


def test_missing_articles_and_bad_ids(store: Store) -> None:
    aid = store.save(make_timeline(1))
    for bad in ("999", "abc", "", "-1", "1; DROP TABLE articles", "１"):
        with pytest.raises(NotFoundError):
            store.get(bad)
        with pytest.raises(NotFoundError):
            store.info(bad)
        assert store.delete(bad) is False
    with pytest.raises(NotFoundError):
        store.replace("999", make_timeline(1))
    with pytest.raises(NotFoundError):
        store.update_event(aid, "e99", label="x")
    assert store.get(aid).id == aid


def test_files_and_wal(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "data"
    with Store.open(data_dir) as s:
        s.save(make_timeline(1))
    db = data_dir / DB_FILENAME
    assert db.is_file()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    with Store.open(tmp_path / "other.sqlite3") as s:          # a file path works too
        assert s.count() == 0
    with Store.open(f"sqlite:///{db}") as s:                      # and a URL
        assert s.count() == 1


def test_env_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIMELINE_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    with Store.open() as s:
        s.save(make_timeline(2))
    assert (tmp_path / "env.sqlite3").is_file()


def test_closed_store_refuses(tmp_path: Path) -> None:
    s = Store.open(tmp_path)
    s.close()
    with pytest.raises(StoreError):
        s.list()


# --- idempotency and deletion ---------------------------------------------------------------

def test_resave_is_idempotent(any_store: Store) -> None:
    tl = make_timeline(7)
    aid = any_store.save(tl, title="once")
    assert any_store.save(make_timeline(7), title="twice") == aid
    assert any_store.count() == 1
    assert any_store.info(aid).title == "once"
    assert len(any_store.frame()) == len(tl.events)
    other_line = any_store.save(make_timeline(7, dateline="2017-02-01"))
    no_line = any_store.save(make_timeline(7, dateline=None))
    detected = any_store.save(make_timeline(7, source="text"))
    assert len({aid, other_line, no_line, detected}) == 3        # detected == no given line
    assert detected == no_line
    assert any_store.count() == 3


def test_delete_removes_every_row(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        keep = s.save(make_timeline(1))
        gone = s.save(make_timeline(2))
        s.update_event(gone, "e1", label="corrected")
        before = table_counts(tmp_path / DB_FILENAME, gone)
        assert before == {"articles": 1, "timexes": 2, "anchors": 1, "events": 4,
                          "corrections": 1}
        assert s.delete(gone) is True
        assert s.delete(gone) is False
        with pytest.raises(NotFoundError):
            s.get(gone)
        assert list(s.frame()["article_id"].unique()) == [keep]
        # a new article never takes a deleted one's id
        assert int(s.save(make_timeline(3))) > int(gone)
    assert set(table_counts(tmp_path / DB_FILENAME, gone).values()) == {0}
    assert table_counts(tmp_path / DB_FILENAME, keep)["events"] == 4


# --- corrections ----------------------------------------------------------------------------

def _reextracted(n: int) -> Timeline:
    """Article ``n`` extracted again with another dateline: new ids, other order and times."""
    tl = make_timeline(n, dateline="2017-02-01")
    day = Interval(date(2017, 1, 31), date(2017, 2, 1))
    tl.timexes[0] = TimeExpression("t9", tl.timexes[0].text, tl.timexes[0].start_char,
                                   tl.timexes[0].end_char, "DATE", "2017-01-31", None, "day",
                                   day, "dateline", "relative_day")
    tl.events[0].interval = day
    tl.events[0].timex = "t9"
    for i, ev in enumerate(reversed(tl.events)):
        ev.id = f"e{10 + i}"
    tl.events.reverse()
    return tl


def test_correction_survives_reextraction(any_store: Store) -> None:
    aid = any_store.save(make_timeline(3))
    any_store.update_event(aid, "e1", label="Naumkin spoke to the press", start="2017-01-29")
    any_store.update_event(aid, "e1", relation="during")            # merges with the first
    any_store.update_event(aid, "e4", deleted=True)
    got = any_store.get(aid)
    assert [e.id for e in got.events] == ["e1", "e2", "e3"]
    told = got.events[0]
    assert (told.text, told.relation, told.edited) == ("Naumkin spoke to the press", "during",
                                                       True)
    assert told.interval == Interval(date(2017, 1, 29), date(2017, 1, 31))

    any_store.replace(aid, _reextracted(3))
    got = any_store.get(aid)
    by_trigger = {e.trigger.text: e for e in got.events}
    assert set(by_trigger) == {"told", "meet", "met"}             # "warned" stays deleted
    told = by_trigger["told"]
    assert told.id != "e1" and told.edited
    assert (told.text, told.relation) == ("Naumkin spoke to the press", "during")
    # the corrected start survives; the uncorrected end comes from the new extraction
    assert told.interval == Interval(date(2017, 1, 29), date(2017, 2, 1))
    assert not by_trigger["meet"].edited
    assert got.dateline.value == date(2017, 2, 1)
    frame = any_store.frame(article=aid)
    assert list(frame["trigger"]) == ["told", "met", "meet"]   # 2017-01-29 < ...T14:00
    row = frame[frame["trigger"] == "told"].iloc[0]
    assert (row["event"], row["start"], row["end"]) == ("Naumkin spoke to the press",
                                                        "2017-01-29", "2017-02-01")
    assert any_store.info(aid).events == 3
    any_store.update_event(aid, told.id, start=None)                   # open the start
    told = next(e for e in any_store.get(aid).events if e.id == told.id)
    assert told.interval == Interval(None, date(2017, 2, 1))
    # bring back the deleted event by its new id (it is hidden, not forgotten)
    hidden = next(e.id for e in _reextracted(3).events if e.trigger.text == "warned")
    any_store.update_event(aid, hidden, deleted=False)
    assert len(any_store.get(aid).events) == 4


def test_correction_persists_across_reopen(tmp_path: Path) -> None:
    with Store.open(tmp_path) as s:
        aid = s.save(make_timeline(4))
        s.update_event(aid, "e2", end="2017-07-20", label="Lavrov and Kerry meet")
    with Store.open(tmp_path) as s:
        ev = next(e for e in s.get(aid).events if e.id == "e2")
        assert ev.interval == Interval(date(2017, 7, 9), date(2017, 7, 20))
        assert ev.text == "Lavrov and Kerry meet"


def test_bad_corrections_are_refused(store: Store) -> None:
    aid = store.save(make_timeline(5))
    before = store.get(aid).to_dict()
    for kwargs in ({"relation": "sometime"}, {"start": "yesterday"},
                   {"start": "2017-02-05"},                    # after the event's end
                   {"label": 5}):
        with pytest.raises(CorrectionError) as info:
            store.update_event(aid, "e1", **kwargs)
        assert isinstance(info.value, InputError) and isinstance(info.value, StoreError)
    assert store.get(aid).to_dict() == before


# --- concurrency and crashes ----------------------------------------------------------------

@pytest.mark.parametrize("shared", [True, False], ids=["one-store", "store-per-thread"])
def test_four_threads_lose_nothing(tmp_path: Path, shared: bool) -> None:
    per_thread, threads = 25, 4
    common = Store.open(tmp_path)
    barrier = threading.Barrier(threads)
    saved: dict[int, str] = {}
    errors: list[BaseException] = []

    def work(k: int) -> None:
        s = common if shared else Store.open(tmp_path)
        try:
            barrier.wait()
            for i in range(per_thread):
                n = k * 1000 + i
                saved[n] = s.save(make_timeline(n))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            if not shared:
                s.close()

    pool = [threading.Thread(target=work, args=(k,)) for k in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(120)
    assert not errors, errors
    assert len(saved) == per_thread * threads
    assert len(set(saved.values())) == per_thread * threads
    assert common.count() == per_thread * threads
    for n, aid in saved.items():
        assert common.get(aid).text == make_timeline(n).text
    assert len(common.frame()) == per_thread * threads * 4
    common.close()


CHILD = """
import sys
sys.path.insert(0, {tests!r})
from test_store import make_timeline
from timeline.store import Store
store = Store.open({db!r})
n = {first}
while True:
    aid = store.save(make_timeline(n))
    print(n, aid, flush=True)
    n += 1
"""


def test_killed_writer_leaves_a_consistent_database(tmp_path: Path) -> None:
    db = tmp_path / "crash.sqlite3"
    printed: dict[str, int] = {}
    for round_no, wait in enumerate((25, 40, 60, 90)):
        code = CHILD.format(tests=str(Path(__file__).parent), db=str(db),
                            first=round_no * 100_000)
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                 text=True, cwd=Path(__file__).parent.parent)
        assert child.stdout is not None
        seen = 0
        deadline = time.monotonic() + 120
        while seen < wait and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            n, aid = line.split()
            printed[aid] = int(n)
            seen += 1
        assert seen == wait, f"the writer printed only {seen} ids"
        time.sleep(0.003 * round_no)                 # land the kill at different points
        child.send_signal(signal.SIGKILL)
        for line in child.stdout:                    # ids printed before the kill landed
            fields = line.split()
            if line.endswith("\n") and len(fields) == 2:   # not a line the kill cut short
                printed[fields[1]] = int(fields[0])
        child.wait(30)
        assert child.returncode == -signal.SIGKILL

        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # no half-written article: every article has all its rows
        partial = con.execute(
            "SELECT a.id FROM articles a WHERE a.event_count != "
            "(SELECT count(*) FROM events e WHERE e.article_id = a.id) OR 2 != "
            "(SELECT count(*) FROM timexes t WHERE t.article_id = a.id)").fetchall()
        assert partial == []
        con.close()
        with Store.open(db) as s:
            for aid, n in printed.items():
                assert s.get(aid).text == make_timeline(n).text
            assert s.count() >= len(printed)


# --- migrations -----------------------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version VALUES (1);
CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    dateline TEXT,
    dateline_source TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    timeline TEXT NOT NULL
);
"""


def _write_v1(db: Path, items: dict[int, Timeline]) -> None:
    con = sqlite3.connect(db)
    con.executescript(V1_SCHEMA)
    for aid, tl in items.items():
        con.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (aid, tl.text, "v1-hash", tl.dateline.to_json()["value"],
                     tl.dateline.source, f"2020-01-0{aid}T00:00:00Z",
                     json.dumps(tl.with_id(str(aid)).to_dict())))
    con.commit()
    con.close()


def test_v1_database_is_upgraded(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    items = {3: make_timeline(30, title="old three"), 7: make_timeline(70)}
    _write_v1(db, items)
    with Store.open(db) as s:
        assert s.schema_version() == SCHEMA_VERSION == 2
        for aid, tl in items.items():
            got = s.get(str(aid))
            assert got.to_dict() == expected(tl, str(aid)).to_dict()
            assert s.info(str(aid)).uploaded_at == f"2020-01-0{aid}T00:00:00Z"
        assert set(s.frame()["article_id"]) == {"3", "7"}
        assert s.save(make_timeline(70)) == "7"                  # idempotent after upgrade
        assert s.save(make_timeline(80)) == "8"
        s.update_event("3", "e1", label="works on v2")
    with Store.open(db) as s:                                     # upgrading is done once
        assert s.schema_version() == 2
        assert s.get("3").events[0].text == "works on v2"


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.sqlite3"
    Store.open(db).close()
    con = sqlite3.connect(db)
    con.execute("UPDATE schema_version SET version = 99")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store.open(db)


def test_postgres_schema_and_reopen(pg_url: str) -> None:
    """A fresh PostgreSQL database gets the current schema; reopening keeps its data."""
    with Store.open(pg_url) as s:
        assert s.schema_version() == SCHEMA_VERSION
        aid = s.save(make_timeline(1))
    with Store.open(pg_url) as s:
        assert s.get(aid).to_dict() == expected(make_timeline(1), aid).to_dict()


# --- the cross-article frame ----------------------------------------------------------------

def test_frame_filters(any_store: Store) -> None:
    a = any_store.save(make_timeline(1))
    b = any_store.save(_reextracted(2))
    any_store.update_event(a, "e3", deleted=True)
    frame = any_store.frame()
    assert list(frame.columns) == list(timeline.model.FRAME_COLUMNS)
    assert len(frame) == 7
    order = [s if s is not pd.NA else e for s, e in zip(frame["start"], frame["end"], strict=True)]
    assert order == sorted(order)                       # open starts sort by their end
    assert order[0] == "2017-01-29T14:00" and frame["trigger"].iloc[0] == "met"
    assert not ((frame["article_id"] == a) & (frame["trigger"] == "met")).any()

    def pairs(**kw: object) -> set[tuple[str, str]]:
        f = any_store.frame(**kw)
        return set(zip(f["article_id"], f["trigger"], strict=True))

    # [2017-01-30, 2017-01-30]: told in a (Jan 30), "warned" in both (open start, ends Jan 31)
    assert pairs(start=date(2017, 1, 30), end=date(2017, 1, 30)) == {
        (a, "told"), (a, "warned"), (b, "warned")}
    assert pairs(start=date(2017, 1, 31), end=date(2017, 1, 31)) == {(b, "told")}
    assert pairs(start=date(2017, 7, 10)) == {(a, "meet"), (b, "meet")}      # open end
    assert pairs(end=date(2017, 1, 29)) == {(a, "warned"), (b, "warned"), (b, "met")}
    assert pairs(start="2017-01-29", end="2017-01-29") == pairs(end=date(2017, 1, 29))
    assert pairs(q="ÉLYSÉE") == {(a, "warned"), (b, "warned")}               # casefolded
    assert pairs(q="moscow", article=b) == {(b, "told")}
    assert pairs(q="summit") == {(a, "meet"), (b, "meet")}
    assert pairs(q="spoke to") == set()
    assert pairs(q="= progress") == {(a, "told"), (b, "told")}               # sentence
    any_store.update_event(b, "e11", label="Ministers spoke to each other")
    assert pairs(q="spoke TO") == {(b, "met")}                               # event label
    assert pairs(q="100%") == set() and pairs(q="_") == set()               # no wildcards
    assert pairs(article=a) == {(a, "told"), (a, "meet"), (a, "warned")}
    assert pairs(article="404") == set() and pairs(article="x") == set()
    assert len(any_store.frame(q="")) == 7
    undated = any_store.save(make_timeline(3, dateline=None))
    any_store.update_event(undated, "e1", start=None, end=None, relation="undated")
    assert (undated, "told") in pairs()
    assert (undated, "told") not in pairs(start=date(1900, 1, 1))
    with pytest.raises(InputError):
        any_store.frame(start="last week")


def test_frames_of_articles_concatenate(store: Store) -> None:
    tls = [make_timeline(n) for n in range(3)]
    ids = [store.save(t) for t in tls]
    whole = store.frame()
    parts = [store.frame(article=i) for i in ids]
    for tl, aid, part in zip(tls, ids, parts, strict=True):
        pd.testing.assert_frame_equal(part, expected(tl, aid).to_frame())
    joined = pd.concat(parts, ignore_index=True)
    assert whole.dtypes.equals(joined.dtypes)
    key = ["start", "article_id", "event_id"]
    pd.testing.assert_frame_equal(
        whole.sort_values(key, na_position="last").reset_index(drop=True),
        joined.sort_values(key, na_position="last").reset_index(drop=True))


def test_same_article_saved_at_once_is_stored_once(any_store: Store) -> None:
    results: list[str] = []
    barrier = threading.Barrier(4)

    def work() -> None:
        barrier.wait()
        results.append(any_store.save(make_timeline(11)))

    pool = [threading.Thread(target=work) for _ in range(4)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(60)
    assert len(results) == 4 and len(set(results)) == 1
    assert any_store.count() == 1


def _save_in_child(store: Store, n: int, queue: multiprocessing.Queue) -> None:
    inherited = store._engine.pool.checkedin()      # the parent's idle connections
    queue.put((inherited, store.save(make_timeline(n))))


def test_store_survives_fork(tmp_path: Path) -> None:
    """A forked worker (batch --workers) may use the store it inherited; so may the parent."""
    with Store.open(tmp_path) as s:
        first = s.save(make_timeline(1))
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        child = ctx.Process(target=_save_in_child, args=(s, 2, queue))
        child.start()
        assert s._engine.pool.checkedin() >= 1
        inherited, from_child = queue.get(timeout=60)
        assert inherited == 0                          # the child never reuses them
        child.join(60)
        assert child.exitcode == 0
        assert s.get(from_child).text == make_timeline(2).text
        assert s.save(make_timeline(3)) not in (first, from_child)
        assert s.count() == 3


def test_inconsistent_timeline_is_refused_whole(store: Store) -> None:
    tl = make_timeline(12)
    tl.events[1].id = "e1"                                  # two events with one id
    with pytest.raises(StoreError) as info:
        store.save(tl)
    assert not isinstance(info.value, NotFoundError)
    assert store.count() == 0 and len(store.frame()) == 0  # nothing half-written
    assert store.save(make_timeline(12)).isdigit()
