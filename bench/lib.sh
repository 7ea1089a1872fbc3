# Helpers the bench scripts share (sourced, not run): a scratch directory with the server processes (server_pid,
# one or several) that are stopped on exit, a free port, and waiting for a port to accept connections.
workdir=$(mktemp -d)
server_pid=
cleanup() {
    # shellcheck disable=SC2086 # server_pid may hold several pids
    [ -n "$server_pid" ] && kill $server_pid 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for_port() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server on port $1 did not start" >&2
    return 1
}
