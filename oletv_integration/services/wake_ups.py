# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The queue of the TV users' syncs, through queue_job's public API only.

The stored pending state of the TV users is the durable queue: a request
marks them pending (tv.user._tv_request_sync, one UPDATE whatever their
number) and wakes their integration here. A wake-up is a job
`tv.user()._tv_sync_job(integration_id)` on the platform calls' channel with
the identity key sync_plan.WAKE_KEY (integration, slot, transaction): one
transaction queues at most one waiting wake-up per slot, and at most as
many slots as the integration's *Concurrent platform calls*, so a bulk
change of 10,000 TV users in one transaction queues a handful of wake-ups,
not 10,000 jobs. Another transaction queues its own (sync_plan.WAKE_KEY
says why: sharing one across transactions could lose a wish). Each wake-up
claims its share of the pending TV users and queues one successor while
some remain (sync_batch.py)."""
from odoo import _
from odoo.addons.queue_job.job import Job

from ..core import sync_plan as plan

# A TV user a job still has work for (SQL on tv_user): on the platform, or to
# delete there; it waits for its sync when it is also pending.
SYNCABLE_SQL = "(platform_state != 'deleted' OR to_delete)"
PENDING_SQL = "sync_state = 'pending' AND " + SYNCABLE_SQL
PENDING_BY_INTEGRATION_SQL = ("SELECT integration_id, count(*) FROM tv_user WHERE "
                              + PENDING_SQL + " GROUP BY integration_id")
# TV users claimed by one wake-up (one batch read of their platform state).
SYNC_CHUNK_PARAM = "oletv_integration.sync_chunk_size"
DEFAULT_SYNC_CHUNK = 50
# The contracts' TV users a status change concerns: on the platform, and not
# marked pending by this transaction already (its row's version is this
# transaction's, `xmin`; one marked in a savepoint is marked again, which is
# harmless).
CONTRACTS_LIVE_USERS_SQL = (
    "contract_id IN %s AND active AND platform_state IN %s AND NOT ("
    "sync_state = 'pending' AND xmin::text::bigint = txid_current() %% 4294967296)")


def quiet_jobs(records):
    """`records` in the context their jobs are queued with: queue.job keeps a
    chatter, and a wake-up needs neither its creation message nor a follower
    (about twenty queries per job otherwise)."""
    # test_queue_job_no_delay (queue_job's test switch) would run the job
    # inside the caller's request: an RPC caller sets any context
    return records.with_context(tracking_disable=True, mail_create_nolog=True,
                                mail_create_nosubscribe=True, mail_notrack=True,
                                test_queue_job_no_delay=False)


class WakeUps:
    """The wake-ups of the TV users' integrations, in the transaction of
    `env`."""

    def __init__(self, env):
        self.env = env

    def mark_pending(self, domain_sql, params):
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
            "WHERE (" + domain_sql + ") AND " + SYNCABLE_SQL + " "
            "RETURNING id, integration_id", (self.env.uid,) + tuple(params),
            log_exceptions=False)
        rows = self.env.cr.fetchall()
        self.env["tv.user"].invalidate_cache(["sync_state", "write_uid", "write_date"],
                                             [row[0] for row in rows])
        return rows

    def follow_contracts(self, contracts):
        """After the TV access of `contracts` changed: their TV users that
        exist on the platform are marked pending and their integrations
        woken, as many slots as this transaction's pending TV users need
        (wake_marked)."""
        self.wake_marked(self.mark_pending(CONTRACTS_LIVE_USERS_SQL, (
            tuple(contracts.ids), plan.LIVE_STATES)))

    def chunk_size(self):
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            SYNC_CHUNK_PARAM, DEFAULT_SYNC_CHUNK)))

    def wake_rows(self, rows, eta=None):
        """Wake the integrations of [(TV user id, integration id)] just
        marked pending; returns the jobs created."""
        by_integration = {}
        for user_id, integration_id in rows:
            by_integration.setdefault(integration_id, []).append(user_id)
        created = 0
        for integration_id, user_ids in by_integration.items():
            if integration_id:
                created += self.wake(integration_id, len(user_ids), eta=eta)
            else:  # no integration (a product without one): its own job, which reports it
                quiet_jobs(self.env["tv.user"].browse(user_ids)).with_delay(
                    max_retries=0)._tv_sync_job()
                created += 1
        return created

    def wake_marked(self, rows):
        """Wake the integrations of [(TV user id, integration id)] just marked
        pending, one contract at a time (the automated actions' hook): each
        integration gets the slots its pending TV users need, so a bulk
        change's wake-ups are queued as it goes. One query per integration
        once this transaction's slots all wait. (The integration's pending
        TV users are counted, not this transaction's: a row marked in a
        savepoint does not carry the transaction's id. A backlog of another
        transaction may so get more of this one's wake-ups, within the
        capacity: they share its work.)"""
        for integration_id in {integration_id for _user_id, integration_id in rows}:
            if not integration_id:
                self.wake_rows([row for row in rows if not row[1]])
                continue
            capacity = self.env["tv.integration"].sudo().browse(integration_id).max_concurrency
            if self.waiting_slots(integration_id, capacity) < capacity:
                self.wake(integration_id, self.pending_count(integration_id))

    def wake(self, integration_id, pending, eta=None, slots=None):
        """Make sure wake-ups wait for `pending` TV users of the integration:
        one per claim (sync_plan.wake_slots), at most its capacity, or
        `slots`. Returns the jobs created."""
        integration = self.env["tv.integration"].sudo().browse(integration_id)
        if slots is None:
            slots = plan.wake_slots(pending, self.chunk_size(), integration.max_concurrency)
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
                    self._run_now(waiting)
                continue
            quiet_jobs(self.env["tv.user"]).with_delay(
                identity_key=key, max_retries=0,
                eta=eta, description=_("Olé TV: sync the pending TV users of %(name)s")
                % {"name": integration.name})._tv_sync_job(integration_id)
            created += 1
        return created

    @staticmethod
    def _run_now(waiting):
        """A new wish: the parked wake-up `waiting` (a queue.job record, still
        pending, queued with an eta by this same transaction, e.g. the retry
        of TV users another job was syncing, sync_batch.SyncJob.locked) runs
        now. A wake-up parked by another transaction (a Retry-After's
        postponement) has another key: the new wish queues its own, which
        runs now, and leaves it parked. Through queue_job's Job, as its
        runner re-times a job (Job.postpone then Job.store): the eta
        cleared, its state, retries and identity kept. The job is this
        transaction's, so no runner holds it meanwhile."""
        job = Job.load(waiting.env, waiting.uuid)
        job.eta = None
        job.store()

    def pending_count(self, integration_id):
        self.env.cr.execute(
            "SELECT count(*) FROM tv_user WHERE integration_id = %s AND " + PENDING_SQL,
            (integration_id,))
        return self.env.cr.fetchone()[0]

    def running(self, integration_id):
        """The integration's wake-ups queued or running (this one included)."""
        return self.env["queue.job"].sudo().search_count(
            self._wake_up_domain(integration_id, ("pending", "enqueued", "started")))

    def waiting(self, integration_id):
        """Whether a wake-up of the integration waits to start (a running one,
        this one, does not count): it will claim every TV user pending now."""
        return bool(self.env["queue.job"].sudo().search_count(
            self._wake_up_domain(integration_id, ("pending", "enqueued"))
            + [("uuid", "!=", self.env.context.get("job_uuid") or "")]))

    @staticmethod
    def _wake_up_domain(integration_id, states):
        return [("identity_key", "=like", plan.wake_key_pattern(integration_id)),
                ("method_name", "=", "_tv_sync_job"), ("state", "in", states)]

    def wake_if_pending(self, integration):
        """After a batch: while TV users wait, one wake-up takes this job's
        slot again (the other slots' jobs wake their own successors; one
        each keeps the capacity busy without a pile of empty wake-ups)."""
        pending = self.pending_count(integration.id)
        if pending:
            self.wake(integration.id, pending, slots=1)
        return pending

    def waiting_slots(self, integration_id, slots):
        """How many of the integration's first `slots` wake-ups this
        transaction queued wait to run now (one query). Another
        transaction's do not count: the runner may start them before this
        one commits (sync_plan.WAKE_KEY)."""
        # each slot's key without its transaction, which the query appends
        prefixes = [plan.WAKE_KEY.rsplit("%d", 1)[0] % (integration_id, slot)
                    for slot in range(slots)]
        self.env.cr.execute(
            "SELECT count(*) FROM queue_job WHERE identity_key IN "
            "(SELECT prefix || txid_current() FROM unnest(%s) AS prefix) "
            "AND state IN ('pending', 'enqueued') AND eta IS NULL", (prefixes,))
        return self.env.cr.fetchone()[0]

    def pending_by_integration(self):
        """{integration id: its TV users pending}."""
        self.env.cr.execute(PENDING_BY_INTEGRATION_SQL)
        return dict(self.env.cr.fetchall())

    def wake_lost(self):
        """TV users still pending with no wake-up waiting (e.g. one lost with
        a crashed worker): wake their integrations (identity keys skip a
        wake-up already waiting in this transaction). Returns the wake-ups
        queued."""
        return sum(self.wake(integration_id, count)
                   for integration_id, count in self.pending_by_integration().items()
                   if integration_id)
