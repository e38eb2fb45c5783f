# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A TV product's variant stays with its template: moved to another template
(`product_tmpl_id`, or the template's `product_variant_ids`), its TV users
would take the other template's packages and integration without a plan
change (their integration is a stored related field Odoo recomputes as the
superuser). The TV configuration is locked (product_template.py); so is the
variant's template."""
from odoo import _, api, models
from odoo.exceptions import UserError

from ..services.tv_roles import is_system


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.multi
    def write(self, vals):
        if "product_tmpl_id" in vals and not is_system(self.env):
            self._tv_check_template_kept(vals["product_tmpl_id"])
        return super().write(vals)

    def _tv_check_template_kept(self, template_id):
        new = self.env["product.template"].sudo().browse(template_id)
        moved = self.sudo().filtered(lambda product: product.product_tmpl_id != new and (
            product.product_tmpl_id.is_tv_product or new.is_tv_product))
        if moved:
            raise UserError(_(
                'The TV product "%s" cannot move to another product template: create a new '
                'TV product instead.') % ", ".join(moved.mapped("display_name")))
