# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo 11 retries an XML-RPC call that met a concurrent update (PostgreSQL's
"could not serialize access", in odoo.service.model.check), but its XML-RPC
path keeps the failed attempt's fields to recompute, so the retry recomputes
records of the closed cursor and fails ("Unable to use a closed cursor").
The web client's path clears the environment before a retry
(http.WebRequest._call_function); this does the same for XML-RPC calls.

The addon meets it whenever an integrator changes a contract's status over
XML-RPC while a sync job updates one of its TV users (the status change
recomputes their desired access): tests/system/test_rpc_retry.py."""
import odoo
from odoo.service import model as service_model

_execute_cr = service_model.execute_cr


def execute_cr(cr, uid, obj, method, *args, **kw):
    # Each XML-RPC call starts with nothing to recompute: what is there is a
    # failed attempt's, bound to its closed cursor.
    odoo.api.Environment(cr, uid, {}).clear()
    return _execute_cr(cr, uid, obj, method, *args, **kw)


if not getattr(service_model.execute_cr, "_oletv_clears_environment", False):
    execute_cr._oletv_clears_environment = True
    service_model.execute_cr = execute_cr
