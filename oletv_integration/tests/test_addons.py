# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Add-on packages per TV user (issue 26), each behaviour as the role that
does it, over XML-RPC, against the real sandbox: the operator adds and
removes an add-on (its price and date previewed first; the platform gets
its packages, then not); the billing clerk's invoices charge it pro rata
(figures worked out by hand below); the rules hold (the ladder's reduced
step drops it and a payment restores it, a suspension on request does not
charge it, a plan change keeps what the new plan accepts); the refusals
leave nothing half-written; the move of a retired package to its
successor, previewed, then run in the background."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .test_delinquency_ladder import LadderCase
from .test_settlement import SettlementCase

TELECINE_PRICE = 30.0
SPORTS_PRICE = 20.0


def make_addon(env, name, packages, price, integration):
    return env["product.product"].create({
        "name": name, "type": "service", "list_price": price, "is_tv_product": True,
        "tv_platform": "oletv", "tv_product_kind": "addon", "tv_integration_id": integration.id,
        "tv_additional_line_ids": [(0, 0, {"package_id": package.id}) for package in packages]})


class AddonCase(SettlementCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        packages = cls.env["tv.package"].search([("integration_id", "=", cls.integration.id)])
        cls.pkg = {package.code: package for package in packages}
        cls.telecine = make_addon(cls.env, "Telecine", [cls.pkg["TELECINE"]], TELECINE_PRICE,
                                  cls.integration)
        cls.sports = make_addon(cls.env, "Esportes", [cls.pkg["SPORTS"]], SPORTS_PRICE,
                                cls.integration)
        # the premium plan accepts the sports add-on only; the basic plan any
        cls.premium.product_tmpl_id.tv_accepted_addon_ids = cls.sports.product_tmpl_id

    def add(self, user, addon, operator=None, contract=None):
        return self.rpc(operator or self.operator, "account.analytic.account",
                        "action_tv_addon_add", (contract or self.contract).ids, user.id,
                        addon.id)

    def remove(self, user, addon, operator=None):
        return self.rpc(operator or self.operator, "account.analytic.account",
                        "action_tv_addon_remove", self.contract.ids, user.id, addon.id)

    def preview(self, user, addon, action="add"):
        return self.rpc(self.operator, "account.analytic.account", "tv_addon_preview",
                        self.contract.ids, user.id, addon.id, action)

    def addon_line(self, user, addon):
        return self.contract.recurring_invoice_line_ids.filtered(
            lambda line: line.tv_user_id == user and line.product_id == addon)

    def invoice_line(self, invoice, addon):
        return invoice.invoice_line_ids.filtered(lambda line: line.product_id == addon)


class TestAddonOnThePlatform(AddonCase):

    def test_the_operator_adds_then_removes_an_addon(self):
        user = self.live_user()
        self.assertPackages(user, "BASIC", [])
        preview = self.preview(user, self.telecine)
        self.assertEqual((preview["date"], preview["price"]), (self.day(0), TELECINE_PRICE))

        line = self.env["account.analytic.invoice.line"].browse(self.add(user, self.telecine))
        self.assertEqual((line.tv_user_id, line.tv_addon_from, line.price_unit, line.line_type),
                         (user, self.day(0), TELECINE_PRICE, "tv"))
        self.assertEqual((user.sync_state, user.tv_addon_line_ids), ("pending", line))
        self.assertPackages(user, "BASIC", ["TELECINE"])
        self.assertIn("Add-on Telecine added by %s" % self.operator.name,
                      self.contract.message_ids[0].body)
        # the price as the operator's language writes it, in the company's currency
        self.assertIn("at %s %.2f a period" % (self.contract.currency_id.symbol,
                                               TELECINE_PRICE), self.contract.message_ids[0].body)
        # the contract's plans are not its add-ons: no TV user is proposed for one
        self.assertNotIn(self.telecine, self.contract.tv_product_ids)

        self.remove(user, self.telecine)
        self.assertPackages(user, "BASIC", [])
        # added and removed the same day, never invoiced: nothing left to charge
        self.assertFalse(line.exists())
        self.assertIn("Add-on Telecine removed", self.contract.message_ids[0].body)

    def test_a_tv_user_removed_loses_its_addons(self):
        user = self.live_user()
        line = self.env["account.analytic.invoice.line"].browse(self.add(user, self.sports))
        line.write({"tv_addon_from": self.day(-5)})  # (the system) added 5 days ago
        self.rpc(self.operator, "tv.user", "unlink", user.ids)
        self.assertEqual((line.tv_addon_to, user.to_delete), (self.day(-1), True))
        self.assertFalse(user.with_context(active_test=False).tv_addon_line_ids)

    def test_the_wizard_shows_the_price_and_date_before_confirming(self):
        user = self.live_user()
        wizard = self.env["tv.addon.wizard"].sudo(self.operator).create(
            {"tv_user_id": user.id, "product_id": self.telecine.id})
        self.assertEqual((wizard.price, wizard.effective_date, wizard.refusal),
                         (TELECINE_PRICE, self.day(0), False))
        # amounts in the contract company's currency; the period's dates as the user's
        # language writes them (the web client shows the text as it is)
        self.assertEqual(wizard.currency_id, self.contract.currency_id)
        in_portuguese = self.env["tv.addon.wizard"].sudo(self.operator).with_context(
            lang="pt_BR").create({"tv_user_id": user.id, "product_id": self.telecine.id})
        self.assertRegex(in_portuguese.first_period,
                         r"^\d+ de \d+ dias \(\d\d/\d\d/\d{4} a \d\d/\d\d/\d{4}\)$")
        self.assertFalse(self.addon_line(user, self.telecine), "nothing before Confirm")
        wizard.action_confirm()
        self.assertTrue(self.addon_line(user, self.telecine))
        # the dialog offers what the request can take: Remove, the TV user's own add-ons
        wizards = self.env["tv.addon.wizard"].sudo(self.operator)
        for action, offered in (("remove", True), ("add", False)):
            choices = wizards.new({"tv_user_id": user.id, "action": action,
                                   "product_id": self.telecine.id})
            domain = choices._onchange_addon_choices()["domain"]["product_id"]
            self.assertEqual((self.telecine.id in domain[0][2], bool(choices.product_id)),
                             (offered, offered), action)
        again = self.env["tv.addon.wizard"].sudo(self.operator).create(
            {"tv_user_id": user.id, "product_id": self.telecine.id})
        self.assertIn("already", again.refusal)

    def test_a_plan_change_keeps_the_addons_the_new_plan_accepts(self):
        user = self.live_user()
        self.add(user, self.telecine)
        self.add(user, self.sports)
        self.assertPackages(user, "BASIC", ["TELECINE", "SPORTS"])
        wizard = self.env["tv.plan.change.wizard"].sudo(self.operator).create({
            "contract_id": self.contract.id, "tv_user_id": user.id,
            "new_product_id": self.premium.id})
        self.assertEqual(wizard.addons_dropped, "Telecine")

        self.change(user, self.premium)
        self.assertEqual(user.tv_addon_line_ids.mapped("product_id"), self.sports)
        self.contract.invalidate_cache()
        self.assertIn("does not accept, removed: Telecine", "\n".join(
            self.contract.message_ids.mapped("body")))
        self.assertPackages(user, "PREMIUM", ["HBO", "SPORTS"])


class TestAddonInvoices(AddonCase):
    """Pre-paid contracts (a period invoiced on its first day) unless said;
    the add-on costs 30.00 a period, a period of `total` days."""

    def test_added_inside_a_period_invoiced_already_it_is_charged_at_once_pro_rata(self):
        user = self.live_user()
        first_invoice = self.invoiced_in_advance(started_days_ago=10)
        days = self.days_left(self.today)  # today to the period's last day
        by_hand = round(TELECINE_PRICE * days / self.total, 2)  # e.g. 30 x 21/31 = 20.32
        preview = self.preview(user, self.telecine)
        self.assertEqual((preview["now"], preview["days"], preview["total_days"],
                          preview["amount"], preview["document_date"]),
                         (True, days, self.total, by_hand, self.day(0)))

        line = self.env["account.analytic.invoice.line"].browse(self.add(user, self.telecine))
        charge = self.contract_invoices() - first_invoice
        self.assertEqual((len(charge), charge.state), (1, "draft"))
        self.assertAlmostEqual(charge.amount_untaxed, by_hand, delta=0.01)
        charged = self.invoice_line(charge, self.telecine)
        self.assertEqual((charged.tv_days_charged, charged.tv_addon_line_id),
                         (days, line))
        # the next period's invoice charges the whole period
        charge.sudo(self.clerk).action_invoice_open()
        self.contract.recurring_next_date = fields.Date.to_string(self.period[1] + timedelta(1))
        following = self.contract.recurring_create_invoice()
        self.assertAlmostEqual(self.invoice_line(following, self.telecine).price_subtotal,
                               TELECINE_PRICE, delta=0.001)

    def test_post_paid_the_next_invoice_charges_from_the_day_added(self):
        user = self.live_user()
        self.contract.write({"recurring_invoicing_type": "post-paid",
                             "date_start": self.day(-400), "recurring_next_date": self.day(10)})
        last = self.today + timedelta(days=10)
        period = (last - relativedelta(months=1) + timedelta(days=1), last)
        total = (period[1] - period[0]).days + 1
        by_hand = round(TELECINE_PRICE * 11 / total, 2)  # today to the 10th day: 11 days
        preview = self.preview(user, self.telecine)
        self.assertEqual((preview["now"], preview["days"], preview["amount"],
                          preview["document_date"]), (False, 11, by_hand, self.day(10)))
        self.add(user, self.telecine)
        self.assertFalse(self.contract_invoices(), "nothing invoiced before the period's end")
        invoice = self.contract.recurring_create_invoice()
        charged = self.invoice_line(invoice, self.telecine)
        self.assertEqual(charged.tv_days_charged, 11)
        self.assertAlmostEqual(charged.price_subtotal, by_hand, delta=0.01)
        self.assertIn("Add-on from", charged.name)

    def test_a_removal_credits_the_days_invoiced_after_it(self):
        user = self.live_user()
        self.contract.write({"recurring_invoicing_type": "pre-paid",
                             "date_start": self.day(-400), "recurring_next_date": self.day(-10)})
        line = self.env["account.analytic.invoice.line"].browse(self.add(user, self.telecine))
        line.write({"tv_addon_from": self.day(-10)})  # (the system) added 10 days ago
        invoice = self.contract.recurring_create_invoice()
        invoice.sudo(self.clerk).action_invoice_open()
        self.period = (self.today - timedelta(days=10),
                       self.today - timedelta(days=10) + relativedelta(months=1)
                       - timedelta(days=1))
        self.assertAlmostEqual(self.invoice_line(invoice, self.telecine).price_subtotal,
                               TELECINE_PRICE, delta=0.001)
        days = self.days_left(self.today)  # today to the period's end: not charged any more
        by_hand = round(TELECINE_PRICE * days / self.total, 2)
        preview = self.preview(user, self.telecine, "remove")
        self.assertEqual((preview["now"], preview["days"], preview["amount"]),
                         (True, days, -by_hand))

        self.remove(user, self.telecine)
        self.assertEqual(line.tv_addon_to, self.day(-1))
        refund = self.contract_invoices("out_refund")
        self.assertEqual((len(refund), refund.state, refund.refund_invoice_id),
                         (1, "draft", invoice))
        self.assertAlmostEqual(refund.amount_untaxed, by_hand, delta=0.01)
        # an ended add-on is not invoiced again
        self.contract.recurring_next_date = fields.Date.to_string(self.period[1] + timedelta(1))
        following = self.contract.recurring_create_invoice()
        self.assertFalse(self.invoice_line(following, self.telecine))

    def test_a_suspension_on_request_does_not_charge_the_addon(self):
        user = self.live_user()
        self.contract.write({"recurring_invoicing_type": "pre-paid",
                             "date_start": self.day(-400), "recurring_next_date": self.day(0)})
        self.add(user, self.telecine)
        self.suspend(1, 30)
        invoice = self.contract.recurring_create_invoice()
        self.period = (self.today, self.today + relativedelta(months=1) - timedelta(days=1))
        suspended = min(30, self.total - 1)
        charged = self.invoice_line(invoice, self.telecine)
        self.assertEqual(charged.tv_days_charged, self.total - suspended)
        self.assertAlmostEqual(charged.price_subtotal,
                               TELECINE_PRICE * (self.total - suspended) / self.total, delta=0.01)
        self.assertIn("Suspended on request", charged.name)

    def contract_invoices(self, kind="out_invoice"):
        return self.env["account.invoice"].search([("contract_id", "=", self.contract.id),
                                                   ("type", "=", kind)])


class TestAddonRefusals(AddonCase):

    def assertNothingAdded(self, user):
        self.assertFalse(self.contract.recurring_invoice_line_ids.filtered("tv_user_id"))
        self.assertFalse(self.pending_jobs())
        self.assertEqual((user.tv_addon_line_ids.ids, user.sync_state), ([], "synced"))

    def test_other_roles_may_not_add(self):
        user = self.live_user()
        for role in ("clerk", "salesperson", "viewer", "employee", "portal"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.add(user, self.telecine, operator=self.users_a[role])
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.preview_as(self.users_a[role], user)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.add(user, self.telecine, operator=self.users_b["operator"])
        self.assertNothingAdded(user)

    def preview_as(self, role_user, user):
        return self.rpc(role_user, "account.analytic.account", "tv_addon_preview",
                        self.contract.ids, user.id, self.telecine.id, "add")

    def test_bad_requests_are_refused_with_their_reason(self):
        user = self.live_user()
        self.change(user, self.premium)
        self.run_jobs()
        with self.assertRaisesRegex(UserError, "does not accept"), self.env.cr.savepoint():
            self.add(user, self.telecine)
        with self.assertRaisesRegex(UserError, "is not an add-on"), self.env.cr.savepoint():
            self.add(user, self.tv_product)
        other = self.make_contract(self.partner, [self.tv_product])
        other_user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": other.id, "product_id": self.tv_product.id,
             "use_main_email": False, "login": "other.tv@example.com"})
        with self.assertRaisesRegex(UserError, "Choose a TV user of contract"), \
                self.env.cr.savepoint():
            self.add(other_user, self.sports)
        with self.assertRaisesRegex(UserError, "has no add-on"), self.env.cr.savepoint():
            self.remove(user, self.sports)
        self.assertNothingAdded(user)

    def test_an_addon_is_not_a_plan(self):
        with self.assertRaisesRegex(ValidationError, "is an add-on, not a plan"), \
                self.env.cr.savepoint():
            self.env["tv.user"].sudo(self.operator).create(
                {"contract_id": self.contract.id, "product_id": self.telecine.id})
        user = self.live_user()
        with self.assertRaisesRegex(UserError, "is an add-on, not a plan"), \
                self.env.cr.savepoint():
            self.change(user, self.telecine)
        with self.assertRaisesRegex(ValidationError, "additional packages only"), \
                self.env.cr.savepoint():
            make_addon(self.env, "Bad", [self.pkg["BASIC"]], 1.0, self.integration)

    def test_its_lines_are_the_buttons_own(self):
        user = self.live_user()
        billing_manager = self.users_a["clerk"]
        billing_manager.groups_id |= self.env.ref("account.group_account_manager")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(billing_manager, "account.analytic.invoice.line", "create", {
                "analytic_account_id": self.contract.id, "product_id": self.telecine.id,
                "name": "Telecine", "quantity": 1, "uom_id": self.telecine.uom_id.id,
                "line_type": "tv", "specific_price": 1.0, "tv_user_id": user.id,
                "tv_addon_from": self.day(0)})
        with self.assertRaisesRegex(ValidationError, "add it with the TV user"), \
                self.env.cr.savepoint():
            self.rpc(billing_manager, "account.analytic.invoice.line", "create", {
                "analytic_account_id": self.contract.id, "product_id": self.telecine.id,
                "name": "Telecine", "quantity": 1, "uom_id": self.telecine.uom_id.id,
                "line_type": "tv", "specific_price": 1.0})
        line_id = self.add(user, self.telecine)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(billing_manager, "account.analytic.invoice.line", "write", [line_id],
                     {"tv_addon_to": self.day(0)})
        with self.assertRaisesRegex(UserError, "Add-ons button"), self.env.cr.savepoint():
            self.rpc(billing_manager, "account.analytic.invoice.line", "unlink", [line_id])
        self.assertEqual(user.tv_addon_line_ids.ids, [line_id])

    def test_an_addons_line_keeps_its_product(self):
        """A billing manager edits the contract's lines (OCA contract), not
        what a TV user gets on the platform: an add-on's line never becomes
        another add-on (the platform would get its packages with no check,
        no sync, no pro rata, nothing in the chatter); its price stays
        theirs."""
        user = self.live_user()
        billing_manager = self.users_a["clerk"]
        billing_manager.groups_id |= self.env.ref("account.group_account_manager")
        line_id = self.add(user, self.telecine)
        self.assertPackages(user, "BASIC", ["TELECINE"])
        with self.assertRaisesRegex(UserError, "Add-ons button"), self.env.cr.savepoint():
            self.rpc(billing_manager, "account.analytic.invoice.line", "write", [line_id],
                     {"product_id": self.sports.id})
        line = self.env["account.analytic.invoice.line"].browse(line_id)
        line.invalidate_cache()
        self.assertEqual((line.product_id, user.sync_state), (self.telecine, "synced"))
        self.assertPackages(user, "BASIC", ["TELECINE"])
        self.rpc(billing_manager, "account.analytic.invoice.line", "write", [line_id],
                 {"specific_price": 25.0})
        line.invalidate_cache()
        self.assertEqual(line.price_unit, 25.0)

    def test_a_plan_written_on_the_tv_user_keeps_no_addon_it_refuses(self):
        """The TV user's form (or XML-RPC) giving it a plan that does not
        accept one of its add-ons is refused, nothing changed: Change plan
        removes them, settles them and says so."""
        user = self.live_user()
        self.add(user, self.telecine)  # the premium plan accepts the sports add-on only
        self.assertPackages(user, "BASIC", ["TELECINE"])
        self.contract.write({"recurring_invoice_line_ids": [(0, 0, {
            "line_type": "tv", "product_id": self.premium.id, "name": "Premium",
            "quantity": 1, "uom_id": self.premium.uom_id.id, "specific_price": 80.0})]})
        with self.assertRaisesRegex(UserError, "Change plan"), self.env.cr.savepoint():
            self.rpc(self.operator, "tv.user", "write", user.ids,
                     {"product_id": self.premium.id})
        # a plan change's own context names a change that is not being applied
        change = self.env["tv.plan.change"].create({
            "contract_id": self.contract.id, "tv_user_id": user.id,
            "old_product_id": self.tv_product.id, "new_product_id": self.premium.id,
            "when": "next_period", "date": self.day(30), "user_id": self.operator.id})
        with self.assertRaisesRegex(UserError, "Change plan"), self.env.cr.savepoint():
            self.rpc(self.operator, "tv.user", "write", user.ids,
                     {"product_id": self.premium.id}, context={"tv_plan_change_id": change.id})
        user.invalidate_cache()
        self.assertEqual((user.product_id, user.tv_addon_line_ids.mapped("product_id")),
                         (self.tv_product, self.telecine))
        self.assertPackages(user, "BASIC", ["TELECINE"])


