#!/usr/bin/env bash
# `make lint`: pylint-odoo (OCA's configuration for 11.0, .pylintrc) on the
# addon and flake8 (.flake8) on the repository, from the lint venv
# (.local/lint, requirements/lint.txt, CPython 3.12). Arguments go to
# scripts/lint.py (e.g. --junitxml PATH). Exits 1 on any finding.
source "$(dirname "$0")/lib.sh"
bash "$ROOT/scripts/setup_lint.sh"
"$LINT_PY" "$ROOT/scripts/lint.py" "$@"
