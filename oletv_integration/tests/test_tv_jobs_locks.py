# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue: wake-ups per integration (a burst makes a handful of jobs,
one batch read per claimed batch), the advisory lock that keeps two jobs
off one TV user, jobs queued by the first releases, and the requeue of a
sync whose wake-up was lost."""
from .common import SandboxCase

CHUNK_PARAM = "oletv_integration.sync_chunk_size"
LOCK_NAMESPACE = 7416


class TestJobsLocks(SandboxCase):

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param(CHUNK_PARAM, "2")
        model = self.env["tv.user"].with_context(tv_no_platform_sync=True)
        self.users = self.env["tv.user"].browse([model.create({
            "contract_id": self.contract.id, "product_id": self.tv_product.id,
            "use_main_email": False, "login": "u%d@example.com" % index}).id
            for index in range(3)])

    def requests(self, operation):
        return self.sandbox.stats()["requests"].get(operation, 0)

    def test_wake_ups_claim_batches_with_one_batch_read(self):
        self.users.action_create_on_platform()
        jobs = self.pending_jobs()
        self.assertEqual(len(jobs), 2, "3 TV users in batches of 2: two wake-ups")
        self.assertEqual({job.record_ids == [] for job in jobs}, {True})
        self.assertEqual({job.channel for job in jobs},
                         {"root.oletv.integration_%d" % self.integration.id})
        self.users.action_create_on_platform()  # a second click: no new job
        self.assertEqual(self.pending_jobs(), jobs)
        self.run_jobs(rounds=2)
        self.assertEqual(set(self.users.mapped("sync_state")), {"synced"})
        self.assertEqual(self.sandbox.stats()["creates"], 3)
        self.assertFalse(self.pending_jobs(), "nothing pending: no wake-up left")
        for user in self.users:
            self.sandbox.first_access(user.account_number)
        self.users.action_refresh_from_platform()
        self.run_jobs(rounds=2)
        self.assertEqual(set(self.users.mapped("platform_state")), {"active"})
        self.assertEqual(self.requests("get_subscribers"), 1, "one batch read for the batch of 2")
        self.assertEqual(self.requests("get_subscriber"), 1, "the batch of 1 reads its user")

    def hold_lock(self, user):
        cursor = self.registry.cursor()
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, user.id))
        self.addCleanup(cursor.close)
        self.addCleanup(cursor.execute, "SELECT pg_advisory_unlock_all()")
        return cursor

    def test_user_synced_by_another_job_is_left_pending_not_touched(self):
        busy = self.users[0]
        cursor = self.hold_lock(busy)
        self.users.action_create_on_platform()
        self.run_jobs(rounds=3)
        self.assertEqual(busy.sync_state, "pending", "left to the job holding it")
        self.assertFalse(busy.account_number)
        self.assertEqual(set((self.users - busy).mapped("sync_state")), {"synced"})
        self.assertEqual(self.sandbox.stats()["creates"], 2)
        self.assertFalse(self.pending_jobs(), "no wake-up spins on it: its holder finishes it")
        cursor.execute("SELECT pg_advisory_unlock_all()")
        # a holder that died: the reconciliation's lost-sync sweep wakes it
        self.assertEqual(self.env["tv.user"]._requeue_lost_syncs(), 1)
        self.run_jobs()
        self.assertEqual(busy.sync_state, "synced")
        self.assertEqual(self.sandbox.stats()["creates"], 3)

    def test_job_of_the_first_release_still_syncs_its_users(self):
        """Jobs queued before the upgrade: tv.user(ids)._tv_sync_job()."""
        self.users[:2].with_delay()._tv_sync_job()
        self.env["tv.user"].sudo().browse(self.users[:2].ids).write({"sync_state": "pending"})
        self.run_jobs()
        self.assertEqual(self.users[:2].mapped("sync_state"), ["synced", "synced"])
        self.assertEqual(self.sandbox.stats()["creates"], 2)

    def test_lost_sync_is_requeued(self):
        user = self.users[0]
        user.action_create_on_platform()
        self.pending_jobs().unlink()  # lost with a crashed worker
        self.assertEqual(self.env["tv.user"]._requeue_lost_syncs(), 1)
        self.assertEqual(self.env["tv.user"]._requeue_lost_syncs(), 0, "a waiting job is enough")
        self.run_jobs()
        self.assertEqual(user.sync_state, "synced")
