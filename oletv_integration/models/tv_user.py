# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A customer's TV user on a contract, mirrored on the TV platform.

Odoo is the master: the TV user holds what it should be on the platform
(present, with its product's packages and the access the contract's status
asks for); queue_job jobs bring the platform to it, never inside the user's
transaction. The decisions are plain Python in ../core (access_rules.py:
status -> access; sync_plan.py: the next platform call, queue channels and
retries; login_rules.py: logins and MACs).

This file is the whole tv.user model: its fields, validation, CRUD and
buttons, the methods other models call, and the entry points of its
queue_job jobs and scheduled action. The fields the platform or the
workflow owns are refused to users (owned_fields.py). One platform account
never belongs to two TV users, enforced by the database: per TV
integration, one live (active, not deleted on the platform) TV user per
login, and one TV user per account number (`init`; databases of the first
release may hold duplicates: migrations/11.0.1.1.0/pre-migration.py
resolves them before these indexes are created). A TV user syncs only with
an integration of its contract's company.

The work behind the entry points is in ../services, plain classes with
explicit inputs: the queue of wake-ups (wake_ups.py), the row locks
(row_locks.py), a sync batch (sync_batch.py), one TV user's convergence and
outcomes (convergence.py), the reconciliation (reconciliation.py)."""
from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError, ValidationError

from ..core import access_rules as rules
from ..core import addon_rules
from ..core import login_rules
from ..core import notice_rules as notices
from ..core import channels
from ..core import sync_plan as plan
from ..services.customer_documents import CustomerDocuments
from ..services.customer_notices import CustomerNotices
from ..services.reconciliation import Reconciliation, Sweeps
from ..services.row_locks import RowLocks
from ..services.sync_batch import SyncJob
from ..services.tv_addons import TvAddons
from ..services.wake_ups import WakeUps
from ..services.owned_fields import check_system_context
from ..services.platform_slots import PlatformSlots
from ..services.tv_roles import as_system, in_user_language, is_system


# Fields the platform fixes at creation: changing them means a new TV user.
CREATION_FIELDS = ("login", "technology", "mac_devices", "equipment_model_id", "contract_id")
# The database's uniqueness rules (init)
LIVE_LOGIN_INDEX = "tv_user_live_login_uniq"
ACCOUNT_NUMBER_INDEX = "tv_user_account_number_uniq"
LIVE_LOGIN_WHERE = "platform_state != 'deleted' AND active"


def _same(value, written):
    """A field's value equals what a write gives it (a form saving what it shows)."""
    return (value.id if hasattr(value, "_name") else value or False) == (written or False)


