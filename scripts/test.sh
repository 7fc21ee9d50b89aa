#!/usr/bin/env bash
# Set up .venv and run every test: lint, unit, property, web and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
# System packages the tests use: Debian's chromium (browser tests) and PostgreSQL (the store's
# tests start a throwaway server of their own).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") \
      >/dev/null
  else
    echo "the tests need Debian packages: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
