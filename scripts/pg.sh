#!/usr/bin/env bash
# Private PostgreSQL cluster for the project: `pg.sh start|stop|status|dir`.
# As root the server runs as the `postgres` user (PostgreSQL refuses root);
# as a normal user it runs as that user. Listens on 127.0.0.1:$OLETV_PG_PORT.
source "$(dirname "$0")/lib.sh"

find_pg_bin() {
    local dir
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
    fi
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    die "PostgreSQL server binaries (initdb, pg_ctl) were not found.
Install them (Debian/Ubuntu: apt-get install postgresql) and run the command again."
}

PG_BIN="$(find_pg_bin)"

as_pg_owner() {
    # From /: the postgres user may not be allowed into the current folder.
    if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# The cluster lives in .local/pg unless the postgres user cannot reach the
# checkout (e.g. a clone under root's mode-700 home): then under the temp dir.
cluster_dir() {
    local preferred="$LOCAL/pg"
    if ! is_root; then echo "$preferred"; return; fi
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' system user to run PostgreSQL."
    mkdir -p "$preferred"
    chown postgres: "$preferred"
    if runuser -u postgres -- test -w "$preferred"; then
        echo "$preferred"
    else
        local fallback="${TMPDIR:-/tmp}/oletv-pg-$(echo "$ROOT" | sha256sum | cut -c1-12)"
        mkdir -p "$fallback" && chown postgres: "$fallback" && chmod 700 "$fallback"
        echo "$fallback"
    fi
}

DATA="$(cluster_dir)/data"

pg_running() { as_pg_owner "$PG_BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; }

init_cluster() {
    [ -f "$DATA/PG_VERSION" ] && return 0
    say "Creating the private PostgreSQL cluster in $DATA"
    as_pg_owner mkdir -p "$DATA"
    as_pg_owner "$PG_BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
}

start_cluster() {
    init_cluster
    pg_running && return 0
    require_port_free "$PG_PORT" "private PostgreSQL" OLETV_PG_PORT
    say "Starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$DATA/../postgresql.log" -w -t 60 \
        -o "-p $PG_PORT -k $DATA -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null \
        || die "PostgreSQL did not start; see $DATA/../postgresql.log"
    ensure_role
}

ensure_role() {
    "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 >/dev/null <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$DB_PASSWORD';
  END IF;
END \$\$;
SQL
}

stop_cluster() {
    pg_running || return 0
    say "Stopping PostgreSQL"
    as_pg_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
}

case "${1:-}" in
    start) start_cluster ;;
    stop) stop_cluster ;;
    status) pg_running && echo "running on 127.0.0.1:$PG_PORT ($DATA)" || echo "stopped ($DATA)" ;;
    dir) echo "$DATA" ;;
    *) die "usage: pg.sh start|stop|status|dir" ;;
esac
