"""timeline.batch: streaming inputs, three output formats, resume, errors, bounded memory, Dask."""

from __future__ import annotations

import csv
import io
import json
import sys
import tracemalloc
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import timeline
from timeline import batch, cli
from timeline.model import FRAME_COLUMNS
from timeline.source import read_bytes

SNIPPETS = [
    "WASHINGTON, March 3, 2016 (AP) - The Senate voted on Tuesday to approve the bill. "
    "Lawmakers will meet again next week.",
    "LONDON (Reuters) - The company said on 12 May 2015 it had closed two plants in 2014.",
    "Officials met yesterday and signed the accord three days after the talks began.",
]


def _docs(seed_text: str, n: int) -> list[dict[str, str]]:
    texts = [seed_text, *SNIPPETS]
    return [{"id": f"doc{i:04d}", "text": f"Copy {i}.\n{texts[i % len(texts)]}",
             **({"dateline": "2016-03-04"} if i % 2 else {})} for i in range(n)]


def _write_jsonl(path: Path, docs: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def _expected(docs: list[dict[str, str]]) -> list[timeline.Timeline]:
    return [timeline.extract(d["text"], d.get("dateline"), article_id=d["id"]) for d in docs]


def _rows(timelines: list[timeline.Timeline]) -> list[dict]:
    return [row for tl in timelines for row in tl.rows()]


def _read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture()
def docs(seed_text: str) -> list[dict[str, str]]:
    return _docs(seed_text, 12)


def test_seed_gives_event_rows(seed_text: str) -> None:
    # the comparisons below mean something only when documents give rows
    assert timeline.extract(seed_text).rows()


def test_jsonl_to_jsonl_is_the_library_timeline_per_document(tmp_path, docs) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", docs)
    stats = batch.run_local([source], tmp_path / "out.jsonl")
    assert stats.done == len(docs) and stats.failed == 0
    assert _lines(tmp_path / "out.jsonl") == [json.loads(tl.to_json()) for tl in _expected(docs)]


def test_csv_output_has_one_header_and_the_contract_rows(tmp_path, docs) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", docs)
    stats = batch.run_local([source], tmp_path / "out.csv", workers=2, chunk=3)
    table = _read_csv(tmp_path / "out.csv")
    assert table[0] == list(FRAME_COLUMNS)
    assert table.count(list(FRAME_COLUMNS)) == 1
    expected = _read_csv_text(timeline.model.rows_to_csv(_rows(_expected(docs))))
    assert table == expected
    assert stats.rows == len(table) - 1


def _read_csv_text(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_parquet_output_is_the_event_rows(tmp_path, docs, monkeypatch) -> None:
    monkeypatch.setattr(batch, "ROW_GROUP_DOCS", 5)
    source = _write_jsonl(tmp_path / "in.jsonl", docs)
    batch.run_local([source], tmp_path / "out.parquet")
    written = pq.ParquetFile(tmp_path / "out.parquet")
    assert written.num_row_groups == 3          # 12 documents in groups of 5
    assert written.read().to_pylist() == _rows(_expected(docs))
    assert written.schema_arrow == batch.parquet_schema()


def test_parquet_row_groups_are_bounded_by_rows(tmp_path, docs, monkeypatch) -> None:
    monkeypatch.setattr(batch, "ROW_GROUP_ROWS", 1)
    source = _write_jsonl(tmp_path / "in.jsonl", docs)
    batch.run_local([source], tmp_path / "out.parquet")
    written = pq.ParquetFile(tmp_path / "out.parquet")
    with_rows = sum(1 for tl in _expected(docs) if tl.rows())
    assert written.num_row_groups == with_rows
    assert written.read().to_pylist() == _rows(_expected(docs))


def test_csv_input_with_text_column_and_multiline_cells(tmp_path, seed_text) -> None:
    source = tmp_path / "in.csv"
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["key", "body", "dateline"])
        writer.writerow(["k1", seed_text, ""])
        writer.writerow(["", SNIPPETS[0], "2016-03-04"])
        writer.writerow(["k3", "", ""])
    batch.run_local([source], tmp_path / "out.jsonl", text_column="body", id_column="key")
    lines = _lines(tmp_path / "out.jsonl")
    assert [line["id"] for line in lines] == ["k1", "in.csv:2"]
    assert lines[1] == json.loads(timeline.extract(SNIPPETS[0], "2016-03-04",
                                                   article_id="in.csv:2").to_json())
    errors = _lines(tmp_path / "out.jsonl.errors.jsonl")
    assert [e["id"] for e in errors] == ["k3"]


def test_csv_input_without_the_text_column_is_refused(tmp_path) -> None:
    (tmp_path / "in.csv").write_text("id,body\n1,hello\n", encoding="utf-8")
    with pytest.raises(timeline.InputError, match="'text' column"):
        batch.run_local([tmp_path / "in.csv"], tmp_path / "out.csv")


def test_folder_input_ids_are_relative_paths_in_sorted_order(tmp_path, seed_text) -> None:
    folder = tmp_path / "articles"
    (folder / "b").mkdir(parents=True)
    (folder / "b" / "two.txt").write_text(SNIPPETS[1], encoding="utf-8")
    (folder / "a.txt").write_text(seed_text, encoding="utf-8")
    (folder / "c.html").write_text(f"<p>{SNIPPETS[2]}</p>", encoding="utf-8")
    (folder / "notes.md").write_text("not an input", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00\x01binary")
    batch.run_local([folder], tmp_path / "out.jsonl", dateline="2016-03-04")
    lines = _lines(tmp_path / "out.jsonl")
    assert [line["id"] for line in lines] == ["a.txt", "b/two.txt", "c.html"]
    assert lines[1] == json.loads(timeline.extract(SNIPPETS[1], "2016-03-04",
                                                   article_id="b/two.txt").to_json())
    with pytest.raises(timeline.InputError) as refused:
        read_bytes(b"\x00\x01binary", "bad.txt")
    assert _lines(tmp_path / "out.jsonl.errors.jsonl") == [
        {"id": "bad.txt", "error": f"InputError: {refused.value}"}]


def test_a_bad_document_is_recorded_and_the_run_goes_on(tmp_path, docs) -> None:
    lines = [json.dumps(docs[0]), "{not json", json.dumps({"id": "d", "text": "x",
                                                           "dateline": "soon"}),
             json.dumps({"id": "n"}), "", json.dumps(docs[1])]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = batch.run_local([source], tmp_path / "out.csv", workers=2, chunk=2)
    assert (stats.done, stats.failed) == (2, 3)
    errors = _lines(tmp_path / "out.csv.errors.jsonl")
    assert [e["id"] for e in errors] == ["in.jsonl:2", "d", "n"]
    assert errors[1]["error"].startswith("DatelineError")
    assert _read_csv(tmp_path / "out.csv")[1:] == _read_csv_text(
        timeline.model.rows_to_csv(_rows(_expected(docs[:2]))))[1:]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_rerun_skips_finished_ids_and_gives_the_same_output(tmp_path, docs, suffix,
                                                            monkeypatch) -> None:
    monkeypatch.setattr(batch, "ROW_GROUP_DOCS", 4)
    full = _write_jsonl(tmp_path / "full.jsonl", docs)
    half = _write_jsonl(tmp_path / "half.jsonl", docs[:5])
    fresh, resumed = tmp_path / f"fresh{suffix}", tmp_path / f"resumed{suffix}"
    batch.run_local([full], fresh)
    batch.run_local([half], resumed)
    calls: list[str] = []
    render = batch.render
    monkeypatch.setattr(batch, "render", lambda r, f: calls.append(r.id) or render(r, f))
    stats = batch.run_local([full], resumed)
    assert stats.skipped == 5 and stats.done == len(docs) - 5
    assert calls == [d["id"] for d in docs[5:]]
    _assert_same_output(fresh, resumed)
    assert batch.run_local([full], resumed).skipped == len(docs)
    _assert_same_output(fresh, resumed)


def _assert_same_output(a: Path, b: Path) -> None:
    if a.suffix == ".parquet":
        assert pq.read_table(a).to_pylist() == pq.read_table(b).to_pylist()
    else:
        assert a.read_bytes() == b.read_bytes()


def test_resume_after_a_kill_drops_the_torn_tail(tmp_path, docs) -> None:
    full = _write_jsonl(tmp_path / "full.jsonl", docs)
    fresh, killed = tmp_path / "fresh.jsonl", tmp_path / "killed.jsonl"
    batch.run_local([full], fresh)
    batch.run_local([_write_jsonl(tmp_path / "half.jsonl", docs[:4])], killed)
    with open(killed, "ab") as stream:      # a document written, its id not yet recorded
        stream.write(b'{"id": "doc0004", "torn')
    batch.run_local([full], killed)
    assert killed.read_bytes() == fresh.read_bytes()


def test_parquet_ids_not_committed_by_a_killed_run_are_redone(tmp_path, docs) -> None:
    full = _write_jsonl(tmp_path / "full.jsonl", docs)
    out = tmp_path / "out.parquet"
    batch.run_local([_write_jsonl(tmp_path / "half.jsonl", docs[:3])], out)
    done = batch.sidecars(out)[0]
    with open(done, "a", encoding="utf-8") as stream:   # a killed run: ids, no commit line
        stream.write('["doc0003", null]\n["doc0004", null]\n')
    assert batch.read_done(done)[0] == {"doc0000", "doc0001", "doc0002"}
    stats = batch.run_local([full], out)
    assert stats.skipped == 3
    assert pq.read_table(out).to_pylist() == _rows(_expected(docs))


def test_restart_starts_over(tmp_path, docs) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", docs[:3])
    out = tmp_path / "out.jsonl"
    batch.run_local([source], out)
    stats = batch.run_local([source], out, restart=True)
    assert (stats.done, stats.skipped) == (3, 0)
    assert len(_lines(out)) == 3


def test_pool_keeps_work_in_flight_bounded(docs) -> None:
    pulled = 0

    def records():
        nonlocal pulled
        for i in range(400):
            pulled += 1
            yield batch.Record(f"r{i}", SNIPPETS[i % 3], dateline="2016-03-04")

    ahead = []
    for consumed, _ in enumerate(batch.process(records(), "jsonl", workers=2, chunk=4), 1):
        ahead.append(pulled - consumed)
    assert consumed == 400
    assert max(ahead) <= (2 * batch.IN_FLIGHT + 2) * 4


def _peak(tmp_path: Path, n: int, seed_text: str) -> int:
    source = _write_jsonl(tmp_path / f"in{n}.jsonl", _docs(seed_text, n))
    tracemalloc.start()
    batch.run_local([source], tmp_path / f"out{n}.parquet")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_memory_does_not_grow_with_the_input(tmp_path, seed_text, monkeypatch) -> None:
    monkeypatch.setattr(batch, "ROW_GROUP_DOCS", 50)
    _peak(tmp_path, 20, seed_text)          # warm caches and imports
    small, large = _peak(tmp_path, 100, seed_text), _peak(tmp_path, 1000, seed_text)
    assert large < small * 1.3 + 200_000, (small, large)


def test_jsonl_ranges_cover_the_file_with_line_numbers(tmp_path, docs) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", docs)
    ranges = list(batch.jsonl_ranges(str(source), block=300))
    assert len(ranges) > 3
    assert ranges[0][0] == 0 and ranges[-1][1] == source.stat().st_size
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    ids = [r.id for start, end, first in ranges
           for r in batch.jsonl_records(str(source), None, start, end, first)]
    assert ids == [d["id"] for d in docs]


def test_dask_path_gives_exactly_the_local_rows(tmp_path, docs, seed_text) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i, text in enumerate([seed_text, *SNIPPETS]):
        (folder / f"{i}.txt").write_text(text, encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x00")
    lines = [json.dumps(d) for d in docs] + ["{broken", json.dumps({"id": "no-text"})]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("\n".join(lines[:6] + [lines[-2]] + lines[6:-2] + [lines[-1]]) + "\n",
                     encoding="utf-8")
    table = tmp_path / "in.csv"
    pd.DataFrame({"id": ["c1", "c2"], "text": [SNIPPETS[0], seed_text]}).to_csv(table,
                                                                                index=False)
    inputs = [folder, jsonl, table]
    batch.run_local(inputs, tmp_path / "local.parquet", dateline="2017-02-01")
    stats = batch.run_dask(inputs, tmp_path / "dask.parquet", workers=2, processes=False,
                           dateline="2017-02-01", partition_docs=2, partition_bytes=2000)
    parts = sorted((tmp_path / "dask.parquet").glob("part-*.parquet"))
    assert len(parts) >= 6
    local = pd.read_parquet(tmp_path / "local.parquet")
    distributed = pd.read_parquet(tmp_path / "dask.parquet")
    assert len(local) > 0
    pd.testing.assert_frame_equal(local, distributed)
    assert _lines(tmp_path / "local.parquet.errors.jsonl") == _lines(
        tmp_path / "dask.parquet.errors.jsonl")
    assert stats.failed == 3 and stats.rows == len(local)
    again = batch.run_dask(inputs, tmp_path / "dask.parquet", processes=False,
                           dateline="2017-02-01", partition_docs=2, partition_bytes=2000)
    assert again.skipped == len(parts) and again.done == 0
    with pytest.raises(timeline.InputError, match="other inputs"):
        batch.run_dask([folder, jsonl], tmp_path / "dask.parquet", processes=False,
                       partition_docs=2, partition_bytes=2000)


def test_cli_batch_writes_the_output(tmp_path, docs) -> None:
    source = _write_jsonl(tmp_path / "in.jsonl", docs[:3])
    out = tmp_path / "out.jsonl"
    assert cli.main(["batch", str(source), "--out", str(out), "--workers", "2"]) == 0
    assert [line["id"] for line in _lines(out)] == ["doc0000", "doc0001", "doc0002"]
    assert cli.main(["batch", str(source), "--out", str(tmp_path / "out.txt")]) == 1


def test_dask_path_runs_on_a_given_scheduler(tmp_path, docs) -> None:
    from dask.distributed import LocalCluster

    source = _write_jsonl(tmp_path / "in.jsonl", docs)
    batch.run_local([source], tmp_path / "local.parquet")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=None) as cluster:
        stats = batch.run_dask([source], tmp_path / "dask", scheduler=cluster.scheduler_address,
                               partition_bytes=4000)
    assert stats.done == len(docs)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "local.parquet"),
                                  pd.read_parquet(tmp_path / "dask"))


def test_dask_missing_is_a_clear_error(tmp_path, docs, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "dask.bag", None)
    with pytest.raises(timeline.InputError, match="requirements-dask.txt"):
        batch.run_dask([_write_jsonl(tmp_path / "in.jsonl", docs)], tmp_path / "out")


def _batch_stderr(tmp_path: Path, corpus: Path, *, terminal: bool) -> str:
    """What ``python -m timeline batch`` writes to stderr, on a pseudo-terminal or a pipe."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    command = [sys.executable, "-m", "timeline", "batch", str(corpus),
               "--out", str(tmp_path / f"out-{terminal}.csv")]
    root = Path(__file__).resolve().parent.parent
    if not terminal:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:                     # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    assert proc.wait(timeout=120) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path, docs) -> None:
    corpus = _write_jsonl(tmp_path / "in.jsonl", docs)
    shown = _batch_stderr(tmp_path, corpus, terminal=True)
    # tqdm's last state: "12doc [00:00, 52.1doc/s]"
    assert f"{len(docs)}doc" in shown.replace(" ", "") and "doc/s" in shown
    assert _batch_stderr(tmp_path, corpus, terminal=False) == ""
