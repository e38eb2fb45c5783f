# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The TV users' queue and sync engine (the model is in tv_user.py).

- queueing, through queue_job's public API only. The stored pending state
  of the TV users is the durable queue: a request marks them pending (one
  UPDATE whatever their number) and wakes their integration. A wake-up is a
  job `tv.user()._tv_sync_job(integration_id)` on the integration's channel,
  with the identity key `oletv-sync-<integration>-<slot>-<transaction>`: at
  most one waiting per slot, and at most as many slots as the integration's
  *Concurrent platform calls*, so a burst of 10,000 status changes queues a
  handful of wake-ups, not 10,000 jobs. Each wake-up claims its share of
  the pending TV users and queues one successor while some remain. A new
  wish also runs at once a wake-up parked for later (after a 429's
  Retry-After, or a backoff).
- the sync engine: a wake-up claims a batch, reads their platform state in
  one call and brings each to its desired state (sync_plan.next_step
  decides; each TV user in a savepoint of its own, tv_user_converge.py).
  Running it twice is harmless, the latest desired state wins whatever
  order jobs run in, and creation looks the login up first, so one TV user
  never becomes two subscribers."""
import logging

import psycopg2

from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job

from .. import oletv_client as ole
from ..core import sync_plan as plan
from .tv_api_call import CallRecorder

_logger = logging.getLogger(__name__)

# TV users claimed by one wake-up (one batch read of their platform state).
SYNC_CHUNK_PARAM = "oletv_integration.sync_chunk_size"
DEFAULT_SYNC_CHUNK = 50
# Advisory lock namespace: one running sync per TV user.
SYNC_LOCK_NAMESPACE = 7416
MAX_STEPS = 8  # lookup, create, push packages, access, re-read... and a margin
# Transient failures retry for ever with queue_job's retry_pattern
# (sync_plan.RETRY_PATTERN); a 429's Retry-After wins, within this cap.
RETRY_AFTER_CAP_PARAM = "oletv_integration.retry_after_max_seconds"
DEFAULT_RETRY_AFTER_CAP = 600
# PostgreSQL: lock_not_available (NOWAIT), serialization_failure (a row
# changed since this transaction's snapshot), deadlock_detected
LOCK_CONFLICTS = ("55P03", "40001", "40P01")


class _UserCallRecorder(CallRecorder):
    """The client's call_observer for a batch: each call is kept with the TV
    user being synced when it was made (None: the batch read)."""
    user = None

    def __call__(self, record):
        self.append((self.user, record))

    def by_user(self):
        grouped = {}
        for user, record in self:
            grouped.setdefault(user, []).append(record)
        return grouped.items()


class _ProbeDone(Exception):
    """Ends _tv_changed_since_snapshot's savepoint (its locks are released)."""


class _RoutineResults(dict):
    """{platform state: [TV user ids]}: the routine outcomes of one sync
    batch, written once at its end (a private type: a context value sent
    over RPC is never one). Equal only to itself: Odoo reuses an environment
    whose context compares equal, and two empty batches must not share one.
    `packages`: the batch's platform packages by (product, access)."""
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __init__(self):
        super().__init__()
        self.packages = {}


