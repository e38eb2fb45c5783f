# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""No credit note by hand (services/settlement.py): a suspension on request
registered, cancelled or ended early, a plan change now and a block lifted,
inside a period invoiced in advance, settle themselves: a credit note or an
invoice for the days concerned, named after its cause and linked to it,
drafted for the billing clerk (validated where the policy says so), never
twice. Each as the role that does it, over XML-RPC."""
from datetime import timedelta
from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError

from ..services.settlement import Settlement
from .test_plan_change import PlanChangeCase

PRICE = 50.0  # each TV line of the test contract


class SettlementCase(PlanChangeCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        policies = cls.env["tv.delinquency.policy"]
        cls.policy = policies._for_company(cls.company_a) or policies.create(
            {"company_id": cls.company_a.id})
        cls.clerk = cls.users_a["clerk"]

    def setUp(self):
        super().setUp()
        self.today = self.contract._tv_today()

    def invoiced_in_advance(self, started_days_ago=0):
        """The contract's current period (pre-paid) started that many days
        ago; its invoice validated by the billing clerk."""
        self.contract.write({"recurring_invoicing_type": "pre-paid",
                             "date_start": self.day(-400),
                             "recurring_next_date": self.day(-started_days_ago)})
        invoice = self.contract.recurring_create_invoice()
        invoice.sudo(self.clerk).action_invoice_open()
        first = self.today - timedelta(days=started_days_ago)
        self.period = (first, first + relativedelta(months=1) - timedelta(days=1))
        return invoice

    @property
    def total(self):
        return (self.period[1] - self.period[0]).days + 1

    def days_left(self, first):
        return (self.period[1] - first).days + 1

    def documents(self, cause, kind):
        return self.env["account.invoice"].search([
            ("tv_cause", "=", "%s,%d" % (cause._name, cause.id)), ("type", "=", kind)])

    def suspend(self, first, last):
        ids = self.rpc(self.operator, "account.analytic.account", "action_tv_suspend_on_request",
                       self.contract.ids, self.day(first), self.day(last))
        return self.env["tv.request.suspension"].browse(ids)


class TestSuspensionSettlement(SettlementCase):

    def test_a_suspension_after_the_invoice_is_credited_then_charged_when_cancelled(self):
        invoice = self.invoiced_in_advance(started_days_ago=0)
        suspension = self.suspend(1, 30)
        days = self.days_left(self.today + timedelta(days=1))

        refund = self.documents(suspension, "out_refund")
        self.assertEqual((len(refund), refund.state, refund.refund_invoice_id, refund.contract_id),
                         (1, "draft", invoice, self.contract))
        # both TV lines of the contract
        self.assertAlmostEqual(refund.amount_untaxed, 2 * PRICE * days / self.total, delta=0.02)
        self.assertIn("%d of %d days credited" % (days, self.total),
                      refund.invoice_line_ids[0].name)
        self.assertIn("Suspension on request", refund.name)
        # the invoice's "Settles" names its cause for the billing clerk who reads it
        self.assertEqual(
            self.rpc(self.clerk, "tv.request.suspension", "name_get", suspension.ids),
            [(suspension.id, "Suspension on request %s – %s" % (
                (self.today + timedelta(days=1)).strftime("%m/%d/%Y"),
                (self.today + timedelta(days=30)).strftime("%m/%d/%Y")))])
        refund.sudo(self.clerk).action_invoice_open()

        self.rpc(self.operator, "tv.request.suspension", "action_end", suspension.ids)
        charge = self.documents(suspension, "out_invoice")
        self.assertEqual((len(charge), charge.state), (1, "draft"))
        self.assertAlmostEqual(charge.amount_untaxed, refund.amount_untaxed, delta=0.01)
        self.assertIn("%d of %d days charged" % (days, self.total),
                      charge.invoice_line_ids[0].name)
        self.assertIn("Suspension on request", self.contract.message_ids[0].body)

        suspension._tv_settle(self.today)  # again: nothing is moved twice
        self.assertEqual(len(self.documents(suspension, "out_invoice")), 1)
        self.assertEqual(len(self.documents(suspension, "out_refund")), 1)

    def test_a_draft_invoice_is_corrected_in_place(self):
        self.contract.write({"recurring_invoicing_type": "pre-paid",
                             "date_start": self.day(-400), "recurring_next_date": self.day(0)})
        invoice = self.contract.recurring_create_invoice()
        self.period = (self.today, self.today + relativedelta(months=1) - timedelta(days=1))
        suspension = self.suspend(1, 30)
        days = self.days_left(self.today + timedelta(days=1))
        self.assertFalse(self.documents(suspension, "out_refund"))
        self.assertAlmostEqual(invoice.amount_untaxed,
                               2 * PRICE * (self.total - days) / self.total, delta=0.02)
        self.assertIn("Suspended on request: %d of %d days not charged" % (days, self.total),
                      invoice.invoice_line_ids[0].name)

    def test_the_policy_may_validate_the_corrections_which_settle_the_invoice(self):
        manager = self.users_a["manager"]
        for name in ("settlement_validate", "charge_blocked_days"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(manager, "tv.delinquency.policy", "write", self.policy.ids, {name: True})
        self.assertFalse(self.policy.settlement_validate)
        manager.groups_id |= self.env.ref("account.group_account_invoice")  # a billing user
        self.rpc(manager, "tv.delinquency.policy", "write", self.policy.ids,
                 {"settlement_validate": True})
        invoice = self.invoiced_in_advance()
        suspension = self.suspend(1, 30)
        refund = self.documents(suspension, "out_refund")
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(invoice.residual, invoice.amount_total - refund.amount_total,
                               delta=0.01)

    def test_a_settlement_that_fails_leaves_the_request_done(self):
        """An accounting error in a correction (a lock date, a journal) is
        said in the chatter; the suspension itself is registered."""
        self.invoiced_in_advance()
        with patch.object(Settlement, "_settle_invoice", side_effect=UserError("Locked")):
            suspension = self.suspend(1, 30)
        self.assertEqual(suspension.state, "scheduled")
        self.assertFalse(self.documents(suspension, "out_refund"))
        self.assertIn("could not be settled (Locked)", self.contract.message_ids[0].body)

    def test_what_a_validated_invoice_charges_is_the_billing_users(self):
        invoice = self.invoiced_in_advance()
        line = invoice.invoice_line_ids[0]
        salesperson = self.users_a["salesperson"]
        for vals in ({"price_unit": 100000.0}, {"quantity": 40}, {"discount": 0.0001}):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(salesperson, "account.invoice.line", "write", line.ids, vals)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice.line", "create", {
                "invoice_id": invoice.id, "name": "x", "price_unit": -500.0,
                "account_id": line.account_id.id})
        self.assertEqual((line.price_unit, line.quantity), (PRICE, 1.0))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.analytic.account", "write", self.contract.ids,
                     {"active": False})
        self.assertTrue(self.contract.active)

    def test_no_line_moves_into_a_validated_invoice_or_a_correction(self):
        invoice = self.invoiced_in_advance()
        self.contract.recurring_next_date = self.day(40)
        draft_line = self.contract.recurring_create_invoice().invoice_line_ids[0]
        salesperson = self.users_a["salesperson"]
        calls = (
            ("account.invoice.line", "write", draft_line.ids, {"invoice_id": invoice.id}),
            ("account.invoice", "write", invoice.ids,
             {"invoice_line_ids": [(4, draft_line.id)]}),
        )
        for model, method, ids, vals in calls:
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(salesperson, model, method, ids, vals)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice.line", "create", {
                "name": "x", "price_unit": 1.0, "account_id": draft_line.account_id.id},
                context={"default_invoice_id": invoice.id})
        self.assertEqual(len(invoice.invoice_line_ids), 2)

        suspension = self.suspend(1, 30)
        refund = self.documents(suspension, "out_refund")  # a draft the system made
        line = refund.invoice_line_ids[:1]
        for model, ids, vals in (
                ("account.invoice.line", line.ids, {"price_unit": 9999}),
                ("account.invoice.line", line.ids, {"price_subtotal": 9999}),
                ("account.invoice.line", line.ids, {"name": "x"}),
                ("account.invoice", refund.ids, {"refund_invoice_id": False}),
                ("account.invoice", refund.ids, {"state": "cancel"}),
                ("account.invoice", refund.ids, {"invoice_line_ids": [
                    (1, line.id, {"price_subtotal": 9999})]})):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(salesperson, model, "write", ids, vals)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice.tax", "create", {
                "invoice_id": refund.id, "name": "x", "amount": 500.0,
                "account_id": line.account_id.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice.tax", "create", {
                "invoice_id": invoice.id, "name": "x", "amount": -500.0,
                "account_id": line.account_id.id})
        self.assertEqual((refund.refund_invoice_id, refund.state, refund.tax_line_ids),
                         (invoice, "draft", self.env["account.invoice.tax"]))
        sales_manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Sales manager a", "login": "sales-manager-settlement",
            "company_id": self.company_a.id, "company_ids": [(6, 0, self.company_a.ids)],
            "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])]})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(sales_manager, "account.invoice", "unlink", refund.ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice", "write", invoice.ids,
                     {"amount_total": 1.0})
        self.assertTrue(refund.exists())

    def test_a_tv_manager_does_not_reset_the_billing_switches(self):
        manager = self.users_a["manager"]
        self.policy.charge_blocked_days = True  # a billing user's choice
        for method, args in (("unlink", ()), ("write", ({"active": False},)),
                             ("toggle_active", ())):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(manager, "tv.delinquency.policy", method, self.policy.ids, *args)
        self.assertTrue(self.policy.active)
        self.policy.charge_blocked_days = False
        self.rpc(manager, "tv.delinquency.policy", "unlink", self.policy.ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(manager, "tv.delinquency.policy", "create",
                     {"company_id": self.company_a.id},
                     context={"default_settlement_validate": True})
        self.assertFalse(self.env["tv.delinquency.policy"].search(
            [("company_id", "=", self.company_a.id)]))

    def test_a_credit_note_by_hand_is_left_to_the_billing_clerk(self):
        invoice = self.invoiced_in_advance()
        by_hand = invoice.sudo(self.clerk).refund(description="Goodwill")
        self.assertFalse(any(by_hand.invoice_line_ids.mapped("tv_period_from")),
                         "a credit note by hand does not take the lines' record of their days")
        suspension = self.suspend(1, 30)
        self.assertFalse(self.documents(suspension, "out_refund"))
        self.assertIn("made by hand", self.contract.message_ids[0].body)

    def test_no_role_writes_the_days_of_an_invoice_line(self):
        invoice = self.invoiced_in_advance()
        line = invoice.invoice_line_ids[0]
        for role in ("clerk", "salesperson", "operator"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "account.invoice.line", "write", line.ids,
                         {"tv_days_charged": 1})
        self.assertEqual(line.tv_days_charged, self.total)


class TestPlanChangeSettlement(SettlementCase):

    def test_a_plan_change_now_credits_the_old_plan_and_charges_the_new(self):
        user = self.live_user()
        invoice = self.invoiced_in_advance(started_days_ago=10)
        change = self.env["tv.plan.change"].browse(self.change(user, self.premium))
        days = self.days_left(self.today)

        refund = self.documents(change, "out_refund")
        self.assertEqual((len(refund), refund.refund_invoice_id), (1, invoice))
        self.assertEqual(refund.invoice_line_ids.product_id, self.tv_product)
        self.assertAlmostEqual(refund.amount_untaxed, PRICE * days / self.total, delta=0.02)
        charge = self.documents(change, "out_invoice")
        self.assertEqual((len(charge), charge.state), (1, "draft"))
        self.assertEqual(charge.invoice_line_ids.product_id, self.premium)
        self.assertAlmostEqual(charge.amount_untaxed, 80.0 * days / self.total, delta=0.02)
        self.assertIn("Plan change", self.contract.message_ids[0].body)
        self.assertEqual(self.rpc(self.clerk, "tv.plan.change", "name_get", change.ids),
                         [(change.id, "Plan change to %s on %s" % (
                             self.premium.display_name, self.today.strftime("%m/%d/%Y")))])


class TestBlockSettlement(SettlementCase):

    def block_since(self, days_ago):
        self.rpc(self.operator, "account.analytic.account", "action_contract_block",
                 self.contract.ids)
        row = self.contract.tv_status_change_ids.sorted("id")[-1]
        self.env.cr.execute("UPDATE tv_contract_status_change SET date = date - %s * interval "
                            "'1 day' WHERE id = %s", (days_ago, row.id))
        self.contract.invalidate_cache()

    def test_the_days_blocked_are_credited_when_released(self):
        self.invoiced_in_advance(started_days_ago=10)
        self.block_since(4)
        self.rpc(self.operator, "account.analytic.account", "action_contract_release",
                 self.contract.ids)
        refund = self.env["account.invoice"].search([("contract_id", "=", self.contract.id),
                                                     ("type", "=", "out_refund")])
        self.assertEqual(len(refund), 1)
        self.assertEqual(refund.tv_cause, self.contract)
        self.assertAlmostEqual(refund.amount_untaxed, 2 * PRICE * 4 / self.total, delta=0.02)
        self.assertIn("Block lifted", self.contract.message_ids[0].body)

    def test_a_policy_that_charges_the_days_blocked_credits_nothing(self):
        self.policy.charge_blocked_days = True
        self.invoiced_in_advance(started_days_ago=10)
        self.block_since(4)
        self.rpc(self.operator, "account.analytic.account", "action_contract_release",
                 self.contract.ids)
        self.assertFalse(self.env["account.invoice"].search(
            [("contract_id", "=", self.contract.id), ("type", "=", "out_refund")]))

    def test_post_paid_days_blocked_are_left_out_once(self):
        """Post-paid: the period's invoice leaves the days blocked out; a
        release afterwards credits nothing more."""
        self.contract.write({"recurring_invoicing_type": "post-paid",
                             "date_start": self.day(-400), "recurring_next_date": self.day(0)})
        self.block_since(5)
        invoice = self.contract.recurring_create_invoice()
        self.assertIn("Blocked: 5 of", invoice.invoice_line_ids[0].name)
        self.rpc(self.operator, "account.analytic.account", "action_contract_release",
                 self.contract.ids)
        self.assertFalse(self.env["account.invoice"].search(
            [("contract_id", "=", self.contract.id), ("type", "=", "out_refund")]))
