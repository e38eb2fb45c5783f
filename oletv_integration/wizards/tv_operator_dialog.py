# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the TV operators' dialogs share (the add-ons, the plan change, the
suspension on request): Odoo 11 lets anyone create a transient record (no
access right applies to it) and read it back, its many2ones' names read as
the system (a TV user's login, a customer's e-mail; a contract's name). A
dialog is created and changed only by TV operators who read its records
(`_tv_dialog_records`: its contract, its TV user), company rules included;
its button then calls the contract's own checked method."""
from odoo import api, models

from ..services.tv_roles import check_request_operator


class TvOperatorDialog(models.AbstractModel):
    _name = "tv.operator.dialog"
    _description = "A TV operator's dialog"

    @api.model
    def create(self, vals):
        dialog = super().create(vals)
        dialog._tv_check_caller()
        return dialog

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        self._tv_check_caller()
        return result

    def _tv_check_caller(self):
        for dialog in self:
            for records in dialog._tv_dialog_records():
                check_request_operator(records)

    def _tv_dialog_records(self):
        """The records the caller must read as a TV operator."""
        return []
