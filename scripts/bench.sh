#!/usr/bin/env bash
# `make bench`: the performance figures of issue 7 (not part of `make test`).
# Builds its own data on the private cluster, in a fresh database created
# from the cached test template: 1,000 then 10,000 contracts with TV users,
# an Olé TV sandbox with 50 ms latency, a real Odoo server with its job
# runner. Prints a table and writes it (JSON and Markdown) to bench-results/.
#   OLETV_BENCH_DB (oletv_bench), OLETV_BENCH_ARGS (extra `python -m bench.run` options)
source "$(dirname "$0")/lib.sh"

BENCH_DB="${OLETV_BENCH_DB:-oletv_bench}"

main() {
    bash "$ROOT/scripts/setup_venv.sh"
    start_private_pg
    bash "$ROOT/scripts/odoo_conf.sh"
    bash "$ROOT/scripts/db.sh" test "$BENCH_DB"
    cd "$ROOT"
    say "Benchmark on database $BENCH_DB (about 5 minutes; part 5, the 50,000-line link, about 10 more: OLETV_BENCH_ARGS=--link 0 skips it; part 6, a year of platform history, about 45 seconds: --history 0 skips it; part 7, a month of revenue assurance at 100,000 customers, about 11 minutes: --revenue 0 skips it)"
    # shellcheck disable=SC2086
    "$PY" -m bench.run --db "$BENCH_DB" --conf "$ODOO_CONF" --pg-port "$PG_PORT" ${OLETV_BENCH_ARGS:-}
}

main "$@"
