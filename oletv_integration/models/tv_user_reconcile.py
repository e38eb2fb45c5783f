# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Scheduled reconciliation of the TV users with the platform: reads them
in batches (users awaiting their first access, then a rolling spot-check of
the others), detects first accesses and deletions on the panel, queues a
sync where the platform differs from what Odoo wants, and requeues work a
crashed worker left behind. Each batch and each sweep runs in a savepoint
of its own: one failing is logged and rolled back, the others still run."""
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError

from .. import oletv_client as ole
from ..core import sync_plan as plan
from ..core.read_ahead import ReadAhead
from .tv_api_call import CallRecorder

_logger = logging.getLogger(__name__)

# Scheduled reconciliation
STALE_JOB_MINUTES_PARAM = "oletv_integration.stale_job_minutes"
SPOT_CHECK_PARAM = "oletv_integration.reconcile_spot_check"
BATCH_PARAM = "oletv_integration.reconcile_batch_size"
DEFAULT_BATCH = ole.BATCH_SIZE


class _ReaderCalls:
    """The client's call observer in a reconciliation job: the reader thread
    points it at each batch's own recorder before reading."""
    calls = None

    def __call__(self, record):
        self.calls(record)


# tv.user is split by concern on purpose (see tv_user.py's docstring)
class TvUser(models.Model):
    _inherit = "tv.user"  # pylint: disable=consider-merging-classes-inherited

    # == scheduled reconciliation ==============================================

    @api.model
    def _cron_reconcile(self):
        failures = 0
        # a handful of integrations
        for integration in self.env["tv.integration"].search([]):  # pylint: disable=no-search-all
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
        user_ids = (awaiting | others).ids
        size = max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            BATCH_PARAM, DEFAULT_BATCH)))
        batches = [user_ids[start:start + size] for start in range(0, len(user_ids), size)]
        shares = plan.reconcile_shares(len(batches), integration.max_concurrency)
        if len(shares) == 1:  # one job's worth: here
            return self._reconcile_batches(integration, batches)
        # the batch reads spread over the integration's channel (its capacity)
        for share in shares:
            self.browse()._tv_quiet_jobs().with_delay(
                channel=plan.channel_of(integration.id), max_retries=1,
                description=_("Olé TV: reconcile %(count)d TV users of %(name)s") % {
                    "count": sum(len(batches[index]) for index in share),
                    "name": integration.name},
            )._tv_reconcile_job(integration.id, [batches[index] for index in share])
        return 0

    @job(default_channel=plan.JOB_CHANNEL)
    @api.model
    def _tv_reconcile_job(self, integration_id, batches):
        """Olé TV: reconcile a share of an integration's TV users"""
        model = self.sudo().with_context(active_test=False)
        integration = model.env["tv.integration"].browse(integration_id).exists()
        if not integration:
            return _("The TV integration no longer exists: nothing to do.")
        failures = model._reconcile_batches(integration, batches)
        return _("%(count)d batch(es) read, %(failures)d failed (logged).") % {
            "count": len(batches), "failures": failures}

    def _reconcile_batches(self, integration, batches):
        """Read each batch of TV user ids from the platform and apply it in a
        savepoint of its own; returns the failures. The reads run one batch
        ahead of Odoo's work on them (read_ahead.py), still one platform call
        at a time. A batch the platform could not be read is skipped (the
        next run reads it again)."""
        # Only the columns the comparison needs, in one query for all batches
        # (the job's transaction sees one snapshot; an ORM read of 2,500 TV
        # users costs a quarter of a second before the first platform read)
        self.env.cr.execute(
            "SELECT id, account_number, platform_state, desired_access, product_id "
            "FROM tv_user WHERE id = ANY(%s)",
            ([user_id for user_ids in batches for user_id in user_ids],))
        rows = {row["id"]: row for row in self.env.cr.dictfetchall()}
        batches = [ids for ids in ([user_id for user_id in user_ids if user_id in rows]
                                   for user_ids in batches) if ids]
        observer = _ReaderCalls()
        try:
            client = integration._client(observer)
        except ole.OleTVError as exc:
            _logger.warning("TV reconciliation of integration %s skipped: %s", integration.id, exc)
            return 0
        except UserError as exc:  # no API URL configured
            _logger.error("TV reconciliation of integration %s skipped: %s", integration.id,
                          exc.name)
            return len(batches)

        def read(user_ids):  # in the reader thread: the client only, never the cursor
            observer.calls = CallRecorder()
            try:
                return observer.calls, client.get_subscribers(
                    [rows[user_id]["account_number"] for user_id in user_ids])
            except ole.OleTVError as exc:
                return observer.calls, exc

        failures = 0
        with client, ReadAhead(read, batches) as reads:
            for user_ids, result, error in reads:
                if error:  # not the platform's refusal: a defect, logged as a failed batch
                    _logger.error("TV reconciliation of integration %s: a batch read failed: %r",
                                  integration.id, error)
                    failures += 1
                    continue
                calls, answer = result
                self.env["tv.api.call"]._record(integration, calls)
                if isinstance(answer, ole.OleTVError):
                    _logger.warning("TV reconciliation of integration %s skipped a batch: %s",
                                    integration.id, answer)
                    continue
                failures += not self._isolated(
                    "batch of integration %d from TV user %d" % (integration.id, user_ids[0]),
                    self._apply_batch, self.browse(user_ids), answer,
                    {user_id: rows[user_id] for user_id in user_ids})
        return failures

    def _apply_batch(self, users, batch, rows):
        users = users._tv_lock_rows()  # changed meanwhile: checked by a job of its own
        locked = set(users.ids)
        rows = {user_id: row for user_id, row in rows.items() if user_id in locked}
        by_account = {row["account_number"]: row for row in rows.values()}
        packages = {}  # (product id, access) -> (main, additional): the same few for everyone
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
            key = (row["product_id"], row["desired_access"])  # reduced: main package only
            if key not in packages:
                packages[key] = self.env["product.product"].browse(
                    row["product_id"]).product_tmpl_id._tv_platform_packages(row["desired_access"])
            if self._differs(row["desired_access"], packages[key], subscriber):
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
        minutes = float(self.env["ir.config_parameter"].sudo().get_param(
            STALE_JOB_MINUTES_PARAM, 15))
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(minutes=minutes))
        stale = self.env["queue.job"].sudo().search([
            ("model_name", "=", self._name),
            ("method_name", "in", ("_tv_sync_job", "_tv_reconcile_job")),
            ("state", "in", ("started", "enqueued")), ("date_enqueued", "<", limit)])
        if stale:
            _logger.warning("Requeuing %d TV sync job(s) left behind by a stopped worker.",
                            len(stale))
            stale.requeue()
        return len(stale)
