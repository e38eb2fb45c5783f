# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Plan change by the TV operator over XML-RPC, against the real sandbox:
now (the contract's line, the TV user's product and the platform's packages
change), or from the next invoicing period (applied by the daily run on its
day, or before that period's invoice); its history; bad requests and other
roles refused with nothing changed."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .security_common import RolesCase, UnchangedOnRefusal

NOT_OPERATORS = ("clerk", "salesperson", "viewer", "employee", "portal")


class PlanChangeCase(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = cls.users_a["operator"]
        cls.today = fields.Date.from_string(fields.Date.context_today(cls.env.user))
        packages = cls.env["tv.package"].search([("integration_id", "=", cls.integration.id)])
        premium = packages.filtered(lambda p: p.code == "PREMIUM")[:1]
        hbo = packages.filtered(lambda p: p.code == "HBO")[:1]
        cls.premium = cls.make_tv_product("TV Premium", premium, [hbo])
        cls.premium.list_price = 80.0
        other = cls.env["tv.integration"].with_context(tv_skip_connection_check=True).create({
            "name": "Other platform account", "environment": "homologation",
            "access_token": "tok-O", "api_login": "isp-o", "api_password": "pw-O"})
        other_main = cls.env["tv.package"].create({
            "integration_id": other.id, "code": "PREMIUM", "name": "Premium O", "kind": "main"})
        cls.other_product = cls.make_tv_product("TV Premium O", other_main, integration=other)

    def day(self, offset):
        return fields.Date.to_string(self.today + timedelta(days=offset))

    def live_user(self, product=None, login=None):
        vals = {"contract_id": self.contract.id, "product_id": (product or self.tv_product).id}
        if login:
            vals.update(use_main_email=False, login=login)
        user = self.env["tv.user"].sudo(self.operator).create(vals).sudo()
        self.run_jobs()
        self.sandbox.first_access(user.account_number)
        self.env["tv.user"]._cron_reconcile()
        self.run_jobs()
        return user

    def change(self, user, product, when="now", operator=None, contract=None):
        return self.rpc(operator or self.operator, "account.analytic.account",
                        "action_tv_plan_change", (contract or self.contract).ids,
                        user.id, product.id, when=when, reason="Upgrade")

    def tv_line(self, product):
        return self.contract.recurring_invoice_line_ids.filtered(
            lambda line: line.product_id == product)

    def assertPackages(self, user, main, additional):
        self.run_jobs()
        remote = self.platform(user.account_number)
        self.assertEqual((remote["main_package"], remote["additional_packages"]),
                         (main, additional))
        self.assertEqual((remote["status"], user.sync_state), ("active", "synced"))


class TestPlanChange(PlanChangeCase):

    def test_now_changes_the_line_the_tv_user_and_the_packages(self):
        user = self.live_user()
        self.assertPackages(user, "BASIC", [])
        line = self.tv_line(self.tv_product)
        change = self.env["tv.plan.change"].browse(self.change(user, self.premium))
        self.assertEqual((change.state, change.user_id, change.old_product_id,
                          change.new_product_id, change.date),
                         ("done", self.operator, self.tv_product, self.premium, self.day(0)))
        self.assertEqual((line.product_id, line.price_unit, line.name),
                         (self.premium, 80.0, "TV Premium"))
        self.assertEqual(user.product_id, self.premium)
        tracked = user.message_ids.mapped("tracking_value_ids").filtered(
            lambda t: t.field == "product_id")
        tracked = tracked.filtered(lambda t: t.new_value_char == "TV Premium")
        self.assertEqual(tracked.old_value_char, "TV Básico")
        self.assertEqual(tracked.mail_message_id.author_id, self.operator.partner_id)
        for record in (self.contract, user):
            self.assertIn("from TV Básico to TV Premium", record.message_ids[0].body)
        self.assertPackages(user, "PREMIUM", ["HBO"])

    def test_an_operator_without_an_email_address_changes_the_plan(self):
        """A back-office user needs no e-mail address of their own to act
        (the demo's operator has none): the chatter lines name them."""
        user = self.live_user()
        self.operator.partner_id.sudo().email = False
        wizard = self.env["tv.plan.change.wizard"].sudo(self.operator).with_context(
            active_id=self.contract.id, active_model="account.analytic.account").create({
                "contract_id": self.contract.id, "tv_user_id": user.id,
                "new_product_id": self.premium.id, "when": "now"})
        wizard.action_confirm()
        self.assertEqual(user.product_id, self.premium)
        self.assertEqual(self.contract.message_ids[0].author_id, self.operator.partner_id)

    def test_the_dialog_shows_the_price_and_the_packages_that_change(self):
        user = self.live_user()
        wizard = self.env["tv.plan.change.wizard"].sudo(self.operator).create({
            "contract_id": self.contract.id, "tv_user_id": user.id,
            "new_product_id": self.premium.id})
        self.assertEqual((wizard.current_price, wizard.new_price),
                         (self.tv_line(self.tv_product).price_unit, 80.0))
        basic, premium = self.tv_product.tv_main_package_id, self.premium.tv_main_package_id
        hbo = self.premium.tv_additional_line_ids.package_id
        self.assertEqual(wizard.packages_added, "%s, %s" % (premium.name, hbo.name))
        self.assertEqual(wizard.packages_removed, basic.name)

    def test_the_wizard_proposes_the_contract_s_only_tv_user(self):
        wizard = self.env["tv.plan.change.wizard"].sudo(self.operator).with_context(
            default_contract_id=self.contract.id)
        self.assertFalse(wizard.default_get(["tv_user_id"]).get("tv_user_id"))
        create = self.env["tv.user"].with_context(tv_no_platform_sync=True).create
        first = create({"contract_id": self.contract.id, "product_id": self.tv_product.id})
        self.assertEqual(wizard.default_get(["tv_user_id"])["tv_user_id"], first.id)
        create({"contract_id": self.contract.id, "product_id": self.tv_product.id,
                "use_main_email": False, "login": "second@example.com"})
        self.assertFalse(wizard.default_get(["tv_user_id"]).get("tv_user_id"))

    def test_next_period_is_applied_on_its_day(self):
        user = self.live_user()
        self.contract.recurring_next_date = self.day(10)
        change = self.env["tv.plan.change"].browse(
            self.change(user, self.premium, when="next_period"))
        self.assertEqual((change.state, change.date), ("scheduled", self.day(10)))
        self.assertEqual((user.product_id, self.tv_line(self.premium)),
                         (self.tv_product, self.env["account.analytic.invoice.line"]))
        self.env["tv.plan.change"]._cron_tv_plan_changes(today=self.day(9))
        self.assertEqual(change.state, "scheduled")
        self.assertPackages(user, "BASIC", [])
        self.env["tv.plan.change"]._cron_tv_plan_changes(today=self.day(10))
        self.assertEqual((change.state, user.product_id), ("done", self.premium))
        self.assertEqual(self.tv_line(self.premium).price_unit, 80.0)
        self.assertPackages(user, "PREMIUM", ["HBO"])

    def test_the_next_period_invoice_has_the_new_product(self):
        user = self.live_user()
        self.contract.recurring_next_date = self.day(0)  # pre-paid: the period starts today
        self.change(user, self.premium, when="next_period")
        invoice = self.contract.recurring_create_invoice()
        self.assertEqual(user.product_id, self.premium)
        self.assertIn(self.premium, invoice.invoice_line_ids.mapped("product_id"))
        self.assertNotIn(self.tv_product, invoice.invoice_line_ids.mapped("product_id"))
        self.assertPackages(user, "PREMIUM", ["HBO"])

    def test_a_scheduled_change_is_cancelled(self):
        user = self.live_user()
        change = self.env["tv.plan.change"].browse(
            self.change(user, self.premium, when="next_period"))
        change.sudo(self.operator).action_cancel()
        self.env["tv.plan.change"]._cron_tv_plan_changes(today=self.day(400))
        self.assertEqual((change.state, user.product_id), ("cancelled", self.tv_product))

    def test_a_scheduled_change_no_longer_allowed_is_cancelled_on_its_day(self):
        user = self.live_user()
        change = self.env["tv.plan.change"].browse(
            self.change(user, self.premium, when="next_period"))
        self.contract._set_contract_status("deactivated")
        self.env["tv.plan.change"]._cron_tv_plan_changes(today=self.day(400))
        self.assertEqual((change.state, user.product_id), ("cancelled", self.tv_product))
        self.assertIn("not applied", self.contract.message_ids[0].body)

    def test_a_shared_line_gives_one_unit_to_a_new_line(self):
        first = self.live_user()
        second = self.live_user(login="second.tv@example.com")
        line = self.tv_line(self.tv_product)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.change(second, self.premium)
        self.assertEqual(second.product_id, self.tv_product)
        line.quantity = 2
        self.change(second, self.premium)
        self.assertEqual((line.product_id, line.quantity), (self.tv_product, 1))
        self.assertEqual(self.tv_line(self.premium).quantity, 1)
        self.assertEqual((first.product_id, second.product_id), (self.tv_product, self.premium))
        self.assertPackages(second, "PREMIUM", ["HBO"])

    def test_the_callers_context_reaches_no_system_write(self):
        """A TV operator's default_price_unit does not price the new line;
        the tv_no_platform_sync of a salesperson who invoices does not keep a
        due plan change off the platform when their invoicing applies it."""
        self.live_user()
        second = self.live_user(login="second.tv@example.com")
        self.tv_line(self.tv_product).quantity = 2
        self.rpc(self.operator, "account.analytic.account", "action_tv_plan_change",
                 self.contract.ids, second.id, self.premium.id, when="now",
                 context={"default_price_unit": 0.01, "default_specific_price": 0.01})
        self.assertEqual(self.tv_line(self.premium).price_unit, 80.0)

        user = self.live_user(login="third.tv@example.com")
        self.tv_line(self.tv_product).quantity = 2  # its line shared with the first
        self.contract.recurring_next_date = self.day(0)
        self.change(user, self.premium, when="next_period")
        invoicing = self.users_a["salesperson"]
        invoicing.groups_id |= self.env.ref("account.group_account_invoice")
        self.rpc(invoicing, "account.analytic.account",
                 "recurring_create_invoice", self.contract.ids,
                 context={"tv_no_platform_sync": True, "tracking_disable": True})
        self.assertEqual(user.product_id, self.premium)
        self.assertPackages(user, "PREMIUM", ["HBO"])


class TestPlanChangeRefusals(UnchangedOnRefusal, PlanChangeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tv_user = cls.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": cls.contract.id, "product_id": cls.tv_product.id})
        cls.tv_user.write({"account_number": "OLE-PC-1", "platform_state": "active",
                           "sync_state": "synced"})
        partner = cls.env["res.partner"].create({"name": "Rui", "email": "rui@example.com"})
        cls.other_contract = cls.make_contract(partner, [cls.tv_product])
        cls.other_user = cls.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": cls.other_contract.id, "product_id": cls.tv_product.id})
        cls.env["queue.job"].search([]).unlink()

    def setUp(self):
        super().setUp()
        self.requests_before = self.sandbox.stats()["total_requests"]

    def snapshot(self):
        self.env.clear()
        lines = (self.contract | self.other_contract).mapped("recurring_invoice_line_ids")
        return (lines.read(["product_id", "name", "price_unit", "quantity"]),
                (self.tv_user | self.other_user).mapped("product_id").ids,
                self.env["tv.plan.change"].search_count([]),
                len(self.contract.message_ids), len(self.jobs()))

    def test_bad_changes_are_refused(self):
        user = self.tv_user
        self.assertRefused(lambda: self.change(user, self.plain_product), "not a TV product")
        self.assertRefused(lambda: self.change(user, self.other_product),
                           "another TV integration")
        self.assertRefused(lambda: self.change(user, self.tv_product), "already has")
        self.assertRefused(lambda: self.change(self.other_user, self.premium),
                           "Choose a TV user of contract")
        self.assertRefused(lambda: self.change(user, self.premium, when="someday"),
                           "Choose when")
        self.change(user, self.premium, when="next_period")
        self.assertRefused(lambda: self.change(user, self.tv_product_box),
                           "already has a scheduled plan change")

    def test_deactivated_contract_and_removed_tv_user_are_refused(self):
        self.contract._set_contract_status("deactivated")
        self.assertRefused(lambda: self.change(self.tv_user, self.premium), "is deactivated")
        self.contract._set_contract_status("active")
        self.tv_user._tv_write_owned({"to_delete": True})
        self.assertRefused(lambda: self.change(self.tv_user, self.premium), "being removed")

    def test_other_roles_are_refused(self):
        for role in NOT_OPERATORS:
            for when in ("now", "next_period"):
                self.assertRefused(lambda: self.change(self.tv_user, self.premium, when=when,
                                                       operator=self.users_a[role]),
                                   "", exception=AccessError)
        change = self.env["tv.plan.change"].browse(
            self.change(self.tv_user, self.premium, when="next_period"))
        for role in NOT_OPERATORS:
            self.assertRefused(lambda: self.rpc(self.users_a[role], "tv.plan.change",
                                                "action_cancel", change.ids),
                               "", exception=AccessError)
        self.assertRefused(lambda: self.rpc(self.operator, "tv.plan.change", "write",
                                            change.ids, {"state": "done"}),
                           "", exception=AccessError)
        self.assertRefused(lambda: self.rpc(self.operator, "tv.plan.change",
                                            "_cron_tv_plan_changes", self.day(400)),
                           "Private methods", exception=AccessError)

    def test_another_company_sees_and_triggers_nothing(self):
        change = self.env["tv.plan.change"].browse(
            self.change(self.tv_user, self.premium, when="next_period"))
        operator_b = self.users_b["operator"]
        self.assertFalse(self.rpc(operator_b, "tv.plan.change", "search", []))
        self.assertRefused(lambda: self.rpc(operator_b, "tv.plan.change", "action_cancel",
                                            change.ids), "", exception=AccessError)
        self.assertRefused(lambda: self.change(self.tv_user, self.tv_product_box,
                                               operator=operator_b), "", exception=AccessError)
        self.assertEqual(change.state, "scheduled")
