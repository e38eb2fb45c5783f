#!/usr/bin/env bash
# The crowded stage of `make test` (also runnable alone: `bash
# scripts/test_crowded.sh`, about N minutes once set up): oletv_integration in
# one database with OCA 11.0 addons an ISP typically runs beside it
# (requirements/crowded.txt: auditlog, mail_tracking,
# contract_variable_quantity, contract_payment_mode, mass_editing,
# mail_activity_done, and the OCA addons they depend on).
#   - the neighbours are installed with `pip --no-deps --target
#     .local/crowded-addons` (never into .venv), again only when
#     requirements/crowded.txt changes; only this stage's configuration
#     (.local/odoo-crowded.conf) has them on its addons_path;
#   - database OLETV_CROWDED_DB (oletv_test_crowded): a template with the
#     addon's dependencies and the neighbours, with demo data (rebuilt when
#     either changes), then oletv_integration installed on a copy of it;
#     with it, tests/crowded/oletv_crowded: a test-only module whose data are
#     the auditlog rules an ISP's auditor sets (contracts and TV users, full
#     logs, subscribed) and whose tests are the crowded checks (a bulk Block
#     in auditlog, mass editing, mail_tracking, mail_activity_done);
#   - pytest-odoo: the addon's tests (oletv_integration/tests, with those
#     rules active), the crowded checks and the neighbours' own test suites,
#     in one run with one JUnit file.
# Arguments go to pytest (e.g. -x, -k EXPR; --install-only: only install the
# neighbours). Results: .local/test-results/crowded.xml
# (OLETV_RESULTS: another folder), one closing line.
source "$(dirname "$0")/lib.sh"

CROWDED_DB="${OLETV_CROWDED_DB:-oletv_test_crowded}"
CROWDED_REQ="$ROOT/requirements/crowded.txt"
CROWDED_DIR="$LOCAL/crowded-addons"
CROWDED_ADDONS="$CROWDED_DIR/odoo/addons"
CROWDED_CONF="$LOCAL/odoo-crowded.conf"
RESULTS="${OLETV_RESULTS:-$LOCAL/test-results}"
# the stage's own test module (auditlog rules as data, tests/crowded/oletv_crowded)
CHECKS_ADDONS="$ROOT/tests/crowded"
# Neighbour tests that fail without oletv_integration too (node ids relative
# to the repository), each with its reason and proof in docs/develop.md
DESELECTED=()

# The neighbour addons, reinstalled only when requirements/crowded.txt changes.
install_neighbours() {
    local stamp_file="$CROWDED_DIR/.oletv-stamp" stamp
    stamp="$(files_hash "$CROWDED_REQ")"
    [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ] && return 0
    say "Installing the crowded stage's neighbour addons into ${CROWDED_DIR#"$ROOT"/}"
    rm -rf "$CROWDED_DIR"
    "$PY" -m pip install -q --disable-pip-version-check --no-deps --target "$CROWDED_DIR" -r "$CROWDED_REQ"
    echo "$stamp" > "$stamp_file"
}

# The neighbour modules: every addon the wheels brought, comma-separated.
neighbour_modules() {
    (cd "$CROWDED_ADDONS" && for dir in */; do
        [ -f "$dir/__manifest__.py" ] && printf '%s\n' "${dir%/}"
    done) | LC_ALL=C sort | paste -sd, -
}

# Every neighbour's test folder, in the order of their names.
neighbour_tests() {
    local dir
    for dir in "$CROWDED_ADDONS"/*/tests; do
        [ -f "$dir/__init__.py" ] && printf '%s\n' "$dir"
    done
}

main() {
    bash "$ROOT/scripts/setup_venv.sh"
    install_neighbours
    [ "${1:-}" = --install-only ] && return 0
    bash "$ROOT/scripts/setup_py312.sh"  # the notice tests' SMTP server
    start_private_pg
    OLETV_ODOO_CONF="$CROWDED_CONF" OLETV_EXTRA_ADDONS="$CROWDED_ADDONS,$CHECKS_ADDONS" \
        bash "$ROOT/scripts/odoo_conf.sh"
    OLETV_ODOO_CONF="$CROWDED_CONF" bash "$ROOT/scripts/db.sh" crowded "$CROWDED_DB" \
        "$(neighbour_modules)" "$(files_hash "$CROWDED_REQ")" oletv_crowded
    mkdir -p "$RESULTS"
    rm -f "$RESULTS/crowded.xml"
    local status=0 tests=()
    mapfile -t tests < <(neighbour_tests)
    cd "$ROOT"
    say "Crowded house: the addon's tests, the crowded checks and the neighbours' suites on $CROWDED_DB"
    "$PY" -m pytest -p no:cacheprovider --odoo-config="$CROWDED_CONF" --odoo-database="$CROWDED_DB" \
        --junitxml="$RESULTS/crowded.xml" oletv_integration/tests "$CHECKS_ADDONS/oletv_crowded/tests" \
        "${tests[@]}" ${DESELECTED[@]+"${DESELECTED[@]/#/--deselect=}"} "$@" || status=1
    if [ -z "${OLETV_NO_SUMMARY:-}" ]; then
        "$PY" "$ROOT/scripts/junit_summary.py" "$RESULTS/crowded.xml" || status=1
    fi
    return $status
}

main "$@"
