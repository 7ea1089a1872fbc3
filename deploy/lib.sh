# Helpers the operations checks share (sourced, not run): deploy/check-deploy.sh and the packaging checks set
# CHECK_NAME first, which prefixes their messages. The bench scripts use the port helpers too.

fail() { echo "$CHECK_NAME: $*" >&2; exit 1; }
step() { echo "== $*" >&2; }

# listening_port LOG: the port a herald-server started with --port 0 announced in its log (its "listening" line),
# waiting up to 10 s for it; prints nothing if it never came.
listening_port() {
    local port=""
    for _ in $(seq 100); do
        port=$(grep -o '"port":[0-9]*' "$1" | head -1 | cut -d: -f2 || true)
        [ -n "$port" ] && break
        sleep 0.1
    done
    echo "$port"
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_for_port PORT [SECONDS]: waits up to SECONDS (10) for 127.0.0.1:PORT to accept connections; fails if it
# never does.
wait_for_port() {
    for _ in $(seq $(( ${2:-10} * 10 ))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    echo "server on port $1 did not start" >&2
    return 1
}
