"""The real service for the browser tests and the load bench: ``python -m web`` started as a
subprocess on a free loopback port, waited for until it answers, stopped on exit.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class ServerDidNotStart(RuntimeError):
    """``python -m web`` exited or did not answer in time; the message ends with its log."""


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(data_dir: Path, log_path: Path, *, threads: int, probe: str = "/",
                   limit: float = 60) -> Iterator[str]:
    """``python -m web`` on a free loopback port with its store in ``data_dir`` and its output
    in ``log_path``; yields the base URL once a GET of ``probe`` answers 200 (within ``limit``
    seconds, else :class:`ServerDidNotStart`), and stops the server on exit."""
    port = free_port()
    base = f"http://{HOST}:{port}"
    with open(log_path, "w+b") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "web", "--host", HOST, "--port", str(port),
             "--data-dir", str(data_dir), "--threads", str(threads)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(base + probe, proc, log, limit)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_until_up(url: str, proc: subprocess.Popen, log: IO[bytes], limit: float) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            why = "exited" if proc.poll() is not None else f"did not answer within {limit:g} s"
            raise ServerDidNotStart(
                f"python -m web {why}:\n{log.read().decode(errors='replace')[-3000:]}")
        time.sleep(0.2)
