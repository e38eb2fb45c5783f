#!/usr/bin/env bash
# Writes .local/odoo.conf from the current ports (always regenerated: cheap).
# The job runner's channels are one layout fixed at install
# (oletv_integration/core/channels.py, server_channels): the platform calls of
# every TV integration on one channel of OLETV_SYNC_SLOTS slots (default 4),
# each integration held to its own Concurrent platform calls by the addon;
# the customer notices' jobs on their channel with one slot of root.
# OLETV_JOB_CHANNELS replaces the whole option. OLETV_EXTRA_ADDONS: folders
# added to addons_path after the repository (comma-separated; the crowded
# stage's neighbour addons, scripts/test_crowded.sh).
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL/data"

# Loaded by its path: the addon's package would load Odoo.
CHANNELS_PY="$ROOT/oletv_integration/core/channels.py"
server_channels() {  # server_channels [SYNC_SLOTS]
    local python="$PY"
    [ -x "$python" ] || python="$(command -v python3)" || die "no Python to read $CHANNELS_PY"
    "$python" - "$CHANNELS_PY" "$@" <<'PYEOF'
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("oletv_channels", sys.argv[1])
channels = importlib.util.module_from_spec(spec)
spec.loader.exec_module(channels)
print(channels.server_channels(*[int(arg) for arg in sys.argv[2:]]))
PYEOF
}

if [ -n "${OLETV_JOB_CHANNELS:-}" ]; then
    CHANNELS="$OLETV_JOB_CHANNELS"
else
    CHANNELS="$(server_channels ${OLETV_SYNC_SLOTS:-})"
fi
cat > "$ODOO_CONF" <<CONF
[options]
addons_path = $ROOT${OLETV_EXTRA_ADDONS:+,$OLETV_EXTRA_ADDONS}
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
