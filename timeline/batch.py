"""``python -m timeline batch``: many articles in, one CSV, JSONL or Parquet file out.

Inputs stream (folders of .txt/.html, JSONL, CSV with a text column) and memory stays
constant: the reader is a generator, and at most ``workers * IN_FLIGHT`` chunks of documents
are queued at once. Output is written in input order, document by document, and every
finished id goes to a ``<out>.done`` sidecar, so a rerun resumes where the last one stopped.
A document that fails goes to ``<out>.errors.jsonl`` and the run goes on.

``--engine dask`` runs the same per-document code on a Dask cluster and writes one Parquet
part per input partition (see :func:`run_dask`).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InputError
from .model import FRAME_COLUMNS, rows_to_csv
from .pipeline import extract
from .source import read_bytes

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
TEXT_SUFFIXES = (".txt", ".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
CHUNK = 32                    # documents per task sent to a worker
IN_FLIGHT = 4                 # chunks queued per worker
ROW_GROUP_DOCS = 2000         # Parquet: at most this many documents per row group,
ROW_GROUP_ROWS = 8192         # and a row group is written once it holds this many rows
PARTITION_DOCS = 200          # Dask: documents per partition of a folder
PARTITION_BYTES = 16 << 20    # Dask: at most this many bytes per partition of a JSONL file,
PARTITIONS_PER_FILE = 16      # and at most this many partitions per file above 1 MiB
_INT_COLUMNS = ("time_start_char", "time_end_char")
_CSV_HEADER = rows_to_csv([]).encode("utf-8")


class Record(NamedTuple):
    """One document to process: its text, or the file to read it from, or why it is bad."""

    id: str
    text: str | None = None
    path: str | None = None
    dateline: str | None = None
    title: str | None = None
    error: str | None = None


class Result(NamedTuple):
    """What a worker hands back for one document: output payload and event rows, or error."""

    id: str
    payload: Any
    error: str | None
    rows: int = 0


# -- reading inputs ---------------------------------------------------------------------------

def input_kind(path: Path) -> str:
    """``folder``, ``jsonl``, ``csv`` or ``file`` (one .txt/.html article)."""
    if path.is_dir():
        return "folder"
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    if suffix in TEXT_SUFFIXES:
        return "file"
    raise InputError(f"{path}: not a folder, .jsonl, .csv, .txt or .html file")


def folder_files(folder: Path) -> Iterator[tuple[str, str]]:
    """``(id, path)`` of every .txt/.html file under ``folder``, sorted; id is the relative path."""
    def walk(directory: Path, prefix: str) -> Iterator[tuple[str, str]]:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                yield from walk(Path(entry.path), f"{prefix}{entry.name}/")
            elif entry.name.lower().endswith(TEXT_SUFFIXES):
                yield prefix + entry.name, entry.path

    yield from walk(folder, "")


def parse_jsonl_line(raw: bytes, label: str, line_no: int, dateline: str | None) -> Record | None:
    """A JSONL line as a :class:`Record` (``None`` for a blank line); id falls back to file:line."""
    fallback = f"{label}:{line_no}"
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Record(fallback, error=f"line is not UTF-8 ({exc.reason})")
    if not line.strip():
        return None
    try:
        item = json.loads(line)
    except ValueError as exc:
        return Record(fallback, error=f"line is not JSON ({exc})")
    if not isinstance(item, dict):
        return Record(fallback, error="line is not a JSON object")
    doc_id = str(item["id"]) if item.get("id") is not None else fallback
    text = item.get("text")
    if not isinstance(text, str):
        return Record(doc_id, error='line has no "text" string')
    title = item.get("title") if isinstance(item.get("title"), str) else None
    return Record(doc_id, text, None, item.get("dateline") or dateline, title)


def jsonl_records(path: str, dateline: str | None, start: int = 0, end: int | None = None,
                  first_line: int = 1) -> Iterator[Record]:
    """The records of a JSONL file, or of its bytes ``[start, end)`` starting at ``first_line``.

    Lines are split on ``\\n`` only (JSON strings may hold U+2028 and friends).
    """
    label = Path(path).name
    with open(path, "rb") as stream:
        stream.seek(start)
        position = start
        for line_no, raw in enumerate(stream, first_line):
            if end is not None and position >= end:
                break
            position += len(raw)
            record = parse_jsonl_line(raw, label, line_no, dateline)
            if record is not None:
                yield record


def csv_records(path: str, dateline: str | None, text_column: str = "text",
                id_column: str = "id") -> Iterator[Record]:
    """The rows of a CSV file with a text column as records; id falls back to file:row."""
    label = Path(path).name
    csv.field_size_limit(2**31 - 1)
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        if reader.fieldnames is None or text_column not in reader.fieldnames:
            raise InputError(f"{path}: no {text_column!r} column (columns: "
                             f"{', '.join(reader.fieldnames or [])}); name it with "
                             "--text-column")
        for row_no, row in enumerate(reader, 1):
            doc_id = row.get(id_column) or f"{label}:{row_no}"
            text = row.get(text_column)
            if not text:
                yield Record(doc_id, error=f"row has an empty {text_column!r} cell")
                continue
            yield Record(doc_id, text, None, row.get("dateline") or dateline,
                         row.get("title") or None)


def iter_records(inputs: Iterable[str | Path], *, dateline: str | None = None,
                 text_column: str = "text", id_column: str = "id") -> Iterator[Record]:
    """Every document of every input, in a fixed order, one at a time."""
    for name in inputs:
        path = Path(name)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        kind = input_kind(path)
        if kind == "folder":
            for doc_id, file in folder_files(path):
                yield Record(doc_id, None, file, dateline)
        elif kind == "file":
            yield Record(path.name, None, str(path), dateline)
        elif kind == "jsonl":
            yield from jsonl_records(str(path), dateline)
        else:
            yield from csv_records(str(path), dateline, text_column, id_column)


# -- processing one document --------------------------------------------------------------------

def _timeline(record: Record) -> Any:
    if record.error is not None:
        raise InputError(record.error)
    if record.path is not None:
        document = read_bytes(Path(record.path).read_bytes(), record.path)
        return extract(document.text, record.dateline, title=document.title,
                       metadata_date=document.metadata_date, article_id=record.id)
    return extract(record.text or "", record.dateline, title=record.title,
                   article_id=record.id)


def render(record: Record, fmt: str) -> Result:
    """Extract one document and render it for ``fmt``; any failure becomes the result's error.

    csv: CSV lines without header (bytes); jsonl: one JSON line (bytes); parquet: row dicts.
    """
    try:
        tl = _timeline(record)
        rows = tl.rows()
        if fmt == "jsonl":
            payload: Any = (tl.to_json() + "\n").encode("utf-8")
        elif fmt == "csv":
            payload = rows_to_csv(rows).encode("utf-8")[len(_CSV_HEADER):]
        else:
            payload = rows
    except Exception as exc:  # noqa: BLE001 - a bad document must not stop the run
        return Result(record.id, None, f"{type(exc).__name__}: {exc}")
    return Result(record.id, payload, None, len(rows))


def _render_chunk(task: tuple[list[Record], str]) -> list[Result]:
    records, fmt = task
    return [render(r, fmt) for r in records]


def _warm_up(fmt: str) -> None:
    """Load rules, data and modules once in the parent, so that forked workers inherit them."""
    render(Record("warm-up", "Talks began on Monday, 2 January 2017.", None, "2017-01-03"), fmt)


def _ignore_interrupt() -> None:
    """Workers leave Ctrl-C to the parent, which stops the pool and closes the output."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def process(records: Iterable[Record], fmt: str, workers: int = 1,
            chunk: int = CHUNK) -> Iterator[Result]:
    """Results in input order; with ``workers > 1`` a process pool with bounded work in flight.

    ``Pool.imap`` would drain the generator as fast as it can, so a semaphore holds the
    feeder back to ``workers * IN_FLIGHT`` chunks not yet consumed.
    """
    if workers <= 1:
        for record in records:
            yield render(record, fmt)
        return
    import multiprocessing

    gate = threading.Semaphore(workers * IN_FLIGHT)
    stop = threading.Event()

    def gated() -> Iterator[tuple[list[Record], str]]:
        for part in _chunks(records, chunk):
            gate.acquire()
            if stop.is_set():
                return
            yield part, fmt

    _warm_up(fmt)
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    pool = context.Pool(workers, initializer=_ignore_interrupt)
    try:
        for results in pool.imap(_render_chunk, gated()):
            gate.release()
            yield from results
        pool.close()
    finally:
        stop.set()
        for _ in range(workers * IN_FLIGHT + 1):
            gate.release()
        pool.terminate()
        pool.join()


