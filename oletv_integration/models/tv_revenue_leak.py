# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A month's leaks seen from Odoo's data alone (the addon's contract status
history and TV users, no platform read), with the money each costs: TV
invoiced for a contract with no live TV user that month (revenue at risk
of a refund or a dispute), a TV user live during the month with no TV line
invoiced (revenue lost: its product's price). Filled with the month's
revenue assurance rows by the integration's "Compute month"
(services/revenue_month.py, core/bill_check.py), which replaces them; the
system's (owned_fields.py), read by TV managers and billing users."""
from odoo import fields, models

from ..core import bill_check


class TvRevenueLeak(models.Model):
    _name = "tv.revenue.leak"
    _description = "TV Revenue Leak"
    _inherit = ["tv.revenue.month.mixin"]
    _order = "month desc, integration_id, kind, amount desc, id"

    kind = fields.Selection([
        (bill_check.INVOICED_NOT_LIVE, "Invoiced, no live TV user"),
        (bill_check.LIVE_NOT_INVOICED, "Live TV user, not invoiced"),
    ], required=True, readonly=True)
    contract_id = fields.Many2one("account.analytic.account", readonly=True,
                                  ondelete="set null")
    tv_user_id = fields.Many2one("tv.user", string="TV user", readonly=True,
                                 ondelete="set null")
    product_id = fields.Many2one("product.product", readonly=True, ondelete="set null")
    amount = fields.Monetary(readonly=True,
                             help="Invoiced, no live TV user: the amount invoiced (at risk of a "
                                  "refund). Live TV user, not invoiced: its product's price "
                                  "(lost).")
