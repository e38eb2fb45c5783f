"""scripts/po_fill.py: a .po filled from a JSON file {msgid: msgstr}, every
other line kept (Odoo's references), read back by gettext and by Odoo."""
import json
import os
import shutil
import subprocess
import sys

import pytest

pytest.importorskip("babel")  # in the CPython 3.7 venv (Odoo's dependency) only
if not shutil.which("msgmerge"):
    pytest.skip("gettext's msgmerge is not installed", allow_module_level=True)

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO_FILL = os.path.join(REPO_ROOT, "scripts", "po_fill.py")

HEADER = r'''# Translation of Odoo Server.
msgid ""
msgstr ""
"Project-Id-Version: Odoo Server 11.0\n"
"Language: pt_BR\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: \n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
'''

TRANSLATED = r'''
#. module: oletv_integration
#: code:addons/oletv_integration/models/tv_user.py:206
#, python-format
msgid "\"%s\" is not a TV product."
msgstr "\"%s\" não é um produto de TV."
'''

MODEL_TERM = r'''
#. module: oletv_integration
#: model:ir.ui.view,arch_db:oletv_integration.view_tv_user_form
#: model:ir.model.fields,field_description:oletv_integration.field_tv_user_login
msgid "Login"
msgstr ""
'''

MULTI_LINE = r'''
#. module: oletv_integration
#: code:addons/oletv_integration/models/tv_user.py:300
#, python-format
msgid ""
"%(contract)s is suspended on the customer's request until %(until)s: end the "
"suspension (Suspensions on request tab, End now) to release it."
msgstr ""
'''

QUOTES_NEWLINES = r'''
#. module: oletv_integration
#: model:mail.template,body_html:oletv_integration.mail_template_tv_welcome
msgid ""
"Hello \"${object.name}\",\n"
"your TV is ready:\tC:\\TV\n"
msgstr ""
'''

LEFT_OUT = r'''
#. module: oletv_integration
#: model:ir.ui.menu,name:oletv_integration.menu_tv_root
msgid "Olé TV"
msgstr ""
'''

PO = HEADER + TRANSLATED + MODEL_TERM + MULTI_LINE + QUOTES_NEWLINES + LEFT_OUT

SUSPENDED = ("%(contract)s is suspended on the customer's request until %(until)s: end the "
             "suspension (Suspensions on request tab, End now) to release it.")
WELCOME = 'Hello "${object.name}",\nyour TV is ready:\tC:\\TV\n'
TRANSLATIONS = {
    "Login": "Login do usuário",
    SUSPENDED: ("%(contract)s está suspenso a pedido do cliente até %(until)s: encerre a "
                "suspensão (aba Suspensões a pedido, Encerrar agora) para liberá-lo."),
    WELCOME: 'Olá "${object.name}",\nsua TV está pronta:\tC:\\TV\n',
    '"%s" is not a TV product.': "not used: already translated",
    "Not in the file": "never added",
}

# What Odoo's own loader reads from a .po: (type, name, res_id, source, translation).
ODOO_ROWS = r'''
import sys
from odoo.tools.translate import PoFile
with open(sys.argv[1], "rb") as handle:
    for row in PoFile(handle):
        print(repr(tuple(row[:5])))
'''


def run_fill(po_path, translations, tmp_path):
    json_path = str(tmp_path / "translations.json")
    with open(json_path, "w", encoding="utf-8") as handle:
        json.dump(translations, handle)
    result = subprocess.run([sys.executable, PO_FILL, po_path, json_path], check=True,
                            stdout=subprocess.PIPE, universal_newlines=True)
    return result.stdout


def odoo_rows(po_path):
    result = subprocess.run([sys.executable, "-c", ODOO_ROWS, po_path], check=True,
                            stdout=subprocess.PIPE, universal_newlines=True, cwd=REPO_ROOT)
    return {eval(line) for line in result.stdout.splitlines()}  # noqa: S307 (our own repr)


@pytest.fixture
def po_path(tmp_path):
    path = tmp_path / "pt_BR.po"
    path.write_text(PO, encoding="utf-8")
    return str(path)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def test_fills_the_untranslated_entries_and_keeps_the_rest(po_path, tmp_path):
    output = run_fill(po_path, TRANSLATIONS, tmp_path)
    assert output == "untranslated: Olé TV\n"
    text = read(po_path)
    assert text.startswith(HEADER)
    for entry in (TRANSLATED, LEFT_OUT):
        assert entry in text
    assert MODEL_TERM.replace('msgstr ""', 'msgstr "Login do usuário"') in text
    assert ('msgstr ""\n'
            '"%(contract)s está suspenso a pedido do cliente até %(until)s: encerre a "\n'
            '"suspensão (aba Suspensões a pedido, Encerrar agora) para liberá-lo."\n') in text
    assert ('msgstr ""\n"Olá \\"${object.name}\\",\\n"\n'
            '"sua TV está pronta:\\tC:\\\\TV\\n"\n') in text
    subprocess.run(["msgfmt", "-c", "-o", os.devnull, po_path], check=True)


def test_odoo_reads_the_filled_translations_on_their_records(po_path, tmp_path):
    pytest.importorskip("odoo")
    run_fill(po_path, TRANSLATIONS, tmp_path)
    rows = odoo_rows(po_path)
    view = "oletv_integration.view_tv_user_form"
    field = "oletv_integration.field_tv_user_login"
    assert ("model", "ir.ui.view,arch_db", view, "Login", "Login do usuário") in rows
    assert ("model", "ir.model.fields,field_description", field, "Login",
            "Login do usuário") in rows
    assert ("model", "mail.template,body_html", "oletv_integration.mail_template_tv_welcome",
            WELCOME, TRANSLATIONS[WELCOME]) in rows
    assert ("code", "addons/oletv_integration/models/tv_user.py", "300", SUSPENDED,
            TRANSLATIONS[SUSPENDED]) in rows


def test_an_empty_fill_changes_nothing(po_path, tmp_path):
    run_fill(po_path, TRANSLATIONS, tmp_path)
    filled = read(po_path)
    output = run_fill(po_path, {}, tmp_path)
    assert output == "untranslated: Olé TV\n"
    assert read(po_path) == filled
