#!/usr/bin/env bash
# Set everything up from a fresh clone and run the tests (the README's test command; CI runs it).
# Debian's chromium lets the audit report be tested in a real headless browser; without it (no
# root, no apt) that one test is skipped with a message and everything else still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
        || echo "chromium not installed: the browser test of the audit report will be skipped"
fi
python -m pip install -q -e ".[test]"
python -m pytest "$@"
