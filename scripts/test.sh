#!/usr/bin/env bash
# Set everything up from a fresh clone and run the tests (the README's test command; CI runs it).
# Debian's chromium lets the audit report be tested in a real headless browser, and Debian's
# tesseract-ocr with its English model lets scanned pages be read by OCR; without them (no root,
# no apt) those tests are skipped with a message and everything else still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-eng)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
        || echo "not installed: ${need[*]}: the audit browser test and the OCR tests may be skipped"
fi
python -m pip install -q -e ".[test,ocr]"
python -m pytest "$@"
