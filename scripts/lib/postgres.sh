# shellcheck shell=bash disable=SC2034  # the SR_PG_* variables are set for the sourcing script
#
# scripts/lib/postgres.sh: start and stop a throwaway PostgreSQL cluster for tests.
#
# Source this file (do not execute it) from a bash script; it sets no shell options and
# works under `set -euo pipefail`. Every function returns non-zero on failure (after
# printing why on stderr), so callers can write `sr_pg_start || exit 1`.
#
# Typical use:
#     source scripts/lib/postgres.sh
#     trap 'sr_pg_stop' EXIT
#     sr_pg_install && sr_pg_start
#     ... use "$SR_PG_OWNER_URL" and "$SR_PG_SERVICE_URL" ...
#
# The cluster lives in a fresh `mktemp -d` directory, listens on 127.0.0.1 only (plus a
# unix socket inside that directory), uses scram-sha-256 password authentication for
# every connection, and never touches the Debian-managed clusters (no pg_ctlcluster, no
# systemd). When run as root, initdb/pg_ctl run as the `postgres` system user.
#
# Variables set by these functions (all prefixed SR_PG_):
#   SR_PG_BINDIR            server binaries directory, e.g. /usr/lib/postgresql/15/bin
#   SR_PG_VERSION           server version, e.g. "15.18 (Debian 15.18-0+deb12u1)"
#   SR_PG_DIR               the temp directory holding everything below (removed by sr_pg_stop)
#   SR_PG_DATA              data directory ($SR_PG_DIR/data)
#   SR_PG_SOCKDIR           unix socket directory ($SR_PG_DIR/sock)
#   SR_PG_LOG               server log file ($SR_PG_DIR/postgres.log)
#   SR_PG_HOST, SR_PG_PORT  TCP address of the server (127.0.0.1 and a free port)
#   SR_PG_OWNER_USER        superuser created by initdb ("strongroom_owner")
#   SR_PG_OWNER_PASSWORD    its random password
#   SR_PG_SERVICE_USER      LOGIN role without SUPERUSER/CREATEDB/CREATEROLE ("strongroom_service")
#   SR_PG_SERVICE_PASSWORD  its random password
#   SR_PG_OWNER_URL         postgres://strongroom_owner:PW@127.0.0.1:PORT/postgres
#   SR_PG_SERVICE_URL       postgres://strongroom_service:PW@127.0.0.1:PORT/postgres
#
# Optional inputs:
#   SR_PG_MAX_CONNECTIONS   max_connections of the server (default 400: the whole suite on two
#                           cores opens more than 200 at its peak, and a refused connection
#                           is a 503 in a process test, not a finding)
#   SR_PG_KEEP_LOG          if set to a path, sr_pg_stop copies the server log there first

# shellcheck source=scripts/lib/packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

SR_PG_HOST=127.0.0.1
SR_PG_OWNER_USER=strongroom_owner
SR_PG_SERVICE_USER=strongroom_service

# Print a message on stderr, prefixed with "postgres.sh:".
sr_pg_log() {
    printf 'postgres.sh: %s\n' "$*" >&2
}

# Print a random 32-hex-digit password on stdout (from /dev/urandom).
sr_pg_random_password() {
    local pw
    pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n') || return 1
    [[ ${#pw} -eq 32 ]] || { sr_pg_log "could not read /dev/urandom"; return 1; }
    printf '%s\n' "$pw"
}

# Set SR_PG_BINDIR to the newest /usr/lib/postgresql/*/bin holding initdb, pg_ctl and postgres; return 1 if none.
sr_pg_find_bindir() {
    local dir found=""
    # Versions sort numerically (9.6 < 10 < 15); the last match wins.
    while IFS= read -r dir; do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres && -x $dir/psql ]]; then
            found=$dir
        fi
    done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V)
    [[ -n $found ]] || return 1
    SR_PG_BINDIR=$found
}

# Make sure the PostgreSQL server binaries are installed (apt-get install postgresql if not) and set SR_PG_BINDIR.
sr_pg_install() {
    if sr_pg_find_bindir; then
        return 0
    fi
    sr_pg_log "PostgreSQL server not found under /usr/lib/postgresql/*/bin; installing the Debian package"
    sr_apt_install postgresql || return 1
    sr_pg_find_bindir || { sr_pg_log "postgresql installed, but no server binaries under /usr/lib/postgresql/*/bin"; return 1; }
}

