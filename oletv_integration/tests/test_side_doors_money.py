# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Side doors around the money: the release on payment acts only on what
really happened, invoices tie a debt to the contract's current customer,
records do not move between companies, and "today" is the company's."""
from datetime import datetime

import pytz

from odoo import api
from odoo.exceptions import AccessError, ValidationError
from odoo.models import check_method_name

from ..services.customer_notices import CustomerNotices
from .security_common import make_role_users
from .test_delinquency import DelinquencyCase


class MoneyCase(DelinquencyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users = make_role_users(cls.env, cls.company, "m")

    @staticmethod
    def rpc(user, model, method, *args, **kwargs):
        """What an XML-RPC `execute_kw` does, as `user`."""
        check_method_name(method)
        return api.call_kw(user.env[model].sudo(user), method, list(args), kwargs)


class TestReleaseOnlyOnRealPayment(MoneyCase):

    def salespersons_invoice(self):
        """An overdue invoice the salesperson may write (Odoo 11's sales rules:
        their own invoices), its contract blocked by the policy."""
        invoice = self.block_automatically()
        invoice.user_id = self.users["salesperson"]
        return invoice

    def test_a_written_paid_state_releases_nothing(self):
        invoice = self.salespersons_invoice()
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users["salesperson"], "account.invoice", "write", invoice.ids,
                     {"state": "paid"})
        # the system itself writing it (a settlement that is not one): Odoo 11
        # re-opens the unreconciled invoice within the same write; no release
        invoice.sudo().write({"state": "paid"})
        invoice.invalidate_cache()
        self.assertEqual(invoice.state, "open")
        self.delinquent.invalidate_cache()
        self.assertStatus("blocked", "automatic")
        self.assertAccess("blocked")

    def test_a_cancellation_without_billing_rights_releases_nothing(self):
        invoice = self.salespersons_invoice()
        for vals in ({"state": "cancel"}, {"state": "draft"}, {"type": "out_refund"},
                     {"commercial_partner_id": self.partner.id},
                     {"move_id": self.pay(self.invoice(30)).move_line_ids[:1].move_id.id,
                      "state": "paid"}):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users["salesperson"], "account.invoice", "write", invoice.ids,
                         vals)
        self.run_policy(offset=1)
        self.delinquent.invalidate_cache()
        self.assertStatus("blocked", "automatic")

    def test_a_real_payment_by_the_clerk_releases_in_the_clerks_name(self):
        invoice = self.block_automatically()
        clerk = self.users["clerk"]
        self.pay(invoice, user=clerk)
        self.delinquent.invalidate_cache()
        self.assertStatus("active", False)
        change = self.env["tv.contract.status.change"].search(
            [("contract_id", "=", self.delinquent.id)], order="id desc", limit=1)
        self.assertEqual((change.new_status, change.user_id), ("active", clerk))
        paid = self.delinquent.message_ids.filtered(lambda m: "Paid: no overdue" in (m.body or ""))
        self.assertEqual(paid.author_id, clerk.partner_id)
        tracked = self.delinquent.message_ids.filtered(lambda m: any(
            value.field == "contract_status" and value.new_value_char == "Active"
            for value in m.tracking_value_ids))
        self.assertEqual(tracked[:1].author_id, clerk.partner_id)

    def test_no_debt_is_fabricated_without_billing_rights(self):
        salesperson = self.users["salesperson"]
        values = {"partner_id": self.customer.id, "contract_id": self.delinquent.id,
                  "date_due": "2001-01-01"}
        for extra, context in (({"state": "open"}, {}), ({}, {"default_state": "open"})):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(salesperson, "account.invoice", "create", dict(values, **extra),
                         context=context)
        # a draft, then validated with another invoice's posted entry
        borrowed = self.invoice(30, contract=self.make_contract(self.partner,
                                                                [self.tv_product]))
        draft = self.rpc(salesperson, "account.invoice", "create",
                         dict(values, contract_id=False))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice", "write", [draft],
                     {"state": "open", "move_id": borrowed.move_id.id})
        # had it got through: the borrowed entry holds none of this invoice's lines
        self.env.cr.execute("UPDATE account_invoice SET state = 'open', move_id = %s, "
                            "contract_id = %s WHERE id = %s",
                            (borrowed.move_id.id, self.delinquent.id, draft))
        self.env["account.invoice"].invalidate_cache()
        self.assertNotIn(draft, self.delinquent._tv_overdue_invoices(self.day(0)).ids)
        self.run_policy()
        self.assertStatus("active", False)
        # a draft of the contract: its debt would be counted once a clerk
        # validates it (OCA's invoice form does not show the contract)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.invoice", "create", values)

    def test_the_holder_of_a_contract_in_debt_changes_through_billing(self):
        self.invoice(20)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users["salesperson"], "account.analytic.account", "write",
                     self.delinquent.ids, {"partner_id": self.partner.id})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users["salesperson"], "account.analytic.account", "write",
                     self.delinquent.ids, {"partner_id": False})
        billing_salesperson = self.users["salesperson"]
        billing_salesperson.groups_id |= self.env.ref("account.group_account_invoice")
        self.rpc(billing_salesperson, "account.analytic.account", "write",
                 self.delinquent.ids, {"partner_id": self.partner.id})
        self.assertEqual(self.delinquent.partner_id, self.partner)

    def test_the_debt_of_a_validated_invoice_is_moved_by_billing_users_only(self):
        invoice = self.invoice(20)
        invoice.user_id = self.users["salesperson"]
        other = self.make_contract(self.partner, [self.tv_product])
        for name, value in (("contract_id", other.id), ("date_due", "2001-01-01"),
                            ("partner_id", self.partner.id)):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users["salesperson"], "account.invoice", "write", invoice.ids,
                         {name: value})
        invoice.invalidate_cache()
        self.assertEqual(invoice.contract_id, self.delinquent)

    def test_a_drafts_contract_is_moved_by_billing_users_only(self):
        """A draft recurring invoice re-pointed by a salesperson would leave
        the dunning, or land on another customer's (OCA's invoice form does
        not show the contract to whoever validates it)."""
        draft = self.delinquent.recurring_create_invoice()
        draft.user_id = self.users["salesperson"]
        other = self.make_contract(self.partner, [self.tv_product])
        for value in (False, other.id):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users["salesperson"], "account.invoice", "write", draft.ids,
                         {"contract_id": value})
        draft.invalidate_cache()
        self.assertEqual((draft.state, draft.contract_id), ("draft", self.delinquent))
        self.rpc(self.users["clerk"], "account.invoice", "write", draft.ids,
                 {"contract_id": other.id})
        self.assertEqual(draft.contract_id, other)


