#!/usr/bin/env bash
# Regenerates oletv_integration/i18n/oletv_integration.pot from a fresh test
# database, and merges it into pt_BR.po (existing translations are kept).
source "$(dirname "$0")/lib.sh"
DB="${1:-oletv_i18n}"
bash "$ROOT/scripts/setup_venv.sh"
bash "$ROOT/scripts/pg.sh" start
bash "$ROOT/scripts/odoo_conf.sh"
bash "$ROOT/scripts/db.sh" test "$DB"
mkdir -p "$ROOT/oletv_integration/i18n"
POT="$ROOT/oletv_integration/i18n/oletv_integration.pot"
# Odoo 11 names a template export by its .po extension only.
"$PY" "$ODOO_BIN" -c "$ODOO_CONF" -d "$DB" --stop-after-init --no-http \
    --i18n-export="$LOCAL/oletv_integration.po" --modules=oletv_integration --log-level=warn
mv "$LOCAL/oletv_integration.po" "$POT"
PO="$ROOT/oletv_integration/i18n/pt_BR.po"
if [ -f "$PO" ]; then
    msgmerge --quiet --no-fuzzy-matching --update --backup=none "$PO" "$POT"
    msgattrib --no-obsolete --output-file="$PO" "$PO"
else
    sed 's/"Language: \\n"/"Language: pt_BR\\n"/' "$POT" > "$PO"
fi
say "Untranslated entries left: $(msgattrib --untranslated "$PO" 2>/dev/null | grep -c '^msgid ' || true)"
