# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The demo company is a Brazilian ISP: its CNPJ, address and phone in
Brazil, its customers with valid CPFs and Brazilian mobile numbers (the
customer check lets them through); `make run`'s database also invoices in
BRL and speaks pt_BR (scripts/demo_company.py, run by scripts/db.sh)."""
import importlib.util
import os
import re

from odoo.exceptions import UserError
from odoo.tests.common import SavepointCase, at_install, post_install

from ..core import documents
from ..services.customer_documents import CustomerDocuments

SCRIPT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "scripts", "demo_company.py")
MOBILE = re.compile(r"^\+55 \d{2} 9\d{4}-\d{4}$")
CUSTOMERS = ("demo_customer", "demo_customer_overdue", "demo_customer_reduced",
             "demo_customer_blocked", "demo_customer_termination", "demo_customer_suspension",
             "demo_customer_ended")


def demo_company_script():
    """scripts/demo_company.py, when the tests run from the repository."""
    if not os.path.isfile(SCRIPT):
        return None
    spec = importlib.util.spec_from_file_location("oletv_demo_company", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@at_install(False)
@post_install(True)
class TestDemoCompany(SavepointCase):

    def test_the_company_is_a_brazilian_isp(self):
        company = self.env.ref("base.main_company")
        self.assertEqual(company.country_id, self.env.ref("base.br"))
        self.assertEqual(len(re.sub(r"\D", "", company.vat)), documents.CNPJ_DIGITS)
        self.assertTrue(documents.valid_document(company.vat), company.vat)
        self.assertTrue(company.phone.startswith("+55 "))
        self.assertTrue(company.city and company.zip and company.state_id)

    def test_the_customers_have_valid_cpfs_and_brazilian_mobiles(self):
        check = CustomerDocuments(self.env)
        vats = set()
        for xmlid in CUSTOMERS:
            customer = self.env.ref("oletv_integration." + xmlid)
            self.assertEqual(len(re.sub(r"\D", "", customer.vat)), documents.CPF_DIGITS)
            self.assertTrue(documents.valid_document(customer.vat), customer.vat)
            self.assertRegex(customer.mobile, MOBILE)
            self.assertEqual(customer.country_id.code, "BR")
            self.assertIsNone(check.problem(customer, customer.company_id or
                                            self.env.user.company_id))
            vats.add(customer.vat)
        self.assertEqual(len(vats), len(CUSTOMERS))  # one customer per CPF

    def test_make_run_users_speak_portuguese_english_one_click_away(self):
        script = demo_company_script()
        if not script:
            self.skipTest("scripts/ is not beside the addon (installed from the wheel)")
        script.set_language(self.env)
        for xmlid in ("base.user_root", "base.user_demo", "oletv_integration.demo_user_operator"):
            self.assertEqual(self.env.ref(xmlid).lang, "pt_BR", xmlid)
        self.assertEqual(self.env.ref("base.main_company").partner_id.lang, "pt_BR")
        # the customers keep their own language; English stays installed
        self.assertEqual(self.env.ref("oletv_integration.demo_portal_user_joao").lang, "en_US")
        self.assertEqual(set(self.env["res.lang"].search([]).mapped("code")) & {"en_US", "pt_BR"},
                         {"en_US", "pt_BR"})

    def test_the_currency_is_set_before_any_journal_item(self):
        """Odoo refuses a company's new currency once journal items exist:
        scripts/db.sh sets BRL before any (the dependencies installed
        without Odoo's demo entries, the addon's demo invoices after)."""
        script = demo_company_script()
        if not script:
            self.skipTest("scripts/ is not beside the addon (installed from the wheel)")
        company = self.env.ref("base.main_company")
        self.assertTrue(self.env["account.move.line"].search_count(
            [("company_id", "=", company.id)]))
        currency = company.currency_id
        with self.assertRaises(UserError), self.env.cr.savepoint():
            script.set_currency(self.env)
        self.env.clear()
        self.assertEqual(company.currency_id, currency)
