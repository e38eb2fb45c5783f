# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Activation from the sales flow: a contract created from a contract
template, or from a confirmed sale order with TV products
(models/sale_order.py), gets a TV user proposed per TV product (login: the
customer's e-mail; packages: the product's), not yet created on the
platform: the operator confirms it with the TV user's *Create on platform*
button."""
from odoo import _

from ..core.login_rules import EMAIL_RE
from .customer_documents import CustomerDocuments
from .tv_roles import as_system

# the template line's fields a contract line does not copy
NOT_COPIED_LINE_FIELDS = ("id", "analytic_account_id", "is_tv_product", "price_subtotal",
                          "price_unit", "display_name")


class ContractActivation:
    """The TV side of new contracts, in the environment `env`."""

    def __init__(self, env):
        self.env = env

    def values_from_template(self, template, vals):
        """`vals` of a contract created from `template` without the form
        (XML-RPC, code), completed as the form's template onchange does."""
        vals = dict(vals)
        contracts = self.env["account.analytic.account"]
        line_model = self.env["account.analytic.invoice.line"]
        lines = []
        for line in template.recurring_invoice_line_ids:
            line_vals = line._convert_to_write(line.read()[0])
            lines.append((0, 0, {name: value for name, value in line_vals.items()
                                 if name in line_model._fields
                                 and name not in NOT_COPIED_LINE_FIELDS
                                 and not line_model._fields[name].automatic}))
        vals["recurring_invoice_line_ids"] = lines
        for name, field in template._fields.items():
            if name in vals or name in contracts.NO_SYNC \
                    or name == "recurring_invoice_line_ids" \
                    or field.type in ("one2many", "many2many") or name not in contracts._fields \
                    or any((field.compute, field.related, field.automatic, field.readonly,
                            field.company_dependent)):
                continue
            vals[name] = field.convert_to_write(template[name], template)
        return vals

    def propose_users(self, contracts):
        """One TV user per TV product of `contracts` that has none yet, in
        state "Not created". A customer without a valid e-mail, or whose
        e-mail is already a login on that integration, or a Brazilian customer
        whose CPF/CNPJ is not valid (services/customer_documents.py), gets a
        note instead.
        Returns the TV users proposed."""
        # the system's own proposal (the context key is honoured only in the
        # system's paths); whoever confirms the order or creates the
        # contract needs no TV rights
        tv_user_model = as_system(self.env["tv.user"], tv_no_platform_sync=True)
        proposed = tv_user_model.browse()
        for contract in contracts:
            mine = tv_user_model.browse()
            for product in contract.tv_product_ids - contract.tv_user_ids.mapped("product_id"):
                mine |= self._propose(tv_user_model, contract, product)
            if mine:
                contract.message_post(body=_(
                    "TV user(s) proposed: %s. Check them and use Create on platform.")
                    % ", ".join(mine.mapped("product_id.display_name")))
            proposed |= mine
        return proposed

    def _propose(self, tv_user_model, contract, product):
        """The TV user of `product` on `contract`, or a note saying why not."""
        email = (contract.partner_id.email or "").strip().lower()
        if not EMAIL_RE.match(email):
            contract.message_post(body=_(
                'No TV user proposed for "%s": the customer has no valid e-mail. '
                "Add the TV user with a login.") % product.display_name)
            return tv_user_model.browse()
        if CustomerDocuments(self.env).problem(contract.partner_id, contract.company_id):
            customer = contract.partner_id.commercial_partner_id
            contract.message_post(body=_(
                'No TV user proposed for "%(product)s": the CPF/CNPJ of customer %(customer)s '
                "is not valid: %(vat)s. Correct it on the customer, then add the TV user.")
                % {"product": product.display_name, "customer": customer.display_name,
                   "vat": customer.vat})
            return tv_user_model.browse()
        twin = tv_user_model._tv_login_holder(product.tv_integration_id.id or 0, email)
        if twin and twin.contract_id.company_id != contract.company_id:
            # the integration is shared: the other company's contract is not named
            contract.message_post(body=_(
                'No TV user proposed for "%(product)s": the login %(login)s is already '
                "used by a TV user of another company. Add it with another login.")
                % {"product": product.display_name, "login": email})
            return tv_user_model.browse()
        if twin:
            contract.message_post(body=_(
                'No TV user proposed for "%(product)s": the login %(login)s is already '
                "used by the TV user of contract %(contract)s. Add it with another "
                "login.") % {"product": product.display_name, "login": email,
                             "contract": twin.contract_id.display_name})
            return tv_user_model.browse()
        return tv_user_model.create({
            "contract_id": contract.id, "product_id": product.id,
            "technology": "iptv", "use_main_email": True, "login": email})
