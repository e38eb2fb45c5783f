# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Activation from the sales flow: a contract created from a contract
template, or from a confirmed sale order with TV products, gets a TV user
proposed per TV product (login: the customer's e-mail; packages: the
product's), not yet created on the platform: the operator confirms it with
the TV user's "Create on platform" button."""
from odoo import _, api, fields, models

from .tv_user import EMAIL_RE


class AccountAnalyticAccount(models.Model):
    _inherit = "account.analytic.account"

    tv_sale_order_id = fields.Many2one("sale.order", string="Sale order", readonly=True,
                                       copy=False, index=True,
                                       help="The sale order this contract was created from.")

    @api.model
    def create(self, vals):
        template_id = vals.get("contract_template_id")
        if template_id and not vals.get("recurring_invoice_line_ids"):
            # Created without the form (XML-RPC, code): do what the form's
            # template onchange does.
            vals = self._tv_values_from_template(
                self.env["account.analytic.contract"].browse(template_id), vals)
        contract = super().create(vals)
        if template_id:
            contract._tv_propose_users()
        return contract

    @api.model
    def _tv_values_from_template(self, template, vals):
        vals = dict(vals)
        line_model = self.env["account.analytic.invoice.line"]
        lines = []
        for line in template.recurring_invoice_line_ids:
            line_vals = line._convert_to_write(line.read()[0])
            lines.append((0, 0, {name: value for name, value in line_vals.items()
                                 if name in line_model._fields and name not in (
                                     "id", "analytic_account_id", "is_tv_product",
                                     "price_subtotal", "price_unit", "display_name")
                                 and not line_model._fields[name].automatic}))
        vals["recurring_invoice_line_ids"] = lines
        for name, field in template._fields.items():
            if name in vals or name in self.NO_SYNC or name == "recurring_invoice_line_ids" \
                    or field.type in ("one2many", "many2many") or name not in self._fields \
                    or any((field.compute, field.related, field.automatic, field.readonly,
                            field.company_dependent)):
                continue
            vals[name] = field.convert_to_write(template[name], template)
        return vals

    @api.multi
    def _tv_propose_users(self):
        """One TV user per TV product of the contract that has none yet, in
        state "Not created". A customer without a valid e-mail, or whose
        e-mail is already a login on that integration, gets a note instead."""
        # sudo: the system's own proposal (the context key is honoured only
        # in the system's paths); whoever confirms the order or creates the
        # contract needs no TV rights
        tv_user_model = self.env["tv.user"].sudo().with_context(tv_no_platform_sync=True)
        proposed = tv_user_model.browse()
        for contract in self:
            email = (contract.partner_id.email or "").strip().lower()
            for product in contract.tv_product_ids - contract.tv_user_ids.mapped("product_id"):
                if not EMAIL_RE.match(email):
                    contract.message_post(body=_(
                        'No TV user proposed for "%s": the customer has no valid e-mail. '
                        "Add the TV user with a login.") % product.display_name)
                    continue
                twin = tv_user_model.search([
                    ("login", "=ilike", email), ("platform_state", "!=", "deleted"),
                    ("integration_id", "=", product.tv_integration_id.id)], limit=1)
                if twin:
                    contract.message_post(body=_(
                        'No TV user proposed for "%s": the login %s is already used by the TV '
                        "user of contract %s. Add it with another login.")
                        % (product.display_name, email, twin.contract_id.display_name))
                    continue
                proposed |= tv_user_model.create({
                    "contract_id": contract.id, "product_id": product.id,
                    "technology": "iptv", "use_main_email": True, "login": email})
            if proposed.filtered(lambda user: user.contract_id == contract):
                contract.message_post(body=_(
                    "TV user(s) proposed: %s. Check them and use Create on platform.")
                    % ", ".join(proposed.filtered(lambda u: u.contract_id == contract)
                                .mapped("product_id.display_name")))
        return proposed


class SaleOrder(models.Model):
    _inherit = "sale.order"

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
        if not tv_lines or self.tv_contract_ids:
            return self.env["account.analytic.account"]
        service_lines = self.order_line.filtered(
            lambda line: line.product_id.type == "service" and not line.product_id.is_tv_product)
        # sudo: a salesman confirming the order may not manage contracts
        contract = self.env["account.analytic.account"].sudo().create(
            self._tv_prepare_contract(tv_lines, service_lines))
        contract._tv_propose_users()
        self.message_post(body=_("Contract %s created with the TV products.")
                          % contract.display_name)
        return contract

    def _tv_prepare_contract(self, tv_lines, service_lines):
        today = fields.Date.context_today(self)
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
