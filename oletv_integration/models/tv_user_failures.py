# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Failures of the TV users' sync: a transient one retries (queue_job's
backoff, or the platform's Retry-After within a cap), a permanent one stops
its TV user with a visible error and an activity for the responsible user."""
from odoo import _, fields, models
from odoo.addons.queue_job.exception import RetryableJobError

# Transient failures retry for ever with queue_job's retry_pattern
# (tv_user_queue.py); a 429's Retry-After wins, within this cap (a
# far-future value would park the job and every later wish with it).
RETRY_AFTER_CAP_PARAM = "oletv_integration.retry_after_max_seconds"
DEFAULT_RETRY_AFTER_CAP = 600


class TvUser(models.Model):
    _inherit = "tv.user"

    def _tv_handle_failure(self, exc):
        """A permanent refusal: stop this TV user, show the platform's
        message, and ask the responsible user to act; Retry sync queues it
        again."""
        message = self.integration_id.platform_error_message(exc)
        self.write({"sync_state": "error", "sync_error": message,
                    "last_sync_date": fields.Datetime.now()})
        self.message_post(body=_("Olé TV refused the change: %s") % message)
        self._tv_schedule_activity(_("Olé TV refused a TV user change"), message)
        return _("Failed: %s") % message

    def _tv_transient(self, integration, exc, progressed):
        """The one place for transient failures: these TV users stay pending
        and show it. After progress in this run (the platform answers), the
        next wake-up takes them at once; otherwise the job is retried by
        queue_job, after the platform's Retry-After (capped) or its
        retry_pattern's backoff (tv_user_queue.py)."""
        message = integration.platform_error_message(exc)
        self.write({"sync_error": _("Retrying automatically: %s") % message})
        wait = self._tv_retry_after(exc)
        if progressed and not wait:
            self._tv_wake(integration.id, len(self))
            return _("%(count)d TV user(s) left to the next run after a transient failure: "
                     "%(message)s") % {"count": len(self), "message": message}
        raise RetryableJobError(message, seconds=wait)

    def _tv_retry_after(self, exc):
        """The platform's Retry-After within its cap, or None (backoff)."""
        wanted = getattr(exc, "retry_after", None)
        if not wanted:
            return None
        cap = float(self.env["ir.config_parameter"].sudo().get_param(
            RETRY_AFTER_CAP_PARAM, DEFAULT_RETRY_AFTER_CAP))
        return max(1, int(min(wanted, cap)))

    def _tv_schedule_activity(self, summary, note):
        responsible = self.contract_id.user_id or self.env.ref("base.user_root")
        existing = self.activity_ids.filtered(lambda a: a.summary == summary)
        if existing:
            return
        self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get(self._name).id,
            "res_id": self.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": summary, "note": note, "user_id": responsible.id,
            "date_deadline": fields.Date.context_today(self),
        })
