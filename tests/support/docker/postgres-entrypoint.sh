#!/bin/bash
# Entrypoint of the locally built postgres:15 test image. It implements the part of the
# official image's interface pgdeck relies on:
#   POSTGRES_USER              superuser created by initdb (default postgres)
#   POSTGRES_PASSWORD          its password; required unless POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_PASSWORD_FILE     read the password from this file instead
#   POSTGRES_DB                database created after initdb (default $POSTGRES_USER)
#   POSTGRES_INITDB_ARGS       extra initdb arguments
#   POSTGRES_HOST_AUTH_METHOD  auth of the "host all all all" hba lines (default scram-sha-256)
#   PGDATA                     data directory (default /var/lib/postgresql/data)
# On first start (empty PGDATA) it runs initdb, then /docker-entrypoint-initdb.d/*.sh and
# *.sql once. The server always runs as postgres (uid/gid 999), listening on all addresses.
#
# Streaming replicas, as generated compose files use them:
#   PGDECK_REPLICATE_FROM        primary's host; when set and PGDATA is empty, PGDATA is
#                                cloned with `pg_basebackup -R -X stream` (retried until
#                                the primary answers) instead of initdb
#   PGDECK_REPLICATE_PORT        primary's port (default 5432)
#   PGDECK_REPLICATION_USER      role the replica connects as (default replicator). Set on
#                                the primary too: initdb then creates this role with
#                                REPLICATION LOGIN
#   PGDECK_REPLICATION_PASSWORD  that role's password (default $POSTGRES_PASSWORD)
set -Eeuo pipefail

log() { echo "entrypoint: $*" >&2; }

# VAR or VAR_FILE, never both (the official image's rule).
file_env() {
    local var=$1 fileVar=${1}_FILE default=${2:-}
    if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then
        log "both $var and $fileVar are set (but are exclusive)"
        exit 1
    fi
    local val=$default
    if [ -n "${!var:-}" ]; then
        val=${!var}
    elif [ -n "${!fileVar:-}" ]; then
        val=$(<"${!fileVar}")
    fi
    export "$var"="$val"
    unset "$fileVar"
}

# Re-runs this script as postgres; setpriv is in util-linux, always present.
as_postgres() {
    exec setpriv --reuid=999 --regid=999 --init-groups "$@"
}

prepare_dirs() {
    mkdir -p "$PGDATA" /var/run/postgresql
    chmod 00700 "$PGDATA" 2>/dev/null || true
    if [ "$(id -u)" = 0 ]; then
        chown -R 999:999 "$PGDATA" /var/run/postgresql
        chmod 03775 /var/run/postgresql
    fi
}

psql_run() {
    psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username "$POSTGRES_USER" "$@"
}

init_primary() {
    if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
        log "POSTGRES_PASSWORD is not set: set it, or POSTGRES_HOST_AUTH_METHOD=trust"
        exit 1
    fi
    local pwfile
    pwfile=$(mktemp)
    printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" >"$pwfile"
    # Without --auth-host, initdb's loopback lines would be "trust" and skip passwords.
    local host_auth=scram-sha-256
    [ "$POSTGRES_HOST_AUTH_METHOD" != trust ] || host_auth=trust
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a word list on purpose
    initdb --username="$POSTGRES_USER" --pwfile="$pwfile" \
        --auth-host="$host_auth" --auth-local=trust ${POSTGRES_INITDB_ARGS:-}
    rm -f "$pwfile"

    {
        echo
        echo "listen_addresses = '*'"
    } >>"$PGDATA/postgresql.conf"
    {
        echo
        echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
        echo "host replication all all $POSTGRES_HOST_AUTH_METHOD"
    } >>"$PGDATA/pg_hba.conf"

    # Setup runs against a socket-only server so no client sees a half-built database.
    pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" start
    export PGHOST=/var/run/postgresql
    if [ "$POSTGRES_DB" != postgres ]; then
        psql_run --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    fi
    if [ -n "${PGDECK_REPLICATION_USER:-}" ]; then
        psql_run --dbname postgres --set role="$PGDECK_REPLICATION_USER" \
            --set pw="${PGDECK_REPLICATION_PASSWORD:-$POSTGRES_PASSWORD}" \
            <<<'CREATE ROLE :"role" WITH REPLICATION LOGIN PASSWORD :'"'"'pw'"'"';'
    fi
    local f
    for f in /docker-entrypoint-initdb.d/*; do
        case $f in
        *.sh)
            log "running $f"
            # shellcheck disable=SC1090 # the init scripts are the user's
            if [ -x "$f" ]; then "$f"; else . "$f"; fi
            ;;
        *.sql)
            log "running $f"
            psql_run --dbname "$POSTGRES_DB" -f "$f"
            ;;
        *.sql.gz)
            log "running $f"
            gunzip -c "$f" | psql_run --dbname "$POSTGRES_DB"
            ;;
        *) ;;
        esac
    done
    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGHOST
    log "initdb done; starting the server"
}

init_replica() {
    local host=$PGDECK_REPLICATE_FROM port=${PGDECK_REPLICATE_PORT:-5432}
    local user=${PGDECK_REPLICATION_USER:-replicator}
    export PGPASSWORD=${PGDECK_REPLICATION_PASSWORD:-$POSTGRES_PASSWORD}
    log "cloning $host:$port as $user"
    until pg_basebackup -h "$host" -p "$port" -U "$user" -D "$PGDATA" -R -X stream --no-password; do
        log "primary $host:$port not ready; retrying"
        find "$PGDATA" -mindepth 1 -delete
        sleep 1
    done
    unset PGPASSWORD
    log "clone done; starting as a standby of $host:$port"
}

main() {
    # `docker run postgres:15 -c foo=bar` means the server with options.
    if [ $# -eq 0 ] || [ "${1:0:1}" = - ]; then
        set -- postgres "$@"
    fi
    if [ "$1" != postgres ]; then
        exec "$@"
    fi
    # Asking the server about itself needs no data directory.
    local arg
    for arg in "$@"; do
        case $arg in
        -'?' | --help | --describe-config | -V | --version) exec "$@" ;;
        esac
    done

    file_env POSTGRES_PASSWORD
    export POSTGRES_USER=${POSTGRES_USER:-postgres}
    export POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
    export POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
    export PGDATA=${PGDATA:-/var/lib/postgresql/data}

    prepare_dirs
    if [ "$(id -u)" = 0 ]; then
        export HOME=/var/lib/postgresql
        as_postgres "${BASH_SOURCE[0]}" "$@"
    fi

    if [ ! -s "$PGDATA/PG_VERSION" ]; then
        if [ -n "${PGDECK_REPLICATE_FROM:-}" ]; then
            init_replica
        else
            init_primary
        fi
    fi
    unset POSTGRES_PASSWORD PGDECK_REPLICATION_PASSWORD
    exec "$@"
}

main "$@"
