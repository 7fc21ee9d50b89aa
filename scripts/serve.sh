#!/usr/bin/env bash
# Set up .venv and start the web service on http://127.0.0.1:8000 (SQLite in ./data).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt \
  -r requirements-compile.txt
# Compile the hot modules (optional: without a C compiler timeline runs as plain Python).
.venv/bin/python scripts/compile.py || true
exec .venv/bin/python -m web --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" \
  --data-dir "${DATA_DIR:-data}" "$@"
