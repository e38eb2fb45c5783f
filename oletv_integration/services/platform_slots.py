# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""An integration's *Concurrent platform calls*, enforced by the addon.

Every integration's jobs share one channel (core/channels.py): the job
runner's capacity is the server's, fixed at install. Before its first
platform call a job takes one of its integration's slots, a PostgreSQL
advisory lock held until the job's transaction ends; when every slot is
taken the job is postponed through queue_job's RetryableJobError (its
retries untouched) and runs again a moment later. So no more than that many
jobs call one platform at once, whatever the channel's capacity, with no
configuration edit or restart for a new integration or a new limit.

A transaction holding a slot takes it again (advisory locks are
re-entrant): a job's own checks never wait on itself.

A manager's click that calls the platform at once (Test connection, Sync
catalog, a small file's link, a leak's Link or Delete on platform) takes a
slot too, until its request ends, waiting a few seconds for one (a job
frees its slot when its batch commits), else is refused with the reason
and calls nothing: the limit holds for clicks as for jobs. Saving new
credentials tests them without a slot (one call, on a rare manager's
action)."""
import time

from odoo import _
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.exceptions import UserError

PLATFORM_SLOT_NAMESPACE = 7417
# slots considered per integration (the lock key holds integration and slot)
MAX_SLOTS = 999
BUSY_RETRY_SECONDS = 2
# how long a click waits for a slot, and how often it looks
CLICK_WAIT_SECONDS = 5.0
CLICK_POLL_SECONDS = 0.25


class PlatformSlots:
    """The platform slots of the integrations, in the transaction of `env`."""

    def __init__(self, env):
        self.env = env

    def take(self, integration):
        """Take a free slot of `integration` until this transaction ends:
        True, or False when all its slots are taken."""
        slots = min(max(integration.max_concurrency, 1), MAX_SLOTS)
        self.env.cr.execute(
            "SELECT slot FROM generate_series(0, %s) AS slot "
            "WHERE pg_try_advisory_xact_lock(%s, %s * 1000 + slot) LIMIT 1",
            (slots - 1, PLATFORM_SLOT_NAMESPACE, integration.id))
        return bool(self.env.cr.fetchone())

    def take_or_postpone(self, integration):
        """Take a slot, or postpone the running job."""
        if not self.take(integration):
            self.postpone(integration)

    def take_or_refuse(self, integration):
        """A user's click: take a slot, waiting up to CLICK_WAIT_SECONDS for
        one, else refuse (UserError) before any platform call."""
        deadline = time.monotonic() + CLICK_WAIT_SECONDS
        while not self.take(integration):
            if time.monotonic() >= deadline:
                raise UserError(_(
                    "%(name)s is using all its %(count)d concurrent platform calls for "
                    "background work right now (its Concurrent platform calls): try again "
                    "in a moment.") % {"name": integration.name,
                                       "count": integration.max_concurrency})
            time.sleep(CLICK_POLL_SECONDS)

    @staticmethod
    def postpone(integration):
        """Postpone the running job: queue_job runs it again in
        BUSY_RETRY_SECONDS, its retry count unchanged."""
        message = _("%(name)s already has %(count)d platform calls running (its Concurrent "
                    "platform calls): postponed.")
        raise RetryableJobError(
            message % {"name": integration.name, "count": integration.max_concurrency},
            seconds=BUSY_RETRY_SECONDS, ignore_retry=True)
