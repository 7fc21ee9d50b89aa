"""The days the ``holidays`` package gives, kept on disk from one process to the next.

Importing ``holidays`` takes about 0.1 s (its ~250 countries load together), more than the rest
of a start-up, and a process needs it for the first holiday it meets. What it answered (the
first day of each holiday name, per country and year) is kept in one small JSON file per
version of the package, in ``TIMELINE_CACHE_DIR``, else ``$XDG_CACHE_HOME/timeline``, else
``~/.cache/timeline``; a later process reads the file and imports the package only for a
country and year it has not seen. ``TIMELINE_CACHE_DIR=off`` turns the cache off.

The file is a cache, never a source: a version of the package that cannot be told, a file
that cannot be read or written, or a damaged one, and the package is asked as if there were
none. Writes replace the file whole (a temporary file, then a rename), so that processes running
side by side never read half a file; one may drop what another added at the same moment, which
the next process asks the package again.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from pathlib import Path

Days = dict[str, date]

_memory: dict[str, dict[str, str]] | None = None      # the file's entries, read once
_memory_path: Path | None = None


@lru_cache(maxsize=1)
def package_version() -> str | None:
    """The installed ``holidays`` version from its ``.dist-info`` folder (importing the
    package to ask would cost what the cache saves), or None when it cannot be told."""
    try:
        spec = importlib.util.find_spec("holidays")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    found = list(Path(spec.origin).parent.parent.glob("holidays-*.dist-info"))
    if len(found) != 1:
        return None
    return found[0].name[len("holidays-"):-len(".dist-info")] or None


def cache_path() -> Path | None:
    """The cache file for the installed ``holidays`` version, or None when off or unknown."""
    where = os.environ.get("TIMELINE_CACHE_DIR", "")
    if where.lower() == "off":
        return None
    if not where:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        where = os.path.join(base, "timeline")
    version = package_version()
    if version is None:
        return None
    return Path(where) / f"holidays-{version}.json"


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def _write(path: Path, entries: dict[str, dict[str, str]]) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(entries, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass


def days(country: str, year: int, compute: Callable[[str, int], Days]) -> Days:
    """``compute(country, year)``, from the cache file when it has them."""
    global _memory, _memory_path
    path = cache_path()
    if path is None:
        return compute(country, year)
    if _memory is None or _memory_path != path:
        _memory, _memory_path = _read(path), path
    key = f"{country}:{year}"
    known = _memory.get(key)
    if known is not None:
        try:
            return {name: date.fromisoformat(day) for name, day in known.items()}
        except (TypeError, ValueError):
            pass                                          # damaged: ask the package
    found = compute(country, year)
    entries = _read(path)                                 # what other processes added
    entries[key] = {name: day.isoformat() for name, day in found.items()}
    _write(path, entries)
    _memory = entries
    return found


def forget() -> None:
    """Drop what was read of the file (tests; a long-lived process never needs to)."""
    global _memory, _memory_path
    _memory, _memory_path = None, None
