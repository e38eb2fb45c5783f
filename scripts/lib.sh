# Shared settings and helpers for the project's scripts (sourced, not run).
# Every path lives under the repository; ports and names can be overridden
# by environment variables.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
# CPython 3.12 tools venv: OpenAPI checks, Odoo-free core on a current Python, wheel build.
PY312_VENV="$LOCAL/py312"
PY312="$PY312_VENV/bin/python"
LINT_VENV="$LOCAL/lint"
LINT_PY="$LINT_VENV/bin/python"
ODOO_CONF="$LOCAL/odoo.conf"
ODOO_BIN="$ROOT/scripts/odoo-bin"

PG_PORT="${OLETV_PG_PORT:-54329}"
ODOO_PORT="${OLETV_ODOO_PORT:-8069}"
LONGPOLL_PORT="${OLETV_LONGPOLL_PORT:-8072}"
SANDBOX_PORT="${OLETV_SANDBOX_PORT:-8099}"
DEMO_DB="${OLETV_DEMO_DB:-oletv_demo}"
DB_USER=odoo
DB_PASSWORD=odoo

export PATH="$LOCAL/node/node_modules/.bin:$PATH"
export TZ=UTC
export PYTHONDONTWRITEBYTECODE=1
# psycopg2 2.7 warns about its future package name on every import.
export PYTHONWARNINGS="ignore:The psycopg2 wheel package will be renamed"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# Hash of files, used as a stamp so setup steps run only when inputs change.
files_hash() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

port_free() {
    "${PY:-python3}" - "$1" <<'PYEOF' 2>/dev/null
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
PYEOF
}

require_port_free() {
    port_free "$1" || die "port $1 on 127.0.0.1 is already in use ($2). Stop what uses it, or choose another port with $3=<port>."
}

# Starts the private PostgreSQL cluster; stops it when this script exits if
# this run is the one that started it.
start_private_pg() {
    if ! bash "$ROOT/scripts/pg.sh" status | grep -q running; then
        trap 'bash "$ROOT/scripts/pg.sh" stop' EXIT
    fi
    bash "$ROOT/scripts/pg.sh" start
}
