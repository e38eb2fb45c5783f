# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Queueing the TV users' sync jobs: the pending mark and the queue_job rows
in two statements whatever the number of TV users (bulk dunning), one job
per chunk of TV users of the same integration on its own channel."""
import hashlib
import json
import uuid

from odoo import _, api, fields, models
from odoo.addons.queue_job.job import DEFAULT_PRIORITY

# TV users per sync job when many are requested at once (bulk dunning):
# fewer jobs to queue and run, and one batch read of their platform state.
SYNC_CHUNK_PARAM = "oletv_integration.sync_chunk_size"
DEFAULT_SYNC_CHUNK = 25
CHANNEL_METHOD = "<tv.user>._tv_sync_job"


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
        """Mark these TV users pending and queue their sync: one job per chunk
        of TV users of the same integration (a job already waiting for the
        same users is reused: it reads the latest desired state when it
        runs). Two queries whatever the number of users: the pending mark
        (a transient technical state, not tracked in the chatter) and the
        job rows."""
        # every button and flow ends here: the raw SQL below bypasses the
        # ORM, so check the caller may change these TV users (access rights,
        # even when a button found nothing to do, and company rules; sudo()
        # for the system's own paths)
        self.check_access_rights("write")
        if not self.ids:
            return True
        self.check_access_rule("write")
        self.env.cr.execute(
            "UPDATE tv_user SET sync_state = 'pending', write_uid = %s, "
            "write_date = now() at time zone 'UTC' "
            "WHERE id IN %s AND (platform_state != 'deleted' OR to_delete) "
            "RETURNING id, integration_id, login", (self.env.uid, tuple(self.ids)))
        rows = self.env.cr.fetchall()
        self.invalidate_cache(["sync_state", "write_uid", "write_date"], self.ids)
        if rows:
            self._tv_enqueue_rows(rows)
        return True

    def _tv_enqueue_sync(self, eta=None):
        """Queue sync jobs for these TV users (already marked pending)."""
        if self:
            self._tv_enqueue_rows([(user.id, user.integration_id.id, user.login)
                                   for user in self], eta=eta)

    def _tv_chunk_size(self):
        return max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            SYNC_CHUNK_PARAM, DEFAULT_SYNC_CHUNK)))

    def _tv_enqueue_rows(self, rows, eta=None):
        """rows: (tv user id, integration id, login). Insert the queue_job
        rows in one statement, as queue_job's Job.store() would (same
        columns, identity key, channel), skipping a job whose identity key
        is already waiting. queue_job's trigger notifies the job runner."""
        size = self._tv_chunk_size()
        by_integration = {}
        for user_id, integration_id, login in sorted(rows):
            by_integration.setdefault(integration_id, []).append((user_id, login))
        job_func = self._tv_sync_job  # the @job-decorated method of this model
        model = self.browse()
        company_id = self.env["res.company"]._company_default_get(
            object="queue.job", field="company_id").id
        now = fields.Datetime.now()
        values = []
        for integration_id, users in by_integration.items():
            channel = "root.oletv.integration_%d" % integration_id if integration_id \
                else "root.oletv"
            for start in range(0, len(users), size):
                chunk = users[start:start + size]
                ids = [user_id for user_id, _login in chunk]
                if len(chunk) == 1:
                    name = _("Olé TV: sync TV user %s") % chunk[0][1]
                else:
                    name = _("Olé TV: sync %d TV users (%s ... %s)") % (
                        len(chunk), chunk[0][1], chunk[-1][1])
                key = hashlib.sha1()
                for part in (model._name, job_func.__name__, str(sorted(ids)), str(()),
                             str(sorted({}.items()))):
                    key.update(part.encode("utf-8"))
                values.append((
                    str(uuid.uuid4()), self.env.uid, company_id, name, model._name,
                    job_func.__name__, json.dumps(ids), "[]", "{}",
                    "%r.%s()" % (model.browse(ids), job_func.__name__), DEFAULT_PRIORITY,
                    0, 0, now, eta or None, CHANNEL_METHOD, channel, key.hexdigest()))
        self.env.cr.execute(
            "INSERT INTO queue_job (uuid, user_id, company_id, name, model_name, method_name,"
            " record_ids, args, kwargs, func_string, priority, retry, max_retries,"
            " date_created, eta, channel_method_name, channel, identity_key, state,"
            " job_function_id) "
            "SELECT v.*, 'pending', (SELECT id FROM queue_job_function WHERE name = v.cm) "
            "FROM (VALUES %s) AS v(uuid, user_id, company_id, name, model_name, method_name,"
            " record_ids, args, kwargs, func_string, priority, retry, max_retries,"
            " date_created, eta, cm, channel, identity_key) "
            "WHERE NOT EXISTS (SELECT 1 FROM queue_job q WHERE q.identity_key = v.identity_key"
            " AND q.state IN ('pending', 'enqueued') AND q.identity_key IS NOT NULL)"
            % ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                         "%s::timestamp, %s::timestamp, %s, %s, %s)"] * len(values)),
            [value for row in values for value in row])
        if not eta:
            # a new wish: a job kept waiting for these users (e.g. after a
            # 429's Retry-After) runs now and reads it, instead of parking it
            self.env.cr.execute(
                "UPDATE queue_job SET eta = NULL WHERE identity_key IN %s "
                "AND state = 'pending' AND eta IS NOT NULL",
                (tuple(row[-1] for row in values),))
        self.env["queue.job"].invalidate_cache()
