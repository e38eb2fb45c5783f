# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A request and a job changing the same TV user at once: PostgreSQL
(repeatable read) refuses the later writer. The job leaves such a row to a
job of its own, and a request fails before its writes with the error Odoo
retries; neither logs an ERROR line (odoo.sql_db's "bad query")."""
from unittest.mock import patch

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests.common import TransactionCase, at_install, post_install

from ..services.row_locks import RowLocks
from ..services.wake_ups import WakeUps


@at_install(False)
@post_install(True)
class TestConcurrentWrites(TransactionCase):
    """Two real transactions beside the test's: the test's own records are
    invisible to them, so these use a committed TV user of the database and
    change nothing in it (the other transaction rewrites a value as is)."""

    def setUp(self):
        super().setUp()
        self.user_id = self.env["tv.user"].with_context(active_test=False).search(
            [], limit=1, order="id").id
        if not self.user_id:
            self.skipTest("no committed TV user in this database")
        self.job_cr = self.registry.cursor()
        self.other_cr = self.registry.cursor()
        self.addCleanup(self.job_cr.close)
        self.addCleanup(self.other_cr.close)

    def changed_by_another_transaction(self):
        """The job's snapshot is taken, then another transaction commits a
        change of the TV user's row."""
        self.job_cr.execute("SELECT 1")
        self.other_cr.execute("UPDATE tv_user SET write_date = write_date WHERE id = %s",
                              (self.user_id,))
        self.other_cr.commit()
        return api.Environment(self.job_cr, SUPERUSER_ID, {})["tv.user"].browse(self.user_id)

    def test_job_leaves_a_row_changed_meanwhile_to_a_job_of_its_own(self):
        user = self.changed_by_another_transaction()
        with patch("odoo.sql_db._logger.error") as logged:
            self.assertFalse(RowLocks(user.env).lock_rows(user), "not written by this job")
        self.assertFalse(logged.called, "no ERROR line")
        jobs = user.env["queue.job"].search([("model_name", "=", "tv.user"),
                                             ("method_name", "=", "_tv_sync_job")])
        self.assertIn([self.user_id], jobs.mapped("record_ids"),
                      "a job of its own checks it again")
        self.job_cr.rollback()

    def test_job_leaves_a_row_a_request_holds(self):
        self.other_cr.execute("SELECT id FROM tv_user WHERE id = %s FOR NO KEY UPDATE",
                              (self.user_id,))
        user = api.Environment(self.job_cr, SUPERUSER_ID, {})["tv.user"].browse(self.user_id)
        with patch("odoo.sql_db._logger.error") as logged:
            self.assertFalse(RowLocks(user.env).lock_rows(user))
        self.assertFalse(logged.called)
        self.other_cr.rollback()
        self.job_cr.rollback()

    def test_unchanged_rows_are_locked_for_the_job(self):
        self.job_cr.execute("SELECT 1")
        user = api.Environment(self.job_cr, SUPERUSER_ID, {})["tv.user"].browse(self.user_id)
        self.assertEqual(RowLocks(user.env).lock_rows(user), user)
        self.job_cr.rollback()

    def test_request_fails_early_with_the_error_odoo_retries(self):
        user = self.changed_by_another_transaction()
        with patch("odoo.sql_db._logger.error") as logged, \
                self.assertRaises(psycopg2.extensions.TransactionRollbackError):
            user._tv_lock_for_request("id IN %s", ((self.user_id,),))
        self.assertFalse(logged.called, "no ERROR line")
        self.job_cr.rollback()

    def test_claim_probe_sees_a_row_stored_by_another_job_since_the_snapshot(self):
        """A wake-up whose snapshot predates another job's commit still sees
        that job's TV users pending: the probe says so (no second platform
        call), and leaves no lock behind."""
        user = self.changed_by_another_transaction()
        with patch("odoo.sql_db._logger.error") as logged:
            self.assertTrue(RowLocks(user.env).changed_since_snapshot(user))
        self.assertFalse(logged.called, "no ERROR line")
        self.job_cr.rollback()

    def test_claim_probe_passes_unchanged_rows_and_keeps_no_lock(self):
        self.job_cr.execute("SELECT 1")
        user = api.Environment(self.job_cr, SUPERUSER_ID, {})["tv.user"].browse(self.user_id)
        self.assertFalse(RowLocks(user.env).changed_since_snapshot(user))
        # the probe's row lock was released: another transaction locks the row at once
        self.other_cr.execute("SELECT id FROM tv_user WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                              (self.user_id,))
        self.other_cr.rollback()
        self.job_cr.rollback()

    def test_claim_probe_passes_a_row_a_request_holds(self):
        self.other_cr.execute("SELECT id FROM tv_user WHERE id = %s FOR NO KEY UPDATE",
                              (self.user_id,))
        user = api.Environment(self.job_cr, SUPERUSER_ID, {})["tv.user"].browse(self.user_id)
        self.assertFalse(RowLocks(user.env).changed_since_snapshot(user), "the store handles it")
        self.other_cr.rollback()
        self.job_cr.rollback()

    def test_one_waiting_wake_up_per_slot_within_a_transaction_none_shared_across(self):
        """The scope of the wake-up key (core/sync_plan.py, WAKE_KEY): a
        transaction reuses its own waiting wake-up of a slot, never one that
        another transaction queued and committed (the runner may start that
        one before this transaction commits: its snapshot would miss this
        transaction's TV users, a wish lost until the reconciliation)."""
        integration_id = self.env["tv.user"].with_context(active_test=False).browse(
            self.user_id).integration_id.id
        if not integration_id:
            self.skipTest("the committed TV user has no integration")
        slot_zero = [("identity_key", "=like", "oletv-sync-%d-0-%%" % integration_id),
                     ("state", "=", "pending")]
        other = WakeUps(api.Environment(self.other_cr, SUPERUSER_ID, {}))
        self.assertEqual(other.wake(integration_id, 1, slots=1), 1)
        committed = other.env["queue.job"].search(slot_zero, order="id desc", limit=1)
        self.other_cr.commit()
        self.addCleanup(self.other_cr.commit)
        self.addCleanup(self.other_cr.execute, "DELETE FROM queue_job WHERE id = %s",
                        (committed.id,))
        mine = WakeUps(api.Environment(self.job_cr, SUPERUSER_ID, {}))
        self.assertIn(committed, mine.env["queue.job"].search(slot_zero), "seen waiting")
        self.assertEqual(mine.wake(integration_id, 1, slots=1), 1,
                         "a wake-up of its own beside the other transaction's")
        self.assertEqual(mine.wake(integration_id, 1, slots=1), 0,
                         "its own reused within the transaction")
        waiting = mine.env["queue.job"].search(slot_zero + [("id", ">=", committed.id)])
        self.assertEqual(len(waiting), 2)
        self.assertEqual(len(set(waiting.mapped("identity_key"))), 2)
        self.job_cr.rollback()