class TestPreviousHolder(MoneyCase):

    def test_the_previous_holders_invoices_are_not_the_new_ones(self):
        invoice = self.invoice(20)
        self.assertEqual(self.delinquent._tv_overdue_invoices(self.today), invoice)
        new_holder = self.env["res.partner"].create({"name": "Nova Titular",
                                                     "email": "nova@example.com"})
        self.delinquent.write({"partner_id": new_holder.id})
        self.assertFalse(self.delinquent._tv_overdue_invoices(self.today))
        self.assertEqual(self.delinquent._tv_days_overdue(self.today), 0)
        figures = CustomerNotices(self.env).values(self.delinquent, "en_US")
        self.assertEqual(figures["invoices"], [])


class TestDebtFollowsTheContract(MoneyCase):

    def test_a_re_parented_invoice_address_sheds_no_debt(self):
        invoice = self.invoice(20)
        other = self.env["res.partner"].create({"name": "Outra Empresa", "is_company": True})
        # what re-parenting the invoice's address contact does to the invoice
        self.env.cr.execute("UPDATE account_invoice SET commercial_partner_id = %s "
                            "WHERE id = %s", (other.id, invoice.id))
        self.env["account.invoice"].invalidate_cache()
        self.assertEqual(self.delinquent._tv_overdue_invoices(self.today), invoice)

    def test_an_invoice_not_yet_due_keeps_its_customer(self):
        invoice = self.invoice(-10)  # due in ten days
        contact = self.env["res.partner"].create({"name": "Financeiro", "type": "invoice",
                                                  "parent_id": self.customer.id})
        salesperson = self.users["salesperson"]
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(salesperson, "account.analytic.account", "write", self.delinquent.ids,
                     {"partner_id": self.partner.id})
        # the customer's own billing contact: the same customer, the same debt
        self.rpc(salesperson, "account.analytic.account", "write", self.delinquent.ids,
                 {"partner_id": contact.id})
        self.assertFalse(self.delinquent.tv_holder_since)
        self.assertEqual(self.delinquent._tv_overdue_invoices(self.day(20)), invoice)

    def test_the_holder_change_is_dated_by_the_system(self):
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users["salesperson"], "account.analytic.account", "write",
                     self.delinquent.ids, {"tv_holder_since": "2000-01-01 00:00:00"})
        self.assertFalse(self.delinquent.tv_holder_since)
        self.delinquent.write({"partner_id": self.partner.id})
        self.assertTrue(self.delinquent.tv_holder_since)


