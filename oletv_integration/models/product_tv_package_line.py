# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The additional packages of a TV product (product_template.py), locked with it."""
from odoo import api, fields, models


class ProductTvPackageLine(models.Model):
    """An additional package of a TV product; the same package may appear
    on several lines (the seed allows it)."""

    _name = "product.tv.package.line"
    _description = "TV product additional package"
    _inherit = ["tv.field.guard"]
    _order = "sequence, id"

    product_tmpl_id = fields.Many2one(
        "product.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    package_id = fields.Many2one(
        "tv.package", required=True, ondelete="restrict",
        domain=[("kind", "=", "additional")])

    @api.model
    def create(self, vals):
        line = super().create(vals)
        line.product_tmpl_id._check_tv_not_locked()  # defaults included
        return line

    @api.multi
    def write(self, vals):
        self.mapped("product_tmpl_id")._check_tv_not_locked()
        if vals.get("product_tmpl_id"):  # re-pointed: the new product is checked too
            self.env["product.template"].browse(vals["product_tmpl_id"])._check_tv_not_locked()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self.mapped("product_tmpl_id").exists()._check_tv_not_locked()
        return super().unlink()
