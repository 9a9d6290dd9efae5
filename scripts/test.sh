#!/usr/bin/env bash
# Install repguard with its dev tools into .venv and run lint, type checks and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
.venv/bin/python -m pip install --quiet -e '.[dev]'
if [ -x scripts/install-browser.sh ]; then scripts/install-browser.sh; fi
echo "== ruff"; .venv/bin/ruff check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; exec .venv/bin/python -m pytest "$@"
