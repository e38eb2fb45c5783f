# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Suspension on the customer's request, by the TV operator over XML-RPC,
against the real sandbox: blocked at its start, released at its end (the
daily run driven with a day parameter), untouched by the delinquency policy
and by payments, its days not charged; bad requests and other roles refused
with nothing changed."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError

from .security_common import RolesCase, UnchangedOnRefusal

NOT_OPERATORS = ("clerk", "salesperson", "viewer", "employee", "portal")


class SuspensionCase(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = cls.users_a["operator"]
        cls.today = fields.Date.from_string(fields.Date.context_today(cls.env.user))
        policy_model = cls.env["tv.delinquency.policy"]
        cls.policy = policy_model._for_company(cls.company_a) or policy_model.create(
            {"company_id": cls.company_a.id})
        # the former rule (any length, 120 days per 12 months): the flows
        # below use short suspensions; TestAnatelRule sets Anatel's
        cls.policy.write({"late_notice_days": 5, "block_days": 15, "reduce_days": 0,
                          "termination_days": 0, "ladder_preset": "custom",
                          "suspension_preset": "custom",
                          "suspension_min_days": 1, "suspension_max_days": 120,
                          "suspension_max_count": 0, "suspension_up_to_date": False})

    def day(self, offset):
        return fields.Date.to_string(self.today + timedelta(days=offset))

    def live_user(self):
        user = self.env["tv.user"].sudo(self.operator).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id}).sudo()
        self.run_jobs()
        self.sandbox.first_access(user.account_number)
        self.env["tv.user"]._cron_reconcile()
        self.run_jobs()
        self.assertEqual(self.platform(user.account_number)["status"], "active")
        return user

    def suspend(self, date_from, date_to, user=None, contract=None, reason="Trip"):
        return self.rpc(user or self.operator, "account.analytic.account",
                        "action_tv_suspend_on_request", (contract or self.contract).ids,
                        date_from, date_to, reason=reason)

    def run_suspensions(self, offset):
        self.env["tv.request.suspension"]._cron_tv_suspensions(today=self.day(offset))
        self.contract.invalidate_cache()

    def assertPlatform(self, user, status):
        self.run_jobs()
        self.assertEqual(self.platform(user.account_number)["status"], status)
        self.assertEqual(user.platform_state, status)


