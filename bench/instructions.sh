#!/usr/bin/env bash
# Instructions per connection and per delivery, counted by callgrind: exact and the same on a busy machine, so
# they show what a change costs where timings drown in noise. Each server runs three times under callgrind:
#   S: started and stopped (SIGTERM) with no client;
#   A: N clients connect, get 1 broadcast and leave, then the server is stopped;
#   B: the same with 1 + K broadcasts.
# per delivery = (B - A) / (N x K); per connection (open, welcome, close) = (A - S) / N - per delivery.
# Start-up is S itself. User-space instructions only (callgrind does not see the kernel).
#   bench/instructions.sh [clients] [broadcasts]       after ./dev.sh test (defaults: 1000 and 50)
#   HERALD=/path/to/herald-server bench/instructions.sh  another build (a baseline) in place of this one
#   CACHE=1 bench/instructions.sh 10000 10   also simulated cache misses (callgrind --cache-sim): data reads that
#                                              miss the first level (D1mr) and the last level (DLmr) per delivery
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build}
clients=${1:-1000}
broadcasts=${2:-50}
herald=$(realpath "${HERALD:-$build/server/herald-server}")
loadgen=$(realpath "$build/bench/herald-loadgen")
source bench/lib.sh
ulimit -n "$(ulimit -Hn)"
command -v valgrind >/dev/null || { echo "bench/instructions.sh needs valgrind (apt-get install valgrind)" >&2; exit 1; }
cc -O2 -Wall -Wextra -o "$build/bench/floor-server" bench/peers/floor/floor.c -lcrypto

callgrind=(valgrind --tool=callgrind)
[ "${CACHE:-0}" = 1 ] && callgrind+=(--cache-sim=yes)

# start LABEL PORT OUT: the server under callgrind in the background (server_pid).
start() {
    local label=$1 port=$2 out=$3
    case "$label" in
    floor) "${callgrind[@]}" --callgrind-out-file="$out" "$build/bench/floor-server" "$port" \
        >"$workdir/$label.log" 2>&1 & ;;
    herald) (cd "$workdir" && exec "${callgrind[@]}" --callgrind-out-file="$out" "$herald" --host 127.0.0.1 \
        --port "$port" --workers 1 --notification-interval 0 --ping-interval 0 --max-connections 1000000 \
        --max-connections-per-ip 1000000 --notify-rate-limit 0 --log-level WARNING >"$workdir/$label.log" 2>&1) & ;;
    esac
    server_pid=$!
    wait_for_port "$port" 60 # valgrind starts slowly
}

# total LABEL CLIENTS BROADCASTS: instructions of one whole run (0 clients: start and stop only).
total() {
    local label=$1 count=$2 sends=$3 port out
    port=$(free_port)
    out="$workdir/$label-$count-$sends.cg"
    start "$label" "$port" "$out"
    if [ "$count" -gt 0 ]; then
        "$loadgen" --port "$port" --clients "$count" --phase "1x$sends" --max-connecting 32 --timeout 600 \
            --label "$label" >"$workdir/$label-load.log" || { cat "$workdir/$label-load.log" >&2; return 1; }
        # Herald counts its clients out before it is stopped, so that their close is what they cost, not shutdown.
        if [ "$label" = herald ]; then
            for _ in $(seq 600); do
                curl -s "http://127.0.0.1:$port/health" | grep -q '"connections":0' && break
                sleep 0.1
            done
        else
            sleep 2
        fi
    fi
    kill -TERM "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    sed -n 's/^summary: //p' "$out" | tr ' ' ,
}

for label in floor herald; do
    s=$(total "$label" 0 0)
    a=$(total "$label" "$clients" 1)
    b=$(total "$label" "$clients" $((1 + broadcasts)))
    python3 - "$label" "$clients" "$broadcasts" "$s" "$a" "$b" <<'EOF'
import sys
label, n, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s, a, b = ([int(x) for x in arg.split(",")] for arg in sys.argv[4:7])
delivery = (b[0] - a[0]) / (n * k)
connection = (a[0] - s[0]) / n - delivery
print(f"{label}: start-up and stop {s[0]:,} instructions; per connection {connection:,.0f}; per delivery {delivery:,.0f}")
extra = ""
if len(s) >= 9: # Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
    d1 = (b[4] - a[4]) / (n * k)
    dl = (b[7] - a[7]) / (n * k)
    print(f"{label}: per delivery {d1:.2f} data reads missing D1, {dl:.2f} missing the last level")
    extra = f',"d1_read_misses_per_delivery":{d1:.2f},"ll_read_misses_per_delivery":{dl:.2f}'
print(f'RESULT {{"label":"{label}","startup":{s[0]},"per_connection":{connection:.0f},"per_delivery":{delivery:.1f}{extra}}}')
EOF
done
