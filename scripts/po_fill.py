#!/usr/bin/env python3
"""Fill untranslated entries of a .po file from a JSON file {msgid: msgstr}.

    .venv/bin/python scripts/po_fill.py oletv_integration/i18n/pt_BR.po translations.json

Run scripts/i18n_export.sh first (it merges the new terms into the .po with
empty translations); entries already translated are left alone. Prints the
msgids still untranslated.

Run it with the venv's Python: it needs Babel (a dependency of Odoo) and
gettext's msgmerge (as i18n_export.sh). Babel writes the JSON as a
compendium and reads the result; msgmerge fills the .po from the compendium.
Babel does not write the .po itself: its reader drops Odoo's references
(`#: model:ir.ui.view,arch_db:...`), which Odoo's loader needs, and msgmerge
keeps every comment and wraps lines as i18n_export.sh does."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po


def write_compendium(translations, path):
    """The non-empty translations of {msgid: msgstr} as a .po file at `path`."""
    catalog = Catalog(charset="utf-8")
    for msgid, msgstr in translations.items():
        if msgid and msgstr:
            catalog.add(msgid, msgstr)
    with open(path, "wb") as handle:
        write_po(handle, catalog, width=0)


def merge(po_path, compendium_path):
    """Fill the .po's untranslated entries from the compendium, in place: the
    .po is its own reference, so only the empty msgstrs change."""
    if not shutil.which("msgmerge"):
        sys.exit("msgmerge was not found: install gettext (Debian: gettext).")
    subprocess.run(["msgmerge", "--quiet", "--no-fuzzy-matching", "--update", "--backup=none",
                    "--compendium", compendium_path, po_path, po_path], check=True)


def untranslated(po_path):
    """The msgids of the .po's entries without a translation."""
    with open(po_path, "rb") as handle:
        catalog = read_po(handle)
    return [message.id for message in catalog if message.id and not message.string]


def fill(po_path, translations):
    """Fill `po_path` from {msgid: msgstr}; return the msgids still untranslated."""
    with tempfile.TemporaryDirectory(prefix="oletv-po-fill-") as tmp:
        compendium = os.path.join(tmp, "compendium.po")
        write_compendium(translations, compendium)
        merge(po_path, compendium)
    return untranslated(po_path)


def main(po_path, json_path):
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    for source in fill(po_path, translations):
        print("untranslated:", source)


if __name__ == "__main__":
    main(*sys.argv[1:3])
