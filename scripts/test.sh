#!/usr/bin/env bash
# `make test`: every test of the project against a real database on the
# private cluster, copied from a cached template so repeated runs are fast.
#   1. pure-Python tests (client with `responses`, client vs live sandbox,
#      sandbox rules, access rules, CSV reader): tests/, on CPython 3.7
#   1b. the same Odoo-free core on CPython 3.12 with current requests,
#      responses and Werkzeug (.local/py312), every exchange with the sandbox
#      validated against docs/oletv-api.yaml by openapi-core; plus
#      tests/openapi: openapi-spec-validator, raw HTTP conformance, a
#      schemathesis run against a sandbox.
#   1c. packaging: the addon's wheel (setuptools-odoo, setup/) installed into
#      a clean CPython 3.7 venv beside Odoo, then by Odoo on a fresh database
#      whose addons path does not hold the repository (tests/packaging)
#   2. Odoo tests of the addon (pytest-odoo): oletv_integration/tests/
#   3. OCA contract's own suite, to show the addon does not break it.
#   3b. the crowded house (scripts/test_crowded.sh): the addon beside OCA
#      11.0 addons an ISP runs (auditlog with rules on contracts and TV users,
#      mail_tracking, contract_variable_quantity, contract_payment_mode,
#      mass_editing, mail_activity_done) in one database: the addon's tests,
#      the crowded checks (tests/crowded) and the neighbours' own suites.
#   4. upgrade test: a database of the first release (11.0.1.0.0, a git
#      worktree), filled over XML-RPC, upgraded to the current code
#      (tests/upgrade), compared with the fresh test database.
#   5. system tests: a real Odoo server and job runner against the sandbox's
#      fault injection (tests/system), on a copy of the test database; the
#      first start of a server (concurrent first requests) on another copy.
#   6. browser tests: the seed's four steps, the customer portal and the
#      back office's customer lifecycle in the real web client, headless
#      Chromium (tests/browser), on another copy; screenshots in
#      .local/screenshots, copied to docs/screenshots when they pass.
#   7. lint (`make lint`): pylint-odoo (OCA's configuration, 11.0) and
#      flake8, one testcase per tool in the summary.
source "$(dirname "$0")/lib.sh"

TEST_DB="${OLETV_TEST_DB:-oletv_test_run}"
SYSTEM_DB="${TEST_DB}_system"
UPGRADE_DB="${TEST_DB}_upgrade"
BROWSER_DB="${TEST_DB}_browser"
FIRST_START_DB="${TEST_DB}_first_start"
RESULTS="$LOCAL/test-results"

main() {
    bash "$ROOT/scripts/setup_venv.sh"
    bash "$ROOT/scripts/setup_py312.sh"
    start_private_pg
    bash "$ROOT/scripts/odoo_conf.sh"
    bash "$ROOT/scripts/db.sh" test "$TEST_DB"
    # copied before any test renders a page: a database that never made its web assets
    bash "$ROOT/scripts/db.sh" copy "$TEST_DB" "$FIRST_START_DB"
    rm -rf "$RESULTS" && mkdir -p "$RESULTS"
    local status=0
    cd "$ROOT"
    say "Pure-Python tests: client, sandbox, contract between them"
    "$PY" -m pytest -p no:odoo -p no:cacheprovider tests/ --ignore=tests/system --ignore=tests/browser \
        --ignore=tests/upgrade --ignore=tests/openapi --ignore=tests/packaging --ignore=tests/crowded \
        --junitxml="$RESULTS/pure.xml" || status=1
    say "Odoo-free core on CPython 3.12 (current requests/responses/Werkzeug) and OpenAPI checks"
    OLETV_OPENAPI_VALIDATE=1 "$PY312" -m pytest -p no:cacheprovider tests/ --ignore=tests/system \
        --ignore=tests/browser --ignore=tests/upgrade --ignore=tests/packaging --ignore=tests/crowded \
        --junitxml="$RESULTS/py312.xml" || status=1
    say "Packaging: the wheel in a clean venv beside Odoo, installed on a fresh database"
    OLETV_WHEEL_DB="${TEST_DB}_wheel" "$PY312" -m pytest -p no:cacheprovider tests/packaging \
        --junitxml="$RESULTS/packaging.xml" || status=1
    say "Odoo tests: the addon and OCA contract's own suite, on database $TEST_DB"
    "$PY" -m pytest -p no:cacheprovider --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" \
        --junitxml="$RESULTS/odoo.xml" oletv_integration/tests \
        "$VENV/lib/python3.7/site-packages/odoo/addons/contract/tests" || status=1
    OLETV_RESULTS="$RESULTS" OLETV_NO_SUMMARY=1 bash "$ROOT/scripts/test_crowded.sh" || status=1
    say "Upgrade test: a database of the first release upgraded to the current code"
    bash "$ROOT/scripts/db.sh" copy oletv_test_template "$UPGRADE_DB"
    OLETV_UPGRADE_DB="$UPGRADE_DB" OLETV_FRESH_DB="$TEST_DB" OLETV_ODOO_CONF="$ODOO_CONF" \
        "$PY" -m pytest -p no:odoo -p no:cacheprovider tests/upgrade \
        --junitxml="$RESULTS/upgrade.xml" || status=1
    say "System tests: real Odoo server and job runner under injected faults"
    bash "$ROOT/scripts/db.sh" copy "$TEST_DB" "$SYSTEM_DB"
    OLETV_SYSTEM_DB="$SYSTEM_DB" OLETV_FIRST_START_DB="$FIRST_START_DB" OLETV_ODOO_CONF="$ODOO_CONF" \
        "$PY" -m pytest -p no:odoo -p no:cacheprovider -s tests/system --junitxml="$RESULTS/system.xml" || status=1
    say "Browser tests: four steps, portal, customer lifecycle (headless Chromium)"
    bash "$ROOT/scripts/db.sh" copy "$TEST_DB" "$BROWSER_DB"
    bash "$ROOT/scripts/setup_browser.sh" || status=1  # the test then fails saying why
    OLETV_SYSTEM_DB="$BROWSER_DB" OLETV_ODOO_CONF="$ODOO_CONF" "$PY" -m pytest -p no:odoo \
        -p no:cacheprovider tests/browser --junitxml="$RESULTS/browser.xml" || status=1
    say "Lint: pylint-odoo (OCA's configuration, 11.0) and flake8"
    bash "$ROOT/scripts/lint.sh" --junitxml="$RESULTS/lint.xml" || status=1
    "$PY" "$ROOT/scripts/junit_summary.py" "$RESULTS"/*.xml || status=1
    return $status
}

main "$@"
