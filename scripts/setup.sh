#!/usr/bin/env bash
# Usage: bash scripts/setup.sh [EXTRAS]   e.g. bash scripts/setup.sh test
# Installs renjana (editable, with the extras named) into the active virtual environment, or
# into ./.venv, made here when none is active: Debian and Ubuntu refuse pip installs into the
# system Python. Debian's python3-venv is installed with apt when run as root, else named.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt() {  # package: install it as root with apt, else say what is missing
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null) \
            || echo "could not install $1 with apt-get"
    else
        echo "please install the system package $1 (e.g. sudo apt-get install $1)"
    fi
}
if [ -z "${VIRTUAL_ENV:-}" ]; then
    if [ ! -x .venv/bin/python3 ]; then
        python3 -m venv .venv 2>/dev/null || { need_apt python3-venv; rm -rf .venv; python3 -m venv .venv; }
    fi
    PY=.venv/bin/python3
else
    PY=python3
fi
spec="."
[ -n "${1:-}" ] && spec=".[$1]"
"$PY" -m pip install -q -e "$spec"
echo "$PY"
