# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A package of the platform's catalog (tv_catalog_mixin.py)."""
from odoo import fields, models


class TvPackage(models.Model):
    _name = "tv.package"
    _inherit = ["tv.catalog.mixin"]
    _description = "TV Package"

    kind = fields.Selection(
        [("main", "Main"), ("additional", "Additional")], required=True, default="main")
    extra_point = fields.Boolean(
        string="Extra point",
        help='The "Ponto adicional" package, required for customers with equipment.')

    def _platform_values(self, item):
        return {"name": item.name, "kind": item.kind, "extra_point": item.extra_point}
