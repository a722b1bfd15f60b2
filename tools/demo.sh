#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo of `make demo`: creates the demo database, starts smsc-sim (a phone console in the
# foreground, reading the terminal) and gongyoud (in the background) on loopback, and stops
# both by PID when the console is left. `--show` prints the three demo workers' summaries.
set -eu
cd "$(dirname "$0")/.."

usage() {
    cat <<'EOF'
usage: tools/demo.sh [--msisdn N] [--show]
  (no option)  create the demo database, start smsc-sim and gongyoud on loopback and open
               a phone console as worker A (8613800138000)
  --msisdn N   the phone console's number (8613800138001 is worker B, ...0002 worker C)
  --show       print every service's answer for the three demo workers and exit
Environment: GONGYOU_BIN_DIR (default build/bin), GONGYOU_DEMO_WORKDIR (default build: where the
database, configuration and logs go), GONGYOU_TODAY (default 2026-11-28).
EOF
}

MSISDN=8613800138000
SHOW=0
while [ $# -gt 0 ]; do
    case "$1" in
    --msisdn)
        [ $# -ge 2 ] || { echo "demo.sh: --msisdn needs a number" >&2; exit 2; }
        MSISDN=$2
        shift 2
        ;;
    --msisdn=*) MSISDN=${1#--msisdn=}; shift ;;
    --show) SHOW=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "demo.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done
case "$MSISDN" in
'' | *[!0-9]*) echo "demo.sh: --msisdn: '$MSISDN' is not a number (8613800138001)" >&2; exit 2 ;;
esac

BIN=${GONGYOU_BIN_DIR:-build/bin}
DIR=${GONGYOU_DEMO_WORKDIR:-build}
DB=${GONGYOU_DEMO_DB:-$DIR/gongyou-demo.db}
export GONGYOU_TODAY="${GONGYOU_TODAY:-2026-11-28}"
for b in gongyou gongyoud smsc-sim; do
    [ -x "$BIN/$b" ] || { echo "demo.sh: $BIN/$b is missing (run make build)" >&2; exit 1; }
done
mkdir -p "$DIR"

"$BIN/gongyou" db init --db "$DB" --demo >/dev/null

if [ "$SHOW" = 1 ]; then
    for n in 8613800138000 8613800138001 8613800138002; do
        echo
        echo "================================================================"
        "$BIN/gongyou" worker show "$n" --db "$DB"
    done
    echo
    echo "An unregistered number:"
    "$BIN/gongyou" worker show 8613900000000 --db "$DB" || true
    echo
    echo "Demo database: $DB (reference date $GONGYOU_TODAY)."
    exit 0
fi

# The phone console's output comes through a FIFO: the first line gives the simulator's port.
RUN=$(mktemp -d "${TMPDIR:-/tmp}/gongyou-demo.XXXXXX")
FIFO=$RUN/phone
LOG=$DIR/gongyoud-demo.log
mkfifo "$FIFO"
SIM_PID=
GW_PID=
cleanup() {
    trap - EXIT INT TERM HUP
    for pid in $SIM_PID $GW_PID; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $SIM_PID $GW_PID; do
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$RUN"
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM HUP

# A background job of a script reads /dev/null unless told otherwise: give it our stdin.
exec 3<&0
"$BIN/smsc-sim" --listen 127.0.0.1:0 --phone "$MSISDN" <&3 >"$FIFO" &
SIM_PID=$!
exec 4<"$FIFO"
FIRST=
read -r FIRST <&4 || true
case "$FIRST" in
"smsc-sim listening on "*) PORT=${FIRST##*:} ;;
*) echo "demo.sh: smsc-sim did not start (got '$FIRST')" >&2; exit 1 ;;
esac

"$BIN/gongyoud" -c conf/gongyou.conf --smsc "127.0.0.1:$PORT" --db "$DB" --admin "" \
    </dev/null >"$LOG" 2>&1 &
GW_PID=$!

cat <<EOF
================================================================
gongyou demo: smsc-sim (pid $SIM_PID) on 127.0.0.1:$PORT, gongyoud (pid $GW_PID),
log in $LOG, database $DB, today $GONGYOU_TODAY.
You are the phone of the number ending ${MSISDN#"${MSISDN%????}"} (worker A by default; --msisdn N for another).
  *188#          dial the USSD menu, then answer with 1, 2, ... (0 back, 00 home)
  abort          hang up the USSD session
  JF or 积分     points by SMS          RX   school places
  GZ 车工        wages of a trade       BT   training subsidies
  TD / DY        opt out / back in      BZ   help        EN / 中文  language
  ?              phone help             quit (or Ctrl-D, Ctrl-C) leaves and stops both
================================================================
EOF
# Copies the phone's screens to the terminal until the simulator exits. Both wait in the
# background so that a signal to this script runs its trap at once.
cat <&4 &
CAT_PID=$!
exec 4<&-
wait "$SIM_PID" 2>/dev/null || true
SIM_PID=
wait "$CAT_PID" 2>/dev/null || true
