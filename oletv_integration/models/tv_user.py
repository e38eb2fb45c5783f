# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's TV user on a contract, mirrored on the TV platform.

Odoo is the master: the TV user holds what it should be on the platform
(present, with its product's packages and the access the contract's status
asks for); queue_job jobs bring the platform to it, never inside the user's
transaction. The decisions are plain Python beside the addon
(access_rules.py: status -> access; sync_plan.py: the next platform call,
queue channels and retries; login_rules.py: logins and MACs); this model
stores, queues and makes the calls they name.

Sections of the class:

- fields, validation, CRUD and buttons. The fields the platform or the
  workflow owns are refused to users (owned_fields.py). One platform account
  never belongs to two TV users, enforced by the database: per TV
  integration, one live (active, not deleted on the platform) TV user per
  login, and one TV user per account number (`init`; databases of the first
  release may hold duplicates: migrations/11.0.1.1.0/pre-migration.py
  resolves them before these indexes are created). A TV user syncs only
  with an integration of its contract's company.
- queueing, through queue_job's public API only. The stored pending state
  of the TV users is the durable queue: a request marks them pending (one
  UPDATE whatever their number) and wakes their integration. A wake-up is a
  job `tv.user()._tv_sync_job(integration_id)` on the integration's channel,
  with the identity key `oletv-sync-<integration>-<slot>-<transaction>`: at
  most one waiting per slot, and at most as many slots as the integration's
  *Concurrent platform calls*, so a burst of 10,000 status changes queues a
  handful of wake-ups, not 10,000 jobs. Each wake-up claims a batch of
  pending TV users and wakes the integration again while some remain. A new
  wish also runs at once a wake-up parked for later (after a 429's
  Retry-After, or a backoff).
- the sync engine: a wake-up claims a batch, reads their platform state in
  one call and brings each to its desired state (sync_plan.next_step
  decides; each TV user in a savepoint of its own). Running it twice is
  harmless, the latest desired state wins whatever order jobs run in, and
  creation looks the login up first, so one TV user never becomes two
  subscribers.
- failures: a transient one retries for ever (max_retries=0) with
  queue_job's retry_pattern, or after the platform's Retry-After within a
  cap; a permanent one stops its TV user with a visible error and an
  activity for the responsible user.
- scheduled reconciliation: reads TV users from the platform in batches
  (users awaiting their first access, then a rolling spot-check of the
  others), detects first accesses and deletions on the panel, queues a sync
  where the platform differs from what Odoo wants, and requeues work a
  crashed worker left behind. Each batch and each sweep runs in a savepoint
  of its own: one failing is logged and rolled back, the others still run."""
import logging
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError, ValidationError

from .. import access_rules as rules
from .. import login_rules
from .. import oletv_client as ole
from ..read_ahead import ReadAhead
from .. import sync_plan as plan
from .owned_fields import TV_USER_OWNED, check_owned_create, check_owned_write, \
    check_system_context
from .tv_api_call import CallRecorder

_logger = logging.getLogger(__name__)

# Fields the platform fixes at creation: changing them means a new TV user.
CREATION_FIELDS = ("login", "technology", "mac_devices", "equipment_model_id", "contract_id")
# The database's uniqueness rules (init)
LIVE_LOGIN_INDEX = "tv_user_live_login_uniq"
ACCOUNT_NUMBER_INDEX = "tv_user_account_number_uniq"
LIVE_LOGIN_WHERE = "platform_state != 'deleted' AND active"
# TV users claimed by one wake-up (one batch read of their platform state).
SYNC_CHUNK_PARAM = "oletv_integration.sync_chunk_size"
DEFAULT_SYNC_CHUNK = 50
# Advisory lock namespace: one running sync per TV user.
SYNC_LOCK_NAMESPACE = 7416
MAX_STEPS = 8  # lookup, create, push packages, access, re-read... and a margin
# Transient failures retry for ever with queue_job's retry_pattern
# (sync_plan.RETRY_PATTERN); a 429's Retry-After wins, within this cap.
RETRY_AFTER_CAP_PARAM = "oletv_integration.retry_after_max_seconds"
DEFAULT_RETRY_AFTER_CAP = 600
# Scheduled reconciliation
STALE_JOB_MINUTES_PARAM = "oletv_integration.stale_job_minutes"
SPOT_CHECK_PARAM = "oletv_integration.reconcile_spot_check"
BATCH_PARAM = "oletv_integration.reconcile_batch_size"
DEFAULT_BATCH = ole.BATCH_SIZE
# PostgreSQL: lock_not_available (NOWAIT), serialization_failure (a row
# changed since this transaction's snapshot), deadlock_detected
LOCK_CONFLICTS = ("55P03", "40001", "40P01")


def normalize_macs(text):
    """One MAC per line (or comma separated) -> canonical text, or raise."""
    macs, invalid = login_rules.split_macs(text)
    if invalid:
        raise ValidationError(_("Invalid MAC address: %s (expected six hex pairs, "
                                "e.g. AA:BB:CC:DD:EE:FF).") % ", ".join(invalid))
    return macs


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


class _ProbeDone(Exception):
    """Ends _tv_changed_since_snapshot's savepoint (its locks are released)."""


