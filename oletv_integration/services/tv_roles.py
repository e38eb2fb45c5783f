# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The roles (docs/integrate.md, Security model) and the two checks the addon's
entry points use: is this the system's own code path, and is the caller a
TV operator allowed to see these records.

The system's own path is sudo(): an environment attribute, unlike the
context, which an XML-RPC caller controls.

Odoo 11's `_()` finds the language in its caller's frame: `self.env`, else
locals named `cr`, `uid` and `context` (over XML-RPC there is no web request
to fall back on). The functions here that translate have no `self`: they
set those locals from the records' environment (marked `(_())`)."""
from odoo import SUPERUSER_ID, _
from odoo.exceptions import AccessError

VIEWER_GROUP = "oletv_integration.group_tv_viewer"
OPERATOR_GROUP = "oletv_integration.group_tv_user"
MANAGER_GROUP = "oletv_integration.group_tv_manager"


def is_system(env):
    """True in the system's own code paths (sudo(), scheduled actions) and
    for the superuser, which in Odoo 11 is also the `admin` login (uid 1):
    admin passes every guard of the addon, over RPC too (docs/integrate.md,
    who may do what). Never for another user, over RPC or from the screens."""
    return env.uid == SUPERUSER_ID


# what the system's own paths keep of the caller's context: the language
KEPT_CONTEXT_KEYS = ("lang",)


def as_system(records, **context):
    """`records` in the system's own code path: sudo() with a context the
    system builds. The caller's tracking_disable, tz, recompute or a forged
    tv_tracking_author_id never reach a write made with the system's rights."""
    kept = {key: records.env.context[key] for key in KEPT_CONTEXT_KEYS
            if key in records.env.context}
    kept.update(context)
    return records.sudo().with_context(kept)  # pylint: disable=context-overridden


def in_user_language(records):
    """`records` in the language of their environment's user. A job runs as
    the user who queued it, but queue_job's runner calls it over HTTP with
    no language of its own (Odoo gives such a request en_US): without this
    its chatter messages and tracked changes would be in English."""
    return records.with_context(lang=records.env.user.lang or "en_US")


def _check_tv_group(records, group, message):
    """Refuse unless the caller is in `group` and can read `records` (access
    rights and company rules)."""
    if is_system(records.env):
        return
    if not records.env.user.has_group(group):
        raise AccessError(message)
    records.check_access_rights("read")
    records.check_access_rule("read")


def check_tv_manager(records):
    """Refuse unless the caller is a TV manager who can read `records`:
    platform calls made with an integration's credentials."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    _check_tv_group(records, MANAGER_GROUP, _(
        "Only TV managers (TV Integration / Manager) can test the connection or sync the "
        "catalog of a TV integration."))


def check_link_manager(records):
    """Refuse unless the caller is a TV manager who can read `records` (an
    integration, or a run of the link of existing subscribers)."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    _check_tv_group(records, MANAGER_GROUP, _(
        "Only TV Integration managers can link existing subscribers."))


def check_move_manager(records):
    """Refuse unless the caller is a TV manager who can read `records` (an
    integration, or a move of a retired package): the catalogue's change."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    _check_tv_group(records, MANAGER_GROUP, _(
        "Only TV managers (TV Integration / Manager) can move the customers of a retired "
        "package. Nothing was changed."))


def check_tv_operator(records):
    """Refuse unless the caller is a TV operator who can read `records`:
    status changes then run with the rights they need, never with broad
    write on the records."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    _check_tv_group(records, OPERATOR_GROUP, _(
        "Only TV operators (TV Integration / Operator) can change a contract's status or "
        "release it in trust."))


def check_request_operator(records):
    """Refuse unless the caller is a TV operator who can read `records`:
    the customer's requests (suspension on request, plan change)."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    _check_tv_group(records, OPERATOR_GROUP, _(
        "Only TV operators (TV Integration / Operator) can suspend a contract on the "
        "customer's request or change a TV user's plan."))


def check_price_manager(records):
    """Refuse unless the caller is a TV manager who can read `records`
    (packages): the platform prices are the TV managers' to set."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    _check_tv_group(records, MANAGER_GROUP, _(
        "Only TV managers (TV Integration / Manager) can set the platform price of a "
        "package. Nothing was changed."))


INVOICING_MANAGER_GROUP = "account.group_account_manager"


def check_revenue_manager(records):
    """Refuse unless the caller is a TV manager or an invoicing manager who
    can read `records` (integrations): they compute a month's revenue
    assurance; the billing clerk reads it."""
    cr, uid, context = records.env.cr, records.env.uid, records.env.context  # noqa: F841 (_())
    if not is_system(records.env) and records.env.user.has_group(INVOICING_MANAGER_GROUP):
        records.check_access_rights("read")
        records.check_access_rule("read")
        return
    _check_tv_group(records, MANAGER_GROUP, _(
        "Only TV managers and invoicing managers can compute a month's revenue assurance. "
        "Nothing was changed."))
