# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduled reconciliation: reads TV users from the platform in batches
(users awaiting their first access, then a rolling spot-check of the
others), detects first accesses and deletions on the panel, queues a sync
job where the platform differs from what Odoo wants, and requeues work a
crashed worker left behind. Each batch and each sweep runs in a savepoint
of its own: one failing (an unexpected answer, a serialization failure)
is logged and rolled back, the others still run."""
import logging
from datetime import timedelta

from odoo import _, api, fields, models

from .. import oletv_client as ole
from .. import sync_plan as plan
from .tv_api_call import CallRecorder

_logger = logging.getLogger(__name__)

STALE_JOB_MINUTES_PARAM = "oletv_integration.stale_job_minutes"
SPOT_CHECK_PARAM = "oletv_integration.reconcile_spot_check"
BATCH_PARAM = "oletv_integration.reconcile_batch_size"
DEFAULT_BATCH = ole.BATCH_SIZE


class TvUser(models.Model):
    _inherit = "tv.user"

    @api.model
    def _cron_reconcile(self):
        failures = 0
        for integration in self.env["tv.integration"].search([]):
            failures += self._reconcile_integration(integration)
        for sweep in (self._requeue_stale_jobs, self._requeue_lost_syncs,
                      self._requeue_failed_deletions):
            failures += not self._isolated(sweep.__name__, sweep)
        return failures == 0

    def _isolated(self, what, function, *args):
        """Run function in a savepoint; on failure roll it back, log it and
        return False (the caller goes on with the next batch)."""
        try:
            with self.env.cr.savepoint():
                function(*args)
            return True
        except Exception:
            _logger.exception("TV reconciliation: %s failed; rolled back, the rest goes on.",
                              what)
            self.invalidate_cache()
            return False

    def _reconcile_integration(self, integration):
        spot_check = int(self.env["ir.config_parameter"].sudo().get_param(SPOT_CHECK_PARAM, 1000))
        base = [("integration_id", "=", integration.id), ("to_delete", "=", False),
                ("account_number", "!=", False)]
        awaiting = self.search(base + [("platform_state", "=", "awaiting_activation")])
        others = self.search(base + [("platform_state", "in", ("active", "blocked")),
                                     ("sync_state", "=", "synced")],
                             order="last_check_date, id", limit=spot_check)
        users = awaiting | others
        size = max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            BATCH_PARAM, DEFAULT_BATCH)))
        failures = 0
        for start in range(0, len(users), size):
            batch_users = users[start:start + size]
            failures += not self._isolated(
                "batch of integration %d at %d" % (integration.id, start),
                self._reconcile_batch, integration, batch_users)
        return failures

    def _reconcile_batch(self, integration, users):
        """Read one batch of TV users from the platform and apply it; False
        when the platform could not be read (the next run tries again)."""
        # Only the columns the comparison needs, in one read: touching a field
        # on 10,000 records would prefetch every column (and compute the
        # related ones) of all of them.
        rows = {row["id"]: row for row in users.read(
            ["account_number", "platform_state", "desired_access", "product_id"], load=None)}
        calls = CallRecorder()
        try:
            with integration._client(calls) as client:
                batch = client.get_subscribers([row["account_number"] for row in rows.values()])
        except ole.OleTVError as exc:
            _logger.warning("TV reconciliation of integration %s skipped: %s", integration.id, exc)
            return False
        finally:
            self.env["tv.api.call"]._record(integration, calls)
        self._apply_batch(users, batch, rows)
        return True

    def _apply_batch(self, users, batch, rows=None):
        if rows is None:
            rows = {row["id"]: row for row in users.read(
                ["account_number", "platform_state", "desired_access", "product_id"], load=None)}
        by_account = {row["account_number"]: row for row in rows.values()}
        packages = {}  # product id -> (main, additional): the same few products for everyone
        to_sync = []
        for subscriber in batch.subscribers:
            row = by_account.get(subscriber.account_number)
            if not row:
                continue
            if subscriber.status not in ole.STATUSES:
                self.browse(row["id"])._tv_unknown_status(subscriber)
                continue
            if subscriber.status != row["platform_state"]:
                # tracked: first access shows in chatter
                self.browse(row["id"]).platform_state = subscriber.status
            if row["product_id"] not in packages:
                packages[row["product_id"]] = self.env["product.product"].browse(
                    row["product_id"]).product_tmpl_id.tv_package_codes()
            if self._differs(row["desired_access"], packages[row["product_id"]], subscriber):
                to_sync.append(row["id"])
        for account in batch.missing:
            if account in by_account:
                self.browse(by_account[account]["id"])._tv_mark_deleted()
        # a technical timestamp, not tracked: skip the chatter's tracking pass
        users.with_context(tracking_disable=True).write(
            {"last_check_date": fields.Datetime.now()})
        self.browse(to_sync)._tv_request_sync()

    def _tv_unknown_status(self, subscriber):
        """Shown as a sync error (with an activity); the next run reads it again."""
        message = self._tv_unknown_status_message(subscriber)
        if self.sync_state == "error" and self.sync_error == message:
            return
        self.write({"sync_state": "error", "sync_error": message})
        self.message_post(body=message)
        self._tv_schedule_activity(_("Olé TV answered an unknown status"), message)

    @staticmethod
    def _differs(desired_access, package_codes, subscriber):
        main, additional = package_codes
        return plan.needs_sync(plan.Desired(
            to_delete=False, platform_state=subscriber.status,
            account_number=subscriber.account_number, external_ref=None,
            packages=(main, tuple(additional)), access=desired_access), subscriber)

    @api.model
    def _requeue_lost_syncs(self):
        """TV users still pending with no wake-up waiting (e.g. one lost with
        a crashed worker): wake their integrations (identity keys skip a
        wake-up already waiting). Returns the wake-ups queued."""
        return sum(self._tv_wake(integration_id, count) for integration_id, count
                   in self._tv_pending_by_integration().items() if integration_id)

    @api.model
    def _requeue_failed_deletions(self):
        """A TV user removed in Odoo whose deletion on the platform failed
        (refused, or its job failed) may still give TV access: try again at
        each run until the platform confirms."""
        failed = self.with_context(active_test=False).search([
            ("to_delete", "=", True), ("sync_state", "=", "error"),
            ("platform_state", "!=", "deleted")])
        failed._tv_request_sync()
        return len(failed)

    @api.model
    def _requeue_stale_jobs(self):
        """A worker killed mid-job leaves its job 'started' for ever; the job
        is idempotent, so after a while it is safe to run it again."""
        minutes = float(self.env["ir.config_parameter"].sudo().get_param(STALE_JOB_MINUTES_PARAM, 15))
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(minutes=minutes))
        stale = self.env["queue.job"].sudo().search([
            ("model_name", "=", self._name), ("method_name", "=", "_tv_sync_job"),
            ("state", "in", ("started", "enqueued")), ("date_enqueued", "<", limit)])
        if stale:
            _logger.warning("Requeuing %d TV sync job(s) left behind by a stopped worker.", len(stale))
            stale.requeue()
        return len(stale)
