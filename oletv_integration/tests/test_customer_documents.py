# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer check, as the TV operator against the real sandbox: before
a TV user is created on the platform, a Brazilian customer's CPF/CNPJ (the
VAT of the contract's commercial customer) must be valid when it is
written; a refusal names the customer and the value, and leaves nothing in
Odoo and nothing on the platform. The partner form only warns."""
from odoo.exceptions import UserError

from .common import SandboxCase
from .security_common import make_role_users

WRONG_CPF = "390.533.447-06"
VALID_CPF = "390.533.447-05"
VALID_CNPJ = "11.222.333/0001-81"


class TestCustomerDocuments(SandboxCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.user.company_id
        cls.operator = make_role_users(cls.env, cls.company, "doc")["operator"]
        cls.brazil = cls.env.ref("base.br")
        cls.partner.write({"country_id": cls.brazil.id})

    def jobs(self):
        return self.env["queue.job"].search([("method_name", "=", "_tv_sync_job")])

    def create_as_operator(self, contract=None, operator=None):
        return self.env["tv.user"].sudo(operator or self.operator).create(
            {"contract_id": (contract or self.contract).id, "product_id": self.tv_product.id})

    def assertRefusedWithNothingDone(self, call, contract=None):
        """`call` refused with the customer and the value named; no TV user
        added to the contract, no job, no platform request."""
        contract = contract or self.contract
        users_before, jobs_before = contract.tv_user_ids, self.jobs()
        requests_before = self.sandbox.stats()["total_requests"]
        with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
            call()
        self.env.clear()
        customer = contract.partner_id.commercial_partner_id
        self.assertIn(customer.name, raised.exception.name)
        self.assertIn(customer.vat, raised.exception.name)
        self.assertEqual(contract.tv_user_ids, users_before)
        self.assertEqual(self.jobs(), jobs_before)
        self.assertEqual(self.sandbox.stats()["total_requests"], requests_before)
        return raised.exception.name

    def test_operator_is_refused_a_tv_user_for_a_wrong_cpf(self):
        self.partner.vat = WRONG_CPF
        message = self.assertRefusedWithNothingDone(self.create_as_operator)
        self.assertIn("CPF/CNPJ", message)
        self.assertFalse(self.env["tv.user"].search([("contract_id", "=", self.contract.id)]))

    def test_valid_cpf_cnpj_or_no_document_are_created_on_the_platform(self):
        for number, vat in enumerate((VALID_CPF, "39053344705", VALID_CNPJ, False)):
            customer = self.env["res.partner"].create(
                {"name": "Cliente %d" % number, "email": "cliente%d@example.com" % number,
                 "country_id": self.brazil.id, "vat": vat})
            user = self.create_as_operator(self.make_contract(customer, [self.tv_product]))
            self.run_jobs()
            self.assertEqual(user.sync_state, "synced", vat)
            self.assertEqual(self.platform(user.account_number)["status"],
                             "awaiting_activation")

    def test_the_commercial_customers_document_counts(self):
        company = self.env["res.partner"].create(
            {"name": "Provedor Cliente Ltda", "is_company": True, "vat": "11.222.333/0001-82",
             "country_id": self.brazil.id})
        contact = self.env["res.partner"].create(
            {"name": "Rita Gomes", "parent_id": company.id, "email": "rita@example.com"})
        contract = self.make_contract(contact, [self.tv_product])
        message = self.assertRefusedWithNothingDone(
            lambda: self.create_as_operator(contract), contract)
        self.assertIn("Provedor Cliente Ltda", message)

    def test_without_country_the_company_country_decides(self):
        self.partner.write({"country_id": False, "vat": WRONG_CPF})
        self.company.country_id = self.brazil
        self.assertRefusedWithNothingDone(self.create_as_operator)
        self.company.country_id = self.env.ref("base.us")
        user = self.create_as_operator()  # not a Brazilian customer: not a CPF/CNPJ
        self.run_jobs()
        self.assertEqual(user.sync_state, "synced")

    def test_create_on_platform_of_a_proposal_is_refused(self):
        proposal = self.env["tv.user"].sudo().with_context(tv_no_platform_sync=True).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})
        self.partner.vat = WRONG_CPF
        self.assertRefusedWithNothingDone(proposal.sudo(self.operator).action_create_on_platform)
        self.assertEqual((proposal.platform_state, proposal.sync_state), ("draft", "none"))
        self.partner.vat = VALID_CPF
        proposal.sudo(self.operator).action_create_on_platform()
        self.run_jobs()
        self.assertEqual(proposal.sync_state, "synced")

    def test_a_document_corrupted_after_the_request_stops_the_job(self):
        self.partner.vat = VALID_CPF
        user = self.create_as_operator()
        self.partner.vat = WRONG_CPF  # before the job runs
        requests_before = self.sandbox.stats()["total_requests"]
        self.run_jobs()
        self.assertEqual(user.sync_state, "error")
        self.assertIn(WRONG_CPF, user.sync_error)
        self.assertFalse(user.account_number)
        self.assertEqual(self.sandbox.stats()["total_requests"], requests_before)

    def test_sales_flow_notes_a_wrong_document_instead_of_a_proposal(self):
        buyer = self.env["res.partner"].create(
            {"name": "Diego Alves", "email": "diego.alves@example.com", "customer": True,
             "country_id": self.brazil.id, "vat": "123.456.789-00"})
        order = self.env["sale.order"].create({
            "partner_id": buyer.id,
            "order_line": [(0, 0, {"product_id": self.tv_product.id, "name": "TV",
                                   "product_uom_qty": 1, "product_uom": self.tv_product.uom_id.id,
                                   "price_unit": 59.9})]})
        order.action_confirm()
        contract = order.tv_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertFalse(contract.tv_user_ids)
        notes = contract.message_ids.mapped("body")
        self.assertTrue(any("123.456.789-00" in note and "Diego Alves" in note
                            for note in notes), notes)

    def test_refusal_in_the_operators_language(self):
        self.operator.lang = "pt_BR"
        self.partner.vat = WRONG_CPF
        operator = self.operator.with_context(lang="pt_BR")
        message = self.assertRefusedWithNothingDone(
            lambda: self.create_as_operator(operator=operator))
        self.assertNotIn("is not valid", message)

    def test_partner_form_warns_but_saves(self):
        partner = self.env["res.partner"].sudo(self.operator).new(
            {"name": "Novo Cliente", "country_id": self.brazil.id, "vat": WRONG_CPF})
        warning = partner._onchange_vat_tv_document()["warning"]
        self.assertIn(WRONG_CPF, warning["message"])
        partner.vat = VALID_CPF
        self.assertFalse(partner._onchange_vat_tv_document())
        partner.update({"country_id": self.env.ref("base.pt").id, "vat": "PT123456789"})
        self.assertFalse(partner._onchange_vat_tv_document())
        # no constraint on partners: the addon is a guest in the ISP's Odoo
        saved = self.env["res.partner"].create(
            {"name": "Cliente Antigo", "country_id": self.brazil.id, "vat": WRONG_CPF})
        self.assertEqual(saved.vat, WRONG_CPF)
