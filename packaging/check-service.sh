#!/usr/bin/env bash
# Starts the installed herald.service under a real systemd and stops it again. This machine's PID 1 is not
# systemd, so systemd runs as PID 1 of private PID, mount and network namespaces, on fresh /run, /tmp and
# /var/tmp: its boot-time clean-up (systemd-tmpfiles empties /tmp) must not reach the machine's own. Checks the
# Type=notify start (READY and the status text), the watchdog over several intervals, /health and the token, and
# that `systemctl stop` drains and ends with exit status 0. Run by packaging/check-package.sh with the package
# installed; needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
CHECK_NAME="service check"
source deploy/lib.sh

[ "$(id -u)" -eq 0 ] || fail "needs root (it starts systemd in namespaces of its own)"

console=$(mktemp)
# The namespace's PID 1, before it becomes systemd: private mounts for what systemd writes or cleans at boot, a
# target that wants only herald.service, and a watchdog short enough (4 s; the unit's own is 30 s) that a missing
# WATCHDOG=1 shows within the check.
boot='
set -e
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
mkdir -p /run/systemd/system/herald.service.d
printf "[Unit]\nDescription=Herald service check\nRequires=herald.service\nAfter=herald.service\n" \
    >/run/systemd/system/herald-check.target
printf "[Service]\nWatchdogSec=4\n" >/run/systemd/system/herald.service.d/check.conf
# Nothing of the machine runs in there, and nothing changes what is not namespaced (kernel settings, binfmt
# handlers, modules): those units and the timers (apt, logrotate, fstrim, ...) are masked.
for unit in timers.target systemd-sysctl.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
    systemd-modules-load.service; do
    ln -s /dev/null "/run/systemd/system/$unit"
done
export container=herald-check
exec /lib/systemd/systemd --system --unit=herald-check.target --log-target=console
'
unshare --pid --fork --mount --net --mount-proc bash -c "$boot" >"$console" 2>&1 &
unshare_pid=$!
systemd_pid=""
stop_namespace() {
    # Killing a PID namespace's first process ends every process in it; unshare returns once it has gone.
    if [ -n "$systemd_pid" ]; then
        kill -KILL "$systemd_pid" 2>/dev/null || true
    else
        kill -KILL "$unshare_pid" 2>/dev/null || true
    fi
    wait "$unshare_pid" 2>/dev/null || true
    rm -f "$console"
}
trap stop_namespace EXIT
inside() { nsenter --target "$systemd_pid" --mount --pid --net "$@"; }
show() { inside systemctl show herald --value -p "$1"; }
explain() {
    echo "--- systemd's console:" >&2
    tail -30 "$console" >&2
    [ -n "$systemd_pid" ] && inside journalctl -u herald --no-pager -o cat 2>/dev/null | tail -20 >&2
    fail "$*"
}

step "systemd as PID 1 of its own namespaces, starting herald.service"
for _ in $(seq 100); do
    systemd_pid=$(pgrep -P "$unshare_pid" -x systemd || true)
    [ -n "$systemd_pid" ] && break
    sleep 0.1
done
[ -n "$systemd_pid" ] || explain "systemd did not start in the namespace"
state=""
for _ in $(seq 300); do
    state=$(inside systemctl is-active herald 2>/dev/null || true)
    case "$state" in active | failed) break ;; esac
    sleep 0.1
done
[ "$state" = active ] || explain "herald.service is '$state', not active"
[ "$(show Type)" = notify ] || explain "herald.service is not Type=notify"
status_text=$(show StatusText)
echo "herald.service active, status: $status_text" >&2
case "$status_text" in "Serving on port"*) ;; *) explain "no READY status text from sd_notify: '$status_text'" ;; esac

step "/health and the token, inside the namespace"
token=$(sed -n 's/^API_TOKEN=//p' /etc/herald/herald.env)
port=${status_text##* }
[ "$(inside curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ] ||
    explain "/health is not 200"
body='{"message":"from the service check"}'
[ "$(inside curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "$body" \
    -H "Authorization: Bearer $token" "http://127.0.0.1:$port/notify")" = 200 ] || explain "/notify with the token failed"

step "the watchdog: three 4 s intervals without a restart"
main_pid=$(show MainPID)
sleep 12 # the time itself is what is checked: systemd kills a service whose watchdog pings stop
[ "$(show ActiveState)" = active ] && [ "$(show NRestarts)" = 0 ] && [ "$(show MainPID)" = "$main_pid" ] ||
    explain "herald.service did not keep its watchdog (state $(show ActiveState), restarts $(show NRestarts))"

[ "$(inside systemctl list-units --type=timer --state=active --no-legend | wc -l)" = 0 ] ||
    explain "timers run inside the namespace"

step "systemctl stop herald"
inside systemctl stop herald
[ "$(show Result)" = success ] && [ "$(show ExecMainStatus)" = 0 ] ||
    explain "stop ended with result $(show Result), exit status $(show ExecMainStatus)"
journal=$(inside journalctl -u herald --no-pager -o cat)
grep -q '"6/6 Shutdown complete"' <<<"$journal" || explain "the journal has no completed graceful shutdown"
echo "service check passed: Type=notify start ('$status_text'), watchdog kept, systemctl stop exit 0" >&2
