# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Deleting a TV user never leaves a subscriber with TV access: one whose
create was requested is archived and deleted on the platform by a job (the
create may be running, or have gone through with its answer lost), and a
deletion that failed is tried again by the scheduled reconciliation."""
from .common import SandboxCase


class TestTvUserDelete(SandboxCase):

    def live_subscribers(self):
        return [s for s in self.sandbox.state()["subscribers"] if not s["deleted"]]

    def new_user(self, **context):
        return self.env["tv.user"].with_context(**context).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})

    def test_deleted_while_its_create_job_waits(self):
        user = self.new_user()
        user.unlink()
        self.assertTrue(user.exists(), "archived until the platform confirms")
        self.assertTrue(user.to_delete)
        self.run_jobs()
        self.assertEqual(self.live_subscribers(), [])
        self.assertEqual(user.platform_state, "deleted")

    def test_deleted_after_a_create_whose_answer_was_lost(self):
        self.integration.timeout_seconds = 1
        self.sandbox.set_faults(write_timeout_rate=1.0, timeout_seconds=2)
        user = self.new_user()
        self.run_jobs()  # created on the platform, the client saw a timeout
        self.sandbox.set_faults()
        self.assertFalse(user.account_number)
        self.assertEqual(len(self.live_subscribers()), 1)
        user.unlink()
        self.assertTrue(user.exists())
        self.run_jobs()
        self.assertEqual(self.live_subscribers(), [], "no subscriber left with TV access")
        self.assertEqual(user.platform_state, "deleted")
        self.assertTrue(user.account_number, "the account it had is kept for its history")

    def test_never_requested_user_is_deleted_at_once(self):
        user = self.new_user(tv_no_platform_sync=True)
        user.unlink()
        self.assertFalse(user.exists())

    def test_failed_deletion_is_tried_again(self):
        user = self.new_user()
        self.run_jobs()
        account = user.account_number
        user.unlink()
        self.sandbox.set_ip_allowlist(True, ["192.0.2.1"])  # a permanent refusal
        self.run_jobs()
        self.assertEqual((user.sync_state, user.active), ("error", False))
        self.sandbox.set_ip_allowlist(False)
        self.env["tv.user"]._cron_reconcile()
        self.run_jobs()
        self.assertTrue(self.platform(account)["deleted"])
        self.assertEqual((user.platform_state, user.sync_state), ("deleted", "synced"))

    def test_archived_user_with_a_lost_job_is_requeued(self):
        user = self.new_user()
        self.run_jobs()
        account = user.account_number
        user.unlink()
        self.pending_jobs().unlink()  # e.g. lost with a crashed worker
        self.assertEqual(user.sync_state, "pending")
        self.env["tv.user"]._cron_reconcile()
        self.run_jobs()
        self.assertTrue(self.platform(account)["deleted"])
        self.assertEqual(user.platform_state, "deleted")
