# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Durable delivery: the sync engine. The TV users' stored pending state is
the durable queue; a queue_job job (tv_user_queue.py) wakes up per
integration, claims a batch of pending TV users, reads their platform state
in one call and brings each to its desired state. A single TV user is a
batch of one. What each TV user needs is decided by sync_plan.next_step (a
pure function); this module only makes the calls it names. Running it twice
is harmless, the latest desired state wins whatever order jobs run in, and
creation looks the login up first, so one TV user never becomes two
subscribers."""
from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job

from .. import oletv_client as ole
from .. import sync_plan as plan
from .tv_api_call import CallRecorder
from .tv_user_queue import RETRY_PATTERN

# Advisory lock namespace: one running sync per TV user.
SYNC_LOCK_NAMESPACE = 7416
MAX_STEPS = 8  # lookup, create, push packages, access, re-read... and a margin


class _UserCallRecorder(CallRecorder):
    """The client's call_observer for a batch: each call is kept with the TV
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

    @job(default_channel="root.oletv", retry_pattern=RETRY_PATTERN)
    @api.multi
    def _tv_sync_job(self, integration_id=None):
        """Olé TV: bring TV users to their desired state"""
        # platform work is the system's: whoever asked was checked then
        model = self.sudo().with_context(active_test=False)
        if integration_id:  # a wake-up: the integration's pending TV users
            return model.browse()._tv_sync_pending(integration_id)
        # these TV users (jobs queued by the first releases, or a direct call)
        users = model.browse(self.ids).exists()
        if not users:
            return _("The TV user no longer exists: nothing to do.")
        lines = [users.filtered(lambda u: u.integration_id == integration)._tv_sync_locked(
            integration) for integration in users.mapped("integration_id")]
        return "\n".join(lines)

    def _tv_sync_pending(self, integration_id):
        """Claim a batch of the integration's pending TV users (the first
        query of the job: its snapshot is fresh), sync them, and wake the
        integration again while TV users remain pending."""
        integration = self.env["tv.integration"].browse(integration_id)
        size = self._tv_chunk_size()
        self.env.cr.execute(
            "SELECT id FROM (SELECT id FROM tv_user WHERE integration_id = %s "
            "AND sync_state = 'pending' AND (platform_state != 'deleted' OR to_delete) "
            "ORDER BY id LIMIT %s) c WHERE pg_try_advisory_xact_lock(%s, c.id) LIMIT %s",
            (integration_id, size * 8, SYNC_LOCK_NAMESPACE, size))
        users = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not users or not integration.exists():
            return _("Nothing to sync.")
        result = users._tv_sync_batch(integration)
        self._tv_wake_if_pending(integration)
        return result

    def _tv_sync_locked(self, integration):
        """Sync these TV users except those another job is syncing right now
        (they stay pending; a wake-up of their integration takes them)."""
        self.env.cr.execute(
            "SELECT id FROM unnest(%s::int[]) AS u(id) WHERE pg_try_advisory_xact_lock(%s, id)",
            (self.ids, SYNC_LOCK_NAMESPACE))
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        lines = [locked._tv_sync_batch(integration)] if locked else []
        busy = (self - locked).filtered(lambda u: u.sync_state == "pending")
        if busy:
            busy._tv_wake(integration.id, len(busy), eta=5)
            lines.append(_("%(count)d TV user(s) being synced by another job: left to a "
                           "later run.") % {"count": len(busy)})
        return "\n".join(lines)

    def _tv_sync_batch(self, integration):
        """One batch read, then each TV user in a savepoint of its own. A
        permanent refusal stops only its TV user; a transient failure goes
        to _tv_transient (tv_user_failures.py) with the TV users left."""
        calls = _UserCallRecorder()
        try:
            with integration._client(calls) as client:
                return self._tv_sync_each(integration, client, calls)
        except ole.OleTVError as exc:  # no client, or the batch read failed
            if exc.transient:
                return self._tv_transient(integration, exc, progressed=False)
            return "\n".join(user._tv_handle_failure(exc) for user in self)
        finally:
            for user, records in calls.by_user():
                self.env["tv.api.call"]._record(integration, records, user or None)

    def _tv_sync_each(self, integration, client, calls):
        actual = self._tv_read_batch(client)
        lines = []
        for index, user_id in enumerate(self.ids):
            # a prefetch set of its own: the chatter invalidates caches,
            # and re-reading the whole batch per user would be O(n^2)
            user = self.browse(user_id)
            calls.user = user
            try:
                with self.env.cr.savepoint():
                    lines.append(user._tv_converge(client, actual.get(user_id, plan.UNKNOWN)))
            except ole.OleTVError as exc:
                if exc.transient:
                    lines.append(self.browse(self.ids[index:])._tv_transient(
                        integration, exc, progressed=index > 0))
                    break
                lines.append(user._tv_handle_failure(exc))
        return "\n".join(lines)

    def _tv_read_batch(self, client):
        """{TV user id: subscriber or plan.ABSENT} for the TV users whose
        first step is a read: one call for all of them (by account number for
        a batch of one)."""
        readers = {user.id: user.account_number for user in self
                   if plan.next_step(user._tv_desired()).kind == plan.READ}
        if len(readers) == 1:
            (user_id, account), = readers.items()
            try:
                return {user_id: client.get_subscriber(account)}
            except ole.NotFoundError:
                return {user_id: plan.ABSENT}
        if not readers:
            return {}
        batch = client.get_subscribers(list(readers.values()))
        known = {sub.account_number: sub for sub in batch.subscribers}
        return {user_id: known.get(account, plan.ABSENT) for user_id, account in readers.items()}

    def _tv_desired(self):
        """What Odoo wants for this TV user, for sync_plan."""
        self.ensure_one()
        main, additional = self.product_id.product_tmpl_id.tv_package_codes()
        return plan.Desired(
            to_delete=self.to_delete, platform_state=self.platform_state,
            account_number=self.account_number or False,
            external_ref=self._tv_external_ref(), packages=(main, tuple(additional)),
            access=self.desired_access)

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
        try:
            if step.kind == plan.BLOCK:
                subscriber = client.block_subscriber(step.account)
                self.message_post(body=_("Access blocked on Olé TV (Offline)."))
            else:
                subscriber = client.release_subscriber(step.account)
                self.message_post(body=_("Access released on Olé TV (Online)."))
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
        except ole.NotFoundError:
            pass  # already gone: the goal is reached
        return plan.ABSENT

    # -- outcomes -----------------------------------------------------------------

    def _tv_finish(self, step, actual, deleted):
        if step.kind == plan.IN_SYNC:
            self._tv_apply_subscriber(actual)
            return _("In sync: %s, %s.") % (actual.account_number, actual.status)
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
