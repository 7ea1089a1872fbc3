#!/usr/bin/env bash
# Herald's developer entry point. Each command first installs whatever Debian packages are missing.
#   ./dev.sh run [server flags]   build and start the server (defaults: port 8000, logs in ./logs)
#   ./dev.sh deps                 only install the Debian packages the build and the tests need
#   ./dev.sh test                 build and run the whole test suite
#   ./dev.sh sanitize             the same suite built with AddressSanitizer + UndefinedBehaviorSanitizer
#   ./dev.sh debian13             the same suite on Debian 13 (Qt 6.8) in a debootstrapped root (CI runs it)
#   ./dev.sh console [flags]      build and start the admin console (embedded server; --attach URL --token T)
#   ./dev.sh screenshot           write docs/console*.png: the console running, shutting down, stale, stopped
#   ./dev.sh bench-console [n]    the console at n (10,000) clients: CPU and memory, embedded and attached
#   ./dev.sh bench [quick]        Herald against a C floor, Node ws and FastAPI; rewrites docs/BENCHMARKS.md
#   ./dev.sh bench-channels [r] [n]  channels: Herald against Node ws with a channel map, r rounds of n clients
#   ./dev.sh bench-history [r] [n]   history on and off at n clients, a recovery storm, Redis memory, receipts
#   ./dev.sh bench-fanout [r] [n]    fan-out at the limit: floor, Herald, Node ws; syscalls and instructions
#   ./dev.sh bench-compression [r] [n] [b]  permessage-deflate on and off, Herald and Node ws, n clients, b-byte JSON
#   ./dev.sh soak [seconds]       churn, broadcasts and slow clients for that long (default 180); fails on loss or growth
#   ./dev.sh fuzz [seconds]       each libFuzzer target for that long (default 30) under ASan + UBSan
#   ./dev.sh js-pack              the JavaScript client's npm package (build/herald-client-<version>.tgz; CI runs it)
#   ./dev.sh format | lint        apply / check clang-format
#   ./dev.sh dev [server flags]   build and start the server with --dev (text logs, DEBUG, /docs)
#   ./dev.sh install [prefix]     build and `cmake --install` (default prefix /usr/local)
#   ./dev.sh package              build the .deb (build/herald_<version>_<arch>.deb)
#   ./dev.sh ops-check            the .deb installed, run as its service and purged; systemd, nginx, Prometheus
#                                 and Compose files checked with their own tools; the image built, run and stopped
#                                 under a real Docker engine (CI runs it)
#   ./dev.sh docker-build | docker-dev | docker-prod   the image, the dev stack, the production stack (Docker)
set -euo pipefail
cd "$(dirname "$0")"

# Why each package is here: see README, "Dependencies".
PACKAGES=(
    build-essential cmake
    qt6-base-dev qt6-websockets-dev
    qt6-charts-dev libqt6opengl6-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
    fonts-dejavu-core
    libspdlog-dev libhiredis-dev libjwt-dev libsystemd-dev zlib1g-dev pkg-config redis-server
    openssl
    clang-format
)
# Only for ./dev.sh ops-check: the tools that check the packaging and deployment files (see README, "Operations").
OPS_PACKAGES=(
    curl systemd desktop-file-utils nginx prometheus docker-compose docker.io debootstrap
)
# Only for ./dev.sh bench: the peer servers Herald is measured against (see bench/compare.sh).
BENCH_PACKAGES=(
    libssl-dev
    python3-fastapi python3-uvicorn python3-uvloop python3-httptools python3-websockets
)

# Debian 13 moved Qt's SVG icon engine out of libqt6svg6 into a package of its own.
debian_version=$(. /etc/os-release 2>/dev/null && echo "${VERSION_ID%%.*}")
[ "${debian_version:-0}" -ge 13 ] 2>/dev/null && PACKAGES+=(qt6-svg-plugins)

