#!/usr/bin/env bash
# Writes .local/odoo.conf from the current ports (always regenerated: cheap).
# `odoo_conf.sh DB` also gives each TV integration of DB its own queue_job
# channel, with the capacity its manager set (read when the runner starts);
# the customer notices' jobs always get their channel and one slot of root.
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL/data"

# The channels of the TV users' sync jobs and of the customer notices' jobs:
# one place, sync_plan.JOB_CHANNEL and sync_plan.NOTICE_JOB_CHANNEL.
plan_constant() { sed -n "s/^$1 = \"\(.*\)\"\$/\1/p" "$ROOT/oletv_integration/core/sync_plan.py"; }
JOB_CHANNEL="$(plan_constant JOB_CHANNEL)"
NOTICE_JOB_CHANNEL="$(plan_constant NOTICE_JOB_CHANNEL)"
[ -n "$JOB_CHANNEL" ] || die "JOB_CHANNEL not found in oletv_integration/core/sync_plan.py"
[ -n "$NOTICE_JOB_CHANNEL" ] || die "NOTICE_JOB_CHANNEL not found in oletv_integration/core/sync_plan.py"
NOTICE_CAPACITY=1

job_channels() {
    local db="${1:-}" integrations=""
    if [ -n "${OLETV_JOB_CHANNELS:-}" ]; then echo "$OLETV_JOB_CHANNELS"; return; fi
    if [ -n "$db" ]; then
        integrations="$(psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U "$DB_USER" -d "$db" -tAc \
            "SELECT coalesce(sum(max_concurrency), 0) || ' ' || coalesce(string_agg(
                 '$JOB_CHANNEL.integration_' || id || ':' || max_concurrency, ',' ORDER BY id), '')
             FROM tv_integration WHERE active" 2>/dev/null || true)"
    fi
    local total="${integrations%% *}" channels="${integrations#* }"
    if [ -z "$channels" ] || [ "$channels" = "$integrations" ]; then total=4 channels=""; fi
    [ "${total:-0}" -gt 4 ] || total=4
    # the notices' slot comes on top of the integrations': it never takes a sync slot
    echo "root:$((total + NOTICE_CAPACITY)),$NOTICE_JOB_CHANNEL:$NOTICE_CAPACITY${channels:+,$channels}"
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
