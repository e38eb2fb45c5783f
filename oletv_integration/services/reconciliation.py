# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The scheduled reconciliation (tv.user._cron_reconcile is its entry
point, tv.user._tv_reconcile_job the job of a share of it).

- `Reconciliation(integration)`: reads the integration's TV users in
  batches (users awaiting their first access, then a rolling spot-check of
  the others), detects first accesses and deletions on the panel, and
  queues a sync where the platform differs from what Odoo wants. The reads
  run one batch ahead of Odoo's work on them (core/read_ahead.py), still
  one platform call at a time; with a capacity above one, the batches are
  shared between jobs, each in a platform slot of the integration.
- `Sweeps(env)`: requeues work a crashed worker left behind (stale jobs,
  lost wake-ups, failed deletions).

Each batch and each sweep runs in a savepoint of its own (`isolated`): one
failing is logged and rolled back, the others still run."""
import logging
from datetime import timedelta

from odoo import _, fields
from odoo.exceptions import UserError

from .. import oletv_client as ole
from ..core import access_rules as rules
from ..core import sync_plan as plan
from ..core.read_ahead import ReadAhead
from .call_recorder import CallRecorder
from .convergence import Outcomes
from .platform_slots import PlatformSlots
from .row_locks import RowLocks
from .tv_packages import PlatformPackages
from .wake_ups import WakeUps, quiet_jobs

_logger = logging.getLogger(__name__)

STALE_JOB_MINUTES_PARAM = "oletv_integration.stale_job_minutes"
SPOT_CHECK_PARAM = "oletv_integration.reconcile_spot_check"
BATCH_PARAM = "oletv_integration.reconcile_batch_size"
DEFAULT_BATCH = ole.BATCH_SIZE


def isolated(env, what, function, *args):
    """Run function in a savepoint; on failure roll it back, log it and
    return False (the caller goes on with the next batch)."""
    try:
        with env.cr.savepoint():
            function(*args)
        return True
    except Exception:
        _logger.exception("TV reconciliation: %s failed; rolled back, the rest goes on.", what)
        env.cache.invalidate()
        return False


class _ReaderCalls:
    """The client's call observer in a reconciliation job: the reader thread
    points it at each batch's own recorder before reading."""
    calls = None

    def __call__(self, record):
        self.calls(record)


