#!/usr/bin/env bash
# Writes .local/odoo.conf from the current ports (always regenerated: cheap).
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOCAL/data"
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
channels = ${OLETV_JOB_CHANNELS:-root:4}
CONF
