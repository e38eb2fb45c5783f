# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Contract lines of type TV/Streaming: a TV product on the contract,
invoiced by OCA contract like any other line (contract templates' lines
inherit the same fields).

An add-on's line (core/addon_rules.py) is for one TV user of its contract
(`tv_user_id`) from its first day (`tv_addon_from`) to its last
(`tv_addon_to`, once removed): the add-on's buttons write them
(services/tv_addons.py), nobody else (owned_fields.py)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core import addon_rules
from ..services.tv_roles import is_system


class AccountAnalyticInvoiceLine(models.Model):
    _name = "account.analytic.invoice.line"
    _inherit = ["account.analytic.invoice.line", "tv.field.guard"]

    # OCA contract 11.0 leaves its lines' contract unindexed: each contract's
    # lines were read by a scan of every line (4 ms a contract at 50,000
    # lines; the link of 50,000 subscribers reads each one's)
    analytic_account_id = fields.Many2one(index=True)
    line_type = fields.Selection(
        [("product", "Product/Service"), ("tv", "TV/Streaming")],
        string="Type", required=True, default="product")
    is_tv_product = fields.Boolean(related="product_id.is_tv_product", readonly=True)
    tv_product_kind = fields.Selection(related="product_id.tv_product_kind", readonly=True)
    tv_user_id = fields.Many2one(
        "tv.user", string="For TV user", readonly=True, ondelete="set null", index=True,
        help="An add-on's line: the TV user of the contract that has the add-on.")
    tv_addon_from = fields.Date(string="Add-on from", readonly=True,
                                help="The add-on's first day: given and charged from it.")
    tv_addon_to = fields.Date(string="Add-on until", readonly=True,
                              help="The add-on was removed: its last day charged. Its packages "
                                   "left the platform the day after.")

    @api.onchange("line_type")
    def _onchange_line_type(self):
        domain = [("is_tv_product", "=", True)] if self.line_type == "tv" else []
        if self.line_type == "tv" and self.product_id and not self.product_id.is_tv_product:
            self.product_id = False
        return {"domain": {"product_id": domain}}

    @api.onchange("product_id")
    def _onchange_product_id_tv_type(self):
        if self.product_id.is_tv_product:
            self.line_type = "tv"

    @api.model
    def create(self, vals):
        if "line_type" not in vals and vals.get("product_id"):
            if self.env["product.product"].browse(vals["product_id"]).is_tv_product:
                vals = dict(vals, line_type="tv")
        return super().create(vals)

    @api.constrains("line_type", "analytic_account_id")
    def _check_tv_line_company(self):
        """A TV contract belongs to a company: its integration is checked
        against it and its TV users are visible to that company only."""
        for line in self:
            if line.line_type == "tv" and not line.analytic_account_id.company_id:
                raise ValidationError(_('The contract "%s" has TV lines: choose its company.')
                                      % line.analytic_account_id.display_name)

    @api.constrains("line_type", "product_id")
    def _check_tv_line_product(self):
        for line in self:
            if line.line_type == "tv" and not line.product_id.is_tv_product:
                raise ValidationError(_('The TV/Streaming line "%s" needs a TV product.')
                                      % line.product_id.display_name)
            if line.line_type != "tv" and line.product_id.is_tv_product:
                raise ValidationError(_(
                    'The product "%s" is a TV product: use a TV/Streaming line.')
                    % line.product_id.display_name)

    @api.constrains("product_id", "tv_user_id", "analytic_account_id", "tv_addon_to")
    def _check_tv_addon_line(self):
        """An add-on is sold for one TV user of the same contract, whose plan
        accepts it; a plan's line is for no TV user in particular."""
        for line in self.filtered(lambda line: line._name == "account.analytic.invoice.line"):
            addon = line.product_id.product_tmpl_id
            user = line.sudo().tv_user_id
            if not addon._tv_is_addon():
                if user:
                    raise ValidationError(_('"%s" is not an add-on: its line is for no TV user '
                                            'in particular.') % line.product_id.display_name)
                continue
            if not user or user.contract_id != line.analytic_account_id:
                raise ValidationError(_(
                    'The add-on "%(addon)s" is sold for a TV user of contract %(contract)s: '
                    'add it with the TV user\'s Add-ons button.') % {
                        "addon": line.product_id.display_name,
                        "contract": line.analytic_account_id.display_name})
            if not line.tv_addon_to and \
                    not user.product_id.product_tmpl_id._tv_accepts_addon(addon):
                raise ValidationError(_(
                    'The plan "%(plan)s" of TV user %(login)s does not accept the add-on '
                    '"%(addon)s".') % {"plan": user.product_id.display_name,
                                       "login": user.login,
                                       "addon": line.product_id.display_name})

    @api.multi
    def write(self, vals):
        if "product_id" in vals:
            self._tv_check_addon_product(vals["product_id"])
        return super().write(vals)

    def _tv_check_addon_product(self, product_id):
        """An add-on's line is what its TV user gets on the platform (its
        product's packages, services/tv_packages.py): another product on it
        would give the TV user other packages with no check of the roles, no
        sync, no pro rata and nothing in the chatter. Only the add-on's
        buttons change it: Remove this add-on, then Add the other. The line's
        price and quantity stay the billing users'."""
        if is_system(self.env):
            return
        changed = self.filtered(lambda line: line.tv_user_id
                                and line.product_id.id != (product_id or False))
        if changed:
            raise UserError(_('The add-on "%(addon)s" of TV user %(login)s cannot become '
                              'another product: remove it and add the other add-on with the '
                              'TV user\'s Add-ons button (its packages, pro rata and chatter '
                              'follow). Nothing was changed.') % {
                                  "addon": changed[0].product_id.display_name,
                                  "login": changed[0].sudo().tv_user_id.login})

    @api.multi
    def unlink(self):
        """A live add-on leaves through its Remove (its packages, its last
        invoice); a contract deleted takes its lines with it."""
        self._tv_check_unlink()
        return super().unlink()

    def _tv_check_unlink(self):
        live = self.filtered(lambda line: line.tv_addon_from and not line.tv_addon_to)
        if live and not is_system(self.env):
            raise UserError(_('Remove the add-on "%s" with the TV user\'s Add-ons button: its '
                              'packages leave the platform and its last invoice is settled.')
                            % live[0].product_id.display_name)

    def _tv_addon_window(self, period):
        """The days (first, last) of `period` this line charges: all of them
        for a plan's line, the add-on's days for an add-on's (None: none)."""
        if not self.tv_addon_from:
            return period
        return addon_rules.window(period, fields.Date.from_string(self.tv_addon_from),
                                  fields.Date.from_string(self.tv_addon_to)
                                  if self.tv_addon_to else None)
