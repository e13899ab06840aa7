#!/bin/sh
# Runs a command against a private OS keychain: a session bus of its own and a GNOME
# keyring unlocked with a throwaway password, in a scratch HOME, so tests never touch the
# user's own keychain. Exits 77 (skipped) when gnome-keyring is not installed.
set -u
if ! command -v gnome-keyring-daemon >/dev/null 2>&1 || ! command -v dbus-run-session >/dev/null 2>&1; then
    echo "SKIP: gnome-keyring-daemon or dbus-run-session is not installed (packages gnome-keyring, dbus-daemon)"
    exit 77
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
    XDG_CACHE_HOME="$home/.cache" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
dbus-run-session -- sh -c '
    # --unlock with no keyring yet creates the "login" keyring with this password.
    printf "pgdeck-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
    exec "$@"' sh "$@"
