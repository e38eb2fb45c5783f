#!/usr/bin/env bash
# Creates .venv with CPython 3.7 and the pinned dependencies, prunes the Odoo
# glue addons whose dependencies are not installed, and installs lessc.
# Idempotent: does nothing when the requirement files have not changed.
source "$(dirname "$0")/lib.sh"

create_venv() {
    local python
    python="$(find_python 3.7 "${OLETV_PYTHON:-}")" || die "CPython 3.7 was not found (Odoo 11.0 runs on 3.7 only).
Install it, then run the command again. Any of these works:
  - pyenv install 3.7.16
  - uv python install 3.7
  - your distribution's python3.7 package
or point OLETV_PYTHON at a python3.7 executable."
    say "Creating .venv with $python"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
}

install_requirements() {
    local req="$ROOT/requirements"
    say "Installing pinned Python dependencies (first time: about a minute)"
    "$PY" -m pip install -q --disable-pip-version-check -c "$req/constraints.txt" pip setuptools wheel
    # Old sdists (feedparser) need the pinned setuptools, not an isolated new one.
    "$PY" -m pip install -q --disable-pip-version-check --no-build-isolation \
        -c "$req/constraints.txt" -r "$req/odoo.txt" -r "$req/test.txt"
    "$PY" -m pip install -q --disable-pip-version-check --no-deps -r "$req/no-deps.txt"
    "$PY" "$ROOT/scripts/prune_addons.py"
}

install_lessc() {
    [ -x "$LOCAL/node/node_modules/.bin/lessc" ] && return 0
    command -v npm >/dev/null 2>&1 || die "npm was not found: install Node.js and npm (the web client compiles its CSS with lessc)."
    say "Installing lessc (the web client's CSS compiler)"
    mkdir -p "$LOCAL/node"
    npm install --silent --no-package-lock --no-audit --no-fund --prefix "$LOCAL/node" "less@$(cat "$ROOT/requirements/lessc-version")" >/dev/null
}

main() {
    mkdir -p "$LOCAL"
    local stamp_file="$VENV/.oletv-stamp"
    local stamp
    local req="$ROOT/requirements"
    stamp="$(files_hash "$req/constraints.txt" "$req/odoo.txt" "$req/test.txt" "$req/no-deps.txt" \
        "$ROOT/scripts/prune_addons.py")"
    if [ ! -x "$PY" ] || ! is_python 3.7 "$PY"; then
        create_venv
    fi
    if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        install_requirements
        echo "$stamp" > "$stamp_file"
    fi
    install_lessc
}

main "$@"
