# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Fields the platform or the workflow owns, and context keys that bypass
a lock, are the system's: `readonly=True` only protects the form, so
create() and write() refuse them from anyone but the addon's own methods,
which write them through sudo() (`_tv_write_owned`) after their checks.

The models (tv_user.py, account_analytic_account.py, product_template.py)
call these checks first in their create() and write().

A context key alone protects nothing (an XML-RPC caller sets any context),
so the keys below are honoured only in the system's own code paths."""
from odoo import _
from odoo.exceptions import AccessError

from .tv_roles import is_system

TV_USER_OWNED = ("account_number", "platform_state", "sync_state", "sync_error", "to_delete",
                 "active", "last_sync_date", "last_check_date")
CONTRACT_OWNED = ("contract_status", "block_reason", "trust_release_until", "tv_suspended_until",
                  "tv_termination_proposed_on")
PRODUCT_OWNED = ("tv_locked",)
# tv_no_platform_sync: create without a sync, change a TV user's creation
# fields, delete it without deleting it on the platform; tv_unlock: change a
# locked TV product.
SYSTEM_CONTEXT_KEYS = ("tv_no_platform_sync", "tv_unlock")


def _same(value, other):
    return (value or False) == (other or False)


def _refuse(records, names):
    labels = ", ".join(records._fields[name].get_description(records.env)["string"]
                       for name in names)
    raise AccessError(_("%(fields)s can only be changed by the system (the platform or the "
                        "workflow sets it): use the buttons meant for it. Nothing was "
                        "changed.") % {"fields": labels})


def check_system_context(records, keys=SYSTEM_CONTEXT_KEYS):
    if is_system(records.env):
        return
    for key in keys:
        if records.env.context.get(key):
            raise AccessError(_("The context key %(key)s is reserved for the system's own "
                                "methods. Nothing was changed.") % {"key": key})


def check_owned_create(model, vals_list, names):
    """A user may create a record only with the owned fields' defaults (the
    form sends them), and may not move a default through the context."""
    if is_system(model.env):
        return
    refused = [name for name in names if model.env.context.get("default_%s" % name)]
    for vals in vals_list:
        for name in names:
            if name in vals:
                field = model._fields[name]
                default = field.default(model) if field.default else False
                if not _same(vals[name], default):
                    refused.append(name)
    if refused:
        _refuse(model, sorted(set(refused)))


def check_owned_write(records, vals, names):
    """A user may write an owned field only with the value it already has
    (a form saving what it shows)."""
    if is_system(records.env):
        return
    refused = [name for name in names if name in vals
               and not all(_same(record[name], vals[name]) for record in records)]
    if refused:
        _refuse(records, refused)
