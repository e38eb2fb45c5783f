# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The platform's catalog kept in Odoo: packages and equipment models,
loaded by the integration's "Sync catalog" and not re-fetched per form."""
from odoo import api, fields, models


class TvCatalogMixin(models.AbstractModel):
    _name = "tv.catalog.mixin"
    _description = "TV platform catalog entry"
    _inherit = ["tv.field.guard"]
    _order = "name"

    integration_id = fields.Many2one(
        "tv.integration", required=True, ondelete="cascade", index=True)
    code = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "unique(integration_id, code)",
         "A platform code appears once per integration."),
    ]

    @api.multi
    def name_get(self):
        return [(entry.id, "%s [%s]" % (entry.name, entry.code)) for entry in self]

    def _platform_values(self, item):
        return {"name": item.name}

    @api.model
    def _sync_from_platform(self, integration, items):
        """Create or update one record per platform item; archive the rest.
        The platform's fields are the system's: written with sudo() (the
        caller, a TV manager of the integration, was checked)."""
        self = self.sudo()  # pylint: disable=self-cls-assignment
        existing = {entry.code: entry for entry in self.with_context(active_test=False).search(
            [("integration_id", "=", integration.id)])}
        seen = set()
        for item in items:
            values = dict(self._platform_values(item), active=True)
            entry = existing.get(item.code)
            if entry:
                entry.write(values)
            else:
                self.create(dict(values, integration_id=integration.id, code=item.code))
            seen.add(item.code)
        gone = [entry.id for code, entry in existing.items() if code not in seen]
        self.browse(gone).write({"active": False})
