#!/bin/bash
# Builds the container images pgdeck's Docker tests use, from Debian packages, because no
# registry can be reached here: postgres:15 and node:18, tagged with the names generated
# compose files and Dockerfiles use. Idempotent: an image the engine already has is kept
# while its inputs (Dockerfile, entrypoint, packages; stored as a label) are unchanged.
#
# Starts dockerd in the background when the socket does not answer (log in $PGDECK_DOCKERD_LOG,
# default /tmp/pgdeck-dockerd.log). Root filesystems are cached as tarballs under
# $PGDECK_IMAGE_CACHE (default /var/cache/pgdeck-test-images), so rebuilding after
# `docker system prune -a` takes well under a minute. The mirror is the host's own Debian bookworm
# entries from /etc/apt/sources.list(.d), or $PGDECK_DEBIAN_MIRROR when set.
#
# Usage: build-images.sh [--force] [image ...]   (images: postgres:15 node:18)
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${PGDECK_IMAGE_CACHE:-/var/cache/pgdeck-test-images}
if [ -z "${PGDECK_IMAGE_CACHE:-}" ] && [ "$(id -u)" != 0 ]; then
    cache=${XDG_CACHE_HOME:-$HOME/.cache}/pgdeck-test-images
fi
dockerd_log=${PGDECK_DOCKERD_LOG:-/tmp/pgdeck-dockerd.log}
suite=bookworm
force=0
images=()
for arg in "$@"; do
    case $arg in
    --force) force=1 ;;
    *) images+=("$arg") ;;
    esac