# -- writing output, with resume ---------------------------------------------------------------

def sidecars(out: Path) -> tuple[Path, Path]:
    """The ``<out>.done`` and ``<out>.errors.jsonl`` files next to ``out``."""
    return out.with_name(out.name + ".done"), out.with_name(out.name + ".errors.jsonl")


def read_done(done: Path) -> tuple[set[str], int]:
    """Finished ids and the output's committed size (bytes; -1 when no offset was recorded).

    A ``<out>.done`` line is ``[id, offset]`` (CSV, JSONL: the output's size after that
    document) or ``[id, null]`` followed later by a ``null`` line once a Parquet file holding
    it was closed; lines after the last commit, and a torn last line, are dropped.
    """
    ids: set[str] = set()
    pending: list[str] = []
    offset = -1
    if not done.exists():
        return ids, offset
    with open(done, encoding="utf-8") as stream:
        for line in stream:
            try:
                entry = json.loads(line)
            except ValueError:
                break
            if entry is None:
                ids.update(pending)
                pending = []
            elif isinstance(entry, list) and len(entry) == 2 and entry[1] is not None:
                ids.add(str(entry[0]))
                offset = int(entry[1])
            elif isinstance(entry, list) and len(entry) == 2:
                pending.append(str(entry[0]))
    return ids, offset


