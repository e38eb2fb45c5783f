# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who may set each field the addon defines: one classification, one guard.

Every stored field is an input over XML-RPC (`readonly=True` only protects
the form), related and computed ones too. So each field the addon defines,
on its own models and on Odoo's, is one of:

- USER: a user with write access on the record may set it;
- OWNED: the platform or the workflow sets it; create() and write() refuse
  it from anyone but the system's own code paths (sudo(), after their
  checks), unless the value is the one the record already has (a form
  saving what it shows) or, at creation, the field's default;
- SECRET: readable and writable by TV managers only, by any ORM path (the
  credentials model, tv_integration_credential.py).

Related and computed fields are OWNED unless listed otherwise; a model in
OWNED_MODELS has only OWNED fields (its records are the system's history).
A test fails on a field that is neither listed nor derived
(tests/test_side_doors.py), and the hostile-caller matrix there tries every
OWNED and SECRET field as every role.

The guard (tv.field.guard, tv_field_guard.py) applies the classification in
create() and write() of every model carrying fields of the addon, and checks
the record rules again after a write that moves a record (a many2one such as
company_id): Odoo 11 checks them before the write only.

A context key alone protects nothing (an XML-RPC caller sets any context),
so the keys below are honoured only in the system's own code paths."""
from odoo import _
from odoo.exceptions import AccessError

from .tv_roles import is_system

USER = "user"
OWNED = "owned"
SECRET = "secret"

FIELD_CLASSES = {
    "tv.user": {
        USER: ("contract_id", "platform", "technology", "product_id", "use_main_email", "login",
               "mac_devices", "equipment_model_id"),
        OWNED: ("account_number", "platform_state", "sync_state", "sync_error", "to_delete",
                "active", "last_sync_date", "last_check_date", "api_call_ids",
                "tv_plan_change_ids", "tv_addon_line_ids"),
    },
    "tv.integration": {
        USER: ("name", "platform", "environment", "active", "company_id", "max_concurrency",
               "timeout_seconds", "audit_retention_days", "access_instructions",
               "awaiting_alert_days", "platform_billing_rule", "vendor_partner_id",
               # the form edits the packages' names and archives them: each line
               # goes through the package's own guard
               "package_ids", "equipment_model_ids"),
        OWNED: ("connection_state", "connection_message", "connection_date", "client_ip",
                "catalog_date", "history_last_day"),
        SECRET: ("access_token", "api_login", "api_password"),
    },
    "tv.integration.credential": {
        OWNED: ("integration_id",),
        SECRET: ("access_token", "api_login", "api_password"),
    },
    "tv.catalog.mixin": {
        USER: ("name", "active"),
        OWNED: ("integration_id", "code"),
    },
    "tv.package": {
        # platform_price: kept in tv.package.price, its inverse checks the TV managers
        USER: ("name", "active", "vendor_product_id", "platform_price"),
        OWNED: ("integration_id", "code", "kind", "extra_point"),
    },
    "tv.equipment.model": {
        USER: ("name", "active"),
        OWNED: ("integration_id", "code"),
    },
    "product.tv.package.line": {
        USER: ("product_tmpl_id", "sequence", "package_id"),
    },
    "tv.delinquency.policy": {
        USER: ("name", "company_id", "active", "ladder_preset", "late_notice_days",
               "late_notice_blocks_tv",
               "reduce_days", "block_days", "termination_days", "notify_welcome",
               "notify_late_notice", "notify_reduced", "notify_blocked", "notify_released",
               "suspension_preset", "suspension_min_days", "suspension_max_days",
               "suspension_max_count", "suspension_up_to_date", "trust_release_days",
               "trust_release_max_days", "portal_trust_release", "charge_blocked_days",
               "settlement_validate"),
    },
    "account.analytic.account": {
        USER: ("tv_user_ids",),
        OWNED: ("contract_status", "block_reason", "trust_release_until", "tv_suspended_until",
                "tv_termination_proposed_on", "tv_billing_stopped_on", "trust_release_ids",
                "tv_sale_order_id",
                "tv_holder_since",
                "tv_suspension_ids", "tv_plan_change_ids", "tv_status_change_ids"),
    },
    "account.analytic.invoice.line": {
        # analytic_account_id: OCA contract's, redefined only for its index
        USER: ("line_type", "analytic_account_id"),
        # an add-on's: its buttons only (services/tv_addons.py)
        OWNED: ("tv_user_id", "tv_addon_from", "tv_addon_to"),
    },
    "account.analytic.contract.line": {  # the template's lines (OCA contract)
        USER: ("line_type",),
        OWNED: ("tv_user_id", "tv_addon_from", "tv_addon_to"),
    },
    "product.template": {
        USER: ("is_tv_product", "tv_platform", "tv_integration_id", "tv_main_package_id",
               "tv_additional_line_ids", "tv_with_equipment", "tv_product_kind",
               "tv_accepted_addon_ids"),
        OWNED: ("tv_locked",),
    },
    "tv.package.price": {  # TV managers only (access rights)
        USER: ("platform_price",),
        OWNED: ("package_id",),
    },
    "account.invoice": {
        # tv_billing_month: billing users only (account_invoice.py)
        USER: ("tv_billing_month",),
        OWNED: ("tv_cause",),
    },
    "account.invoice.line": {
        OWNED: ("tv_period_from", "tv_period_to", "tv_covered_from", "tv_covered_to",
                "tv_days_charged", "tv_full_discount", "tv_settled_line_id",
                "tv_settlement_line_ids", "tv_addon_line_id"),
    },
    "sale.order": {
        OWNED: ("tv_contract_ids",),
    },
    "mail.mail": {
        OWNED: ("tv_notice", "tv_notice_retries", "tv_company_id"),
    },
    # wizards: the user's own transient records, checked again when applied
    "tv.link.subscribers.wizard": {
        USER: ("integration_id", "csv_file", "csv_filename", "state", "line_ids"),
    },
    "tv.link.subscribers.line": {
        USER: ("wizard_id", "row", "contract_ref", "contract_id", "login", "account_number",
               "product_id", "status", "reason", "tv_user_id"),
    },
    "tv.plan.change.wizard": {
        USER: ("contract_id", "tv_user_id", "new_product_id", "when", "reason"),
    },
    "tv.revenue.leak.link.wizard": {
        USER: ("leak_id", "contract_id", "product_id"),
    },
    "tv.request.suspension.wizard": {
        USER: ("contract_id", "date_from", "date_to", "reason"),
    },
    "tv.addon.wizard": {
        USER: ("tv_user_id", "action", "product_id"),
    },
    "tv.package.move.wizard": {
        USER: ("integration_id", "old_package_id", "new_package_id"),
    },
}
# The system's history: written by the workflow only (and read-only to every
# role in ir.model.access.csv).
OWNED_MODELS = ("tv.api.call", "tv.trust.release", "tv.plan.change", "tv.request.suspension",
                "tv.contract.status.change", "tv.link.run", "tv.link.run.line",
                "tv.subscriber.span", "tv.revenue.month.mixin", "tv.revenue.line",
                "tv.revenue.leak", "tv.portal.request",
                "tv.package.move")

# tv_no_platform_sync: create without a sync, change a TV user's creation
# fields, delete it without deleting it on the platform; tv_unlock: change a
# locked TV product (product_template.py checks it).
SYSTEM_CONTEXT_KEYS = ("tv_no_platform_sync", "tv_unlock")


def is_derived(field):
    return bool(field.related or field.compute)


def field_class(model_name, field):
    """USER, OWNED or SECRET for a field the addon defines, None when it is
    not classified (a plain field missing from FIELD_CLASSES)."""
    if model_name in OWNED_MODELS:
        return OWNED
    for kind, names in FIELD_CLASSES.get(model_name, {}).items():
        if field.name in names:
            return kind
    return OWNED if is_derived(field) else None


_OWNED_NAMES = {}  # model class -> names (the registry's classes are rebuilt on a module change)


def owned_names(model):
    """The names of the OWNED fields the addon defines on `model`."""
    key = type(model)
    if key not in _OWNED_NAMES:
        _OWNED_NAMES[key] = tuple(name for name, field in model._fields.items()
                                  if field._module == "oletv_integration"
                                  and field_class(model._name, field) == OWNED)
    return _OWNED_NAMES[key]


def _same(value, other):
    return (value or False) == (other or False)


def _refuse(records, names):
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    labels = ", ".join(records._fields[name].get_description(records.env)["string"]
                       for name in names)
    raise AccessError(_("%(fields)s can only be changed by the system (the platform or the "
                        "workflow sets it): use the buttons meant for it. Nothing was "
                        "changed.") % {"fields": labels})


def check_system_context(records, keys=SYSTEM_CONTEXT_KEYS):
    if is_system(records.env):
        return
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    for key in keys:
        if context.get(key):
            raise AccessError(_("The context key %(key)s is reserved for the system's own "
                                "methods. Nothing was changed.") % {"key": key})


def _default_of(model, name):
    field = model._fields[name]
    if not field.default:
        return False
    value = field.default(model)
    return value.id if hasattr(value, "_name") else value


def check_owned_create(model, vals_list, names=None):
    """A user may create a record only with the owned fields' defaults (the
    form sends them), and may not move a default through the context or a
    default of their own (ir.default, which every employee may set)."""
    if is_system(model.env):
        return
    names = owned_names(model) if names is None else names
    context = model.env.context
    refused = [name for name in names if "default_%s" % name in context
               and not _same(context["default_%s" % name], _default_of(model, name))]
    for vals in vals_list:
        refused += [name for name in names
                    if name in vals and not _same(vals[name], _default_of(model, name))]
        missing = [name for name in names if name not in vals]
        defaults = model.env["ir.default"].get_model_defaults(model._name) if missing else {}
        refused += [name for name in missing if name in defaults
                    and not _same(defaults[name], _default_of(model, name))]
    if refused:
        _refuse(model, sorted(set(refused)))


def check_owned_write(records, vals, names=None):
    """A user may write an owned field only with the value it already has
    (a form saving what it shows)."""
    if is_system(records.env):
        return
    names = owned_names(records) if names is None else names
    refused = [name for name in names if name in vals
               and not all(_same(_plain(record[name]), vals[name]) for record in records)]
    if refused:
        _refuse(records, refused)


def _plain(value):
    """A record's value as a write would give it (a many2one's id)."""
    if hasattr(value, "_name"):
        return value.id if len(value) <= 1 else value.ids
    return value


def moves_record(records, vals):
    """True when `vals` re-points the company or a many2one the addon defines
    (what its record rules read): they are checked again after such a write.
    Odoo's own many2ones (a sale order's salesperson) keep Odoo's rules."""
    fields = records._fields
    return any(name == "company_id" or (fields[name].type == "many2one"
                                        and fields[name]._module == "oletv_integration")
               for name in vals if name in fields)