install_missing() {
    local missing=()
    for package in "${PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo)
        else
            echo "Herald needs these Debian packages: ${missing[*]}" >&2
            echo "Install them as root, then run this command again:" >&2
            echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
            exit 1
        fi
    fi
    echo "Installing: ${missing[*]}" >&2
    # Another install may hold dpkg's lock (CI prepares the Debian 13 root beside the host's build): wait for it.
    local wait=(-o DPkg::Lock::Timeout=600)
    "${sudo[@]}" apt-get "${wait[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get "${wait[@]}" install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# The JavaScript client's tests (clients/js, in the suite): Node.js and npm (Debian's, or any already on PATH),
# Chromium for the browser test, and the client's devDependencies from the npm registry, as package-lock.json pins
# them. HERALD_JS_TESTS=OFF skips all of it.
js_tests() { [ "${HERALD_JS_TESTS:-ON}" = ON ] && echo ON || echo OFF; }
prepare_js_client() {
    [ "$(js_tests)" = ON ] || return 0
    local packages=(chromium)
    command -v node >/dev/null || packages+=(nodejs)
    command -v npm >/dev/null || packages+=(npm)
    install_missing "${packages[@]}"
    local node_major
    node_major=$(node -p 'process.versions.node.split(".")[0]')
    if [ "$node_major" -lt 20 ]; then
        echo "The JavaScript client's tests need Node.js 20 or later (this is $(node --version); Debian 12's is 18:" >&2
        echo "use Debian 13's, or NodeSource's on Debian 12), or run with HERALD_JS_TESTS=OFF." >&2
        exit 1
    fi
    # npm ci only when the lock file changed since the last one.
    if [ ! -f clients/js/node_modules/.package-lock.json ] ||
        [ clients/js/package-lock.json -nt clients/js/node_modules/.package-lock.json ]; then
        (cd clients/js && npm ci --no-audit --no-fund --loglevel=error >&2)
    fi
}

jobs() { nproc 2>/dev/null || echo 2; }

# The sanitized suite and the fuzzers: -O1 and line tables only. A sanitizer's report needs file and line, not
# variables, and CI builds the whole tree a second time for them.
SANITIZED_CXX_FLAGS="-O1 -g1 -DNDEBUG"

# CI (CI=true) treats any new warning in Herald's own code as an error.
werror() { [ "${CI:-}" = "true" ] && echo "-DHERALD_WERROR=ON" || echo "-DHERALD_WERROR=OFF"; }

# Where the default build goes; the Debian 13 check builds the same tree in its own folder (HERALD_BUILD_DIR).
BUILD_DIR=${HERALD_BUILD_DIR:-build}

build() {
    local dir=$1
    shift
    # HERALD_CXX_FLAGS replaces RelWithDebInfo's "-O2 -g -DNDEBUG" (the Debian 13 check builds without -g, the
    # sanitized builds with SANITIZED_CXX_FLAGS).
    local flags=()
    [ -n "${HERALD_CXX_FLAGS:-}" ] && flags=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$HERALD_CXX_FLAGS")
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$(werror)" -DHERALD_JS_TESTS="$(js_tests)" \
        "${flags[@]}" "$@" >/dev/null
    cmake --build "$dir" -j"$(jobs)"
}

# What the benchmarks' peers need besides the build. Node.js may come from Debian (nodejs, npm) or elsewhere
# (NodeSource bundles npm): ask for commands, not packages.
install_bench_tools() {
    local node_packages=()
    command -v node >/dev/null || node_packages+=(nodejs)
    command -v npm >/dev/null || node_packages+=(npm)
    install_missing "${BENCH_PACKAGES[@]}" "${node_packages[@]}" "$@"
}

command=${1:-help}
[ $# -gt 0 ] && shift
case "$command" in
deps)
    install_missing
    ;;
run)
    install_missing
    build build
    exec ./build/server/herald-server "$@"
    ;;
dev)
    install_missing
    build build
    exec ./build/server/herald-server --dev "$@"
    ;;
install)
    install_missing
    build build
    cmake --install build --prefix "${1:-/usr/local}"
    ;;
package)
    install_missing
    build build
    (cd build && cpack -G DEB >/dev/null)
    ls build/herald_*.deb
    ;;
ops-check)
    install_missing "${OPS_PACKAGES[@]}"
    build build
    packaging/check-package.sh
    deploy/check-deploy.sh
    deploy/check-image.sh
    ;;
