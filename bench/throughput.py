"""Throughput and memory of ``python -m timeline batch`` against ``dateparser.search_dates``.

Run from the project root: ``.venv/bin/python bench/throughput.py`` (about 5 minutes on two
cores). Every figure is a whole process, start-up included, timed from launch to exit:

- timeline batch, 1 worker and 2 workers, on the TBAQ texts repeated to ``--docs`` documents
  (each copy made unique by a first line with its copy number), CSV output (``--format``);
- ``dateparser.search_dates(text, languages=['en'], settings={'RELATIVE_BASE': dct})`` on
  the same documents, in input order, stopped after ``--dateparser-cap`` seconds;
- peak memory of timeline batch (1 worker) at ``--mem-small`` and ``--mem-large`` documents.

The package's bytecode is compiled first (``compileall``), as ``pip install`` does for an
installed package such as dateparser: with ``PYTHONDONTWRITEBYTECODE`` set, a source tree would
otherwise be compiled again by every process (about 0.05 s of each start-up). The hot modules
run compiled with mypyc when ``scripts/compile.py`` has built them (the table says which);
``--pure`` runs timeline from its Python sources instead (``TIMELINE_PURE=1``).

The 1- and 2-worker runs alternate ``--repeat`` times and the fastest of each counts (the
machine is shared). Peak memory is the process's ``ru_maxrss`` (from ``wait4``) and, for the
whole process tree, the largest sum of RSS seen by polling (every 20 ms in the memory runs, every
250 ms in the speed runs, which polling would slow). Prints a table and writes
``bench/results/throughput.json``. ``--profile`` instead profiles ``timeline.extract`` on
the TBAQ texts with pyinstrument (``pip install pyinstrument``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TBAQ = ROOT.parent / "shared" / "corpora" / "tbaq"
RESULTS = ROOT / "bench" / "results" / "throughput.json"
PURE = False                 # --pure: timeline from its Python sources
# Seconds between polls of the process tree's RSS. A poll costs about 0.8 ms of CPU: every
# 20 ms it would take 4% of a core from the two-worker run, which has none to spare, so the
# speed runs poll rarely and the memory runs (one worker, a core free) often.
SPEED_POLL, MEMORY_POLL = 0.25, 0.02
sys.path.insert(0, str(ROOT))


def tbaq_documents() -> list[tuple[str, str]]:
    """``(text, dct)`` of every TBAQ file, in path order."""
    from timeline import timeml

    docs = []
    for path in timeml.find_files([TBAQ]):
        doc = timeml.read(path)
        docs.append((doc.text, doc.dct.isoformat() if doc.dct else ""))
    if not docs:
        raise SystemExit(f"no .tml files under {TBAQ}")
    return docs


def write_corpus(path: Path, docs: list[tuple[str, str]], n: int) -> Path:
    """``n`` documents as JSONL: the TBAQ texts over and over, each copy made unique."""
    with open(path, "w", encoding="utf-8") as stream:
        for i in range(n):
            copy, (text, dct) = divmod(i, len(docs))[0], docs[i % len(docs)]
            item = {"id": f"copy{copy:03d}-{i % len(docs):03d}",
                    "text": f"Copy {copy} of the TBAQ text.\n{text}", "dateline": dct}
            stream.write(json.dumps(item, ensure_ascii=False) + "\n")
    return path


def measure(command: list[str], env: dict[str, str] | None = None,
            poll: float = 0.02) -> dict[str, float]:
    """Run ``command``; wall seconds, peak RSS of the process and of its tree (MB, the tree's
    polled every ``poll`` seconds by a thread), stdout.

    The wall time ends when a blocking ``wait4`` returns, not at the next poll. Output goes to
    temporary files, which cannot fill up and stall the command as a pipe would.
    """
    import psutil

    load = os.getloadavg()[0]
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True, env=env)
        watched = psutil.Process(proc.pid)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(poll):
                try:
                    members = [watched, *watched.children(recursive=True)]
                    peak[0] = max(peak[0], sum(_rss(p) for p in members))
                except psutil.Error:
                    pass

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return {"seconds": wall, "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024, "tree_peak_rss_mb": peak[0] / 2**20,
            "load_before": load, "stdout": stdout}


def _rss(process) -> int:
    try:
        return process.memory_info().rss
    except Exception:  # noqa: BLE001 - a worker may exit between listing and reading
        return 0


def run_batch(corpus: Path, n: int, workers: int, work: Path,
              fmt: str = "csv", poll: float = SPEED_POLL) -> dict[str, float]:
    out = work / f"out-{n}-{workers}.{fmt}"
    result = measure([sys.executable, "-m", "timeline", "batch", str(corpus), "--out", str(out),
                      "--workers", str(workers), "--restart"], env=_timeline_env(), poll=poll)
    errors = work / (out.name + ".errors.jsonl")
    failed = sum(1 for _ in open(errors, encoding="utf-8")) if errors.exists() else 0
    result.pop("stdout")
    result.update(docs=n, failed=failed, docs_per_s=n / result["seconds"], workers=workers)
    return result


def _timeline_env() -> dict[str, str]:
    """The environment of the timeline runs: ``TIMELINE_PURE`` only when ``--pure`` is given."""
    env = {k: v for k, v in os.environ.items() if k != "TIMELINE_PURE"}
    if PURE:
        env["TIMELINE_PURE"] = "1"
    return env


def compiled_modules() -> list[str]:
    """The modules a timeline run loads compiled (asked of a fresh process)."""
    probe = "import timeline.compiled as c; print(','.join(c.import_all()))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=_timeline_env(),
                          capture_output=True, text=True, check=True)
    return [name for name in done.stdout.strip().split(",") if name]


def run_dateparser(corpus: Path, cap: float) -> dict[str, float]:
    result = measure([sys.executable, __file__, "--dateparser-worker", str(corpus),
                      "--dateparser-cap", str(cap)], poll=SPEED_POLL)
    report = json.loads(result.pop("stdout"))
    result.update(report, docs_per_s=report["docs"] / result["seconds"])
    return result


def dateparser_worker(corpus: Path, cap: float) -> None:
    """Child process: search_dates over the corpus in order until ``cap`` seconds have passed."""
    started = time.perf_counter()
    from dateparser.search import search_dates

    docs = found = 0
    with open(corpus, encoding="utf-8") as stream:
        for line in stream:
            if time.perf_counter() - started > cap:
                break
            item = json.loads(line)
            base = datetime.fromisoformat(item["dateline"])
            dates = search_dates(item["text"], languages=["en"],
                                 settings={"RELATIVE_BASE": base})
            found += len(dates or [])
            docs += 1
    print(json.dumps({"docs": docs, "dates_found": found,
                      "capped": time.perf_counter() - started > cap}))


def profile() -> None:
    """pyinstrument over extract() on the TBAQ texts, after one warm-up pass."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        raise SystemExit("--profile needs pyinstrument: .venv/bin/pip install pyinstrument") \
            from None
    from timeline import extract

    docs = tbaq_documents()
    for text, dct in docs:
        extract(text, dct)
    profiler = Profiler(interval=0.0005)
    started = time.perf_counter()
    with profiler:
        for text, dct in docs:
            extract(text, dct)
    elapsed = time.perf_counter() - started
    print(f"{len(docs)} TBAQ documents in {elapsed:.2f} s ({len(docs) / elapsed:.0f} docs/s, "
          "in-process, profiled)")
    print(profiler.output_text(unicode=False, color=False))


