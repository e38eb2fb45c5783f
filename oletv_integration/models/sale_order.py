# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Activation from the sales flow: confirming a sale order with TV products
creates its contract (TV lines as TV/Streaming lines), whose TV users are
proposed by the contract (account_analytic_account.py)."""
from odoo import _, api, fields, models

from ..services.contract_activation import ContractActivation
from ..services.tv_roles import as_system


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "tv.field.guard"]

    tv_contract_ids = fields.One2many("account.analytic.account", "tv_sale_order_id",
                                      string="TV contracts", readonly=True)

    @api.multi
    def action_confirm(self):
        result = super().action_confirm()
        for order in self:
            order._tv_create_contract()
        return result

    def _tv_create_contract(self):
        """One contract per order with TV products: TV lines as TV/Streaming
        lines, the other service lines as ordinary recurring lines."""
        self.ensure_one()
        tv_lines = self.order_line.filtered(lambda line: line.product_id.is_tv_product)
        # an add-on is sold for a TV user: added once the TV user exists
        addon_lines = tv_lines.filtered(lambda line: line.product_id.product_tmpl_id._tv_is_addon())
        tv_lines -= addon_lines
        if not tv_lines or self.tv_contract_ids:
            return self.env["account.analytic.account"]
        service_lines = self.order_line.filtered(
            lambda line: line.product_id.type == "service" and not line.product_id.is_tv_product)
        # sudo: a salesman confirming the order may not manage contracts
        contract = as_system(self.env["account.analytic.account"]).create(
            self._tv_prepare_contract(tv_lines, service_lines))
        ContractActivation(self.env).propose_users(contract)
        self.message_post(body=_("Contract %s created with the TV products.")
                          % contract.display_name)
        if addon_lines:
            self.message_post(body=_(
                "The add-ons %s are not on the contract: add them with the TV user's Add-ons "
                "button once it is created.") % ", ".join(
                    addon_lines.mapped("product_id.display_name")))
        return contract

    def _tv_prepare_contract(self, tv_lines, service_lines):
        # the company's day, not the caller's time zone
        today = fields.Date.to_string(
            self.env["account.analytic.account"]._tv_company_today(self.company_id))
        journal = self.env["account.journal"].sudo().search(
            [("type", "=", "sale"), ("company_id", "=", self.company_id.id)], limit=1)
        lines = [(0, 0, self._tv_prepare_contract_line(line, "tv")) for line in tv_lines]
        lines += [(0, 0, self._tv_prepare_contract_line(line, "product")) for line in service_lines]
        return {
            "name": "%s - %s" % (self.name, self.partner_id.name),
            "code": self.name,
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "pricelist_id": self.pricelist_id.id,
            "journal_id": journal.id,
            "user_id": self.user_id.id,
            "recurring_invoices": True,
            "recurring_rule_type": "monthly",
            "recurring_interval": 1,
            "date_start": today,
            "recurring_next_date": today,
            "tv_sale_order_id": self.id,
            "recurring_invoice_line_ids": lines,
        }

    @staticmethod
    def _tv_prepare_contract_line(line, line_type):
        return {
            "line_type": line_type,
            "product_id": line.product_id.id,
            "name": line.name,
            "quantity": line.product_uom_qty,
            "uom_id": line.product_uom.id,
            "automatic_price": False,
            "specific_price": line.price_unit,
            "discount": line.discount,
        }
