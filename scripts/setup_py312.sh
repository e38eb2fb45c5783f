#!/usr/bin/env bash
# Creates .local/py312, a CPython 3.12 venv beside the 3.7 one, with the
# pinned packages of requirements/py312.txt: the Odoo-free core's tests on a
# current Python (current requests, responses, Werkzeug), the OpenAPI checks
# (openapi-core, openapi-spec-validator, schemathesis: none of them runs on
# 3.7) and the wheel build (setuptools-odoo). Idempotent, stamped like .venv.
source "$(dirname "$0")/lib.sh"

ensure_py312_venv "$PY312_VENV" "$ROOT/requirements/py312.txt" \
    "the Odoo-free core's tests, the OpenAPI checks and the wheel build"
