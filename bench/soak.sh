#!/usr/bin/env bash
# A bounded soak: herald-server under connection churn, broadcasts and clients that never read, for a few
# minutes. Prints the server's RSS over time and fails if a steady client lost a message or memory grew.
# Run it through `./dev.sh soak [seconds]`, which builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-180}
build=${BUILD_DIR:-build}
source bench/lib.sh

port=$(free_port)
(cd "$workdir" && exec "$OLDPWD/$build/server/herald-server" --host 127.0.0.1 --port "$port" --workers 2 \
    --notification-interval 1 --ping-interval 5 --max-queued-bytes "256 KB" --notify-rate-limit 0 \
    --log-level WARNING >"$workdir/server.log" 2>&1) &
server_pid=$!
wait_for_port "$port"

echo "soak: ${seconds}s against herald-server (pid $server_pid, 2 workers) on port $port" >&2
status=0
"$build/bench/herald-soak" --port "$port" --server-pid "$server_pid" --seconds "$seconds" || status=$?

kill -TERM "$server_pid"
wait "$server_pid" || { echo "herald-server did not exit cleanly after SIGTERM" >&2; status=1; }
server_pid=
exit "$status"
