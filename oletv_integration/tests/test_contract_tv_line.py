# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import ValidationError

from .common import OleTVCase


class TestContractTvLine(OleTVCase):

    def test_tv_line_requires_a_tv_product(self):
        with self.assertRaises(ValidationError):
            self.make_contract(self.partner, tv_products=[self.plain_product])

    def test_tv_product_line_gets_tv_type(self):
        contract = self.env["account.analytic.account"].create({
            "name": "Auto type", "partner_id": self.partner.id,
            "recurring_invoice_line_ids": [(0, 0, {
                "product_id": self.tv_product.id, "name": "TV", "quantity": 1,
                "uom_id": self.tv_product.uom_id.id})]})
        self.assertEqual(contract.recurring_invoice_line_ids.line_type, "tv")
        self.assertEqual(contract.tv_product_ids, self.tv_product)

    def test_tv_line_is_invoiced_like_any_line(self):
        contract = self.make_contract(self.partner, tv_products=[self.tv_product],
                                      plain_products=[self.plain_product])
        invoice = contract.recurring_create_invoice()
        products = invoice.invoice_line_ids.mapped("product_id")
        self.assertIn(self.tv_product, products)
        self.assertIn(self.plain_product, products)
        self.assertAlmostEqual(invoice.amount_untaxed, 149.0)
