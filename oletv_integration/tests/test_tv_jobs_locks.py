# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What only the bench exercised before: chunked sync jobs (one batch read
per chunk), the advisory lock that keeps two jobs off one TV user, and the
requeue of a sync whose job was lost."""
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

    def test_chunks_share_one_batch_read(self):
        self.users.action_create_on_platform()
        jobs = self.pending_jobs()
        self.assertEqual(sorted(len(job.record_ids) for job in jobs), [1, 2])
        self.run_jobs()
        self.assertEqual(set(self.users.mapped("sync_state")), {"synced"})
        self.assertEqual(self.sandbox.stats()["creates"], 3)
        for user in self.users:
            self.sandbox.first_access(user.account_number)
        self.users.action_refresh_from_platform()
        self.run_jobs()
        self.assertEqual(set(self.users.mapped("platform_state")), {"active"})
        self.assertEqual(self.requests("get_subscribers"), 1, "one batch read for the chunk of 2")
        self.assertEqual(self.requests("get_subscriber"), 1, "the chunk of 1 reads its user")

    def hold_lock(self, user):
        cursor = self.registry.cursor()
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_NAMESPACE, user.id))
        self.addCleanup(cursor.close)
        self.addCleanup(cursor.execute, "SELECT pg_advisory_unlock_all()")
        return cursor

    def test_user_synced_by_another_job_is_requeued_not_touched(self):
        busy = self.users[0]
        self.hold_lock(busy)
        self.users.action_create_on_platform()
        self.run_jobs()
        self.assertEqual(busy.sync_state, "pending", "left to the job holding it")
        self.assertFalse(busy.account_number)
        self.assertEqual(set((self.users - busy).mapped("sync_state")), {"synced"})
        waiting = self.pending_jobs()
        self.assertEqual([job.record_ids for job in waiting], [busy.ids])
        self.assertTrue(waiting.eta, "requeued for later")
        self.assertEqual(self.run_jobs(), 1, "a single-user job retries while locked")
        self.assertEqual(self.sandbox.stats()["creates"], 2)

    def test_lost_sync_is_requeued(self):
        user = self.users[0]
        user.action_create_on_platform()
        self.pending_jobs().unlink()  # lost with a crashed worker
        self.assertEqual(self.env["tv.user"]._requeue_lost_syncs(), 1)
        self.assertEqual(self.env["tv.user"]._requeue_lost_syncs(), 0, "a waiting job is enough")
        self.run_jobs()
        self.assertEqual(user.sync_state, "synced")
