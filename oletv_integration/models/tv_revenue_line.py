# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A month's revenue assurance, one row per platform package (and one per
line of Olé TV's vendor bill that names no package): what the platform
counted and bills, what the ISP invoiced, the vendor bill, where they
differ and the margin. Filled by the integration's "Compute month"
(services/revenue_month.py, core/bill_check.py), which replaces the
month's rows; read by TV managers and billing users, written by the system
only (owned_fields.py).

The dispute export (a row's button) downloads the row's month as a CSV
for Olé TV through controllers/revenue.py, which reads it as the user."""
from odoo import api, fields, models

from ..core import bill_check

STATUS_SELECTION = [
    (bill_check.MATCH, "Matches"),
    (bill_check.DIFFERS, "Differs"),
    (bill_check.NOT_BILLED, "Counted, not on the bill"),
    (bill_check.NOT_COUNTED, "Billed, not counted"),
    (bill_check.NO_BILL, "No vendor bill"),
    (bill_check.UNKNOWN_LINE, "Bill line of no package"),
]


class TvRevenueLine(models.Model):
    _name = "tv.revenue.line"
    _description = "TV Revenue Assurance Line"
    _inherit = ["tv.revenue.month.mixin"]
    _order = "month desc, integration_id, package_code, id"

    package_id = fields.Many2one("tv.package", readonly=True,
                                 ondelete="set null")
    package_code = fields.Char(readonly=True)
    description = fields.Char(readonly=True,
                              help="The vendor bill's line, when it names no package.")
    status = fields.Selection(STATUS_SELECTION, readonly=True)
    counted_quantity = fields.Float(string="Counted quantity", readonly=True,
                                    help="What the platform bills for the package in the "
                                         "month, by the integration's rule.")
    subscriber_days = fields.Integer(readonly=True)
    subscribers = fields.Integer(readonly=True)
    invoiced_lines = fields.Integer(string="Lines invoiced", readonly=True)
    invoiced_customers = fields.Integer(string="Customers invoiced", readonly=True)
    invoiced_quantity = fields.Float(string="Quantity invoiced", readonly=True)
    revenue = fields.Monetary(string="Revenue (untaxed)", readonly=True)
    platform_price = fields.Monetary(readonly=True)
    expected_amount = fields.Monetary(string="Counted x price", readonly=True)
    platform_cost = fields.Monetary(readonly=True,
                                    help="The vendor bill's amount for the package when a "
                                         "bill names it, else the counted quantity x the "
                                         "platform price.")
    bill_quantity = fields.Float(string="Quantity billed", readonly=True)
    bill_amount = fields.Monetary(string="Amount billed", readonly=True)
    quantity_diff = fields.Float(string="Quantity difference", readonly=True,
                                 help="Billed minus counted.")
    amount_diff = fields.Monetary(string="Amount difference", readonly=True,
                                  help="Billed minus counted x price.")
    margin = fields.Monetary(readonly=True, help="Revenue minus platform cost.")

    @api.multi
    def name_get(self):
        """The package (or the bill's line) and the month: a row's form and
        breadcrumb say what it is."""
        return [(line.id, "%s %s" % (line.package_code or line.description or "",
                                     (line.month or "")[:7])) for line in self]

    @api.multi
    def action_dispute_export(self):
        """Download the dispute export of the row's month: the address of
        the controller, which checks the user again and reads as him
        (services/dispute_export.py). Whoever reads the row: TV managers,
        invoicing managers, billing clerks."""
        self.ensure_one()
        self.check_access_rule("read")
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/oletv/revenue/dispute/%d/%s" % (self.integration_id.id, self.month)}
