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
# OLETV_ODOO_CONF: another configuration file (the tests of odoo_conf.sh write theirs aside).
ODOO_CONF="${OLETV_ODOO_CONF:-$LOCAL/odoo.conf}"
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

# is_python X.Y EXE: EXE is a CPython X.Y.
is_python() {
    [ -n "$2" ] && "$2" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$1'.split('.'))))" \
        >/dev/null 2>&1
}

# find_python X.Y [EXE]: prints a CPython X.Y (EXE when given and right, then
# pythonX.Y on PATH, pyenv's, or uv's own install), or fails.
find_python() {
    local version="$1" candidate
    for candidate in "${2:-}" "$(command -v "python$version" || true)" \
                     "$HOME"/.pyenv/versions/"$version".*/bin/python"$version"; do
        if is_python "$version" "$candidate"; then echo "$candidate"; return 0; fi
    done
    if command -v uv >/dev/null 2>&1; then
        uv python install "$version" >&2 && candidate="$(uv python find "$version")" \
            && is_python "$version" "$candidate" && { echo "$candidate"; return 0; }
    fi
    return 1
}

# ensure_py312_venv DIR REQUIREMENTS WHAT: a CPython 3.12 venv in DIR with the
# pinned packages of REQUIREMENTS, reinstalled only when that file changes.
ensure_py312_venv() {
    local venv="$1" requirements="$2" what="$3" python
    local stamp_file="$venv/.oletv-stamp" stamp
    stamp="$(files_hash "$requirements")"
    if ! is_python 3.12 "$venv/bin/python"; then
        python="$(find_python 3.12 "${OLETV_PYTHON312:-}")" || die "CPython 3.12 was not found ($what run on it).
Install it, then run the command again: pyenv install 3.12, uv python install 3.12,
your distribution's python3.12 package, or point OLETV_PYTHON312 at a python3.12 executable."
        say "Creating ${venv#"$ROOT"/} with $python"
        rm -rf "$venv"
        mkdir -p "$(dirname "$venv")"
        "$python" -m venv "$venv"
    fi
    if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        say "Installing $what (${requirements#"$ROOT"/})"
        "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
        echo "$stamp" > "$stamp_file"
    fi
}

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
