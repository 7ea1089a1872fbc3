#!/usr/bin/env bash
# Builds the .deb, installs it on this machine with apt-get, checks what it laid out, starts the installed
# binary the way herald.service does (its user, /etc/herald/herald.env, --prod), stops it with SIGTERM, starts
# herald.service itself under a real systemd (packaging/check-service.sh), and purges the package again. Run by `./dev.sh ops-check` (CI) after a build in build/; needs root or sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
CHECK_NAME="package check"
source deploy/lib.sh

if dpkg-query -W -f='${Status}' herald 2>/dev/null | grep -q 'install ok installed' &&
    [ "${HERALD_CHECK_REPLACES_INSTALLED:-}" != 1 ]; then
    fail "herald is already installed here; this check installs and purges it. Set HERALD_CHECK_REPLACES_INSTALLED=1 to let it."
fi

step "cpack -G DEB"
rm -f build/herald_*.deb
(cd build && cpack -G DEB >/dev/null)
deb=$(ls build/herald_*.deb)
dpkg-deb --info "$deb" | grep -E '^ (Package|Version|Depends):' >&2

step "apt-get install ./$deb"
purge() { DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get purge -y -qq herald >/dev/null 2>&1 || true; }
trap purge EXIT
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "./$deb" >/dev/null

for path in /usr/bin/herald-server /usr/bin/herald-admin /lib/systemd/system/herald.service \
    /usr/lib/sysusers.d/herald.conf /usr/share/applications/herald-admin.desktop \
    /usr/share/icons/hicolor/scalable/apps/herald.svg /usr/share/herald/herald.env.example; do
    [ -e "$path" ] || fail "$path was not installed"
done
id herald >/dev/null 2>&1 || fail "the herald user was not created"
[ "$("${sudo[@]}" stat -c '%U:%G %a' /etc/herald/herald.env)" = "root:herald 640" ] ||
    fail "/etc/herald/herald.env should be root:herald 640"
token=$("${sudo[@]}" sed -n 's/^API_TOKEN=//p' /etc/herald/herald.env)
[ ${#token} -ge 32 ] || fail "postinst did not generate an API_TOKEN"
[ "$("${sudo[@]}" stat -c '%U:%G %a' /etc/herald/admin.env)" = "root:herald-operators 640" ] ||
    fail "/etc/herald/admin.env should be root:herald-operators 640"
admin_token=$("${sudo[@]}" sed -n 's/^ADMIN_TOKEN=//p' /etc/herald/admin.env)
[ ${#admin_token} -ge 32 ] || fail "postinst did not generate an ADMIN_TOKEN"
grep -q '^Exec=herald-admin --local-service' /usr/share/applications/herald-admin.desktop ||
    fail "the desktop entry does not attach to the local service"

step "systemd-analyze verify / security"
systemd-analyze verify /lib/systemd/system/herald.service
exposure=$(systemd-analyze security --offline=true /lib/systemd/system/herald.service 2>/dev/null |
    sed -n 's/.*Overall exposure level for herald.service: \([0-9.]*\).*/\1/p')
echo "systemd exposure level: $exposure (0 best, 10 worst)" >&2
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 3.0) }' || fail "exposure level $exposure is above 3.0"
desktop-file-validate /usr/share/applications/herald-admin.desktop

step "the installed binary, as herald.service runs it"
log=$(mktemp)
# The unit's environment: /etc/herald/herald.env (quotes stripped, as systemd does), admin.env, then its Environment= lines.
"${sudo[@]}" runuser -u herald -- env -C /var/lib/herald HERALD_CHECK_ADMIN_TOKEN="$admin_token" bash -c '
    while IFS= read -r line; do
        case "$line" in "" | "#"*) continue ;; esac
        value=${line#*=}; value=${value#\"}; value=${value%\"}
        export "${line%%=*}=$value"
    done < /etc/herald/herald.env
    export ADMIN_TOKEN=$HERALD_CHECK_ADMIN_TOKEN # admin.env, which systemd reads as root after herald.env
    export LOG_DIR=/var/log/herald QT_ENABLE_REGEXP_JIT=0 HOST=127.0.0.1 PORT=0
    exec /usr/bin/herald-server --prod' >"$log" 2>&1 &
runner=$!
port=$(listening_port "$log")
[ -n "$port" ] || { cat "$log" >&2; fail "the installed server did not start"; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ] || fail "/health is not 200"
body='{"message":"from the package check"}'
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" \
    "http://127.0.0.1:$port/notify")" = 401 ] || fail "/notify without the token should be 401"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$port/notify")" = 200 ] || fail "/notify with the token failed"

step "the desktop console attaches with the package's ADMIN_TOKEN, as a member of herald-operators"
operator=herald-check-operator
"${sudo[@]}" useradd --no-create-home --groups herald-operators "$operator" 2>/dev/null || true
shot=$(mktemp -d)
"${sudo[@]}" chown "$operator" "$shot"
console_output=$("${sudo[@]}" runuser -u "$operator" -- env -C "$shot" HOME="$shot" QT_QPA_PLATFORM=offscreen \
    HERALD_CONSOLE_URL="http://127.0.0.1:$port" \
    herald-admin --local-service --screenshot "$shot/attached.png" --scene attached 2>&1) ||
    { echo "$console_output" >&2; "${sudo[@]}" userdel "$operator"; fail "herald-admin --local-service did not attach"; }
"${sudo[@]}" userdel "$operator"
echo "$console_output" | grep -q "Connected to http://127.0.0.1:$port" ||
    { echo "$console_output" >&2; fail "the console did not report the attached service"; }
rm -rf "$shot"
"${sudo[@]}" pkill -TERM -u herald -x herald-server
status=0
wait "$runner" || status=$?
[ "$status" -eq 0 ] || { cat "$log" >&2; fail "herald-server exited $status after SIGTERM"; }
"${sudo[@]}" test -s /var/log/herald/herald.log || fail "nothing was logged to /var/log/herald/herald.log"
rm -f "$log"

"${sudo[@]}" packaging/check-service.sh

step "apt-get purge herald"
trap - EXIT
purge
[ ! -e /usr/bin/herald-server ] && [ ! -e /etc/herald ] || fail "purge left files behind"
echo "package check passed: $deb installs, runs as the herald user with --prod and as herald.service under systemd, stops on SIGTERM (exit 0), purges" >&2
