#!/usr/bin/env bash
# Creates .local/lint, a CPython 3.12 venv with the pinned linters of
# requirements/lint.txt (pylint-odoo, pylint, astroid, flake8, pre-commit).
# Kept apart from .local/py312 so the linters' pins never move the test
# tools. Idempotent, stamped like .venv. CPython 3.12 is found as
# scripts/setup_py312.sh finds it (OLETV_PYTHON312, python3.12, pyenv, uv).
source "$(dirname "$0")/lib.sh"

main() {
    local stamp_file="$LINT_VENV/.oletv-stamp" stamp python
    stamp="$(files_hash "$ROOT/requirements/lint.txt")"
    if [ ! -x "$LINT_PY" ]; then
        bash "$ROOT/scripts/setup_py312.sh"  # finds CPython 3.12 (or says how to get it)
        python="$("$PY312" -c 'import sys; print(sys._base_executable)')"
        say "Creating .local/lint with $python"
        rm -rf "$LINT_VENV"
        "$python" -m venv "$LINT_VENV"
    fi
    if [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        say "Installing the linters (requirements/lint.txt)"
        "$LINT_PY" -m pip install -q --disable-pip-version-check -r "$ROOT/requirements/lint.txt"
        echo "$stamp" > "$stamp_file"
    fi
}

main "$@"