# Print a free TCP port on 127.0.0.1 on stdout (asks the kernel via python3 when available).
sr_pg_free_port() {
    local port
    if command -v python3 >/dev/null 2>&1 &&
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null) &&
        [[ $port =~ ^[0-9]+$ ]]; then
        printf '%s\n' "$port"
        return 0
    fi
    # No python3: try random ports below the kernel's ephemeral range until nothing answers.
    local i
    for ((i = 0; i < 50; i++)); do
        port=$((20000 + RANDOM % 10000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    sr_pg_log "could not find a free TCP port"
    return 1
}

# Run a command as the cluster's OS user: `postgres` when we are root, else ourselves (cwd /, LC_ALL=C).
sr_pg_as_server_user() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            (cd / && LC_ALL=C runuser -u postgres -- "$@")
        else
            local cmd
            printf -v cmd '%q ' "$@"
            (cd / && LC_ALL=C su postgres -s /bin/bash -c "$cmd")
        fi
    else
        (cd / && LC_ALL=C "$@")
    fi
}

# Run psql against the cluster over TCP as role $1 with password $2; further arguments go to psql.
sr_pg_psql() {
    local user=$1 password=$2
    shift 2
    PGPASSWORD=$password PGSSLMODE=disable PGCONNECT_TIMEOUT=10 \
        "$SR_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 \
        -h "$SR_PG_HOST" -p "$SR_PG_PORT" -U "$user" -d postgres "$@"
}

# Start the server of the existing cluster in $SR_PG_DATA on $SR_PG_PORT (used by sr_pg_start; also for restarts).
sr_pg_server_start() {
    local out
    if ! out=$(sr_pg_as_server_user "$SR_PG_BINDIR/pg_ctl" -D "$SR_PG_DATA" -w -t 60 -l "$SR_PG_LOG" \
        -o "-p $SR_PG_PORT -c listen_addresses=$SR_PG_HOST -k $SR_PG_SOCKDIR -c fsync=on -c max_connections=${SR_PG_MAX_CONNECTIONS:-400}" \
        start 2>&1); then
        sr_pg_log "pg_ctl start failed (port $SR_PG_PORT): $out"
        return 1
    fi
}

# Stop the server of the cluster in $SR_PG_DATA, if running; $1 is the pg_ctl mode (default fast).
sr_pg_server_stop() {
    local mode=${1:-fast} out pid
    [[ -n ${SR_PG_DATA:-} && -f $SR_PG_DATA/postmaster.pid ]] || return 0
    if out=$(sr_pg_as_server_user "$SR_PG_BINDIR/pg_ctl" -D "$SR_PG_DATA" -m "$mode" -w -t 60 stop 2>&1); then
        return 0
    fi
    sr_pg_log "pg_ctl stop -m $mode failed: $out"
    # Last resort: kill the postmaster (first line of postmaster.pid) and its children.
    pid=$(head -n 1 "$SR_PG_DATA/postmaster.pid" 2>/dev/null || true)
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        sr_pg_log "killing postmaster $pid"
        pkill -KILL -P "$pid" 2>/dev/null || true
        kill -KILL "$pid" 2>/dev/null || true
        sleep 1
    fi
    return 1
}

