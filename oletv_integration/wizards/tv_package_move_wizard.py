# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The integration's "Move a retired package" button: the retired package
and its successor, the products and TV users the move changes shown first
(tv.integration.tv_move_package_preview), then the move started in the
background (action_tv_move_package) and its record opened."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class TvPackageMoveWizard(models.TransientModel):
    _name = "tv.package.move.wizard"
    _description = "Move the Customers of a Retired TV Package"

    integration_id = fields.Many2one("tv.integration", string="TV integration", required=True,
                                     readonly=True, ondelete="cascade")
    old_package_id = fields.Many2one("tv.package", string="Retired package", required=True,
                                     ondelete="cascade")
    new_package_id = fields.Many2one("tv.package", string="Successor", required=True,
                                     ondelete="cascade")
    plans = fields.Text(string="Plans changed", compute="_compute_preview")
    addons = fields.Text(string="Add-ons changed", compute="_compute_preview")
    tv_user_count = fields.Integer(string="TV users to sync", compute="_compute_preview")
    refusal = fields.Char(string="Not possible", compute="_compute_preview")

    @api.depends("integration_id", "old_package_id", "new_package_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.update({"plans": False, "addons": False, "tv_user_count": 0,
                           "refusal": False})
            if not (wizard.old_package_id and wizard.new_package_id):
                continue
            try:
                preview = wizard.integration_id.tv_move_package_preview(
                    wizard.old_package_id.id, wizard.new_package_id.id)
            except UserError as refusal:
                wizard.refusal = refusal.name
                continue
            wizard.plans = "\n".join(preview["plans"]) or _("(no plan)")
            wizard.addons = "\n".join(preview["addons"]) or _("(no add-on)")
            wizard.tv_user_count = preview["tv_users"]

    @api.multi
    def action_start(self):
        self.ensure_one()
        move_id = self.integration_id.action_tv_move_package(
            self.old_package_id.id, self.new_package_id.id)
        return {"type": "ir.actions.act_window", "res_model": "tv.package.move",
                "res_id": move_id, "view_mode": "form", "target": "current"}
