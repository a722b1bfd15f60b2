#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo of `make demo`: creates the demo database and shows what the services answer
# for the three demo workers. (The SMSC simulator, the daemon and the phone console join
# this script with the SMPP and channel issues.)
set -eu
cd "$(dirname "$0")/.."
BIN=build/bin
DB=${GONGYOU_DEMO_DB:-build/gongyou-demo.db}
export GONGYOU_TODAY="${GONGYOU_TODAY:-2026-11-28}"

"$BIN/gongyou" db init --db "$DB" --demo
for msisdn in 8613800138000 8613800138001 8613800138002; do
    echo
    echo "================================================================"
    "$BIN/gongyou" worker show "$msisdn" --db "$DB"
done
echo
echo "An unregistered number:"
"$BIN/gongyou" worker show 8613900000000 --db "$DB" || true
echo
echo "Demo database: $DB (reference date $GONGYOU_TODAY)."
echo "Try: $BIN/gongyou worker show 8613800138000 --db $DB --json"