class TestSuspensionOnRequest(SuspensionCase):

    def test_blocked_at_its_start_and_released_after_its_end(self):
        user = self.live_user()
        ids = self.suspend(self.day(1), self.day(10))
        suspension = self.env["tv.request.suspension"].browse(ids)
        self.assertEqual((suspension.state, suspension.days, suspension.user_id),
                         ("scheduled", 10, self.operator))
        self.assertEqual(self.contract.contract_status, "active", "starts tomorrow")
        self.run_suspensions(0)
        self.assertPlatform(user, "active")

        self.run_suspensions(1)
        self.assertEqual(self.contract.contract_status, "suspended")
        self.assertEqual(self.contract.tv_suspended_until, self.day(10))
        self.assertEqual(suspension.state, "running")
        self.assertPlatform(user, "blocked")

        self.run_suspensions(10)  # its last day: still suspended
        self.assertEqual(self.contract.contract_status, "suspended")
        self.run_suspensions(11)
        self.assertEqual(self.contract.contract_status, "active")
        self.assertFalse(self.contract.tv_suspended_until)
        self.assertEqual((suspension.state, suspension.date_end), ("done", self.day(10)))
        self.assertPlatform(user, "active")

    def test_starting_today_blocks_at_once_and_ends_early(self):
        user = self.live_user()
        suspension = self.env["tv.request.suspension"].browse(
            self.suspend(self.day(0), self.day(5)))
        self.assertEqual((self.contract.contract_status, suspension.state),
                         ("suspended", "running"))
        self.assertEqual(self.contract.message_ids[0].author_id, self.operator.partner_id)
        self.assertPlatform(user, "blocked")
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.contract.sudo(self.operator).action_contract_release()
        self.assertEqual(self.contract.contract_status, "suspended")

        suspension.sudo(self.operator).action_end()
        self.assertEqual(self.contract.contract_status, "active")
        self.assertEqual((suspension.state, suspension.date_end, suspension.days),
                         ("done", self.day(0), 1))
        self.assertPlatform(user, "active")

    def test_cancel_a_scheduled_one_frees_its_days(self):
        suspension = self.env["tv.request.suspension"].browse(
            self.suspend(self.day(1), self.day(120)))
        with self.assertRaises(UserError):
            self.suspend(self.day(200), self.day(201))
        suspension.sudo(self.operator).action_end()
        self.assertEqual((suspension.state, suspension.days), ("cancelled", 0))
        self.suspend(self.day(200), self.day(201))
        self.run_suspensions(1)
        self.assertEqual(self.contract.contract_status, "active")

    def test_the_dialog_shows_the_days_taken_and_left(self):
        self.suspend(self.day(1), self.day(30))
        wizard = self.env["tv.request.suspension.wizard"].sudo(self.operator).create({
            "contract_id": self.contract.id, "date_from": self.day(60),
            "date_to": self.day(61)})
        self.assertEqual((wizard.suspension_max_days, wizard.suspension_days_taken,
                          wizard.suspension_days_left), (120, 30, 90))
        wizard.date_from = self.day(400)  # more than 12 months after the first
        self.assertEqual(wizard.suspension_days_taken, 0)

    def test_deactivating_ends_its_log(self):
        suspension = self.env["tv.request.suspension"].browse(
            self.suspend(self.day(0), self.day(30)))
        self.contract.sudo(self.operator).action_contract_deactivate()
        self.assertEqual((suspension.state, self.contract.contract_status),
                         ("done", "deactivated"))
        self.run_suspensions(31)
        self.assertEqual(self.contract.contract_status, "deactivated", "never reactivated")


class TestSuspensionAndDunning(SuspensionCase):

    def overdue_invoice(self, days=20):
        invoice = self.contract.recurring_create_invoice()
        invoice.write({"date_invoice": self.day(-days - 10), "date_due": self.day(-days)})
        invoice.action_invoice_open()
        return invoice

    def run_policy(self, offset):
        self.env["account.analytic.account"]._cron_tv_delinquency(today=self.day(offset))
        self.contract.invalidate_cache()

    def test_the_policy_leaves_it_alone_then_applies_after_its_end(self):
        user = self.live_user()
        self.overdue_invoice(4)  # within the tolerance when requested
        self.suspend(self.day(0), self.day(20))
        for offset in (0, 5, 12, 20):  # up to 24 days overdue: would block an active one
            self.run_policy(offset)
            self.assertEqual((self.contract.contract_status, self.contract.block_reason),
                             ("suspended", False))
        self.assertPlatform(user, "blocked")
        self.run_suspensions(21)
        self.assertEqual(self.contract.contract_status, "active")
        self.assertPlatform(user, "active")
        self.run_policy(21)  # 25 days overdue: the policy applies as usual
        self.assertEqual((self.contract.contract_status, self.contract.block_reason),
                         ("blocked", "automatic"))
        self.assertPlatform(user, "blocked")

    def test_a_payment_does_not_release_it(self):
        user = self.live_user()
        invoice = self.overdue_invoice(2)
        self.suspend(self.day(0), self.day(9))
        self.assertPlatform(user, "blocked")
        self.pay(invoice, self.users_a["clerk"])
        self.assertEqual(invoice.state, "paid")
        self.assertEqual((self.contract.contract_status, self.contract.tv_suspended_until),
                         ("suspended", self.day(9)))
        self.assertPlatform(user, "blocked")

    def test_suspended_days_are_not_charged_on_the_tv_lines(self):
        self.contract.write({"recurring_next_date": self.day(0),
                             "recurring_invoice_line_ids": [(0, 0, {
                                 "product_id": self.plain_product.id, "name": "Internet",
                                 "quantity": 1, "uom_id": self.plain_product.uom_id.id,
                                 "specific_price": 99.0})]})
        self.suspend(self.day(0), self.day(9))
        invoice = self.contract.recurring_create_invoice()
        total = (fields.Date.from_string(self.contract.recurring_next_date) - self.today).days
        tv_lines = invoice.invoice_line_ids.filtered("product_id.is_tv_product")
        self.assertEqual(len(tv_lines), 2)
        expected = 100.0 * 10 / total  # stored with the Discount precision (2 digits)
        for line in tv_lines:
            self.assertAlmostEqual(line.discount, expected, places=2)
        self.assertIn("10 of %d days" % total, tv_lines[0].name)
        internet = invoice.invoice_line_ids - tv_lines
        self.assertEqual((internet.discount, internet.price_subtotal), (0.0, 99.0))
        self.assertAlmostEqual(invoice.amount_untaxed, 99.0 + 100.0 * (1 - 10.0 / total),
                               delta=0.02)


