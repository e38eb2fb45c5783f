# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The TV user's "Add-ons" button: add an add-on its plan accepts, or
remove one it has, with what it costs and from when shown before the
operator confirms (the contract's tv_addon_preview); the contract's
action_tv_addon_add / action_tv_addon_remove check and apply it."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..core import addon_rules
from ..services.tv_addons import addon_products

ACTIONS = [(addon_rules.ADD, "Add"), (addon_rules.REMOVE, "Remove")]


class TvAddonWizard(models.TransientModel):
    _name = "tv.addon.wizard"
    _inherit = ["tv.operator.dialog"]
    _description = "Add or Remove a TV User's Add-on"

    tv_user_id = fields.Many2one("tv.user", string="TV user", required=True, readonly=True,
                                 ondelete="cascade")
    # read with the user's rights: a wizard is anyone's to create
    contract_id = fields.Many2one(related="tv_user_id.contract_id", readonly=True,
                                  related_sudo=False)
    integration_id = fields.Many2one(related="tv_user_id.integration_id", readonly=True,
                                     related_sudo=False)
    action = fields.Selection(ACTIONS, required=True, default=addon_rules.ADD)
    product_id = fields.Many2one("product.product", string="Add-on", required=True,
                                 ondelete="cascade")
    # what the request means, shown before it is confirmed: amounts in the
    # contract company's currency (R$ 29,90), dates as the user writes them
    currency_id = fields.Many2one("res.currency", compute="_compute_preview")
    price = fields.Monetary(string="Price per period", compute="_compute_preview")
    effective_date = fields.Date(string="Takes effect on", compute="_compute_preview")
    first_amount = fields.Monetary(
        string="First amount", compute="_compute_preview",
        help="Charged for the days of the first period (pro rata); negative: credited.")
    first_period = fields.Char(string="For", compute="_compute_preview")
    document_date = fields.Date(string="Invoiced on", compute="_compute_preview")
    refusal = fields.Char(string="Not possible", compute="_compute_preview")

    def _tv_dialog_records(self):
        """Its TV user (the login is its name)."""
        return [self.tv_user_id]

    @api.onchange("tv_user_id", "action")
    def _onchange_addon_choices(self):
        """Offer the add-ons the request can take: those the plan accepts
        besides the TV user's (Add), the TV user's own (Remove)."""
        if not self.tv_user_id:
            return {}
        held, offered = addon_products(self.tv_user_id)
        choices = held if self.action == addon_rules.REMOVE else offered
        if self.product_id not in choices:
            self.product_id = False
        return {"domain": {"product_id": [("id", "in", choices.ids)]}}

    @api.depends("tv_user_id", "product_id", "action")
    def _compute_preview(self):
        for wizard in self:
            wizard.update({"price": 0.0, "effective_date": False, "first_amount": 0.0,
                           "document_date": False, "first_period": False, "refusal": False,
                           "currency_id": wizard.contract_id.company_id.currency_id})
            if not (wizard.tv_user_id and wizard.product_id and wizard.action):
                continue
            try:
                preview = wizard.contract_id.tv_addon_preview(
                    wizard.tv_user_id.id, wizard.product_id.id, wizard.action)
            except UserError as refusal:
                wizard.refusal = refusal.name
                continue
            wizard.update({
                "price": preview["price"], "effective_date": preview["date"],
                "first_amount": preview["amount"], "document_date": preview["document_date"],
                "first_period": _("%(days)d of %(total)d days (%(first)s to %(last)s)") % {
                    "days": preview["days"], "total": preview["total_days"],
                    "first": format_date(wizard.env, preview["period_from"]),
                    "last": format_date(wizard.env, preview["period_to"])}})

    @api.multi
    def action_confirm(self):
        self.ensure_one()
        contract = self.contract_id
        if self.action == addon_rules.REMOVE:
            contract.action_tv_addon_remove(self.tv_user_id.id, self.product_id.id)
        else:
            contract.action_tv_addon_add(self.tv_user_id.id, self.product_id.id)
        return {"type": "ir.actions.act_window_close"}
