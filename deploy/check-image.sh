#!/usr/bin/env bash
# The container image for real: starts a Docker engine if none runs (docker.io, without iptables or a bridge, as a
# machine without them allows), makes the debian:bookworm base images with debootstrap when no registry can be
# reached, builds the Dockerfile, runs the image on the host's network, waits for its own HEALTHCHECK to say
# healthy, sends a notification through it to a WebSocket client, stops it with `docker stop` and checks exit
# code 0 and the graceful drain in its log. Run by ./dev.sh ops-check after the deploy check.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK_NAME="image check"
. deploy/lib.sh

scratch=$(mktemp -d)
container=herald-image-check-$$
docker=/usr/bin/docker # docker.io's client, matched to its engine
started_engine=""
cleanup() {
    "$docker" rm -f "$container" >/dev/null 2>&1 || true
    [ -z "$started_engine" ] || kill "$started_engine" 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

step "Docker engine"
[ -x "$docker" ] || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends docker.io >&2
if ! "$docker" info >/dev/null 2>&1; then
    dockerd --iptables=false --bridge=none >"$scratch/dockerd.log" 2>&1 &
    started_engine=$!
    for _ in $(seq 100); do
        "$docker" info >/dev/null 2>&1 && break
        sleep 0.2
    done
    "$docker" info >/dev/null 2>&1 || { cat "$scratch/dockerd.log" >&2; fail "dockerd did not start"; }
fi

step "base images debian:bookworm and debian:bookworm-slim"
if ! "$docker" image inspect debian:bookworm >/dev/null 2>&1; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq debootstrap >&2
    mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    debootstrap --variant=minbase bookworm "$scratch/rootfs" "${mirror:-http://deb.debian.org/debian}" \
        >"$scratch/debootstrap.log" 2>&1 || { cat "$scratch/debootstrap.log" >&2; fail "debootstrap failed"; }
    tar -C "$scratch/rootfs" -c . | "$docker" import - debian:bookworm >/dev/null
    rm -rf "$scratch/rootfs"
fi
"$docker" image inspect debian:bookworm-slim >/dev/null 2>&1 || "$docker" tag debian:bookworm debian:bookworm-slim

step "docker build"
"$docker" build --network host -t herald:check . >"$scratch/build.log" 2>&1 ||
    { tail -40 "$scratch/build.log" >&2; fail "docker build failed"; }

step "docker run: healthy, a notification delivered, docker stop drains and exits 0"
port=$(free_port)
token=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
"$docker" run -d --name "$container" --network host --stop-timeout 40 --health-interval 1s \
    -e PORT="$port" -e HOST=127.0.0.1 -e API_TOKEN="$token" -e SHUTDOWN_TIMEOUT=20 herald:check >/dev/null
health=""
for _ in $(seq 60); do
    health=$("$docker" inspect -f '{{.State.Health.Status}}' "$container")
    [ "$health" = healthy ] && break
    sleep 0.5
done
[ "$health" = healthy ] || { "$docker" logs "$container" >&2; fail "the container's HEALTHCHECK says $health"; }

# A WebSocket client on a bare socket: the upgrade, then whatever frames arrive, grepped for the message.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n' >&3
timeout 5 head -c 12 <&3 | grep -q '101' || fail "the WebSocket upgrade was not answered with 101"
message="through the image $$"
answer=$(curl -sS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"message\":\"$message\"}" "http://127.0.0.1:$port/notify")
grep -q '"recipients":1' <<<"$answer" || fail "POST /notify answered: $answer"
received=""
while IFS= read -r -t 5 -d '}' piece <&3 2>/dev/null; do # frames carry no newline: read up to each '}'
    [[ $piece == *"$message"* ]] && received=yes && break
done
[ -n "$received" ] || fail "the WebSocket client did not receive the notification"
exec 3<&-

"$docker" stop "$container" >/dev/null
code=$("$docker" inspect -f '{{.State.ExitCode}}' "$container")
[ "$code" = 0 ] || { "$docker" logs "$container" >&2; fail "docker stop: exit code $code"; }
"$docker" logs "$container" 2>&1 | grep -q '6/6 Shutdown complete' ||
    { "$docker" logs "$container" >&2; fail "no graceful drain in the container's log"; }
echo "image check passed" >&2
