#!/usr/bin/env bash
# Writes .local/odoo.conf from the current ports (always regenerated: cheap).
# `odoo_conf.sh DB` also gives each TV integration of DB its own queue_job
# channel, with the capacity its manager set (read when the runner starts);
# the customer notices' jobs always get their channel and one slot of root.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL/data"

# The job runner's channels come from oletv_integration/core/channels.py
# (server_channels), the one place the models, the bench and the tests share;
# loaded by its path: the addon's package would load Odoo.
CHANNELS_PY="$ROOT/oletv_integration/core/channels.py"
server_channels() {  # server_channels [ID:CAPACITY ...]
    local python="$PY"
    [ -x "$python" ] || python="$(command -v python3)" || die "no Python to read $CHANNELS_PY"
    "$python" - "$CHANNELS_PY" "$@" <<'PYEOF'
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("oletv_channels", sys.argv[1])
channels = importlib.util.module_from_spec(spec)
spec.loader.exec_module(channels)
capacities = dict(map(int, arg.split(":")) for arg in sys.argv[2:])
print(channels.server_channels(capacities))
PYEOF
}

job_channels() {
    local db="${1:-}" integrations=""
    if [ -n "${OLETV_JOB_CHANNELS:-}" ]; then echo "$OLETV_JOB_CHANNELS"; return; fi
    if [ -n "$db" ]; then
        integrations="$(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$db" -tAc \
            "SELECT id || ':' || max_concurrency FROM tv_integration WHERE active ORDER BY id" \
            2>/dev/null || true)"
    fi
    # shellcheck disable=SC2086  # one ID:CAPACITY word per active integration
    server_channels $integrations
}
CHANNELS="$(job_channels "${1:-}")"
cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ROOT
data_dir = $LOCAL/data
db_host = 127.0.0.1
db_port = $PG_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
http_interface = 127.0.0.1
http_port = $ODOO_PORT
longpolling_port = $LONGPOLL_PORT
server_wide_modules = web,queue_job
list_db = False
admin_passwd = ${OLETV_MASTER_PASSWORD:-oletv-master}
log_level = info

[queue_job]
channels = $CHANNELS
CONF
