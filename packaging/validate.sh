#!/bin/sh
# Validate pgdeck's desktop entry, AppStream metainfo, manual pages and bash completion.
#
# Usage: packaging/validate.sh [PREFIX]
# Without PREFIX it checks the files in the source tree; with it (e.g. /usr) the installed
# ones under PREFIX/share.
# Exit status: 0 valid, 1 invalid, 77 skipped (validators not installed;
# CTest maps 77 to "skipped" through SKIP_RETURN_CODE).
# The validators come from the Debian packages desktop-file-utils and appstream; the
# manual pages are checked with man-db and groff-base when they are installed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
app_id=io.github.pgdeck.pgdeck
if [ $# -ge 1 ]; then
    share="$1/share"
    desktop="$share/applications/$app_id.desktop"
    metainfo="$share/metainfo/$app_id.metainfo.xml"
    icons="$share/icons/hicolor"
    scalable="$icons/scalable/apps/$app_id.svg"
    manpages="$share/man/man1/pgdeck.1.gz $share/man/man1/pgdeckctl.1.gz"
    completion="$share/bash-completion/completions/pgdeckctl"
else
    desktop="$here/$app_id.desktop"
    metainfo="$here/$app_id.metainfo.xml"
    icons="$here/icons/hicolor"
    scalable="$here/icons/scalable/apps/$app_id.svg"
    manpages="$here/man/pgdeck.1 $here/man/pgdeckctl.1"
    completion="$here/completion/pgdeckctl"
fi

missing=
command -v desktop-file-validate >/dev/null 2>&1 || missing="$missing desktop-file-validate (desktop-file-utils)"
command -v appstreamcli >/dev/null 2>&1 || missing="$missing appstreamcli (appstream)"
if [ -n "$missing" ]; then
    echo "SKIP: validator(s) not installed:$missing"
    exit 77
fi

status=0

echo "== desktop-file-validate $desktop"
if desktop-file-validate "$desktop"; then
    echo "ok"
else
    echo "FAIL: $desktop"
    status=1
fi

echo "== appstreamcli validate --no-net $metainfo"
if appstreamcli validate --no-net "$metainfo"; then
    :
else
    echo "FAIL: $metainfo"
    status=1
fi

# One id everywhere: the file names, the icon name, the metainfo id and launchable.
echo "== id consistency ($app_id)"
check() { # description, command...
    what=$1; shift
    if "$@" >/dev/null 2>&1; then :; else echo "FAIL: $what"; status=1; fi
}
check "desktop Icon= is $app_id" grep -qx "Icon=$app_id" "$desktop"
check "metainfo <id> is $app_id" grep -q "<id>$app_id</id>" "$metainfo"
check "metainfo launchable is $app_id.desktop" \
    grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo"
check "scalable icon exists" test -s "$scalable"
for size in 48 128 256; do
    check "${size}px icon exists" test -s "$icons/${size}x${size}/apps/$app_id.png"
done
[ "$status" -eq 0 ] && echo "ok"

# man --warnings and groff -ww print nothing for a clean page.
echo "== manual pages"
if command -v man >/dev/null 2>&1 && command -v groff >/dev/null 2>&1; then
    for page in $manpages; do
        if [ ! -s "$page" ]; then
            echo "FAIL: $page missing"; status=1; continue
        fi
        man_out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
        groff_out=$(gzip -dcf "$page" | groff -man -Tutf8 -ww -z 2>&1)
        if [ -n "$man_out$groff_out" ]; then
            [ -z "$man_out" ] || echo "$man_out"
            [ -z "$groff_out" ] || echo "$groff_out"
            echo "FAIL: $page"; status=1
        else
            echo "ok: $page"
        fi
    done
else
    echo "skipped: man and groff not installed (man-db, groff-base)"
fi

echo "== bash completion"
if [ -s "$completion" ] && bash -n "$completion"; then
    echo "ok: $completion"
else
    echo "FAIL: $completion"; status=1
fi

exit "$status"