# Create a throwaway cluster in a new temp dir, start it on a free port, create the service role, set SR_PG_* (see top).
sr_pg_start() {
    if [[ -n ${SR_PG_DIR:-} ]]; then
        sr_pg_log "a cluster is already running in $SR_PG_DIR"
        return 1
    fi
    if [[ -z ${SR_PG_BINDIR:-} ]]; then
        sr_pg_find_bindir || { sr_pg_log "PostgreSQL is not installed (call sr_pg_install)"; return 1; }
    fi
    local as_root=0
    [[ $(id -u) -eq 0 ]] && as_root=1

    # The temp dir must be reachable by the postgres user when we are root: fall back to /tmp if
    # $TMPDIR lies below a directory it cannot enter (e.g. /root).
    SR_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/strongroom-pg.XXXXXXXX") || { SR_PG_DIR=''; return 1; }
    if ((as_root)); then
        chown postgres:postgres "$SR_PG_DIR" || return 1
        if ! sr_pg_as_server_user test -w "$SR_PG_DIR"; then
            rmdir "$SR_PG_DIR"
            SR_PG_DIR=$(mktemp -d /tmp/strongroom-pg.XXXXXXXX) || { SR_PG_DIR=''; return 1; }
            chown postgres:postgres "$SR_PG_DIR" || return 1
        fi
    fi
    SR_PG_DATA=$SR_PG_DIR/data
    SR_PG_SOCKDIR=$SR_PG_DIR/sock
    SR_PG_LOG=$SR_PG_DIR/postgres.log

    SR_PG_VERSION=$("$SR_PG_BINDIR/postgres" --version) || return 1
    SR_PG_VERSION=${SR_PG_VERSION#postgres (PostgreSQL) }
    SR_PG_OWNER_PASSWORD=$(sr_pg_random_password) || return 1
    SR_PG_SERVICE_PASSWORD=$(sr_pg_random_password) || return 1

    # initdb reads the superuser password from a file readable only by the server user.
    local pwfile=$SR_PG_DIR/pwfile out
    (umask 077 && printf '%s\n' "$SR_PG_OWNER_PASSWORD" >"$pwfile") || return 1
    if ((as_root)); then chown postgres:postgres "$pwfile" || return 1; fi
    sr_pg_as_server_user mkdir -m 0700 "$SR_PG_SOCKDIR" || return 1
    if ! out=$(sr_pg_as_server_user "$SR_PG_BINDIR/initdb" -D "$SR_PG_DATA" \
        --username="$SR_PG_OWNER_USER" --pwfile="$pwfile" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C 2>&1); then
        rm -f "$pwfile"
        sr_pg_log "initdb failed: $out"
        return 1
    fi
    rm -f "$pwfile"

    # Another process may grab the port between choosing and binding it: retry with a new one.
    local attempt
    for attempt in 1 2 3 4 5; do
        SR_PG_PORT=$(sr_pg_free_port) || return 1
        if sr_pg_server_start; then
            break
        fi
        if [[ $attempt -eq 5 ]] || ! grep -q -e 'could not bind' -e 'could not create any TCP/IP sockets' "$SR_PG_LOG" 2>/dev/null; then
            sr_pg_log "server log ($SR_PG_LOG):"
            tail -n 30 "$SR_PG_LOG" >&2 2>/dev/null || true
            return 1
        fi
        sr_pg_log "port $SR_PG_PORT was taken; retrying with another port"
        : >"$SR_PG_LOG"
    done

    # The password is sent on stdin (not argv); it contains only hex digits, so no quoting issues.
    if ! out=$(sr_pg_psql "$SR_PG_OWNER_USER" "$SR_PG_OWNER_PASSWORD" 2>&1 <<SQL
CREATE ROLE $SR_PG_SERVICE_USER LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD '$SR_PG_SERVICE_PASSWORD';
SQL
    ); then
        sr_pg_log "creating role $SR_PG_SERVICE_USER failed: $out"
        return 1
    fi

    SR_PG_OWNER_URL="postgres://$SR_PG_OWNER_USER:$SR_PG_OWNER_PASSWORD@$SR_PG_HOST:$SR_PG_PORT/postgres"
    SR_PG_SERVICE_URL="postgres://$SR_PG_SERVICE_USER:$SR_PG_SERVICE_PASSWORD@$SR_PG_HOST:$SR_PG_PORT/postgres"
}

# Stop the throwaway cluster (if running) and remove its temp dir; safe to call twice or after a failed sr_pg_start.
sr_pg_stop() {
    local rc=0
    [[ -n ${SR_PG_DIR:-} ]] || return 0
    if [[ -n ${SR_PG_KEEP_LOG:-} && -f ${SR_PG_LOG:-} ]]; then
        cp "$SR_PG_LOG" "$SR_PG_KEEP_LOG" || rc=1
    fi
    sr_pg_server_stop fast || rc=1
    # Only ever remove a directory that sr_pg_start created.
    case $SR_PG_DIR in
        */strongroom-pg.????????) rm -rf -- "$SR_PG_DIR" || rc=1 ;;
        *) sr_pg_log "not removing unexpected directory $SR_PG_DIR"; rc=1 ;;
    esac
    SR_PG_DIR='' SR_PG_DATA='' SR_PG_SOCKDIR='' SR_PG_LOG='' SR_PG_PORT=''
    SR_PG_OWNER_PASSWORD='' SR_PG_SERVICE_PASSWORD='' SR_PG_OWNER_URL='' SR_PG_SERVICE_URL=''
    return "$rc"
}

# Print URL $1 with its database (the last path segment) replaced by $2.
sr_pg_url_with_database() {
    printf '%s/%s\n' "${1%/*}" "$2"
}

# Create database $2 on the server of owner URL $1 (through psql, found with the cluster's
# binaries or on PATH), for a suite that needs a database of its own.
sr_pg_create_database() {
    local url=$1 name=$2 psql=psql
    [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { sr_pg_log "bad database name: $name"; return 1; }
    if [[ -n ${SR_PG_BINDIR:-} ]] || sr_pg_find_bindir; then psql=$SR_PG_BINDIR/psql; fi
    PGCONNECT_TIMEOUT=10 "$psql" -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE DATABASE $name" >&2 ||
        { sr_pg_log "could not create database $name"; return 1; }
}
