#!/usr/bin/env bash
# `make test-fast`: the inner loop (about 10 minutes on 2 CPUs): the pure-Python tests of
# tests/ (client, sandbox, the Odoo-free core, the configuration scripts) on
# CPython 3.7, then the addon's Odoo tests (oletv_integration/tests, pytest-odoo)
# on a fresh test database; one closing line for both. `make test` runs these
# and the rest (CPython 3.12, OpenAPI, packaging, OCA contract's suite,
# upgrade, system, browser, lint). Sets up what it needs like the other
# targets: .venv, the CPython 3.12 venv (the notice tests' SMTP server), the
# cluster, the template database.
#   OLETV_TEST_FAST_DB (oletv_test_fast): the test database
#   arguments: passed to both pytest runs (e.g. -x)
source "$(dirname "$0")/lib.sh"

TEST_DB="${OLETV_TEST_FAST_DB:-oletv_test_fast}"
RESULTS="$LOCAL/test-fast-results"

main() {
    bash "$ROOT/scripts/setup_venv.sh"
    bash "$ROOT/scripts/setup_py312.sh"
    start_private_pg
    bash "$ROOT/scripts/odoo_conf.sh"
    bash "$ROOT/scripts/db.sh" test "$TEST_DB"
    rm -rf "$RESULTS" && mkdir -p "$RESULTS"
    local status=0
    cd "$ROOT"
    say "Pure-Python tests: client, sandbox, the Odoo-free core"
    "$PY" -m pytest -p no:odoo -p no:cacheprovider -q tests/ --ignore=tests/system \
        --ignore=tests/browser --ignore=tests/upgrade --ignore=tests/openapi \
        --ignore=tests/packaging --junitxml="$RESULTS/pure.xml" "$@" || status=1
    say "Odoo tests of the addon on database $TEST_DB"
    "$PY" -m pytest -p no:cacheprovider -q --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" \
        --junitxml="$RESULTS/odoo.xml" oletv_integration/tests "$@" || status=1
    "$PY" "$ROOT/scripts/junit_summary.py" "$RESULTS"/*.xml || status=1
    return $status
}

main "$@"