class Reconciliation:
    """The reconciliation of `integration`'s TV users; `model`: tv.user as
    the caller (the scheduled action's user, or a job's system)."""

    def __init__(self, integration, model):
        self.integration = integration
        self.model = model
        self.env = model.env

    def run(self):
        """Read the TV users to check, here (one job's worth, a platform slot
        free) or in jobs; returns the batches that failed here."""
        params = self.env["ir.config_parameter"].sudo()
        spot_check = int(params.get_param(SPOT_CHECK_PARAM, 1000))
        base = [("integration_id", "=", self.integration.id), ("to_delete", "=", False),
                ("account_number", "!=", False)]
        awaiting = self.model.search(
            base + [("platform_state", "=", rules.PLATFORM_AWAITING_ACTIVATION)])
        others = self.model.search(base + [("platform_state", "in", plan.KNOWN_ACCESS_STATES),
                                           ("sync_state", "=", "synced")],
                                   order="last_check_date, id", limit=spot_check)
        user_ids = (awaiting | others).ids
        size = max(1, int(params.get_param(BATCH_PARAM, DEFAULT_BATCH)))
        batches = [user_ids[start:start + size] for start in range(0, len(user_ids), size)]
        shares = plan.reconcile_shares(len(batches), self.integration.max_concurrency)
        # one job's worth: here, in a platform slot of the integration (else a job waits for one)
        if len(shares) == 1 and (not batches or PlatformSlots(self.model.env).take(
                self.integration)):
            return self.read_batches(batches)
        # the batch reads spread over the integration's platform slots
        for share in shares:
            quiet_jobs(self.model.browse()).with_delay(
                max_retries=1,
                description=_("Olé TV: reconcile %(count)d TV users of %(name)s") % {
                    "count": sum(len(batches[index]) for index in share),
                    "name": self.integration.name},
            )._tv_reconcile_job(self.integration.id, [batches[index] for index in share])
        return 0

    def read_batches(self, batches):
        """Read each batch of TV user ids from the platform and apply it in a
        savepoint of its own; returns the failures. A batch the platform
        could not be read is skipped (the next run reads it again)."""
        integration = self.integration
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
                failures += not isolated(
                    self.env,
                    "batch of integration %d from TV user %d" % (integration.id, user_ids[0]),
                    self.apply_batch, self.model.browse(user_ids), answer,
                    {user_id: rows[user_id] for user_id in user_ids})
        return failures

    def apply_batch(self, users, batch, rows):
        """Apply one batch read (`rows`: the TV users' columns read before)."""
        users = RowLocks(self.env).lock_rows(users)  # changed meanwhile: a job of its own
        locked = set(users.ids)
        rows = {user_id: row for user_id, row in rows.items() if user_id in locked}
        by_account = {row["account_number"]: row for row in rows.values()}
        packages = PlatformPackages(self.env)  # the same few for everyone
        packages.load(list(rows))
        to_sync = []
        for subscriber in batch.subscribers:
            row = by_account.get(subscriber.account_number)
            if not row:
                continue
            if subscriber.status not in ole.STATUSES:
                Outcomes(users.browse(row["id"])).unknown_status(subscriber)
                continue
            if subscriber.status != row["platform_state"]:
                # tracked: first access shows in chatter
                users.browse(row["id"]).platform_state = subscriber.status
            wanted = packages.of(row["id"], row["product_id"], row["desired_access"])
            if self.differs(row["desired_access"], wanted, subscriber):
                to_sync.append(row["id"])
        for account in batch.missing:
            if account in by_account:
                Outcomes(users.browse(by_account[account]["id"])).mark_deleted()
        # a technical timestamp, not tracked: skip the chatter's tracking pass
        users.with_context(tracking_disable=True).write(
            {"last_check_date": fields.Datetime.now()})
        users.browse(to_sync)._tv_request_sync()

    @staticmethod
    def differs(desired_access, package_codes, subscriber):
        main, additional = package_codes
        return plan.needs_sync(plan.Desired(
            to_delete=False, platform_state=subscriber.status,
            account_number=subscriber.account_number, external_ref=None,
            packages=(main, tuple(additional)), access=desired_access), subscriber)


class Sweeps:
    """Work a crashed worker or a refusal left behind; `model`: tv.user as
    the scheduled action's user."""

    def __init__(self, model):
        self.model = model
        self.env = model.env

    def run(self):
        """Each sweep isolated; returns the sweeps that failed."""
        return sum(not isolated(self.env, name, sweep) for name, sweep in (
            ("_requeue_stale_jobs", self.requeue_stale_jobs),
            ("_requeue_lost_syncs", self.requeue_lost_syncs),
            ("_requeue_failed_deletions", self.requeue_failed_deletions)))

    def requeue_lost_syncs(self):
        """TV users pending with no wake-up waiting: wake their integrations."""
        return WakeUps(self.env).wake_lost()

    def requeue_failed_deletions(self):
        """A TV user removed in Odoo whose deletion on the platform failed
        (refused, or its job failed) may still give TV access: try again at
        each run until the platform confirms."""
        failed = self.model.with_context(active_test=False).search([
            ("to_delete", "=", True), ("sync_state", "=", "error"),
            ("platform_state", "!=", "deleted")])
        failed._tv_request_sync()
        return len(failed)

    def requeue_stale_jobs(self):
        """A worker killed mid-job leaves its job 'started' for ever; the job
        is idempotent, so after a while it is safe to run it again."""
        minutes = float(self.env["ir.config_parameter"].sudo().get_param(
            STALE_JOB_MINUTES_PARAM, 15))
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(minutes=minutes))
        stale = self.env["queue.job"].sudo().search([
            ("model_name", "=", self.model._name),
            ("method_name", "in", ("_tv_sync_job", "_tv_reconcile_job")),
            ("state", "in", ("started", "enqueued")), ("date_enqueued", "<", limit)])
        if stale:
            _logger.warning("Requeuing %d TV sync job(s) left behind by a stopped worker.",
                            len(stale))
            stale.requeue()
        return len(stale)
