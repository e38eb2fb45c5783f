#!/usr/bin/env bash
# `make test-fast`: the inner loop. Without a selection: the pure-Python
# tests of tests/ (client, sandbox, the Odoo-free core, the configuration
# scripts) on CPython 3.7, then the addon's Odoo tests (oletv_integration/tests,
# pytest-odoo) in two shards side by side, one database each, the files split
# by their last times (scripts/shard_tests.py); one closing line for all.
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
#   OLETV_TEST_FAST_DB (oletv_test_fast): the test database (the second
#     shard's: oletv_test_fast_2)
#   OLETV_TEST_FAST_SHARDS (2): the shards of the whole addon suite (1: one run)
#   OLETV_TEST_FAST_FRESH=1: rebuild the test database even if it is current
#   arguments: test paths (tests/..., oletv_integration/tests/..., with
#     ::node ids) select; the others go to both pytest runs (e.g. -x, -k EXPR)
source "$(dirname "$0")/lib.sh"

TEST_DB="${OLETV_TEST_FAST_DB:-oletv_test_fast}"
SHARDS="${OLETV_TEST_FAST_SHARDS:-2}"
TIMES="$LOCAL/test-fast-times.json"
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

# plan_shards: SHARD_DBS and SHARD_FILES (one line of test paths each). The
# whole addon suite runs in $SHARDS shards side by side, one database each
# (the first is $TEST_DB, the others ${TEST_DB}_2...), the files split by
# their last times (scripts/shard_tests.py); a selection runs on $TEST_DB.
plan_shards() {
    SHARD_DBS=("$TEST_DB") SHARD_FILES=("${ODOO[*]}")
    if [ "$SELECTED" = 1 ] || [ "$SHARDS" -le 1 ]; then return 0; fi
    local i files
    mapfile -t SHARD_FILES < <(cd "$ROOT" && "$PY" "$ROOT/scripts/shard_tests.py" split \
        "$SHARDS" "$TIMES" oletv_integration/tests/test_*.py)
    for ((i = 2; i <= SHARDS; i++)); do SHARD_DBS+=("${TEST_DB}_$i"); done
}

# run_odoo_shards: the addon's Odoo tests, each shard on its database, side
# by side; their output one after the other once all have ended.
run_odoo_shards() {
    local i db rc status=0 count=${#SHARD_DBS[@]}
    say "Odoo tests of the addon on database(s) ${SHARD_DBS[*]}"
    for ((i = 0; i < count; i++)); do
        db="${SHARD_DBS[$i]}"
        bash "$ROOT/scripts/db.sh" hold "$db"
        # shellcheck disable=SC2086  # a shard's line is a list of paths
        ( rc=0
          run_stage "odoo_$((i + 1))" --odoo-config="$ODOO_CONF" --odoo-database="$db" \
              ${SHARD_FILES[$i]} ${OPTIONS[@]+"${OPTIONS[@]}"} >"$RESULTS/odoo_$((i + 1)).log" 2>&1 \
              || rc=$?
          echo "$rc" >"$RESULTS/odoo_$((i + 1)).rc" ) &
    done
    wait
    for ((i = 0; i < count; i++)); do
        db="${SHARD_DBS[$i]}"
        [ "$count" = 1 ] || say "Shard $((i + 1)) of $count (database $db)"
        cat "$RESULTS/odoo_$((i + 1)).log"
        rc="$(cat "$RESULTS/odoo_$((i + 1)).rc" 2>/dev/null || echo 2)"
        # pytest ended by itself (passed, failed, usage error, nothing
        # selected): every test's transaction was rolled back, the database
        # is as built; otherwise (interrupted, crashed) it is rebuilt next time
        case "$rc" in 0|1|4|5) bash "$ROOT/scripts/db.sh" release "$db" ;; esac
        [ "$rc" = 0 ] || status=1
    done
    if [ "$count" -gt 1 ]; then
        "$PY" "$ROOT/scripts/shard_tests.py" record "$TIMES" "$RESULTS"/odoo_*.xml || true
    fi
    return $status
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
        plan_shards
        for db in "${SHARD_DBS[@]}"; do
            if [ "${OLETV_TEST_FAST_FRESH:-}" = 1 ]; then
                bash "$ROOT/scripts/db.sh" test "$db"
            else
                bash "$ROOT/scripts/db.sh" test-current "$db"
            fi
        done
    fi
    rm -rf "$RESULTS" && mkdir -p "$RESULTS"
    local status=0 rc
    cd "$ROOT"
    if [ "$run_pure" = 1 ]; then
        say "Pure-Python tests: client, sandbox, the Odoo-free core"
        run_stage pure -p no:odoo "${PURE[@]}" ${OPTIONS[@]+"${OPTIONS[@]}"} || status=1
    fi
    if [ "$run_odoo" = 1 ]; then
        run_odoo_shards || status=1
    fi
    "$PY" "$ROOT/scripts/junit_summary.py" "$RESULTS"/*.xml || status=1
    return $status
}

main "$@"
