#!/usr/bin/env bash
# Set everything up from a fresh clone and run the tests (the README's test command; CI runs it).
# Installs into the active virtual environment, else into ./.venv (scripts/setup.sh). Debian's
# chromium lets the audit report be tested in a real headless browser: installed with apt when
# run as root; otherwise named, and that one test is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
            || echo "chromium not installed: the browser test of the audit report will be skipped"
    else
        echo "system package chromium missing (sudo apt-get install chromium): the browser test of the audit report will be skipped"
    fi
fi
PY=$(bash scripts/setup.sh test | tail -n 1)
"$PY" -m pytest "$@"
