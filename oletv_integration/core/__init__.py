# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The integration's Odoo-free core: the rules and plans (access, ladder,
notices, customer requests, sync planning, link CSV, logins, revenue
assurance's bill check) that a port
to a newer Odoo reuses unchanged. Nothing here imports Odoo
(tests/test_core_imports.py keeps it so); the Olé TV client is its sibling
package `oletv_client`. Importing it as `oletv_integration.core` runs the
addon's `__init__`, which loads Odoo: outside Odoo, load its modules by
their path (oletv_testing/core.py for the tests and the bench,
scripts/odoo_conf.sh do)."""
