# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Failures of the TV users' sync jobs: a transient one retries (backoff, or
the platform's Retry-After within a cap), a permanent one stops its TV user
with a visible error and an activity for the responsible user."""
from odoo import _, fields, models
from odoo.addons.queue_job.exception import RetryableJobError

# Transient failures retry for ever with exponential backoff (base * 2^n,
# capped); a 429's Retry-After wins, within its own cap (a far-future value
# would park the job and every later wish with it). System parameters.
RETRY_BASE_PARAM = "oletv_integration.retry_base_seconds"
RETRY_CAP_PARAM = "oletv_integration.retry_max_seconds"
RETRY_AFTER_CAP_PARAM = "oletv_integration.retry_after_max_seconds"
DEFAULT_RETRY_AFTER_CAP = 600


class TvUser(models.Model):
    _inherit = "tv.user"

    def _tv_handle_failure(self, exc):
        """Transient: keep pending, let queue_job retry with backoff (a 429's
        Retry-After wins). Permanent: stop, show the platform's message, and
        ask the responsible user to act; Retry sync queues a new job."""
        message = self.integration_id.platform_error_message(exc)
        if exc.transient:
            self.write({"sync_error": _("Retrying automatically: %s") % message})
            raise RetryableJobError(message, seconds=self._tv_retry_wait(exc))
        self.write({"sync_state": "error", "sync_error": message,
                    "last_sync_date": fields.Datetime.now()})
        self.message_post(body=_("Olé TV refused the change: %s") % message)
        self._tv_schedule_activity(_("Olé TV refused a TV user change"), message)
        return _("Failed: %s") % message

    def _tv_retry_wait(self, exc, retry=None):
        """Seconds before the next try: the platform's Retry-After, capped, or
        the exponential backoff."""
        wanted = getattr(exc, "retry_after", None)
        if wanted:
            cap = float(self.env["ir.config_parameter"].sudo().get_param(
                RETRY_AFTER_CAP_PARAM, DEFAULT_RETRY_AFTER_CAP))
            return max(1, min(wanted, cap))
        return self._tv_retry_delay(retry)

    def _tv_retry_delay(self, retry=None):
        params = self.env["ir.config_parameter"].sudo()
        base = float(params.get_param(RETRY_BASE_PARAM, 5))
        cap = float(params.get_param(RETRY_CAP_PARAM, 300))
        if retry is None:
            retry = self.env["queue.job"].sudo().search(
                [("uuid", "=", self.env.context.get("job_uuid"))], limit=1).retry
        return min(cap, base * 2 ** retry)

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
