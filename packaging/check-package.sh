#!/usr/bin/env bash
# The installed-package check: builds the .deb (and the .rpm when rpmbuild is there) from
# a configured and built tree (`build.sh test` passes the one it has just tested), lints it,
# installs it, runs the installed programs, then removes it again and checks that nothing of
# it is left.
#
# Usage: packaging/check-package.sh BUILD_DIR
# Run as root on a Debian 12 machine with the build dependencies (./build.sh installs
# them): it installs and purges the package pgdeck, creates the system user pgdeck for the
# sandbox servers (as `pgdeckctl sandbox up` does for root) and runs a small sandbox on
# 127.0.0.1 in a temporary directory.
# Exit status: 0 every check passed, 1 a check failed, 2 bad usage.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
app_id=io.github.pgdeck.pgdeck

if [ $# -ne 1 ] || [ ! -f "$1/CMakeCache.txt" ]; then
    echo "usage: $0 BUILD_DIR   (a configured and built pgdeck build directory)" >&2
    exit 2
fi
build=$(cd "$1" && pwd)
if [ "$(id -u)" != 0 ]; then
    echo "check-package: must run as root (it installs and removes the package)" >&2
    exit 2
fi

step() { echo; echo "==> $*"; }
ok() { echo "ok: $*"; }
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

tmp=$(mktemp -d /tmp/pgdeck-check-package.XXXXXX)
# The sandbox servers run as the user pgdeck, which must be able to reach their directory.
chmod 0755 "$tmp"
sandbox_dir=$tmp/sandbox
sandbox_up=
installed_by_us=
purged=

cleanup() {
    local rc=$?
    if [ -n "$sandbox_up" ]; then
        echo "-- cleaning up: sandbox down"
        PGDECK_STATE_DIR=$tmp/state /usr/bin/pgdeckctl sandbox down --dir "$sandbox_dir" \
            >"$tmp/cleanup-down.log" 2>&1 || cat "$tmp/cleanup-down.log" >&2
    fi
    if [ -n "$installed_by_us" ] && [ -z "$purged" ]; then
        echo "-- cleaning up: removing the package pgdeck"
        DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq --purge pgdeck >/dev/null 2>&1
    fi
    rm -rf "$tmp"
    if [ "$rc" -eq 0 ]; then
        echo
        echo "check-package: all checks passed"
    else
        echo
        echo "check-package: FAILED (exit $rc)" >&2
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build the packages -------------------------------------------------------------

step "building $build (up to date?)"
cmake --build "$build" >"$tmp/build.log" 2>&1 || { tail -n 30 "$tmp/build.log"; fail "build"; }
ok "build"

step "cpack -G DEB"
rm -f "$build"/pgdeck_*.deb "$build"/pgdeck-*.rpm
(cd "$build" && cpack -G DEB) >"$tmp/cpack-deb.log" 2>&1 ||
    { cat "$tmp/cpack-deb.log"; fail "cpack -G DEB"; }
debs=("$build"/pgdeck_*.deb)
{ [ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ]; } || fail "expected one pgdeck_*.deb in $build"
deb=${debs[0]}
version=$(dpkg-deb -f "$deb" Version)
ok "$(basename "$deb") (version $version)"
dpkg-deb -f "$deb" Depends Recommends Suggests | sed 's/^/    /'

step "lintian $(basename "$deb")"
command -v lintian >/dev/null || fail "lintian is not installed (Debian package lintian)"
lintian --tag-display-limit 0 "$deb" >"$tmp/lintian.log" 2>&1
lintian_rc=$?
cat "$tmp/lintian.log"
if grep -qE '^[EW]: ' "$tmp/lintian.log"; then
    fail "lintian reports errors or warnings (above)"
fi
[ "$lintian_rc" -eq 0 ] || fail "lintian exited with $lintian_rc"
ok "lintian: no errors, no warnings"

if command -v rpmbuild >/dev/null; then
    step "cpack -G RPM"
    (cd "$build" && cpack -G RPM) >"$tmp/cpack-rpm.log" 2>&1 ||
        { cat "$tmp/cpack-rpm.log"; fail "cpack -G RPM"; }
    rpms=("$build"/pgdeck-*.rpm)
    { [ ${#rpms[@]} -eq 1 ] && [ -f "${rpms[0]}" ]; } || fail "expected one pgdeck-*.rpm in $build"
    rpmfile=${rpms[0]}
    ok "$(basename "$rpmfile")"
    rpm -qpi "$rpmfile" 2>/dev/null | grep -E '^(Name|Version|Release|License|Group) ' | sed 's/^/    /'
    rpm -qpl "$rpmfile" >"$tmp/rpm-files" 2>/dev/null || fail "rpm -qpl"
    rpm -qpR "$rpmfile" >"$tmp/rpm-requires" 2>/dev/null || fail "rpm -qpR"
    for f in /usr/bin/pgdeck /usr/bin/pgdeckctl /usr/share/man/man1/pgdeck.1.gz \
        /usr/share/man/man1/pgdeckctl.1.gz /usr/share/bash-completion/completions/pgdeckctl \
        /usr/share/applications/$app_id.desktop /usr/share/metainfo/$app_id.metainfo.xml; do
        grep -qx "$f" "$tmp/rpm-files" || fail "the RPM lacks $f (rpm -qpl)"
    done
    # Directories of the distribution (filesystem, man pages, icon theme) stay unclaimed.
    for d in /usr /usr/bin /usr/share /usr/share/man /usr/share/man/man1 /usr/share/applications \
        /usr/share/icons/hicolor; do
        if grep -qx "$d" "$tmp/rpm-files"; then fail "the RPM claims the shared directory $d"; fi
    done
    # Automatic requirements from the binaries (autoreq) and the declared ones.
    for r in 'libQt6Widgets\.so\.6' 'libpq\.so\.5' 'qt6-qtsvg'; do
        grep -q "$r" "$tmp/rpm-requires" || fail "the RPM does not require $r (rpm -qpR)"
    done
    ok "rpm -qpl: $(wc -l <"$tmp/rpm-files") files; rpm -qpR: $(wc -l <"$tmp/rpm-requires") requirements"
else
    step "SKIP: cpack -G RPM (rpmbuild not installed; Debian package rpm)"
fi

# --- install ------------------------------------------------------------------------

step "apt-get install $(basename "$deb")"
if dpkg-query -W -f='${Status}' pgdeck 2>/dev/null | grep -q "ok installed"; then
    echo "note: pgdeck $(dpkg-query -W -f='${Version}' pgdeck) is installed already; reinstalling"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "$deb" >"$tmp/apt-install.log" 2>&1 ||
    { cat "$tmp/apt-install.log"; fail "apt-get install"; }
installed_by_us=1
[ "$(dpkg-query -W -f='${Status} ${Version}' pgdeck)" = "install ok installed $version" ] ||
    fail "dpkg does not show pgdeck $version as installed"
dpkg -L pgdeck >"$tmp/files"
ok "pgdeck $version installed, $(wc -l <"$tmp/files") paths"

step "pgdeckctl --version"
out=$(/usr/bin/pgdeckctl --version 2>&1) || fail "pgdeckctl --version exited non-zero: $out"
echo "    $out"
[ "$out" = "pgdeckctl $version" ] || fail "expected \"pgdeckctl $version\""
ok "version $version"

step "man pages and completion as installed"
for page in pgdeck pgdeckctl; do
    [ -f /usr/share/man/man1/$page.1.gz ] || fail "/usr/share/man/man1/$page.1.gz missing"
    if command -v man >/dev/null; then
        man -w $page >/dev/null 2>&1 || fail "man cannot find $page(1)"
    fi
done
bash -c '. /usr/share/bash-completion/completions/pgdeckctl &&
    COMP_WORDS=(pgdeckctl sandbox ""); COMP_CWORD=2; _pgdeckctl &&
    [ "${COMPREPLY[*]}" = "up status down" ]' ||
    fail "the bash completion does not complete \"pgdeckctl sandbox \""
ok "man pgdeck, man pgdeckctl, completion of pgdeckctl"

step "desktop entry, metainfo, icons, man pages, completion (validate.sh /usr)"
sh "$here/validate.sh" /usr
rc=$?
if [ "$rc" -eq 77 ]; then
    echo "SKIP: validators not installed (desktop-file-utils, appstream)"
elif [ "$rc" -ne 0 ]; then
    fail "validate.sh /usr"
else
    ok "validate.sh /usr"
fi

# --- the installed pgdeckctl runs a sandbox ----------------------------------------

step "pgdeckctl sandbox up (in $sandbox_dir, 127.0.0.1 only)"
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=
for base in 58420 58520 58620 58720 58820; do
    if ! port_in_use $base && ! port_in_use $((base + 1)); then
        port=$base
        break
    fi
done
[ -n "$port" ] || fail "no two free ports from 58420 on 127.0.0.1"
# Plan journals and the audit log go to the temporary directory, not to root's home.
export PGDECK_STATE_DIR=$tmp/state
sandbox_up=1
/usr/bin/pgdeckctl sandbox up --dir "$sandbox_dir" --port "$port" --standbys 1 --no-load \
    >"$tmp/sandbox-up.log" 2>&1 ||
    { cat "$tmp/sandbox-up.log"; fail "pgdeckctl sandbox up"; }
tail -n 4 "$tmp/sandbox-up.log"
ok "sandbox up: primary on 127.0.0.1:$port, standby on $((port + 1))"

step "the sandbox answers (pg_isready, psql)"
command -v pg_isready >/dev/null || fail "pg_isready not found (postgresql-client)"
pg_isready -h 127.0.0.1 -p "$port" -t 30 || fail "pg_isready on the primary"
pg_isready -h 127.0.0.1 -p $((port + 1)) -t 30 || fail "pg_isready on the standby"
r=$(psql -X -h 127.0.0.1 -p "$port" -U postgres -d app -Atc \
    "select pg_is_in_recovery(), count(*) from pg_stat_replication" 2>&1) ||
    fail "psql on the primary: $r"
[ "$r" = "f|1" ] || fail "primary: expected not in recovery with one standby streaming, got \"$r\""
r=$(psql -X -h 127.0.0.1 -p $((port + 1)) -U postgres -d app -Atc "select pg_is_in_recovery()" 2>&1) ||
    fail "psql on the standby: $r"
[ "$r" = "t" ] || fail "standby: expected in recovery, got \"$r\""
/usr/bin/pgdeckctl sandbox status --dir "$sandbox_dir" || fail "pgdeckctl sandbox status"
ok "primary streams to the standby"

step "pgdeckctl sandbox down"
/usr/bin/pgdeckctl sandbox down --dir "$sandbox_dir" >"$tmp/sandbox-down.log" 2>&1 ||
    { cat "$tmp/sandbox-down.log"; fail "pgdeckctl sandbox down"; }
sandbox_up=
tail -n 2 "$tmp/sandbox-down.log"
[ ! -e "$sandbox_dir" ] || fail "sandbox down left $sandbox_dir behind"
if pg_isready -q -h 127.0.0.1 -p "$port" -t 2; then fail "port $port still answers after down"; fi
ok "sandbox down: servers stopped, directory removed"
unset PGDECK_STATE_DIR

# --- the installed pgdeck opens --------------------------------------------------------

step "pgdeck --self-test (offscreen)"
mkdir -m 0700 "$tmp/home" "$tmp/runtime"
rc=0
HOME=$tmp/home XDG_RUNTIME_DIR=$tmp/runtime QT_QPA_PLATFORM=offscreen \
    timeout 300 /usr/bin/pgdeck --self-test >"$tmp/self-test.log" 2>&1 || rc=$?
tail -n 20 "$tmp/self-test.log"
[ "$rc" -eq 0 ] || fail "pgdeck --self-test exited with $rc"
ok "pgdeck --self-test"

# --- remove ---------------------------------------------------------------------------

step "apt-get remove --purge pgdeck"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq --purge pgdeck >"$tmp/apt-remove.log" 2>&1 ||
    { cat "$tmp/apt-remove.log"; fail "apt-get remove --purge pgdeck"; }
purged=1
if dpkg-query -W -f='${Status}' pgdeck 2>/dev/null | grep -qx 'install ok installed'; then
    fail "dpkg still lists pgdeck"
fi
left=0
while IFS= read -r path; do
    [ "$path" = "/." ] && continue
    if [ -d "$path" ] && [ ! -L "$path" ]; then
        # Directories stay when another package owns them or holds files in them.
        if dpkg -S "$path" >/dev/null 2>&1; then continue; fi
        if [ -n "$(ls -A "$path" 2>/dev/null)" ]; then continue; fi
        echo "left behind (empty directory of no package): $path" >&2
        left=$((left + 1))
    elif [ -e "$path" ] || [ -L "$path" ]; then
        echo "left behind: $path" >&2
        left=$((left + 1))
    fi
done <"$tmp/files"
[ "$left" -eq 0 ] || fail "$left path(s) of the package remain after purge"
ok "purged: none of the $(wc -l <"$tmp/files") paths remain (shared directories excepted)"
