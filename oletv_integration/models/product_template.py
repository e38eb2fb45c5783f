# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The TV tab of the product: platform, integration, main package and
additional packages. Once saved, a TV product's configuration is locked
(the seed: "uma vez cadastrado, não permitirá alterações"); the move of a
retired package to its successor (tv.package.move) is the one checked way
to change it afterwards.

A TV product is a plan (the TV user's product: a main package and its
additional packages) or an add-on (`tv_product_kind`: additional packages
only, sold on the contract for one TV user at its own price,
core/addon_rules.py). A plan may list the add-ons it accepts (none listed:
any add-on of its integration); the list is commercial, not the platform's,
so it stays editable."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core import access_rules as rules
from ..core import addon_rules

from ..services.owned_fields import check_system_context
from ..services.tv_roles import as_system, is_system

TV_FIELDS = ("is_tv_product", "tv_platform", "tv_integration_id", "tv_main_package_id",
             "tv_additional_line_ids", "tv_with_equipment", "tv_product_kind")


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "tv.field.guard"]

    is_tv_product = fields.Boolean(string="TV product")
    tv_platform = fields.Selection(
        [("oletv", "Olé TV")], string="TV platform", default="oletv")
    tv_integration_id = fields.Many2one(
        "tv.integration", string="TV integration", ondelete="restrict")
    tv_main_package_id = fields.Many2one(
        "tv.package", string="Main package", ondelete="restrict")
    tv_additional_line_ids = fields.One2many(
        "product.tv.package.line", "product_tmpl_id", string="Additional packages")
    tv_with_equipment = fields.Boolean(
        string="For customers with equipment",
        help='A product for customers using equipment must include the "Ponto adicional" package.')
    tv_product_kind = fields.Selection(
        addon_rules.KIND_SELECTION, string="TV product kind", default=addon_rules.PLAN,
        required=True,
        help="Plan: a TV user's product (a main package and additional packages). Add-on: "
             "additional packages sold on the contract for one TV user, at their own price.")
    tv_accepted_addon_ids = fields.Many2many(
        "product.template", "product_tv_accepted_addon_rel", "plan_tmpl_id", "addon_tmpl_id",
        string="Accepted add-ons", domain=[("tv_product_kind", "=", addon_rules.ADDON)],
        help="The add-ons a TV user of this plan may have. None listed: any add-on of the "
             "plan's TV integration.")
    tv_locked = fields.Boolean(
        string="TV configuration locked", readonly=True, copy=False,
        help="Set when a TV product is saved: its TV configuration cannot be changed anymore.")

    @api.onchange("tv_integration_id")
    def _onchange_tv_integration_id(self):
        if self.tv_main_package_id.integration_id != self.tv_integration_id:
            self.tv_main_package_id = False

    @api.constrains(*TV_FIELDS)
    def _check_tv_configuration(self):
        for product in self.filtered("is_tv_product"):
            if product.tv_product_kind == addon_rules.ADDON:
                product._check_tv_addon()
                continue
            product._check_tv_required_fields()
            product._check_tv_packages_belong_to_integration()
            if product.tv_with_equipment and not any(
                    product.tv_additional_line_ids.mapped("package_id.extra_point")):
                raise ValidationError(_(
                    'The TV product "%s" is meant for customers with equipment: '
                    'its additional packages must include "Ponto adicional".') % product.name)

    def _check_tv_required_fields(self):
        if not self.tv_integration_id or not self.tv_main_package_id:
            raise ValidationError(_(
                'The TV product "%s" needs a TV integration and a main package.') % self.name)
        if self.tv_main_package_id.kind != "main":
            raise ValidationError(_('"%s" is not a main package.') % self.tv_main_package_id.name)

    def _check_tv_addon(self):
        """An add-on: its integration's additional packages, no main package
        (the TV user's plan has it), no equipment of its own."""
        packages = self.tv_additional_line_ids.mapped("package_id")
        if not self.tv_integration_id or not packages:
            raise ValidationError(_(
                'The add-on "%s" needs a TV integration and at least one additional '
                'package.') % self.name)
        if self.tv_main_package_id or self.tv_with_equipment or packages.filtered(
                lambda package: package.kind != "additional" or package.extra_point):
            raise ValidationError(_(
                'The add-on "%s" gives additional packages only (no main package, no '
                '"Ponto adicional"): the TV user\'s plan gives the rest.') % self.name)
        self._check_tv_packages_belong_to_integration()

    @api.constrains("tv_accepted_addon_ids", "tv_integration_id", "tv_product_kind")
    def _check_tv_accepted_addons(self):
        for product in self:
            wrong = product.tv_accepted_addon_ids.filtered(
                lambda addon: addon.tv_product_kind != addon_rules.ADDON
                or addon.tv_integration_id != product.tv_integration_id)
            if wrong or (product.tv_accepted_addon_ids
                         and product.tv_product_kind != addon_rules.PLAN):
                raise ValidationError(_(
                    'The accepted add-ons of "%s" must be add-ons of its TV integration, '
                    'and only a plan accepts add-ons.') % product.name)

    def _tv_is_addon(self):
        return self.is_tv_product and self.tv_product_kind == addon_rules.ADDON

    def _tv_accepts_addon(self, addon):
        """True if a TV user of this plan may have the add-on `addon` (a
        template): an add-on of its integration it accepts."""
        self.ensure_one()
        return (addon._tv_is_addon() and addon.tv_integration_id == self.tv_integration_id
                and addon_rules.accepts(self.tv_accepted_addon_ids.ids, addon.id))

    def _tv_packages(self):
        """The platform packages this TV product gives."""
        return self.tv_main_package_id | self.tv_additional_line_ids.mapped("package_id")

    def _check_tv_packages_belong_to_integration(self):
        packages = self._tv_packages()
        if packages.filtered(lambda package: package.integration_id != self.tv_integration_id):
            raise ValidationError(_(
                'The packages of "%s" must come from its TV integration.') % self.name)

    @api.model
    def create(self, vals):
        check_system_context(self, ("tv_unlock",))
        product = super().create(vals)
        if product.is_tv_product:
            product._tv_write_owned({"tv_locked": True})
        return product

    @api.multi
    def write(self, vals):
        check_system_context(self, ("tv_unlock",))
        touched = [name for name in TV_FIELDS if name in vals]
        if touched and not self.env.context.get("tv_unlock"):
            self._check_tv_not_locked()
        result = super().write(vals)
        if vals.get("is_tv_product"):
            self.filtered(lambda product: not product.tv_locked)._tv_write_owned(
                {"tv_locked": True})
        return result

    def _tv_write_owned(self, vals):
        """Lock the TV configuration: the addon's own methods only."""
        return as_system(self).write(vals)

    def _check_tv_not_locked(self):
        if self.env.context.get("tv_unlock") and is_system(self.env):
            return  # the move of a retired package (services/package_moves.py)
        locked = self.filtered("tv_locked")
        if locked:
            raise UserError(_(
                'The TV configuration of "%s" cannot be changed once saved. '
                'Create a new TV product instead.') % ", ".join(locked.mapped("name")))

    @api.multi
    def tv_package_codes(self):
        """(main package code, [additional package codes]) for the platform."""
        self.ensure_one()
        return (self.tv_main_package_id.code,
                [line.package_id.code for line in self.tv_additional_line_ids])

    def _tv_platform_packages(self, access, addons=None):
        """(main, (additional, ...)) a TV user of this product with the
        add-ons `addons` (product.template) should have on the platform under
        `access`: reduced access keeps the main package and the "Ponto
        adicional" its equipment needs, without the add-ons (access_rules).
        Callers go through services/tv_packages.py (one cache per batch)."""
        main, additional = self.tv_package_codes()
        kept = [line.package_id.code for line in self.tv_additional_line_ids
                if line.package_id.extra_point]
        addon_codes = [line.package_id.code for line in
                       (addons or self.browse()).mapped("tv_additional_line_ids")]
        return rules.desired_packages(access, main, additional, kept, addon_codes)

    @api.multi
    def action_fetch_tv_packages(self):
        """The seed's "Buscar pacote": refresh the integration's catalog."""
        self.ensure_one()
        if not self.tv_integration_id:
            raise UserError(_("Choose the TV integration first."))
        return self.tv_integration_id.action_sync_catalog()
