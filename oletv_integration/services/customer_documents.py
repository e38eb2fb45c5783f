# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The customer check: a Brazilian customer's CPF/CNPJ (the VAT of the
contract's commercial customer) is checked before the addon creates its TV
user on the platform. The rule is core/documents.py's: an empty VAT is
allowed (the platform's create takes no document), a written one must be a
valid CPF or CNPJ. Only the TV paths check it: the addon adds no constraint
to res.partner (the partner form only warns, models/res_partner.py)."""
from odoo import _
from odoo.exceptions import UserError

from ..core import documents


class CustomerDocuments:
    """The customer check, with messages in the language of `env`'s caller
    (Odoo 11's `_()` reads it from the calling frame's `self.env`)."""

    def __init__(self, env):
        self.env = env

    def problem(self, partner, company):
        """Why `partner`'s document (its commercial customer's VAT) stops a
        creation on the platform, or None. `company`: the contract's, whose
        country a customer without a country takes."""
        customer = partner.sudo().commercial_partner_id
        if not documents.document_refused(customer.vat, customer.country_id.code,
                                          company.sudo().country_id.code):
            return None
        return _("The CPF/CNPJ of customer %(customer)s is not valid: %(vat)s. Correct it on "
                 "the customer (a CPF has 11 digits, a CNPJ 14, check digits included); "
                 "nothing was created on the platform.") % {
                     "customer": customer.display_name, "vat": customer.vat}

    def check_contracts(self, contracts):
        """Refuse (UserError) when a customer of `contracts` has a wrong document."""
        for contract in contracts:
            message = self.problem(contract.partner_id, contract.company_id)
            if message:
                raise UserError(message)

    def warning(self, partner):
        """The partner form's warning (an onchange: nothing refused), or None."""
        company = partner.company_id or self.env.user.company_id
        if documents.document_refused(partner.vat, partner.country_id.code,
                                      company.country_id.code):
            return {"title": _("CPF/CNPJ not valid"), "message": _(
                "%(vat)s is not a valid CPF (11 digits) or CNPJ (14 digits): check its "
                "digits. The TV user of a customer with a wrong CPF/CNPJ is not created "
                "on the Olé TV platform.") % {"vat": partner.vat}}
        return None
