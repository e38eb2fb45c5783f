# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Release on payment: when a contract's invoice is settled (paid by a
reconciled payment or credit note) or cancelled, the contract is checked at
once instead of waiting for the daily run. Other changes (a new invoice
validated, a payment reversed, a due date moved) wait for the daily run.

In Odoo 11 a reconciliation that settles an invoice calls
`action_invoice_paid`, which writes `state`; un-reconciling calls
`action_invoice_re_open`, which writes it back. Both go through `write`."""
from odoo import api, models

SETTLED_STATES = ("paid", "cancel")


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") in SETTLED_STATES:
            contracts = self.sudo().filtered(
                lambda inv: inv.type == "out_invoice").mapped("contract_id")
            if contracts:
                # sudo: whoever registers the payment releases the TV access
                contracts._tv_release_if_paid()
        return result