docker-build | docker-dev | docker-prod)
    command -v docker >/dev/null || { echo "$command needs Docker (docker.io or Docker's own packages)" >&2; exit 1; }
    compose=(docker compose)
    docker compose version >/dev/null 2>&1 || compose=(docker-compose)
    case "$command" in
    docker-build) exec docker build -t herald:latest . ;;
    docker-dev) exec "${compose[@]}" -f docker-compose.yml -f docker-compose.dev.yml up --build ;;
    docker-prod) exec "${compose[@]}" --profile production --profile monitoring up -d --build ;;
    esac
    ;;
console)
    install_missing
    build build
    exec ./build/admin-gui/herald-admin "$@"
    ;;
screenshot)
    install_missing
    build build
    mkdir -p docs
    for scene in running shutting-down stale stopped; do
        file=docs/console-$scene.png
        [ "$scene" = running ] && file=docs/console.png
        QT_QPA_PLATFORM=offscreen ./build/admin-gui/herald-admin --host 127.0.0.1 --port 0 --log-dir "$(mktemp -d)" \
            --notification-interval 1 --shutdown-timeout 1800 --screenshot "$file" --scene "$scene" --demo-clients 6
    done
    ;;
bench-console)
    install_missing
    build build
    exec bench/console-load.sh "$@"
    ;;
bench-channels)
    install_bench_tools
    build build
    exec bench/channels.sh "$@"
    ;;
bench-history)
    install_bench_tools
    build build
    exec bench/history.sh "$@"
    ;;
bench-compression)
    install_bench_tools
    build build
    exec bench/compression.sh "$@"
    ;;
bench-fanout)
    install_bench_tools valgrind linux-perf
    build build
    exec bench/fanout.sh "$@"
    ;;
test)
    install_missing
    prepare_js_client
    build "$BUILD_DIR"
    ctest --test-dir "$BUILD_DIR" --output-on-failure -j"$(jobs)"
    ;;
debian13)
    # The same suite on Debian 13 (Qt 6.8) in a debootstrapped root: see .ci/debian13.sh.
    exec .ci/debian13.sh
    ;;
sanitize)
    install_missing
    prepare_js_client
    HERALD_CXX_FLAGS=$SANITIZED_CXX_FLAGS build build-sanitize -DHERALD_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir build-sanitize --output-on-failure -j"$(jobs)"
    ;;
soak)
    install_missing
    build build
    exec bench/soak.sh "$@"
    ;;
fuzz)
    # libFuzzer comes with clang; its runtime is in libclang-rt-14-dev.
    install_missing clang libclang-rt-14-dev
    seconds=${1:-30}
    HERALD_CXX_FLAGS=$SANITIZED_CXX_FLAGS build build-fuzz -DHERALD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++
    for target in frame_parser client_message notification_request config http_request; do
        corpus=$(mktemp -d) # new inputs found on the way stay out of the committed seeds
        log=build-fuzz/fuzz_$target.log
        echo "== fuzz_$target for ${seconds}s" >&2
        status=0
        ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            "build-fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -print_final_stats=1 \
            -artifact_prefix="build-fuzz/crash-$target-" "$corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1 ||
            status=$?
        rm -rf "$corpus"
        grep -E '^(Done |stat::number_of_executed_units|SUMMARY)|ERROR|runtime error' "$log" >&2 || true
        [ "$status" -eq 0 ] || { echo "fuzz_$target failed (exit $status); see $log and build-fuzz/crash-$target-*" >&2; exit 1; }
    done
    ;;
bench)
    install_bench_tools
    build build
    exec bench/compare.sh "$@"
    ;;
js-pack)
    HERALD_JS_TESTS=ON prepare_js_client
    mkdir -p build
    package=$(cd clients/js && npm pack --pack-destination ../../build --loglevel=error | tail -n 1)
    # What an application imports must be in it: the module and its type declarations.
    contents=$(tar -tzf "build/$package")
    for file in package/dist/index.js package/dist/index.d.ts package/package.json; do
        grep -qx "$file" <<<"$contents" || { echo "build/$package lacks $file" >&2; exit 1; }
    done
    echo "build/$package"
    ;;
format)
    install_missing
    git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | xargs clang-format -i
    ;;
lint)
    install_missing
    git ls-files --cached --others --exclude-standard '*.cpp' '*.h' | xargs clang-format --dry-run --Werror
    ;;
*)
    sed -n '2,/^set -euo pipefail/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
    [ "$command" = help ]
    ;;
esac