class TestSuspensionRefusals(UnchangedOnRefusal, SuspensionCase):

    def setUp(self):
        super().setUp()
        self.requests_before = self.sandbox.stats()["total_requests"]

    def snapshot(self):
        self.contract.invalidate_cache()
        return (self.contract.read(["contract_status", "block_reason", "tv_suspended_until",
                                    "trust_release_until"]),
                self.env["tv.request.suspension"].search_count([]),
                len(self.contract.message_ids), len(self.jobs()))

    def test_bad_dates_are_refused(self):
        self.assertRefused(lambda: self.suspend(self.day(-1), self.day(5)), "in the past")
        self.assertRefused(lambda: self.suspend(self.day(5), self.day(4)), "before its first")
        self.assertRefused(lambda: self.suspend(self.day(0), self.day(120)),
                           "at most 120 days")

    def test_overlap_and_the_yearly_limit_are_refused(self):
        self.suspend(self.day(10), self.day(99))  # 90 days
        self.assertRefused(lambda: self.suspend(self.day(99), self.day(110)), "overlap")
        self.assertRefused(lambda: self.suspend(self.day(200), self.day(230)),
                           "90 are already taken")
        self.suspend(self.day(200), self.day(229))  # 30 more: exactly 120

    def test_a_policy_without_suspensions_refuses(self):
        self.policy.suspension_max_days = 0
        self.assertRefused(lambda: self.suspend(self.day(0), self.day(3)), "no suspension")

    def test_a_contract_not_active_is_refused(self):
        for status in ("late_notice", "blocked", "deactivated"):
            self.contract._set_contract_status(status, block_reason="automatic")
            self.assertRefused(lambda: self.suspend(self.day(0), self.day(3)),
                               "Only an active contract")
            self.contract._set_contract_status("active")
        self.contract._tv_write_owned({"trust_release_until": self.day(2)})
        self.assertRefused(lambda: self.suspend(self.day(0), self.day(3)), "released in trust")

    def test_other_roles_are_refused(self):
        for role in NOT_OPERATORS:
            self.assertRefused(lambda: self.suspend(self.day(0), self.day(3),
                                                    user=self.users_a[role]),
                               "", exception=AccessError)
        suspension = self.env["tv.request.suspension"].browse(
            self.suspend(self.day(1), self.day(3)))
        for role in NOT_OPERATORS:
            self.assertRefused(lambda: self.rpc(self.users_a[role], "tv.request.suspension",
                                                "action_end", suspension.ids),
                               "", exception=AccessError)
        self.assertRefused(lambda: self.rpc(self.operator, "tv.request.suspension", "write",
                                            suspension.ids, {"date_to": self.day(90)}),
                           "", exception=AccessError)
        self.assertRefused(lambda: self.rpc(self.operator, "tv.request.suspension",
                                            "_cron_tv_suspensions", self.day(1)),
                           "Private methods", exception=AccessError)

    def test_another_company_sees_and_triggers_nothing(self):
        suspension = self.env["tv.request.suspension"].browse(
            self.suspend(self.day(1), self.day(3)))
        operator_b = self.users_b["operator"]
        self.assertFalse(self.rpc(operator_b, "tv.request.suspension", "search", []))
        self.assertRefused(lambda: self.rpc(operator_b, "tv.request.suspension", "action_end",
                                            suspension.ids), "", exception=AccessError)
        self.assertRefused(lambda: self.suspend(self.day(5), self.day(6), user=operator_b),
                           "", exception=AccessError)
        self.assertEqual(suspension.state, "scheduled")


