#!/usr/bin/env bash
# Starts herald-server on a free port, measures its idle memory, then the broadcast round trip to N clients and
# the memory those clients cost. Usage: bench/roundtrip.sh [clients] [broadcasts]   (build first: ./dev.sh test)
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-100}
broadcasts=${2:-200}
build=${BUILD_DIR:-build}
workdir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$workdir"' EXIT

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

(cd "$workdir" && exec "$OLDPWD/$build/server/herald-server" --host 127.0.0.1 --port 0 --notification-interval 0 \
    --ping-interval 0 --max-connections 100000 --max-connections-per-ip 100000 --notify-rate-limit 0 --log-format text >server.log 2>&1) &
pid=$!
for _ in $(seq 100); do
    port=$(grep -o 'port=[0-9]*' "$workdir/server.log" 2>/dev/null | head -1 | cut -d= -f2 || true)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { echo "server did not start"; cat "$workdir/server.log"; exit 1; }

idle=$(rss_kib "$pid")
echo "herald-server idle RSS: ${idle} KiB"
"$build/bench/herald-roundtrip" --url "http://127.0.0.1:$port" --clients "$clients" --broadcasts "$broadcasts"
loaded=$(rss_kib "$pid")
echo "herald-server RSS after $clients clients and $broadcasts broadcasts: ${loaded} KiB" \
     "($(( (loaded - idle) / clients )) KiB per client)"
