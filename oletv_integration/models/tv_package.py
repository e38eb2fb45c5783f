# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A package of the platform's catalog (tv_catalog_mixin.py), with what
the platform charges for it and how Olé TV's vendor bills name it
(revenue assurance: services/revenue_month.py)."""
from odoo import api, fields, models

from ..services.tv_roles import check_price_manager

# who reads the platform prices (tv_package_price.py)
PRICE_GROUPS = "oletv_integration.group_tv_manager,account.group_account_invoice"


class TvPackage(models.Model):
    _name = "tv.package"
    _inherit = ["tv.catalog.mixin"]
    _description = "TV Package"

    kind = fields.Selection(
        [("main", "Main"), ("additional", "Additional")], required=True, default="main")
    extra_point = fields.Boolean(
        string="Extra point",
        help='The "Ponto adicional" package, required for customers with equipment.')
    currency_id = fields.Many2one(related="integration_id.company_id.currency_id",
                                  readonly=True)
    # kept in tv.package.price (TV managers write, billing reads); never stored here
    platform_price = fields.Monetary(
        currency_field="currency_id", compute="_compute_platform_price",
        inverse="_inverse_platform_price", groups=PRICE_GROUPS,
        help="What Olé TV charges the ISP for one subscriber of this package in a month: "
             "the platform cost of revenue assurance when no vendor bill names it.")
    vendor_product_id = fields.Many2one(
        "product.product", string="Product on Olé TV's bills", ondelete="restrict",
        help="The product the lines of Olé TV's vendor bills use for this package. A bill "
             "line of another product is still recognised when its description holds the "
             "package's code.")

    def _platform_values(self, item):
        return {"name": item.name, "kind": item.kind, "extra_point": item.extra_point}

    def _compute_platform_price(self):
        """Read as the caller: the prices' model refuses who may not read them."""
        prices = self.env["tv.package.price"]._prices_of(
            self.filtered(lambda package: isinstance(package.id, int)))
        for package in self:
            package.platform_price = prices.get(package.id, 0.0)

    def _inverse_platform_price(self):
        """Odoo 11 checks a field's groups on stored fields only: the
        managers' check is here."""
        check_price_manager(self)
        prices = self.env["tv.package.price"].sudo()
        for package in self:
            prices._store_for(package, package.platform_price)

    @api.model
    def _tv_price_map(self, packages):
        """{package code: platform price or None} (the system's read: the
        caller was checked)."""
        prices = self.env["tv.package.price"].sudo()._prices_of(packages)
        return {package.code: prices.get(package.id) for package in packages}