# tv.user is split by concern on purpose (see tv_user.py's docstring)
class TvUser(models.Model):
    _inherit = "tv.user"  # pylint: disable=consider-merging-classes-inherited

    # == queueing ==============================================================

    def _tv_is_proposal(self):
        """A TV user proposed by the sales flow (or created without a sync):
        not on the platform until the operator's Create on platform."""
        self.ensure_one()
        return self.platform_state == "draft" and self.sync_state == "none"

    @api.multi
    def _tv_request_sync(self):
        """Mark these TV users pending (a transient technical state, not
        tracked in the chatter) and wake their integrations: the job reads
        the latest desired state when it runs."""
        # every button and flow ends here: the SQL below bypasses the ORM, so
        # check the caller may change these TV users (access rights, even when
        # a button found nothing to do, and company rules; sudo() for the
        # system's own paths)
        self.check_access_rights("write")
        if not self.ids:
            return True
        self.check_access_rule("write")
        self._tv_lock_for_request("id IN %s", (tuple(self.ids),))
        self._tv_wake_rows(self._tv_mark_pending("id IN %s", (tuple(self.ids),)))
        return True

    @api.model
    def _tv_mark_pending(self, domain_sql, params):
        """Mark pending the TV users matching `domain_sql` that a job still
        has work for (not deleted on the platform, or to delete there), in
        one UPDATE: [(id, integration id)]. A row another transaction stored
        since this one's snapshot fails it with PostgreSQL's serialization
        error, which Odoo retries (no ERROR line logged)."""
        # pylint: disable=sql-injection
        # (domain_sql is a constant condition of this addon's callers)
        self.env.cr.execute(
            "UPDATE tv_user SET sync_state = 'pending', write_uid = %s, "
            "write_date = now() at time zone 'UTC' "
            "WHERE " + domain_sql + " AND (platform_state != 'deleted' OR to_delete) "
            "RETURNING id, integration_id", (self.env.uid,) + tuple(params),
            log_exceptions=False)
        rows = self.env.cr.fetchall()
        self.invalidate_cache(["sync_state", "write_uid", "write_date"], [row[0] for row in rows])
        return rows

    @api.model
    def _tv_wake_up_waits(self, integration_id):
        """Whether a wake-up of the integration waits to run now (queued, no
        later start)."""
        self.env.cr.execute(
            "SELECT 1 FROM queue_job WHERE channel = %s AND method_name = '_tv_sync_job' "
            "AND state IN ('pending', 'enqueued') AND eta IS NULL LIMIT 1",
            (plan.channel_of(integration_id),))
        return bool(self.env.cr.fetchone())

    def _tv_wake_rows(self, rows, eta=None):
        counts = {}
        for user_id, integration_id in rows:
            counts.setdefault(integration_id, []).append(user_id)
        created = 0
        for integration_id, user_ids in counts.items():
            if integration_id:
                created += self._tv_wake(integration_id, len(user_ids), eta=eta)
            else:  # no integration (a product without one): its own job, which reports it
                self.browse(user_ids)._tv_quiet_jobs().with_delay(
                    channel=plan.JOB_CHANNEL, max_retries=0)._tv_sync_job()
                created += 1
        return created

    def _tv_quiet_jobs(self):
        """queue.job keeps a chatter: a wake-up needs neither its creation
        message nor a follower (about twenty queries per job otherwise)."""
        return self.with_context(tracking_disable=True, mail_create_nolog=True,
                                 mail_create_nosubscribe=True, mail_notrack=True)

    def _tv_chunk_size(self):
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            SYNC_CHUNK_PARAM, DEFAULT_SYNC_CHUNK)))

    def _tv_wake(self, integration_id, pending, eta=None, slots=None):
        """Make sure wake-ups wait for `pending` TV users of the integration:
        one per claim (sync_plan.wake_slots), at most its capacity, or
        `slots`. Returns the jobs created."""
        integration = self.env["tv.integration"].sudo().browse(integration_id)
        if slots is None:
            slots = plan.wake_slots(pending, self._tv_chunk_size(), integration.max_concurrency)
        jobs = self.env["queue.job"].sudo()
        self.env.cr.execute("SELECT txid_current()")
        transaction = self.env.cr.fetchone()[0]
        created = 0
        for slot in range(slots):
            key = plan.WAKE_KEY % (integration_id, slot, transaction)
            waiting = jobs.search([("identity_key", "=", key),
                                   ("state", "in", ("pending", "enqueued"))], limit=1)
            if waiting:
                if waiting.eta and not eta and waiting.state == "pending":
                    waiting.eta = False  # a new wish: a parked wake-up runs now
                continue
            self.browse()._tv_quiet_jobs().with_delay(
                channel=plan.channel_of(integration_id), identity_key=key, max_retries=0,
                eta=eta, description=_("Olé TV: sync the pending TV users of %(name)s")
                % {"name": integration.name})._tv_sync_job(integration_id)
            created += 1
        return created

    def _tv_pending_count(self, integration_id):
        self.env.cr.execute(
            "SELECT count(*) FROM tv_user WHERE integration_id = %s AND sync_state = 'pending' "
            "AND (platform_state != 'deleted' OR to_delete)", (integration_id,))
        return self.env.cr.fetchone()[0]

    def _tv_wake_ups(self, integration_id):
        """The integration's wake-ups queued or running (this one included)."""
        return self.env["queue.job"].sudo().search_count([
            ("channel", "=", plan.channel_of(integration_id)),
            ("method_name", "=", "_tv_sync_job"),
            ("state", "in", ("pending", "enqueued", "started"))])

    def _tv_wake_if_pending(self, integration):
        """After a batch: while TV users wait, one wake-up takes this job's
        slot again (the other slots' jobs wake their own successors; one
        each keeps the capacity busy without a pile of empty wake-ups)."""
        pending = self._tv_pending_count(integration.id)
        if pending:
            self._tv_wake(integration.id, pending, slots=1)
        return pending

    @api.model
    def _tv_pending_by_integration(self):
        """{integration id: TV users pending} (the lost-sync sweep)."""
        self.env.cr.execute(
            "SELECT integration_id, count(*) FROM tv_user WHERE sync_state = 'pending' "
            "AND (platform_state != 'deleted' OR to_delete) GROUP BY integration_id")
        return dict(self.env.cr.fetchall())
    # == sync engine ===========================================================

    @job(default_channel=plan.JOB_CHANNEL, retry_pattern=plan.RETRY_PATTERN)
    @api.multi
    def _tv_sync_job(self, integration_id=None):
        """Olé TV: bring TV users to their desired state"""
        # platform work is the system's: whoever asked was checked then
        model = self.sudo().with_context(active_test=False)
        if integration_id:  # a wake-up: the integration's pending TV users
            return model.browse()._tv_sync_pending(integration_id)
        # these TV users (jobs queued by the first releases, or a direct call)
        users = model.browse(self.ids).exists()
        if not users:
            return _("The TV user no longer exists: nothing to do.")
        lines = [users.filtered(lambda u: u.integration_id == integration)._tv_sync_locked(
            integration) for integration in users.mapped("integration_id")]
        return "\n".join(lines)

    def _tv_sync_pending(self, integration_id):
        """Claim a share of the integration's pending TV users (split
        between the wake-ups queued or running, at most the capacity;
        sync_plan.claim_size), sync them, and wake the integration again
        while TV users remain pending."""
        integration = self.env["tv.integration"].browse(integration_id)
        size = plan.claim_size(self._tv_pending_count(integration_id), self._tv_chunk_size(),
                               min(integration.max_concurrency or 1,
                                   self._tv_wake_ups(integration_id) or 1))
        self.env.cr.execute(
            "SELECT id FROM (SELECT id FROM tv_user WHERE integration_id = %s "
            "AND sync_state = 'pending' AND (platform_state != 'deleted' OR to_delete) "
            "ORDER BY id LIMIT %s) c WHERE pg_try_advisory_xact_lock(%s, c.id) LIMIT %s",
            (integration_id, size * 8, SYNC_LOCK_NAMESPACE, size))
        users = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not users or not integration.exists():
            return _("Nothing to sync.")
        if users._tv_changed_since_snapshot():
            self._tv_wake(integration_id, len(users), slots=1)
            return _("TV users synced by another job since this one started: a new wake-up "
                     "takes the pending ones.")
        result = users._tv_sync_batch(integration)
        self._tv_wake_if_pending(integration)
        return result

    def _tv_changed_since_snapshot(self):
        """True when another job stored one of these TV users after this
        job's snapshot (taken before its claim, by the counts that size it):
        it still looks pending here, and syncing it again would repeat its
        platform call. A probe: the row locks are released at once, and a
        row a request is changing right now is not a change (the store
        handles it)."""
        # 40001: updated by a transaction committed after the snapshot
        return self._tv_try_lock(keep=False)[1] == "40001"

    def _tv_try_lock(self, keep=True):
        """Lock these TV users' rows at once (NOWAIT, no log line): (ids
        locked, None), or (None, PostgreSQL's code of the conflict). With
        keep=False the locks are released at once (a probe)."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM tv_user WHERE id IN %s ORDER BY id FOR NO KEY UPDATE NOWAIT",
                    (tuple(self.ids),), log_exceptions=False)
                locked = [row[0] for row in self.env.cr.fetchall()]
                if not keep:
                    raise _ProbeDone()  # roll back to the savepoint: the row locks go with it
            return locked, None
        except _ProbeDone:
            return locked, None
        except psycopg2.OperationalError as exc:
            if exc.pgcode not in LOCK_CONFLICTS:
                raise
            return None, exc.pgcode

    def _tv_sync_locked(self, integration):
        """Sync these TV users except those another job is syncing right now
        (they stay pending; a wake-up of their integration takes them)."""
        self.env.cr.execute(
            "SELECT id FROM unnest(%s::int[]) AS u(id) WHERE pg_try_advisory_xact_lock(%s, id)",
            (self.ids, SYNC_LOCK_NAMESPACE))
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        lines = [locked._tv_sync_batch(integration)] if locked else []
        busy = (self - locked).filtered(lambda u: u.sync_state == "pending")
        if busy:
            busy._tv_wake(integration.id, len(busy), eta=5)
            lines.append(_("%(count)d TV user(s) being synced by another job: left to a "
                           "later run.") % {"count": len(busy)})
        return "\n".join(lines)

    def _tv_sync_batch(self, integration):
        """One batch read, then each TV user in a savepoint of its own. A
        permanent refusal stops only its TV user; a transient failure goes
        to _tv_transient with the TV users left."""
        calls = _UserCallRecorder()
        try:
            with integration._client(calls) as client:
                return self._tv_sync_each(integration, client, calls)
        except ole.OleTVError as exc:  # no client, or the batch read failed
            if exc.transient:
                return self._tv_transient(integration, exc, progressed=False)
            return "\n".join(user._tv_handle_failure(exc) for user in self)
        finally:
            self.env["tv.api.call"]._record_batch(integration, calls.by_user())

    def _tv_sync_each(self, integration, client, calls):
        routine = _RoutineResults()
        # one environment for the batch: its fields are read once, here
        batch = self.with_context(tv_routine_results=routine)
        actual = batch._tv_read_batch(client)
        lines = []
        try:
            for index, user_id in enumerate(self.ids):
                # a prefetch set of its own: the chatter invalidates caches,
                # and re-reading the whole batch per user would be O(n^2)
                user = batch.browse(user_id)
                calls.user = user
                try:
                    with self.env.cr.savepoint():
                        lines.append(user._tv_converge(client, actual.get(user_id, plan.UNKNOWN)))
                except ole.OleTVError as exc:
                    if exc.transient:
                        lines.append(self.browse(self.ids[index:])._tv_transient(
                            integration, exc, progressed=index > 0))
                        break
                    lines.append(user._tv_handle_failure(exc))
        finally:
            self._tv_store_routine(routine)
        return "\n".join(lines)

    def _tv_defer_routine(self, subscriber):
        """A routine outcome in a batch (a live TV user of known account still
        active or blocked, e.g. after a block or a release): kept for one
        write of the whole batch (_tv_store_routine) instead of a tracked
        write per TV user. True if deferred."""
        routine = self.env.context.get("tv_routine_results")
        if not isinstance(routine, _RoutineResults):  # only the engine's own batch
            return False
        if self.platform_state not in plan.KNOWN_ACCESS_STATES \
                or subscriber.status not in plan.KNOWN_ACCESS_STATES \
                or subscriber.account_number != self.account_number:
            return False
        routine.setdefault(subscriber.status, []).append(self.id)
        return True

    def _tv_store_routine(self, routine):
        """Store the batch's routine outcomes: one write per platform state,
        without chatter tracking (the audit trail keeps each call)."""
        now = fields.Datetime.now()
        for status, user_ids in sorted(routine.items()):
            users = self.browse(user_ids)._tv_lock_rows()
            users.with_context(tracking_disable=True).write({
                "platform_state": status, "sync_state": "synced", "sync_error": False,
                "last_sync_date": now, "last_check_date": now})
        routine.clear()

    def _tv_lock_rows(self):
        """Lock these TV users' rows for this job's writes, quietly (no
        error, no log line): returns those locked. A row a request is
        changing right now, or changed since this job's snapshot (a newer
        wish, or another job), is left out and checked again by a job of its
        own a few seconds later: writing it would fail the whole job with a
        serialization error."""
        if not self.ids:
            return self
        locked, _conflict = self._tv_try_lock()
        if locked is not None:
            return self.browse(locked)
        if len(self) > 1:  # which ones: row by row
            return self.browse([user.id for user in self if user._tv_lock_rows()])
        _logger.info("TV user %s changed while its sync ran: checked again by a new job.",
                     self.id)
        self._tv_quiet_jobs().with_delay(
            channel=plan.channel_of(self.integration_id.id) if self.integration_id
            else plan.JOB_CHANNEL, max_retries=0, eta=5)._tv_sync_job()
        return self.browse()

    @api.model
    def _tv_lock_for_request(self, domain_sql, params):
        """A request about to change TV users (their desired access, their
        pending mark) first locks their rows, waiting for a job that is
        storing them; if one was stored since this request's snapshot, the
        request fails here with PostgreSQL's serialization error, which Odoo
        retries, rather than later in an UPDATE that logs an ERROR line."""
        # pylint: disable=sql-injection
        # (domain_sql is a constant condition of this module's callers)
        self.env.cr.execute("SELECT id FROM tv_user WHERE " + domain_sql
                            + " ORDER BY id FOR NO KEY UPDATE", params, log_exceptions=False)
        return [row[0] for row in self.env.cr.fetchall()]

    def _tv_read_batch(self, client):
        """{TV user id: subscriber or plan.ABSENT} for the TV users whose
        first step is a read: one call for all of them (by account number for
        a batch of one)."""
        readers = {user.id: user.account_number for user in self
                   if plan.next_step(user._tv_desired()).kind == plan.READ}
        if len(readers) == 1:
            (user_id, account), = readers.items()
            try:
                return {user_id: client.get_subscriber(account)}
            except ole.NotFoundError:
                return {user_id: plan.ABSENT}
        if not readers:
            return {}
        batch = client.get_subscribers(list(readers.values()))
        known = {sub.account_number: sub for sub in batch.subscribers}
        return {user_id: known.get(account, plan.ABSENT) for user_id, account in readers.items()}

    def _tv_desired(self):
        """What Odoo wants for this TV user, for sync_plan."""
        self.ensure_one()
        # a batch's TV users share a few products: their packages once each
        routine = self.env.context.get("tv_routine_results")
        cache = routine.packages if isinstance(routine, _RoutineResults) else {}
        key = (self.product_id.id, self.desired_access)
        if key not in cache:
            cache[key] = self.product_id.product_tmpl_id._tv_platform_packages(
                self.desired_access)
        packages = cache[key]
        return plan.Desired(
            to_delete=self.to_delete, platform_state=self.platform_state,
            account_number=self.account_number or False,
            external_ref=self._tv_external_ref(), packages=packages,
            access=self.desired_access)
