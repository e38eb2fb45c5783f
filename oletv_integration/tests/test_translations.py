# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""pt_BR: the .po covers every term the addon has today, and the UI follows
the user's language."""
import io
import os
import re

from odoo import api
from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase, at_install, post_install
from odoo.tools.translate import PoFile, trans_export

I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
PLACEHOLDER = re.compile(r"%(?:\([a-z_]+\))?[sd%]")


def current_terms(cr):
    buffer = io.BytesIO()
    trans_export(False, ["oletv_integration"], buffer, "po", cr)
    buffer.seek(0)
    return {entry[3] for entry in PoFile(buffer) if entry[3]}


def po_translations(path):
    with open(path, "rb") as handle:
        return {entry[3]: entry[4] for entry in PoFile(handle) if entry[3]}


@at_install(False)
@post_install(True)
class TestTranslations(SavepointCase):

    def test_po_translates_every_current_term(self):
        translations = po_translations(os.path.join(I18N, "pt_BR.po"))
        missing = sorted(term for term in current_terms(self.env.cr)
                         if not translations.get(term))
        self.assertFalse(missing, "untranslated (run scripts/i18n_export.sh): %s" % missing[:20])

    def test_placeholders_are_kept(self):
        for source, translation in po_translations(os.path.join(I18N, "pt_BR.po")).items():
            self.assertEqual(sorted(PLACEHOLDER.findall(source)),
                             sorted(PLACEHOLDER.findall(translation)), source)

    def test_ui_follows_the_user_language(self):
        pt = self.env(context=dict(self.env.context, lang="pt_BR"))
        self.assertTrue(self.env["res.lang"]._lang_get("pt_BR"), "pt_BR is installed")
        states = dict(pt["tv.user"].fields_get(["platform_state"])["platform_state"]["selection"])
        self.assertNotEqual(states["awaiting_activation"], "Awaiting activation")
        label = pt["account.analytic.account"].fields_get(["contract_status"])
        self.assertNotEqual(label["contract_status"]["string"], "Contract status")
        contract = pt["account.analytic.account"].create({"name": "Contrato"})
        contract.action_contract_deactivate()
        with self.assertRaises(UserError) as raised:
            contract.action_contract_block()
        self.assertNotIn("cannot become", raised.exception.name)


@at_install(False)
@post_install(True)
class TestRefusalsOverRpcInTheCallersLanguage(SavepointCase):
    """Over XML-RPC there is no web request and the context carries no
    language: a refusal is still in the caller's (their preferences)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = cls.env["res.users"].with_context(no_reset_password=True)
        cls.operator = users.create({
            "name": "Operadora", "login": "operadora.rpc", "lang": "pt_BR",
            "groups_id": [(6, 0, [cls.env.ref("oletv_integration.group_tv_user").id])]})
        cls.employee = users.create({
            "name": "Funcionário", "login": "funcionario.rpc", "lang": "pt_BR",
            "groups_id": [(6, 0, [cls.env.ref("base.group_user").id])]})
        cls.contract = cls.env["account.analytic.account"].create({"name": "Contrato RPC"})

    def rpc_refusal(self, user, method, *args):
        model = self.env["account.analytic.account"].sudo(user).with_context(lang=None)
        with self.assertRaises(Exception) as raised, self.env.cr.savepoint():
            api.call_kw(model, method, [self.contract.ids] + list(args), {})
        return raised.exception.name

    def test_a_malformed_date_is_refused_in_portuguese(self):
        message = self.rpc_refusal(self.operator, "action_tv_suspend_on_request",
                                   "2026-02-30", "2026-03-30")
        self.assertIn("uma data AAAA-MM-DD", message)

    def test_a_caller_without_the_role_is_refused_in_portuguese(self):
        message = self.rpc_refusal(self.employee, "action_contract_block")
        self.assertIn("Somente operadores de TV", message)

    def test_an_owned_field_is_refused_in_portuguese(self):
        model = self.env["account.analytic.account"].sudo(self.operator).with_context(lang=None)
        self.contract.message_subscribe(partner_ids=self.operator.partner_id.ids)
        with self.assertRaises(Exception) as raised, self.env.cr.savepoint():
            api.call_kw(model, "write", [self.contract.ids, {"block_reason": "manual"}], {})
        self.assertIn("só pode ser alterado pelo sistema", raised.exception.name)

    def test_a_suspension_refusal_writes_the_date_the_callers_way(self):
        self.contract._tv_write_owned({"contract_status": "suspended",
                                       "tv_suspended_until": "2026-12-31"}, track=False)
        message = self.rpc_refusal(self.operator, "action_contract_block")
        self.assertIn("31/12/2026", message)
