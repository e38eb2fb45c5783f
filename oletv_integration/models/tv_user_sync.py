# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Durable delivery: a queue_job job per TV user compares what Odoo wants
(present or removed, the product's packages, the desired access) with the
platform and applies the difference. Running it twice is harmless, the
latest desired state wins whatever order jobs run in, and creation looks the
login up first, so one TV user never becomes two subscribers."""
import logging

from odoo import _, api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact, job

from .. import access_rules as rules
from .. import oletv_client as ole
from .tv_api_call import CallRecorder
from .tv_user import LIVE_STATES

_logger = logging.getLogger(__name__)

# Transient failures retry for ever with exponential backoff (base * 2^n,
# capped); a 429's Retry-After wins. Both are system parameters.
RETRY_BASE_PARAM = "oletv_integration.retry_base_seconds"
RETRY_CAP_PARAM = "oletv_integration.retry_max_seconds"
# Advisory lock namespace: one running sync per TV user.
SYNC_LOCK_NAMESPACE = 7416


class TvUser(models.Model):
    _inherit = "tv.user"

    @api.multi
    def _tv_request_sync(self):
        """Mark these TV users pending and queue one sync job each (a job
        already waiting for the same user is reused: it reads the latest
        desired state when it runs)."""
        users = self.filtered(lambda u: u.platform_state != "deleted" or u.to_delete)
        if not users:
            return True
        users.write({"sync_state": "pending"})
        for user in users:
            user._tv_enqueue_sync()
        return True

    def _tv_enqueue_sync(self):
        self.ensure_one()
        self.with_delay(
            channel=self.integration_id.job_channel, identity_key=identity_exact,
            max_retries=0, description=_("Olé TV: sync TV user %s") % self.login,
        )._tv_sync_job()

    @job(default_channel="root.oletv")
    @api.multi
    def _tv_sync_job(self):
        """Olé TV: bring a TV user to its desired state"""
        user = self.with_context(active_test=False).exists()
        if not user:
            return _("The TV user no longer exists: nothing to do.")
        if not user._tv_try_lock():
            raise RetryableJobError(_("Another sync of this TV user is running."),
                                    seconds=5, ignore_retry=True)
        calls = CallRecorder()
        try:
            with user.integration_id._client(calls) as client:
                result = user._tv_reconcile(client)
        except ole.OleTVError as exc:
            self.env["tv.api.call"]._record(user.integration_id, calls, user)
            return user._tv_handle_failure(exc)
        self.env["tv.api.call"]._record(user.integration_id, calls, user)
        return result

    def _tv_try_lock(self):
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (SYNC_LOCK_NAMESPACE, self.id))
        return self.env.cr.fetchone()[0]

    # -- reconciliation ------------------------------------------------------

    def _tv_reconcile(self, client):
        if self.to_delete:
            return self._tv_delete_on_platform(client)
        if self.platform_state == "deleted":
            return _("Deleted on the platform: waiting for Re-create.")
        if not self.account_number:
            subscriber = self._tv_create_or_link(client)
        else:
            try:
                subscriber = client.get_subscriber(self.account_number)
            except ole.NotFoundError:
                self._tv_mark_deleted()
                return _("Deleted on the platform's panel.")
        subscriber = self._tv_push_packages(client, subscriber)
        subscriber = self._tv_apply_access(client, subscriber)
        self._tv_apply_subscriber(subscriber)
        return _("In sync: %s, %s.") % (subscriber.account_number, subscriber.status)

    def _tv_create_or_link(self, client):
        existing = client.find_subscriber_by_login(self.login)
        if existing:
            self.message_post(body=_("Linked to the existing Olé TV subscriber %s "
                                     "(login already on the platform).") % existing.account_number)
            return existing
        main, additional = self.product_id.product_tmpl_id.tv_package_codes()
        try:
            subscriber = client.create_subscriber(
                self.login, main, additional, mac_devices=(self.mac_devices or "").split(),
                equipment=self.equipment_model_id.code or None,
                technology=self.technology, external_ref="odoo-tv-user-%d" % self.id)
        except ole.LoginTakenError:
            # created meanwhile (e.g. an earlier try that timed out): link it
            subscriber = client.find_subscriber_by_login(self.login)
            if not subscriber:
                raise
        self.message_post(body=_("Created on Olé TV: account %s, awaiting the customer's "
                                 "first access.") % subscriber.account_number)
        return subscriber

    def _tv_push_packages(self, client, subscriber):
        main, additional = self.product_id.product_tmpl_id.tv_package_codes()
        if subscriber.main_package == main and list(subscriber.additional_packages) == additional:
            return subscriber
        subscriber = client.change_packages(subscriber.account_number, main, additional)
        self.message_post(body=_("Packages changed on Olé TV to %s.")
                          % ", ".join([main] + list(additional)))
        return subscriber

    def _tv_apply_access(self, client, subscriber):
        """Block or release when needed; a subscriber awaiting its first
        access keeps the wish (the platform would refuse)."""
        action = rules.platform_action(self.desired_access, subscriber.status)
        if not action:
            return subscriber
        try:
            if action == rules.BLOCK:
                subscriber = client.block_subscriber(subscriber.account_number)
                self.message_post(body=_("Access blocked on Olé TV (Offline)."))
            else:
                subscriber = client.release_subscriber(subscriber.account_number)
                self.message_post(body=_("Access released on Olé TV (Online)."))
        except ole.AwaitingActivationError:
            return client.get_subscriber(subscriber.account_number)
        return subscriber

    def _tv_delete_on_platform(self, client):
        if self.account_number and self.platform_state in LIVE_STATES:
            try:
                client.delete_subscriber(self.account_number)
            except ole.NotFoundError:
                pass  # already gone: the goal is reached
        self.write({"platform_state": "deleted", "sync_state": "synced", "sync_error": False,
                    "last_sync_date": fields.Datetime.now()})
        self.message_post(body=_("Deleted on Olé TV."))
        return _("Deleted on the platform.")

    def _tv_apply_subscriber(self, subscriber, message=None):
        """Store what the platform says about this TV user."""
        now = fields.Datetime.now()
        self.write({"account_number": subscriber.account_number,
                    "platform_state": subscriber.status, "sync_state": "synced",
                    "sync_error": False, "last_sync_date": now, "last_check_date": now})
        if message:
            self.message_post(body=message)

    def _tv_mark_deleted(self):
        self.write({"platform_state": "deleted", "sync_state": "error",
                    "last_sync_date": fields.Datetime.now(),
                    "sync_error": _("The subscriber was deleted on the platform's panel.")})
        message = _("Olé TV no longer knows account %s: it was deleted on the panel. "
                    "Re-create it on the platform or delete this TV user.") % self.account_number
        self.message_post(body=message)
        self._tv_schedule_activity(_("TV user deleted on the Olé TV panel"), message)

    # -- failures ------------------------------------------------------------

    def _tv_handle_failure(self, exc):
        """Transient: keep pending, let queue_job retry with backoff (a 429's
        Retry-After wins). Permanent: stop, show the platform's message, and
        ask the responsible user to act; Retry sync queues a new job."""
        message = self.integration_id.platform_error_message(exc)
        if exc.transient:
            self.write({"sync_error": _("Retrying automatically: %s") % message})
            raise RetryableJobError(
                message, seconds=getattr(exc, "retry_after", None) or self._tv_retry_delay())
        self.write({"sync_state": "error", "sync_error": message,
                    "last_sync_date": fields.Datetime.now()})
        self.message_post(body=_("Olé TV refused the change: %s") % message)
        self._tv_schedule_activity(_("Olé TV refused a TV user change"), message)
        return _("Failed: %s") % message

    def _tv_retry_delay(self):
        params = self.env["ir.config_parameter"].sudo()
        base = float(params.get_param(RETRY_BASE_PARAM, 5))
        cap = float(params.get_param(RETRY_CAP_PARAM, 300))
        queued = self.env["queue.job"].sudo().search(
            [("uuid", "=", self.env.context.get("job_uuid"))], limit=1)
        return min(cap, base * 2 ** queued.retry)

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
