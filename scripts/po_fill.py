#!/usr/bin/env python3
"""Fill untranslated entries of a .po file from a JSON file {msgid: msgstr}.

    python3 scripts/po_fill.py oletv_integration/i18n/pt_BR.po translations.json

Run scripts/i18n_export.sh first (it merges the new terms into the .po with
empty translations); entries already translated are left alone. Prints the
msgids still untranslated."""
import json
import re
import sys

QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


def unquote(lines):
    text = "".join(QUOTED.search(line).group(1) for line in lines)
    return bytes(text, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return 'msgstr "%s"' % escaped


def fill(entry, translations):
    """The entry's lines with its empty msgstr filled when known."""
    msgid, msgstr, part = [], [], None
    for line in entry:
        if line.startswith("msgid "):
            part = msgid
        elif line.startswith("msgstr "):
            part = msgstr
        elif not line.startswith('"'):
            part = None
        if part is not None:
            part.append(line)
    if not msgid or not msgstr or unquote(msgstr):
        return entry, None
    source = unquote(msgid)
    if not source:
        return entry, None
    if source not in translations:
        return entry, source
    head = [line for line in entry if line not in msgstr]
    return head + [quote(translations[source])], None


def main(po_path, json_path):
    with open(json_path, encoding="utf-8") as handle:
        translations = json.load(handle)
    with open(po_path, encoding="utf-8") as handle:
        entries = handle.read().rstrip("\n").split("\n\n")
    missing, out = [], []
    for block in entries:
        lines, still = fill(block.split("\n"), translations)
        out.append("\n".join(lines))
        if still:
            missing.append(still)
    with open(po_path, "w", encoding="utf-8") as handle:
        handle.write("\n\n".join(out) + "\n")
    for source in missing:
        print("untranslated:", source)


if __name__ == "__main__":
    main(*sys.argv[1:3])
