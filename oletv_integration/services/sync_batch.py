# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The sync engine: what a sync job does (tv.user._tv_sync_job is its
queue_job entry point).

- `SyncJob(model)`: a wake-up claims a share of its integration's pending
  TV users (split between the wake-ups queued or running, at most the
  capacity; sync_plan.claim_size), syncs them as one batch and wakes the
  integration again while TV users remain pending; a job of given TV users
  (queued by the first releases, or a TV user changed while its sync ran)
  syncs those not being synced by another job.
- `SyncBatch(integration, users)`: one batch: the platform state of its TV
  users in one read, then each TV user's convergence (convergence.py) in a
  savepoint of its own, then the routine outcomes in one write per
  platform state and the platform calls in one insert. A permanent refusal
  stops only its TV user; a transient failure leaves the TV users not done
  pending (the next wake-up takes them, or queue_job retries the job).

Running it twice is harmless, and the latest desired state wins whatever
order jobs run in."""
from odoo import _, fields
from odoo.addons.queue_job.exception import RetryableJobError

from .. import oletv_client as ole
from ..core import sync_plan as plan
from .call_recorder import CallRecorder
from .convergence import Convergence, Outcomes, RoutineResults, desired
from .errors import SyncRefused
from .platform_slots import PlatformSlots
from .row_locks import SYNC_LOCK_NAMESPACE, RowLocks
from .wake_ups import PENDING_SQL, WakeUps

# Transient failures retry for ever with queue_job's retry_pattern
# (sync_plan.RETRY_PATTERN); a 429's Retry-After wins, within this cap.
RETRY_AFTER_CAP_PARAM = "oletv_integration.retry_after_max_seconds"
DEFAULT_RETRY_AFTER_CAP = 600


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


class SyncJob:
    """A sync job's work. `model`: tv.user as the system (sudo, archived TV
    users included)."""

    def __init__(self, model):
        self.model = model
        self.env = model.env
        self.wake_ups = WakeUps(self.env)
        self.locks = RowLocks(self.env)

    def pending(self, integration_id):
        """A wake-up: claim, sync, wake again while TV users wait."""
        integration = self.env["tv.integration"].browse(integration_id)
        wake_ups = self.wake_ups
        pending = wake_ups.pending_count(integration_id)
        if not pending or not integration.exists():
            return _("Nothing to sync.")
        slots = PlatformSlots(self.env)
        if not slots.take(integration):
            if wake_ups.waiting(integration_id):
                # a wake-up yet to start sees every TV user pending now
                return _("Every platform slot of %s is taken and another wake-up waits: it "
                         "takes the pending TV users.") % integration.name
            slots.postpone(integration)
        size = plan.claim_size(pending, wake_ups.chunk_size(),
                               min(integration.max_concurrency or 1,
                                   wake_ups.running(integration_id) or 1))
        self.env.cr.execute(
            "SELECT id FROM (SELECT id FROM tv_user WHERE integration_id = %s AND "
            + PENDING_SQL + " ORDER BY id LIMIT %s) c "
            "WHERE pg_try_advisory_xact_lock(%s, c.id) LIMIT %s",
            (integration_id, size * 8, SYNC_LOCK_NAMESPACE, size))
        users = self.model.browse([row[0] for row in self.env.cr.fetchall()])
        if not users or not integration.exists():
            return _("Nothing to sync.")
        if self.locks.changed_since_snapshot(users):
            wake_ups.wake(integration_id, len(users), slots=1)
            return _("TV users synced by another job since this one started: a new wake-up "
                     "takes the pending ones.")
        result = SyncBatch(integration, users).run()
        wake_ups.wake_if_pending(integration)
        return result

    def these(self, user_ids):
        """A job of given TV users, per integration."""
        users = self.model.browse(user_ids).exists()
        if not users:
            return _("The TV user no longer exists: nothing to do.")
        return "\n".join(self.locked(users.filtered(lambda u: u.integration_id == integration),
                                     integration)
                         for integration in users.mapped("integration_id"))

    def locked(self, users, integration):
        """Sync these TV users except those another job is syncing right now,
        none when the integration's platform slots are all taken (they stay
        pending; a wake-up of their integration takes them)."""
        locked = users.browse()
        if PlatformSlots(self.env).take(integration):
            locked = users.browse(self.locks.advisory_locked(users.ids))
        lines = [SyncBatch(integration, locked).run()] if locked else []
        busy = (users - locked).filtered(lambda u: u.sync_state == "pending")
        if busy:
            self.wake_ups.wake(integration.id, len(busy), eta=5)
            lines.append(_("%(count)d TV user(s) being synced by another job: left to a "
                           "later run.") % {"count": len(busy)})
        return "\n".join(lines)


class SyncBatch:
    """One sync batch of `users` (claimed by this job) of `integration`."""

    def __init__(self, integration, users):
        self.integration = integration
        self.users = users
        self.env = users.env
        self.calls = _UserCallRecorder()
        self.routine = RoutineResults(self.env)
        self.routine.packages.load(users.ids)
        self.locks = RowLocks(self.env)

    def run(self):
        """One batch read, then each TV user in a savepoint of its own.
        Returns the job's lines."""
        try:
            with self.integration._client(self.calls) as client:
                return self.converge_each(client)
        except ole.OleTVError as exc:  # no client, or the batch read failed
            if exc.transient:
                return self.transient(self.users, exc, progressed=False)
            return "\n".join(Outcomes(user).handle_failure(exc) for user in self.users)
        finally:
            self.env["tv.api.call"]._record_batch(self.integration, self.calls.by_user())

    def converge_each(self, client):
        actual = self.read_ahead(client)
        ids = self.users.ids
        lines = []
        try:
            for index, user_id in enumerate(ids):
                # a prefetch set of its own: the chatter invalidates caches,
                # and re-reading the whole batch per user would be O(n^2)
                tv_user = self.users.browse(user_id)
                self.calls.user = tv_user
                try:
                    with self.env.cr.savepoint():
                        lines.append(Convergence(tv_user, client, self.routine).run(
                            actual.get(user_id, plan.UNKNOWN)))
                except (ole.OleTVError, SyncRefused) as exc:
                    if exc.transient:
                        lines.append(self.transient(self.users.browse(ids[index:]), exc,
                                                    progressed=index > 0))
                        break
                    lines.append(Outcomes(tv_user).handle_failure(exc))
        finally:
            self.store_routine()
        return "\n".join(lines)

    def read_ahead(self, client):
        """{TV user id: subscriber or plan.ABSENT} for the TV users whose
        first step is a read: one call for all of them (by account number for
        a batch of one)."""
        readers = {user.id: user.account_number for user in self.users
                   if plan.next_step(desired(user, self.routine)).kind == plan.READ}
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

    def store_routine(self):
        """Store the batch's routine outcomes: one write per platform state,
        without chatter tracking (the audit trail keeps each call)."""
        now = fields.Datetime.now()
        for status, user_ids in sorted(self.routine.by_state.items()):
            users = self.locks.lock_rows(self.users.browse(user_ids))
            users.with_context(tracking_disable=True).write({
                "platform_state": status, "sync_state": "synced", "sync_error": False,
                "last_sync_date": now, "last_check_date": now})
        self.routine.by_state.clear()

    def transient(self, users, exc, progressed):
        """The one place for transient failures: these TV users stay pending
        and show it. After progress in this run (the platform answers), the
        next wake-up takes them at once; otherwise the job is retried by
        queue_job, after the platform's Retry-After (capped) or its
        retry_pattern's backoff."""
        message = self.integration._platform_error_message(exc)
        self.locks.lock_rows(users).write(
            {"sync_error": _("Retrying automatically: %s") % message})
        wait = self.retry_after(exc)
        if progressed and not wait:
            WakeUps(self.env).wake(self.integration.id, len(users))
            return _("%(count)d TV user(s) left to the next run after a transient failure: "
                     "%(message)s") % {"count": len(users), "message": message}
        raise RetryableJobError(message, seconds=wait)

    def retry_after(self, exc):
        """The platform's Retry-After within its cap, or None (backoff)."""
        wanted = getattr(exc, "retry_after", None)
        if not wanted:
            return None
        cap = float(self.env["ir.config_parameter"].sudo().get_param(
            RETRY_AFTER_CAP_PARAM, DEFAULT_RETRY_AFTER_CAP))
        return plan.retry_after_seconds(wanted, cap)
