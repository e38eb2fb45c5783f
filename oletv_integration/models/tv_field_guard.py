# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The guard of the fields the addon defines (owned_fields.py says which
are the system's). Every model carrying fields of the addon inherits it, so
a new field or model is covered without anyone remembering:

- create() and write() refuse the owned fields to users, given in the
  values, in a `default_*` context key or as a default of their own
  (ir.default: any employee may store personal defaults);
- in the system's own paths, a `default_*` context key of an owned field
  (sent by the RPC caller whose request reached a sudo() create) is dropped;
- a user's `recompute=False` is not honoured: the derived fields the guard
  relies on (a TV user's integration, company, desired access) are always
  computed;
- a write that re-points the company, or a many2one of the addon, is checked
  against the record rules again after it is written (Odoo 11 checks them
  before the write only: a manager of company B could move B's records into
  company A)."""
from odoo import api, models

from ..services.owned_fields import check_owned_create, check_owned_write, moves_record, owned_names
from ..services.tv_roles import is_system


class TvFieldGuard(models.AbstractModel):
    _name = "tv.field.guard"
    _description = "Guard of the TV integration's fields"

    @api.model
    def create(self, vals):
        if is_system(self.env):
            return super(TvFieldGuard, self._tv_without_owned_defaults()).create(vals)
        check_owned_create(self, [vals])
        return super(TvFieldGuard, self._tv_always_recomputed()).create(vals)

    @api.multi
    def write(self, vals):
        if is_system(self.env):
            return super().write(vals)
        check_owned_write(self, vals)
        result = super(TvFieldGuard, self._tv_always_recomputed()).write(vals)
        if moves_record(self, vals):
            self.check_access_rule("write")
        return result

    def _tv_without_owned_defaults(self):
        keys = {"default_%s" % name for name in owned_names(self)}
        if not keys & set(self.env.context):
            return self
        kept = {key: value for key, value in self.env.context.items() if key not in keys}
        return self.with_context(kept)  # pylint: disable=context-overridden

    def _tv_always_recomputed(self):
        if self.env.context.get("recompute", True):
            return self
        return self.with_context(recompute=True)
