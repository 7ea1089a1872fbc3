#!/usr/bin/env bash
# Runs Herald and its peers (a C floor server, Node.js ws, FastAPI + uvicorn) one after another on this machine
# under the same load tool, and writes the comparison into docs/BENCHMARKS.md. Run it through `./dev.sh bench`,
# which installs the peers' packages and builds everything first.
#   bench/compare.sh [quick]     quick: 1,000 clients only (a smoke run, not for the table)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build}
loadgen=$root/$build/bench/herald-loadgen
results=$(mktemp)
source bench/lib.sh

# Every connection is a descriptor in the server and in the load tool.
ulimit -n "$(ulimit -Hn)"
fd_limit=$(ulimit -n)
cores=$(nproc)

cc -O2 -Wall -Wextra -o "$build/bench/floor-server" bench/peers/floor/floor.c -lcrypto
(cd bench/peers/node-ws && npm ci --no-audit --no-fund --silent)

# start_server LABEL PORT: starts the named server in the background and sets server_pid.
start_server() {
    local label=$1 port=$2
    case "$label" in
    floor) "$build/bench/floor-server" "$port" >"$workdir/$label.log" 2>&1 & ;;
    herald-1 | herald-"$cores") start_herald "$label.log" "$port" "${label#herald-}" ;;
    node-ws) node bench/peers/node-ws/server.js "$port" >"$workdir/$label.log" 2>&1 & ;;
    fastapi) /usr/bin/python3 bench/peers/fastapi/server.py "$port" >"$workdir/$label.log" 2>&1 & ;;
    esac
    server_pid=$!
    wait_for_port "$port"
}

# run LABEL CLIENTS PHASE...: one server, one set of connections, a latency phase then a throughput phase.
run() {
    local label=$1 clients=$2
    shift 2
    local port phases=()
    port=$(free_port)
    for phase in "$@"; do phases+=(--phase "$phase"); done
    start_server "$label" "$port"
    echo "== $label, $clients clients" >&2
    "$loadgen" --port "$port" --clients "$clients" --server-pid "$server_pid" --label "$label" --timeout 120 \
        "${phases[@]}" | tee -a "$results" | grep -v '^RESULT' >&2 || echo "($label at $clients clients did not finish)" >&2
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

servers=(floor herald-1)
[ "$cores" -gt 1 ] && servers+=("herald-$cores")
servers+=(node-ws fastapi)

for server in "${servers[@]}"; do
    run "$server" 1000 1x100 8x400
done
if [ "${1:-}" != quick ]; then
    for server in "${servers[@]}"; do
        run "$server" 10000 1x30 8x100
    done
    # As many connections as this machine lets one process hold (each side needs a descriptor per client).
    big=$(( fd_limit - 200 < 50000 ? fd_limit - 200 : 50000 ))
    run herald-1 "$big" 1x10
    # Where one process may not open 50,000 files, 50,000 clients need several Herald instances linked through
    # Redis (the many-hosts set-up, here on one host) and a load tool split over as many processes.
    if [ "$big" -lt 50000 ]; then
        instances=$(( (50000 + big - 1) / big ))
        redis_port=$(free_port)
        # On 127.0.0.1, where free_port looked: a wildcard bind can collide with the load tool's TIME-WAIT sockets
        # on the other loopback addresses it connects from.
        redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >"$workdir/redis.log" 2>&1 &
        server_pid=$!
        wait_for_port "$redis_port"
        ports=() pids=("$server_pid")
        for i in $(seq "$instances"); do
            ports+=("$(free_port)")
            start_herald "cluster-$i.log" "${ports[-1]}" 1 --redis-url "redis://127.0.0.1:$redis_port"
            pids+=("$!")
            server_pid="${pids[*]}"
        done
        for port in "${ports[@]}"; do wait_for_port "$port"; done
        echo "== herald-cluster ($instances instances and Redis), 50000 clients" >&2
        ports_list=$(IFS=,; echo "${ports[*]}") pids_list=$(IFS=,; echo "${pids[*]}")
        "$loadgen" --port "$ports_list" --processes "$instances" --clients 50000 --server-pid "$pids_list" \
            --label "herald-cluster-$instances" --timeout 180 --phase 1x10 | tee -a "$results" | grep -v '^RESULT' >&2 ||
            echo "(the cluster at 50,000 clients did not finish)" >&2
        kill $server_pid # several pids
        wait $server_pid 2>/dev/null || true
        server_pid=
    fi
fi

/usr/bin/python3 bench/report.py "$results" docs/BENCHMARKS.md --cores "$cores" --fd-limit "$fd_limit" \
    --command "./dev.sh bench" --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "wrote docs/BENCHMARKS.md" >&2
