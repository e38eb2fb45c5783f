# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""One TV user's sync and its outcomes.

- `Convergence(user, client, routine)`: the platform calls sync_plan names
  until a final step (creation looks the login up first, so one TV user
  never becomes two subscribers);
- `Outcomes(user)`: what is stored about the TV user: the platform's
  state, a deletion on the panel, a refusal (a visible error and an
  activity for the responsible user; Retry sync queues it again);
- `RoutineResults`: a batch's routine outcomes, kept for one write of the
  whole batch (sync_batch.py), and the platform packages of its products.

Transient failures are the batch's (sync_batch.py): they retry for ever
(max_retries=0) with queue_job's retry_pattern, or after the platform's
Retry-After within a cap."""
from odoo import _, fields

from .. import oletv_client as ole
from ..core import access_rules as rules
from ..core import sync_plan as plan
from .activities import open_activities
from .customer_documents import CustomerDocuments
from .errors import DocumentRefused, LoginTaken, NotSettled, SyncRefused, UnknownStatus
from .tv_packages import PlatformPackages

MAX_STEPS = 8  # lookup, create, push packages, access, re-read... and a margin


class RoutineResults:
    """The routine outcomes of one sync batch, {platform state: [TV user
    ids]}, written once at its end (sync_batch.SyncBatch.store_routine), and
    the platform packages of its TV users (tv_packages.py: a batch's TV
    users share a few plans and add-ons)."""

    def __init__(self, env):
        self.by_state = {}
        self.packages = PlatformPackages(env)

    def defer(self, user, subscriber):
        """Keep a routine outcome (a live TV user of known account still
        active or blocked, e.g. after a block or a release) for the batch's
        one write instead of a tracked write per TV user. True if kept."""
        if user.platform_state not in plan.KNOWN_ACCESS_STATES \
                or subscriber.status not in plan.KNOWN_ACCESS_STATES \
                or subscriber.account_number != user.account_number:
            return False
        self.by_state.setdefault(subscriber.status, []).append(user.id)
        return True


def desired(user, routine=None):
    """What Odoo wants for this TV user, for sync_plan."""
    user.ensure_one()
    packages = (routine.packages if routine is not None
                else PlatformPackages(user.env)).of_user(user)
    return plan.Desired(
        to_delete=user.to_delete, platform_state=user.platform_state,
        account_number=user.account_number or False,
        external_ref=user._tv_external_ref(), packages=packages,
        access=user.desired_access)


class Convergence:
    """The sync of one TV user with `client`: the calls sync_plan names
    until a final step. `routine`: the batch's RoutineResults, or None."""

    def __init__(self, tv_user, client, routine=None):
        tv_user.ensure_one()
        self.tv_user = tv_user
        self.env = tv_user.env
        self.client = client
        self.routine = routine
        self.outcomes = Outcomes(tv_user)

    def desired(self):
        return desired(self.tv_user, self.routine)

    def run(self, actual=plan.UNKNOWN):
        """Make the calls until a final step; returns the job's line for it,
        or raises the client's error or a SyncRefused."""
        self.check_document()
        want, deleted = self.desired(), None
        for _step in range(MAX_STEPS):
            step = plan.next_step(want, actual)
            if step.kind in plan.FINAL:
                return self.finish(step, actual, deleted)
            if step.kind == plan.ADOPT:
                self.tv_user.message_post(body=_("Linked to the existing Olé TV subscriber %s "
                                                 "(login already on the platform).") % step.account)
                want = want._replace(account_number=step.account)
            elif step.kind == plan.CREATE:
                actual, created = self.create_subscriber()
                if created:
                    want = want._replace(account_number=actual.account_number)
            elif step.kind == plan.DELETE:
                actual, deleted = self.delete_subscriber(step.account), step.account
            else:
                actual = self.call(step)
        raise NotSettled(_("The sync of %(login)s did not settle; nothing more was "
                           "changed. Retry sync.") % {"login": self.tv_user.login})

    def check_document(self):
        """A TV user to create whose customer's CPF/CNPJ is not valid (it
        may have changed since the creation was requested) is refused
        before any platform call."""
        contract = self.tv_user.contract_id
        if self.tv_user._tv_to_create():
            refusal = CustomerDocuments(self.env).problem(contract.partner_id,
                                                          contract.company_id)
            if refusal:
                raise DocumentRefused(refusal)

    def call(self, step):
        """The platform call of a step; the answer is the new actual state."""
        client, tv_user = self.client, self.tv_user
        if step.kind == plan.LOOKUP:
            return client.find_subscriber_by_login(tv_user.login) or plan.ABSENT
        if step.kind == plan.READ:
            try:
                return client.get_subscriber(step.account)
            except ole.NotFoundError:
                return plan.ABSENT
        if step.kind == plan.PUSH_PACKAGES:
            main, additional = self.desired().packages
            subscriber = client.change_packages(step.account, main, list(additional))
            tv_user.message_post(body=_("Packages changed on Olé TV to %s.")
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

    def create_subscriber(self):
        """Create the subscriber: (subscriber, True). A login taken meanwhile
        (an earlier try whose answer was lost) is looked up: (found, False),
        and sync_plan adopts it only if our create made it."""
        tv_user = self.tv_user
        # created with every package of its plan and add-ons; the access follows
        main, additional = PlatformPackages(self.env).of_user(tv_user, rules.ACCESS_ALLOWED)
        try:
            subscriber = self.client.create_subscriber(
                tv_user.login, main, list(additional),
                mac_devices=(tv_user.mac_devices or "").split(),
                equipment=tv_user.equipment_model_id.code or None,
                technology=tv_user.technology, external_ref=tv_user._tv_external_ref())
        except ole.LoginTakenError:
            found = self.client.find_subscriber_by_login(tv_user.login)
            if not found:
                raise
            return found, False
        tv_user.message_post(body=_("Created on Olé TV: account %s, awaiting the customer's "
                                    "first access.") % subscriber.account_number)
        return subscriber, True

    def delete_subscriber(self, account):
        try:
            self.client.delete_subscriber(account)
        except ole.NotFoundError:  # already gone: the goal is reached
            return plan.ABSENT
        return plan.ABSENT

    def finish(self, step, actual, deleted):
        tv_user, outcomes = self.tv_user, self.outcomes
        if step.kind == plan.IN_SYNC:
            if not tv_user.account_number:  # bound now: created (or adopted) by this sync
                tv_user._tv_notify_welcome()
            outcomes.apply_subscriber(actual, routine=self.routine)
            return _("In sync: %(account)s, %(status)s.") % {
                "account": actual.account_number, "status": actual.status}
        if step.kind == plan.REFUSE_LOGIN:
            raise LoginTaken(self.login_taken_message(actual))
        if step.kind == plan.UNKNOWN_STATUS:
            raise UnknownStatus(outcomes.unknown_status_message(actual))
        if step.kind == plan.GONE:
            outcomes.mark_deleted()
            return _("Deleted on the platform's panel.")
        if step.kind == plan.FORGET:
            return outcomes.forget(step.account or deleted)
        return _("Deleted on the platform: waiting for Re-create.")

    def login_taken_message(self, subscriber):
        return _(
            "Olé TV subscriber %(account)s already uses the login %(login)s and was not "
            "created by this TV user (its external reference is %(ref)s), so it is not "
            "linked. Use another login, or delete the TV user that holds it; a subscriber "
            "made outside Odoo is linked with Link existing subscribers.") % {
                "account": subscriber.account_number, "login": self.tv_user.login,
                "ref": subscriber.external_ref or _("(none)")}


def subscriber_values(subscriber):
    """A TV user's values that say what the platform answered about its
    subscriber (read just now: synced)."""
    now = fields.Datetime.now()
    return {"account_number": subscriber.account_number, "platform_state": subscriber.status,
            "sync_state": plan.SYNC_SYNCED, "sync_error": False, "last_sync_date": now,
            "last_check_date": now}


class Outcomes:
    """What is stored about one TV user after the platform answered (or
    refused): its writes, chatter messages and activities."""

    def __init__(self, tv_user):
        tv_user.ensure_one()
        self.tv_user = tv_user
        self.env = tv_user.env

    def apply_subscriber(self, subscriber, message=None, routine=None):
        """Store what the platform says about this TV user (a routine
        outcome is left to the batch's `routine`, if any)."""
        self.check_status(subscriber)
        if not message and routine is not None and routine.defer(self.tv_user, subscriber):
            return
        self.tv_user.write(subscriber_values(subscriber))
        if message:
            self.tv_user.message_post(body=message)

    def check_status(self, subscriber):
        """A status the addon does not know stops this TV user with a visible
        error (nothing is changed on the platform), not the whole job."""
        if subscriber.status not in ole.STATUSES:
            raise UnknownStatus(self.unknown_status_message(subscriber))

    def unknown_status_message(self, subscriber):
        return _("Olé TV answered the unknown status %(status)s for subscriber %(account)s; "
                 "nothing was changed. Check the subscriber on the Olé TV panel, then "
                 "Retry sync.") % {"status": subscriber.status,
                                   "account": subscriber.account_number}

    def unknown_status(self, subscriber):
        """The reconciliation read an unknown status: shown as a sync error
        (with an activity); the next run reads it again."""
        tv_user = self.tv_user
        message = self.unknown_status_message(subscriber)
        if tv_user.sync_state == "error" and tv_user.sync_error == message:
            return
        tv_user.write({"sync_state": "error", "sync_error": message})
        tv_user.message_post(body=message)
        self.schedule_activity(_("Olé TV answered an unknown status"), message)

    def forget(self, account):
        """Removed: nothing (more) of it on the platform."""
        values = {"platform_state": "deleted", "sync_state": "synced", "sync_error": False,
                  "last_sync_date": fields.Datetime.now()}
        if account:
            values["account_number"] = account
        self.tv_user.write(values)
        self.tv_user.message_post(body=_("Deleted on Olé TV."))
        return _("Deleted on the platform.")

    def mark_deleted(self):
        tv_user = self.tv_user
        tv_user.write({"platform_state": "deleted", "sync_state": "error",
                       "last_sync_date": fields.Datetime.now(),
                       "sync_error": _("The subscriber was deleted on the platform's panel.")})
        message = _("Olé TV no longer knows account %s: it was deleted on the panel. "
                    "Re-create it on the platform or delete this TV user.") % tv_user.account_number
        tv_user.message_post(body=message)
        self.schedule_activity(_("TV user deleted on the Olé TV panel"), message)

    @staticmethod
    def decided_by_odoo(exc):
        """True for a refusal nothing on the platform answered: the addon's
        own (a SyncRefused), or the client's refusal to send a call (an
        unsafe API URL; a redirect, with its status, is the platform's)."""
        return isinstance(exc, SyncRefused) or (
            isinstance(exc, ole.ConfigurationError) and not exc.status_code)

    def failure_message(self, exc):
        """The explanation of a permanent failure: the addon's own refusal in
        its own words, or the platform's (a client exception) as Olé TV's."""
        if isinstance(exc, SyncRefused):
            return exc.message
        return self.tv_user.integration_id._platform_error_message(exc)

    def handle_failure(self, exc):
        """A permanent refusal: stop this TV user, show the message, and ask
        the responsible user to act; Retry sync queues it again. The chatter
        and the activity say who refused: Odoo itself, or Olé TV."""
        message = self.failure_message(exc)
        self.tv_user.write({"sync_state": "error", "sync_error": message,
                            "last_sync_date": fields.Datetime.now()})
        if self.decided_by_odoo(exc):
            self.tv_user.message_post(body=_("Odoo stopped the sync: %s") % message)
            self.schedule_activity(_("Odoo stopped a TV user's sync"), message)
        else:
            self.tv_user.message_post(body=_("Olé TV refused the change: %s") % message)
            self.schedule_activity(_("Olé TV refused a TV user change"), message)
        return _("Failed: %s") % message

    def schedule_activity(self, summary, note):
        tv_user = self.tv_user
        responsible = tv_user.contract_id.user_id or self.env.ref("base.user_root")
        if open_activities(tv_user.activity_ids).filtered(
                lambda activity: activity.summary == summary):
            return
        self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get(tv_user._name).id,
            "res_id": tv_user.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": summary, "note": note, "user_id": responsible.id,
            "date_deadline": fields.Date.context_today(tv_user),
        })
