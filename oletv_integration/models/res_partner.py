# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A partner's chat notification, made cheaper for the addon's chatter, and
the form's warning on a wrong CPF/CNPJ (a warning only: the addon adds no
constraint to partners; the TV paths refuse, services/customer_documents.py)."""
from odoo import api, models

from ..services.customer_documents import CustomerDocuments


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.multi
    def _notify_by_chat(self, message):
        """Odoo 11 formats the message for the bus even when no partner is to
        be notified (about fifteen queries per chatter message, e.g. each
        tracked change of a contract or TV user): skip that empty work."""
        if not self:
            return True
        return super()._notify_by_chat(message)

    @api.onchange("vat", "country_id")
    def _onchange_vat_tv_document(self):
        """Warn on the form when a Brazilian customer's VAT is not a valid
        CPF or CNPJ: its TV user would not be created on the platform."""
        warning = CustomerDocuments(self.env).warning(self)
        return {"warning": warning} if warning else None
