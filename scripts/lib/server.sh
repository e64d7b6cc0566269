# shellcheck shell=bash disable=SC2034  # the SR_SERVER_* variables are set for the sourcing script
#
# scripts/lib/server.sh: start, kill and restart a real `strongroom serve` process on
# loopback for the reliability suites (scripts/crash-test, scripts/db-fault-test, …).
# Sourced, not run; sets no shell options; every function returns non-zero on failure after
# saying why on stderr.
#
# The binary is $STRONGROOM_BIN when set, else the debug build's (scripts/test builds it
# before the suites run; run `swift build` first when calling a suite by hand).
#
# Typical use:
#     source scripts/lib/server.sh
#     sr_server_init            # binary, a work directory, a random admin password
#     trap 'sr_server_cleanup' EXIT
#     sr_server_start "$SR_WORK/data" --database-url "$url"
#     curl "$SR_SERVER_URL/health"
#     sr_server_kill            # SIGKILL, no goodbye
#     sr_server_start "$SR_WORK/data" …   # same data, a new port
#
# Storage: `sr_backend_prepare sqlite|postgres` sets SR_BACKEND_ARGS, the flags that point
# `serve` at a fresh database of that backend, and SR_AUDIT_ARGS, the same for the audit
# commands. PostgreSQL is the STRONGROOM_TEST_POSTGRES_URL / _SERVICE_URL server when set
# (scripts/test exports them), else a throwaway cluster that sr_server_cleanup stops.
#
# Variables:
#   SR_BIN               the strongroom binary
#   SR_WORK              a fresh temp directory (removed by sr_server_cleanup unless SR_KEEP_WORK=1)
#   SR_ADMIN_PASSWORD    the bootstrap administrator's password (random; user `admin`)
#   SR_SERVER_PID        the running server's pid, empty when none
#   SR_SERVER_URL        its base URL, e.g. http://127.0.0.1:40123
#   SR_SERVER_LOG        its log file (stdout and stderr, appended across restarts)

# shellcheck source=scripts/lib/postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/postgres.sh"

sr_server_log() {
    printf '%s: %s\n' "${SR_SUITE:-server.sh}" "$*" >&2
}

# Find the binary, make the work directory and the administrator's password.
sr_server_init() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    SR_BIN=${STRONGROOM_BIN:-$root/.build/debug/strongroom}
    [[ -x $SR_BIN ]] || { sr_server_log "no strongroom binary at $SR_BIN (run swift build, or set STRONGROOM_BIN)"; return 1; }
    SR_WORK=$(mktemp -d "${TMPDIR:-/tmp}/strongroom-${SR_SUITE:-suite}.XXXXXX") || return 1
    SR_SERVER_LOG=$SR_WORK/server.log
    : >"$SR_SERVER_LOG"
    # 32 hex digits: long enough for the password policy, and never contains "admin".
    SR_ADMIN_PASSWORD=pw-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
    SR_SERVER_PID=''
    SR_SERVER_URL=''
}

