# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's "Suspend on request" button: the TV operator types the
dates the customer asked for; the contract's action_tv_suspend_on_request
checks and registers it."""
from odoo import api, fields, models


class TvRequestSuspensionWizard(models.TransientModel):
    _name = "tv.request.suspension.wizard"
    _description = "Suspend on Request"

    contract_id = fields.Many2one("account.analytic.account", required=True, readonly=True,
                                  ondelete="cascade")
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To", required=True,
                          help="The last day of the suspension (included).")
    reason = fields.Char()
    suspension_max_days = fields.Integer(
        string="Days allowed per 12 months", compute="_compute_suspension_max_days")

    @api.depends("contract_id")
    def _compute_suspension_max_days(self):
        for wizard in self:
            policy = wizard.contract_id._tv_delinquency_policy() if wizard.contract_id else None
            wizard.suspension_max_days = policy.suspension_max_days if policy else 0

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.contract_id.action_tv_suspend_on_request(self.date_from, self.date_to, self.reason)
        return {"type": "ir.actions.act_window_close"}
