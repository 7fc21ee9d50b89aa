"""Extraction speed on the TBAQ texts: CPU per 1,000 characters, after start-up.

    .venv/bin/python bench/engine.py [--corpus ../shared/corpora/tbaq] [--repeat 3]

Prints the whole pipeline's CPU time per 1,000 characters, each stage's share, and the seed
article's median time. The goal is under 1 ms per 1,000 characters. It says which modules ran
compiled (``scripts/compile.py``); ``TIMELINE_PURE=1`` measures the plain Python sources.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import timeline  # noqa: E402
from timeline import anchors, events, finder, resolver, timeml  # noqa: E402
from timeline import dateline as dateline_module  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpora" / "tbaq"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs = [timeml.read(p) for p in timeml.find_files([args.corpus])]
    chars = sum(len(d.text) for d in docs)
    timeline.extract("Warm-up: on Jan. 31, 2017, after a G20 summit, yesterday.", None)

    best = float("inf")
    for _ in range(args.repeat):
        started = time.process_time()
        for d in docs:
            timeline.extract(d.text, d.dct)
        best = min(best, time.process_time() - started)
    stages = dict.fromkeys(("dateline", "finder", "resolver", "anchors", "events"), 0.0)
    for d in docs:
        t0 = time.process_time()
        dateline_module.detect(d.text)
        t1 = time.process_time()
        found = finder.find(d.text)
        t2 = time.process_time()
        tx = resolver.resolve(d.text, found, d.dct)
        t3 = time.process_time()
        an = anchors.find_anchors(d.text, d.dct, tx)
        t4 = time.process_time()
        events.extract_events(d.text, tx, an, timeline.Dateline(d.dct, "given"))
        t5 = time.process_time()
        for name, spent in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4),
                               strict=True):
            stages[name] += spent
    seed = (ROOT / "seeds" / "000_68c4bcfba95a403f.txt").read_text(encoding="utf-8")
    runs = []
    for _ in range(50):
        started = time.perf_counter()
        timeline.extract(seed)
        runs.append(time.perf_counter() - started)

    per_k = best * 1000 / chars * 1000
    compiled = timeline.compiled.active()
    print(f"documents {len(docs)}, characters {chars:,}; compiled with mypyc: "
          f"{', '.join(compiled) or 'none (plain Python)'}")
    print(f"pipeline  {per_k:.3f} ms CPU per 1,000 characters (best of {args.repeat}; "
          f"goal < 1.000) -> {'OK' if per_k < 1 else 'OVER'}")
    total = sum(stages.values()) or 1.0
    for name, spent in stages.items():
        print(f"  {name:9} {spent * 1000 / chars * 1000:.3f} ms/1k chars  "
              f"({spent / total:.0%})")
    print(f"seed      median {statistics.median(runs) * 1000:.2f} ms per extraction "
          f"({len(seed):,} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
