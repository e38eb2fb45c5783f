# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The contract's "Change plan" button: one of the contract's TV users, a
TV product of the same integration, now or from the next invoicing period;
the contract's action_tv_plan_change checks and applies (or schedules) it."""
from odoo import api, fields, models
from odoo.addons import decimal_precision as dp

from ..models.tv_plan_change import WHEN


class TvPlanChangeWizard(models.TransientModel):
    _name = "tv.plan.change.wizard"
    _inherit = ["tv.operator.dialog"]
    _description = "Change a TV User's Plan"

    contract_id = fields.Many2one("account.analytic.account", required=True, readonly=True,
                                  ondelete="cascade")
    tv_user_id = fields.Many2one("tv.user", string="TV user", required=True,
                                 ondelete="cascade",
                                 default=lambda self: self._default_tv_user())
    # read with the user's rights: a wizard is anyone's to create
    current_product_id = fields.Many2one(related="tv_user_id.product_id", readonly=True,
                                         string="Current product", related_sudo=False)
    integration_id = fields.Many2one(related="tv_user_id.integration_id", readonly=True,
                                     related_sudo=False)
    new_product_id = fields.Many2one("product.product", string="New TV product", required=True,
                                     ondelete="cascade")
    when = fields.Selection(WHEN, required=True, default="now")
    next_period_date = fields.Date(related="contract_id.recurring_next_date", readonly=True,
                                   string="Next invoice", related_sudo=False)
    reason = fields.Char()
    # what the change means, shown before it is confirmed
    current_price = fields.Float(string="Current price", digits=dp.get_precision("Product Price"),
                                 compute="_compute_change_preview")
    new_price = fields.Float(string="New price", digits=dp.get_precision("Product Price"),
                             compute="_compute_change_preview",
                             help="The new product's price for this customer (the contract's or "
                                  "the customer's pricelist, else its sales price).")
    packages_added = fields.Char(string="Packages added", compute="_compute_change_preview")
    packages_removed = fields.Char(string="Packages removed", compute="_compute_change_preview")
    addons_dropped = fields.Char(
        string="Add-ons removed", compute="_compute_change_preview",
        help="The TV user's add-ons the new plan does not accept: removed with the change.")

    def _tv_dialog_records(self):
        """Its contract and TV user."""
        return [self.contract_id, self.tv_user_id]

    @api.depends("contract_id", "tv_user_id", "new_product_id")
    def _compute_change_preview(self):
        for wizard in self:
            old, new = wizard.current_product_id, wizard.new_product_id
            line = wizard.contract_id.recurring_invoice_line_ids.filtered(
                lambda tv_line: tv_line.line_type == "tv" and tv_line.product_id == old)[:1]
            wizard.current_price = line.price_unit
            wizard.new_price = wizard.env["tv.plan.change"].new(
                {"new_product_id": new.id})._tv_price(
                    wizard.contract_id, line.quantity or 1.0, line.uom_id or new.uom_id) \
                if new and wizard.contract_id else 0.0
            old_packages = old.product_tmpl_id._tv_packages()
            new_packages = new.product_tmpl_id._tv_packages() if new else old_packages
            wizard.packages_added = ", ".join((new_packages - old_packages).mapped("name"))
            wizard.packages_removed = ", ".join((old_packages - new_packages).mapped("name"))
            wizard.addons_dropped = ", ".join(wizard.env["tv.plan.change"].new(
                {"tv_user_id": wizard.tv_user_id.id, "new_product_id": new.id}
            )._tv_addons_dropped().mapped("product_id.display_name")) if new else ""

    @api.model
    def _default_tv_user(self):
        """The contract's TV user when it has only one."""
        contract_id = self.env.context.get("default_contract_id")
        if not isinstance(contract_id, int):
            return self.env["tv.user"]
        users = self.env["account.analytic.account"].browse(contract_id).exists().tv_user_ids
        return users if len(users) == 1 else self.env["tv.user"]

    @api.onchange("tv_user_id")
    def _onchange_tv_user_id(self):
        if self.new_product_id.tv_integration_id != self.integration_id:
            self.new_product_id = False

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        self.contract_id.action_tv_plan_change(self.tv_user_id.id, self.new_product_id.id,
                                               when=self.when, reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
