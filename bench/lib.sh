# Helpers the bench scripts share (sourced, not run): a scratch directory with the server processes (server_pid,
# one or several) that are stopped on exit; a free port and waiting for one come from deploy/lib.sh.
workdir=$(mktemp -d)
server_pid=
cleanup() {
    # shellcheck disable=SC2086 # server_pid may hold several pids
    [ -n "$server_pid" ] && kill $server_pid 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

# start_herald LOG PORT WORKERS [FLAG...]: one herald-server ($root/$build) in the background, limits and periodic
# sends off.
start_herald() {
    local log=$1 port=$2 workers=$3
    shift 3
    (cd "$workdir" && exec "$root/$build/server/herald-server" --host 127.0.0.1 --port "$port" --workers "$workers" \
        --notification-interval 0 --ping-interval 0 --max-connections 1000000 --max-connections-per-ip 1000000 \
        --notify-rate-limit 0 --log-level WARNING "$@" >"$workdir/$log" 2>&1) &
}

# free_port and wait_for_port, shared with the operations checks.
source deploy/lib.sh
