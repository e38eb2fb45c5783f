# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Activation from the sales flow: a confirmed sale order with TV products,
or a contract created from a contract template, gets its TV users proposed
(not created on the platform until the operator confirms them)."""
from .common import OleTVCase


class TestSalesFlow(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Diego Alves", "email": " Diego.Alves@Example.com", "customer": True})
        cls.router = cls.env["product.product"].create({"name": "Wi-Fi router", "type": "consu"})

    def make_order(self, products, partner=None):
        return self.env["sale.order"].create({
            "partner_id": (partner or self.buyer).id,
            "order_line": [(0, 0, {"product_id": product.id, "name": product.name,
                                   "product_uom_qty": 1, "product_uom": product.uom_id.id,
                                   "price_unit": price})
                           for product, price in products],
        })

    def test_confirmed_order_creates_the_contract_and_proposes_tv_users(self):
        order = self.make_order([(self.tv_product, 59.9), (self.plain_product, 99.0),
                                 (self.router, 300.0)])
        with self.mock():  # no platform call at all
            order.action_confirm()
        contract = order.tv_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertEqual(contract.partner_id, self.buyer)
        self.assertEqual(contract.tv_sale_order_id, order)
        self.assertTrue(contract.recurring_invoices)
        lines = {line.product_id: line for line in contract.recurring_invoice_line_ids}
        self.assertEqual(set(lines), {self.tv_product, self.plain_product})  # not the router
        self.assertEqual(lines[self.tv_product].line_type, "tv")
        self.assertEqual(lines[self.plain_product].line_type, "product")
        self.assertAlmostEqual(lines[self.tv_product].price_unit, 59.9)
        user = contract.tv_user_ids
        self.assertEqual(len(user), 1)
        self.assertEqual((user.product_id, user.login, user.platform_state, user.desired_access),
                         (self.tv_product, "diego.alves@example.com", "draft", "allowed"))
        self.assertFalse(user.account_number)
        self.assertEqual(user.integration_id, self.integration)
        self.assertEqual(contract.contract_status, "active")

    def test_an_addon_sold_on_the_order_waits_for_its_tv_user(self):
        """An add-on is sold for a TV user: not on the contract (whose TV
        users are proposals yet), the order's chatter says so."""
        addon = self.env["product.product"].create({
            "name": "Telecine", "type": "service", "list_price": 30.0, "is_tv_product": True,
            "tv_platform": "oletv", "tv_product_kind": "addon",
            "tv_integration_id": self.integration.id,
            "tv_additional_line_ids": [(0, 0, {"package_id": self.pkg_hbo.id})]})
        order = self.make_order([(self.tv_product, 59.9), (addon, 30.0)])
        with self.mock():
            order.action_confirm()
        contract = order.tv_contract_ids
        self.assertEqual(contract.recurring_invoice_line_ids.mapped("product_id"),
                         self.tv_product)
        self.assertEqual(contract.tv_user_ids.product_id, self.tv_product)
        self.assertIn("The add-ons Telecine are not on the contract", order.message_ids[0].body)

    def test_confirming_again_does_not_duplicate_the_contract(self):
        order = self.make_order([(self.tv_product, 59.9)])
        order.action_confirm()
        order.action_cancel()
        order.action_draft()
        order.action_confirm()
        self.assertEqual(len(order.tv_contract_ids), 1)
        self.assertEqual(len(order.tv_contract_ids.tv_user_ids), 1)

    def test_order_without_tv_products_creates_no_contract(self):
        order = self.make_order([(self.plain_product, 99.0)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.tv_contract_ids)

    def test_login_already_used_gets_a_note_instead(self):
        order = self.make_order([(self.tv_product, 59.9), (self.tv_product_box, 119.9)])
        order.action_confirm()
        contract = order.tv_contract_ids
        self.assertEqual(contract.tv_product_ids, self.tv_product | self.tv_product_box)
        self.assertEqual(len(contract.tv_user_ids), 1)  # one e-mail, one login per integration
        notes = contract.message_ids.mapped("body")
        self.assertTrue(any("already used" in body for body in notes), notes)

    def test_customer_without_email_gets_a_note_instead(self):
        partner = self.env["res.partner"].create({"name": "Sem E-mail", "customer": True})
        order = self.make_order([(self.tv_product, 59.9)], partner=partner)
        order.action_confirm()
        contract = order.tv_contract_ids
        self.assertTrue(contract)
        self.assertFalse(contract.tv_user_ids)
        self.assertTrue(any("no valid e-mail" in body
                            for body in contract.message_ids.mapped("body")))


class TestContractTemplate(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        journal = cls.env["account.journal"].search([("type", "=", "sale")], limit=1)
        cls.template = cls.env["account.analytic.contract"].create({
            "name": "Internet + TV", "journal_id": journal.id,
            "recurring_rule_type": "yearly", "recurring_interval": 1,
            "recurring_invoice_line_ids": [
                (0, 0, {"product_id": cls.tv_product.id, "name": "TV", "quantity": 1,
                        "uom_id": cls.tv_product.uom_id.id, "specific_price": 45.0}),
                (0, 0, {"product_id": cls.plain_product.id, "name": "Internet", "quantity": 1,
                        "uom_id": cls.plain_product.uom_id.id, "specific_price": 99.0}),
            ],
        })
        cls.subscriber = cls.env["res.partner"].create(
            {"name": "Elisa Rocha", "email": "elisa@example.com", "customer": True})

    def test_template_lines_get_the_tv_type(self):
        types = {line.product_id: line.line_type
                 for line in self.template.recurring_invoice_line_ids}
        self.assertEqual(types, {self.tv_product: "tv", self.plain_product: "product"})

    def test_contract_from_template_alone_gets_lines_and_tv_users(self):
        with self.mock():  # no platform call
            contract = self.env["account.analytic.account"].create({
                "name": "Elisa", "partner_id": self.subscriber.id, "recurring_invoices": True,
                "contract_template_id": self.template.id})
        self.assertEqual(contract.recurring_rule_type, "yearly")
        lines = {line.product_id: line for line in contract.recurring_invoice_line_ids}
        self.assertEqual(set(lines), {self.tv_product, self.plain_product})
        self.assertEqual(lines[self.tv_product].line_type, "tv")
        self.assertAlmostEqual(lines[self.tv_product].price_unit, 45.0)
        self.assertEqual(contract.tv_user_ids.mapped("product_id"), self.tv_product)
        self.assertEqual(contract.tv_user_ids.login, "elisa@example.com")
        self.assertEqual(contract.tv_user_ids.platform_state, "draft")

    def test_contract_from_template_form_keeps_its_lines(self):
        """The form's template onchange already filled the lines: they are kept."""
        draft = self.env["account.analytic.account"].new({
            "name": "Elisa", "partner_id": self.subscriber.id,
            "contract_template_id": self.template.id})
        draft._onchange_contract_template_id()
        lines = draft._convert_contract_lines(self.template)
        self.assertEqual(len(lines), 2)
        contract = self.env["account.analytic.account"].create({
            "name": "Elisa", "partner_id": self.subscriber.id, "recurring_invoices": True,
            "contract_template_id": self.template.id, "recurring_invoice_line_ids": lines})
        self.assertEqual(len(contract.recurring_invoice_line_ids), 2)
        self.assertEqual(len(contract.tv_user_ids), 1)

    def test_contract_without_template_gets_no_proposal(self):
        contract = self.make_contract(self.subscriber, [self.tv_product])
        self.assertFalse(contract.tv_user_ids)
