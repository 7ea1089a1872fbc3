# Helpers the operations checks share (sourced, not run): deploy/check-deploy.sh and packaging/check-package.sh.
# Both set CHECK_NAME first; it prefixes their messages.

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
