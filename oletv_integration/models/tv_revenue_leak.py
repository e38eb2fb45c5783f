# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A month's leaks, with the money each costs. The invoicing side, from
Odoo's data alone (the addon's contract status history and TV users): TV
invoiced for a contract with no live TV user that month (revenue at risk
of a refund or a dispute), a TV user live during the month with no TV line
invoiced (revenue lost: its product's price). The platform side, from the
platform's daily history (core/platform_leaks.py,
services/platform_leaks.py): a subscriber linked to no TV user, a TV user
billable while its contract blocks TV, packages that differ from the
product's (billable days x the platform prices / the month's days).
Filled with the month's revenue assurance rows by the integration's
"Compute month" (services/revenue_month.py, core/bill_check.py), which
replaces them; the system's (owned_fields.py), read by TV managers and
billing users.

The platform side's remedies are one click each and go through the normal,
checked paths: the link of existing subscribers (the Link wizard), the
platform's delete for a subscriber still linked to nobody, the TV user's
own Sync now and Delete. A remedy done is written on the leak (`remedy`);
one refused (by the rights or by the platform) raises, and the leak stays
as it was."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .. import oletv_client as ole
from ..core import bill_check
from ..core import platform_leaks
from ..services.call_recorder import CallRecorder
from ..services.subscriber_links import SubscriberLinks
from ..services.link_planner import ERROR
from ..services.platform_slots import PlatformSlots
from ..services.tv_roles import as_system, check_link_manager

SYNC_REQUESTED = "sync_requested"


