# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What a contract's invoice line charges: its period, the days of it that
it covers and charges (services/invoiced_days.py), and the corrections made
later for them (services/settlement.py). The invoicing and the settlement
write them; they are the system's (owned_fields.py).

What a validated invoice's line charges (its price, quantity, taxes, ...)
is what the settlement credits: changed by billing users only (a
salesperson may write invoice lines in Odoo 11), as the invoice's own debt
fields (account_invoice.py)."""
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from .account_invoice import DRAFT_STATES

# what a line charges, and of whom
MONEY_FIELDS = ("price_unit", "quantity", "discount", "invoice_line_tax_ids", "product_id",
                "uom_id", "account_id", "account_analytic_id", "invoice_id", "partner_id",
                "company_id", "currency_id",
                # stored computed: Odoo 11 writes them when asked, and the
                # journal entry is built from them
                "price_subtotal", "price_subtotal_signed", "price_total", "price_tax")


class AccountInvoiceLine(models.Model):
    _name = "account.invoice.line"
    _inherit = ["account.invoice.line", "tv.field.guard"]

    tv_period_from = fields.Date(string="Period from", readonly=True, copy=False,
                                 help="The first day of the invoicing period the line's "
                                      "price is for.")
    tv_period_to = fields.Date(string="Period to", readonly=True, copy=False, index=True)
    tv_covered_from = fields.Date(string="Covers from", readonly=True, copy=False)
    tv_covered_to = fields.Date(string="Covers to", readonly=True, copy=False)
    tv_days_charged = fields.Integer(
        string="Days charged", readonly=True, copy=False,
        help="The days of the period the line charges; on a correction, the days it moves "
             "(negative on a credit note).")
    tv_full_discount = fields.Float(string="Discount before pro rata", readonly=True,
                                    copy=False, digits=(16, 6))
    tv_settled_line_id = fields.Many2one(
        "account.invoice.line", string="Corrects", readonly=True, copy=False, index=True,
        ondelete="restrict", help="The invoice line whose days this line credits or charges.")
    tv_settlement_line_ids = fields.One2many("account.invoice.line", "tv_settled_line_id",
                                             string="Corrections", readonly=True, copy=False)
    tv_addon_line_id = fields.Many2one(
        "account.analytic.invoice.line", string="Add-on of", readonly=True, copy=False,
        index=True, ondelete="set null",
        help="The contract's add-on line this line charges: it covers the add-on's days.")

    @api.model
    def create(self, vals):
        line = super().create(vals)
        # checked on the line created: its invoice may come from a default
        line._tv_check_money(line.sudo().invoice_id)
        return line

    @api.multi
    def write(self, vals):
        self.sudo().mapped("invoice_id").with_env(self.env)._tv_check_correction()
        if set(MONEY_FIELDS) & set(vals):
            invoices = self.sudo().mapped("invoice_id")
            if vals.get("invoice_id"):  # the invoice it moves to too
                invoices |= invoices.browse(vals["invoice_id"])
            self._tv_check_money(invoices)
        return super().write(vals)

    def _tv_check_money(self, invoices):
        """Billing users only change what a validated invoice charges, or a
        correction of the settlement (a draft the system made)."""
        if self.env["account.invoice"]._tv_billing_user():
            return
        if invoices.filtered(lambda inv: inv.state not in DRAFT_STATES or inv.tv_cause) or \
                self.sudo().filtered("tv_settled_line_id"):
            raise AccessError(_("Only billing users can change what a validated invoice "
                                "charges. Nothing was changed."))

    @api.model
    def _tv_ledger_fields(self):
        return [name for name in self._fields if name.startswith("tv_")]