class _Sidecars:
    """Appends finished ids and errors, flushed per line."""

    def __init__(self, out: Path) -> None:
        done, errors = sidecars(out)
        self.done = open(done, "a", encoding="utf-8")  # noqa: SIM115
        self.errors = open(errors, "a", encoding="utf-8")  # noqa: SIM115

    def finished(self, doc_id: str, offset: int | None) -> None:
        self.finished_all([doc_id], offset)

    def finished_all(self, doc_ids: list[str], offset: int | None) -> None:
        """Record ``doc_ids`` as finished, the output being complete up to ``offset``."""
        self.done.write("".join(json.dumps([doc_id, offset], ensure_ascii=False) + "\n"
                                for doc_id in doc_ids))
        self.done.flush()

    def commit(self) -> None:
        self.done.write("null\n")
        self.done.flush()

    def failed(self, doc_id: str, error: str) -> None:
        self.errors.write(json.dumps({"id": doc_id, "error": error}, ensure_ascii=False) + "\n")
        self.errors.flush()

    def close(self) -> None:
        self.done.close()
        self.errors.close()


def _reset(out: Path) -> None:
    for path in (out, *sidecars(out), out.with_name(out.name + ".partial")):
        path.unlink(missing_ok=True)


class Stats(NamedTuple):
    """What a run did."""

    done: int
    failed: int
    skipped: int
    rows: int


