# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The guard of the fields the addon defines (owned_fields.py says which
are the system's). Every model carrying fields of the addon inherits it, so
a new field or model is covered without anyone remembering: its create()
and write() refuse the owned fields to users, and a write that re-points a
many2one (a company, an integration) is checked against the record rules
again, after it is written (Odoo 11 checks them before the write only: a
manager of company B could otherwise move B's records into company A)."""
from odoo import api, models

from .owned_fields import check_owned_create, check_owned_write, moves_record
from .tv_roles import is_system


class TvFieldGuard(models.AbstractModel):
    _name = "tv.field.guard"
    _description = "Guard of the TV integration's fields"

    @api.model
    def create(self, vals):
        check_owned_create(self, [vals])
        return super().create(vals)

    @api.multi
    def write(self, vals):
        check_owned_write(self, vals)
        result = super().write(vals)
        if not is_system(self.env) and moves_record(self, vals):
            self.check_access_rule("write")
        return result
