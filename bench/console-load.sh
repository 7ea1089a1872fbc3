#!/usr/bin/env bash
# The console at 10,000 clients (docs/BENCHMARKS.md, "The console at 10,000 clients"): the same load against
# herald-server alone, herald-server watched by an attached herald-admin, and herald-admin's embedded server.
# Reports CPU per second of wall time (idle, and while broadcasts run at 2/s), the console's GUI thread on its own,
# resident memory, and the broadcast rate each sustains. The servers run with the default periodic notification
# (every 10 s) and keep-alive (30 s): "idle" is what an operator's server does between broadcasts.
# Run it through `./dev.sh bench-console [clients]`.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-10000}
build=${BUILD_DIR:-build}
source bench/lib.sh
ulimit -n "$(ulimit -Hn)" # each process holds one side of every connection
export QT_QPA_PLATFORM=offscreen
token=bench-console-admin-token
loadgen="$build/bench/herald-loadgen"
console_pid=

ticks() { # utime + stime of a process or thread, in clock ticks
    awk '{ print $14 + $15 }' "$1"
}
rss() { awk '/VmRSS/ { print $2 }' "/proc/$1/status"; }
connections() { curl -s "http://127.0.0.1:$1/health" | sed -n 's/.*"connections":\([0-9]*\).*/\1/p'; }
wait_for_clients() {
    for _ in $(seq 600); do
        [ "$(connections "$1")" = "$clients" ] && return 0
        sleep 0.1
    done
    echo "the clients did not all connect to port $1" >&2
    return 1
}
# cpu_over SECONDS LABEL PID[:file] ...: CPU per wall second of each, over the same window.
cpu_over() {
    local seconds=$1 label=$2
    shift 2
    local hz before=() after=() i
    hz=$(getconf CLK_TCK)
    for target in "$@"; do before+=("$(ticks "$target")"); done
    sleep "$seconds"
    for target in "$@"; do after+=("$(ticks "$target")"); done
    for i in "${!before[@]}"; do
        awk -v label="$label" -v b="${before[i]}" -v a="${after[i]}" -v s="$seconds" -v hz="$hz" -v n="$i" \
            'BEGIN { printf "%s [%d]: %.1f ms CPU per second\n", label, n, (a - b) * 1000 / hz / s }'
    done
}

start_server() { # port
    (cd "$workdir" && exec env ADMIN_TOKEN=$token "$OLDPWD/$build/server/herald-server" --host 127.0.0.1 \
        --port "$1" --workers 2 --notification-interval 10 --ping-interval 30 --notify-rate-limit 0 \
        --max-connections $((clients + 100)) --max-connections-per-ip $((clients + 100)) --log-level WARNING \
        >"$workdir/server-$1.log" 2>&1) &
    server_pid=$!
    wait_for_port "$1"
}
start_console() { # arguments...
    (cd "$workdir" && exec "$OLDPWD/$build/admin-gui/herald-admin" "$@" >"$workdir/console.log" 2>&1) &
    console_pid=$!
}
stop_all() {
    [ -n "$console_pid" ] && { kill -KILL "$console_pid" 2>/dev/null || true; wait "$console_pid" 2>/dev/null || true; }
    [ -n "$server_pid" ] && { kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
    console_pid= server_pid=
}
trap 'stop_all; cleanup' EXIT

# measure LABEL PORT PID...: idle (clients connected, nothing sent), then broadcasts at 2/s, then the rate.
measure() {
    local label=$1 port=$2
    shift 2
    "$loadgen" --port "$port" --clients "$clients" --broadcasts 2 --rate 0.04 --label "$label idle" \
        --timeout 120 >"$workdir/idle.txt" &
    local load=$!
    wait_for_clients "$port"
    sleep 3 # the connection burst's own work is over
    cpu_over 20 "$label idle" "$@" # 20 s: two periodic notifications in every window
    wait "$load"
    "$loadgen" --port "$port" --clients "$clients" --broadcasts 60 --rate 2 --label "$label 2/s" \
        --timeout 120 >"$workdir/busy.txt" &
    load=$!
    wait_for_clients "$port"
    sleep 3
    cpu_over 20 "$label broadcasts at 2/s" "$@"
    wait "$load"
    "$loadgen" --port "$port" --clients "$clients" --phase 4x100 --label "$label" --timeout 180 |
        grep -E "in flight" | sed "s/^/$label rate: /"
}

echo "console-load: $clients clients, 2 workers, $(nproc) cores" >&2

port=$(free_port)
start_server "$port"
# The admin feed's cost, A/B on one server under one steady load (broadcasts at 2/s to every client): 20 s
# windows without a console and with one attached, alternating, so that the load and the clients are the same.
"$loadgen" --port "$port" --clients "$clients" --broadcasts 240 --rate 2 --label "feed A/B" --timeout 200 \
    >"$workdir/ab.txt" &
load=$!
wait_for_clients "$port"
sleep 3
for round in 1 2; do
    cpu_over 20 "feed A/B round $round, no console: herald-server" "/proc/$server_pid/stat"
    start_console --attach "http://127.0.0.1:$port" --token "$token"
    sleep 4 # the snapshot of 10,000 rows is taken and sent
    cpu_over 20 "feed A/B round $round, console attached: herald-server" "/proc/$server_pid/stat"
    kill -KILL "$console_pid"
    wait "$console_pid" 2>/dev/null || true
    console_pid=
    sleep 2
done
wait "$load"

measure "herald-server alone" "$port" "/proc/$server_pid/stat"
echo "herald-server alone: RSS $(rss "$server_pid") KiB after the runs"

start_console --attach "http://127.0.0.1:$port" --token "$token"
sleep 2
measure "attached: herald-server" "$port" "/proc/$server_pid/stat" "/proc/$console_pid/stat" \
    "/proc/$console_pid/task/$console_pid/stat"
echo "(attached: [0] herald-server, [1] herald-admin in all, [2] herald-admin's GUI thread)"
"$loadgen" --port "$port" --clients "$clients" --broadcasts 4 --rate 0.5 --label hold --timeout 120 >/dev/null &
hold=$!
wait_for_clients "$port"
sleep 3
echo "attached console: RSS $(rss "$console_pid") KiB with $clients clients in its table"
wait "$hold"
stop_all

port=$(free_port)
start_console --host 127.0.0.1 --port "$port" --workers 2 --notification-interval 10 --ping-interval 30 \
    --notify-rate-limit 0 --max-connections $((clients + 100)) --max-connections-per-ip $((clients + 100)) --log-level WARNING \
    --log-dir "$workdir/embedded-logs"
wait_for_port "$port"
measure "embedded console" "$port" "/proc/$console_pid/stat" "/proc/$console_pid/task/$console_pid/stat"
echo "(embedded: [0] herald-admin in all, [1] its GUI thread)"
echo "embedded console: RSS $(rss "$console_pid") KiB after the runs"
