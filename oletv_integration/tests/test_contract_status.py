# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.exceptions import UserError

from .common import OleTVCase


class TestContractStatus(OleTVCase):

    def _active_tv_user(self):
        with self.mock() as mock:
            return self.create_tv_user(mock, status="active")

    def test_block_late_notice_and_deactivate_block_tv(self):
        for action in ("action_contract_block", "action_contract_late_notice",
                       "action_contract_deactivate"):
            user = self._active_tv_user()
            with self.mock() as mock:
                getattr(self.contract, action)()
                self.assertEqual(len(mock.calls), 0, "the click returns at once")
                self.assertEqual(user.sync_state, "pending")
                # Odoo knows it is active: blocked without a read first
                self.expect_access(mock, "block")
                self.run_jobs()
            self.assertEqual(user.platform_state, "blocked", action)
            self.assertFalse(user.online)
            user.with_context(tv_no_platform_sync=True).unlink()
            self.contract.contract_status = "active"

    def test_release_brings_tv_back_online(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            self.contract.action_contract_block()
            self.expect_access(mock, "block")
            self.run_jobs()
        self.assertEqual(self.contract.block_reason, "manual")
        with self.mock() as mock:
            self.contract.action_contract_release()
            self.expect_access(mock, "release")
            self.run_jobs()
        self.assertEqual(self.contract.contract_status, "active")
        self.assertFalse(self.contract.block_reason)
        self.assertTrue(user.online)
        # routine access changes leave no chatter message: the audit trail has them
        self.assertEqual(user.api_call_ids.sorted("id").mapped("operation")[-2:],
                         ["block_subscriber", "release_subscriber"])
        self.assertFalse(any("on Olé TV (O" in (body or "")
                             for body in user.message_ids.mapped("body")))

    def test_latest_desired_state_wins(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            self.contract.action_contract_block()
            self.contract.action_contract_release()
            self.assertEqual(len(self.pending_jobs()), 1, "one waiting job per TV user")
            self.expect_get(mock, status="active")
            self.run_jobs()  # already released on the platform: no block, no release
            self.assertEqual([c.request.method for c in mock.calls], ["GET"])
        self.assertTrue(user.online)

    def test_awaiting_activation_keeps_the_wish_until_first_access(self):
        with self.mock() as mock:
            user = self.create_tv_user(mock)
        with self.mock() as mock:
            self.contract.action_contract_block()
            self.expect_get(mock, status="awaiting_activation")
            self.run_jobs()  # no block: the platform would refuse it
        self.assertEqual(user.desired_access, "blocked")
        self.assertEqual(user.platform_state, "awaiting_activation")
        with self.mock() as mock:
            user.action_refresh_from_platform()
            self.expect_get(mock, status="active")
            self.expect_access(mock, "block")
            self.run_jobs()
        self.assertEqual(user.platform_state, "blocked")

    def test_awaiting_signature_keeps_access_released(self):
        user = self._active_tv_user()
        with self.mock():  # released before and after: no platform call at all
            self.contract.action_contract_awaiting_signature()
            self.run_jobs()
        self.assertEqual(self.contract.contract_status, "awaiting_signature")
        self.assertEqual(user.desired_access, "allowed")
        self.assertTrue(user.online)

    def test_deactivated_contract_reactivates_and_releases(self):
        user = self._active_tv_user()
        with self.mock() as mock:
            self.contract.action_contract_deactivate()
            self.expect_access(mock, "block")
            self.run_jobs()
        with self.mock() as mock:
            self.contract.action_contract_activate()
            self.expect_access(mock, "release")
            self.run_jobs()
        self.assertTrue(user.online)

    def test_forbidden_transition_is_refused(self):
        self.contract.action_contract_deactivate()
        with self.assertRaises(UserError):
            self.contract.action_contract_block()

    def test_status_change_is_tracked_on_contract(self):
        self.contract.action_contract_late_notice()
        self.assertTrue(self.contract.message_ids.mapped("tracking_value_ids").filtered(
            lambda value: value.field == "contract_status"))

    def test_bulk_block_syncs_batches_without_reads_or_chatter(self):
        """Known active TV users are blocked without a read, a batch's states
        are stored together (no chatter message per TV user), every call is
        in the audit trail, and a second batch in the same transaction is
        stored too."""
        self.env["ir.config_parameter"].sudo().set_param("oletv_integration.sync_chunk_size", "2")
        contracts, users = self.make_active_tv_contracts(3)
        messages = users.mapped("message_ids")
        with self.mock() as mock:
            contracts.action_tv_bulk_block()
            self.assertEqual(set(users.mapped("sync_state")), {"pending"})
            for k in range(1, 4):
                self.expect_access(mock, "block", account="OLE-00000%d" % k)
            self.run_jobs(rounds=3)
            self.assertEqual([call.request.method for call in mock.calls], ["POST"] * 3)
        self.assertEqual(set(users.mapped("platform_state")), {"blocked"})
        self.assertEqual(set(users.mapped("sync_state")), {"synced"})
        self.assertFalse(any(users.mapped("online")))
        for contract in contracts:  # the bulk change is in the status history
            change = contract.tv_status_change_ids
            self.assertEqual((change.old_status, change.new_status, change.bulk),
                             ("active", "blocked", True))
        self.assertEqual(users.mapped("message_ids"), messages, "no chatter per TV user")
        calls = users.mapped("api_call_ids")
        self.assertEqual(sorted(calls.mapped("tv_user_id").ids), sorted(users.ids))
        self.assertEqual(set(calls.mapped("operation")), {"block_subscriber"})
        self.assertTrue(all(call.endpoint and call.status_code == 200 for call in calls))
