# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Contract lines of type TV/Streaming: a TV product on the contract,
invoiced by OCA contract like any other line (contract templates' lines
inherit the same fields)."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


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
