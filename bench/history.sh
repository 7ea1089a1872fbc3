#!/usr/bin/env bash
# The history, recovery and receipt benchmark of issue 17. Writes the section "History and recovery" of
# docs/BENCHMARKS.md. Run it through `./dev.sh bench-history`.
#   bench/history.sh [rounds] [clients]     defaults: 3 rounds, 10,000 clients
# - broadcast to all at `clients` clients, history on (HISTORY_SIZE=100) and off (0), in alternating rounds,
#   the same load tool (herald-loadgen) and phases: the cost of keeping every broadcast
# - 1,000 clients that come back at once, each 100 notifications behind (?since=), in memory and from Redis (and
#   without ?since=, for the reconnections' own cost), while
#   20 other clients get 200 notifications a second: time until all have recovered, live latency before and during
#   (bench/recovery.mjs, its live side in a thread of its own)
# - Redis memory per kept notification (INFO memory around 10,000 of them, less the same without history)
# - receipts: the server's CPU for 100 clients acknowledging 1,000 notifications, against the same without "ack"
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build}
loadgen=$root/$build/bench/herald-loadgen
rounds=${1:-3}
clients=${2:-10000}
results=$(mktemp)
source bench/lib.sh
ulimit -n "$(ulimit -Hn)"
(cd bench/peers/node-ws && npm ci --no-audit --no-fund --silent)

redis_pid=
start_redis() {
    redis_port=$(free_port)
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >"$workdir/redis.log" 2>&1 &
    redis_pid=$!
    wait_for_port "$redis_port"
}
stop_redis() {
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=
}
trap 'stop_redis; cleanup' EXIT

