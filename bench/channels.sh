#!/usr/bin/env bash
# The channel benchmark of issue 16: Herald (WORKERS=1) against Node.js `ws` with a channel map
# (bench/peers/node-ws), each in turn on this machine under the same load tool, in alternating rounds, and the
# broadcast-to-all rows beside them (with BASELINE=<commit>, also that commit's Herald, for an A/B of the
# broadcast path). Writes the section "Channels" of docs/BENCHMARKS.md. Run it through `./dev.sh bench-channels`.
#   bench/channels.sh [rounds] [clients]     defaults: 3 rounds, 10,000 clients
# Each client joins one of 1,000 channels of 10 and one of 10 channels of 1,000 (/ws?channels=s<i>,b<j>);
# the notifications go to a small and a big channel in turn.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
build=${BUILD_DIR:-build}
loadgen=$root/$build/bench/herald-loadgen
rounds=${1:-3}
clients=${2:-10000}
rate=50
results=$(mktemp)
source bench/lib.sh
ulimit -n "$(ulimit -Hn)"

(cd bench/peers/node-ws && npm ci --no-audit --no-fund --silent)
baseline_server=
if [ -n "${BASELINE:-}" ]; then
    # The baseline's herald-server, built once in a worktree of its own.
    base_dir=$root/$build/bench-baseline
    if [ ! -x "$base_dir/build/server/herald-server" ] || [ "$(cat "$base_dir/commit" 2>/dev/null)" != "$BASELINE" ]; then
        rm -rf "$base_dir"
        git worktree prune
        git worktree add --detach "$base_dir/src" "$BASELINE" >/dev/null
        cmake -S "$base_dir/src" -B "$base_dir/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
        cmake --build "$base_dir/build" --target herald-server -j"$(nproc)" >/dev/null
        echo "$BASELINE" >"$base_dir/commit"
    fi
    baseline_server=$base_dir/build/server/herald-server
fi

start() {
    local label=$1 port=$2
    case "$label" in
    herald-1 | herald-base)
        local binary=$root/$build/server/herald-server
        [ "$label" = herald-base ] && binary=$baseline_server
        (cd "$workdir" && exec "$binary" --host 127.0.0.1 --port "$port" --workers 1 --notification-interval 0 \
            --ping-interval 0 --max-connections 1000000 --max-connections-per-ip 1000000 --notify-rate-limit 0 \
            --log-level WARNING >"$workdir/$label.log" 2>&1) &
        ;;
    node-ws) node bench/peers/node-ws/server.js "$port" >"$workdir/$label.log" 2>&1 & ;;
    esac
    server_pid=$!
    wait_for_port "$port"
}

# measure LABEL [loadgen flags...]: one server, one set of connections, the given phases.
measure() {
    local label=$1 port
    shift
    port=$(free_port)
    start "$label" "$port"
    echo "== $label $*" >&2
    "$loadgen" --port "$port" --clients "$clients" --server-pid "$server_pid" --label "$label" --timeout 180 "$@" |
        tee -a "$results" | grep -v '^RESULT' >&2 || echo "($label did not finish)" >&2
    kill "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
}

servers=(herald-1 node-ws)
[ -n "$baseline_server" ] && servers+=(herald-base)
for round in $(seq "$rounds"); do
    echo "== round $round of $rounds" >&2
    for server in "${servers[@]}"; do
        # The baseline may predate channels: only its broadcast to all is compared.
        if [ "$server" != herald-base ]; then
            # Two reading threads in the load tool: with one, it is what limits the fastest server's tail (one
            # thread reading 10,000 sockets at 100,000 messages a second lags behind, and its lag counts as latency).
            measure "$server" --channels 1000,10 --threads 2 --phase 1x200 --phase 8x2000
            # The same load offered to both (50 notifications a second, about 25,000 deliveries): latency at a rate
            # both sustain, where the phases above measure each at its own limit.
            measure "$server" --channels 1000,10 --threads 2 --rate "$rate" --phase 8x$((rate * 10))
        fi
        measure "$server" --phase 1x30 --phase 8x100
    done
done

/usr/bin/python3 - "$results" docs/BENCHMARKS.md "$rounds" "$clients" "$(git rev-parse --short HEAD)" "${BASELINE:-}" \
    "$(nproc)" "$rate" <<'PY'
import json, re, statistics, sys
results, doc, rounds, clients, commit, baseline, cores, rate = sys.argv[1:9]
rows = [json.loads(line[len('RESULT '):]) for line in open(results) if line.startswith('RESULT ')]
rows = [r for r in rows if not (r['label'] == 'herald-base' and r['channels'])]  # a baseline before channels
def med(label, channels, in_flight, key, rated=False):
    values = [r[key] for r in rows if r['label'] == label and r['channels'] == channels and r['in_flight'] == in_flight
              and (r.get('rate', 0) > 0) == rated]
    return statistics.median(values) if values else None