# Start `strongroom serve --data-dir $1 --port 0 [more args]`; wait (up to 60 s) for its
# "listening on URL" line and set SR_SERVER_PID and SR_SERVER_URL. Extra environment for the
# server can be given through SR_SERVER_ENV (an array of NAME=VALUE).
sr_server_start() {
    local data=$1 mark line i
    shift
    mark=$(wc -l <"$SR_SERVER_LOG")
    env STRONGROOM_BOOTSTRAP_ADMIN_PASSWORD="$SR_ADMIN_PASSWORD" "${SR_SERVER_ENV[@]}" \
        "$SR_BIN" serve --data-dir "$data" --port 0 --log-level "${SR_SERVER_LOG_LEVEL:-warning}" "$@" \
        >>"$SR_SERVER_LOG" 2>&1 </dev/null &
    SR_SERVER_PID=$!
    for ((i = 0; i < 600; i++)); do
        line=$(tail -n "+$((mark + 1))" "$SR_SERVER_LOG" | grep -m 1 -o 'listening on https\?://[^ ]*' || true)
        if [[ -n $line ]]; then
            SR_SERVER_URL=${line#listening on }
            return 0
        fi
        if ! kill -0 "$SR_SERVER_PID" 2>/dev/null; then
            sr_server_log "the server exited before listening; its log:"
            tail -n "+$((mark + 1))" "$SR_SERVER_LOG" >&2
            SR_SERVER_PID=''
            return 1
        fi
        sleep 0.1
    done
    sr_server_log "the server did not start listening within 60 s"
    sr_server_kill
    return 1
}

# SIGKILL the server (as a crash would) and reap it.
sr_server_kill() {
    [[ -n $SR_SERVER_PID ]] || return 0
    kill -KILL "$SR_SERVER_PID" 2>/dev/null || true
    wait "$SR_SERVER_PID" 2>/dev/null || true
    SR_SERVER_PID=''
}

# SIGTERM the server and wait (up to 30 s) for it to finish its requests and exit.
sr_server_stop() {
    local i
    [[ -n $SR_SERVER_PID ]] || return 0
    kill -TERM "$SR_SERVER_PID" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do
        kill -0 "$SR_SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SR_SERVER_PID" 2>/dev/null; then
        sr_server_log "the server did not stop within 30 s of SIGTERM; killing it"
        sr_server_kill
        return 1
    fi
    wait "$SR_SERVER_PID" 2>/dev/null || true
    SR_SERVER_PID=''
}

# Point SR_BACKEND_ARGS and SR_AUDIT_ARGS at a fresh database of backend $1 (see the top).
sr_backend_prepare() {
    local owner service name
    SR_BACKEND_ARGS=()
    SR_AUDIT_ARGS=()
    case $1 in
        sqlite) return 0 ;;
        postgres) ;;
        *) sr_server_log "unknown backend $1 (sqlite or postgres)"; return 1 ;;
    esac
    if [[ -n ${STRONGROOM_TEST_POSTGRES_URL:-} ]]; then
        owner=$STRONGROOM_TEST_POSTGRES_URL
        service=${STRONGROOM_TEST_POSTGRES_SERVICE_URL:-}
        [[ -n $service ]] || { sr_server_log "STRONGROOM_TEST_POSTGRES_SERVICE_URL must be set with STRONGROOM_TEST_POSTGRES_URL"; return 1; }
    else
        if [[ -z ${SR_PG_DIR:-} ]]; then
            sr_pg_install && sr_pg_start || { sr_server_log "could not start a throwaway PostgreSQL"; return 1; }
            SR_OWN_PG=1
        fi
        owner=$SR_PG_OWNER_URL
        service=$SR_PG_SERVICE_URL
    fi
    name=${SR_SUITE//-/_}_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
    sr_pg_create_database "$owner" "$name" || return 1
    SR_BACKEND_ARGS=(--database-url "$(sr_pg_url_with_database "$service" "$name")"
        --database-owner-url "$(sr_pg_url_with_database "$owner" "$name")")
    SR_AUDIT_ARGS=(--database-url "$(sr_pg_url_with_database "$service" "$name")")
}

# Kill a server still running and remove the work directory (kept, with the log's path
# printed, when SR_KEEP_WORK=1).
sr_server_cleanup() {
    sr_server_kill
    if [[ ${SR_OWN_PG:-0} == 1 ]]; then
        sr_pg_stop || true
        SR_OWN_PG=0
    fi
    [[ -n ${SR_WORK:-} && -d $SR_WORK ]] || return 0
    if [[ ${SR_KEEP_WORK:-0} == 1 ]]; then
        sr_server_log "work directory kept: $SR_WORK"
    else
        rm -rf "$SR_WORK"
    fi
}

# `strongroom` run with the suite's administrator credentials in the environment the bench reads.
sr_strongroom() {
    STRONGROOM_BENCH_PASSWORD=$SR_ADMIN_PASSWORD "$SR_BIN" "$@"
}

# A random integer from $1 to $2 inclusive.
sr_random_between() {
    printf '%s\n' $(($1 + RANDOM % ($2 - $1 + 1)))
}
