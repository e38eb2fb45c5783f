# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What the sync relies on from queue_job's public API (services/wake_ups.py),
pinned so an upgrade of queue_job that changes it fails here first:
identity keys dedupe only waiting jobs, max_retries=0 retries for ever,
RetryableJobError's seconds win over the retry_pattern, which backs off, and
a parked job is re-timed through Job (load, eta, store) as the runner does."""
from datetime import datetime, timedelta

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from ..core.sync_plan import RETRY_PATTERN, WAKE_KEY
from ..services.wake_ups import WakeUps
from .common import OleTVCase


class TestQueueJobContract(OleTVCase):

    def wake(self):
        return self.env["tv.user"].browse().with_delay(
            identity_key=WAKE_KEY % (self.integration.id, 0, 1),
            max_retries=0)._tv_sync_job(self.integration.id)

    def test_identity_key_dedupes_waiting_jobs_only(self):
        first = self.wake()
        self.assertEqual(self.wake().uuid, first.uuid, "pending: reused")
        record = first.db_record()
        record.state = "enqueued"
        self.assertEqual(self.wake().uuid, first.uuid, "enqueued: reused")
        record.state = "started"
        self.assertNotEqual(self.wake().uuid, first.uuid, "running: a new one waits")

    def test_retries_for_ever_with_the_pattern_or_the_given_seconds(self):
        job = Job.load(self.env, self.wake().uuid)
        self.assertEqual(job.max_retries, 0)
        for retry in range(1, 12):
            job.retry = retry - 1
            job.perform()  # max_retries=0: never FailedJobError
            self.assertEqual(job.retry, retry)
            before = datetime.now()
            job.postpone()
            wanted = max(s for count, s in RETRY_PATTERN.items() if retry >= count)
            self.assertAlmostEqual((job.eta - before).total_seconds(), wanted, delta=2)
        error = RetryableJobError("429", seconds=42)
        before = datetime.now()
        job.postpone(seconds=error.seconds)
        self.assertLess(abs(job.eta - before - timedelta(seconds=42)), timedelta(seconds=2))

    def test_a_new_wish_runs_a_parked_wake_up_now(self):
        """WakeUps.wake without eta finds this transaction's wake-up parked
        (an eta: Retry-After, busy TV users): it runs now, the same job, its
        state, retries, limit and identity kept."""
        wake_ups = WakeUps(self.env)
        self.assertEqual(wake_ups.wake(self.integration.id, 1, eta=600, slots=1), 1)
        record = self.env["queue.job"].search([("method_name", "=", "_tv_sync_job")])
        job = Job.load(self.env, record.uuid)
        job.retry = 3
        job.store()
        self.assertTrue(record.eta)
        self.assertEqual(wake_ups.wake(self.integration.id, 1, eta=30, slots=1), 0)
        self.assertTrue(record.eta, "a later time leaves it parked")
        self.assertEqual(wake_ups.wake(self.integration.id, 1, slots=1), 0)
        record.invalidate_cache()
        self.assertFalse(record.eta)
        self.assertEqual((record.state, record.retry, record.max_retries, record.identity_key),
                         ("pending", 3, 0, job.identity_key))
        self.assertEqual(self.env["queue.job"].search([("method_name", "=", "_tv_sync_job")]),
                         record)
