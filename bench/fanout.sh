#!/usr/bin/env bash
# Fan-out at the limit (issue 18): Herald with one worker against the C floor and Node ws, in alternating
# rounds under the same load tool, then callgrind's instruction counts (bench/instructions.sh). Prints the
# table docs/BENCHMARKS.md quotes. Run it through `./dev.sh bench-fanout`.
#   bench/fanout.sh [rounds] [clients]      defaults: 5 rounds, 10,000 clients
#   BASELINE=/path/to/herald-server         also measures that build (an earlier commit) in every round
# Per round and server: connects/s, memory per idle client, 1 broadcast in flight (latency) and 8 in flight
# (throughput), and the server's system calls per delivery in each phase (perf stat). `floor-serial` is the
# floor under the load tool as it was before issue 18 (POSTs one after another, --post-threads 1): the floor's
# figure rising with the new tool shows that the tool, not the floor, was the limit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build}
loadgen=$root/$build/bench/herald-loadgen
rounds=${1:-5}
clients=${2:-10000}
baseline=${BASELINE:-}
results=$(mktemp)
source bench/lib.sh
ulimit -n "$(ulimit -Hn)"
cc -O2 -Wall -Wextra -o "$build/bench/floor-server" bench/peers/floor/floor.c -lcrypto
(cd bench/peers/node-ws && npm ci --no-audit --no-fund --silent)

# start_server LABEL PORT: one server in the background (server_pid).
start_server() {
    local label=$1 port=$2 binary=$root/$build/server/herald-server
    case "$label" in
    floor | floor-serial) "$build/bench/floor-server" "$port" >"$workdir/$label.log" 2>&1 & ;;
    node-ws) node bench/peers/node-ws/server.js "$port" >"$workdir/$label.log" 2>&1 & ;;
    herald-1 | herald-base)
        [ "$label" = herald-base ] && binary=$baseline
        (cd "$workdir" && exec "$binary" --host 127.0.0.1 --port "$port" --workers 1 --notification-interval 0 \
            --ping-interval 0 --max-connections 1000000 --max-connections-per-ip 1000000 --notify-rate-limit 0 \
            --log-level WARNING >"$workdir/$label.log" 2>&1) & ;;
    esac
    server_pid=$!
    wait_for_port "$port"
}

read -r -a servers <<<"${SERVERS:-floor herald-1 node-ws floor-serial}" # SERVERS="floor herald-1": a subset
[ -n "$baseline" ] && servers+=(herald-base)
for round in $(seq "$rounds"); do
    for label in "${servers[@]}"; do
        port=$(free_port)
        start_server "$label" "$port"
        echo "== round $round of $rounds: $label, $clients clients" >&2
        serial=()
        [ "$label" = floor-serial ] && serial=(--post-threads 1)
        "$loadgen" --port "$port" --clients "$clients" --server-pid "$server_pid" --label "$label" --timeout 120 \
            --phase 1x30 --phase 8x100 --syscalls 1 "${serial[@]}" | tee -a "$results" | grep -v '^RESULT' >&2 ||
            echo "($label did not finish)" >&2
        kill "$server_pid"
        wait "$server_pid" 2>/dev/null || true
        server_pid=
    done
done

echo "== instructions (callgrind, 1,000 clients, 50 broadcasts)" >&2
bench/instructions.sh 1000 50 | tee -a "$results" | grep -v '^RESULT' >&2
if [ -n "$baseline" ]; then
    HERALD=$baseline bench/instructions.sh 1000 50 | sed 's/"label":"herald"/"label":"herald-base"/' |
        tee -a "$results" | grep -v '^RESULT' >&2
fi

/usr/bin/python3 - "$results" "$rounds" "$clients" "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" <<'EOF'
import json, statistics, sys
path, rounds, clients, commit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
runs, counts = {}, {}
for line in open(path):
    if not line.startswith("RESULT "):
        continue
    r = json.loads(line[7:])
    if "per_connection" in r:
        counts[r["label"]] = r
    else:
        runs.setdefault((r["label"], r["in_flight"]), []).append(r)
med = lambda rows, key: statistics.median(row[key] for row in rows) if rows else float("nan")
labels = [l for l in ["floor", "herald-1", "herald-base", "node-ws", "floor-serial"] if (l, 1) in runs]
print(f"\nRun at commit `{commit}`: {clients:,} clients, medians of {rounds} rounds.\n")
print("| server | connects/s | KiB per idle client | 1 in flight msg/s | p99 ms | syscalls/delivery "
      "| 8 in flight msg/s | p99 ms | syscalls/delivery |")
print("|---|---|---|---|---|---|---|---|---|")
for l in labels:
    one, eight = runs[(l, 1)], runs.get((l, 8), [])
    print(f"| {l} | {med(one, 'connect_per_second'):,.0f} | {med(one, 'kib_per_connection'):.2f} "
          f"| {med(one, 'messages_per_second'):,.0f} | {med(one, 'p99_ms'):.1f} | {med(one, 'syscalls_per_delivery'):.3f} "
          f"| {med(eight, 'messages_per_second'):,.0f} | {med(eight, 'p99_ms'):.1f} "
          f"| {med(eight, 'syscalls_per_delivery'):.3f} |")
if counts:
    print("\n| server (callgrind) | start-up and stop | instructions per connection | per delivery |")
    print("|---|---|---|---|")
    for l, c in counts.items():
        print(f"| {l} | {c['startup']:,} | {c['per_connection']:,} | {c['per_delivery']:.0f} |")
h, f, n = "herald-1", "floor", "node-ws"
if (h, 8) in runs and (f, 8) in runs:
    ratio = lambda a, b, k, w: med(runs[(a, w)], k) / med(runs[(b, w)], k)
    print(f"\nherald-1 / floor, 8 in flight msg/s: {ratio(h, f, 'messages_per_second', 8):.2f}x (target >= 2); "
          f"1 in flight: {ratio(h, f, 'messages_per_second', 1):.2f}x (target >= 0.95); "
          f"connects/s {ratio(h, f, 'connect_per_second', 1):.2f}x")
if (h, 1) in runs and (n, 1) in runs:
    print(f"herald-1 p99 at 1 in flight {med(runs[(h, 1)], 'p99_ms'):.1f} ms vs node-ws {med(runs[(n, 1)], 'p99_ms'):.1f} ms")
for l in labels:
    print(f"- {l}: 8 in flight msg/s by round: " + ", ".join(f"{r['messages_per_second']:,}" for r in runs.get((l, 8), [])))
EOF
