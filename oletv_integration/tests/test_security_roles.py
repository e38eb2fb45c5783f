# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Every flow as the role that does it (never the superuser), against the
real sandbox: the platform work each role triggers runs to the end."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from .security_common import RolesCase


class TestRoleFlows(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = cls.users_a["operator"]
        cls.contract.code = "CT-ROLES-1"

    def create_as_operator(self):
        user = self.env["tv.user"].sudo(self.operator).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})
        self.assertEqual(user.sync_state, "pending")
        self.assertEqual(self.jobs().user_id, self.operator)  # who asked, for the record
        self.run_jobs()
        return user.sudo()

    def live_user(self):
        """A TV user the operator created, accessed once by the customer."""
        user = self.create_as_operator()
        self.sandbox.first_access(user.account_number)
        self.env["tv.user"]._cron_reconcile()
        self.run_jobs()
        self.assertEqual(self.platform(user.account_number)["status"], "active")
        return user

    def ensure_policy(self):
        policy = self.env["tv.delinquency.policy"]._for_company(self.company_a) \
            or self.env["tv.delinquency.policy"].create({"company_id": self.company_a.id})
        policy.write({"late_notice_days": 5, "block_days": 15, "reduce_days": 0,
                      "termination_days": 0, "ladder_preset": "custom", "trust_release_days": 3,
                      "trust_release_max_days": 7})
        return policy

    def assertPlatform(self, user, status):
        self.assertEqual(self.platform(user.account_number)["status"], status)
        self.assertEqual(user.platform_state, status)
        self.assertEqual(user.sync_state, "synced")
        self.assertFalse(self.jobs().filtered(lambda job: job.state != "done"))

    def test_operator_creates_a_tv_user(self):
        user = self.create_as_operator()
        self.assertTrue(user.account_number.startswith("OLE-"))
        self.assertPlatform(user, "awaiting_activation")
        self.assertEqual(self.jobs().mapped("state"), ["done"])

    def test_operator_deletes_a_tv_user(self):
        user = self.live_user()
        user.sudo(self.operator).unlink()
        self.run_jobs()
        self.assertTrue(self.platform(user.account_number)["deleted"])
        self.assertEqual((user.active, user.platform_state), (False, "deleted"))

    def test_operator_blocks_and_releases_a_contract(self):
        user = self.live_user()
        contract = self.contract.sudo(self.operator)
        contract.action_contract_block()
        self.assertEqual((self.contract.contract_status, self.contract.block_reason),
                         ("blocked", "manual"))
        tracked = self.contract.message_ids.filtered(lambda message: any(
            value.field == "contract_status" and value.new_value_char == "Blocked"
            for value in message.tracking_value_ids))
        self.assertEqual(tracked.author_id, self.operator.partner_id, "the chatter names who")
        self.run_jobs()
        self.assertPlatform(user, "blocked")
        contract.action_contract_release()
        self.run_jobs()
        self.assertPlatform(user, "active")
        contract.action_tv_bulk_block()  # the contract list's Action menu
        self.run_jobs()
        self.assertPlatform(user, "blocked")
        contract.action_tv_bulk_release()
        self.run_jobs()
        self.assertPlatform(user, "active")
        contract.action_contract_late_notice()
        self.run_jobs()
        self.assertPlatform(user, "blocked")

    def test_operator_releases_in_trust(self):
        user = self.live_user()
        self.contract.sudo(self.operator).action_contract_block()
        self.run_jobs()
        self.ensure_policy()
        self.contract.sudo(self.operator).action_tv_trust_release(days=2)
        self.run_jobs()
        self.assertPlatform(user, "active")
        release = self.contract.trust_release_ids
        self.assertEqual((release.user_id, release.days), (self.operator, 2))
        self.assertEqual(self.contract.message_ids[0].author_id, self.operator.partner_id)

    def test_clerk_payment_releases_the_tv_to_the_end(self):
        clerk = self.users_a["clerk"]
        user = self.live_user()
        self.ensure_policy()
        invoice = self.contract.recurring_create_invoice()
        today = fields.Date.from_string(fields.Date.context_today(self.env.user))
        invoice.write({"date_invoice": fields.Date.to_string(today - timedelta(days=30)),
                       "date_due": fields.Date.to_string(today - timedelta(days=20))})
        invoice.action_invoice_open()
        self.env["account.analytic.account"]._cron_tv_delinquency(today=today)
        self.assertEqual(self.contract.contract_status, "blocked")
        self.run_jobs()
        self.assertPlatform(user, "blocked")
        self.env["queue.job"].search([]).unlink()
        self.pay(invoice, clerk)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(self.contract.contract_status, "active")
        self.assertEqual(len(self.jobs()), 1)
        self.run_jobs()  # no one else involved: the job alone releases the platform
        self.assertPlatform(user, "active")

    def test_salesperson_order_waits_for_create_on_platform(self):
        seller = self.users_a["salesperson"]
        buyer = self.env["res.partner"].create(
            {"name": "Diego Alves", "email": "diego.alves@example.com", "customer": True})
        order = self.env["sale.order"].sudo(seller).create({
            "partner_id": buyer.id,
            "order_line": [(0, 0, {"product_id": self.tv_product.id, "name": "TV",
                                   "product_uom_qty": 1, "product_uom": self.tv_product.uom_id.id,
                                   "price_unit": 59.9})]})
        requests_before = self.sandbox.stats()["total_requests"]
        order.action_confirm()
        user = order.sudo().tv_contract_ids.tv_user_ids
        self.assertEqual((user.platform_state, user.sync_state), ("draft", "none"))
        self.assertFalse(self.jobs())
        # neither the operator's Retry sync nor the contract's Sync TV now
        # creates a proposal: only Create on platform does
        with self.assertRaises(UserError) as raised:
            user.sudo(self.operator).action_sync_now()
        self.assertIn("Create on platform", raised.exception.name)
        with self.assertRaises(UserError):
            user.contract_id.sudo(self.operator).action_tv_sync_now()
        self.assertEqual(user.sync_state, "none")
        self.assertFalse(self.jobs())
        self.assertEqual(self.sandbox.stats()["total_requests"], requests_before)
        user.sudo(self.operator).action_create_on_platform()
        self.run_jobs()
        self.assertPlatform(user, "awaiting_activation")

    def test_manager_links_subscribers(self):
        manager = self.users_a["manager"]
        account = self.sandbox.seed_subscriber(
            login="linked@example.com", main_package="BASIC", additional_packages=[],
            status="active")["account_number"]
        text = "contract,login,account_number,product\nCT-ROLES-1,linked@example.com,%s,%s\n" \
            % (account, self.tv_product.name)
        rows = self.integration.sudo(manager).link_existing_subscribers(text, dry_run=False)
        self.assertEqual(rows[0]["status"], "linked", rows)
        user = self.env["tv.user"].browse(rows[0]["tv_user_id"])
        self.assertEqual((user.account_number, user.platform_state), (account, "active"))
        self.run_jobs()
        self.assertPlatform(user, "active")

    def test_viewer_reads_but_changes_nothing(self):
        viewer = self.users_a["viewer"]
        user = self.create_as_operator()
        self.assertEqual(user.sudo(viewer).account_number, user.account_number)
        self.assertTrue(user.sudo(viewer).api_call_ids)  # the audit trail
        self.assertEqual(self.contract.sudo(viewer).contract_status, "active")
        with self.assertRaises(AccessError):
            self.integration.sudo(viewer).read(["api_password"])
        with self.assertRaises(AccessError):
            self.contract.sudo(viewer).action_contract_block()
        self.assertEqual(self.contract.contract_status, "active")
