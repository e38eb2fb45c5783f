#!/usr/bin/env bash
# `make check`: the addon's tests under Odoo's own runner (what runbot, OCA
# CI and an integrator's pipeline run): a fresh database from the template,
# `-i oletv_integration --test-enable`. Prints the number of tests run and
# fails on any failed test. `make test` runs the same tests with pytest-odoo.
# Sets up what the tests need: .venv, the CPython 3.12 venv (the SMTP server
# of the notice tests runs on it), the cluster and the template database.
source "$(dirname "$0")/lib.sh"
DB="${OLETV_RUNNER_DB:-oletv_odoo_runner}"
LOG="$LOCAL/odoo-runner.log"

main() {
    bash "$ROOT/scripts/setup_venv.sh"
    bash "$ROOT/scripts/setup_py312.sh"
    start_private_pg
    bash "$ROOT/scripts/odoo_conf.sh"
    bash "$ROOT/scripts/db.sh" template
    bash "$ROOT/scripts/db.sh" copy oletv_test_template "$DB"
    rm -f "$LOG"
    say "Odoo's test runner: -i oletv_integration --test-enable on $DB (about 9 minutes)"
    local status=0
    "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" -i oletv_integration --test-enable \
        --stop-after-init --no-http --logfile "$LOG" || status=1
    local ran failed
    ran="$(grep -oE 'odoo\.addons\.oletv_integration\.tests\.[a-z0-9_]+: Ran [0-9]+ tests?' "$LOG" \
           | awk '{sum += $(NF-1)} END {print sum + 0}')"
    failed="$(grep -cE 'oletv_integration\.tests\.[a-z0-9_]+: (FAIL|ERROR): ' "$LOG" || true)"
    echo "Odoo's runner: $ran tests run, $failed failed or in error (log: $LOG)"
    [ "$ran" -gt 0 ] && [ "$failed" = 0 ] && [ "$status" = 0 ]
}

main "$@"
