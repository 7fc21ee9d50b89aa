"""Which modules run compiled, and the fallback to their sources when the build is stale.

The hot modules (``MODULES``: tokens and tags, the finder's scan, sentences, tense) can be
compiled to C extensions with mypyc by ``scripts/compile.py``, which both setup commands of the
README run. A compiled module sits beside its source and Python's import prefers it; the same
source runs either way, with a fifth less CPU compiled (0.67 against 0.86 ms per 1,000
characters of TBAQ). Without a C compiler or mypy the package is plain Python and gives the
same output.

The build writes ``compiled.json``: a CRC of each source it compiled. When a source differs from
its CRC (an edit, a checkout), the compiled code would run the old version, so ``install``
(called first thing by ``timeline/__init__.py``) loads every listed module from its source
instead, and warns once to rebuild. All or none: compiled modules call each other's functions
directly, so a module taken from its source would not replace the compiled copy the others
call. ``TIMELINE_PURE=1`` asks for the sources too (for profilers and tracers, which see only
Python lines).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
import zlib
from pathlib import Path
from typing import Any

MODULES = ("events", "finder", "sentences", "tense")
PACKAGE_NAME = "timeline"
PACKAGE = Path(__file__).resolve().parent
STAMP = PACKAGE / "compiled.json"
REBUILD = ".venv/bin/python scripts/compile.py"


def source_crc(name: str) -> str:
    """CRC-32 of the module's source, as hex."""
    return format(zlib.crc32((PACKAGE / f"{name}.py").read_bytes()), "08x")


def compiled_files(name: str) -> list[Path]:
    """The module's compiled files (the module itself and its ``__mypyc`` library), if any."""
    found = []
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        for stem in (name, f"{name}__mypyc"):
            path = PACKAGE / f"{stem}{suffix}"
            if path.exists():
                found.append(path)
    return found


def read_stamp() -> dict[str, Any]:
    try:
        return json.loads(STAMP.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def stale() -> list[str]:
    """Modules whose compiled file is there but was not built from the current source."""
    crcs = read_stamp().get("sources", {})
    return [name for name in MODULES
            if compiled_files(name) and crcs.get(name) != source_crc(name)]


def active() -> list[str]:
    """The modules of ``MODULES`` loaded (so far) from a compiled file."""
    loaded = []
    for name in MODULES:
        module = sys.modules.get(f"{PACKAGE_NAME}.{name}")
        if module is not None and not (module.__file__ or "").endswith(".py"):
            loaded.append(name)
    return loaded


def import_all() -> list[str]:
    """Import every module of ``MODULES``; those that loaded compiled (see :func:`active`)."""
    for name in MODULES:
        importlib.import_module(f"{PACKAGE_NAME}.{name}")
    return active()


class _SourceFinder:
    """A meta path finder that loads the listed modules from their ``.py`` files."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = {f"{PACKAGE_NAME}.{name}": name for name in names}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        name = self.names.get(fullname)
        if name is None:
            return None
        return importlib.util.spec_from_file_location(fullname, PACKAGE / f"{name}.py")


def install() -> str | None:
    """Load the listed modules from source when asked to or when the build is stale; the
    reason, or None when the compiled modules (or plain sources, with none built) are used."""
    if any(isinstance(f, _SourceFinder) for f in sys.meta_path):
        return "installed"
    reason = None
    if os.environ.get("TIMELINE_PURE", "") not in ("", "0"):
        reason = "TIMELINE_PURE is set"
    else:
        old = stale()
        if old:
            reason = f"compiled {', '.join(old)} out of date with the source"
            warnings.warn(f"timeline: {reason}; running the Python sources (slower). "
                          f"Rebuild with: {REBUILD}", RuntimeWarning, stacklevel=2)
    if reason is not None:
        sys.meta_path.insert(0, _SourceFinder(MODULES))
    return reason
