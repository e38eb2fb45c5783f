# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every public method (callable over XML-RPC) the addon defines on a model,
with who may call it. A new public method fails this test until its access
is decided and written here (and in docs/integrate.md, Security model)."""
import inspect

from odoo.tests.common import TransactionCase, at_install, post_install

ADDON_MODULE = "odoo.addons.oletv_integration"
ORM = "ORM: access rights and record rules of the model"
POLICY_RECOMPUTE = "; recomputes the TV access of the company's late notices (sudo)"
GUARD = ORM + "; owned fields refused, a moved record re-checked (tv.field.guard)"
TAX_LINES = ORM + "; on a validated invoice or a settlement's correction, billing users only"
TEMPLATES = ("the addon's templates: TV managers and Settings only (mail_template.py); "
             "others as Odoo's")
RENDER = ("Odoo's, as the caller; with the notices' figures (a plain dict a caller may "
          "send too) only those figures are reachable")

ACCESS = {
    # TV users
    ("tv.user", "create"): GUARD + " (operators); system context keys refused",
    ("tv.user", "write"): GUARD + " (operators); system context keys refused",
    ("tv.user", "unlink"): ORM + " (operators); tv_no_platform_sync refused",
    ("tv.user", "init"): "Odoo's install hook, public in every model: creates the unique "
                         "indexes if missing (idempotent, changes no record)",
    ("tv.user", "action_sync_now"): "write on the TV users (operators); proposals refused",
    ("tv.user", "action_create_on_platform"): "write on the TV users (operators)",
    ("tv.user", "action_refresh_from_platform"): "write on the TV users (operators)",
    ("tv.user", "action_recreate_on_platform"): "write on the TV users (operators)",
    ("tv.user", "action_tv_resend_access_instructions"): "write on the TV users (operators), "
                                                         "checked in the method",
    # contracts
    ("account.analytic.account", "create"): GUARD,
    ("account.analytic.account", "write"): GUARD,
    ("account.analytic.account", "action_contract_activate"): "TV operators of the company",
    ("account.analytic.account", "action_contract_awaiting_signature"):
        "TV operators of the company",
    ("account.analytic.account", "action_contract_late_notice"): "TV operators of the company",
    ("account.analytic.account", "action_contract_block"): "TV operators of the company",
    ("account.analytic.account", "action_contract_release"): "TV operators of the company",
    ("account.analytic.account", "action_contract_deactivate"): "TV operators of the company",
    ("account.analytic.account", "action_tv_trust_release"): "TV operators of the company",
    ("account.analytic.account", "action_tv_bulk_block"): "TV operators of the company",
    ("account.analytic.account", "action_tv_bulk_release"): "TV operators of the company",
    ("account.analytic.account", "action_tv_sync_now"): "write on the TV users (operators)",
    ("account.analytic.account", "action_tv_confirm_termination"):
        "TV operators of the company (unlink on the TV users); refused without a proposal "
        "or once the contract is no longer blocked",
    ("account.analytic.account", "message_post"): "mail's own rules; the status author "
                                                  "is taken only in sudo() (the addon's)",
    ("account.analytic.account", "action_view_tv_users"):
        "anyone who reads the contract (returns a window action)",
    ("account.analytic.account", "action_tv_suspend_on_request"): "TV operators of the company",
    ("account.analytic.account", "action_tv_plan_change"): "TV operators of the company",
    ("account.analytic.account", "recurring_create_invoice"):
        "OCA contract's (ORM: whoever may invoice the contract); plan changes already due "
        "are applied first, as the system",
    ("tv.request.suspension", "action_end"): "TV operators of the company",
    ("tv.plan.change", "action_cancel"): "TV operators of the company",
    ("tv.request.suspension.wizard", "action_confirm"):
        "TV operators (action_tv_suspend_on_request checks)",
    ("tv.plan.change.wizard", "action_confirm"): "TV operators (action_tv_plan_change checks)",
    ("tv.plan.change.wizard", "create"):
        "TV operators who read the contract and the TV user (checked after)",
    ("tv.plan.change.wizard", "write"):
        "TV operators who read the contract and the TV user (checked after)",
    ("tv.request.suspension.wizard", "create"):
        "TV operators who read the contract (checked after)",
    ("tv.request.suspension.wizard", "write"):
        "TV operators who read the contract (checked after)",
    ("account.analytic.account", "tv_addon_preview"):
        "TV operators of the company (reads only); refused like the request",
    ("account.analytic.account", "action_tv_addon_add"): "TV operators of the company",
    ("account.analytic.account", "action_tv_addon_remove"): "TV operators of the company",
    ("tv.addon.wizard", "action_confirm"):
        "TV operators (action_tv_addon_add / action_tv_addon_remove check)",
    ("tv.operator.dialog", "create"): "TV operators who read its records (checked after)",
    ("tv.operator.dialog", "write"): "TV operators who read its records (checked after)",
    ("tv.addon.wizard", "create"): "TV operators who read the TV user (checked after)",
    ("tv.addon.wizard", "write"): "TV operators who read the TV user (checked after)",
    ("account.analytic.invoice.line", "unlink"):
        ORM + "; a live add-on's line: the system only (its Remove)",
    ("account.analytic.contract.line", "unlink"):
        ORM + "; a live add-on's line: the system only (its Remove)",
    ("account.analytic.invoice.line", "create"): GUARD,
    ("account.analytic.invoice.line", "write"):
        GUARD + "; an add-on's product: the system only (its buttons)",
    ("account.analytic.contract.line", "create"): GUARD,
    ("account.analytic.contract.line", "write"):
        GUARD + "; an add-on's product: the system only (its buttons)",
    # the guard itself and the models that only inherit it
    ("tv.field.guard", "create"): GUARD,
    ("tv.field.guard", "write"): GUARD,
    ("tv.integration.credential", "create"): GUARD + " (TV managers only)",
    ("tv.integration.credential", "write"): GUARD + " (TV managers only)",
    ("tv.catalog.mixin", "create"): GUARD + " (TV managers)",
    ("tv.catalog.mixin", "write"): GUARD + " (TV managers)",
    ("tv.package", "create"): GUARD + " (TV managers)",
    ("tv.package", "write"): GUARD + " (TV managers)",
    ("tv.equipment.model", "create"): GUARD + " (TV managers)",
    ("tv.equipment.model", "write"): GUARD + " (TV managers)",
    ("sale.order", "create"): GUARD,
    ("sale.order", "write"): GUARD,
    ("ir.translation", "create"): "Odoo's; the addon's templates' translations: TV managers "
                                  "and Settings only",
    ("ir.translation", "write"): "Odoo's; the addon's templates' translations: TV managers "
                                 "and Settings only",
    ("ir.translation", "unlink"): "Odoo's; the addon's templates' translations: TV managers "
                                  "and Settings only",
    ("account.invoice", "create"): ORM + "; a validated invoice by billing users only",
    ("mail.mail", "create"): GUARD,
    ("mail.mail", "write"): GUARD,
    ("mail.message", "create"): ORM + "; on the TV records: in the author's own name, "
                                      "changes recorded by who may write; a sender with no "
                                      "e-mail address gets the record's company's",
    ("mail.compose.message", "create"): "Odoo's (inherits mail.message's create: the same "
                                        "sender fallback)",
    ("mail.followers", "create"): ORM + "; on the TV records: oneself where one may read, "
                                        "others where one may write",
    ("mail.followers", "write"): ORM + "; on the TV records: as create",
    ("mail.message", "write"): ORM + "; a customer notice's message: the system only",
    ("mail.message", "unlink"): ORM + "; a customer notice's message: the system only",
    ("mail.compose.message", "write"): "Odoo's (inherits mail.message's override, which "
                                       "leaves the composer alone)",
    ("mail.compose.message", "unlink"): "Odoo's (inherits mail.message's override, which "
                                        "leaves the composer alone)",
    # mail templates
    ("mail.template", "write"): TEMPLATES,
    ("mail.template", "unlink"): TEMPLATES,
    ("mail.template", "render_template"): RENDER,
    ("email_template.preview", "write"): TEMPLATES,
    ("email_template.preview", "unlink"): TEMPLATES,
    ("email_template.preview", "render_template"): RENDER,
    # delinquency policies
    ("tv.delinquency.policy", "create"): ORM + " (TV and invoicing managers)" + POLICY_RECOMPUTE,
    ("tv.delinquency.policy", "write"): ORM + " (TV and invoicing managers)" + POLICY_RECOMPUTE,
    ("tv.delinquency.policy", "unlink"): ORM + " (TV and invoicing managers)" + POLICY_RECOMPUTE,
    # integrations
    ("tv.integration", "create"): ORM + " (managers); tv_skip_connection_check refused",
    ("tv.integration", "write"): ORM + " (managers); tv_skip_connection_check refused",
    ("tv.integration", "action_test_connection"): "TV managers of the company",
    ("tv.integration", "action_sync_catalog"): "TV managers of the company",
    ("tv.integration", "action_open_tv_users"): "anyone who reads the integration "
                                                "(returns a window action)",
    ("tv.integration", "link_existing_subscribers"): "TV managers of the company",
    ("tv.integration", "action_compute_revenue_month"):
        "TV managers and invoicing managers of the company (the month's rows are the "
        "system's)",
    ("tv.integration", "action_open_revenue_lines"): "anyone who reads the integration "
                                                     "(returns a window action; the rows "
                                                     "follow their own access)",
    ("tv.integration", "action_open_revenue_leaks"): "anyone who reads the integration "
                                                     "(returns a window action; the leaks "
                                                     "follow their own access)",
    ("tv.integration", "tv_month_leaks"): "TV managers and invoicing managers of the company "
                                          "(reads only)",
    ("tv.revenue.line", "action_dispute_export"):
        "whoever reads the row (returns the download's address; the controller reads the "
        "month as the user)",
    ("tv.package.price", "create"): GUARD + " (TV managers)",
    ("tv.package.price", "write"): GUARD + " (TV managers)",
    ("tv.revenue.leak", "action_link"): "TV managers of the leak's company (returns the "
                                        "Link wizard; the link checks again)",
    ("tv.revenue.leak", "action_delete_on_platform"):
        "TV managers of the leak's company; refused when a TV user holds the account",
    ("tv.revenue.leak", "action_sync_tv_user"): "whoever may sync the leak's TV user (its "
                                                "action_sync_now checks: TV operators, managers)",
    ("tv.revenue.leak", "action_delete_tv_user"): "whoever may delete the leak's TV user (its "
                                                  "unlink checks: TV operators, managers)",
    ("tv.revenue.leak.link.wizard", "action_link"): "TV managers (the leak's link checks)",
    ("tv.link.subscribers.wizard", "action_preview"): "TV managers (the plan checks)",
    ("tv.link.subscribers.wizard", "action_confirm"): "TV managers (the plan checks)",
    ("tv.link.subscribers.wizard", "action_back"): "the wizard's owner (transient)",
    ("tv.link.subscribers.wizard", "action_start_run"):
        "TV managers (start_link_run checks)",
    ("tv.integration", "start_link_run"): "TV managers of the company; the file's caps "
                                          "checked before anything is written",
    ("tv.link.run", "action_apply"): "TV managers of the run's company; one run linking "
                                     "per integration",
    ("tv.link.run", "action_resume"): "TV managers of the run's company",
    ("tv.integration", "tv_move_package_preview"):
        "TV managers of the company (reads only); refused like the move",
    ("tv.integration", "action_tv_move_package"): "TV managers of the company",
    ("tv.package.move", "action_resume"): "TV managers of the move's company",
    ("tv.package.move", "name_get"): "anyone who reads the move",
    ("tv.package.move.wizard", "action_start"):
        "TV managers (action_tv_move_package checks)",
    ("tv.link.run", "action_cancel"): "TV managers of the run's company",
    ("tv.link.run", "action_download_report"): "TV managers of the run's company (returns "
                                               "the report's download URL)",
    # catalog and products
    ("tv.catalog.mixin", "name_get"): "anyone who reads the entry",
    ("tv.package", "name_get"): "anyone who reads the entry",
    ("tv.equipment.model", "name_get"): "anyone who reads the entry",
    ("tv.request.suspension", "name_get"): "anyone who reads the suspension",
    ("tv.plan.change", "name_get"): "anyone who reads the plan change",
    ("tv.revenue.line", "name_get"): "anyone who reads the row",
    ("product.template", "create"): ORM + "; tv_locked and tv_unlock refused",
    ("product.template", "write"): ORM + "; tv_locked and tv_unlock refused",
    ("product.template", "tv_package_codes"): "anyone who reads the product (reads only)",
    ("product.template", "action_fetch_tv_packages"): "TV managers (action_sync_catalog)",
    ("product.tv.package.line", "create"): ORM + "; refused on a locked product",
    ("product.tv.package.line", "write"): ORM + "; refused on a locked product",
    ("product.tv.package.line", "unlink"): ORM + "; refused on a locked product",
    # sales and invoicing
    ("sale.order", "action_confirm"): ORM + " (salespeople); the contract and TV user "
                                            "proposals are the system's",
    ("account.invoice", "action_invoice_open"):
        ORM + " (billing); a settlement's credit note then settles the invoice it credits",
    ("account.invoice", "unlink"): ORM + "; a settlement's correction: billing users only",
    ("account.invoice.tax", "create"): TAX_LINES,
    ("account.invoice.tax", "write"): TAX_LINES,
    ("account.invoice.tax", "unlink"): TAX_LINES,
    ("account.invoice.line", "create"): GUARD + " (the lines' days are the system's)",
    ("account.invoice.line", "write"): GUARD + " (the lines' days are the system's)",
    ("product.product", "write"): ORM + "; a TV variant's template is kept",
    ("ir.attachment", "write"): ORM + "; the files of the addon's templates: " + TEMPLATES
    + "; those of a notice's message: the system only",
    ("ir.attachment", "unlink"): ORM + "; the files of the addon's templates: " + TEMPLATES
    + "; those of a notice's message: the system only",
    ("account.invoice", "write"): ORM + " (billing); a validated invoice's contract, customer "
                                        "and due date by billing users only; the release "
                                        "on payment is the system's, on a reconciled "
                                        "payment or a billing user's cancellation",
}

# the system's history: the guard's create and write, read-only to every role.
# tv.portal.request, the log of the customers' own requests on the portal: its
# entry point (_tv_portal_submit) is private, so no XML-RPC caller reaches it,
# and refuses anyone but the system (the portal's controller, on a TV user found
# through the portal's domain): a portal user calls nothing new
# (test_portal_requests.py).
ACCESS.update({(model, method): GUARD + " (read-only to every role: the system's history)"
               for model in ("tv.api.call", "tv.trust.release", "tv.plan.change",
                             "tv.request.suspension", "tv.contract.status.change",
                             "tv.link.run", "tv.link.run.line", "tv.subscriber.span",
                             "tv.revenue.line", "tv.revenue.leak", "tv.revenue.month.mixin",
                             "tv.portal.request",
                             "tv.package.move")
               for method in ("create", "write")})
ACCESS[("tv.subscriber.span", "init")] = (
    "Odoo's install hook, public in every model: creates the open span's unique index and "
    "the month's index if missing (idempotent, changes no record)")


def addon_public_methods(env):
    found = set()
    for name in env.registry:
        model_class = type(env[name])
        for klass in model_class.__mro__:
            if not klass.__module__.startswith(ADDON_MODULE):
                continue
            for attr, value in vars(klass).items():
                if attr.startswith("_") or not inspect.isfunction(value):
                    continue
                found.add((name, attr))
    return found


@at_install(False)
@post_install(True)
class TestPublicMethods(TransactionCase):

    def test_every_public_method_has_a_decided_access(self):
        found = addon_public_methods(self.env)
        self.assertFalse(sorted(found - set(ACCESS)),
                         "public methods without a decided access (add them to ACCESS)")
        self.assertFalse(sorted(set(ACCESS) - found), "ACCESS lists methods that are gone")

    def test_scheduled_work_is_private(self):
        crons = self.env["ir.cron"].search([("ir_actions_server_id.model_id.model", "!=", False)])
        for cron in crons:
            if "oletv_integration" not in (cron.get_external_id()[cron.id] or ""):
                continue
            method = cron.code.strip().split("model.", 1)[1].split("(", 1)[0]
            self.assertTrue(method.startswith("_cron"), cron.code)