class _ReaderCalls:
    """The client's call observer in a reconciliation job: the reader thread
    points it at each batch's own recorder before reading."""
    calls = None

    def __call__(self, record):
        self.calls(record)


class _RoutineResults(dict):
    """{platform state: [TV user ids]}: the routine outcomes of one sync
    batch, written once at its end (a private type: a context value sent
    over RPC is never one). Equal only to itself: Odoo reuses an environment
    whose context compares equal, and two empty batches must not share one.
    `packages`: the batch's platform packages by (product, access)."""
    __eq__ = object.__eq__
    __ne__ = object.__ne__
    __hash__ = object.__hash__

    def __init__(self):
        super().__init__()
        self.packages = {}


class TvUser(models.Model):
    _name = "tv.user"
    _description = "TV User"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _rec_name = "login"
    _order = "id desc"

    contract_id = fields.Many2one(
        "account.analytic.account", required=True,
        ondelete="restrict", index=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, readonly=True)
    company_id = fields.Many2one(related="contract_id.company_id", store=True, readonly=True)
    contract_status = fields.Selection(related="contract_id.contract_status", readonly=True)
    platform = fields.Selection([("oletv", "Olé TV")], required=True, default="oletv")
    technology = fields.Selection(
        [("iptv", "IPTV"), ("ott", "OTT")], string="TV technology", required=True, default="iptv")
    product_id = fields.Many2one(
        "product.product", required=True, ondelete="restrict",
        domain=[("is_tv_product", "=", True)], track_visibility="onchange")
    integration_id = fields.Many2one(
        related="product_id.tv_integration_id", store=True, readonly=True, index=True)
    use_main_email = fields.Boolean(
        string="Use main e-mail", default=True,
        help="Use the customer's e-mail as the login; otherwise type the login.")
    login = fields.Char(required=True, index=True, track_visibility="onchange",
                        help="The customer's login on the platform: a valid e-mail.")
    mac_devices = fields.Text(string="MAC devices", help="One MAC address per line.")
    equipment_model_id = fields.Many2one("tv.equipment.model", string="Equipment",
                                         ondelete="restrict")
    account_number = fields.Char(readonly=True, copy=False, index=True,
                                 track_visibility="onchange",
                                 help="The TV user's ID on the platform, filled after creation.")
    platform_state = fields.Selection(
        [("draft", "Not created"),
         ("awaiting_activation", "Awaiting activation"),
         ("active", "Active"),
         ("blocked", "Blocked"),
         ("deleted", "Deleted on platform")],
        default="draft", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    online = fields.Boolean(compute="_compute_online", store=True,
                            help="Online: access open on the platform. Offline otherwise.")
    desired_access = fields.Selection(
        rules.ACCESS_SELECTION,
        compute="_compute_desired_access", store=True, track_visibility="onchange",
        help="The access the contract's status asks for; applied on the platform "
             "once the customer has accessed it for the first time.")
    sync_state = fields.Selection(
        [("none", "Not requested"), ("synced", "Synced"), ("pending", "Pending sync"),
         ("error", "Sync error")],
        default="pending", required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange",
        help="Pending: a job will apply the desired state on the platform (retried "
             "automatically while the platform is unreachable). Error: the platform "
             "refused; see the message, fix, then Retry sync.")
    sync_error = fields.Text(readonly=True, copy=False,
                             help="The platform's last refusal or failure, if any.")
    last_sync_date = fields.Datetime(readonly=True, copy=False)
    last_check_date = fields.Datetime(readonly=True, copy=False,
                                      help="Last time the scheduled reconciliation read it.")
    to_delete = fields.Boolean(readonly=True, copy=False,
                               help="Removal requested: a job deletes it on the platform.")
    active = fields.Boolean(default=True)
    api_call_ids = fields.One2many("tv.api.call", "tv_user_id", string="API calls",
                                   readonly=True)
    tv_plan_change_ids = fields.One2many("tv.plan.change", "tv_user_id", string="Plan changes",
                                         readonly=True)

    @api.depends("platform_state")
    def _compute_online(self):
        for user in self:
            user.online = rules.is_online(user.platform_state)

    @api.depends("contract_id.tv_access")
    def _compute_desired_access(self):
        """The contract's TV access (its status, read with the company's
        delinquency policy: a late notice may leave the TV untouched)."""
        for user in self:
            user.desired_access = user.contract_id.tv_access or rules.ACCESS_ALLOWED

    @api.onchange("use_main_email", "contract_id")
    def _onchange_use_main_email(self):
        if self.use_main_email:
            self.login = self.contract_id.partner_id.email

    # -- validation ------------------------------------------------------

    @api.constrains("login", "product_id", "active")
    def _check_login(self):
        for user in self:
            if not login_rules.EMAIL_RE.match(user.login or ""):
                raise ValidationError(_("The TV login must be a valid e-mail address: %s")
                                      % (user.login or _("(empty)")))
            if len(user.login) > login_rules.MAX_LOGIN_LENGTH:
                raise ValidationError(_(
                    "The TV login can have at most %(max)d characters (the longest e-mail "
                    "address); this one has %(length)d.")
                    % {"max": login_rules.MAX_LOGIN_LENGTH, "length": len(user.login)})
            if user.login.startswith(login_rules.FORMULA_CHARS):
                raise ValidationError(_(
                    "The TV login cannot start with %(char)s (a spreadsheet would read it as "
                    "a formula; the platform refuses it): %(login)s")
                    % {"char": user.login[0], "login": user.login})
            user._tv_check_login_free(user._tv_live_twin())

    def _tv_check_login_free(self, twin):
        if not twin:
            return
        if not self.search([("id", "=", twin.id)]):  # another company's: not named
            raise ValidationError(_(
                "The login %(login)s is already used by another TV user of this "
                "TV integration.") % {"login": self.login})
        raise ValidationError(_("The login %(login)s is already used by the TV user of "
                                "contract %(contract)s.")
                              % {"login": self.login, "contract": twin.contract_id.display_name})

    @api.constrains("product_id", "contract_id", "platform", "equipment_model_id")
    def _check_product(self):
        for user in self:
            product = user.product_id
            if not product.is_tv_product:
                raise ValidationError(_('"%s" is not a TV product.') % product.display_name)
            if product not in user.contract_id.tv_product_ids:
                raise ValidationError(_(
                    'The product "%(product)s" is not a TV/Streaming line of contract '
                    '%(contract)s.') % {"product": product.display_name,
                                        "contract": user.contract_id.display_name})
            if product.tv_platform != user.platform:
                raise ValidationError(_("The product's TV platform differs from the TV user's."))
            user._check_equipment()

    def _check_equipment(self):
        if not self.equipment_model_id:
            return
        if self.equipment_model_id.integration_id != self.integration_id:
            raise ValidationError(
                _("The equipment model must come from the product's TV integration."))
        if not any(self.product_id.tv_additional_line_ids.mapped("package_id.extra_point")):
            raise ValidationError(_(
                'A TV user with equipment needs a product that includes the "Ponto adicional" '
                'package; "%s" does not.') % self.product_id.display_name)

    @api.model
    def _prepare_values(self, vals):
        vals = dict(vals)
        if vals.get("use_main_email", self._fields["use_main_email"].default(self)) \
                and vals.get("contract_id"):
            contract = self.env["account.analytic.account"].browse(vals["contract_id"])
            vals["login"] = contract.partner_id.email or vals.get("login")
        if vals.get("login"):
            vals["login"] = vals["login"].strip().lower()
        if "mac_devices" in vals:
            vals["mac_devices"] = normalize_macs(vals["mac_devices"])
        return vals

    # -- CRUD ------------------------------------------------------------

    @api.model
    def create(self, vals):
        check_system_context(self)
        check_owned_create(self, [vals], TV_USER_OWNED)
        user = super().create(self._prepare_values(vals))
        if self.env.context.get("tv_no_platform_sync"):
            # the system's value, past this model's own write (its checks and sync)
            bypass = super(TvUser, user)  # pylint: disable=super-method-mismatch
            bypass.write({"sync_state": "none"})
        else:
            user._tv_request_sync()
        return user

    @api.multi
    def write(self, vals):
        check_system_context(self)
        check_owned_write(self, vals, TV_USER_OWNED)
        vals = self._prepare_values(vals) if ("login" in vals or "mac_devices" in vals) else vals
        locked = [name for name in CREATION_FIELDS if name in vals]
        if locked and self.filtered("account_number") \
                and not self.env.context.get("tv_no_platform_sync"):
            raise UserError(_(
                "%s cannot be changed once the TV user exists on the platform: "
                "delete the TV user and create a new one.")
                % ", ".join(self._fields[name].get_description(self.env)["string"]
                            for name in locked))
        result = super().write(vals)
        if "product_id" in vals and not self.env.context.get("tv_no_platform_sync"):
            self.filtered("account_number")._tv_request_sync()
        return result

    @api.multi
    def unlink(self):
        """A TV user that may exist on the platform is archived and deleted
        there by a job (its history stays); only those that provably never
        reached it (never requested, or deleted there) are deleted at once."""
        check_system_context(self)
        on_platform = self.filtered(lambda u: u._tv_may_be_on_platform())
        if self.env.context.get("tv_no_platform_sync"):
            on_platform = self.browse()
        if on_platform:
            # owned fields, past this model's own write (its checks and sync)
            bypass = super(TvUser, on_platform)  # pylint: disable=super-method-mismatch
            bypass.write({"to_delete": True, "active": False})
            on_platform._tv_request_sync()
        return super(TvUser, self - on_platform).unlink()

    def _tv_write_owned(self, vals):
        """Write fields the platform owns: the addon's own methods only."""
        return self.sudo().write(vals)

    def _tv_may_be_on_platform(self):
        """Live there, or a create was requested: its job may be running, or a
        create may have gone through although its answer was lost."""
        return self.platform_state in plan.LIVE_STATES or (
            self.platform_state == "draft" and self.sync_state != "none")

    # -- buttons -----------------------------------------------------------

    @api.multi
    def action_sync_now(self):
        """Retry / sync now: queue a job that applies the desired state. A
        proposal from the sales flow is created only by Create on platform."""
        proposals = self.filtered(lambda user: user._tv_is_proposal())
        if proposals and proposals == self:
            raise UserError(_("%(logins)s is a proposal not created on the platform yet: "
                              "check it and use Create on platform.")
                            % {"logins": ", ".join(proposals.mapped("login"))})
        (self - proposals)._tv_request_sync()
        return True

    @api.multi
    def action_create_on_platform(self):
        self.filtered(lambda u: u.platform_state == "draft")._tv_request_sync()
        return True

    @api.multi
    def action_refresh_from_platform(self):
        """Check on platform: the job reads the platform's state (first access,
        deletion on the panel) and applies the desired access."""
        self.filtered(lambda u: u.platform_state in plan.LIVE_STATES)._tv_request_sync()
        return True

    @api.multi
    def action_recreate_on_platform(self):
        """For a user deleted on the panel: create it again from Odoo."""
        deleted = self.filtered(lambda u: u.platform_state == "deleted" and not u.to_delete)
        for user in deleted:  # live again: its login must be free
            user._tv_check_login_free(user._tv_live_twin(assume_live=True))
        # owned fields, past this model's own write (the creation fields' lock)
        bypass = super(TvUser, deleted)  # pylint: disable=super-method-mismatch
        bypass.write({"account_number": False, "platform_state": "draft"})
        deleted._tv_request_sync()
        return True

    @api.constrains("product_id", "contract_id")
    def _check_integration_company(self):
        for user in self.sudo():
            company = user.contract_id.company_id
            integration = user.integration_id
            if company and integration.company_id and integration.company_id != company:
                raise ValidationError(_(
                    "The TV integration %(integration)s belongs to %(integration_company)s, "
                    "not to the contract's company %(company)s: a TV user syncs only with an "
                    "integration of its contract's company.") % {
                        "integration": integration.name,
                        "integration_company": integration.company_id.name,
                        "company": company.name})

    @api.model_cr
    def init(self):
        # pylint: disable=sql-injection
        # (constant index names and WHERE clause of this module: no input)
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON tv_user (integration_id, lower(login)) "
            "WHERE %s" % (LIVE_LOGIN_INDEX, LIVE_LOGIN_WHERE))
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS %s ON tv_user (integration_id, account_number) "
            "WHERE account_number IS NOT NULL" % ACCOUNT_NUMBER_INDEX)

    def _tv_live_twin(self, assume_live=False):
        """Another live TV user of the same integration with this login (the
        rule of the live login index, exact and case-insensitive: no
        wildcard), whatever its company; an empty recordset if none, or if
        this one is not live (unless assume_live: about to become live)."""
        self.ensure_one()
        live = assume_live or (self.active and self.platform_state != "deleted")
        if not (live and self.integration_id):
            return self.browse()
        return self._tv_login_holder(self.integration_id.id, self.login, exclude_id=self.id)

    @api.model
    def _tv_login_holder(self, integration_id, login, exclude_id=None):
        """The live TV user of the integration with this login (the rule of
        the live login index, exact and case-insensitive: no wildcard),
        whatever its company, other than exclude_id; empty if none. The one
        login-uniqueness check: the TV users' constraint, Re-create and the
        sales flow's proposals use it."""
        self.env.cr.execute(
            "SELECT id FROM tv_user WHERE id != %s AND integration_id = %s "
            "AND lower(login) = lower(%s) AND " + LIVE_LOGIN_WHERE + " ORDER BY id LIMIT 1",
            (exclude_id or 0, integration_id, login))
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

    def _tv_external_ref(self):
        """The reference sent with the create: the platform keeps it, and it
        proves a subscriber was created for this TV user."""
        self.ensure_one()
        return "odoo-tv-user-%d" % self.id
    # == queueing ==============================================================

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
        self._tv_lock_for_request("id IN %s", (tuple(self.ids),))
        self.env.cr.execute(
            "UPDATE tv_user SET sync_state = 'pending', write_uid = %s, "
            "write_date = now() at time zone 'UTC' "
            "WHERE id IN %s AND (platform_state != 'deleted' OR to_delete) "
            "RETURNING id, integration_id", (self.env.uid, tuple(self.ids)))
        rows = self.env.cr.fetchall()
        self.invalidate_cache(["sync_state", "write_uid", "write_date"], self.ids)
        self._tv_wake_rows(rows)
        return True

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
                    channel=plan.JOB_CHANNEL, max_retries=0)._tv_sync_job()
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

    def _tv_wake(self, integration_id, pending, eta=None, slots=None):
        """Make sure wake-ups wait for `pending` TV users of the integration:
        one per claim (sync_plan.wake_slots), at most its capacity, or
        `slots`. Returns the jobs created."""
        integration = self.env["tv.integration"].sudo().browse(integration_id)
        if slots is None:
            slots = plan.wake_slots(pending, self._tv_chunk_size(), integration.max_concurrency)
        jobs = self.env["queue.job"].sudo()
        self.env.cr.execute("SELECT txid_current()")
        transaction = self.env.cr.fetchone()[0]
        created = 0
        for slot in range(slots):
            key = plan.WAKE_KEY % (integration_id, slot, transaction)
            waiting = jobs.search([("identity_key", "=", key),
                                   ("state", "in", ("pending", "enqueued"))], limit=1)
            if waiting:
                if waiting.eta and not eta and waiting.state == "pending":
                    waiting.eta = False  # a new wish: a parked wake-up runs now
                continue
            self.browse()._tv_quiet_jobs().with_delay(
                channel=plan.channel_of(integration_id), identity_key=key, max_retries=0,
                eta=eta, description=_("Olé TV: sync the pending TV users of %(name)s")
                % {"name": integration.name})._tv_sync_job(integration_id)
            created += 1
        return created

    def _tv_pending_count(self, integration_id):
        self.env.cr.execute(
            "SELECT count(*) FROM tv_user WHERE integration_id = %s AND sync_state = 'pending' "
            "AND (platform_state != 'deleted' OR to_delete)", (integration_id,))
        return self.env.cr.fetchone()[0]

    def _tv_wake_ups(self, integration_id):
        """The integration's wake-ups queued or running (this one included)."""
        return self.env["queue.job"].sudo().search_count([
            ("channel", "=", plan.channel_of(integration_id)),
            ("method_name", "=", "_tv_sync_job"),
            ("state", "in", ("pending", "enqueued", "started"))])

    def _tv_wake_if_pending(self, integration):
        """After a batch: while TV users wait, one wake-up takes this job's
        slot again (the other slots' jobs wake their own successors; one
        each keeps the capacity busy without a pile of empty wake-ups)."""
        pending = self._tv_pending_count(integration.id)
        if pending:
            self._tv_wake(integration.id, pending, slots=1)
        return pending

    @api.model
    def _tv_pending_by_integration(self):
        """{integration id: TV users pending} (the lost-sync sweep)."""
        self.env.cr.execute(
            "SELECT integration_id, count(*) FROM tv_user WHERE sync_state = 'pending' "
            "AND (platform_state != 'deleted' OR to_delete) GROUP BY integration_id")
        return dict(self.env.cr.fetchall())
    # == sync engine ===========================================================

    @job(default_channel=plan.JOB_CHANNEL, retry_pattern=plan.RETRY_PATTERN)
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
        """Claim a share of the integration's pending TV users (split
        between the wake-ups queued or running, at most the capacity;
        sync_plan.claim_size), sync them, and wake the integration again
        while TV users remain pending."""
        integration = self.env["tv.integration"].browse(integration_id)
        size = plan.claim_size(self._tv_pending_count(integration_id), self._tv_chunk_size(),
                               min(integration.max_concurrency or 1,
                                   self._tv_wake_ups(integration_id) or 1))
        self.env.cr.execute(
            "SELECT id FROM (SELECT id FROM tv_user WHERE integration_id = %s "
            "AND sync_state = 'pending' AND (platform_state != 'deleted' OR to_delete) "
            "ORDER BY id LIMIT %s) c WHERE pg_try_advisory_xact_lock(%s, c.id) LIMIT %s",
            (integration_id, size * 8, SYNC_LOCK_NAMESPACE, size))
        users = self.browse([row[0] for row in self.env.cr.fetchall()])
        if not users or not integration.exists():
            return _("Nothing to sync.")
        if users._tv_changed_since_snapshot():
            self._tv_wake(integration_id, len(users), slots=1)
            return _("TV users synced by another job since this one started: a new wake-up "
                     "takes the pending ones.")
        result = users._tv_sync_batch(integration)
        self._tv_wake_if_pending(integration)
        return result

    def _tv_changed_since_snapshot(self):
        """True when another job stored one of these TV users after this
        job's snapshot (taken before its claim, by the counts that size it):
        it still looks pending here, and syncing it again would repeat its
        platform call. A probe: the row locks are released at once, and a
        row a request is changing right now is not a change (the store
        handles it)."""
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM tv_user WHERE id IN %s ORDER BY id FOR NO KEY UPDATE NOWAIT",
                    (tuple(self.ids),), log_exceptions=False)
                raise _ProbeDone()  # roll back to the savepoint: the row locks go with it
        except _ProbeDone:
            return False
        except psycopg2.OperationalError as exc:
            if exc.pgcode == "40001":  # updated by a transaction committed after the snapshot
                return True
            if exc.pgcode in LOCK_CONFLICTS:
                return False
            raise

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
        to _tv_transient with the TV users left."""
        calls = _UserCallRecorder()
        try:
            with integration._client(calls) as client:
                return self._tv_sync_each(integration, client, calls)
        except ole.OleTVError as exc:  # no client, or the batch read failed
            if exc.transient:
                return self._tv_transient(integration, exc, progressed=False)
            return "\n".join(user._tv_handle_failure(exc) for user in self)
        finally:
            self.env["tv.api.call"]._record_batch(integration, calls.by_user())

    def _tv_sync_each(self, integration, client, calls):
        routine = _RoutineResults()
        # one environment for the batch: its fields are read once, here
        batch = self.with_context(tv_routine_results=routine)
        actual = batch._tv_read_batch(client)
        lines = []
        try:
            for index, user_id in enumerate(self.ids):
                # a prefetch set of its own: the chatter invalidates caches,
                # and re-reading the whole batch per user would be O(n^2)
                user = batch.browse(user_id)
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
        finally:
            self._tv_store_routine(routine)
        return "\n".join(lines)

    def _tv_defer_routine(self, subscriber):
        """A routine outcome in a batch (a live TV user of known account still
        active or blocked, e.g. after a block or a release): kept for one
        write of the whole batch (_tv_store_routine) instead of a tracked
        write per TV user. True if deferred."""
        routine = self.env.context.get("tv_routine_results")
        if not isinstance(routine, _RoutineResults):  # only the engine's own batch
            return False
        if self.platform_state not in plan.KNOWN_ACCESS_STATES \
                or subscriber.status not in plan.KNOWN_ACCESS_STATES \
                or subscriber.account_number != self.account_number:
            return False
        routine.setdefault(subscriber.status, []).append(self.id)
        return True

    def _tv_store_routine(self, routine):
        """Store the batch's routine outcomes: one write per platform state,
        without chatter tracking (the audit trail keeps each call)."""
        now = fields.Datetime.now()
        for status, user_ids in sorted(routine.items()):
            users = self.browse(user_ids)._tv_lock_rows()
            users.with_context(tracking_disable=True).write({
                "platform_state": status, "sync_state": "synced", "sync_error": False,
                "last_sync_date": now, "last_check_date": now})
        routine.clear()

    def _tv_lock_rows(self):
        """Lock these TV users' rows for this job's writes, quietly (no
        error, no log line): returns those locked. A row a request is
        changing right now, or changed since this job's snapshot (a newer
        wish, or another job), is left out and checked again by a job of its
        own a few seconds later: writing it would fail the whole job with a
        serialization error."""
        if not self.ids:
            return self
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM tv_user WHERE id IN %s ORDER BY id FOR NO KEY UPDATE NOWAIT",
                    (tuple(self.ids),), log_exceptions=False)
                return self.browse([row[0] for row in self.env.cr.fetchall()])
        except psycopg2.OperationalError as exc:
            if exc.pgcode not in LOCK_CONFLICTS:
                raise
        if len(self) > 1:  # which ones: row by row
            return self.browse([user.id for user in self if user._tv_lock_rows()])
        _logger.info("TV user %s changed while its sync ran: checked again by a new job.",
                     self.id)
        self._tv_quiet_jobs().with_delay(
            channel=plan.channel_of(self.integration_id.id) if self.integration_id
            else plan.JOB_CHANNEL, max_retries=0, eta=5)._tv_sync_job()
        return self.browse()

    @api.model
    def _tv_lock_for_request(self, domain_sql, params):
        """A request about to change TV users (their desired access, their
        pending mark) first locks their rows, waiting for a job that is
        storing them; if one was stored since this request's snapshot, the
        request fails here with PostgreSQL's serialization error, which Odoo
        retries, rather than later in an UPDATE that logs an ERROR line."""
        # pylint: disable=sql-injection
        # (domain_sql is a constant condition of this module's callers)
        self.env.cr.execute("SELECT id FROM tv_user WHERE " + domain_sql
                            + " ORDER BY id FOR NO KEY UPDATE", params, log_exceptions=False)
        return [row[0] for row in self.env.cr.fetchall()]

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
        # a batch's TV users share a few products: their packages once each
        routine = self.env.context.get("tv_routine_results")
        cache = routine.packages if isinstance(routine, _RoutineResults) else {}
        key = (self.product_id.id, self.desired_access)
        if key not in cache:
            cache[key] = self.product_id.product_tmpl_id._tv_platform_packages(
                self.desired_access)
        packages = cache[key]
        return plan.Desired(
            to_delete=self.to_delete, platform_state=self.platform_state,
            account_number=self.account_number or False,
            external_ref=self._tv_external_ref(), packages=packages,
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
        retry_pattern's backoff."""
        message = integration.platform_error_message(exc)
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
    # == scheduled reconciliation ==============================================

    @api.model
    def _cron_reconcile(self):
        failures = 0
        # a handful of integrations
        for integration in self.env["tv.integration"].search([]):  # pylint: disable=no-search-all
            failures += self._reconcile_integration(integration)
        for sweep in (self._requeue_stale_jobs, self._requeue_lost_syncs,
                      self._requeue_failed_deletions):
            failures += not self._isolated(sweep.__name__, sweep)
        return failures == 0

    def _isolated(self, what, function, *args):
        """Run function in a savepoint; on failure roll it back, log it and
        return False (the caller goes on with the next batch)."""
        try:
            with self.env.cr.savepoint():
                function(*args)
            return True
        except Exception:
            _logger.exception("TV reconciliation: %s failed; rolled back, the rest goes on.",
                              what)
            self.invalidate_cache()
            return False

    def _reconcile_integration(self, integration):
        spot_check = int(self.env["ir.config_parameter"].sudo().get_param(SPOT_CHECK_PARAM, 1000))
        base = [("integration_id", "=", integration.id), ("to_delete", "=", False),
                ("account_number", "!=", False)]
        awaiting = self.search(base + [("platform_state", "=", "awaiting_activation")])
        others = self.search(base + [("platform_state", "in", ("active", "blocked")),
                                     ("sync_state", "=", "synced")],
                             order="last_check_date, id", limit=spot_check)
        user_ids = (awaiting | others).ids
        size = max(1, int(self.env["ir.config_parameter"].sudo().get_param(
            BATCH_PARAM, DEFAULT_BATCH)))
        batches = [user_ids[start:start + size] for start in range(0, len(user_ids), size)]
        shares = plan.reconcile_shares(len(batches), integration.max_concurrency)
        if len(shares) == 1:  # one job's worth: here
            return self._reconcile_batches(integration, batches)
        # the batch reads spread over the integration's channel (its capacity)
        for share in shares:
            self.browse()._tv_quiet_jobs().with_delay(
                channel=plan.channel_of(integration.id), max_retries=1,
                description=_("Olé TV: reconcile %(count)d TV users of %(name)s") % {
                    "count": sum(len(batches[index]) for index in share),
                    "name": integration.name},
            )._tv_reconcile_job(integration.id, [batches[index] for index in share])
        return 0

    @job(default_channel=plan.JOB_CHANNEL)
    @api.model
    def _tv_reconcile_job(self, integration_id, batches):
        """Olé TV: reconcile a share of an integration's TV users"""
        model = self.sudo().with_context(active_test=False)
        integration = model.env["tv.integration"].browse(integration_id).exists()
        if not integration:
            return _("The TV integration no longer exists: nothing to do.")
        failures = model._reconcile_batches(integration, batches)
        return _("%(count)d batch(es) read, %(failures)d failed (logged).") % {
            "count": len(batches), "failures": failures}

    def _reconcile_batches(self, integration, batches):
        """Read each batch of TV user ids from the platform and apply it in a
        savepoint of its own; returns the failures. The reads run one batch
        ahead of Odoo's work on them (read_ahead.py), still one platform call
        at a time. A batch the platform could not be read is skipped (the
        next run reads it again)."""
        # Only the columns the comparison needs, in one query for all batches
        # (the job's transaction sees one snapshot; an ORM read of 2,500 TV
        # users costs a quarter of a second before the first platform read)
        self.env.cr.execute(
            "SELECT id, account_number, platform_state, desired_access, product_id "
            "FROM tv_user WHERE id = ANY(%s)",
            ([user_id for user_ids in batches for user_id in user_ids],))
        rows = {row["id"]: row for row in self.env.cr.dictfetchall()}
        batches = [ids for ids in ([user_id for user_id in user_ids if user_id in rows]
                                   for user_ids in batches) if ids]
        observer = _ReaderCalls()
        try:
            client = integration._client(observer)
        except ole.OleTVError as exc:
            _logger.warning("TV reconciliation of integration %s skipped: %s", integration.id, exc)
            return 0
        except UserError as exc:  # no API URL configured
            _logger.error("TV reconciliation of integration %s skipped: %s", integration.id,
                          exc.name)
            return len(batches)

        def read(user_ids):  # in the reader thread: the client only, never the cursor
            observer.calls = CallRecorder()
            try:
                return observer.calls, client.get_subscribers(
                    [rows[user_id]["account_number"] for user_id in user_ids])
            except ole.OleTVError as exc:
                return observer.calls, exc

        failures = 0
        with client, ReadAhead(read, batches) as reads:
            for user_ids, result, error in reads:
                if error:  # not the platform's refusal: a defect, logged as a failed batch
                    _logger.error("TV reconciliation of integration %s: a batch read failed: %r",
                                  integration.id, error)
                    failures += 1
                    continue
                calls, answer = result
                self.env["tv.api.call"]._record(integration, calls)
                if isinstance(answer, ole.OleTVError):
                    _logger.warning("TV reconciliation of integration %s skipped a batch: %s",
                                    integration.id, answer)
                    continue
                failures += not self._isolated(
                    "batch of integration %d from TV user %d" % (integration.id, user_ids[0]),
                    self._apply_batch, self.browse(user_ids), answer,
                    {user_id: rows[user_id] for user_id in user_ids})
        return failures

    def _apply_batch(self, users, batch, rows):
        users = users._tv_lock_rows()  # changed meanwhile: checked by a job of its own
        locked = set(users.ids)
        rows = {user_id: row for user_id, row in rows.items() if user_id in locked}
        by_account = {row["account_number"]: row for row in rows.values()}
        packages = {}  # (product id, access) -> (main, additional): the same few for everyone
        to_sync = []
        for subscriber in batch.subscribers:
            row = by_account.get(subscriber.account_number)
            if not row:
                continue
            if subscriber.status not in ole.STATUSES:
                self.browse(row["id"])._tv_unknown_status(subscriber)
                continue
            if subscriber.status != row["platform_state"]:
                # tracked: first access shows in chatter
                self.browse(row["id"]).platform_state = subscriber.status
            key = (row["product_id"], row["desired_access"])  # reduced: main package only
            if key not in packages:
                packages[key] = self.env["product.product"].browse(
                    row["product_id"]).product_tmpl_id._tv_platform_packages(row["desired_access"])
            if self._differs(row["desired_access"], packages[key], subscriber):
                to_sync.append(row["id"])
        for account in batch.missing:
            if account in by_account:
                self.browse(by_account[account]["id"])._tv_mark_deleted()
        # a technical timestamp, not tracked: skip the chatter's tracking pass
        users.with_context(tracking_disable=True).write(
            {"last_check_date": fields.Datetime.now()})
        self.browse(to_sync)._tv_request_sync()

    def _tv_unknown_status(self, subscriber):
        """Shown as a sync error (with an activity); the next run reads it again."""
        message = self._tv_unknown_status_message(subscriber)
        if self.sync_state == "error" and self.sync_error == message:
            return
        self.write({"sync_state": "error", "sync_error": message})
        self.message_post(body=message)
        self._tv_schedule_activity(_("Olé TV answered an unknown status"), message)

    @staticmethod
    def _differs(desired_access, package_codes, subscriber):
        main, additional = package_codes
        return plan.needs_sync(plan.Desired(
            to_delete=False, platform_state=subscriber.status,
            account_number=subscriber.account_number, external_ref=None,
            packages=(main, tuple(additional)), access=desired_access), subscriber)

    @api.model
    def _requeue_lost_syncs(self):
        """TV users still pending with no wake-up waiting (e.g. one lost with
        a crashed worker): wake their integrations (identity keys skip a
        wake-up already waiting). Returns the wake-ups queued."""
        return sum(self._tv_wake(integration_id, count) for integration_id, count
                   in self._tv_pending_by_integration().items() if integration_id)

    @api.model
    def _requeue_failed_deletions(self):
        """A TV user removed in Odoo whose deletion on the platform failed
        (refused, or its job failed) may still give TV access: try again at
        each run until the platform confirms."""
        failed = self.with_context(active_test=False).search([
            ("to_delete", "=", True), ("sync_state", "=", "error"),
            ("platform_state", "!=", "deleted")])
        failed._tv_request_sync()
        return len(failed)

    @api.model
    def _requeue_stale_jobs(self):
        """A worker killed mid-job leaves its job 'started' for ever; the job
        is idempotent, so after a while it is safe to run it again."""
        minutes = float(self.env["ir.config_parameter"].sudo().get_param(
            STALE_JOB_MINUTES_PARAM, 15))
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(minutes=minutes))
        stale = self.env["queue.job"].sudo().search([
            ("model_name", "=", self._name),
            ("method_name", "in", ("_tv_sync_job", "_tv_reconcile_job")),
            ("state", "in", ("started", "enqueued")), ("date_enqueued", "<", limit)])
        if stale:
            _logger.warning("Requeuing %d TV sync job(s) left behind by a stopped worker.",
                            len(stale))
            stale.requeue()
        return len(stale)