class TvRevenueLeak(models.Model):
    _name = "tv.revenue.leak"
    _description = "TV Revenue Leak"
    _inherit = ["tv.revenue.month.mixin"]
    _order = "month desc, integration_id, kind, amount desc, id"

    kind = fields.Selection([
        (bill_check.INVOICED_NOT_LIVE, "Invoiced, no live TV user"),
        (bill_check.LIVE_NOT_INVOICED, "Live TV user, not invoiced"),
        (platform_leaks.UNLINKED, "On the platform, no TV user"),
        (platform_leaks.BLOCKED_LIVE, "On the platform, contract blocked"),
        (platform_leaks.PACKAGES_DIFFER, "Packages differ from the product"),
    ], required=True, readonly=True)
    contract_id = fields.Many2one("account.analytic.account", readonly=True,
                                  ondelete="set null")
    tv_user_id = fields.Many2one("tv.user", string="TV user", readonly=True,
                                 ondelete="set null")
    product_id = fields.Many2one("product.product", readonly=True, ondelete="set null")
    amount = fields.Monetary(readonly=True,
                             help="Invoiced, no live TV user: the amount invoiced (at risk of a "
                                  "refund). Live TV user, not invoiced: its product's price "
                                  "(lost). The platform's leaks: billable days x the platform "
                                  "prices of the packages / the days of the month.")
    account_number = fields.Char(readonly=True, help="The subscriber's account on the platform.")
    login = fields.Char(readonly=True)
    billable_days = fields.Integer(
        readonly=True, help="The days of the month the platform bills this leak: billable on "
                            "it (and, for a blocked contract, blocked in Odoo; for packages, "
                            "with packages that differ).")
    platform_packages = fields.Char(readonly=True,
                                    help="The packages on the platform (the last seen in the "
                                         "month).")
    product_packages = fields.Char(readonly=True,
                                   help="The packages the TV user's product gives under the "
                                        "access its contract wants.")
    remedy = fields.Selection([
        ("linked", "Linked"),
        ("deleted_on_platform", "Deleted on platform"),
        (SYNC_REQUESTED, "Sync requested"),
        ("tv_user_deleted", "TV user deleted"),
    ], readonly=True, help="The remedy done (the next Compute month shows what is left).")

    # -- remedies -----------------------------------------------------------------

    def _tv_check_remedy(self, *kinds):
        """The leak is one of `kinds` and not remedied yet (the caller reads it)."""
        self.ensure_one()
        self.check_access_rule("read")
        if self.kind not in kinds:
            raise UserError(_("This remedy does not apply to this leak."))
        if self.remedy:
            raise UserError(_("This leak was remedied already: compute the month again to "
                              "see what is left."))

    def _tv_remedied(self, remedy, **values):
        as_system(self).write(dict(values, remedy=remedy))

    @api.multi
    def action_link(self):
        """Link: the wizard asking for the contract (TV managers, like the
        link of existing subscribers)."""
        self._tv_check_remedy(platform_leaks.UNLINKED)
        check_link_manager(self.integration_id)
        return {"type": "ir.actions.act_window", "res_model": "tv.revenue.leak.link.wizard",
                "view_mode": "form", "target": "new",
                "name": _("Link %s to a contract") % self.account_number,
                "context": {"default_leak_id": self.id}}

    def _tv_link(self, contract, product):
        """Plan the subscriber's link to `contract` (and `product`) as the
        link of existing subscribers does, and link it (all or nothing)."""
        self._tv_check_remedy(platform_leaks.UNLINKED)
        integration = self.integration_id
        check_link_manager(integration)
        PlatformSlots(self.env).take_or_refuse(integration)
        plan = SubscriberLinks(integration).plan_chosen(contract, product, self.login,
                                                        self.account_number)
        refused = [row for row in plan if row.status == ERROR]
        if refused:
            raise UserError(_("Nothing was linked: %s") % refused[0].reason)
        integration._tv_link_apply(plan)
        self._tv_remedied("linked", tv_user_id=plan[0].tv_user.id, contract_id=contract.id,
                          product_id=plan[0].tv_user.product_id.id)
        return plan[0].tv_user

    @api.multi
    def action_delete_on_platform(self):
        """Delete on platform: the subscriber linked to no TV user is deleted
        there (TV managers). Refused when a TV user of the integration holds
        the account meanwhile."""
        self._tv_check_remedy(platform_leaks.UNLINKED)
        integration = self.integration_id
        check_link_manager(integration)
        holder = self.env["tv.user"].sudo().with_context(active_test=False).search([
            ("integration_id", "=", integration.id),
            ("account_number", "=", self.account_number),
            ("platform_state", "!=", "deleted")], limit=1)
        if holder:
            raise UserError(_("%(account)s is linked to the TV user %(login)s now: it was not "
                              "deleted. Compute the month again.")
                            % {"account": self.account_number, "login": holder.login})
        PlatformSlots(self.env).take_or_refuse(integration)
        calls = CallRecorder()
        try:
            with integration._client(calls) as client:
                client.delete_subscriber(self.account_number)
        except ole.OleTVError as exc:
            raise UserError(_("The platform did not delete %(account)s: %(reason)s") % {
                "account": self.account_number,
                "reason": integration._platform_error_message(exc)})
        finally:
            self.env["tv.api.call"]._record(integration, calls)
        self._tv_remedied("deleted_on_platform")
        return True

    @api.multi
    def action_sync_tv_user(self):
        """Sync now (a blocked contract: the sync blocks its TV user) or Push
        (packages: the sync sets the product's): the TV user's own Sync
        now, with its checks (TV operators and managers)."""
        self._tv_check_remedy(platform_leaks.BLOCKED_LIVE, platform_leaks.PACKAGES_DIFFER)
        tv_user = self._tv_leak_user()
        tv_user.action_sync_now()
        self._tv_remedied(SYNC_REQUESTED)
        return True

    @api.multi
    def action_delete_tv_user(self):
        """Delete: the TV user's own delete (archived, deleted on the
        platform by its sync; TV operators and managers)."""
        self._tv_check_remedy(platform_leaks.BLOCKED_LIVE)
        self._tv_leak_user().unlink()
        self._tv_remedied("tv_user_deleted")
        return True

    def _tv_leak_user(self):
        """The leak's TV user as the caller (its rules apply), still there."""
        tv_user = self.tv_user_id.with_context(active_test=False)
        if not tv_user.exists() or not tv_user.active:
            raise UserError(_("The TV user of this leak was deleted meanwhile: compute the "
                              "month again."))
        return tv_user
