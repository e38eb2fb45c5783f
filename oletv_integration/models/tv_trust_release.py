# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Trust releases ("liberação em confiança"): an operator releases a
delinquent contract for a few days; each use is logged for auditing."""
from odoo import fields, models

from .account_analytic_account import BLOCK_REASON_SELECTION, CONTRACT_STATUS_SELECTION


class TvTrustRelease(models.Model):
    _name = "tv.trust.release"
    _description = "Trust Release"
    _inherit = ["tv.field.guard"]
    _order = "date desc, id desc"

    contract_id = fields.Many2one("account.analytic.account", required=True,
                                  ondelete="restrict", index=True, readonly=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)
    date = fields.Date(string="Released on", required=True, readonly=True,
                       default=fields.Date.context_today)
    days = fields.Integer(required=True, readonly=True)
    date_end = fields.Date(string="Until", required=True, readonly=True,
                           help="The last day of the trust release.")
    user_id = fields.Many2one("res.users", string="Released by", required=True, readonly=True,
                              default=lambda self: self.env.user)
    previous_status = fields.Selection(CONTRACT_STATUS_SELECTION, readonly=True)
    previous_block_reason = fields.Selection(
        BLOCK_REASON_SELECTION, readonly=True)
    outcome = fields.Selection(
        [("running", "Running"), ("paid", "Paid"), ("blocked_again", "Blocked again"),
         ("expired", "Ended")],
        required=True, default="running", readonly=True,
        help="Paid: no overdue invoice was left. Blocked again: it ended with "
             "invoices still overdue. Ended: it ended, nothing left to block.")
