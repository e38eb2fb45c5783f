# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What Olé TV charges the ISP for a package (its platform price), kept
apart from the package.

Every employee reads the catalog (tv.package: salespeople pick packages on
products), and a field's `groups=` hides it from `read` only: Odoo 11
still filters, groups, orders and exports by it, so a salesperson could
find a price by searching. The price therefore lives in this model, which
only TV managers write and TV managers and billing users read (access
rights; record rule: their companies). The package shows it through a
non-stored computed field (tv_package.py), as the integration shows its
credentials (tv_integration_credential.py)."""
from odoo import api, fields, models


class TvPackagePrice(models.Model):
    _name = "tv.package.price"
    _description = "TV Package Platform Price"
    _inherit = ["tv.field.guard"]

    package_id = fields.Many2one("tv.package", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="package_id.integration_id.company_id", store=True,
                                 readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    platform_price = fields.Monetary(currency_field="currency_id")

    _sql_constraints = [
        ("package_uniq", "unique(package_id)", "A package has one platform price."),
    ]

    @api.model
    def _store_for(self, package, price):
        """Write the platform price of `package`, creating its row on the
        first write."""
        row = self.search([("package_id", "=", package.id)], limit=1)
        if row:
            row.write({"platform_price": price})
        else:
            self.create({"package_id": package.id, "platform_price": price})

    @api.model
    def _prices_of(self, packages):
        """{package id: price} of `packages` that have one (as the caller:
        the model refuses whoever may not read prices)."""
        rows = self.search([("package_id", "in", packages.ids)])
        return {row.package_id.id: row.platform_price for row in rows}
