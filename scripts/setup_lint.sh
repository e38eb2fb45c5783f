#!/usr/bin/env bash
# Creates .local/lint, a CPython 3.12 venv with the pinned linters of
# requirements/lint.txt (pylint-odoo, pylint, astroid, flake8, pre-commit).
# Kept apart from .local/py312 so the linters' pins never move the test
# tools. Idempotent, stamped like .venv.
source "$(dirname "$0")/lib.sh"

ensure_py312_venv "$LINT_VENV" "$ROOT/requirements/lint.txt" "the linters"