def table(results: dict) -> str:
    """The figures side by side."""
    dp = results["dateparser"]
    runs = [("timeline batch, 1 worker", results["workers_1"]),
            ("timeline batch, 2 workers", results["workers_2"]),
            ("dateparser.search_dates" + (" (capped)" if dp["capped"] else ""), dp),
            ("timeline batch, 1 worker", results["memory_small"]),
            ("timeline batch, 1 worker", results["memory_large"])]
    keys = ("docs", "seconds", "docs_per_s", "cpu_seconds", "load_before", "peak_rss_mb",
            "tree_peak_rss_mb")
    rows = [("run", "docs", "seconds", "docs/s", "CPU s", "load before", "peak RSS MB",
             "tree RSS MB")] + [(name, *(run[k] for k in keys)) for name, run in runs]
    small, large = results["memory_small"], results["memory_large"]
    lines = []
    for row in rows:
        cells = [f"{c:,.1f}" if isinstance(c, float) else f"{c:,}" if isinstance(c, int)
                 else str(c) for c in row]
        lines.append(f"{cells[0]:<34}" + "".join(f"{c:>12}" for c in cells[1:]))
    ratios = results["ratios"]
    lines += [
        "",
        "timeline modules compiled with mypyc: "
        + (", ".join(results["compiled"]) or "none (plain Python)"),
        f"timeline (1 worker) / dateparser   {ratios['vs_dateparser']:7.1f}x",
        f"timeline (2 workers) / dateparser  {ratios['vs_dateparser_2_workers']:7.1f}x   "
        "(goal >= 10x; dateparser runs in one process, as search_dates is called)",
        f"2 workers / 1 worker               {ratios['speedup_2_workers']:7.2f}x   (goal >= 1.7x)",
        f"peak RSS at {large['docs']:,} / at {small['docs']:,} docs  "
        f"{ratios['memory_large_over_small']:6.2f}x   (goal <= 1.2x)",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2048, help="documents for the speed runs")
    parser.add_argument("--mem-small", type=int, default=1000)
    parser.add_argument("--mem-large", type=int, default=10000)
    parser.add_argument("--dateparser-cap", type=float, default=60.0, metavar="SECONDS")
    parser.add_argument("--format", choices=("csv", "jsonl", "parquet"), default="csv",
                        help="output of the timeline runs (default csv)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of 1 and 2 workers, interleaved; the fastest counts")
    parser.add_argument("--pure", action="store_true",
                        help="run timeline from its Python sources, not the compiled modules")
    parser.add_argument("--profile", action="store_true", help="profile extract() instead")
    parser.add_argument("--dateparser-worker", metavar="JSONL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dateparser_worker:
        dateparser_worker(Path(args.dateparser_worker), args.dateparser_cap)
        return
    if args.profile:
        profile()
        return
    global PURE
    PURE = args.pure
    docs = tbaq_documents()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "timeline")],
                   check=True)
    compiled = compiled_modules()
    with tempfile.TemporaryDirectory(prefix="timeline-bench-") as tmp:
        work = Path(tmp)
        largest = max(args.docs, args.mem_small, args.mem_large)
        everything = write_corpus(work / "all.jsonl", docs, largest)
        corpora = {}
        for n in {args.docs, args.mem_small, args.mem_large}:
            corpora[n] = everything if n == largest else _head(everything, work, n)
        results = {"tbaq_documents": len(docs), "cpus": os.cpu_count(), "format": args.format,
                   "python": platform.python_version(), "compiled": compiled,
                   "load_average": os.getloadavg()}
        print(f"corpus: {len(docs)} TBAQ texts repeated, JSONL in {work}", file=sys.stderr)
        runs = [("workers_1", args.docs, 1), ("workers_2", args.docs, 2)] * args.repeat + [
            ("memory_small", args.mem_small, 1), ("memory_large", args.mem_large, 1)]
        for key, n, workers in runs:
            print(f"timeline batch: {n} documents, {workers} worker(s)...", file=sys.stderr)
            result = run_batch(corpora[n], n, workers, work, args.format,
                               MEMORY_POLL if key.startswith("memory") else SPEED_POLL)
            best = results.get(key)
            result["all_seconds"] = [*(best["all_seconds"] if best else []), result["seconds"]]
            if best is None or result["seconds"] < best["seconds"]:
                results[key] = result
            else:
                best["all_seconds"] = result["all_seconds"]
        print(f"dateparser: {args.docs} documents, cap {args.dateparser_cap:.0f} s...",
              file=sys.stderr)
        results["dateparser"] = run_dateparser(corpora[args.docs], args.dateparser_cap)
    results["ratios"] = {
        "vs_dateparser": results["workers_1"]["docs_per_s"] / results["dateparser"]["docs_per_s"],
        "vs_dateparser_2_workers": results["workers_2"]["docs_per_s"]
        / results["dateparser"]["docs_per_s"],
        "speedup_2_workers": results["workers_2"]["docs_per_s"]
        / results["workers_1"]["docs_per_s"],
        "memory_large_over_small": results["memory_large"]["peak_rss_mb"]
        / results["memory_small"]["peak_rss_mb"],
    }
    print(table(results))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten {RESULTS.relative_to(ROOT)}")


def _head(source: Path, work: Path, n: int) -> Path:
    target = work / f"first-{n}.jsonl"
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for _, line in zip(range(n), src, strict=False):
            dst.write(line)
    return target


if __name__ == "__main__":
    main()
