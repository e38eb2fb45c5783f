#!/usr/bin/env bash
# Creates .local/py312, a CPython 3.12 venv beside the 3.7 one, with the
# pinned packages of requirements/py312.txt: the Odoo-free core's tests on a
# current Python (current requests, responses, Werkzeug), the OpenAPI checks
# (openapi-core, openapi-spec-validator, schemathesis: none of them runs on
# 3.7) and the wheel build (setuptools-odoo). Idempotent, stamped like .venv.
source "$(dirname "$0")/lib.sh"

is_python312() { [ -n "$1" ] && "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1; }

find_python312() {
    local candidate
    for candidate in "${OLETV_PYTHON312:-}" "$(command -v python3.12 || true)" \
                     "$HOME"/.pyenv/versions/3.12.*/bin/python3.12; do
        if is_python312 "$candidate"; then echo "$candidate"; return 0; fi
    done
    if command -v uv >/dev/null 2>&1; then
        uv python install 3.12 >&2 && candidate="$(uv python find 3.12)" \
            && is_python312 "$candidate" && { echo "$candidate"; return 0; }
    fi
    return 1
}

main() {
    local stamp_file="$PY312_VENV/.oletv-stamp" stamp python
    stamp="$(files_hash "$ROOT/requirements/py312.txt")"
    if [ ! -x "$PY312" ] || ! is_python312 "$PY312"; then
        python="$(find_python312)" || die "CPython 3.12 was not found (the OpenAPI and packaging checks run on it).
Install it, then run the command again: pyenv install 3.12, uv python install 3.12,
your distribution's python3.12 package, or point OLETV_PYTHON312 at a python3.12 executable."
        say "Creating .local/py312 with $python"
        rm -rf "$PY312_VENV"
        mkdir -p "$LOCAL"
        "$python" -m venv "$PY312_VENV"
    fi
    if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        say "Installing the CPython 3.12 tools (requirements/py312.txt)"
        "$PY312" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements/py312.txt"
        echo "$stamp" > "$stamp_file"
    fi
}

main "$@"
