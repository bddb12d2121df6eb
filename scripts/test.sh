#!/usr/bin/env bash
# Set everything up from a fresh clone and run the tests (the README's test command; CI runs it).
# Installs into the active virtual environment, else into ./.venv (scripts/setup.sh). Debian's
# chromium lets the audit report be tested in a real headless browser, and Debian's tesseract-ocr
# with its English model lets scanned pages be read by OCR: installed with apt when run as root;
# otherwise named, and those tests are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/share/tesseract-ocr/*/tessdata/eng.traineddata >/dev/null 2>&1 || need+=(tesseract-ocr tesseract-ocr-eng)
if [ ${#need[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null) \
            || echo "not installed: ${need[*]}: the audit browser test and the OCR tests may be skipped"
    else
        echo "system packages missing (sudo apt-get install ${need[*]}): the audit browser test and the OCR tests will be skipped"
    fi
fi
PY=$(bash scripts/setup.sh test,ocr,ocr-check | tail -n 1)
"$PY" -m pytest "$@"
