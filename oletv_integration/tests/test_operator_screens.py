# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the operator's screens show: the contract's TV tab in a few
columns, the platform calls in words (no method names, no encoded
addresses, one line of error), and no archive button where archiving is
refused."""
import json

from lxml import etree

from odoo.exceptions import AccessError, ValidationError

from .common import OleTVCase
from .security_common import make_role_users

CONTRACT_FORM = "contract.account_analytic_account_recurring_form_form"


class TestOperatorScreens(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_role_users(cls.env, cls.env.user.company_id, "screens")
        # who archives contracts: may write them (sales) and billing
        company = cls.env.user.company_id
        cls.users["archiver"] = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Archiver", "login": "archiver-screens", "email": "archiver@example.com",
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [cls.env.ref(group).id for group in (
                "sales_team.group_sale_salesman", "account.group_account_invoice")])]})

    def arch(self, model, view_type, user, view_id=None):
        view = self.env[model].sudo(user).fields_view_get(view_id=view_id, view_type=view_type)
        return etree.fromstring(view["arch"]), view["fields"]

    @staticmethod
    def modifiers(node):
        return json.loads(node.get("modifiers") or "{}")

    def test_the_tv_tab_fits_its_columns(self):
        _arch, fields = self.arch("account.analytic.account", "form", self.users["operator"],
                                  self.env.ref(CONTRACT_FORM).id)
        tree = etree.fromstring(fields["tv_user_ids"]["views"]["tree"]["arch"])
        shown = [field.get("name") for field in tree.xpath("//field")
                 if self.modifiers(field).get("tree_invisible") is not True
                 and self.modifiers(field).get("column_invisible") is not True
                 and field.get("invisible") != "1"]
        self.assertEqual(shown, ["product_id", "login", "account_number", "platform_state",
                                 "sync_state"])

    def test_platform_calls_in_words(self):
        call = self.env["tv.api.call"].create({
            "integration_id": self.integration.id, "operation": "find_subscriber_by_login",
            "method": "GET", "endpoint": "/v1/subscribers?login=ana%40example.com",
            "status_code": 503, "error": "Olé TV is unavailable (HTTP 503): " + "x" * 200
            + "\nsecond line"})
        self.assertEqual(call.operation_label, "Find subscriber by login")
        self.assertEqual(call.endpoint_readable, "/v1/subscribers?login=ana@example.com")
        self.assertLessEqual(len(call.error_summary), 80)
        self.assertTrue(call.error_summary.startswith("Olé TV is unavailable (HTTP 503)"))
        self.assertNotIn("second line", call.error_summary)
        self.assertTrue(self.env["res.lang"].search([("code", "=", "pt_BR")]))
        self.assertEqual(self.env["tv.api.call"].with_context(lang="pt_BR").browse(
            call.id).operation_label, "Buscar assinante pelo login")
        for arch in (self.arch("tv.api.call", "tree", self.users["operator"])[0],
                     etree.fromstring(self.arch("tv.user", "form", self.users["operator"])[1][
                         "api_call_ids"]["views"]["tree"]["arch"])):
            names = [field.get("name") for field in arch.xpath("//field")
                     if field.get("invisible") != "1"]
            self.assertIn("operation_label", names)
            self.assertFalse({"operation", "method", "endpoint", "error"} & set(names), names)

    def archive_button(self, role):
        arch, _fields = self.arch("account.analytic.account", "form", self.users[role],
                                  self.env.ref(CONTRACT_FORM).id)
        return arch.xpath("//button[@name='toggle_active']")

    def can_archive(self, role):
        return self.contract.sudo(self.users[role]).tv_can_archive

    def test_no_archive_button_where_archiving_is_refused(self):
        button, = self.archive_button("operator")
        self.assertEqual(self.modifiers(button)["invisible"], [["tv_can_archive", "=", False]])
        # billing without write access, sales without billing, TV roles
        self.assertEqual({role: self.can_archive(role) for role in (
            "archiver", "clerk", "salesperson", "operator", "viewer")}, {
            "archiver": True, "clerk": False, "salesperson": False, "operator": False,
            "viewer": False})
        self.contract.action_contract_block()
        self.assertFalse(self.can_archive("archiver"))
        self.contract.action_contract_deactivate()
        self.assertTrue(self.can_archive("archiver"))

    def test_a_contract_held_back_is_not_archived(self):
        contract = self.contract
        contract.action_contract_block()
        with self.assertRaises(ValidationError) as refused, self.env.cr.savepoint():
            contract.sudo(self.users["archiver"]).toggle_active()
        self.assertIn("Release or deactivate it before archiving it", str(refused.exception))
        contract.invalidate_cache()
        self.assertTrue(contract.active)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            contract.sudo(self.users["salesperson"]).write({"active": False})
        contract.action_contract_deactivate()
        contract.sudo(self.users["archiver"]).toggle_active()
        self.assertFalse(contract.active)