def fmt(v, digits=0):
    return '–' if v is None else (f'{v:,.{digits}f}')
labels = ['herald-1', 'node-ws'] + (['herald-base'] if baseline else [])
lines = ['## Channels (`./dev.sh bench-channels`, issue 16)', '',
         f'Run at commit `{commit}` on {cores} cores: {int(clients):,} clients, each in one of 1,000 channels of 10 and one '
         'of 10 channels of 1,000 (joined at connect, `/ws?channels=s<i>,b<j>`); notifications go to a small and a big '
         'channel in turn (`"channel"` in `POST /notify`), so a notification reaches 10 or 1,000 clients. Medians of '
         f'{rounds} alternating rounds, each server alone in turn with the load tool beside it. Node is `ws` with a Map of '
         'channel -> Set of sockets, as its users write it (bench/peers/node-ws). Memory per subscription: (KiB per '
         'connection with two channels each - KiB per connection without) / 2, from the same rounds. The load tool reads '
         'with two threads in the channel runs (with one it limits the fastest server, and its lag counts as latency).', '',
         f'Reproduce: `./dev.sh bench-channels {rounds} {clients}`' + (f' with `BASELINE={baseline}`' if baseline else '') + '.', '',
         f'| server | channels: 1 in flight msg/s | p50 ms | p99 ms | 8 in flight msg/s | p50 ms | p99 ms | {rate} a second: p50 ms | p99 ms | KiB per connection | KiB per subscription | broadcast to all, 8 in flight msg/s | p99 ms |',
         '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
for label in labels:
    with_channels = med(label, True, 1, 'kib_per_connection')
    without = med(label, False, 1, 'kib_per_connection')
    per_subscription = None if with_channels is None or without is None else (with_channels - without) / 2
    lines.append('| ' + ' | '.join([label,
        fmt(med(label, True, 1, 'messages_per_second')), fmt(med(label, True, 1, 'p50_ms'), 1), fmt(med(label, True, 1, 'p99_ms'), 1),
        fmt(med(label, True, 8, 'messages_per_second')), fmt(med(label, True, 8, 'p50_ms'), 1), fmt(med(label, True, 8, 'p99_ms'), 1),
        fmt(med(label, True, 8, 'p50_ms', True), 1), fmt(med(label, True, 8, 'p99_ms', True), 1),
        fmt(with_channels, 2), fmt(per_subscription, 2),
        fmt(med(label, False, 8, 'messages_per_second')), fmt(med(label, False, 8, 'p99_ms'), 1)]) + ' |')
def ratio(a, b):
    return None if a is None or b in (None, 0) else a / b
lines += ['',
    'Same-run ratios (Herald / Node): channels at 8 in flight **' + fmt(ratio(med('herald-1', True, 8, 'messages_per_second'), med('node-ws', True, 8, 'messages_per_second')), 2) +
    'x** msg/s, p99 ' + fmt(med('herald-1', True, 8, 'p99_ms'), 1) + ' vs ' + fmt(med('node-ws', True, 8, 'p99_ms'), 1) +
    ' ms; at 1 in flight ' + fmt(ratio(med('herald-1', True, 1, 'messages_per_second'), med('node-ws', True, 1, 'messages_per_second')), 2) + 'x; '
    f'at the same offered load ({rate} notifications a second) p99 ' + fmt(med('herald-1', True, 8, 'p99_ms', True), 1) + ' vs ' +
    fmt(med('node-ws', True, 8, 'p99_ms', True), 1) + ' ms.']
if baseline:
    lines.append('Broadcast to all against the baseline `' + baseline + '` (8 in flight): ' +
        fmt(ratio(med('herald-1', False, 8, 'messages_per_second'), med('herald-base', False, 8, 'messages_per_second')), 2) + 'x msg/s.')
lines.append('')
lines.append('Every round, server by server (msg/s at 8 in flight, channels / to all):')
lines.append('')
for label in labels:
    ch = [fmt(r['messages_per_second']) for r in rows if r['label'] == label and r['channels'] and r['in_flight'] == 8 and not r.get('rate')]
    al = [fmt(r['messages_per_second']) for r in rows if r['label'] == label and not r['channels'] and r['in_flight'] == 8]
    incomplete = [r for r in rows if r['label'] == label and (r['deliveries'] != r['expected'] or r['timed_out'])]
    lines.append(f'- {label}: channels ' + ', '.join(ch) + '; to all ' + ', '.join(al) +
                 ('' if not incomplete else f'; {len(incomplete)} phase(s) incomplete'))
section = '\n'.join(lines) + '\n'
text = open(doc).read()
pattern = re.compile(r'## Channels \(`\./dev\.sh bench-channels`.*?(?=\n## |\Z)', re.S)
text = pattern.sub(section.rstrip('\n') + '\n', text) if pattern.search(text) else text.rstrip('\n') + '\n\n' + section
open(doc, 'w').write(text)
print(section)
PY
