# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queueing the sync, through queue_job's public API only.

The stored pending state of the TV users is the durable queue: a request
marks them pending (one UPDATE whatever their number) and wakes their
integration. A wake-up is a job `tv.user()._tv_sync_job(integration_id)` on
the integration's channel, with the identity key
`oletv-sync-<integration>-<slot>`: at most one waiting per slot, and at most
as many slots as the integration's *Concurrent platform calls*, so a burst
of 10,000 status changes queues a handful of wake-ups, not 10,000 jobs. Each
wake-up claims a batch of pending TV users (tv_user_sync.py) and wakes the
integration again while some remain. A new wish also runs at once a wake-up
parked for later (after a 429's Retry-After, or a backoff).

Transient failures retry for ever (max_retries=0) with queue_job's
retry_pattern below, or after the platform's Retry-After within a cap
(tv_user_failures.py)."""
from odoo import _, api, models

# TV users claimed by one wake-up (one batch read of their platform state).
SYNC_CHUNK_PARAM = "oletv_integration.sync_chunk_size"
DEFAULT_SYNC_CHUNK = 50
# queue_job's retry_pattern: {retry count reached: seconds before the next
# try}: 5 s doubling up to 5 minutes.
RETRY_PATTERN = {1: 5, 2: 10, 3: 20, 4: 40, 5: 80, 6: 160, 7: 300}
WAKE_KEY = "oletv-sync-%d-%d-%d"  # integration, slot, transaction


def channel_of(integration_id):
    return "root.oletv.integration_%d" % integration_id


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.multi
    def _notify_by_chat(self, message):
        """Odoo 11 formats the message for the bus even when no partner is to
        be notified (about fifteen queries per chatter message, e.g. each
        tracked change of a contract or TV user): skip that empty work."""
        if not self:
            return True
        return super()._notify_by_chat(message)


class TvUser(models.Model):
    _inherit = "tv.user"

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
        self.env.cr.execute(
            "UPDATE tv_user SET sync_state = 'pending', write_uid = %s, "
            "write_date = now() at time zone 'UTC' "
            "WHERE id IN %s AND (platform_state != 'deleted' OR to_delete) "
            "RETURNING id, integration_id", (self.env.uid, tuple(self.ids)))
        rows = self.env.cr.fetchall()
        self.invalidate_cache(["sync_state", "write_uid", "write_date"], self.ids)
        self._tv_wake_rows(rows)
        return True

    def _tv_enqueue_sync(self, eta=None):
        """Wake the integrations of these TV users (already marked pending)."""
        self._tv_wake_rows([(user.id, user.integration_id.id) for user in self], eta=eta)

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
                    channel="root.oletv", max_retries=0)._tv_sync_job()
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

    def _tv_wake(self, integration_id, pending, eta=None):
        """Make sure wake-ups wait for `pending` TV users of the integration:
        one per batch, at most its capacity. Returns the jobs created."""
        integration = self.env["tv.integration"].sudo().browse(integration_id)
        size = self._tv_chunk_size()
        slots = max(1, min(integration.max_concurrency or 1, -(-pending // size)))
        jobs = self.env["queue.job"].sudo()
        self.env.cr.execute("SELECT txid_current()")
        transaction = self.env.cr.fetchone()[0]
        created = 0
        for slot in range(slots):
            key = WAKE_KEY % (integration_id, slot, transaction)
            waiting = jobs.search([("identity_key", "=", key),
                                   ("state", "in", ("pending", "enqueued"))], limit=1)
            if waiting:
                if waiting.eta and not eta and waiting.state == "pending":
                    waiting.eta = False  # a new wish: a parked wake-up runs now
                continue
            self.browse()._tv_quiet_jobs().with_delay(
                channel=channel_of(integration_id), identity_key=key, max_retries=0,
                eta=eta, description=_("Olé TV: sync the pending TV users of %(name)s")
                % {"name": integration.name})._tv_sync_job(integration_id)
            created += 1
        return created

    def _tv_wake_if_pending(self, integration):
        """After a batch: wake the integration again while TV users wait."""
        self.env.cr.execute(
            "SELECT count(*) FROM tv_user WHERE integration_id = %s AND sync_state = 'pending' "
            "AND (platform_state != 'deleted' OR to_delete)", (integration.id,))
        pending = self.env.cr.fetchone()[0]
        if pending:
            self._tv_wake(integration.id, pending)
        return pending

    @api.model
    def _tv_pending_by_integration(self):
        """{integration id: TV users pending} (the lost-sync sweep)."""
        self.env.cr.execute(
            "SELECT integration_id, count(*) FROM tv_user WHERE sync_state = 'pending' "
            "AND (platform_state != 'deleted' OR to_delete) GROUP BY integration_id")
        return dict(self.env.cr.fetchall())
