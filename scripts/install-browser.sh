#!/bin/sh
# Install what the browser test needs: Debian's Chromium (Playwright's own download is not used)
# (the Python `playwright` package comes with the `dev` extra). Safe to run again; scripts/test.sh calls it.
set -eu

if [ ! -x /usr/bin/chromium ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version 2>/dev/null || true
