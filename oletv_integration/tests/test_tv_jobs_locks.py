# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue: wake-ups per integration (a burst makes a handful of jobs,
one batch read per claimed batch), the advisory lock that keeps two jobs
off one TV user, jobs queued by the first releases, and the requeue of a
sync whose wake-up was lost."""
from unittest import mock

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from odoo.exceptions import UserError

from ..services import platform_slots
from ..services.platform_slots import PLATFORM_SLOT_NAMESPACE
from .common import SandboxCase
from .security_common import make_role_users

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
        self.integration.max_concurrency = 2
        self.users.action_create_on_platform()
        jobs = self.pending_jobs()
        self.assertEqual(len(jobs), 2, "3 TV users in batches of 2: two wake-ups")
        self.assertEqual({job.record_ids == [] for job in jobs}, {True})
        self.assertEqual({job.channel for job in jobs},
                         {"root.oletv.sync"})
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

    def claimed(self, job_record):
        """Run one wake-up; the TV users it synced and the wake-ups it queued."""
        before = self.pending_jobs() - job_record
        pending = self.users.filtered(lambda user: user.sync_state == "pending")
        job = Job.load(self.env, job_record.uuid)
        job.set_started()
        job.store()  # as the runner: the running wake-up is no longer a waiting one
        job.perform()
        job.set_done()
        job.store()
        self.users.invalidate_cache()
        synced = pending.filtered(lambda user: user.sync_state == "synced")
        return synced, self.pending_jobs() - before

    def test_pending_users_are_shared_over_the_capacity(self):
        """A few TV users on a channel of 4: one wake-up each, in parallel,
        rather than one job syncing them one after the other."""
        self.env["ir.config_parameter"].sudo().set_param(CHUNK_PARAM, "50")
        self.integration.max_concurrency = 4
        self.users.action_create_on_platform()
        jobs = self.pending_jobs()
        self.assertEqual(len(jobs), 3)
        (jobs - jobs[0]).write({"state": "started"})  # the other slots are running
        synced, queued = self.claimed(jobs[0])
        self.assertEqual(len(synced), 1, "a share: 3 pending on 4 slots")
        self.assertEqual(len(queued), 1, "one successor while TV users wait, not one per slot")

    def test_a_finished_wake_up_queues_one_successor_then_none(self):
        self.integration.max_concurrency = 1
        self.users.action_create_on_platform()
        first = self.pending_jobs()
        self.assertEqual(len(first), 1)
        synced, queued = self.claimed(first)
        self.assertEqual(len(synced), 2, "capacity 1: the chunk size (2)")
        self.assertEqual(len(queued), 1)
        synced, queued = self.claimed(queued)
        self.assertEqual(len(synced), 1)
        self.assertFalse(queued, "nothing pending: no successor")

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

    def hold_platform_slots(self, count):
        """Another connection's jobs hold `count` platform slots of the
        integration (never waited for: this test's transaction may hold one)."""
        cursor = self.registry.cursor()
        self.addCleanup(cursor.close)
        self.addCleanup(cursor.execute, "SELECT pg_advisory_unlock_all()")
        cursor.execute("SELECT bool_and(pg_try_advisory_lock(%s, %s * 1000 + slot)) "
                       "FROM generate_series(0, %s) AS slot",
                       (PLATFORM_SLOT_NAMESPACE, self.integration.id, count - 1))
        self.assertTrue(cursor.fetchone()[0], "the slots are free")
        return cursor

    def test_jobs_call_the_platform_within_the_integrations_slots(self):
        """Every integration shares one channel: its Concurrent platform calls
        are the addon's to keep. With every slot taken by jobs running
        elsewhere, its jobs are postponed (retries untouched) and call
        nothing; a free slot lets them through."""
        self.integration.max_concurrency = 2
        cursor = self.hold_platform_slots(2)
        self.users.action_create_on_platform()
        self.users[:1].with_delay(channel="root.oletv.sync")._tv_sync_job()  # a job of given users
        self.run_jobs()
        self.assertEqual(self.sandbox.stats()["creates"], 0)
        # left pending to a wake-up of their integration, which waits (retries untouched)
        self.assertEqual(set(self.users.mapped("sync_state")), {"pending"})
        waiting = self.pending_jobs().filtered(lambda job: not job.record_ids)
        self.assertTrue(waiting)
        self.assertEqual(set(waiting.mapped("retry")), {0})
        cursor.execute("SELECT pg_advisory_unlock(%s, %s * 1000 + 1)",
                       (PLATFORM_SLOT_NAMESPACE, self.integration.id))  # one slot free
        self.run_jobs(rounds=3)
        self.assertEqual(set(self.users.mapped("sync_state")), {"synced"})
        self.assertEqual(self.sandbox.stats()["creates"], 3)

    def test_a_busy_wake_up_ends_when_another_waits(self):
        """No pile of wake-ups retrying every two seconds behind a busy
        integration: one waits, the others end (the one waiting claims
        every TV user pending)."""
        self.integration.max_concurrency = 2
        self.hold_platform_slots(2)
        self.users.action_create_on_platform()
        first, second = self.pending_jobs()
        self.assertIn("another wake-up waits", self.perform(first))
        with self.assertRaises(RetryableJobError):
            self.perform(second)

    def perform(self, record):
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        result = job.perform()
        job.set_done()
        job.store()
        return result

    def test_a_job_writes_the_chatter_in_the_language_of_who_queued_it(self):
        """queue_job's runner calls a job over HTTP with Odoo's en_US: the
        job's tracked changes and messages are in its user's language."""
        operator = make_role_users(self.env, self.env.user.company_id, "lang")["operator"]
        operator.lang = "pt_BR"
        user = self.users[:1]
        user.sudo().write({"sync_state": "pending"})
        record = user.sudo(operator).with_delay(channel="root.oletv.sync")._tv_sync_job()
        runner_env = self.env(context=dict(self.env.context, lang="en_US"))
        before = user.message_ids
        job = Job.load(runner_env, record.uuid)
        job.set_started()
        job.perform()
        self.assertEqual(user.platform_state, "awaiting_activation")
        descriptions = (user.message_ids - before).mapped("tracking_value_ids.field_desc")
        self.assertIn("Status na plataforma", descriptions)
        self.assertNotIn("Platform State", descriptions)

    def test_a_managers_click_takes_a_slot_or_is_refused_calling_nothing(self):
        """Test connection and Sync catalog call the platform at once: with
        every slot taken by jobs they wait a moment, then are refused in
        words, before any call; a free slot lets them through."""
        manager = make_role_users(self.env, self.env.user.company_id, "slots")["manager"]
        integration = self.integration.sudo(manager)
        self.integration.max_concurrency = 2
        cursor = self.hold_platform_slots(2)
        before = self.sandbox.stats()["total_requests"]
        with mock.patch.object(platform_slots, "CLICK_WAIT_SECONDS", 0.3):
            for click in (integration.action_test_connection, integration.action_sync_catalog):
                with self.assertRaises(UserError) as refused, self.env.cr.savepoint():
                    click()
                self.assertIn("concurrent platform calls", refused.exception.name)
        self.assertEqual(self.sandbox.stats()["total_requests"], before, "nothing called")
        cursor.execute("SELECT pg_advisory_unlock(%s, %s * 1000 + 1)",
                       (PLATFORM_SLOT_NAMESPACE, self.integration.id))  # one slot free
        self.assertTrue(integration.action_test_connection())
        self.assertEqual(self.sandbox.stats()["total_requests"], before + 1)

    def test_reconciliation_reads_wait_for_a_platform_slot(self):
        self.integration.max_concurrency = 2
        for index, user in enumerate(self.users):
            user.write({"account_number": "OLE-R-%d" % index, "platform_state": "active",
                        "sync_state": "synced"})
        cursor = self.hold_platform_slots(2)
        reads = self.requests("get_subscribers")
        with self.assertRaises(RetryableJobError):
            self.env["tv.user"]._tv_reconcile_job(self.integration.id, [self.users.ids])
        self.assertEqual(self.requests("get_subscribers"), reads, "postponed before any read")
        cursor.execute("SELECT pg_advisory_unlock_all()")
        self.env["tv.user"]._tv_reconcile_job(self.integration.id, [self.users.ids])
        self.assertEqual(self.requests("get_subscribers"), reads + 1, "a slot free: read")

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

    def test_a_batch_reads_no_odoo_user_per_tv_user(self):
        """Odoo's `_` takes the uid from a local variable named `user` of its
        caller: the services name a TV user `tv_user`, or each translated
        line of a batch would read a res.users row (the query count of the
        engine grows per TV user, and the text follows that user's language)."""
        self.users.action_create_on_platform()
        self.run_jobs(rounds=2)
        for user in self.users:
            self.sandbox.first_access(user.account_number)
        self.users.action_refresh_from_platform()
        self.run_jobs(rounds=2)
        self.contract.action_contract_block()
        cursor_class = type(self.env.cr)
        original, queries = cursor_class.execute, []

        def execute(cursor, query, *args, **kwargs):
            queries.append(str(query))
            return original(cursor, query, *args, **kwargs)
        with mock.patch.object(cursor_class, "execute", execute):
            self.run_jobs(rounds=2)
        self.assertEqual(set(self.users.mapped("platform_state")), {"blocked"})
        self.assertFalse([query for query in queries if '"res_users"' in query])
