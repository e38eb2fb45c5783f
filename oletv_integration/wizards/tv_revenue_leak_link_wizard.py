# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The revenue assurance's Link: a subscriber on the platform linked to no
TV user, linked to the contract (and TV product) the TV manager chooses,
through the link of existing subscribers (tv.revenue.leak._tv_link)."""
from odoo import _, api, fields, models


class TvRevenueLeakLinkWizard(models.TransientModel):
    _name = "tv.revenue.leak.link.wizard"
    _description = "Link a platform subscriber to a contract"

    leak_id = fields.Many2one("tv.revenue.leak", required=True, ondelete="cascade")
    # read with the user's rights: a wizard is anyone's to create (Odoo 11
    # checks no access right on a transient model), its onchange anyone's to
    # call; read as the system, any user would read any company's leaks
    account_number = fields.Char(related="leak_id.account_number", readonly=True,
                                 related_sudo=False)
    login = fields.Char(related="leak_id.login", readonly=True, related_sudo=False)
    integration_id = fields.Many2one(related="leak_id.integration_id", readonly=True,
                                     related_sudo=False)
    contract_id = fields.Many2one("account.analytic.account", required=True)
    product_id = fields.Many2one(
        "product.product", string="TV product",
        domain="[('is_tv_product', '=', True), ('tv_integration_id', '=', integration_id)]",
        help="Empty: the contract's only TV product of the integration.")

    @api.multi
    def action_link(self):
        """Plan the link (every check of the link of existing subscribers)
        and link; opens the new TV user."""
        self.ensure_one()
        tv_user = self.leak_id._tv_link(self.contract_id, self.product_id)
        return {"type": "ir.actions.act_window", "res_model": "tv.user", "res_id": tv_user.id,
                "view_mode": "form", "target": "current", "name": _("TV user")}
