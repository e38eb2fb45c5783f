#!/usr/bin/env bash
# `make run`: Odoo (with the queue_job runner), the Olé TV sandbox and the
# demo database, all on 127.0.0.1. Ctrl-C stops everything it started.
source "$(dirname "$0")/lib.sh"

PIDS=()
PG_STARTED_HERE=0

cleanup() {
    trap - INT TERM EXIT
    say "Stopping"
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    if [ "$PG_STARTED_HERE" = 1 ]; then bash "$ROOT/scripts/pg.sh" stop; fi
}

wait_for_url() {  # wait_for_url URL WHAT SECONDS
    local i
    for i in $(seq "$3"); do
        "$PY" "$ROOT/scripts/http_up.py" "$1" && return 0
        sleep 1
    done
    die "$2 did not answer on $1 within $3 s"
}

start_sandbox() {
    say "Starting the Olé TV sandbox on 127.0.0.1:$SANDBOX_PORT"
    "$PY" -m oletv_sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" --db "$LOCAL/sandbox.sqlite" \
        > "$LOCAL/sandbox.log" 2>&1 &
    PIDS+=($!)
    wait_for_url "http://127.0.0.1:$SANDBOX_PORT/v1/ping" "The Olé TV sandbox" 20
}

start_odoo() {
    say "Starting Odoo on 127.0.0.1:$ODOO_PORT"
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DEMO_DB" --db-filter "^$DEMO_DB\$" &
    PIDS+=($!)
    wait_for_url "http://127.0.0.1:$ODOO_PORT/web/login" "Odoo" 90
}

main() {
    bash "$ROOT/scripts/setup_venv.sh"
    bash "$ROOT/scripts/pg.sh" status | grep -q running || PG_STARTED_HERE=1
    trap cleanup INT TERM EXIT
    bash "$ROOT/scripts/pg.sh" start
    require_port_free "$ODOO_PORT" "Odoo HTTP" OLETV_ODOO_PORT
    require_port_free "$LONGPOLL_PORT" "Odoo long-polling" OLETV_LONGPOLL_PORT
    require_port_free "$SANDBOX_PORT" "Olé TV sandbox" OLETV_SANDBOX_PORT
    bash "$ROOT/scripts/odoo_conf.sh"
    bash "$ROOT/scripts/db.sh" demo
    bash "$ROOT/scripts/odoo_conf.sh" "$DEMO_DB"
    start_sandbox
    "$PY" "$ROOT/scripts/demo_bootstrap.py" --db "$DEMO_DB" --sandbox-url "http://127.0.0.1:$SANDBOX_PORT" \
        --pg-port "$PG_PORT" --phase before-server
    start_odoo
    "$PY" "$ROOT/scripts/demo_bootstrap.py" --db "$DEMO_DB" --sandbox-url "http://127.0.0.1:$SANDBOX_PORT" \
        --odoo-url "http://127.0.0.1:$ODOO_PORT" --phase after-server
    cat <<MSG

  Odoo:            http://127.0.0.1:$ODOO_PORT   (login admin / password admin, database $DEMO_DB)
  Olé TV sandbox:  http://127.0.0.1:$SANDBOX_PORT   (admin surface: /_admin/state, header X-Admin-Key: sandbox-admin)
  Press Ctrl-C to stop everything.

MSG
    wait
}

main "$@"
