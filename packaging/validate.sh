#!/bin/sh
# Validate pgdeck's desktop entry and AppStream metainfo.
#
# Usage: packaging/validate.sh
# Exit status: 0 valid, 1 invalid, 77 skipped (validators not installed;
# CTest maps 77 to "skipped" through SKIP_RETURN_CODE).
# The validators come from the Debian packages desktop-file-utils and appstream.
set -u

here=$(cd "$(dirname "$0")" && pwd)
app_id=io.github.pgdeck.pgdeck
desktop="$here/$app_id.desktop"
metainfo="$here/$app_id.metainfo.xml"

missing=
command -v desktop-file-validate >/dev/null 2>&1 || missing="$missing desktop-file-validate (desktop-file-utils)"
command -v appstreamcli >/dev/null 2>&1 || missing="$missing appstreamcli (appstream)"
if [ -n "$missing" ]; then
    echo "SKIP: validator(s) not installed:$missing"
    exit 77
fi

status=0

echo "== desktop-file-validate $app_id.desktop"
if desktop-file-validate "$desktop"; then
    echo "ok"
else
    echo "FAIL: $desktop"
    status=1
fi

echo "== appstreamcli validate --no-net $app_id.metainfo.xml"
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
check "scalable icon exists" test -s "$here/icons/scalable/apps/$app_id.svg"
for size in 48 128 256; do
    check "${size}px icon exists" test -s "$here/icons/hicolor/${size}x${size}/apps/$app_id.png"
done
[ "$status" -eq 0 ] && echo "ok"

exit "$status"
