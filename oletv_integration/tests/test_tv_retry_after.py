# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A 429's Retry-After is honoured within a cap (system parameter), and a
new wish does not wait behind a job parked by it."""
import responses

from .common import OleTVCase, error_payload

CAP_PARAM = "oletv_integration.retry_after_max_seconds"


class TestRetryAfter(OleTVCase):

    def wait_of(self, job):
        eta = self.env["queue.job"]._fields["eta"].from_string
        return (eta(job.eta) - eta(job.date_created)).total_seconds() if job.eta else 0

    def rate_limited(self, seconds):
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers/OLE-000001"), status=429,
                     headers={"Retry-After": str(seconds)},
                     json=error_payload("rate_limited", "Slow down"))
            self.run_jobs()

    def test_far_future_retry_after_is_capped_and_a_new_wish_moves_on(self):
        self.env["ir.config_parameter"].sudo().set_param(CAP_PARAM, "120")
        with self.mock() as mock:
            user = self.create_tv_user(mock, status="active")
        user.action_sync_now()
        self.rate_limited(86400 * 30)
        job = self.pending_jobs()
        self.assertTrue(110 <= self.wait_of(job) <= 130, self.wait_of(job))
        self.contract.action_contract_block()  # the latest wish
        self.assertEqual(self.pending_jobs(), job, "the waiting job is reused...")
        self.assertFalse(job.eta, "...and runs now")
        with self.mock() as mock:
            self.expect_access(mock, "block")  # known active: no read first
            self.run_jobs()
        self.assertEqual((user.platform_state, user.sync_state), ("blocked", "synced"))

    def test_a_new_wish_of_another_transaction_does_not_wait_behind_the_parked_job(self):
        """In production the parked job was queued by an earlier transaction
        (its key names that one): the new wish queues a wake-up of its own,
        which runs now, and leaves the parked one as it is."""
        with self.mock() as mock:
            user = self.create_tv_user(mock, status="active")
        user.action_sync_now()
        self.rate_limited(300)
        parked = self.pending_jobs()
        self.assertTrue(parked.eta)
        # as if queued by another transaction (the key's last part)
        parked.write({"identity_key": parked.identity_key.rsplit("-", 1)[0] + "-1"})
        eta = parked.eta
        self.contract.action_contract_block()  # the latest wish
        new = self.pending_jobs() - parked
        self.assertEqual(len(new), 1)
        self.assertFalse(new.eta, "the new wish runs now")
        self.assertEqual(parked.eta, eta, "the parked job is left as it is")
        with self.mock() as mock:
            self.expect_access(mock, "block")
            self.run_jobs()
        self.assertEqual((user.platform_state, user.sync_state), ("blocked", "synced"))

    def test_retry_after_below_the_cap_is_honoured(self):
        with self.mock() as mock:
            self.create_tv_user(mock, status="active").action_sync_now()
        self.rate_limited(300)
        self.assertTrue(290 <= self.wait_of(self.pending_jobs()) <= 310)
