#!/bin/sh
# Install what the browser test needs: Debian's Chromium (Playwright's own download is not used)
# and the Python `playwright` package. Safe to run again; CI calls it before `pytest`.
set -eu

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>/dev/null || true

if ! python -c "import playwright" 2>/dev/null; then
    python -m pip install "playwright>=1.40"
fi
python -c "from importlib.metadata import version; print('playwright', version('playwright'))"
