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

# free_port and wait_for_port, shared with the operations checks.
source deploy/lib.sh
