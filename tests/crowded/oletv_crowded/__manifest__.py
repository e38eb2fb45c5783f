# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Olé TV Integration: crowded house checks",
    "summary": "Test-only: auditlog rules on contracts and TV users, and tests of the "
               "addon beside the OCA addons an ISP runs (make test's crowded stage)",
    "version": "11.0.1.0.0",
    "category": "Hidden",
    "license": "AGPL-3",
    "author": "oletv_integration authors",
    "depends": ["oletv_integration", "auditlog"],
    "data": ["data/auditlog_rules.xml"],
    "installable": True,
}
