"""Compile timeline's hot modules to C with mypyc, in place (see ``timeline/compiled.py``).

    .venv/bin/python scripts/compile.py           # build if a source changed since the last build
    .venv/bin/python scripts/compile.py --force   # build anyway
    .venv/bin/python scripts/compile.py --clean   # remove the compiled files: plain Python again

Compiling is optional: as plain Python the package gives the same output with about a quarter
more CPU. It needs mypy (``requirements-compile.txt``) and a C compiler with Python's headers.
The build's own output is shown only when it fails; then what it built is removed, so that
the package runs as plain Python, and the exit status is 1. Scratch files go to
``build/compile/`` (kept, so that a rebuild is quicker).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "build" / "compile"


def _compiled_module():
    """``timeline/compiled.py`` on its own: importing the package would load the modules."""
    spec = importlib.util.spec_from_file_location("_timeline_compiled",
                                                  ROOT / "timeline" / "compiled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _mypy_version() -> str | None:
    try:
        from mypy.version import __version__
    except ImportError:
        return None
    return __version__


def _missing_tools() -> str | None:
    """What the build lacks (mypy, a C compiler, Python's headers), said in a few words."""
    if _mypy_version() is None:
        return "mypy is not installed (pip install -r requirements-compile.txt)"
    compiler = sysconfig.get_config_var("CC") or "cc"
    if not shutil.which(compiler.split()[0]) and not shutil.which("cc"):
        return f"no C compiler ({compiler.split()[0]}) on the PATH"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return f"Python's headers are missing (no Python.h in {sysconfig.get_paths()['include']})"
    return None


def up_to_date(c) -> bool:
    stamp = c.read_stamp()
    return all(c.compiled_files(name) for name in c.MODULES) and not c.stale() and \
        stamp.get("python") == sys.version.split()[0] and stamp.get("mypy") == _mypy_version()


def clean(c) -> None:
    for name in c.MODULES:
        for path in c.compiled_files(name):
            path.unlink()
    c.STAMP.unlink(missing_ok=True)


def build(c) -> None:
    """Child process: mypyc and setuptools, in the project root."""
    from mypyc.build import mypycify
    from setuptools import setup

    paths = [f"timeline/{name}.py" for name in c.MODULES]
    flags = ["--follow-imports=silent", "--ignore-missing-imports",
             f"--cache-dir={SCRATCH / 'mypy_cache'}"]
    setup(name="timeline-compiled", packages=[], py_modules=[],
          ext_modules=mypycify(flags + paths, opt_level="3", separate=True,
                               target_dir=str(SCRATCH / "c")),
          script_args=["build_ext", "--inplace", "--build-temp", str(SCRATCH / "o")])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--force", action="store_true", help="build even when up to date")
    parser.add_argument("--clean", action="store_true", help="remove the compiled files")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    c = _compiled_module()
    if args.child:
        build(c)
        return 0
    if args.clean:
        clean(c)
        print("compile: removed the compiled modules; timeline runs as plain Python")
        return 0
    current = up_to_date(c)
    if current and not args.force:
        print(f"compile: {', '.join(c.MODULES)} up to date")
        return 0
    missing = _missing_tools()
    if missing:
        if current:
            print(f"compile: {missing}; the compiled modules stay as they were built",
                  file=sys.stderr)
        else:
            clean(c)           # a stale build would only be set aside, with a warning, at import
            print(f"compile: {missing}; timeline runs as plain Python", file=sys.stderr)
        return 1
    clean(c)
    SCRATCH.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    # The sources as they are before the build: one edited meanwhile then counts as stale.
    sources = {name: c.source_crc(name) for name in c.MODULES}
    done = subprocess.run([sys.executable, __file__, "--child"], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode == 0:
        c.STAMP.write_text(json.dumps({
            "sources": sources, "python": sys.version.split()[0], "mypy": _mypy_version()},
            indent=2) + "\n", encoding="utf-8")
        # Check that the package now loads them, in a fresh process (warnings as errors).
        probe = "import timeline.compiled as c; print(','.join(c.import_all()))"
        env = {k: v for k, v in os.environ.items() if k != "TIMELINE_PURE"}
        loaded = subprocess.run([sys.executable, "-W", "error", "-c", probe], cwd=ROOT,
                                env=env, capture_output=True, text=True)
        if loaded.returncode == 0 and loaded.stdout.strip() == ",".join(c.MODULES):
            print(f"compile: {', '.join(c.MODULES)} compiled with mypyc "
                  f"in {time.perf_counter() - started:.0f} s")
            return 0
        done = loaded
    clean(c)
    sys.stderr.write(done.stdout[-6000:] + done.stderr[-6000:])
    print("compile: the build failed (above); timeline runs as plain Python", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