done
[ ${#images[@]} -gt 0 ] || images=(postgres:15 node:18)

log() { printf '[build-images %s] %s\n' "$(date +%T)" "$*"; }
die() { log "error: $*" >&2; exit 1; }

ensure_engine() {
    docker version >/dev/null 2>&1 && return 0
    case ${DOCKER_HOST:-unix:///var/run/docker.sock} in
    unix:///var/run/docker.sock | unix:///run/docker.sock) ;;
    *) die "docker engine at $DOCKER_HOST not answering" ;;
    esac
    if pidof dockerd >/dev/null; then
        log "dockerd running but not answering yet; waiting"
    else
        [ "$(id -u)" = 0 ] || die "docker engine not answering and not root: cannot start dockerd"
        command -v dockerd >/dev/null || die "dockerd not installed (apt-get install docker.io)"
        log "starting dockerd (log: $dockerd_log)"
        # setsid: the daemon must outlive this script and the test that ran it.
        setsid dockerd >"$dockerd_log" 2>&1 </dev/null &
    fi
    for _ in $(seq 1 60); do
        docker version >/dev/null 2>&1 && return 0
        sleep 1
    done
    tail -n 30 "$dockerd_log" >&2 || true
    die "dockerd did not answer within 60 s"
}

# One-line "deb URI SUITE COMPONENTS" entries for Debian bookworm found in the host's apt
# sources (both formats), skipping third-party repositories like nodesource.
debian_sources() {
    if [ -n "${PGDECK_DEBIAN_MIRROR:-}" ]; then
        printf 'deb %s %s main\n' "$PGDECK_DEBIAN_MIRROR" "$suite"
        return
    fi
    local files=()
    [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
    for f in "${files[@]}"; do
        # Options in brackets ([signed-by=...]) are dropped: the host keyring covers Debian.
        sed -e 's/\[[^]]*\]//' "$f" | awk -v s="$suite" \
            '$1 == "deb" && ($3 == s || index($3, s "-") == 1 || index($3, s "/") == 1) { print $1, $2, $3, "main" }'
    done
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk -v s="$suite" '
            function flush(   i, n, u, su, k, t) {
                if (types ~ /(^| )deb( |$)/ && enabled != "no") {
                    n = split(uris, u, " "); k = split(suites, su, " ")
                    for (i = 1; i <= n; i++) for (t = 1; t <= k; t++)
                        if (su[t] == s || index(su[t], s "-") == 1 || index(su[t], s "/") == 1)
                            print "deb", u[i], su[t], "main"
                }
                types = uris = suites = enabled = ""
            }
            /^[ \t]*$/ { flush(); next }
            /^#/ { next }
            { key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ /, "") }
            key == "types" { types = $0 } key == "uris" { uris = $0 }
            key == "suites" { suites = $0 } key == "enabled" { enabled = tolower($0) }
            END { flush() }' "$f"
    done
}

# rootfs TARBALL PACKAGES [extra mmdebstrap args...]: cached root filesystem for an image.
rootfs() {
    local tarball=$1 packages=$2
    shift 2
    if [ "$force" = 0 ] && [ -s "$tarball" ]; then
        log "using cached $(basename "$tarball")"
        return
    fi
    command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (apt-get install mmdebstrap)"
    mkdir -p "$(dirname "$tarball")"
    local sources
    sources=$(debian_sources | sort -u)
    [ -n "$sources" ] || die "no Debian $suite entry in /etc/apt/sources.list(.d); set PGDECK_DEBIAN_MIRROR"
    log "mmdebstrap $packages"
    local start=$SECONDS
    # Docs, man pages and translations only make the image bigger.
    rm -rf "$tarball.tmp"
    # System tools only: mmdebstrap's python helpers must not pick up another python3.
    PATH=/usr/sbin:/usr/bin:/sbin:/bin mmdebstrap --variant=minbase --format=tar --include="$packages" \
        --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/doc/*' \
        --dpkgopt='path-include=/usr/share/doc/*/copyright' \
        --dpkgopt='path-exclude=/usr/share/info/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --aptopt='Acquire::Languages "none"' \
        "$@" "$suite" "$tarball.tmp" - <<<"$sources" >"$tarball.log" 2>&1 ||
        { tail -n 40 "$tarball.log" >&2; rm -f "$tarball.tmp"; die "mmdebstrap failed (log: $tarball.log)"; }
    mv "$tarball.tmp" "$tarball"
    log "rootfs $(basename "$tarball"): $(du -h "$tarball" | cut -f1) in $((SECONDS - start)) s"
}

# The images. Each definition sets: packages (mmdebstrap --include), hooks (more mmdebstrap
# arguments), dockerfile (FROM @BASE@ plus all metadata: `docker import -c` is limited
# on this engine) and files (copied into the build context).
define_postgres() {
    packages=postgresql-15,postgresql-client-15
    # The official image's postgres user is uid/gid 999; it must exist before
    # postgresql-common's postinst would create one with another id. No 15/main cluster:
    # the entrypoint runs initdb into $PGDATA.
    # shellcheck disable=SC2016 # $1 is the chroot, expanded by mmdebstrap
    hooks=(--essential-hook='echo "postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/bash" >>"$1/etc/passwd";
            echo "postgres:*:19000:0:99999:7:::" >>"$1/etc/shadow";
            echo "postgres:x:999:" >>"$1/etc/group";
            echo "postgres:!::" >>"$1/etc/gshadow";
            mkdir -p "$1/etc/postgresql-common/createcluster.d";
            echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/pgdeck.conf"'
        --customize-hook='rm -rf "$1"/etc/postgresql/15 "$1"/var/lib/postgresql/15;
            mkdir -p "$1/docker-entrypoint-initdb.d" "$1/var/lib/postgresql/data" "$1/var/run/postgresql";
            chown -R 999:999 "$1/var/lib/postgresql" "$1/var/run/postgresql";
            chmod 3777 "$1/var/run/postgresql"; chmod 1777 "$1/var/lib/postgresql/data";
            test "$(chroot "$1" id -u postgres)" = 999')
    dockerfile='FROM @BASE@
ENV PG_MAJOR=15 \
    LANG=C.UTF-8 \
    PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]'
    files=("$here/postgres-entrypoint.sh")
}

define_node() {
    # npm runs inside the image: the generated Dockerfile's `npm ci`. Debian's npm pulls in
    # ~480 packages (a bootstrap of about 5 min instead of 2); PGDECK_NODE_PACKAGES overrides.
    packages=${PGDECK_NODE_PACKAGES:-nodejs,npm,ca-certificates}
    # The official image has a "node" user with uid/gid 1000 for `USER node`.
    # shellcheck disable=SC2016 # $1 is the chroot, expanded by mmdebstrap
    hooks=(--customize-hook='echo "node:x:1000:1000::/home/node:/bin/bash" >>"$1/etc/passwd";
            echo "node:*:19000:0:99999:7:::" >>"$1/etc/shadow";
            echo "node:x:1000:" >>"$1/etc/group";
            echo "node:!::" >>"$1/etc/gshadow";
            mkdir -p "$1/home/node" "$1/usr/src/app"; chown 1000:1000 "$1/home/node";
            chroot "$1" node --version | grep -q "^v18\."')
    dockerfile='FROM @BASE@
ENV LANG=C.UTF-8
WORKDIR /usr/src/app
CMD ["node"]'
    files=()
}

digest() { sha256sum | cut -c1-12; }

# build NAME SLUG: the root filesystem is keyed by its packages and hooks, the image by
# everything (label org.pgdeck.inputs), so editing the entrypoint rebuilds in seconds.
build() {
    local name=$1 slug=$2 packages hooks dockerfile files
    "define_$slug"
    local rootkey inputs
    rootkey=$(printf '%s\n' "$suite" "$packages" "${hooks[@]}" | digest)
    local base=pgdeck-rootfs/$slug:$rootkey tarball=$cache/$slug-$suite-$rootkey.tar
    dockerfile=${dockerfile//@BASE@/$base}
    inputs=$( (printf '%s\n' "$dockerfile" && cat "${files[@]}" /dev/null) | digest)
    if [ "$force" = 0 ] &&
        [ "$(docker image inspect -f '{{index .Config.Labels "org.pgdeck.inputs"}}' "$name" 2>/dev/null)" = "$inputs" ]; then
        log "$name present, kept"
        return
    fi
    local start=$SECONDS
    if [ "$force" = 1 ] || ! docker image inspect "$base" >/dev/null 2>&1; then
        rootfs "$tarball" "$packages" "${hooks[@]}"
        log "docker import $base"
        docker import "$tarball" "$base" >/dev/null
    fi
    local ctx old
    old=$(docker image inspect -f '{{.Id}}' "$name" 2>/dev/null || true)
    ctx=$(mktemp -d)
    printf '%s\nLABEL org.pgdeck.inputs=%s\n' "$dockerfile" "$inputs" >"$ctx/Dockerfile"
    [ ${#files[@]} -eq 0 ] || cp "${files[@]}" "$ctx/"
    log "docker build $name"
    # The legacy builder needs no buildx plugin; only COPY and metadata, so no RUN either.
    DOCKER_BUILDKIT=0 docker build -q -t "$name" "$ctx" >/dev/null 2>"$ctx/build.err" ||
        { cat "$ctx/build.err" >&2; rm -rf "$ctx"; die "docker build $name failed"; }
    rm -rf "$ctx"
    # The replaced image would linger untagged; one still used by a container stays.
    [ -z "$old" ] || [ "$old" = "$(docker image inspect -f '{{.Id}}' "$name")" ] ||
        docker rmi "$old" >/dev/null 2>&1 || true
    log "$name built in $((SECONDS - start)) s"
}

total=$SECONDS
ensure_engine
for name in "${images[@]}"; do
    case $name in
    postgres:15) build "$name" postgres ;;
    node:18) build "$name" node ;;
    *) die "unknown image $name (known: postgres:15 node:18)" ;;
    esac
done
for name in "${images[@]}"; do
    log "$name: $(($(docker image inspect -f '{{.Size}}' "$name") / 1000000)) MB"
done
log "done in $((SECONDS - total)) s"
