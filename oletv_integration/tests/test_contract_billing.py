# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A deactivation ends the contract's invoicing on its day (the TV operator
over XML-RPC): no invoice for a period after the end, the period of the last
day settled pro rata (a period not invoiced yet invoiced now up to the last
day; a period invoiced in advance credited for the days after it, drafted
for the billing clerk); a reactivation invoices again."""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError

from .security_common import RolesCase


class TestTerminationStopsBilling(RolesCase):

    def setUp(self):
        super().setUp()
        self.operator = self.users_a["operator"]
        self.clerk = self.users_a["clerk"]
        self.today = self.contract._tv_today()

    def day(self, offset):
        return fields.Date.to_string(self.today + timedelta(days=offset))

    def invoices(self, kind="out_invoice"):
        return self.env["account.invoice"].search(
            [("contract_id", "=", self.contract.id), ("type", "=", kind)])

    def deactivate(self):
        self.rpc(self.operator, "account.analytic.account", "action_contract_deactivate",
                 self.contract.ids)
        self.contract.invalidate_cache()

    def start_period(self, offset, invoicing_type="pre-paid"):
        """The contract's current period started `offset` days ago."""
        self.contract.write({"recurring_invoicing_type": invoicing_type,
                             "date_start": self.day(-400),
                             "recurring_next_date": self.day(-offset)})

    def test_a_period_paid_in_advance_is_credited_for_the_days_after_the_end(self):
        self.start_period(10)
        invoice = self.contract.recurring_create_invoice()
        invoice.sudo(self.clerk).action_invoice_open()
        period_end = fields.Date.from_string(self.contract.recurring_next_date) - timedelta(1)
        total = (period_end - (self.today - timedelta(10))).days + 1
        unused = (period_end - self.today).days
        self.deactivate()

        self.assertEqual((self.contract.date_end, self.contract.tv_billing_stopped_on),
                         (self.day(0), self.day(0)))
        refund = self.invoices("out_refund")
        self.assertEqual((len(refund), refund.state, refund.refund_invoice_id),
                         (1, "draft", invoice))
        self.assertAlmostEqual(refund.amount_untaxed, 100.0 * unused / total, delta=0.02)
        self.assertIn("%d of %d days credited" % (unused, total),
                      "\n".join(refund.invoice_line_ids.mapped("name")))
        self.assertIn("Invoicing stopped", self.contract.message_ids[0].body)
        refund.sudo(self.clerk).action_invoice_open()  # the clerk validates it
        # ... and it settles the invoice it credits
        self.assertEqual(refund.state, "paid")
        self.assertAlmostEqual(invoice.residual, invoice.amount_total - refund.amount_total,
                               delta=0.01)

        self.env["account.analytic.account"].with_context(cron=True).search(
            [("id", "=", self.contract.id)]).recurring_create_invoice()
        self.assertEqual(len(self.invoices()), 1, "no invoice after the end")

    def test_a_period_billed_afterwards_is_invoiced_now_up_to_the_last_day(self):
        self.start_period(-20, "post-paid")  # period ends in 20 days, invoiced then
        period_end = self.today + timedelta(20)
        period_start = period_end - relativedelta(months=1) + timedelta(1)
        total = (period_end - period_start).days + 1
        used = (self.today - period_start).days + 1
        self.deactivate()

        invoice = self.invoices()
        self.assertEqual((len(invoice), invoice.state, invoice.date_invoice),
                         (1, "draft", self.day(0)))
        self.assertAlmostEqual(invoice.amount_untaxed, 100.0 * used / total, delta=0.02)
        self.assertIn("Contract ended on %s: %d of %d days not charged"
                      % (self.day(0), total - used, total), invoice.invoice_line_ids[0].name)
        self.assertFalse(self.invoices("out_refund"))

    def test_a_draft_invoice_of_the_period_is_corrected_in_place(self):
        self.start_period(5)
        invoice = self.contract.recurring_create_invoice()
        period_end = fields.Date.from_string(self.contract.recurring_next_date) - timedelta(1)
        total = (period_end - (self.today - timedelta(5))).days + 1
        unused = (period_end - self.today).days
        self.deactivate()
        self.assertEqual(invoice.state, "draft")
        self.assertAlmostEqual(invoice.amount_untaxed, 100.0 * (total - unused) / total,
                               delta=0.02)
        self.assertFalse(self.invoices("out_refund"))

    def test_a_reactivation_invoices_again_from_its_day(self):
        self.start_period(10)
        self.contract.recurring_create_invoice()
        self.deactivate()
        self.rpc(self.operator, "account.analytic.account", "action_contract_activate",
                 self.contract.ids)
        self.contract.invalidate_cache()
        # its last day (today) was charged: invoiced again from tomorrow
        self.assertEqual((self.contract.date_end, self.contract.tv_billing_stopped_on,
                          self.contract.recurring_next_date), (False, False, self.day(1)))
        self.assertIn("Invoicing resumed", self.contract.message_ids[0].body)

    def test_the_end_and_its_mark_are_the_systems(self):
        for role in ("operator", "clerk", "salesperson"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "account.analytic.account", "write",
                         self.contract.ids, {"tv_billing_stopped_on": self.day(0)})
        self.assertFalse(self.contract.tv_billing_stopped_on)

    def test_a_pre_paid_period_not_invoiced_yet_is_charged_once_pro_rata(self):
        self.start_period(10)  # its invoice not made yet (the daily run is behind)
        period_start = self.today - timedelta(10)
        total = ((period_start + relativedelta(months=1)) - period_start).days
        self.deactivate()
        invoice = self.invoices()
        self.assertEqual(len(invoice), 1)
        self.assertAlmostEqual(invoice.amount_untaxed, 100.0 * 11 / total, delta=0.02)
        self.assertEqual(invoice.invoice_line_ids[0].name.count("Contract ended"), 1)
        self.assertFalse(self.invoices("out_refund"))

    def test_deactivating_again_credits_nothing_twice(self):
        """Deactivate, Activate, Deactivate on the day a period starts: the
        first credit note only, no day invoiced twice."""
        self.start_period(0)
        invoice = self.contract.recurring_create_invoice()
        invoice.sudo(self.clerk).action_invoice_open()
        self.deactivate()
        for action in ("action_contract_activate", "action_contract_deactivate",
                       "action_contract_activate"):
            self.rpc(self.operator, "account.analytic.account", action, self.contract.ids)
        self.contract.invalidate_cache()
        self.assertEqual(len(self.invoices("out_refund")), 1)
        self.assertEqual(self.invoices(), invoice)
        self.assertEqual(self.contract.recurring_next_date, self.day(1),
                         "invoiced again from the day after the day already charged")

    def test_a_contract_without_tv_keeps_its_invoicing(self):
        internet = self.make_contract(self.partner, plain_products=[self.plain_product])
        self.rpc(self.operator, "account.analytic.account", "action_contract_deactivate",
                 internet.ids)
        self.assertEqual((internet.contract_status, internet.date_end,
                          internet.tv_billing_stopped_on), ("deactivated", False, False))
