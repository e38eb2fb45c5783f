# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One TV user's sync (the calls sync_plan names until a final step), its
outcomes, and its failures: a transient one retries for ever
(max_retries=0) with queue_job's retry_pattern, or after the platform's
Retry-After within a cap; a permanent one stops its TV user with a visible
error and an activity for the responsible user. The batch around it is in
tv_user_sync.py."""
import logging

from odoo import _, fields, models
from odoo.addons.queue_job.exception import RetryableJobError

from .. import oletv_client as ole
from ..core import sync_plan as plan
from .tv_user_sync import DEFAULT_RETRY_AFTER_CAP, MAX_STEPS, RETRY_AFTER_CAP_PARAM

_logger = logging.getLogger(__name__)


# tv.user is split by concern on purpose (see tv_user.py's docstring)
class TvUser(models.Model):
    _inherit = "tv.user"  # pylint: disable=consider-merging-classes-inherited

    # -- one TV user ------------------------------------------------------------

    def _tv_converge(self, client, actual=plan.UNKNOWN):
        """Make the calls sync_plan names until a final step."""
        desired, deleted = self._tv_desired(), None
        for _step in range(MAX_STEPS):
            step = plan.next_step(desired, actual)
            if step.kind in plan.FINAL:
                return self._tv_finish(step, actual, deleted)
            if step.kind == plan.ADOPT:
                self.message_post(body=_("Linked to the existing Olé TV subscriber %s "
                                         "(login already on the platform).") % step.account)
                desired = desired._replace(account_number=step.account)
            elif step.kind == plan.CREATE:
                actual, created = self._tv_create(client)
                if created:
                    desired = desired._replace(account_number=actual.account_number)
            elif step.kind == plan.DELETE:
                actual, deleted = self._tv_delete(client, step.account), step.account
            else:
                actual = self._tv_call(client, step)
        raise ole.OleTVError(_("The sync of %(login)s did not settle; nothing more was "
                               "changed. Retry sync.") % {"login": self.login})

    def _tv_call(self, client, step):
        """The platform call of a step; the answer is the new actual state."""
        if step.kind == plan.LOOKUP:
            return client.find_subscriber_by_login(self.login) or plan.ABSENT
        if step.kind == plan.READ:
            try:
                return client.get_subscriber(step.account)
            except ole.NotFoundError:
                return plan.ABSENT
        if step.kind == plan.PUSH_PACKAGES:
            main, additional = self._tv_desired().packages
            subscriber = client.change_packages(step.account, main, list(additional))
            self.message_post(body=_("Packages changed on Olé TV to %s.")
                              % ", ".join((main,) + additional))
            return subscriber
        # routine: no chatter message (the Platform calls tab has each call)
        try:
            if step.kind == plan.BLOCK:
                subscriber = client.block_subscriber(step.account)
            else:
                subscriber = client.release_subscriber(step.account)
        except ole.AwaitingActivationError:
            return client.get_subscriber(step.account)  # the wish waits for the first access
        return subscriber

    def _tv_create(self, client):
        """Create the subscriber: (subscriber, True). A login taken meanwhile
        (an earlier try whose answer was lost) is looked up: (found, False),
        and sync_plan adopts it only if our create made it."""
        main, additional = self.product_id.product_tmpl_id.tv_package_codes()
        try:
            subscriber = client.create_subscriber(
                self.login, main, additional, mac_devices=(self.mac_devices or "").split(),
                equipment=self.equipment_model_id.code or None,
                technology=self.technology, external_ref=self._tv_external_ref())
        except ole.LoginTakenError:
            found = client.find_subscriber_by_login(self.login)
            if not found:
                raise
            return found, False
        self.message_post(body=_("Created on Olé TV: account %s, awaiting the customer's "
                                 "first access.") % subscriber.account_number)
        return subscriber, True

    def _tv_delete(self, client, account):
        try:
            client.delete_subscriber(account)
        except ole.NotFoundError:  # already gone: the goal is reached
            return plan.ABSENT
        return plan.ABSENT

    # -- outcomes -----------------------------------------------------------------

    def _tv_finish(self, step, actual, deleted):
        if step.kind == plan.IN_SYNC:
            if not self.account_number:  # bound now: created (or adopted) by this sync
                self._tv_notify_welcome()
            self._tv_apply_subscriber(actual)
            return _("In sync: %(account)s, %(status)s.") % {
                "account": actual.account_number, "status": actual.status}
        if step.kind == plan.REFUSE_LOGIN:
            raise ole.LoginTakenError(self._tv_login_taken_message(actual),
                                      status_code=409, code="login_taken")
        if step.kind == plan.UNKNOWN_STATUS:
            raise ole.OleTVError(self._tv_unknown_status_message(actual))
        if step.kind == plan.GONE:
            self._tv_mark_deleted()
            return _("Deleted on the platform's panel.")
        if step.kind == plan.FORGET:
            return self._tv_forget(step.account or deleted)
        return _("Deleted on the platform: waiting for Re-create.")

    def _tv_login_taken_message(self, subscriber):
        return _(
            "Olé TV subscriber %(account)s already uses the login %(login)s and was not "
            "created by this TV user (its external reference is %(ref)s), so it is not "
            "linked. Use another login, or delete the TV user that holds it; a subscriber "
            "made outside Odoo is linked with Link existing subscribers.") % {
                "account": subscriber.account_number, "login": self.login,
                "ref": subscriber.external_ref or _("(none)")}

    def _tv_forget(self, account):
        """Removed: nothing (more) of it on the platform."""
        values = {"platform_state": "deleted", "sync_state": "synced", "sync_error": False,
                  "last_sync_date": fields.Datetime.now()}
        if account:
            values["account_number"] = account
        self.write(values)
        self.message_post(body=_("Deleted on Olé TV."))
        return _("Deleted on the platform.")

    def _tv_check_status(self, subscriber):
        """A status the addon does not know stops this TV user with a visible
        error (nothing is changed on the platform), not the whole job."""
        if subscriber.status not in ole.STATUSES:
            raise ole.OleTVError(self._tv_unknown_status_message(subscriber))

    def _tv_unknown_status_message(self, subscriber):
        return _("Olé TV answered the unknown status %(status)s for subscriber %(account)s; "
                 "nothing was changed. Check the subscriber on the Olé TV panel, then "
                 "Retry sync.") % {"status": subscriber.status,
                                   "account": subscriber.account_number}

    def _tv_apply_subscriber(self, subscriber, message=None):
        """Store what the platform says about this TV user."""
        self._tv_check_status(subscriber)
        if not message and self._tv_defer_routine(subscriber):
            return
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
    # == failures ==============================================================

    def _tv_handle_failure(self, exc):
        """A permanent refusal: stop this TV user, show the platform's
        message, and ask the responsible user to act; Retry sync queues it
        again."""
        message = self.integration_id._platform_error_message(exc)
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
        retry_pattern's backoff."""
        message = integration._platform_error_message(exc)
        self._tv_lock_rows().write({"sync_error": _("Retrying automatically: %s") % message})
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
        return plan.retry_after_seconds(wanted, cap)

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
