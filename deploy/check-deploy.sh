#!/usr/bin/env bash
# Checks the deployment files without Docker, each with the tool that will read it: nginx -t on the nginx
# configuration, promtool on the Prometheus configuration, its alert rules and a live server's exposition,
# docker-compose on the Compose files (parsed and the stop grace period tied to the drain), the Grafana
# dashboard's queries against the metric names Herald really exports, and the Dockerfile's stages against
# what herald-server links and what its build needs. Run by `./dev.sh ops-check` (CI) after a build in build/.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_NAME="deploy check"
source deploy/lib.sh
scratch=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$scratch"
}
trap cleanup EXIT

step "nginx -t deploy/nginx/herald.conf"
# Only what exists in the container and not here changes: the upstream's host name (nginx resolves it while
# testing) and the certificate directory (a self-signed pair made here).
mkdir -p "$scratch/nginx/certs" "$scratch/nginx/logs"
openssl req -x509 -nodes -days 1 -subj /CN=localhost -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
    -keyout "$scratch/nginx/certs/herald.key" -out "$scratch/nginx/certs/herald.crt" 2>/dev/null
sed -e 's/server herald:8000;/server 127.0.0.1:8000;/' -e "s#/etc/nginx/certs/#$scratch/nginx/certs/#" \
    deploy/nginx/herald.conf >"$scratch/nginx/herald.conf"
cat >"$scratch/nginx/nginx.conf" <<CONF
pid $scratch/nginx/nginx.pid;
events {}
http { include $scratch/nginx/herald.conf; }
CONF
nginx -t -q -e stderr -p "$scratch/nginx" -c "$scratch/nginx/nginx.conf"

step "promtool check config (and its rule files)"
promtool check config deploy/prometheus/prometheus.yml >/dev/null
promtool check rules deploy/prometheus/herald-alerts.yml >/dev/null

step "promtool check metrics on a live server's /metrics/prometheus (with the Redis backplane)"
redis_port=$(free_port)
redis-server --port "$redis_port" --save "" --appendonly no >"$scratch/redis.log" 2>&1 &
pids+=($!)
wait_for_port "$redis_port"
./build/server/herald-server --host 127.0.0.1 --port 0 --log-dir "$scratch/logs" \
    --redis-url "redis://127.0.0.1:$redis_port" >"$scratch/server.log" 2>&1 &
pids+=($!)
port=$(listening_port "$scratch/server.log")
[ -n "$port" ] || { cat "$scratch/server.log" >&2; fail "herald-server did not start"; }
curl -fsS -X POST -H 'Content-Type: application/json' -d '{"message":"deploy check"}' \
    "http://127.0.0.1:$port/notify" >/dev/null
curl -fsS "http://127.0.0.1:$port/metrics/prometheus" >"$scratch/metrics.txt"
promtool check metrics <"$scratch/metrics.txt"

step "Grafana dashboard and alert rules name only metrics Herald exports"
python3 - "$scratch/metrics.txt" deploy/grafana/dashboards/herald.json deploy/prometheus/herald-alerts.yml <<'PY'
import json, re, sys, yaml
exported = set()
for line in open(sys.argv[1]):
    if line.startswith("# TYPE "):
        name, kind = line.split()[2:4]
        exported.add(name)
        if kind == "histogram":
            exported |= {name + "_bucket", name + "_sum", name + "_count"}
exported.add("up")  # Prometheus's own, per target
dashboard = json.load(open(sys.argv[2]))
expressions = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
rules = yaml.safe_load(open(sys.argv[3]))
expressions += [r["expr"] for g in rules["groups"] for r in g["rules"]]
words = {"sum", "by", "rate", "increase", "histogram_quantile", "min", "max", "le", "instance", "reason",
         "status", "worker", "job"}
unknown = set()
for expr in expressions:
    for name in re.findall(r"[a-z_][a-z0-9_]*", re.sub(r'"[^"]*"|\[[^\]]*\]', "", expr)):
        if name not in words and name not in exported:
            unknown.add(name)
if unknown:
    sys.exit("not exported by Herald: " + ", ".join(sorted(unknown)))
print(f"{len(expressions)} queries, all on exported metrics", file=sys.stderr)
PY

step "docker-compose config (base, dev overlay, profiles)"
for files in "-f docker-compose.yml" "-f docker-compose.yml -f docker-compose.dev.yml"; do
    for profile in "" "--profile production" "--profile monitoring"; do
        # shellcheck disable=SC2086 # word splitting of the flag lists is intended
        docker-compose $files $profile config >"$scratch/compose.yml"
        python3 - "$scratch/compose.yml" "$files $profile" <<'PY'
import re, sys, yaml
config = yaml.safe_load(open(sys.argv[1]))
herald = config["services"]["herald"]
def seconds(value):
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6}
    return sum(float(n) * units[u] for n, u in re.findall(r"([\d.]+)(ms|us|h|m|s)", str(value)))
grace = seconds(herald.get("stop_grace_period", "10s"))
drain = float(herald["environment"].get("SHUTDOWN_TIMEOUT", 1800))
if grace < drain + 15:
    sys.exit(f"{sys.argv[2]}: stop_grace_period {grace:g} s is shorter than SHUTDOWN_TIMEOUT {drain:g} s + 15 s")
if herald.get("stop_signal", "SIGTERM") != "SIGTERM":
    sys.exit(f"{sys.argv[2]}: herald must be stopped with SIGTERM")
PY
    done
done

step "Dockerfile: the runtime stage has every library herald-server links, the build stage what it compiles"
runtime=$(sed -n '/^FROM .* AS runtime/,$p' Dockerfile)
for library in $(readelf -d build/server/herald-server | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    path=$(ldconfig -p | awk -v lib="$library" '$1 == lib && /x86-64/ && !found { print $NF; found = 1 }')
    [ -n "$path" ] || fail "cannot find $library"
    # dpkg knows a library by the path it shipped it under, /lib or /usr/lib (merged /usr makes them one).
    package=$({ dpkg -S "$path" 2>/dev/null || dpkg -S "$(readlink -f "$path")" 2>/dev/null || true; } | sed -n '1s/:.*//p')
    [ -n "$package" ] || fail "no package owns $path ($library)"
    case "$package" in libc6 | libstdc++6 | libgcc-s1) continue ;; esac # in debian:bookworm-slim
    grep -qw -- "$package" <<<"$runtime" || fail "the runtime stage does not install $package (for $library)"
done
mkdir -p "$scratch/image"
cp -r CMakeLists.txt common server resources "$scratch/image/" # the build stage's COPY lines
cmake -S "$scratch/image" -B "$scratch/image/build" -DHERALD_SERVER_ONLY=ON >/dev/null ||
    fail "the build stage's sources do not configure with HERALD_SERVER_ONLY=ON"

echo "deploy check passed" >&2
