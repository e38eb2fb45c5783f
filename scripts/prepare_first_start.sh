#!/usr/bin/env bash
# Prepares a database for its first server start: `make run` calls it before
# Odoo opens its port, and tests/system/test_first_start.py calls it the same
# way. Odoo 11 generates the web client's asset bundles on the first page
# request, and concurrent first requests race on the filestore folders
# ([Errno 17] File exists: an HTTP 500 and an ERROR line); built here, in one
# process, the bundles are only read by the server.
# Usage: prepare_first_start.sh DATABASE
source "$(dirname "$0")/lib.sh"

db="${1:?usage: prepare_first_start.sh DATABASE}"
log="$LOCAL/build-assets-$db.log"
mkdir -p "$LOCAL"
# lessc failures are only logged (the bundle would hold an error page's CSS)
if ! "$PY" "$ROOT/scripts/build_assets.py" "$ODOO_CONF" "$db" > "$log" 2>&1 \
   || grep -qE '(ERROR|CRITICAL) ' "$log"; then
    grep -E -A15 '(ERROR|CRITICAL) ' "$log" | head -40 >&2
    die "Building the web assets of $db failed; the full log is $log"
fi
