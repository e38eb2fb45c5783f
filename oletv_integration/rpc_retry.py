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
recomputes their desired access): tests/system/test_rpc_retry.py.

A good guest in someone else's Odoo (docs/configure.md, *Running it in production*):

- narrow: only a call on a model this addon defines or extends, in a
  database where the addon is installed (its classes are in that
  database's registry), gets the environment cleared first; every other
  call goes straight to Odoo's own ``execute_cr``, unchanged. A database
  the addon was uninstalled from is left to Odoo's function too.
- switchable off: ``oletv_rpc_retry = False`` in the server's configuration
  file (``[options]``) leaves Odoo's function in place (not even wrapped)
  when the server starts, and turns the wrapper into a plain pass-through
  if it is read as false later.
"""
import logging

import odoo
from odoo.service import model as service_model
from odoo.tools import config

_logger = logging.getLogger(__name__)

CONFIG_OPTION = "oletv_rpc_retry"
ADDON_PACKAGE = "odoo.addons.oletv_integration"
FALSE_VALUES = ("0", "false", "no", "off", "")
MARK = "_oletv_clears_environment"

# Odoo's own function (kept across a second import of this file)
original_execute_cr = getattr(service_model.execute_cr, "_oletv_original",
                              service_model.execute_cr)


def enabled():
    """The server option ``oletv_rpc_retry``: on unless set to a false value
    (False, 0, no, off)."""
    value = config.get(CONFIG_OPTION, True)
    if isinstance(value, str):
        return value.strip().lower() not in FALSE_VALUES
    return bool(value)


def concerns_addon(registry, obj):
    """True when the model `obj` of this database is defined or extended by
    the addon (one of its classes is in the model's hierarchy)."""
    model_class = registry.models.get(obj)
    if model_class is None:
        return False
    return any((klass.__module__ or "").startswith(ADDON_PACKAGE + ".")
               for klass in model_class.__mro__)


def execute_cr(cr, uid, obj, method, *args, **kw):
    if enabled():
        env = odoo.api.Environment(cr, uid, {})
        if concerns_addon(env.registry, obj):
            # Each XML-RPC call on the addon's models starts with nothing to
            # recompute: what is there is a failed attempt's, bound to its
            # closed cursor.
            env.clear()
    return original_execute_cr(cr, uid, obj, method, *args, **kw)


execute_cr._oletv_original = original_execute_cr
setattr(execute_cr, MARK, True)


def install():
    """Wrap Odoo's ``execute_cr`` unless switched off; returns whether the
    wrapper is in place."""
    if getattr(service_model.execute_cr, MARK, False):
        return True
    if not enabled():
        _logger.info("%s is off: Odoo's XML-RPC execute_cr is left as it is", CONFIG_OPTION)
        return False
    service_model.execute_cr = execute_cr
    return True


def uninstall():
    """Put Odoo's own ``execute_cr`` back (for the tests; a server switches
    the wrapper off with the option)."""
    if getattr(service_model.execute_cr, MARK, False):
        service_model.execute_cr = original_execute_cr


install()
