# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Multi-company: a TV user syncs only with an integration of its
contract's company (the record rules in security/oletv_security.xml keep
each company's integrations, TV users, audit trail, catalogs, policies and
trust releases to its own users)."""
from odoo import _, api, models
from odoo.exceptions import ValidationError


class TvUser(models.Model):
    _inherit = "tv.user"

    @api.constrains("product_id", "contract_id")
    def _check_integration_company(self):
        for user in self.sudo():
            company = user.contract_id.company_id
            integration = user.integration_id
            if company and integration.company_id and integration.company_id != company:
                raise ValidationError(_(
                    "The TV integration %(integration)s belongs to %(integration_company)s, "
                    "not to the contract's company %(company)s: a TV user syncs only with an "
                    "integration of its contract's company.") % {
                        "integration": integration.name,
                        "integration_company": integration.company_id.name,
                        "company": company.name})
