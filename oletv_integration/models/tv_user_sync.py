# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Durable delivery: a queue_job job (per TV user, or per chunk of them; see
tv_user_queue.py for the queueing) compares what Odoo wants
(present or removed, the product's packages, the desired access) with the
platform and applies the difference. Running it twice is harmless, the
latest desired state wins whatever order jobs run in, and creation looks the
login up first, so one TV user never becomes two subscribers."""
import logging
from datetime import datetime, timedelta

from odoo import _, api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job

from .. import access_rules as rules
from .. import oletv_client as ole
from .tv_api_call import CallRecorder
from .tv_user import LIVE_STATES

_logger = logging.getLogger(__name__)

# Advisory lock namespace: one running sync per TV user.
SYNC_LOCK_NAMESPACE = 7416
MISSING = object()  # a batch read did not find the account


class _UserCallRecorder(CallRecorder):
    """The client's call_observer for a chunk: each call is kept with the TV
    user being synced when it was made (None: the batch read)."""
    user = None

    def __call__(self, record):
        self.append((self.user, record))

    def by_user(self):
        grouped = {}
        for user, record in self:
            grouped.setdefault(user, []).append(record)
        return grouped.items()


class TvUser(models.Model):
    _inherit = "tv.user"

    @job(default_channel="root.oletv")
    @api.multi
    def _tv_sync_job(self):
        """Olé TV: bring TV users to their desired state"""
        # platform work is the system's: whoever queued it was checked then
        users = self.sudo().with_context(active_test=False).exists()
        if not users:
            return _("The TV user no longer exists: nothing to do.")
        if len(users) > 1:
            return users._tv_sync_chunk()
        user = users
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

    def _tv_sync_chunk(self):
        """Several TV users in one job: one batch read of their platform
        state (instead of a read per user), then, per user, the same
        reconciliation as a single-user job. A user another job is syncing
        right now, and the rest of the chunk after a transient failure, go
        to a new job (later); a permanent failure stops only its user."""
        result = []
        for integration in self.mapped("integration_id"):
            users = self.filtered(lambda u: u.integration_id == integration)
            result.append(users._tv_sync_integration_chunk(integration))
        orphans = self.filtered(lambda u: not u.integration_id)
        for user in orphans:
            result.append(user._tv_sync_job())
        return "\n".join(result)

    def _tv_sync_integration_chunk(self, integration):
        self.env.cr.execute(
            "SELECT id FROM unnest(%s::int[]) AS u(id) WHERE pg_try_advisory_xact_lock(%s, id)",
            (self.ids, SYNC_LOCK_NAMESPACE))
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        busy = self - locked
        calls = _UserCallRecorder()
        lines, later, failure = [], self.browse(), None
        try:
            with integration._client(calls) as client:
                readable = locked.filtered(lambda u: u.account_number and not u.to_delete
                                           and u.platform_state != "deleted")
                try:
                    batch = client.get_subscribers(readable.mapped("account_number")) \
                        if readable else None
                except ole.OleTVError as exc:
                    if exc.transient:
                        locked.write({"sync_error": _("Retrying automatically: %s")
                                      % integration.platform_error_message(exc)})
                        raise RetryableJobError(integration.platform_error_message(exc),
                                                seconds=self._tv_retry_wait(exc))
                    for user in locked:
                        lines.append(user._tv_handle_failure(exc))
                    return "\n".join(lines)
                known = {sub.account_number: sub for sub in batch.subscribers} if batch else {}
                missing = set(batch.missing) if batch else set()
                for index, user_id in enumerate(locked.ids):
                    # a prefetch set of its own: the chatter invalidates caches,
                    # and re-reading the whole chunk per user would be O(n^2)
                    user = self.browse(user_id)
                    calls.user = user
                    subscriber = known.get(user.account_number)
                    if user.account_number in missing:
                        subscriber = MISSING
                    try:
                        with self.env.cr.savepoint():
                            lines.append(user._tv_reconcile(client, subscriber))
                    except ole.OleTVError as exc:
                        if not exc.transient:
                            lines.append(user._tv_handle_failure(exc))
                            continue
                        later = locked[index:]
                        failure = exc
                        break
        finally:
            for user, records in calls.by_user():
                self.env["tv.api.call"]._record(integration, records, user or None)
        if later:
            message = integration.platform_error_message(failure)
            later.write({"sync_error": _("Retrying automatically: %s") % message})
            delay = self._tv_retry_wait(failure, retry=0)
            later._tv_enqueue_sync(eta=fields.Datetime.to_string(
                datetime.utcnow() + timedelta(seconds=delay)))
            lines.append(_("%d TV user(s) requeued after a transient failure: %s")
                         % (len(later), message))
        if busy:
            busy._tv_enqueue_sync(eta=fields.Datetime.to_string(
                datetime.utcnow() + timedelta(seconds=5)))
            lines.append(_("%d TV user(s) being synced by another job: requeued.") % len(busy))
        return "\n".join(lines)

    def _tv_try_lock(self):
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)",
                            (SYNC_LOCK_NAMESPACE, self.id))
        return self.env.cr.fetchone()[0]

    # -- reconciliation ------------------------------------------------------

    def _tv_reconcile(self, client, subscriber=None):
        """subscriber: the platform's state when already read (a batch read),
        MISSING when the batch read did not find the account."""
        if self.to_delete:
            return self._tv_delete_on_platform(client)
        if self.platform_state == "deleted":
            return _("Deleted on the platform: waiting for Re-create.")
        if not self.account_number:
            subscriber = self._tv_create_or_link(client)
        elif subscriber is MISSING:
            self._tv_mark_deleted()
            return _("Deleted on the platform's panel.")
        elif subscriber is None:
            try:
                subscriber = client.get_subscriber(self.account_number)
            except ole.NotFoundError:
                self._tv_mark_deleted()
                return _("Deleted on the platform's panel.")
        self._tv_check_status(subscriber)
        subscriber = self._tv_push_packages(client, subscriber)
        subscriber = self._tv_apply_access(client, subscriber)
        self._tv_apply_subscriber(subscriber)
        return _("In sync: %s, %s.") % (subscriber.account_number, subscriber.status)

    def _tv_create_or_link(self, client):
        existing = client.find_subscriber_by_login(self.login)
        if existing:
            return self._tv_adopt(existing)
        main, additional = self.product_id.product_tmpl_id.tv_package_codes()
        try:
            subscriber = client.create_subscriber(
                self.login, main, additional, mac_devices=(self.mac_devices or "").split(),
                equipment=self.equipment_model_id.code or None,
                technology=self.technology, external_ref=self._tv_external_ref())
        except ole.LoginTakenError:
            # created meanwhile (e.g. an earlier try that timed out): link it
            subscriber = client.find_subscriber_by_login(self.login)
            if not subscriber:
                raise
            return self._tv_adopt(subscriber)
        self.message_post(body=_("Created on Olé TV: account %s, awaiting the customer's "
                                 "first access.") % subscriber.account_number)
        return subscriber

    def _tv_adopt(self, subscriber):
        """Link the subscriber using this login only if this TV user created
        it (an earlier create whose answer was lost): its external reference
        says so. Anyone else's (another TV user's, one made on the panel) is
        refused: one platform account never belongs to two TV users."""
        if subscriber.external_ref != self._tv_external_ref():
            raise ole.LoginTakenError(_(
                "Olé TV subscriber %(account)s already uses the login %(login)s and was not "
                "created by this TV user (its external reference is %(ref)s), so it is not "
                "linked. Use another login, or delete the TV user that holds it; a subscriber "
                "made outside Odoo is linked with Link existing subscribers.") % {
                    "account": subscriber.account_number, "login": self.login,
                    "ref": subscriber.external_ref or _("(none)")},
                status_code=409, code="login_taken")
        self.message_post(body=_("Linked to the existing Olé TV subscriber %s "
                                 "(login already on the platform).") % subscriber.account_number)
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
        account = self.account_number if self.platform_state in LIVE_STATES else None
        if not account and self.platform_state == "draft":
            # deleted while its create was requested: the create may have gone
            # through (a running job, a lost answer); delete only our own
            found = client.find_subscriber_by_login(self.login)
            if found and found.external_ref == self._tv_external_ref():
                account = found.account_number
        if account:
            try:
                client.delete_subscriber(account)
            except ole.NotFoundError:
                pass  # already gone: the goal is reached
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
