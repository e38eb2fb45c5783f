# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plan changes: a TV user moves to another TV product of the same
integration (upgrade or downgrade), now or from the next invoicing period.
Applying one changes the contract's TV/Streaming line (product, description,
price and unit as the line's product onchange would) and the TV user's
product; the TV user's sync then pushes the new packages to the platform
(sync_plan's PUSH_PACKAGES). The TV user keeps the add-ons the new plan
accepts; the others end the day before the change (services/tv_addons.py),
named in the wizard, the scheduled change's note and the chatter. Each
change is logged here and in the chatter of the contract and of the TV user
(whose product is tracked)."""
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..core import customer_requests as requests_rules
from ..services.company_day import as_date
from ..services.settlement import Settlement
from ..services.tv_addons import TvAddons
from ..services.tv_roles import as_system, check_request_operator

_logger = logging.getLogger(__name__)

WHEN = [("now", "Now"), ("next_period", "From the next invoicing period")]


class TvPlanChange(models.Model):
    _name = "tv.plan.change"
    _description = "TV Plan Change"
    _inherit = ["tv.field.guard"]
    _order = "date desc, id desc"

    contract_id = fields.Many2one("account.analytic.account", required=True,
                                  ondelete="restrict", index=True, readonly=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)
    tv_user_id = fields.Many2one("tv.user", string="TV user", required=True, readonly=True,
                                 ondelete="restrict", index=True)
    old_product_id = fields.Many2one("product.product", string="From product", required=True,
                                     readonly=True, ondelete="restrict")
    new_product_id = fields.Many2one("product.product", string="To product", required=True,
                                     readonly=True, ondelete="restrict")
    when = fields.Selection(WHEN, required=True, readonly=True, default="now")
    date = fields.Date(string="Effective on", required=True, readonly=True)
    user_id = fields.Many2one("res.users", string="Requested by", required=True, readonly=True,
                              default=lambda self: self.env.user)
    reason = fields.Char(readonly=True)
    state = fields.Selection(
        [("scheduled", "Scheduled"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True, default="scheduled", readonly=True, index=True)
    tv_can_cancel = fields.Boolean(string="Can cancel", compute="_compute_tv_can_cancel",
                                   help="Cancel applies: the change is scheduled.")

    @api.multi
    def name_get(self):
        return [(change.id, _("Plan change to %(product)s on %(date)s") % {
            "product": change.new_product_id.display_name,
            "date": format_date(self.env, change.date)}) for change in self]

    # -- request -----------------------------------------------------------

    @api.model
    def _tv_request(self, contract, tv_user, product, when, reason, today):
        """Apply now, or schedule, a change of `tv_user` to `product`; refused
        with the reason (nothing written) when not allowed."""
        self._tv_check(contract, tv_user, product)
        if when not in dict(WHEN):
            raise UserError(_("Choose when the plan changes: now or from the next invoicing "
                              "period."))
        if tv_user.sudo().tv_plan_change_ids.filtered(lambda c: c.state == "scheduled"):
            raise UserError(_("The TV user %(login)s already has a scheduled plan change: "
                              "cancel it first.") % {"login": tv_user.login})
        date = today if when == "now" else self._tv_next_period(contract)
        change = as_system(self).create({
            "contract_id": contract.id, "tv_user_id": tv_user.id,
            "old_product_id": tv_user.product_id.id, "new_product_id": product.id,
            "when": when, "date": fields.Date.to_string(date), "user_id": self.env.user.id,
            "reason": reason or False})
        if when == "now":
            change.with_env(self.env)._tv_apply()
        else:
            as_system(contract).message_post(body=_(
                "Plan change scheduled for %(date)s: TV user %(login)s from %(old)s to "
                "%(new)s.") % change._tv_labels() + change._tv_dropped_text(
                    change._tv_addons_dropped()), author_id=self.env.user.partner_id.id)
        return change

    @api.model
    def _tv_check(self, contract, tv_user, product):
        if not tv_user or tv_user.contract_id != contract:
            raise UserError(_("Choose a TV user of contract %s.") % contract.display_name)
        refusal = contract._tv_why_not_plan_change()
        if refusal:
            raise UserError(refusal)
        if tv_user.to_delete or not tv_user.active:
            raise UserError(_("The TV user %(login)s is being removed: its plan cannot change.")
                            % {"login": tv_user.login})
        if not product or not product.is_tv_product:
            raise UserError(_('"%s" is not a TV product: choose a TV product.')
                            % (product.display_name or _("(no product)")))
        if product.product_tmpl_id._tv_is_addon():
            raise UserError(_('"%s" is an add-on, not a plan: choose a plan.')
                            % product.display_name)
        if product.tv_integration_id != tv_user.product_id.tv_integration_id:
            raise UserError(_(
                'The TV product "%(product)s" belongs to another TV integration: choose one '
                'of %(integration)s.') % {"product": product.display_name,
                                          "integration": tv_user.integration_id.name})
        if product == tv_user.product_id:
            raise UserError(_('The TV user %(login)s already has "%(product)s".')
                            % {"login": tv_user.login, "product": product.display_name})

    @api.model
    def _tv_next_period(self, contract):
        if not (contract.recurring_invoices and contract.recurring_next_date):
            raise UserError(_("The contract %s is not invoiced periodically: change the plan "
                              "now.") % contract.display_name)
        return requests_rules.plan_change_date(as_date(contract.recurring_next_date),
                                               contract.recurring_invoicing_type)

    def _tv_labels(self):
        return {"date": self.date, "login": self.tv_user_id.login,
                "old": self.old_product_id.display_name, "new": self.new_product_id.display_name}

    # -- apply -------------------------------------------------------------

    def _tv_apply(self):
        """The change itself: the contract's line, then the TV user's product
        (written as the requester when applied now, so its tracking names
        them; the TV user's sync pushes the packages)."""
        self.ensure_one()
        dropped = self._tv_addons_dropped()
        new_line = self._tv_switch_line()
        # the context names this change: the TV user's write lets it drop the
        # add-ons the new plan does not accept (ended just below)
        user = self.tv_user_id.with_env(self.env).with_context(tv_plan_change_id=self.id)
        user.write({"product_id": self.new_product_id.id})
        as_system(self).write({"state": "done"})
        labels = self._tv_labels()
        body = _("Plan changed by %(requester)s: TV user %(login)s from %(old)s to %(new)s.") \
            % dict(labels, requester=self.user_id.name) + self._tv_dropped_text(dropped)
        self._tv_end_addons(dropped)
        as_system(self.contract_id).message_post(body=body, author_id=self.user_id.partner_id.id)
        as_system(self.tv_user_id).message_post(body=body, author_id=self.user_id.partner_id.id)
        self._tv_settle(new_line)

    def _tv_addons_dropped(self):
        """The TV user's add-on lines the new plan does not accept."""
        plan = self.new_product_id.product_tmpl_id
        return as_system(self.tv_user_id).tv_addon_line_ids.filtered(
            lambda line: not plan._tv_accepts_addon(line.product_id.product_tmpl_id))

    @staticmethod
    def _tv_dropped_text(dropped):
        if not dropped:
            return ""
        return " " + _("Add-ons the new plan does not accept, removed: %s.") % ", ".join(
            dropped.mapped("product_id.display_name"))

    def _tv_end_addons(self, dropped):
        """End the dropped add-ons the day before the change (what was
        invoiced after is credited)."""
        contract = as_system(self.contract_id)
        addons = TvAddons(contract, contract._tv_today())
        for line in dropped:
            addons.end(line, as_date(self.date) - timedelta(days=1), _(
                "Plan change on %(date)s: add-on %(addon)s removed for TV user %(login)s.")
                % dict(self._tv_labels(), addon=line.product_id.display_name))

    def _tv_settle(self, new_line):
        """Days of the old plan invoiced after the change credited, the new
        plan charged for them (services/settlement.py)."""
        contract = as_system(self.contract_id)
        date = as_date(self.date)
        settlement = Settlement(contract, contract._tv_today(), as_system(self), _(
            "Plan change on %(date)s: TV user %(login)s from %(old)s to %(new)s.")
            % self._tv_labels())
        settlement.run(since=date)
        settlement.charge_new_plan(new_line, date, self.old_product_id)

    def _tv_switch_line(self):
        """Move the contract's TV/Streaming line of the old product to the
        new one. When other TV users keep the old product on the same line,
        one unit of its quantity moves to a new line instead. Returns the
        line of the new product."""
        contract = as_system(self.contract_id)  # the caller's context stays out
        old = self.old_product_id
        lines = contract.recurring_invoice_line_ids.filtered(
            lambda line: line.line_type == "tv" and line.product_id == old)
        if not lines:
            raise UserError(_('The contract %(contract)s has no TV/Streaming line of '
                              '"%(product)s".') % {"contract": contract.display_name,
                                                   "product": old.display_name})
        line = lines[0]
        values = self._tv_line_values(line)
        sharing = contract.tv_user_ids.filtered(
            lambda user: user != self.tv_user_id and user.product_id == old)
        if not sharing or len(lines) > 1:
            line.write(values)
            return line
        elif line.quantity > 1:
            line.write({"quantity": line.quantity - 1})
            return line.copy(dict(values, quantity=1, analytic_account_id=contract.id))
        else:
            raise UserError(_(
                'Other TV users of %(contract)s share its line of "%(product)s" (quantity 1): '
                'set the line\'s quantity to the number of TV users first.')
                % {"contract": contract.display_name, "product": old.display_name})

    def _tv_line_values(self, line):
        """What the line's product onchange (OCA contract) gives for the new
        product: description, unit, and the price when the line has a fixed
        one (OCA's onchange reads the contract's pricelist only, 0 without)."""
        contract = line.analytic_account_id
        draft = line.new({"analytic_account_id": contract.id,
                          "product_id": self.new_product_id.id, "quantity": line.quantity,
                          "uom_id": line.uom_id.id, "line_type": "tv"})
        draft._onchange_product_id()
        values = {"product_id": self.new_product_id.id, "name": draft.name,
                  "uom_id": draft.uom_id.id}
        if not line.automatic_price:
            values["specific_price"] = self._tv_price(contract, line.quantity, draft.uom_id)
        return values

    def _tv_price(self, contract, quantity, uom):
        """The new product's price for this customer: the contract's (or the
        customer's) pricelist, else the product's sales price."""
        return contract._tv_product_price(self.new_product_id, quantity, uom)

    @api.depends("state")
    def _compute_tv_can_cancel(self):
        for change in self:
            change.tv_can_cancel = change.state == "scheduled"

    @api.multi
    def action_cancel(self):
        """Cancel a scheduled plan change. TV operators only."""
        check_request_operator(self)
        for change in self:
            if not change.tv_can_cancel:
                raise UserError(_("Only a scheduled plan change can be cancelled."))
            as_system(change).write({"state": "cancelled"})
            as_system(change.contract_id).message_post(body=_(
                "Plan change of %(date)s cancelled: TV user %(login)s keeps %(old)s.")
                % change._tv_labels(), author_id=self.env.user.partner_id.id)
        return True

    # -- the daily run -------------------------------------------------------

    @api.model
    def _cron_tv_plan_changes(self, today=None):
        """Daily (scheduled action only: private): apply the scheduled plan
        changes whose day came. One that is no longer allowed (contract
        deactivated, TV user removed, ...) is cancelled with the reason in
        the contract's chatter. `today` lets tests evaluate another day."""
        today = as_date(today) if today else self.env["account.analytic.account"]._tv_today()
        due = self.search([("state", "=", "scheduled"),
                           ("date", "<=", fields.Date.to_string(today))], order="date, id")
        for change in due:
            try:
                with self.env.cr.savepoint():
                    change._tv_apply_scheduled()
            except UserError as error:
                change.write({"state": "cancelled"})
                change.contract_id.message_post(body=_(
                    "Plan change of %(date)s for TV user %(login)s not applied: %(reason)s")
                    % dict(change._tv_labels(), reason=error.name))
            except Exception:  # one bad contract must not stop the run
                _logger.exception("Plan change %s failed", change.id)
        return True

    def _tv_apply_scheduled(self):
        if self.tv_user_id.product_id != self.old_product_id:
            raise UserError(_("the TV user's product changed meanwhile."))
        self._tv_check(self.contract_id, self.tv_user_id, self.new_product_id)
        self._tv_apply()
