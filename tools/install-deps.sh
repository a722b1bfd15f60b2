#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages gongyou needs to build, test and run its demo.
# Idempotent and quiet when everything is present; runs `apt-get update` only when
# something is missing. Needs root (or sudo) only in that case.
set -eu

PACKAGES="build-essential cmake pkg-config
libsmpp34-dev libconfig-dev libsqlite3-dev sqlite3 libevent-dev libjansson-dev libcmocka-dev
clang libclang-rt-14-dev valgrind"

missing=""
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
    esac
done
# Node.js and npm run the SMPP test peer; accept any installation that provides them.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-deps: missing packages and not root: $missing" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
