#!/usr/bin/env bash
# Install repguard into .venv and start the demo: pipeline on demo data + web UI on localhost.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/venv.sh
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/repguard demo "$@"
