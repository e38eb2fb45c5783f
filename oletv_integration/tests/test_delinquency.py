# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Delinquency control with real invoices: validated, partially and fully
paid, refunded, payments reversed; dates moved by the test (invoice due
dates in the past, the cron's `today`).

TV users here are proposed ones (not on the platform): the contract status
and the TV users' desired access are asserted, and the automated actions'
call to the TV layer is observed."""
from datetime import timedelta
from unittest import mock

from odoo import fields
from odoo.exceptions import UserError, ValidationError

from ..services.delinquency_ladder import DelinquencyLadder
from .common import OleTVCase


class DelinquencyCase(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.user.company_id
        policy_model = cls.env["tv.delinquency.policy"]
        cls.policy = policy_model.search([("company_id", "=", cls.company.id)])
        values = {"late_notice_days": 5, "block_days": 15, "reduce_days": 0, "termination_days": 0,
                  "trust_release_days": 3, "trust_release_max_days": 7,
                  # the custom ladder (the seed's): the late notice blocks the TV
                  "ladder_preset": "custom", "late_notice_blocks_tv": True}
        if cls.policy:
            cls.policy.write(values)
        else:
            cls.policy = policy_model.create(dict(values, company_id=cls.company.id))
        cls.bank = cls.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", cls.company.id)], limit=1)
        cls.bank.update_posted = True  # lets a test cancel a posted payment
        cls.today = fields.Date.from_string(fields.Date.context_today(cls.env.user))
        cls.customer = cls.env["res.partner"].create(
            {"name": "Bruno Costa", "email": "bruno@example.com", "customer": True})
        cls.delinquent = cls.make_contract(cls.customer, [cls.tv_product],
                                           plain_products=[cls.plain_product])
        cls.tv_user = cls.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": cls.delinquent.id, "product_id": cls.tv_product.id})

    # -- helpers -------------------------------------------------------------

    def day(self, offset):
        return self.today + timedelta(days=offset)

    def invoice(self, days_overdue, contract=None):
        """The contract's next invoice, validated, due `days_overdue` days ago."""
        contract = contract or self.delinquent
        invoice = contract.recurring_create_invoice()
        self.assertEqual(invoice.contract_id, contract)
        invoice.write({"date_invoice": fields.Date.to_string(self.day(-days_overdue - 10)),
                       "date_due": fields.Date.to_string(self.day(-days_overdue))})
        invoice.action_invoice_open()
        self.assertEqual(invoice.state, "open")
        self.assertEqual(invoice.date_due, fields.Date.to_string(self.day(-days_overdue)))
        return invoice

    def pay(self, invoice, amount=None, user=None):
        payments = self.env["account.payment"]
        payment = (payments.sudo(user) if user else payments).create({
            "payment_type": "inbound", "partner_type": "customer",
            "partner_id": invoice.partner_id.id, "amount": amount or invoice.residual,
            "journal_id": self.bank.id,
            "payment_method_id": self.env.ref("account.account_payment_method_manual_in").id,
            "invoice_ids": [(6, 0, invoice.ids)],
        })
        payment.post()
        return payment

    def run_policy(self, offset=0, contract=None):
        self.env["account.analytic.account"]._cron_tv_delinquency(today=self.day(offset))
        (contract or self.delinquent).invalidate_cache()

    def assertStatus(self, status, block_reason=None, contract=None):
        contract = contract or self.delinquent
        self.assertEqual(contract.contract_status, status)
        if block_reason is not None:
            self.assertEqual(contract.block_reason, block_reason)

    def assertAccess(self, access):
        self.assertEqual(self.tv_user.desired_access, access)

    def block_automatically(self, days_overdue=20):
        invoice = self.invoice(days_overdue)
        self.run_policy()
        self.assertStatus("blocked", "automatic")
        return invoice

    def watch_tv_layer(self):
        """Patch the method the automated actions call on a status change."""
        tv_user_class = type(self.env["tv.user"])
        return mock.patch.object(tv_user_class, "_tv_follow_contract_access", autospec=True)


class TestDelinquencyPolicy(DelinquencyCase):

    def test_policy_days_are_validated(self):
        with self.assertRaises(ValidationError):
            self.policy.write({"late_notice_days": 10, "block_days": 5})
        with self.assertRaises(ValidationError):
            self.policy.write({"trust_release_days": 8})
        with self.assertRaises(ValidationError):
            self.policy.write({"late_notice_days": -1})

    def test_within_tolerance_nothing_changes(self):
        self.invoice(5)  # exactly the tolerance: not yet
        self.run_policy()
        self.assertStatus("active")
        self.assertAccess("allowed")

    def test_late_notice_then_block_as_days_pass(self):
        self.invoice(6)
        self.run_policy()
        self.assertStatus("late_notice", "automatic")
        self.assertAccess("blocked")
        self.run_policy(offset=9)  # 15 days overdue: still the late notice
        self.assertStatus("late_notice")
        self.run_policy(offset=10)  # 16 days
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")
        self.assertEqual(self.delinquent.overdue_invoice_count, 1)

    def test_long_overdue_is_blocked_at_once_by_the_scheduled_action(self):
        self.invoice(16)
        with self.watch_tv_layer() as tv_layer:
            self.env.ref("oletv_integration.cron_tv_delinquency").method_direct_trigger()
        self.delinquent.invalidate_cache()
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")
        blocked = [call[0][1] for call in tv_layer.call_args_list]  # the contracts of each call
        self.assertIn(self.delinquent, blocked)
        self.assertIn("delinquency policy", self.delinquent.message_ids[0].body)

    def test_unpaid_invoice_not_yet_due_is_ignored(self):
        invoice = self.invoice(-3)  # due in three days
        self.assertFalse(self.delinquent._tv_overdue_invoices(self.today))
        self.run_policy(offset=3)
        self.assertStatus("active")
        self.run_policy(offset=9)  # 6 days overdue then
        self.assertStatus("late_notice")
        self.assertEqual(self.delinquent._tv_overdue_invoices(self.day(9)), invoice)

    def test_awaiting_signature_and_deactivated_are_never_touched(self):
        self.invoice(30)
        self.delinquent.action_contract_awaiting_signature()
        self.run_policy()
        self.assertStatus("awaiting_signature")
        self.delinquent.action_contract_activate()
        self.delinquent.action_contract_deactivate()
        self.run_policy()
        self.assertStatus("deactivated")

    def test_manual_block_is_kept_by_the_policy(self):
        self.delinquent.action_contract_block()
        self.invoice(30)
        self.run_policy()
        self.assertStatus("blocked", "manual")

    def test_manual_late_notice_is_escalated_but_never_released_by_the_run(self):
        self.delinquent.action_contract_late_notice()
        self.run_policy()
        self.assertStatus("late_notice")  # nothing overdue, but an operator's decision
        self.invoice(20)
        self.run_policy()
        self.assertStatus("blocked", "automatic")

    def test_company_without_policy_is_left_alone(self):
        self.policy.unlink()
        self.invoice(40)
        self.run_policy()
        self.assertStatus("active")

    def test_other_company_policy_does_not_apply(self):
        other = self.env["res.company"].create({"name": "Other ISP"})
        self.policy.company_id = other
        self.invoice(40)
        self.run_policy()
        self.assertStatus("active")

    def test_one_failing_contract_does_not_stop_the_run(self):
        other_partner = self.env["res.partner"].create(
            {"name": "Carla", "email": "carla@example.com"})
        other = self.make_contract(other_partner, [self.tv_product_box])
        self.invoice(20, contract=other)
        self.invoice(20)
        original = DelinquencyLadder.apply

        def fail_for_other(ladder, contract, policy, *batch):
            if contract == other:
                raise ValueError("boom")
            return original(ladder, contract, policy, *batch)

        with mock.patch.object(DelinquencyLadder, "apply", fail_for_other):
            self.run_policy()
        self.assertStatus("blocked", "automatic")
        self.assertStatus("active", contract=other)


class TestReleaseOnPayment(DelinquencyCase):

    def test_full_payment_releases_at_once(self):
        invoice = self.block_automatically()
        with self.watch_tv_layer() as tv_layer:
            self.pay(invoice)
        self.assertEqual(invoice.state, "paid")
        self.assertStatus("active", False)
        self.assertAccess("allowed")
        self.assertEqual(tv_layer.call_count, 1)  # the release automated action ran

    def test_partial_payment_does_not_release(self):
        invoice = self.block_automatically()
        self.pay(invoice, amount=invoice.residual / 2)
        self.assertEqual(invoice.state, "open")
        self.assertTrue(invoice.residual > 0)
        self.assertStatus("blocked", "automatic")
        self.run_policy()
        self.assertStatus("blocked", "automatic")
        self.pay(invoice)  # the rest
        self.assertEqual(invoice.state, "paid")
        self.assertStatus("active")

    def test_paying_one_of_two_overdue_invoices_does_not_release(self):
        first = self.invoice(40)
        second = self.invoice(20)
        self.run_policy()
        self.assertStatus("blocked", "automatic")
        self.pay(first)
        self.assertEqual(first.state, "paid")
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")
        self.run_policy()
        self.assertStatus("blocked", "automatic")
        self.pay(second)
        self.assertStatus("active")
        self.assertAccess("allowed")

    def test_invoice_within_tolerance_does_not_hold_the_release(self):
        old = self.invoice(20)
        self.invoice(2)  # overdue, but within the 5 days of tolerance
        self.run_policy()
        self.assertStatus("blocked")
        self.pay(old)
        self.assertStatus("active")

    def test_payment_lifts_a_late_notice(self):
        invoice = self.invoice(8)
        self.run_policy()
        self.assertStatus("late_notice")
        self.pay(invoice)
        self.assertStatus("active")
        self.assertAccess("allowed")

    def test_payment_never_lifts_a_manual_block(self):
        invoice = self.invoice(20)
        self.delinquent.action_contract_block()
        with self.watch_tv_layer() as tv_layer:
            self.pay(invoice)
        self.assertEqual(invoice.state, "paid")
        self.assertStatus("blocked", "manual")
        self.assertAccess("blocked")
        self.assertFalse(tv_layer.called)
        self.run_policy()
        self.assertStatus("blocked", "manual")

    def test_a_new_invoice_does_not_lift_a_manual_late_notice(self):
        self.delinquent.action_contract_late_notice()
        self.invoice(-10)  # validated, not yet due
        self.assertStatus("late_notice")

    def test_payment_on_another_contract_does_not_release(self):
        self.block_automatically()
        other = self.make_contract(self.customer, [], plain_products=[self.plain_product])
        other_invoice = self.invoice(20, contract=other)
        self.pay(other_invoice)
        self.assertStatus("blocked", "automatic")

    def test_credit_note_releases(self):
        invoice = self.block_automatically()
        refund = invoice.refund(description="Service outage")
        refund.action_invoice_open()
        lines = (invoice.move_id.line_ids | refund.move_id.line_ids).filtered(
            lambda line: line.account_id == invoice.account_id)
        lines.reconcile()
        self.assertEqual(invoice.state, "paid")
        self.assertStatus("active", False)

    def test_cancelled_payment_blocks_again_at_the_next_run(self):
        invoice = self.block_automatically()
        payment = self.pay(invoice)
        self.assertStatus("active")
        payment.cancel()
        self.assertEqual(invoice.state, "open")
        self.assertStatus("active")  # until the next run
        self.run_policy()
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")

    def test_unreconciled_payment_blocks_again_at_the_next_run(self):
        invoice = self.block_automatically()
        self.pay(invoice)
        self.assertStatus("active")
        invoice.move_id.line_ids.filtered(
            lambda line: line.account_id == invoice.account_id).remove_move_reconcile()
        self.assertEqual(invoice.state, "open")
        self.run_policy()
        self.assertStatus("blocked", "automatic")

    def test_the_run_releases_when_the_invoice_is_settled_otherwise(self):
        invoice = self.block_automatically()
        # cancelled by the accountant: the hook releases at once, and the run agrees
        self.env["account.journal"].browse(invoice.journal_id.id).update_posted = True
        invoice.action_invoice_cancel()
        self.assertStatus("active")
        self.run_policy()
        self.assertStatus("active")


class TestTrustRelease(DelinquencyCase):

    def test_trust_release_then_expiry_blocks_again(self):
        self.block_automatically()
        self.delinquent.action_tv_trust_release()
        self.assertStatus("active", False)
        self.assertAccess("allowed")
        self.assertEqual(self.delinquent.trust_release_until, fields.Date.to_string(self.day(3)))
        self.assertEqual(self.delinquent.trust_release_count, 1)
        log = self.delinquent.trust_release_ids
        self.assertEqual((log.days, log.previous_status, log.previous_block_reason, log.outcome),
                         (3, "blocked", "automatic", "running"))
        self.assertEqual(log.user_id, self.env.user)
        self.run_policy(offset=3)  # last day of the trust release
        self.assertStatus("active")
        self.run_policy(offset=4)
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")
        self.assertFalse(self.delinquent.trust_release_until)
        self.assertEqual(log.outcome, "blocked_again")

    def test_trust_release_length_is_limited(self):
        self.block_automatically()
        with self.assertRaises(UserError):
            self.delinquent.action_tv_trust_release(days=8)
        self.delinquent.action_tv_trust_release(days=7)
        self.assertEqual(self.delinquent.trust_release_until, fields.Date.to_string(self.day(7)))
        with self.assertRaises(UserError):  # active now: nothing to release
            self.delinquent.action_tv_trust_release()

    def test_each_use_is_recorded(self):
        self.block_automatically()
        self.delinquent.action_tv_trust_release()
        self.run_policy(offset=4)
        self.assertStatus("blocked")
        DelinquencyLadder(self.env, self.day(4)).trust_release(self.delinquent, 2)  # 4 days later
        self.assertEqual(self.delinquent.trust_release_count, 2)
        self.assertEqual(self.delinquent.trust_release_until, fields.Date.to_string(self.day(6)))
        self.assertEqual(self.delinquent.trust_release_ids.mapped("outcome"),
                         ["running", "blocked_again"])

    def test_payment_during_trust_release_ends_it(self):
        invoice = self.block_automatically()
        self.delinquent.action_tv_trust_release()
        self.pay(invoice)
        self.assertStatus("active")
        self.assertFalse(self.delinquent.trust_release_until)
        self.assertEqual(self.delinquent.trust_release_ids.outcome, "paid")
        self.run_policy(offset=10)
        self.assertStatus("active")

    def test_trust_release_of_a_manual_block(self):
        self.invoice(20)
        self.delinquent.action_contract_block()
        self.delinquent.action_tv_trust_release(days=1)
        self.assertStatus("active")
        self.assertEqual(self.delinquent.trust_release_ids.previous_block_reason, "manual")
        self.run_policy(offset=2)
        self.assertStatus("blocked", "automatic")

    def test_trust_release_needs_a_policy(self):
        self.block_automatically()
        self.policy.unlink()
        with self.assertRaises(UserError):
            self.delinquent.action_tv_trust_release()


class TestBulkActions(DelinquencyCase):

    def test_bulk_block_and_release_skip_ineligible_contracts(self):
        deactivated = self.make_contract(self.customer, [], plain_products=[self.plain_product])
        deactivated.action_contract_deactivate()
        contracts = self.delinquent | self.contract | deactivated
        self.env.ref("oletv_integration.action_server_contract_bulk_block").with_context(
            active_model="account.analytic.account", active_ids=contracts.ids).run()
        self.assertEqual(contracts.mapped("contract_status"), ["blocked", "blocked", "deactivated"])
        self.assertEqual(self.delinquent.block_reason, "manual")
        self.env.ref("oletv_integration.action_server_contract_bulk_release").with_context(
            active_model="account.analytic.account", active_ids=contracts.ids).run()
        self.assertEqual(contracts.mapped("contract_status"), ["active", "active", "deactivated"])
        with self.assertRaises(UserError):
            deactivated.action_tv_bulk_block()

    def test_sync_now_requests_the_tv_users_sync(self):
        user_class = type(self.env["tv.user"])
        action = self.env.ref("oletv_integration.action_server_contract_tv_sync_now")
        with mock.patch.object(user_class, "_tv_request_sync", autospec=True) as sync, \
                self.assertRaises(UserError):  # a proposal waits for Create on platform
            action.with_context(active_model="account.analytic.account",
                                active_ids=self.delinquent.ids).run()
        self.assertEqual(sync.call_count, 0)
        self.tv_user.sync_state = "error"  # its creation failed: Sync TV now retries it
        with mock.patch.object(user_class, "_tv_request_sync", autospec=True) as sync:
            self.env.ref("oletv_integration.action_server_contract_tv_sync_now").with_context(
                active_model="account.analytic.account",
                active_ids=self.delinquent.ids).run()
        self.assertEqual(sync.call_count, 1)
        self.assertEqual(sync.call_args[0][0], self.tv_user)
        with self.assertRaises(UserError):
            self.make_contract(self.customer, [], [self.plain_product]).action_tv_sync_now()
