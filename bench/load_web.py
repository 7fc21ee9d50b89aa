"""Loopback load on the real web service: ``python -m web`` on a free port, a temporary data
directory, N uploads from C concurrent clients plus reads; then every article is checked.

    .venv/bin/python bench/load_web.py [--uploads 200] [--clients 8] [--reads 2]

Prints p50/p95 latency per kind of request, errors and lost articles; exits 1 when any
request failed or any article is missing. Bounded: a fixed number of requests, a time limit,
127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "seeds" / "000_68c4bcfba95a403f.txt"

from web.testing import HOST, ServerDidNotStart, running_server  # noqa: E402


class Client:
    """Timed HTTP requests to the loopback server; records latency and failures per kind."""

    def __init__(self, base: str, timeout: float) -> None:
        assert base.startswith(f"http://{HOST}:"), "loopback only"
        self.base = base
        self.timeout = timeout
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def request(self, kind: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method="POST" if data else "GET",
                                     headers={"Content-Type": "application/json"} if data else {})
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, payload = exc.code, exc.read()
        except OSError as exc:
            status, payload = 0, str(exc).encode()
        elapsed = time.perf_counter() - start
        with self.lock:
            self.latency[kind].append(elapsed)
            if not 200 <= status < 300:
                self.errors.append(f"{kind} {path}: {status} {payload[:200]!r}")
        return status, payload


def article_text(seed: str, n: int) -> str:
    """A distinct article per upload: the seed with its own header line."""
    return f"Report {n} from the wire desk.\n\n{seed}"


def one_client(client: Client, jobs: list[int], seed: str, reads: int, ids: dict[int, str],
               deadline: float) -> None:
    rng = random.Random(jobs[0] if jobs else 0)
    for n in jobs:
        if time.monotonic() > deadline:
            with client.lock:
                client.errors.append("time limit reached before all uploads were sent")
            return
        status, payload = client.request(
            "upload", "/api/articles", {"text": article_text(seed, n), "title": f"Report {n}"})
        if status == 201:
            ids[n] = json.loads(payload)["id"]
            for _ in range(reads):
                kind, path = rng.choice([
                    ("read page", f"/articles/{ids[n]}"),
                    ("read csv", f"/articles/{ids[n]}.csv"),
                    ("read json", f"/api/articles/{ids[n]}"),
                    ("list", "/api/articles?limit=20"),
                    ("timeline csv", "/timeline.csv?q=naumkin&from=2017-01-01"),
                ])
                client.request(kind, path)


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--reads", type=int, default=2, help="reads after each upload")
    parser.add_argument("--threads", type=int, default=8, help="server threads")
    parser.add_argument("--time-limit", type=float, default=600, help="seconds")
    args = parser.parse_args(argv)
    seed = SEED.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="timeline-load-") as tmp, ExitStack() as stack:
        try:
            base = stack.enter_context(running_server(
                Path(tmp) / "data", Path(tmp) / "server.log", threads=args.threads,
                probe="/api/articles?limit=1"))
        except ServerDidNotStart as exc:
            raise SystemExit(str(exc)) from None
        client = Client(base, timeout=120)
        ids: dict[int, str] = {}
        jobs = [list(range(c, args.uploads, args.clients)) for c in range(args.clients)]
        started = time.perf_counter()
        deadline = time.monotonic() + args.time_limit
        with ThreadPoolExecutor(args.clients) as pool:
            for part in jobs:
                pool.submit(one_client, client, part, seed, args.reads, ids, deadline)
        wall = time.perf_counter() - started
        # Every upload acknowledged must be stored, readable and listed.
        status, payload = client.request("check", "/api/articles?limit=1000")
        listed = {a["id"] for a in json.loads(payload)["articles"]} if status == 200 \
            else set()
        lost = [n for n, i in ids.items() if i not in listed]
        for n, i in ids.items():
            status, payload = client.request("check", f"/api/articles/{i}")
            if status != 200 or json.loads(payload)["text"] != article_text(seed, n):
                lost.append(n)
        missing = args.uploads - len(ids)
    requests = sum(len(v) for k, v in client.latency.items() if k != "check")
    print(f"load: {args.uploads} uploads from {args.clients} concurrent clients, "
          f"{args.reads} reads after each; server threads {args.threads}")
    print(f"{'kind':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for kind in sorted(client.latency, key=lambda k: (k == "check", k)):
        values = client.latency[kind]
        print(f"{kind:<14}{len(values):>6}{percentile(values, 50) * 1000:>10.1f}"
              f"{percentile(values, 95) * 1000:>10.1f}{max(values) * 1000:>10.1f}")
    every = [v for k, vs in client.latency.items() if k != "check" for v in vs]
    print(f"all requests: {requests} in {wall:.1f} s ({requests / wall:.1f}/s); "
          f"p50 {percentile(every, 50) * 1000:.1f} ms, p95 {percentile(every, 95) * 1000:.1f} ms")
    print(f"errors: {len(client.errors)}; lost articles: {len(set(lost)) + missing}")
    for line in client.errors[:10]:
        print("  " + line)
    return 1 if client.errors or lost or missing else 0


if __name__ == "__main__":
    sys.exit(main())
