#!/usr/bin/env bash
# Herald on Debian 13 (trixie, Qt 6.8): builds the tree and runs its whole suite, through the README's own
# `./dev.sh test`, inside a Debian 13 root made with debootstrap from the mirror this machine's apt uses. The root is
# kept in $HERALD_DEBIAN13_ROOT (default /var/tmp/herald-debian13) and reused; apt inside it installs what dev.sh
# asks for. The JavaScript client's tests are left out here (HERALD_JS_TESTS=OFF): they test the client, which does
# not change with Qt, and Chromium would be a second download. It builds without debug information: it checks that
# the tree builds and passes on Qt 6.8, and CI's 30 minutes are shared by three builds. Mounts live in a private
# mount namespace, so nothing is left mounted when this ends, however it ends.
#   .ci/debian13.sh           ./dev.sh test inside the root
#   .ci/debian13.sh prepare   only make the root and install the packages (CI does this while the host builds)
set -euo pipefail
cd "$(dirname "$0")/.."
root=${HERALD_DEBIAN13_ROOT:-/var/tmp/herald-debian13}

mirror() {
    local uri
    uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
    [ -n "$uri" ] || uri=$(awk '$1 == "deb" && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

if [ ! -f "$root/.herald-ready" ]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq debootstrap >&2
    rm -rf "$root"
    echo "== debootstrap trixie into $root" >&2
    debootstrap --variant=minbase trixie "$root" "$(mirror)" >"$root.log" 2>&1 || { cat "$root.log" >&2; exit 1; }
    touch "$root/.herald-ready"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
mkdir -p "$root/src"

command=test
[ "${1:-}" = prepare ] && command=deps
echo "== ./dev.sh $command on $(. "$root/etc/os-release" && echo "$PRETTY_NAME")" >&2
exec unshare --mount --propagation private bash -euo pipefail -c '
    root=$1 source=$2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t sysfs sysfs "$root/sys"
    mount --bind "$source" "$root/src"
    exec chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 CI="${CI:-}" HERALD_BUILD_DIR=build-debian13 HERALD_JS_TESTS=OFF \
        HERALD_CXX_FLAGS="-O2 -DNDEBUG" \
        bash -c "cd /src && ./dev.sh $3"
' debian13 "$root" "$PWD" "$command"
