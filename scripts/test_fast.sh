#!/usr/bin/env bash
# `make test-fast`: the inner loop. Without a selection (about 11 minutes on
# 2 CPUs): the pure-Python tests of tests/ (client, sandbox, the Odoo-free
# core, the configuration scripts) on CPython 3.7, then the addon's Odoo tests
# (oletv_integration/tests, pytest-odoo); one closing line for both.
# `make test-fast T=oletv_integration/tests/test_settlement.py` runs only the
# files, directories or node ids named (several, space-separated), and only
# the stage they belong to: under a minute for that file (about 40 seconds).
# `K=EXPR` adds `pytest -k EXPR` (to both stages when T names none).
# The test database is kept between runs (each test's transaction is rolled
# back) while it matches the addon. It is rebuilt from the template (about 20
# seconds more) when any file of oletv_integration but its tests, the
# dependencies or the venv changed since it was built, when the last run on it
# was interrupted, or with OLETV_TEST_FAST_FRESH=1 (scripts/db.sh,
# test-current). `make test` runs these tests and the rest (CPython 3.12,
# OpenAPI, packaging, OCA contract's suite, upgrade, system, browser, lint).
# Sets up what it needs like the other targets: .venv, and for the Odoo tests
# the CPython 3.12 venv (the notice tests' SMTP server), the cluster, the
# template database.
#   OLETV_TEST_FAST_DB (oletv_test_fast): the test database
#   OLETV_TEST_FAST_FRESH=1: rebuild the test database even if it is current
#   arguments: test paths (tests/..., oletv_integration/tests/..., with
#     ::node ids) select; the others go to both pytest runs (e.g. -x, -k EXPR)
source "$(dirname "$0")/lib.sh"

TEST_DB="${OLETV_TEST_FAST_DB:-oletv_test_fast}"
RESULTS="$LOCAL/test-fast-results"
# tests/ subdirectories that need more than this loop gives them: `make test` runs them
NOT_HERE=(system browser upgrade openapi packaging crowded)

PURE=() ODOO=() OPTIONS=()

# select ARG: ARG is a test path (relative to the current directory or to the
# repository, optionally with ::node ids); files it under its stage.
select_path() {
    local arg="$1" file node="" abs rel sub
    file="${arg%%::*}"
    [ "$file" != "$arg" ] && node="::${arg#*::}"
    if [ -e "$file" ]; then abs="$(cd "$(dirname "$file")" && pwd -P)/$(basename "$file")"
    elif [ -e "$ROOT/$file" ]; then abs="$(cd "$ROOT/$(dirname "$file")" && pwd -P)/$(basename "$file")"
    else die "no such test file or directory: $arg"
    fi
    rel="${abs#"$(cd "$ROOT" && pwd -P)"/}"
    rel="${rel%/.}"
    case "$rel" in
        oletv_integration/tests|oletv_integration/tests/*) ODOO+=("$rel$node") ;;
        tests|tests/*)
            for sub in "${NOT_HERE[@]}"; do
                case "$rel" in tests/"$sub"|tests/"$sub"/*)
                    die "$arg: tests/$sub is not part of make test-fast (make test runs it)" ;;
                esac
            done
            PURE+=("$rel$node") ;;
        *) die "$arg: make test-fast runs tests/ and oletv_integration/tests/ only" ;;
    esac
}

parse_args() {
    while [ $# -gt 0 ]; do
        case "$1" in
            -k|-m|-p|--maxfail|--deselect|--ignore|-W|-o)  # options that take a value
                [ $# -ge 2 ] || die "$1 needs a value"
                OPTIONS+=("$1" "$2"); shift ;;
            -*) OPTIONS+=("$1") ;;
            *) select_path "$1" ;;
        esac
        shift
    done
}

# run_stage NAME PYTEST-ARGS...: one pytest run; with a selection, a stage
# that selects nothing (exit 5) is not a failure (the summary fails if no
# test ran at all)
run_stage() {
    local rc=0
    "$PY" -m pytest -p no:cacheprovider -q --junitxml="$RESULTS/$1.xml" "${@:2}" || rc=$?
    if [ "$rc" = 5 ] && [ "$SELECTED" = 1 ]; then rc=0; fi
    return "$rc"
}

main() {
    parse_args "$@"
    local run_pure=1 run_odoo=1 SELECTED=0
    if [ ${#PURE[@]} -gt 0 ] || [ ${#ODOO[@]} -gt 0 ]; then
        SELECTED=1
        [ ${#PURE[@]} -gt 0 ] || run_pure=0
        [ ${#ODOO[@]} -gt 0 ] || run_odoo=0
    fi
    case " ${OPTIONS[*]-} " in *" -k "*|*" -m "*) SELECTED=1 ;; esac
    [ ${#PURE[@]} -gt 0 ] || PURE=(tests/ "${NOT_HERE[@]/#/--ignore=tests/}")
    [ ${#ODOO[@]} -gt 0 ] || ODOO=(oletv_integration/tests)

    bash "$ROOT/scripts/setup_venv.sh"
    if [ "$run_odoo" = 1 ]; then
        bash "$ROOT/scripts/setup_py312.sh"
        start_private_pg
        bash "$ROOT/scripts/odoo_conf.sh"
        if [ "${OLETV_TEST_FAST_FRESH:-}" = 1 ]; then
            bash "$ROOT/scripts/db.sh" test "$TEST_DB"
        else
            bash "$ROOT/scripts/db.sh" test-current "$TEST_DB"
        fi
    fi
    rm -rf "$RESULTS" && mkdir -p "$RESULTS"
    local status=0 rc
    cd "$ROOT"
    if [ "$run_pure" = 1 ]; then
        say "Pure-Python tests: client, sandbox, the Odoo-free core"
        run_stage pure -p no:odoo "${PURE[@]}" ${OPTIONS[@]+"${OPTIONS[@]}"} || status=1
    fi
    if [ "$run_odoo" = 1 ]; then
        say "Odoo tests of the addon on database $TEST_DB"
        bash "$ROOT/scripts/db.sh" hold "$TEST_DB"
        rc=0
        run_stage odoo --odoo-config="$ODOO_CONF" --odoo-database="$TEST_DB" \
            "${ODOO[@]}" ${OPTIONS[@]+"${OPTIONS[@]}"} || rc=$?
        # pytest ended by itself (passed, failed, usage error, nothing
        # selected): every test's transaction was rolled back, the database
        # is as built; otherwise (interrupted, crashed) it is rebuilt next time
        case "$rc" in 0|1|4|5) bash "$ROOT/scripts/db.sh" release "$TEST_DB" ;; esac
        [ "$rc" = 0 ] || status=1
    fi
    "$PY" "$ROOT/scripts/junit_summary.py" "$RESULTS"/*.xml || status=1
    return $status
}

main "$@"