class TestAddonOnTheLadder(LadderCase):

    def test_the_reduced_step_drops_the_addons_and_a_payment_restores_them(self):
        telecine = make_addon(self.env, "Telecine", self.env["tv.package"].search(
            [("integration_id", "=", self.integration.id), ("code", "=", "TELECINE")]),
            TELECINE_PRICE, self.integration)
        self.rpc(self.operator, "account.analytic.account", "action_tv_addon_add",
                 self.ladder_contract.ids, self.tv.id, telecine.id)
        self.run_jobs()
        self.assertEqual(self.remote(), ("active", "FAMILY", ["HBO", "EXTRA_POINT", "TELECINE"]))
        self.assertReducedThenReleasedInFull(["HBO", "EXTRA_POINT", "TELECINE"])


class TestPackageMove(AddonCase):

    def test_the_manager_previews_then_moves_a_retired_package(self):
        manager = self.users_a["manager"]
        hbo_addon = make_addon(self.env, "HBO avulso", [self.pkg["HBO"]], 25.0,
                               self.integration)
        premium_user = self.live_user()
        basic_user = self.live_user(login="basic.tv@example.com")
        self.tv_line(self.tv_product).quantity = 2
        self.change(premium_user, self.premium)
        self.add(basic_user, hbo_addon)
        self.run_jobs()
        self.assertPackages(premium_user, "PREMIUM", ["HBO"])
        self.assertPackages(basic_user, "BASIC", ["HBO"])
        args = (self.integration.ids, self.pkg["HBO"].id, self.pkg["TELECINE"].id)

        preview = self.rpc(manager, "tv.integration", "tv_move_package_preview", *args)
        # the plans giving HBO: the premium one and the test's plan with equipment (no TV
        # user); the add-on's TV user and the premium plan's
        self.assertEqual((sorted(preview["plans"]), preview["addons"], preview["tv_users"]),
                         (["TV Família com equipamento", "TV Premium"], ["HBO avulso"], 2))
        for role in ("operator", "clerk", "salesperson"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "tv.integration", "action_tv_move_package", *args)
        with self.assertRaisesRegex(UserError, "cannot replace"), self.env.cr.savepoint():
            self.rpc(manager, "tv.integration", "tv_move_package_preview",
                     self.integration.ids, self.pkg["HBO"].id, self.pkg["PREMIUM"].id)

        move = self.env["tv.package.move"].browse(
            self.rpc(manager, "tv.integration", "action_tv_move_package", *args))
        self.assertEqual((move.state, move.total_count, move.done_count),
                         ("running", 2, 0))
        self.assertEqual(self.premium.product_tmpl_id.tv_package_codes(),
                         ("PREMIUM", ["TELECINE"]))
        # Resume (after a crash): the chunk waiting is not queued twice; managers only
        self.rpc(manager, "tv.package.move", "action_resume", move.ids)
        self.assertEqual(self.env["queue.job"].search_count(
            [("method_name", "=", "_tv_move_chunk_job"), ("state", "=", "pending")]), 1)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.operator, "tv.package.move", "action_resume", move.ids)
        self.perform_jobs("_tv_move_chunk_job")  # the chunk: both TV users asked to sync
        self.perform_jobs("_tv_move_chunk_job")  # the end
        self.assertEqual((move.state, move.done_count, move.progress), ("done", 2, 100.0))
        self.assertPackages(premium_user, "PREMIUM", ["TELECINE"])
        self.assertPackages(basic_user, "BASIC", ["TELECINE"])