class TestCompanyMoves(MoneyCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "ISP B (moves)"})
        cls.users_b = make_role_users(cls.env, cls.company_b, "mb")
        cls.policy_b = cls.env["tv.delinquency.policy"].create({"company_id": cls.company_b.id})
        cls.integration_b = cls.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({"name": "Olé TV B (moves)",
                                                   "company_id": cls.company_b.id})

    def test_a_manager_cannot_move_a_record_into_another_company(self):
        manager_b = self.users_b["manager"]
        for record in (self.integration_b, self.policy_b):
            if record == self.policy_b:  # company A's own policy would clash: remove it
                self.policy.unlink()
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(manager_b, record._name, "write", record.ids,
                         {"company_id": self.company.id})
            record.invalidate_cache()
            self.assertEqual(record.company_id, self.company_b)

    def test_a_manager_moves_within_their_companies(self):
        manager_b = self.users_b["manager"]
        self.rpc(manager_b, "tv.delinquency.policy", "write", self.policy_b.ids,
                 {"name": "Política B"})
        self.assertEqual(self.policy_b.name, "Política B")

    def test_a_contract_with_tv_users_stays_with_their_integrations_company(self):
        """Moved, its TV users would sync with company A's platform account
        under company B's policy."""
        branch = self.env["res.company"].create({"name": "ISP A (branch)",
                                                 "parent_id": self.company.id})
        salesperson = self.users["salesperson"]  # of the parent: sees the branch's records
        salesperson.company_ids |= branch
        with self.assertRaisesRegex(ValidationError, "a TV user syncs only with an "
                                                     "integration of its contract's company"), \
                self.env.cr.savepoint():
            self.rpc(salesperson, "account.analytic.account", "write", self.delinquent.ids,
                     {"company_id": branch.id})
        self.env.clear()  # what the request's rollback does: nothing left to recompute
        self.assertEqual(self.delinquent.company_id, self.company)
        self.assertEqual(self.tv_user.company_id, self.company)
        # the mirror: the integration moved away from its TV users' company
        manager = self.users["manager"]
        manager.company_ids |= branch
        with self.assertRaisesRegex(ValidationError, "a TV user syncs only with an "
                                                     "integration of its contract's company"), \
                self.env.cr.savepoint():
            self.rpc(manager, "tv.integration", "write", self.integration.ids,
                     {"company_id": branch.id})
        self.env.clear()
        self.assertEqual(self.integration.company_id, self.company)


class TestCompanyToday(MoneyCase):

    def test_today_follows_the_company_time_zone_not_the_context(self):
        zones = ("Pacific/Kiritimati", "Pacific/Pago_Pago")  # UTC+14, UTC-11
        for company_tz in zones:
            self.company.partner_id.tz = company_tz
            expected = datetime.now(pytz.timezone(company_tz)).date()
            for context_tz in zones:
                self.assertEqual(self.delinquent.with_context(tz=context_tz)._tv_today(),
                                 expected, (company_tz, context_tz))