class TvUser(models.Model):
    _name = "tv.user"
    _description = "TV User"
    _inherit = ["mail.thread", "mail.activity.mixin", "tv.field.guard"]
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
        domain=[("is_tv_product", "=", True), ("tv_product_kind", "=", "plan")],
        track_visibility="onchange")
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
        [(plan.DRAFT, "Not created"),
         (rules.PLATFORM_AWAITING_ACTIVATION, "Awaiting activation"),
         (rules.PLATFORM_ACTIVE, "Active"),
         (rules.PLATFORM_BLOCKED, "Blocked"),
         (plan.DELETED, "Deleted on platform")],
        default=plan.DRAFT, required=True, readonly=True, copy=False, index=True,
        track_visibility="onchange")
    online = fields.Boolean(compute="_compute_online", store=True,
                            help="Online: access open on the platform. Offline otherwise.")
    desired_access = fields.Selection(
        rules.ACCESS_SELECTION,
        compute="_compute_desired_access", store=True, track_visibility="onchange",
        help="The access the contract's status asks for; applied on the platform "
             "once the customer has accessed it for the first time.")
    sync_state = fields.Selection(
        [(plan.SYNC_NONE, "Not requested"), (plan.SYNC_SYNCED, "Synced"),
         (plan.SYNC_PENDING, "Pending sync"), (plan.SYNC_ERROR, "Sync error")],
        default=plan.SYNC_PENDING, required=True, readonly=True, copy=False, index=True,
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
    tv_addon_line_ids = fields.One2many(
        "account.analytic.invoice.line", "tv_user_id", string="Add-ons", readonly=True,
        domain=[("tv_addon_to", "=", False)],
        help="The add-ons this TV user has (contract lines of their own): added and removed "
             "with the Add-ons button.")
    tv_plan_change_ids = fields.One2many("tv.plan.change", "tv_user_id", string="Plan changes",
                                         readonly=True)
    # the buttons shown (views/tv_user_views.xml), from sync_plan.tv_user_buttons
    tv_can_create_on_platform = fields.Boolean(string="Can create on platform",
                                               compute="_compute_tv_buttons")
    tv_can_refresh_from_platform = fields.Boolean(string="Can check on platform",
                                                  compute="_compute_tv_buttons")
    tv_can_recreate_on_platform = fields.Boolean(string="Can re-create on platform",
                                                 compute="_compute_tv_buttons")
    tv_can_sync_now = fields.Boolean(string="Can retry the sync", compute="_compute_tv_buttons")
    tv_can_resend_access_instructions = fields.Boolean(
        string="Can resend the access instructions", compute="_compute_tv_buttons")
    tv_can_manage_addons = fields.Boolean(string="Can manage add-ons",
                                          compute="_compute_tv_buttons")

    @api.depends("platform_state")
    def _compute_online(self):
        for user in self:
            user.online = rules.is_online(user.platform_state)

    @api.depends("platform_state", "sync_state", "to_delete")
    def _compute_tv_buttons(self):
        for user in self:
            buttons = plan.tv_user_buttons(user.platform_state, user.sync_state, user.to_delete)
            for name in plan.TV_USER_BUTTONS:
                user["tv_can_%s" % name] = name in buttons

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

    def _tv_normalize_macs(self, text):
        """One MAC per line (or comma separated) -> canonical text, or raise."""
        macs, invalid = login_rules.split_macs(text)
        if invalid:
            raise ValidationError(_("Invalid MAC address: %s (expected six hex pairs, "
                                    "e.g. AA:BB:CC:DD:EE:FF).") % ", ".join(invalid))
        return macs

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
            if product.product_tmpl_id._tv_is_addon():
                raise ValidationError(_(
                    '"%s" is an add-on, not a plan: a TV user has a plan, and its add-ons '
                    'are added with the Add-ons button.') % product.display_name)
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

    @api.constrains("product_id", "contract_id", "integration_id")
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
        sales flow's proposals use it. At most one row: the live login index
        is unique (no ORDER BY ... LIMIT 1, with which PostgreSQL may walk
        the primary key instead of that index: 74 ms a check at 60,000 TV
        users, each create paying it)."""
        self.env.cr.execute(
            "SELECT id FROM tv_user WHERE id != %s AND integration_id = %s "
            "AND lower(login) = lower(%s) AND " + LIVE_LOGIN_WHERE,
            (exclude_id or 0, integration_id, login))
        row = self.env.cr.fetchone()
        return self.browse(row[0] if row else [])

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
            vals["mac_devices"] = self._tv_normalize_macs(vals["mac_devices"])
        return vals

    # -- CRUD ------------------------------------------------------------

    @api.model
    def create(self, vals):
        check_system_context(self)
        no_sync = self.env.context.get("tv_no_platform_sync")
        if no_sync:  # the system's own create (a proposal, a link) says its sync state
            vals = dict(vals, sync_state=vals.get("sync_state", plan.SYNC_NONE))
        user = super().create(self._prepare_values(vals))
        if not no_sync:
            user._tv_request_sync()
        return user

    @api.multi
    def write(self, vals):
        check_system_context(self)
        vals = self._prepare_values(vals) if ("login" in vals or "mac_devices" in vals) else vals
        locked = [name for name in CREATION_FIELDS
                  if name in vals and any(not _same(user[name], vals[name]) for user in self)]
        if locked and self.filtered(lambda user: user._tv_creation_fixed()) \
                and not self.env.context.get("tv_no_platform_sync"):
            raise UserError(_(
                "%s cannot be changed once the TV user exists on the platform or its creation "
                "was requested: delete the TV user and create a new one.")
                % ", ".join(self._fields[name].get_description(self.env)["string"]
                            for name in locked))
        if vals.get("product_id"):
            self._tv_check_same_integration(vals["product_id"])
            self._tv_check_addons_kept(vals["product_id"])
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
        self._tv_end_addons()
        on_platform = self.filtered(lambda u: u._tv_may_be_on_platform())
        if self.env.context.get("tv_no_platform_sync"):
            on_platform = self.browse()
        if on_platform:
            as_system(on_platform).write({"to_delete": True, "active": False})
            on_platform._tv_request_sync()
        return super(TvUser, self - on_platform).unlink()

    def _tv_end_addons(self):
        """TV users removed lose their add-ons: each ends yesterday (what was
        invoiced after it is credited; one never charged is deleted)."""
        self.check_access_rights("unlink")
        for user in as_system(self).filtered("tv_addon_line_ids"):
            contract = user.contract_id
            addons = TvAddons(contract, contract._tv_today())
            for line in user.tv_addon_line_ids:
                addons.end(line, addon_rules.removal_last_day(addons.today), _(
                    "TV user %(login)s removed: its add-on %(addon)s ends.") % {
                        "login": user.login, "addon": line.product_id.display_name})

    def _tv_creation_fixed(self):
        """The platform may hold this TV user: created, a creation pending
        (a job may be sending it), or one whose answer never came (a timeout,
        a server error: it may have gone through). A creation the platform
        refused (4xx) waits for a fixed login."""
        self.ensure_one()
        if self.account_number or self.platform_state in plan.LIVE_STATES \
                or self.sync_state == "pending":
            return True
        last_create = self.env["tv.api.call"].sudo().search(
            [("tv_user_id", "=", self.id), ("operation", "=", "create_subscriber")],
            order="id desc", limit=1)
        return bool(last_create) and not 400 <= (last_create.status_code or 0) < 500

    def _tv_check_same_integration(self, product_id):
        """A TV user the platform may hold stays on its integration's account:
        a product of another integration would sync its account number there."""
        integration = self.env["product.product"].browse(product_id).tv_integration_id
        moved = self.filtered(lambda user: user.integration_id != integration and (
            user.account_number or user._tv_may_be_on_platform()))
        if moved:
            raise UserError(_("%(login)s is on the platform of %(integration)s: its product "
                              "must come from the same integration. Delete it and create a "
                              "new TV user instead.") % {
                                  "login": moved[0].login,
                                  "integration": moved[0].integration_id.display_name})

    def _tv_check_addons_kept(self, product_id):
        """A TV user's plan changes with Change plan (tv.plan.change), which
        ends the add-ons the new plan does not accept (their last invoice
        settled) and says so: the product written otherwise (the TV user's
        form, XML-RPC) would keep them, on the platform and on the invoices.
        The plan change's own write names its change in the context
        (tv_plan_change_id), honoured only for that very change: scheduled,
        due, of this TV user and this product."""
        if is_system(self.env):
            return
        plan = self.env["product.product"].sudo().browse(product_id).product_tmpl_id
        applying = self._tv_plan_change_applied(self.env.context.get("tv_plan_change_id"),
                                                product_id)
        for user in as_system(self).filtered(lambda user: user.product_id.id != product_id):
            refused = user.tv_addon_line_ids.filtered(
                lambda line: not plan._tv_accepts_addon(line.product_id.product_tmpl_id))
            if refused and user.id not in applying:
                raise UserError(_(
                    'The plan "%(plan)s" does not accept the add-ons %(addons)s of TV user '
                    '%(login)s: change its plan with Change plan, which removes them (their '
                    'last invoice settled). Nothing was changed.') % {
                        "plan": plan.display_name, "login": user.login,
                        "addons": ", ".join(refused.mapped("product_id.display_name"))})

    def _tv_plan_change_applied(self, change_id, product_id):
        """The ids of the TV users whose plan change `change_id` (from the
        context: checked here) is being applied to `product_id`."""
        if not isinstance(change_id, int) or isinstance(change_id, bool):
            return []
        change = self.env["tv.plan.change"].sudo().browse(change_id).exists()
        if not change or change.state != "scheduled" or change.new_product_id.id != product_id \
                or change.date > fields.Date.to_string(change.contract_id._tv_today()):
            return []
        return change.tv_user_id.ids

    def _tv_write_owned(self, vals):
        """Write fields the platform owns: the addon's own methods only."""
        return as_system(self).write(vals)

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
        self.filtered("tv_can_create_on_platform")._tv_request_sync()
        return True

    @api.multi
    def action_refresh_from_platform(self):
        """Check on platform: the job reads the platform's state (first access,
        deletion on the panel) and applies the desired access."""
        self.filtered("tv_can_refresh_from_platform")._tv_request_sync()
        return True

    @api.multi
    def action_recreate_on_platform(self):
        """For a user deleted on the panel: create it again from Odoo."""
        deleted = self.filtered("tv_can_recreate_on_platform")
        for user in deleted:  # live again: its login must be free
            user._tv_check_login_free(user._tv_live_twin(assume_live=True))
        deleted._tv_check_customer_documents()
        as_system(deleted).write({"account_number": False, "platform_state": plan.DRAFT})
        deleted._tv_request_sync()
        return True

    def _tv_to_create(self):
        """Those of these TV users whose sync creates them on the platform."""
        return self.filtered(lambda tv_user: tv_user.platform_state == plan.DRAFT
                             and not tv_user.account_number and not tv_user.to_delete)

    def _tv_check_customer_documents(self):
        """The customer check before a creation on the platform, ahead of
        any write: a Brazilian customer's CPF/CNPJ that is written must be
        valid (services/customer_documents.py; an empty one is allowed)."""
        CustomerDocuments(self.env).check_contracts(self.mapped("contract_id"))

    def _tv_external_ref(self):
        """The reference sent with the create: the platform keeps it, and it
        proves a subscriber was created for this TV user."""
        self.ensure_one()
        return "odoo-tv-user-%d" % self.id

    # -- the sync's queue (services/wake_ups.py) -------------------------------

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
        self._tv_to_create()._tv_check_customer_documents()
        self._tv_lock_for_request("id IN %s", (tuple(self.ids),))
        wake_ups = WakeUps(self.env)
        wake_ups.wake_rows(wake_ups.mark_pending("id IN %s", (tuple(self.ids),)))
        return True

    @api.model
    def _tv_follow_contract_access(self, contracts):
        """The automated actions' hook (data/base_automation.xml), after the
        TV access of `contracts` changed (services/wake_ups.py,
        WakeUps.follow_contracts). Odoo 11 runs it once per contract, twice
        within a status write, and sometimes after the status change
        returned (a release on payment: tv_access recomputed inside the
        reconciliation), so it does the whole work each time, in a few
        queries, leaving the TV users this transaction marked already."""
        if contracts:
            WakeUps(self.sudo().env).follow_contracts(contracts)

    @api.model
    def _tv_lock_for_request(self, domain_sql, params):
        """Lock the rows of the TV users a request is about to change
        (services/row_locks.py); returns their ids."""
        return RowLocks(self.env).lock_for_request(domain_sql, params)

    # -- the jobs and the scheduled action (services/) -------------------------

    @job(default_channel=channels.SYNC_CHANNEL, retry_pattern=plan.RETRY_PATTERN)
    @api.multi
    def _tv_sync_job(self, integration_id=None):
        """Olé TV: bring TV users to their desired state"""
        # platform work is the system's: whoever asked was checked then
        engine = SyncJob(in_user_language(self).sudo().with_context(active_test=False))
        if integration_id:  # a wake-up: the integration's pending TV users
            return engine.pending(integration_id)
        # these TV users (jobs queued by the first releases, or a TV user
        # changed while its sync ran)
        return engine.these(self.ids)

    @api.model
    def _cron_reconcile(self):
        failures = 0
        # a handful of integrations
        for integration in self.env["tv.integration"].search([]):  # pylint: disable=no-search-all
            failures += Reconciliation(integration, self).run()
        failures += Sweeps(self).run()
        return failures == 0

    @job(default_channel=channels.SYNC_CHANNEL)
    @api.model
    def _tv_reconcile_job(self, integration_id, batches):
        """Olé TV: reconcile a share of an integration's TV users"""
        model = in_user_language(self).sudo().with_context(active_test=False)
        integration = model.env["tv.integration"].browse(integration_id).exists()
        if not integration:
            return _("The TV integration no longer exists: nothing to do.")
        PlatformSlots(model.env).take_or_postpone(integration)
        failures = Reconciliation(integration, model).read_batches(batches)
        return _("%(count)d batch(es) read, %(failures)d failed (logged).") % {
            "count": len(batches), "failures": failures}

    @api.model
    def _requeue_lost_syncs(self):
        """Wake the integrations of TV users pending with no wake-up waiting
        (the reconciliation's sweep; the migration 11.0.1.2.0). Returns the
        wake-ups queued."""
        return Sweeps(self).requeue_lost_syncs()

    # -- outcomes other models store, notices ----------------------------------

    def _tv_notify_welcome(self):
        """The sync engine bound a subscriber it created on the platform (or
        adopted: its own create whose answer was lost) to these TV users:
        their welcome, rendered now (the sync job's own transaction)."""
        notices_service = CustomerNotices(self.env)
        policies = notices_service.policies(self.mapped("contract_id"))
        switch = notices.SWITCHES[notices.WELCOME]
        users = self.filtered(lambda user: policies.get(user.contract_id.company_id)
                              and policies[user.contract_id.company_id][switch])
        notices_service.queue(notices.WELCOME, users)

    @api.multi
    def action_tv_resend_access_instructions(self):
        """Send the customer the TV user's login and the integration's access
        instructions again (TV operators: write access on the TV users)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        return self._tv_resend_access_instructions()

    def _tv_resend_access_instructions(self):
        """The resend, after the caller's checks (the operator's button, the
        customer's request on the portal): refused with the reason, nothing
        queued, unless each TV user is on the platform and its customer has
        an e-mail address."""
        for user in self:
            if not user.tv_can_resend_access_instructions:
                raise UserError(_("%(login)s is not on the platform yet: the instructions are "
                                  "sent once it is created there.") % {"login": user.login})
            if not user.contract_id.partner_id.email:
                raise UserError(_("The customer of %(login)s has no e-mail address.")
                                % {"login": user.login})
        system = as_system(self)  # the caller's context keys stay out of the rendering
        outcome = CustomerNotices(system.env).queue(notices.ACCESS_INSTRUCTIONS, system)
        for user in self:
            if user.id not in outcome.mails:
                raise UserError(_("The access instructions of %(login)s could not be queued; "
                                  "the server log says why.") % {"login": user.login})
        return True
