#!/usr/bin/env bash
# Set up .venv and run every test: lint, unit, property, web and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# System packages the tests use: Debian's chromium (browser tests), PostgreSQL (the store's
# tests start a throwaway server of their own), and a C compiler with Python's headers (the
# hot modules are compiled, and a test checks that they are in use).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v cc >/dev/null || missing+=(gcc)
.venv/bin/python -c 'import pathlib, sysconfig, sys
sys.exit(not (pathlib.Path(sysconfig.get_paths()["include"]) / "Python.h").exists())' ||
  missing+=(python3-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
      >/dev/null
  else
    echo "the tests need Debian packages: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
.venv/bin/python scripts/compile.py
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