class _Quiet:
    """The progress bar off a terminal: nothing to show, and no tqdm to import."""

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int | None = None) -> Any:
    """A tqdm bar with documents per second on a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        return _Quiet()
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", smoothing=0.05, dynamic_ncols=True)


def parquet_schema() -> Any:
    """The Arrow schema of the events rows: strings, offsets as int64."""
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in _INT_COLUMNS else pa.string())
                      for c in FRAME_COLUMNS])


class _RowGroups:
    """Event rows into a Parquet file, a row group at a time (memory stays bounded)."""

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq

        self.schema = parquet_schema()
        self.writer = pq.ParquetWriter(path, self.schema)
        self.buffer: list[dict[str, Any]] = []

    def add(self, rows: list[dict[str, Any]]) -> None:
        self.buffer.extend(rows)

    def full(self) -> bool:
        return len(self.buffer) >= ROW_GROUP_ROWS

    def flush(self) -> None:
        import pyarrow as pa

        if self.buffer:
            self.writer.write_table(pa.Table.from_pylist(self.buffer, schema=self.schema))
            self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.writer.close()


def run_local(inputs: Iterable[str | Path], out: str | Path, *, workers: int = 1,
              dateline: str | None = None, text_column: str = "text", id_column: str = "id",
              restart: bool = False, chunk: int = CHUNK,
              progress: Callable[[], Any] = _progress) -> Stats:
    """Extract every document of ``inputs`` into ``out`` (.csv, .jsonl or .parquet)."""
    out = Path(out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise InputError(f"--out {out}: name a .csv, .jsonl or .parquet file")
    if restart:
        _reset(out)
    done_ids, offset = read_done(sidecars(out)[0])
    if done_ids and not out.exists() or fmt != "parquet" and out.exists() and (
            out.stat().st_size < offset or not done_ids):
        if done_ids:
            print(f"batch: {out} is missing or shorter than its .done list says: starting over",
                  file=sys.stderr)
        _reset(out)
        done_ids, offset = set(), -1
    skipped = 0

    def todo() -> Iterator[Record]:
        nonlocal skipped
        for record in iter_records(inputs, dateline=dateline, text_column=text_column,
                                   id_column=id_column):
            if record.id in done_ids:
                skipped += 1
                continue
            yield record

    results = process(todo(), fmt, workers, chunk)
    side = _Sidecars(out)
    bar = progress()
    counts = {"done": 0, "failed": 0, "rows": 0}
    try:
        if fmt == "parquet":
            _write_parquet(out, results, side, bar, counts, bool(done_ids))
        else:
            _write_text(out, fmt, results, side, bar, counts, offset)
    finally:
        results.close()
        bar.close()
        side.close()
    return Stats(counts["done"], counts["failed"], skipped, counts["rows"])


def _tally(result: Result, side: _Sidecars, counts: dict[str, int]) -> bool:
    """Count ``result``; record it in the errors file when it failed. True when it did not."""
    if result.error is not None:
        side.failed(result.id, result.error)
        counts["failed"] += 1
        return False
    counts["done"] += 1
    counts["rows"] += result.rows
    return True


def _write_text(out: Path, fmt: str, results: Iterator[Result], side: _Sidecars, bar: Any,
                counts: dict[str, int], offset: int) -> None:
    with open(out, "ab") as stream:
        if offset >= 0:
            stream.truncate(offset)       # drop what a killed run wrote after its last id
        if stream.tell() == 0 and fmt == "csv":
            stream.write(_CSV_HEADER)
        # The output is flushed before the ids that say it is written, a chunk at a time
        # (two writes per document cost a tenth of the parent's time); a killed run loses at
        # most the documents of its last chunk, which a rerun does again.
        pending: list[str] = []
        try:
            for result in results:
                if _tally(result, side, counts):
                    stream.write(result.payload)
                pending.append(result.id)
                bar.update()
                if len(pending) >= CHUNK:
                    _flush_text(stream, side, pending)
        finally:
            _flush_text(stream, side, pending)


def _flush_text(stream: Any, side: _Sidecars, pending: list[str]) -> None:
    """Flush the output, then record ``pending`` as finished at its end."""
    if not pending:
        return
    stream.flush()
    side.finished_all(pending, stream.tell())
    pending.clear()


def _write_parquet(out: Path, results: Iterator[Result], side: _Sidecars, bar: Any,
                   counts: dict[str, int], resume: bool) -> None:
    """Row groups into ``<out>.partial``, renamed to ``out`` at the end.

    On resume the old file's row groups are copied first, one at a time.
    """
    import pyarrow.parquet as pq

    partial = out.with_name(out.name + ".partial")
    groups = _RowGroups(partial)
    ids: list[str] = []

    def flush() -> None:
        groups.flush()
        for doc_id in ids:
            side.finished(doc_id, None)
        ids.clear()

    try:
        if resume and out.exists():
            old = pq.ParquetFile(out)
            for group in range(old.num_row_groups):
                groups.writer.write_table(old.read_row_group(group).cast(groups.schema))
        for result in results:
            if _tally(result, side, counts):
                groups.add(result.payload)
            ids.append(result.id)
            bar.update()
            if len(ids) >= ROW_GROUP_DOCS or groups.full():
                flush()
    finally:
        # also on an exception or Ctrl-C: what was finished stays finished
        flush()
        groups.close()
        os.replace(partial, out)
        side.commit()


# -- Dask ----------------------------------------------------------------------------------------

class Unit(NamedTuple):
    """One Dask partition: what to read, and the Parquet part it becomes."""

    part: str
    kind: str                 # folder | jsonl | csv
    source: str               # folder root, JSONL or CSV path
    files: tuple[tuple[str, str], ...] = ()   # folder: (id, path) pairs
    start: int = 0            # jsonl: byte range and first line number
    end: int = 0
    first_line: int = 1


def jsonl_ranges(path: str, block: int = PARTITION_BYTES) -> Iterator[tuple[int, int, int]]:
    """``(start, end, first_line)`` blocks of about ``block`` bytes ending on newlines."""
    with open(path, "rb") as stream:
        start, line = 0, 1
        while True:
            data = stream.read(block)
            if not data:
                return
            if not data.endswith(b"\n"):
                data += stream.readline()
            yield start, start + len(data), line
            line += data.count(b"\n")
            start += len(data)


def plan_units(inputs: Iterable[str | Path], *, partition_docs: int = PARTITION_DOCS,
               partition_bytes: int | None = None) -> Iterator[Unit]:
    """The partitions of ``inputs``, in input order, numbered the same way on every run.

    A JSONL file is cut in blocks of ``partition_bytes`` or, by default, of a 16th of its
    size kept between 1 MiB and ``PARTITION_BYTES``.
    """
    number = 0

    def name() -> str:
        return f"part-{number:06d}.parquet"

    for raw in inputs:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder")
        kind = input_kind(path)
        if kind in ("folder", "file"):
            files = folder_files(path) if kind == "folder" else iter([(path.name, str(path))])
            for group in _chunks(files, partition_docs):  # type: ignore[arg-type]
                yield Unit(name(), "folder", str(path), tuple(group))
                number += 1
        elif kind == "jsonl":
            block = partition_bytes or min(PARTITION_BYTES, max(
                1 << 20, path.stat().st_size // PARTITIONS_PER_FILE + 1))
            for start, end, first in jsonl_ranges(str(path), block):
                yield Unit(name(), "jsonl", str(path), (), start, end, first)
                number += 1
        else:
            yield Unit(name(), "csv", str(path))
            number += 1


def unit_records(unit: Unit, dateline: str | None, text_column: str = "text",
                 id_column: str = "id") -> Iterator[Record]:
    """The records of one partition: the same ids and order as :func:`iter_records`."""
    if unit.kind == "folder":
        for doc_id, file in unit.files:
            yield Record(doc_id, None, file, dateline)
    elif unit.kind == "jsonl":
        yield from jsonl_records(unit.source, dateline, unit.start, unit.end, unit.first_line)
    else:
        yield from csv_records(unit.source, dateline, text_column, id_column)


def run_unit(unit: Unit, out_dir: str, dateline: str | None = None, text_column: str = "text",
             id_column: str = "id") -> dict[str, Any]:
    """Extract one partition into ``out_dir/<part>`` (a hidden file until it is complete)."""
    errors: list[dict[str, str]] = []
    docs = rows = 0
    target = Path(out_dir, unit.part)
    partial = target.with_name("." + unit.part + ".partial")
    groups = _RowGroups(partial)
    try:
        for record in unit_records(unit, dateline, text_column, id_column):
            result = render(record, "parquet")
            docs += 1
            if result.error is not None:
                errors.append({"id": result.id, "error": result.error})
                continue
            groups.add(result.payload)
            rows += result.rows
            if groups.full():
                groups.flush()
    finally:
        groups.close()
    os.replace(partial, target)
    return {"part": unit.part, "docs": docs, "rows": rows, "errors": errors}


def _import_dask() -> tuple[Any, Any, Any]:
    try:
        import dask.bag as db
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError(f"--engine dask needs Dask ({exc.name} is missing): "
                         "pip install -r requirements-dask.txt") from None
    return db, Client, LocalCluster


def run_dask(inputs: Iterable[str | Path], out: str | Path, *, scheduler: str | None = None,
             workers: int = 1, dateline: str | None = None, text_column: str = "text",
             id_column: str = "id", restart: bool = False, processes: bool = True,
             partition_docs: int = PARTITION_DOCS, partition_bytes: int | None = None,
             progress: Callable[[int], Any] = _progress) -> Stats:
    """The same extraction on Dask: a ``dask.bag`` of partitions, one Parquet part each.

    ``out`` is a folder (``pandas.read_parquet(out)`` reads it in input order). Parts already
    there are skipped, so a rerun on the same inputs resumes (``_plan.sha256`` in ``out``
    checks that); failed documents go to ``<out>.errors.jsonl``.
    Without ``scheduler`` a LocalCluster of ``workers`` processes runs it.
    """
    db, client_class, cluster_class = _import_dask()
    out = Path(out)
    if out.suffix.lower() in (".csv", ".jsonl"):
        raise InputError("--engine dask writes partitioned Parquet: --out DIR or DIR.parquet")
    if out.is_file():
        raise InputError(f"--out {out} is a file; the Dask engine writes a folder of parts")
    errors_path = sidecars(out)[1]
    plan_path = out / "_plan.sha256"
    units = list(plan_units(inputs, partition_docs=partition_docs,
                            partition_bytes=partition_bytes))
    plan = hashlib.sha256(json.dumps([tuple(u) for u in units]).encode()).hexdigest()
    if out.is_dir() and not restart and any(out.glob("part-*.parquet")) and (
            not plan_path.exists() or plan_path.read_text().strip() != plan):
        raise InputError(f"{out} holds parts of other inputs or partitions; give the same "
                         "inputs to resume, or --restart")
    if restart and out.is_dir():
        for part in out.glob("part-*.parquet"):
            part.unlink()
        errors_path.unlink(missing_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    plan_path.write_text(plan + "\n")
    todo = [u for u in units if not (out / u.part).exists()]
    skipped = len(units) - len(todo)
    cluster = None
    if scheduler:
        client = client_class(scheduler)
    else:
        cluster = cluster_class(n_workers=max(workers, 1), threads_per_worker=1,
                                processes=processes, dashboard_address=None)
        client = client_class(cluster)
    done = failed = rows = 0
    bar = progress(len(todo))
    try:
        if todo:
            from dask.distributed import as_completed

            bag = db.from_sequence(todo, npartitions=len(todo)).map(
                run_unit, str(out), dateline, text_column, id_column)
            futures = client.compute(bag.to_delayed())
            reports = []
            for future in as_completed(futures):
                reports.extend(future.result())
                bar.update()
            reports.sort(key=lambda r: r["part"])
            with open(errors_path, "a", encoding="utf-8") as stream:
                for report in reports:
                    done += report["docs"] - len(report["errors"])
                    failed += len(report["errors"])
                    rows += report["rows"]
                    for error in report["errors"]:
                        stream.write(json.dumps(error, ensure_ascii=False) + "\n")
    finally:
        bar.close()
        client.close()
        if cluster is not None:
            cluster.close()
    return Stats(done, failed, skipped, rows)


# -- command line --------------------------------------------------------------------------------

def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``batch`` sub-command's options."""
    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="folders of .txt/.html, .jsonl files, .csv files with a text column")
    parser.add_argument("--out", required=True, metavar="FILE",
                        help=".csv, .jsonl or .parquet (dask: a folder of Parquet parts)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (default 1)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="dask: scheduler address tcp://HOST:PORT (default: a LocalCluster)")
    parser.add_argument("--dateline", metavar="YYYY-MM-DD",
                        help="dateline for documents that carry none")
    parser.add_argument("--text-column", default="text", help="CSV: the column with the text")
    parser.add_argument("--id-column", default="id", help="CSV: the column with the id")
    parser.add_argument("--restart", action="store_true",
                        help="ignore finished ids and start the output over")
    parser.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run ``batch``; 0 when it ran (failed documents are in ``<out>.errors.jsonl``)."""
    if args.dateline:
        from .model import as_date

        as_date(args.dateline)
    options = {"workers": args.workers, "dateline": args.dateline,
               "text_column": args.text_column, "id_column": args.id_column,
               "restart": args.restart}
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler needs --engine dask")
    try:
        if args.engine == "dask":
            stats = run_dask(args.inputs, args.out, scheduler=args.scheduler, **options)
        else:
            stats = run_local(args.inputs, args.out, **options)
    except KeyboardInterrupt:
        print(f"batch: interrupted; run the same command again to resume {args.out}",
              file=sys.stderr)
        return 130
    if sys.stderr.isatty():
        print(f"batch: {stats.done:,} documents, {stats.rows:,} rows, {stats.failed:,} failed "
              f"(see {sidecars(Path(args.out))[1]}), {stats.skipped:,} already done",
              file=sys.stderr)
    return 0
