# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The tax lines of an invoice: Odoo 11 lets salespeople create and write
them, and a validated invoice's journal entry, or a settlement's correction
(reconciled with its invoice once validated), takes their amounts as they
are. On those, billing users only (as the invoice's lines:
account_invoice_line.py)."""
from odoo import api, models


class AccountInvoiceTax(models.Model):
    _inherit = "account.invoice.tax"

    @api.model
    def create(self, vals):
        tax = super().create(vals)
        self.env["account.invoice.line"]._tv_check_money(tax.sudo().invoice_id)
        return tax

    @api.multi
    def write(self, vals):
        invoices = self.sudo().mapped("invoice_id")
        if vals.get("invoice_id"):
            invoices |= invoices.browse(vals["invoice_id"])
        self.env["account.invoice.line"]._tv_check_money(invoices)
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.env["account.invoice.line"]._tv_check_money(self.sudo().mapped("invoice_id"))
        return super().unlink()
