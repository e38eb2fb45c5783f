# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What every row of a month's revenue assurance carries (the month's
rows per package, tv_revenue_line.py, and its leaks, tv_revenue_leak.py):
its integration, company and month. The rows are the system's
(owned_fields.py), written by the integration's "Compute month"."""
from odoo import fields, models


class TvRevenueMonthMixin(models.AbstractModel):
    _name = "tv.revenue.month.mixin"
    _description = "A month's revenue assurance row"
    _inherit = ["tv.field.guard"]

    integration_id = fields.Many2one("tv.integration", required=True, ondelete="cascade",
                                     index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    month = fields.Date(required=True, readonly=True, index=True,
                        help="The month's first day.")
