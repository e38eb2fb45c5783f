# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The platform side's leaks of a month built on the sandbox
(test_platform_history's November, plus a blocked contract whose TV user
stays active on the platform and a subscriber linked to nobody all month),
with the money each costs, and each one-click remedy run as the roles:
its effect checked on the sandbox, its refusals (the billing clerk, the
salesperson, company B, the platform) leaving the leak as it was."""
from odoo.exceptions import AccessError, UserError

from .. import oletv_client as ole
from .test_platform_history import PlatformMonthCase

MONTH = "2026-11-01"
PLATFORM_KINDS = ("unlinked_subscriber", "blocked_on_platform", "packages_differ")


class TestPlatformLeaks(PlatformMonthCase):

    def setUp(self):
        super().setUp()
        self.manager = self.users_a["manager"]
        for package, price in ((self.pkg_basic, 20.0), (self.pkg_family, 30.0),
                               (self.pkg_hbo, 10.0)):
            package.sudo(self.manager).write({"platform_price": price})
        self.extra = {}
        self.accounts = self.build_month(seed_more=self.seed_more)
        self.integration.sudo(self.manager).action_compute_revenue_month(MONTH)

    def seed_more(self):
        """fabi FAMILY+HBO active all month, her contract (TV Básico) blocked
        since October (listed blocked, not also for her packages);
        gil BASIC active all month, linked to no TV user."""
        seed = self.sandbox.seed_subscriber
        fabi = seed(login="fabi@example.com", main_package="FAMILY", additional_packages=["HBO"],
                    status="active")["account_number"]
        gil = seed(login="gil@example.com", main_package="BASIC",
                   status="active")["account_number"]
        partner = self.env["res.partner"].create({"name": "Fabi", "email": "fabi@example.com"})
        contract = self.make_contract(partner, [self.tv_product])
        tv_user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": contract.id, "product_id": self.tv_product.id})
        tv_user.write({"account_number": fabi, "platform_state": "active",
                       "sync_state": "synced"})
        contract._set_contract_status("blocked", block_reason="manual")
        contract.tv_status_change_ids.write({"date": "2026-10-20 12:00:00"})
        self.env["queue.job"].search([]).unlink()  # the block's sync: not run, the leak
        self.extra.update(fabi=fabi, gil=gil, fabi_user=tv_user, fabi_contract=contract)

    def leaks(self, user=None):
        return self.env["tv.revenue.leak"].sudo(user or self.users_a["clerk"]).search(
            [("integration_id", "=", self.integration.id), ("month", "=", MONTH),
             ("kind", "in", PLATFORM_KINDS)])

    def leak(self, kind, account):
        found = self.leaks().filtered(
            lambda leak: leak.kind == kind and leak.account_number == account)
        self.assertEqual(len(found), 1, (kind, account))
        return found

    def refused_to_others(self, leak, method):
        """The clerk (read-only), the salesperson and company B's manager
        are refused; the leak stays as it was."""
        for user in (self.users_a["clerk"], self.users_a["salesperson"], self.users_b["manager"]):
            with self.assertRaises((AccessError, UserError)), self.env.cr.savepoint():
                getattr(leak.sudo(user), method)()
        self.assertFalse(leak.remedy)

    # -- the leaks and their money ----------------------------------------------------

    def test_the_platforms_leaks_of_the_month_with_their_money(self):
        tv_users = self.tv_users
        found = sorted((leak.kind, leak.account_number, leak.tv_user_id.id, leak.billable_days,
                        leak.platform_packages, leak.product_packages or False, leak.amount)
                       for leak in self.leaks())
        accounts = self.accounts
        self.assertEqual(found, sorted([
            # dora: BASIC from her first access on the 6th, 25 days x 20 / 30
            ("unlinked_subscriber", accounts["dora"], False, 25, "BASIC", False, 16.67),
            ("unlinked_subscriber", self.extra["gil"], False, 30, "BASIC", False, 20.0),
            # fabi: her contract blocked all month, active on the platform 30 days x (30 + 10)
            ("blocked_on_platform", self.extra["fabi"], self.extra["fabi_user"].id, 30,
             "FAMILY,HBO", False, 40.0),
            # bia FAMILY+HBO 20 billable days (blocked 10), her product gives BASIC
            ("packages_differ", accounts["bia"], tv_users["bia"].id, 20, "FAMILY,HBO", "BASIC",
             26.67),
            # caio FAMILY+HBO from the 16th: 15 days x (30 + 10) / 30
            ("packages_differ", accounts["caio"], tv_users["caio"].id, 15, "FAMILY,HBO", "BASIC",
             20.0),
        ]))
        # the month's leaks in one place, replaced when computed again
        self.integration.sudo(self.manager).action_compute_revenue_month(MONTH)
        self.assertEqual(len(self.leaks()), 5)
        self.assertFalse(self.env["tv.revenue.leak"].sudo(self.users_b["manager"]).search([]))

    # -- Link ---------------------------------------------------------------------------

    def test_link_plans_the_subscriber_and_links_it_to_the_chosen_contract(self):
        leak = self.leak("unlinked_subscriber", self.accounts["dora"])
        self.refused_to_others(leak, "action_link")
        # a wizard anyone may open (Odoo's transient models): its Link checks
        for user in (self.users_a["clerk"], self.users_a["operator"]):
            wizard = self.env["tv.revenue.leak.link.wizard"].sudo(user).create({
                "leak_id": leak.id, "contract_id": self.contract.id,
                "product_id": self.tv_product.id})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                wizard.action_link()
        self.assertFalse(leak.remedy)
        # the contract has two TV products: the plan asks which one, nothing is linked
        wizard = self.env["tv.revenue.leak.link.wizard"].sudo(self.manager).create({
            "leak_id": leak.id, "contract_id": self.contract.id})
        with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
            wizard.action_link()
        self.assertIn("several TV products", raised.exception.name)
        self.assertFalse(leak.remedy)
        wizard.product_id = self.tv_product
        action = wizard.action_link()
        tv_user = self.env["tv.user"].browse(action["res_id"])
        self.assertEqual((tv_user.account_number, tv_user.login, tv_user.contract_id),
                         (self.accounts["dora"], "dora@example.com", self.contract))
        self.assertEqual((leak.remedy, leak.tv_user_id), ("linked", tv_user))
        # the sandbox's subscriber is the one linked, unchanged (it matched its product)
        self.assertEqual(self.platform(self.accounts["dora"])["status"], "active")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            leak.sudo(self.manager).action_link()  # remedied already

    # -- Delete on platform -----------------------------------------------------------------

    def test_delete_on_platform_deletes_the_subscriber_linked_to_nobody(self):
        leak = self.leak("unlinked_subscriber", self.extra["gil"])
        self.refused_to_others(leak, "action_delete_on_platform")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            leak.sudo(self.users_a["operator"]).action_delete_on_platform()
        self.assertFalse(self.platform(self.extra["gil"])["deleted"])
        leak.sudo(self.manager).action_delete_on_platform()
        self.assertTrue(self.platform(self.extra["gil"])["deleted"])
        self.assertEqual(leak.remedy, "deleted_on_platform")
        with self.assertRaises(ole.NotFoundError):
            self.client.get_subscriber(self.extra["gil"])

    def test_delete_on_platform_is_refused_once_the_account_is_linked_or_by_the_platform(self):
        leak = self.leak("unlinked_subscriber", self.accounts["dora"])
        holder = self.link_tv_user(self.accounts["dora"], "dora@example.com")
        with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
            leak.sudo(self.manager).action_delete_on_platform()
        self.assertIn("is linked to the TV user dora@example.com", raised.exception.name)
        self.assertFalse(self.platform(self.accounts["dora"])["deleted"])
        holder.with_context(tv_no_platform_sync=True).unlink()
        # the platform refuses (deleted on its panel meanwhile): the leak stays, a message
        self.sandbox.delete_from_panel(self.accounts["dora"])
        with self.assertRaises(UserError) as raised, self.env.cr.savepoint():
            leak.sudo(self.manager).action_delete_on_platform()
        self.assertIn("The platform did not delete %s" % self.accounts["dora"],
                      raised.exception.name)
        self.assertFalse(leak.remedy)

    # -- Sync now, Delete, Push ----------------------------------------------------------------

    def test_sync_now_blocks_the_tv_user_of_a_blocked_contract(self):
        leak = self.leak("blocked_on_platform", self.extra["fabi"])
        self.refused_to_others(leak, "action_sync_tv_user")
        self.assertFalse(self.jobs())
        leak.sudo(self.manager).action_sync_tv_user()
        self.assertEqual(leak.remedy, "sync_requested")
        self.run_jobs()
        self.assertEqual(self.platform(self.extra["fabi"])["status"], "blocked")
        self.assertEqual(self.extra["fabi_user"].platform_state, "blocked")

    def test_delete_deletes_the_tv_user_of_a_blocked_contract_on_the_platform(self):
        leak = self.leak("blocked_on_platform", self.extra["fabi"])
        self.refused_to_others(leak, "action_delete_tv_user")
        self.assertTrue(self.extra["fabi_user"].active)
        # a TV operator who reads the leaks (with Billing) may: the TV user's Delete allows it
        leak.sudo(self.users_a["operator"]).action_delete_tv_user()
        self.assertEqual(leak.remedy, "tv_user_deleted")
        self.assertFalse(self.extra["fabi_user"].active)
        self.run_jobs()
        self.assertTrue(self.platform(self.extra["fabi"])["deleted"])
        self.assertEqual(self.extra["fabi_user"].platform_state, "deleted")
        # a remedy of another kind is refused
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.leak("packages_differ", self.accounts["caio"]).sudo(
                self.manager).action_delete_tv_user()

    def test_push_sets_the_products_packages_on_the_platform(self):
        leak = self.leak("packages_differ", self.accounts["caio"])
        self.refused_to_others(leak, "action_sync_tv_user")
        leak.sudo(self.users_a["operator"]).action_sync_tv_user()  # Sync now allows operators
        self.run_jobs()
        subscriber = self.platform(self.accounts["caio"])
        self.assertEqual((subscriber["main_package"], subscriber["additional_packages"]),
                         ("BASIC", []))
        self.assertEqual(leak.remedy, "sync_requested")
