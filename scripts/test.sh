#!/usr/bin/env bash
# Set up .venv and run every test: lint, unit, property, web and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  else
    echo "browser tests need Debian's chromium: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi
.venv/bin/python -m ruff check .
exec .venv/bin/python -m pytest "$@"