class TestAnatelRule(UnchangedOnRefusal, SuspensionCase):
    """The default rule of a policy: Anatel's (30 to 120 days, once in 12
    months, the customer up to date), as the TV operator over XML-RPC."""

    def setUp(self):
        super().setUp()
        self.policy.write({"suspension_preset": "anatel", "suspension_min_days": 30,
                           "suspension_max_days": 120, "suspension_max_count": 1,
                           "suspension_up_to_date": True})
        self.requests_before = self.sandbox.stats()["total_requests"]

    def snapshot(self):
        self.contract.invalidate_cache()
        return (self.contract.read(["contract_status", "tv_suspended_until"]),
                self.env["tv.request.suspension"].search_count([]),
                len(self.contract.message_ids), len(self.jobs()))

    def test_a_new_policy_follows_anatel(self):
        names = ["suspension_preset", "suspension_min_days", "suspension_max_days",
                 "suspension_max_count", "suspension_up_to_date"]
        defaults = self.env["tv.delinquency.policy"].sudo(self.users_a["manager"]).default_get(
            names)
        self.assertEqual([defaults[name] for name in names], ["anatel", 30, 120, 1, True])

    def test_30_to_120_days_once_in_12_months(self):
        self.assertRefused(lambda: self.suspend(self.day(1), self.day(29)),
                           "at least 30 days: this one has 29")
        self.assertRefused(lambda: self.suspend(self.day(1), self.day(121)),
                           "at most 120 days")
        ids = self.suspend(self.day(1), self.day(30))
        self.assertEqual(self.env["tv.request.suspension"].browse(ids).days, 30)
        self.assertRefused(lambda: self.suspend(self.day(100), self.day(129)),
                           "1 suspension(s) on request in 12 months")
        self.suspend(self.day(366), self.day(395))  # 12 months after the first one's start

    def test_a_customer_with_an_overdue_invoice_is_refused(self):
        invoice = self.contract.recurring_create_invoice()
        invoice.write({"date_invoice": self.day(-12), "date_due": self.day(-2)})
        invoice.action_invoice_open()
        self.assertRefused(lambda: self.suspend(self.day(0), self.day(29)),
                           "overdue invoices")
        self.pay(invoice, self.users_a["clerk"])
        self.suspend(self.day(0), self.day(29))
        self.assertEqual(self.contract.contract_status, "suspended")

    def test_the_rule_changes_only_through_custom(self):
        manager = self.users_a["manager"]
        with self.assertRaisesRegex(ValidationError, "choose the custom rule"), \
                self.env.cr.savepoint():
            self.rpc(manager, "tv.delinquency.policy", "write", self.policy.ids,
                     {"suspension_min_days": 7})
        self.rpc(manager, "tv.delinquency.policy", "write", self.policy.ids,
                 {"suspension_preset": "custom", "suspension_min_days": 7})
        self.policy.invalidate_cache()
        self.assertEqual(self.policy._tv_suspension_rule(), (7, 120, 1, True))
        for role in ("operator", "clerk", "salesperson"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "tv.delinquency.policy", "write",
                         self.policy.ids, {"suspension_min_days": 1})
