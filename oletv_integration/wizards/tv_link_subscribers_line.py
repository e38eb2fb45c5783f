# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One row of the link wizard's preview or outcome."""
from odoo import fields, models

from ..services.link_planner import STATUS_SELECTION


class TvLinkSubscribersLine(models.TransientModel):
    _name = "tv.link.subscribers.line"
    _description = "Link existing TV subscribers: row"
    _order = "row, id"

    wizard_id = fields.Many2one("tv.link.subscribers.wizard", required=True, ondelete="cascade",
                                index=True)
    row = fields.Integer(string="Line", help="Line number in the file (the header is line 1).")
    contract_ref = fields.Char(string="Contract / VAT in the file")
    contract_id = fields.Many2one("account.analytic.account")
    login = fields.Char()
    account_number = fields.Char()
    product_id = fields.Many2one("product.product")
    status = fields.Selection(STATUS_SELECTION, string="Outcome", required=True)
    reason = fields.Text()
    tv_user_id = fields.Many2one("tv.user", string="TV user")
