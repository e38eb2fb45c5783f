# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scheduled reconciliation isolates each batch and each sweep: an
unknown platform status becomes a visible sync error of its TV user, and a
batch that fails (e.g. a serialization failure) is rolled back alone."""
from unittest.mock import patch

import psycopg2
import responses

from odoo.tools import mute_logger

from odoo.addons.queue_job.job import Job

from ..services.reconciliation import Reconciliation
from .common import OleTVCase, error_payload, subscriber_payload

BATCH_PARAM = "oletv_integration.reconcile_batch_size"


class TestReconcileIsolation(OleTVCase):

    def setUp(self):
        super().setUp()
        partner = self.env["res.partner"].create({"name": "Bia", "email": "bia@example.com"})
        contract = self.make_contract(partner, [self.tv_product])
        with self.mock() as mock:
            self.first = self.create_tv_user(mock, account="OLE-000001")
        with self.mock() as mock:
            self.second = self.create_tv_user(mock, account="OLE-000002", contract_id=contract.id)
        self.env["ir.config_parameter"].sudo().set_param(BATCH_PARAM, "1")
        # capacity 1: the batches are read in the scheduled action itself
        self.integration.max_concurrency = 1

    def batch_answer(self, mock, account, status):
        mock.add(responses.GET, self.url("/v1/subscribers"), json={
            "subscribers": [subscriber_payload(account=account, status=status)], "missing": []})

    def test_unknown_status_is_a_visible_error_and_the_rest_goes_on(self):
        # users are read newest first (id desc): the second, then the first
        with self.mock() as mock:
            self.batch_answer(mock, "OLE-000002", "suspended")
            self.batch_answer(mock, "OLE-000001", "active")
            self.env["tv.user"]._cron_reconcile()
        self.assertEqual(self.second.sync_state, "error")
        self.assertIn("suspended", self.second.sync_error)
        self.assertEqual(self.second.platform_state, "awaiting_activation")
        self.assertTrue(self.second.activity_ids)
        self.assertEqual(self.first.platform_state, "active", "the other batch was applied")

    def test_unknown_status_in_a_sync_job_stops_only_that_user(self):
        with self.mock() as mock:
            self.expect_get(mock, status="suspended")
            self.first.action_sync_now()
            self.assertEqual(self.run_jobs(), 0, "not retried in a loop")
        self.assertEqual(self.first.sync_state, "error")
        self.assertIn("suspended", self.first.sync_error)

    def test_a_batch_the_platform_refuses_is_skipped_and_the_next_applied(self):
        """The reads run ahead of Odoo's work in a thread of their own: a
        refused read still reaches the audit trail and skips only its batch."""
        with self.mock() as mock:
            mock.add(responses.GET, self.url("/v1/subscribers"), status=422,
                     json=error_payload("invalid_request", "Bad account list"))
            self.batch_answer(mock, "OLE-000001", "active")
            with mute_logger("odoo.addons.oletv_integration.services.reconciliation"):
                self.env["tv.user"]._cron_reconcile()
            self.assertEqual(len(mock.calls), 2)
        self.assertEqual(self.second.platform_state, "awaiting_activation", "skipped")
        self.assertEqual(self.first.platform_state, "active", "the next batch was applied")
        calls = self.env["tv.api.call"].search([("operation", "=", "get_subscribers")],
                                               order="id")
        self.assertEqual(calls.mapped("status_code")[-2:], [422, 200])

    def test_failing_batch_is_rolled_back_alone(self):
        original = Reconciliation.apply_batch
        calls = []

        def apply_batch(reconciliation, users, batch, rows=None):
            calls.append(users.ids)
            if len(calls) == 1:
                users.write({"last_check_date": "2000-01-01 00:00:00"})
                raise psycopg2.extensions.TransactionRollbackError("could not serialize access")
            return original(reconciliation, users, batch, rows)

        self.second.with_context(tracking_disable=True).write({"sync_state": "pending"})
        self.pending_jobs().unlink()  # a sync lost with its job: the sweep requeues it
        with self.mock() as mock, patch.object(Reconciliation, "apply_batch", apply_batch), \
                mute_logger("odoo.addons.oletv_integration.services.reconciliation"):
            self.batch_answer(mock, "OLE-000002", "awaiting_activation")
            self.batch_answer(mock, "OLE-000001", "active")
            self.env["tv.user"]._cron_reconcile()
        self.assertEqual(calls, [self.second.ids, self.first.ids])
        self.assertNotEqual(self.second.last_check_date, "2000-01-01 00:00:00", "rolled back")
        self.assertEqual(self.first.platform_state, "active")
        self.assertEqual(len(self.pending_jobs()), 1, "the requeue sweep still ran")

    def test_batch_reads_are_spread_over_the_channel_capacity(self):
        """With a capacity above one, the scheduled action queues a job per
        share of the batch reads on the platform calls' channel; each job
        reads and applies its batches."""
        self.integration.max_concurrency = 2
        self.pending_jobs().unlink()
        with self.mock() as mock:
            self.env["tv.user"]._cron_reconcile()
            self.assertEqual(len(mock.calls), 0, "no read in the scheduled action")
        jobs = self.env["queue.job"].search([("method_name", "=", "_tv_reconcile_job")])
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("channel")),
                         {"root.oletv.sync"})
        self.assertEqual(sorted(len(job.args[1]) for job in jobs), [1, 1], "one batch each")
        with self.mock() as mock:
            self.batch_answer(mock, "OLE-000002", "active")
            self.batch_answer(mock, "OLE-000001", "active")
            for record in jobs:
                Job.load(self.env, record.uuid).perform()
            self.assertEqual(len(mock.calls), 2)
        self.assertEqual((self.first.platform_state, self.second.platform_state),
                         ("active", "active"), "first accesses seen by the jobs")
