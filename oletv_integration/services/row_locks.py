# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Locks on the TV users' rows (PostgreSQL, repeatable read): a job never
waits for a request and logs no error; a request fails early, with the
error Odoo retries.

- the advisory lock (SYNC_LOCK_NAMESPACE, TV user id): one running sync per
  TV user, taken by the claim and released with the job's transaction;
- `lock_rows`: a job's writes lock the rows at once (NOWAIT); a row a
  request is changing, or changed since the job's snapshot, is left to a
  job of its own a few seconds later;
- `changed_since_snapshot`: the claim's probe (another job stored one of
  these TV users after this job's snapshot);
- `lock_for_request`: a request waits for a job storing its rows, and fails
  at once if one was stored since its snapshot."""
import logging

import psycopg2

from .wake_ups import quiet_jobs

_logger = logging.getLogger(__name__)

# Advisory lock namespace: one running sync per TV user.
SYNC_LOCK_NAMESPACE = 7416
# PostgreSQL: lock_not_available (NOWAIT), serialization_failure (a row
# changed since this transaction's snapshot), deadlock_detected
LOCK_CONFLICTS = ("55P03", "40001", "40P01")


class _ProbeDone(Exception):
    """Ends a probe's savepoint (its locks are released)."""


class RowLocks:
    """The TV users' row locks in the transaction of `env`."""

    def __init__(self, env):
        self.env = env

    def try_lock(self, user_ids, keep=True):
        """Lock these TV users' rows at once (NOWAIT, no log line): (ids
        locked, None), or (None, PostgreSQL's code of the conflict). With
        keep=False the locks are released at once (a probe)."""
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute(
                    "SELECT id FROM tv_user WHERE id IN %s ORDER BY id FOR NO KEY UPDATE NOWAIT",
                    (tuple(user_ids),), log_exceptions=False)
                locked = [row[0] for row in cr.fetchall()]
                if not keep:
                    raise _ProbeDone()  # roll back to the savepoint: the row locks go with it
            return locked, None
        except _ProbeDone:
            return locked, None
        except psycopg2.OperationalError as exc:
            if exc.pgcode not in LOCK_CONFLICTS:
                raise
            return None, exc.pgcode

    def changed_since_snapshot(self, users):
        """True when another job stored one of these TV users after this
        job's snapshot (taken before its claim, by the counts that size it):
        it still looks pending here, and syncing it again would repeat its
        platform call. A probe: the row locks are released at once, and a
        row a request is changing right now is not a change (the store
        handles it)."""
        # 40001: updated by a transaction committed after the snapshot
        return self.try_lock(users.ids, keep=False)[1] == "40001"

    def lock_rows(self, users):
        """Lock these TV users' rows for this job's writes, quietly (no
        error, no log line): returns those locked. A row a request is
        changing right now, or changed since this job's snapshot (a newer
        wish, or another job), is left out and checked again by a job of its
        own a few seconds later: writing it would fail the whole job with a
        serialization error."""
        if not users.ids:
            return users
        locked, _conflict = self.try_lock(users.ids)
        if locked is not None:
            return users.browse(locked)
        if len(users) > 1:  # which ones: row by row
            return users.browse([user.id for user in users if self.lock_rows(user)])
        _logger.info("TV user %s changed while its sync ran: checked again by a new job.",
                     users.id)
        quiet_jobs(users).with_delay(
            max_retries=0, eta=5)._tv_sync_job()
        return users.browse()

    def lock_for_request(self, domain_sql, params):
        """A request about to change TV users (their desired access, their
        pending mark) first locks their rows, waiting for a job that is
        storing them; if one was stored since this request's snapshot, the
        request fails here with PostgreSQL's serialization error, which Odoo
        retries, rather than later in an UPDATE that logs an ERROR line.
        Returns the ids locked."""
        # pylint: disable=sql-injection
        # (domain_sql is a constant condition of the addon's callers)
        self.env.cr.execute("SELECT id FROM tv_user WHERE " + domain_sql
                            + " ORDER BY id FOR NO KEY UPDATE", params, log_exceptions=False)
        return [row[0] for row in self.env.cr.fetchall()]

    def advisory_locked(self, user_ids):
        """Those of these TV users whose sync lock this job takes (the others
        are being synced by another job right now)."""
        self.env.cr.execute(
            "SELECT id FROM unnest(%s::int[]) AS u(id) WHERE pg_try_advisory_xact_lock(%s, id)",
            (list(user_ids), SYNC_LOCK_NAMESPACE))
        return [row[0] for row in self.env.cr.fetchall()]
