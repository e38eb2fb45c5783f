# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's "Suspend on request" button: the TV operator types the
dates the customer asked for; the contract's action_tv_suspend_on_request
checks and registers it."""
from odoo import api, fields, models

from ..services.company_day import as_date


class TvRequestSuspensionWizard(models.TransientModel):
    _name = "tv.request.suspension.wizard"
    _inherit = ["tv.operator.dialog"]
    _description = "Suspend on Request"

    contract_id = fields.Many2one("account.analytic.account", required=True, readonly=True,
                                  ondelete="cascade")
    date_from = fields.Date(string="From", required=True, default=fields.Date.context_today)
    date_to = fields.Date(string="To", required=True,
                          help="The last day of the suspension (included).")
    reason = fields.Char()
    suspension_max_days = fields.Integer(
        string="Days allowed per 12 months", compute="_compute_suspension_allowance")
    suspension_days_taken = fields.Integer(
        string="Days already taken", compute="_compute_suspension_allowance",
        help="Days of the contract's suspensions (taken, running or scheduled) within 12 "
             "months of the first day asked.")
    suspension_days_left = fields.Integer(
        string="Days left", compute="_compute_suspension_allowance")

    def _tv_dialog_records(self):
        """Its contract."""
        return [self.contract_id]

    @api.depends("contract_id", "date_from")
    def _compute_suspension_allowance(self):
        for wizard in self:
            contract = wizard.contract_id
            allowed, taken, left = contract._tv_suspension_allowance(
                as_date(wizard.date_from)) if contract else (0, 0, 0)
            wizard.suspension_max_days = allowed
            wizard.suspension_days_taken = taken
            wizard.suspension_days_left = left

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.contract_id.action_tv_suspend_on_request(self.date_from, self.date_to, self.reason)
        return {"type": "ir.actions.act_window_close"}