# start PORT [VAR=value...]: herald-server (one worker) with these settings in its environment.
start() {
    local port=$1
    shift
    (cd "$workdir" && exec env "$@" "$root/$build/server/herald-server" --host 127.0.0.1 --port "$port" --workers 1 \
        --notification-interval 0 --ping-interval 0 --max-connections 1000000 --max-connections-per-ip 1000000 \
        --notify-rate-limit 0 --client-message-rate 100000 --max-queued-messages 100000 --log-level WARNING \
        >"$workdir/server.log" 2>&1) &
    server_pid=$!
    wait_for_port "$port"
}
stop() {
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

for round in $(seq "$rounds"); do
    echo "== round $round of $rounds" >&2
    for history in 100 0; do
        port=$(free_port)
        start "$port" HISTORY_SIZE=$history
        echo "== broadcast, HISTORY_SIZE=$history" >&2
        "$loadgen" --port "$port" --clients "$clients" --server-pid "$server_pid" --label "history-$history" \
            --timeout 180 --phase 1x50 --phase 8x200 | tee -a "$results" | grep -v '^RESULT' >&2 ||
            echo "(did not finish)" >&2
        stop
    done
    port=$(free_port)
    start "$port"
    echo "== recovery storm, memory" >&2
    node bench/recovery.mjs storm "$port" "$server_pid" 1000 100 200 | sed 's/"mode":"storm"/"mode":"storm","where":"memory"/' |
        tee -a "$results" >&2
    echo "== the same crowd reconnecting without ?since=" >&2
    node bench/recovery.mjs storm "$port" "$server_pid" 1000 0 200 | sed 's/"mode":"storm"/"mode":"storm","where":"none"/' |
        tee -a "$results" >&2
    echo "== receipts" >&2
    node bench/recovery.mjs acks "$port" "$server_pid" 100 1000 | tee -a "$results" >&2
    stop
    start_redis
    port=$(free_port)
    start "$port" REDIS_URL="redis://127.0.0.1:$redis_port"
    echo "== recovery storm, Redis" >&2
    node bench/recovery.mjs storm "$port" "$server_pid" 1000 100 200 | sed 's/"mode":"storm"/"mode":"storm","where":"redis"/' |
        tee -a "$results" >&2
    stop
    stop_redis
done

# Redis memory per kept notification: 10,000 notifications of about 250 bytes to one channel, with history and
# without (the backplane stream holds them too), on a fresh Redis each.
notification_batch() {
    python3 -c 'import json; print(json.dumps({"notifications": [{"message": "order %d shipped" % i, "channel": "orders", "data": {"order": i, "items": ["x" * 40] * 3, "note": "y" * 60}} for i in range(100)]}))'
}
batch=$(notification_batch)
for history in 10000 0; do
    start_redis
    port=$(free_port)
    start "$port" REDIS_URL="redis://127.0.0.1:$redis_port" HISTORY_SIZE=$history HISTORY_TTL=1h
    before=$(redis-cli -p "$redis_port" INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
    for _ in $(seq 100); do
        curl -sf -XPOST "http://127.0.0.1:$port/notify/batch" -H 'content-type: application/json' -d "$batch" >/dev/null
    done
    for _ in $(seq 100); do # until the last has been written
        [ "$(redis-cli -p "$redis_port" XLEN "herald:notifications" | tr -d '\r')" -ge 10000 ] && break
        sleep 0.1
    done
    after=$(redis-cli -p "$redis_port" INFO memory | sed -n 's/^used_memory:\([0-9]*\).*/\1/p')
    echo "RESULT {\"mode\":\"redis_memory\",\"history\":$history,\"notifications\":10000,\"bytes\":$((after - before))}" |
        tee -a "$results" >&2
    stop
    stop_redis
done

/usr/bin/python3 - "$results" docs/BENCHMARKS.md "$rounds" "$clients" "$(git rev-parse --short HEAD)" "$(nproc)" <<'PY'
import json, re, statistics, sys
results, doc, rounds, clients, commit, cores = sys.argv[1:7]
rows = [json.loads(line[len('RESULT '):]) for line in open(results) if line.startswith('RESULT ')]
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None
def fmt(v, digits=0):
    return '–' if v is None else f'{v:,.{digits}f}'
def broadcast(history, in_flight, key):
    return med([r[key] for r in rows if r.get('label') == f'history-{history}' and r['in_flight'] == in_flight])
def storm(where, key):
    return med([r[key] for r in rows if r.get('mode') == 'storm' and r.get('where') == where])
acks = [r for r in rows if r.get('mode') == 'acks']
memory = {r['history']: r for r in rows if r.get('mode') == 'redis_memory'}
lines = ['## History and recovery (`./dev.sh bench-history`, issue 17)', '',
         f'Run at commit `{commit}` on {cores} cores, one worker, medians of {rounds} rounds. Reproduce: '
         f'`./dev.sh bench-history {rounds} {clients}`.', '',
         f'**Broadcast to all at {int(clients):,} clients**, history on (`HISTORY_SIZE=100`: every broadcast is kept, '
         'with its position in the frame) and off (`0`), alternating, the same load tool and phases:', '',
         '| history | 1 in flight msg/s | p99 ms | 8 in flight msg/s | p99 ms |', '|---|---|---|---|---|']
for history, name in ((100, 'on (100)'), (0, 'off')):
    lines.append(f'| {name} | ' + ' | '.join([fmt(broadcast(history, 1, 'messages_per_second')), fmt(broadcast(history, 1, 'p99_ms'), 1),
                                             fmt(broadcast(history, 8, 'messages_per_second')), fmt(broadcast(history, 8, 'p99_ms'), 1)]) + ' |')
def ratio(a, b):
    return None if a is None or not b else a / b
lines += ['', 'History on / off: **' + fmt(ratio(broadcast(100, 8, 'messages_per_second'), broadcast(0, 8, 'messages_per_second')), 3) +
          'x** msg/s at 8 in flight, ' + fmt(ratio(broadcast(100, 1, 'messages_per_second'), broadcast(0, 1, 'messages_per_second')), 3) +
          'x at 1 (target: a cost under 15%, i.e. at least 0.85x).', '',
          '**1,000 clients back at once, each 100 notifications behind** (`?since=$all:<offset>:<epoch>`), while 20 clients '
          'of another channel get 200 notifications a second:', '',
          '| history in | all recovered after s | server CPU s | live p50 before ms | p99 before | p50 during | p99 during |',
          '|---|---|---|---|---|---|---|']
for where in ('memory', 'redis', 'none'):
    lines.append(f'| {where} | ' + ' | '.join([fmt(storm(where, 'seconds_to_recover_all'), 2), fmt(storm(where, 'server_cpu_seconds'), 2),
        fmt(storm(where, 'live_p50_before_ms'), 1), fmt(storm(where, 'live_p99_before_ms'), 1),
        fmt(storm(where, 'live_p50_during_ms'), 1), fmt(storm(where, 'live_p99_during_ms'), 1)]) + ' |')
incomplete = sum(r['incomplete'] for r in rows if r.get('mode') == 'storm')
lines += ['', '"none": the same 1,000 clients reconnecting without `?since=` (nothing to replay), so the row shows what the '
          'reconnections cost by themselves (the handshakes, in the thread that is also worker 0; issue 18).', '',
          f'Every client recovered completely in every round ({incomplete} incomplete).' if incomplete == 0 else
          f'{incomplete} recoveries were incomplete.', '']
if 10000 in memory and 0 in memory:
    kept = (memory[10000]['bytes'] - memory[0]['bytes']) / 10000
    lines += [f'**Redis memory per kept notification** (about 250-byte notifications, 10,000 of them in one channel): '
              f'{fmt(kept)} bytes ({fmt(memory[10000]["bytes"] / 10000)} with history, {fmt(memory[0]["bytes"] / 10000)} '
              'for the backplane stream alone, whose length is capped at 10,000).', '']
if acks:
    lines += ['**Receipts**: 100 clients, 1,000 notifications with `"ack": true`, each acknowledged by every client '
              f'(100,000 acknowledgements): the server spends {fmt(med([r["extra_cpu_us_per_ack"] for r in acks]), 1)} µs '
              'more CPU per acknowledgement than for the same notifications without `"ack"` (reading the client\'s message '
              'included; CPU time from /proc, 10 ms ticks).', '']
section = '\n'.join(lines) + '\n'
text = open(doc).read()
pattern = re.compile(r'## History and recovery \(`\./dev\.sh bench-history`.*?(?=\n## |\Z)', re.S)
text = pattern.sub(section.rstrip('\n') + '\n', text) if pattern.search(text) else text.rstrip('\n') + '\n\n' + section
open(doc, 'w').write(text)
print(section)
PY
