#!/usr/bin/env bash
# Database helpers: `db.sh demo` creates or updates the demo database;
# `db.sh test NAME` makes a fresh test database from a cached template;
# `db.sh test-current NAME` keeps test database NAME when it was built from
# the current addon and dependencies (its stamp, the database's comment), and
# makes it afresh otherwise; `db.sh crowded NAME MODULES STAMP [ALSO]` makes
# test database NAME from a template that also holds MODULES (the crowded
# stage), with ALSO installed together with the addon;
# `db.sh hold NAME` / `db.sh release NAME` bracket a test run on it, so that a
# run that did not end cleanly (interrupted: a test may have committed) gets
# it rebuilt next time.
source "$(dirname "$0")/lib.sh"

psql_admin() { psql -q -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 "$@"; }
db_exists() { [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
drop_db() { psql_admin -c "DROP DATABASE IF EXISTS \"$1\"" >/dev/null; }
db_comment() { psql_admin -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$1'"; }
set_db_comment() { psql_admin -c "COMMENT ON DATABASE \"$1\" IS '$2'" >/dev/null; }

odoo_init() {  # odoo_init DB ARGS...: run Odoo once (install/update) and stop
    local db="$1"; shift
    local log="$LOCAL/odoo-init-$db.log"
    if ! "$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$db" --stop-after-init --no-http "$@" >"$log" 2>&1 \
       || grep -qE '(ERROR|CRITICAL) ' "$log"; then
        grep -E -A15 '(ERROR|CRITICAL) ' "$log" | head -60 >&2
        die "Odoo could not set up database $db; the full log is $log"
    fi
}

addon_depends() {
    "$PY" -c "import ast,sys; print(','.join(ast.literal_eval(open(sys.argv[1]).read())['depends']))" \
        "$ROOT/oletv_integration/__manifest__.py"
}

# Everything that, when changed, needs the addon reinstalled or updated.
addon_hash() { find "$ROOT/oletv_integration" -type f ! -path '*/tests/*' ! -name '*.pyc' -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16; }

template_stamp() {
    echo "$(files_hash "$ROOT/requirements/constraints.txt" "$ROOT/requirements/no-deps.txt")-$(addon_depends)-pt_BR"
}

# The template holds the addon's dependencies with demo data (the slow part,
# about two minutes); it is rebuilt only when the dependencies change.
# ensure_test_template [TEMPLATE EXTRA-MODULES EXTRA-STAMP]: the crowded
# stage's template holds its neighbour addons too (scripts/test_crowded.sh).
ensure_test_template() {
    local template="${1:-oletv_test_template}" modules stamp
    modules="$(addon_depends)${2:+,$2}"
    stamp="$(template_stamp)${3:+-$3}"
    if db_exists "$template" && [ "$(db_comment "$template")" = "$stamp" ]; then return 0; fi
    say "Building the test template database $template (dependencies with demo data; once, minutes)"
    drop_db "$template"
    odoo_init "$template" -i "$modules"
    # Loaded on the existing database, pt_BR is installed beside en_US
    # (at creation it would replace it as everyone's language).
    odoo_init "$template" --load-language=pt_BR
    set_db_comment "$template" "$stamp"
}

# What a test database is made of: the template's stamp, the venv's (Odoo,
# the dependencies' code, the pruned glue addons) and every file of the addon
# but its tests (addon_hash: contents; plus the list of their names).
test_db_stamp() {
    local names
    names="$(cd "$ROOT/oletv_integration" && find . -type f ! -path '*/tests/*' ! -name '*.pyc' \
        | LC_ALL=C sort | sha256sum | cut -c1-16)"
    echo "test:$(template_stamp):$(cat "$VENV/.oletv-stamp" 2>/dev/null):$(addon_hash):$names"
}

# make_test_db NAME [TEMPLATE EXTRA-MODULES EXTRA-STAMP ALSO]: ALSO, modules
# installed together with the addon (the crowded stage's test module)
make_test_db() {
    local db="$1" template="${2:-oletv_test_template}" also="${5:-}" stamp
    stamp="$(test_db_stamp)"  # before the build: a file changed meanwhile makes the next run rebuild
    ensure_test_template "${@:2:3}"
    drop_db "$db"
    rm -rf "$LOCAL/data/filestore/$db"  # the dropped database's files
    psql_admin -c "CREATE DATABASE \"$db\" TEMPLATE \"$template\" OWNER $DB_USER" >/dev/null
    say "Installing oletv_integration${also:+ and $also} into $db"
    odoo_init "$db" -i "oletv_integration${also:+,$also}"
    set_db_comment "$db" "$stamp"
}

# Keeps test database NAME when its stamp is current, else makes it afresh.
# Tests run in a transaction rolled back at their end (pytest-odoo), so a
# database whose last run ended cleanly holds what the install made.
ensure_test_db() {
    local db="$1"
    if db_exists "$db" && [ "$(db_comment "$db")" = "$(test_db_stamp)" ]; then
        say "Reusing test database $db (built from the current addon; OLETV_TEST_FAST_FRESH=1 rebuilds it)"
        return 0
    fi
    say "Test database $db is missing, older than the addon or left by an interrupted run: rebuilding it"
    make_test_db "$db"
}

# hold NAME: marks NAME as in use by a test run (its stamp then matches
# nothing); release NAME: gives it its stamp back after a run that ended.
hold_test_db() {
    local current
    current="$(db_comment "$1")"
    case "$current" in test:*) set_db_comment "$1" "running:$current" ;; esac
}
release_test_db() {
    local current
    current="$(db_comment "$1")"
    case "$current" in running:test:*) set_db_comment "$1" "${current#running:}" ;; esac
}

# The demo database is updated in place when the addon's code changes, and
# rebuilt when its dependencies or its demo data change (`-u` installs no new
# dependency, and loads no demo invoice again). Its company is a Brazilian
# ISP (scripts/demo_company.py): the dependencies without Odoo's demo data
# (so no journal item exists: Odoo refuses to change a company's currency
# then), BRL for the company and its pricelist (the chart of accounts was
# loaded in USD), pt_BR, the addon with its demo data (its invoices in BRL),
# and pt_BR for the back-office users.
build_demo_db() {
    local demo_company="$ROOT/scripts/demo_company.py"
    drop_db "$DEMO_DB"
    rm -rf "$LOCAL/data/filestore/$DEMO_DB"
    # l10n_generic_coa: the generic chart of accounts (Odoo's demo company, in
    # the US, gets it; without demo data the company has no country yet)
    odoo_init "$DEMO_DB" -i "$(addon_depends),l10n_generic_coa" --without-demo=all
    "$PY" "$demo_company" "$ODOO_CONF" "$DEMO_DB" currency
    odoo_init "$DEMO_DB" --load-language=pt_BR
    odoo_init "$DEMO_DB" -i oletv_integration
    "$PY" "$demo_company" "$ODOO_CONF" "$DEMO_DB" language
}

ensure_demo_db() {
    local deps_stamp code_stamp current
    deps_stamp="$( (addon_depends; cat "$ROOT"/oletv_integration/demo/*.xml \
        "$ROOT/scripts/demo_company.py") | sha256sum | cut -c1-8)"
    code_stamp="$(addon_hash)"
    current="$(db_exists "$DEMO_DB" && db_comment "$DEMO_DB" || true)"
    if [ "$current" = "$deps_stamp:$code_stamp" ]; then
        return 0
    elif [ "${current%%:*}" = "$deps_stamp" ]; then
        say "Updating oletv_integration in $DEMO_DB"
        odoo_init "$DEMO_DB" -u oletv_integration
    else
        say "Creating database $DEMO_DB with the addon and demo data (first time: a few minutes)"
        build_demo_db
    fi
    set_db_comment "$DEMO_DB" "$deps_stamp:$code_stamp"
}

case "${1:-}" in
    demo) ensure_demo_db ;;
    test) make_test_db "${2:?database name}" ;;
    # crowded NAME MODULES STAMP ALSO: a test database whose template also
    # holds MODULES (comma-separated; rebuilt when STAMP changes), and ALSO
    # installed with the addon
    crowded) make_test_db "${2:?database name}" oletv_test_crowded_template "${3:?modules}" \
                 "${4:?stamp}" "${5:-}" ;;
    test-current) ensure_test_db "${2:?database name}" ;;
    hold) hold_test_db "${2:?database name}" ;;
    release) release_test_db "${2:?database name}" ;;
    template) ensure_test_template ;;
    copy) drop_db "${3:?target}"
          rm -rf "$LOCAL/data/filestore/$3"  # the dropped database's files
          psql_admin -c "CREATE DATABASE \"$3\" TEMPLATE \"${2:?source}\" OWNER $DB_USER" >/dev/null ;;
    *) die "usage: db.sh demo | db.sh test NAME | db.sh crowded NAME MODULES STAMP [ALSO] | db.sh test-current NAME | db.sh hold NAME | db.sh release NAME | db.sh template | db.sh copy SOURCE TARGET" ;;
esac
