# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The platform credentials of a TV integration, kept apart from it.

A field's `groups=` hides it from `read` only: Odoo 11 still groups, filters,
orders and exports by it. The secrets therefore live in this model, which
only TV managers can reach by any ORM path (access rights: managers only;
record rule: their companies). The integration shows them through
non-stored computed fields (tv_integration.py) that nobody can search,
group or order by, and the system reads them with sudo() to build the
client."""
from odoo import api, fields, models

SECRET_FIELDS = ("access_token", "api_login", "api_password")


class TvIntegrationCredential(models.Model):
    _name = "tv.integration.credential"
    _description = "TV Integration Credentials"
    _inherit = ["tv.field.guard"]

    integration_id = fields.Many2one(
        "tv.integration", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="integration_id.company_id", store=True, readonly=True)
    access_token = fields.Char(copy=False)
    api_login = fields.Char(string="API login", copy=False)
    api_password = fields.Char(string="API password", copy=False)

    _sql_constraints = [
        ("integration_uniq", "unique(integration_id)",
         "An integration has one set of credentials."),
    ]

    @api.model
    def _store_for(self, integration, values):
        """Write `values` (a subset of SECRET_FIELDS) as the credentials of
        `integration`, creating them on the first write."""
        credential = self.search([("integration_id", "=", integration.id)], limit=1)
        if credential:
            credential.write(values)
        else:
            self.create(dict(values, integration_id=integration.id))
