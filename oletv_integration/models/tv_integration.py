# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A TV integration: the platform's credentials and environment, the
connection test and the catalog sync, its platform calls' limit, the TV back office
dashboard, the link of existing subscribers, and the move of a retired
package's customers to its successor (services/package_moves.py).

The dashboard: per integration, how many TV users are Online/Offline,
pending, failed, deleted on the platform, or awaiting their first access for
too long; each figure opens the matching list.

Link existing Olé TV subscribers to Odoo contracts from a CSV:

A provider adopting the addon already has customers on Olé TV. Each CSV row
names a contract (reference, name or the customer's VAT/document), a TV
login and optionally the platform account number and the TV product. The
plan (a dry run: reads only) says for each row whether it will be linked,
is already linked or cannot be, and why; applying it creates the TV users
bound to the existing subscribers (no platform creation) in one transaction,
then asks for their sync so the contract's status drives their access.

Entry points: the wizard on the TV integration and, for scripted migrations,
``tv.integration.link_existing_subscribers(ids, csv_text, dry_run=True)``.
The CSV is read by core/link_csv.py (no Odoo import), planned by
services/link_planner.py and applied by services/subscriber_links.py."""
import ipaddress
from datetime import timedelta
from urllib.parse import urlsplit

from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job
from odoo.exceptions import AccessError, UserError, ValidationError

from ..core import access_rules as rules
from ..core import channels
from ..core import platform_billing as billing
from .. import oletv_client as ole
from ..services.package_moves import PackageMoves
from ..services.platform_errors import PRODUCTION_URL_PARAM, platform_error_message
from ..services.platform_history import PlatformHistory
from ..services.platform_slots import PlatformSlots
from ..services.revenue_dashboard import RevenueDashboard, requested_month
from ..services.revenue_month import RevenueMonth
from ..services.rpc_arguments import RpcArguments
from ..services.subscriber_links import SubscriberLinks
from ..services.call_recorder import CallRecorder
from .tv_integration_credential import SECRET_FIELDS
from ..services.owned_fields import check_system_context
from ..services.tv_roles import (MANAGER_GROUP, as_system, check_link_manager,
                                 check_move_manager, check_revenue_manager, check_tv_manager,
                                 in_user_language, is_system)


BASE_URL_PARAMS = {
    "production": PRODUCTION_URL_PARAM,
    "homologation": "oletv_integration.homologation_url",
}
# Changing any of these re-tests the connection on save.
CONNECTION_FIELDS = ("platform", "environment", "access_token", "api_login", "api_password")
# Save without testing the connection: the system's own paths only (the demo
# data, the tests); refused from any other caller (owned_fields.py).
SKIP_CONNECTION_CHECK = "tv_skip_connection_check"
# dashboard tile -> domain on tv.user (awaiting_late is built with the day limit)
TILE_DOMAINS = {
    "online": [("online", "=", True)],
    "offline": [("online", "=", False),
                ("platform_state", "in", (rules.PLATFORM_AWAITING_ACTIVATION,
                                          rules.PLATFORM_BLOCKED))],
    "pending": [("sync_state", "=", "pending")],
    "error": [("sync_state", "=", "error")],
    "deleted": [("platform_state", "=", "deleted"), ("to_delete", "=", False)],
    "awaiting": [("platform_state", "=", "awaiting_activation")],
}


def is_loopback_url(url):
    """True for an http(s) URL on this machine (localhost, 127.0.0.0/8, ::1)."""
    host = (urlsplit((url or "").strip()).hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: 127.example.com is not this machine
        return False


# bounds of what a TV manager sets: one company's integration cannot hold
# every job slot of the server, nor each slot for long
MAX_CONCURRENCY = 16
MAX_TIMEOUT_SECONDS = 120


class TvIntegration(models.Model):
    _name = "tv.integration"
    _description = "TV Integration"
    _inherit = ["mail.thread", "tv.field.guard"]
    _order = "name"

    name = fields.Char(required=True, track_visibility="onchange")
    platform = fields.Selection(
        [("oletv", "Olé TV")], required=True, default="oletv",
        help="TV platform. Olé TV is the one implemented; the design leaves room for others.",
    )
    environment = fields.Selection(
        [("production", "Production"), ("homologation", "Homologation")],
        required=True, default="homologation", track_visibility="onchange",
        help="Production: real customers, real access. "
             "Homologation: the platform's test environment.",
    )
    base_url = fields.Char(
        string="API URL", compute="_compute_base_url",
        help="Taken from the system parameters oletv_integration.production_url "
             "and oletv_integration.homologation_url.",
    )
    # the secrets live in tv.integration.credential (managers only, by any ORM
    # path); these fields show them on the form and are never stored here
    access_token = fields.Char(compute="_compute_credentials", inverse="_inverse_access_token",
                               groups=MANAGER_GROUP, copy=False)
    api_login = fields.Char(string="API login", compute="_compute_credentials",
                            inverse="_inverse_api_login", groups=MANAGER_GROUP, copy=False)
    api_password = fields.Char(string="API password", compute="_compute_credentials",
                               inverse="_inverse_api_password", groups=MANAGER_GROUP, copy=False)
    active = fields.Boolean(default=True, track_visibility="onchange")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.user.company_id)
    connection_state = fields.Selection(
        [("unknown", "Not tested"), ("ok", "Connected"), ("failed", "Failed")],
        default="unknown", readonly=True, copy=False, track_visibility="onchange")
    connection_message = fields.Text(readonly=True, copy=False)
    connection_date = fields.Datetime(string="Last connection test", readonly=True, copy=False)
    client_ip = fields.Char(
        string="Our IP seen by the platform", readonly=True, copy=False,
        help="The address Olé TV must release for API access.")
    package_ids = fields.One2many("tv.package", "integration_id", string="Packages")
    equipment_model_ids = fields.One2many(
        "tv.equipment.model", "integration_id", string="Equipment models")
    catalog_date = fields.Datetime(string="Catalog synced on", readonly=True, copy=False)
    max_concurrency = fields.Integer(
        string="Concurrent platform calls", default=4,
        help="How many calls this integration's platform receives at once: jobs (TV users "
             "synced, reconciliation reads) and the managers' clicks that call it (Test "
             "connection, Sync catalog); the addon holds them all to it, at once, with no "
             "server restart. Keep it within the platform's rate limit.")
    timeout_seconds = fields.Integer(
        string="Platform timeout (s)", default=20,
        help="How long to wait for an answer from the platform.")
    audit_retention_days = fields.Integer(
        string="Keep API call log (days)", default=90)
    access_instructions = fields.Html(
        translate=True, default=lambda self: self._default_access_instructions(),
        help="How a customer makes the first access to the TV: shown in the welcome "
             "notice, the access instructions notice and the customer portal. Adapt "
             "it to the apps and devices your customers use.")

    platform_billing_rule = fields.Selection(
        [(billing.RULE_PER_DAY, "Per day active"),
         (billing.RULE_ANY_DAY, "Active on any day of the month")],
        string="Platform billing rule", required=True, default=billing.RULE_PER_DAY,
        track_visibility="onchange",
        help="How the ISP's contract with the platform counts a package in a month: per day "
             "active (subscriber-days / days of the month) or every subscriber active with it "
             "on any day of the month. Billable: active subscribers (not awaiting their first "
             "access, not blocked).")
    history_last_day = fields.Date(
        string="Platform history up to", readonly=True, copy=False,
        help="The last day the platform's subscribers were observed (a daily job).")
    # revenue assurance (services/revenue_month.py)
    vendor_partner_id = fields.Many2one(
        "res.partner", string="Olé TV as supplier", ondelete="restrict",
        help="The partner of Olé TV's monthly vendor bills: revenue assurance sets them "
             "against the subscribers counted on the platform.")
    revenue_line_count = fields.Integer(string="Revenue assurance",
                                        compute="_compute_revenue_line_count")
    revenue_leak_count = fields.Integer(string="Leaks", compute="_compute_revenue_line_count")
    # the TV dashboard's tile: the last month computed (services/revenue_dashboard.py)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    revenue_month = fields.Date(string="Last month computed", compute="_compute_revenue_tile")
    revenue_margin = fields.Monetary(string="Margin", compute="_compute_revenue_tile")
    revenue_bill_diff = fields.Monetary(string="Bill difference", compute="_compute_revenue_tile",
                                        help="Olé TV's bill minus the counted subscribers x "
                                             "the platform prices.")
    revenue_open_leaks = fields.Integer(string="Open leaks", compute="_compute_revenue_tile")
    revenue_open_leak_amount = fields.Monetary(string="Open leaks' money",
                                               compute="_compute_revenue_tile")

    @api.model
    def _default_access_instructions(self):
        return _("<p>Install the Olé TV app on your Smart TV, TV box or phone, or open Olé "
                 "TV in your browser. Sign in with the login above; on the first access, "
                 "follow the app's steps to create your password. Your TV service is "
                 "active from that first access.</p>")

    @api.depends("environment")
    def _compute_base_url(self):
        params = self.env["ir.config_parameter"].sudo()
        for integration in self:
            key = BASE_URL_PARAMS.get(integration.environment)
            integration.base_url = (params.get_param(key) or "").strip() if key else ""

    def _compute_credentials(self):
        """Read as the caller: the credentials model refuses non-managers."""
        credentials = self.env["tv.integration.credential"].search(
            [("integration_id", "in", [record_id for record_id in self.ids if record_id])])
        by_integration = {credential.integration_id.id: credential for credential in credentials}
        for integration in self:
            credential = by_integration.get(integration.id)
            for name in SECRET_FIELDS:
                integration[name] = credential[name] if credential else False

    def _inverse_credential(self, name):
        """Store the written `name` only: reading the others here would
        compute them again over the value being written. Odoo 11 checks a
        field's groups on stored fields only: the managers' check is here."""
        check_tv_manager(self)
        credentials = self.env["tv.integration.credential"].sudo()
        for integration in self:
            credentials._store_for(integration, {name: integration[name] or False})

    def _inverse_access_token(self):
        self._inverse_credential("access_token")

    def _inverse_api_login(self):
        self._inverse_credential("api_login")

    def _inverse_api_password(self):
        self._inverse_credential("api_password")

    @api.constrains("max_concurrency", "timeout_seconds", "audit_retention_days")
    def _check_limits(self):
        for integration in self:
            if integration.max_concurrency < 1 or integration.timeout_seconds < 1 \
                    or integration.audit_retention_days < 1:
                raise ValidationError(_("Concurrency, timeout and retention must be at least 1."))
            # every integration's jobs share the server's platform calls channel
            if integration.max_concurrency > MAX_CONCURRENCY \
                    or integration.timeout_seconds > MAX_TIMEOUT_SECONDS:
                raise ValidationError(_(
                    "At most %(calls)d concurrent platform calls and a timeout of at most "
                    "%(seconds)d seconds: the integrations share the server's job slots.")
                    % {"calls": MAX_CONCURRENCY, "seconds": MAX_TIMEOUT_SECONDS})

    def _tv_requires_https(self):
        """Production always; homologation too, unless the platform is on this
        machine (the sandbox): credentials never cross a network in clear."""
        self.ensure_one()
        return self.environment == "production" or not is_loopback_url(self.base_url)

    @api.constrains("environment")
    def _check_production_uses_https(self):
        for integration in self:
            if integration.base_url and integration._tv_requires_https() \
                    and not integration.base_url.lower().startswith("https://"):
                raise ValidationError(_(
                    "An https:// API URL is required (plain http only for a platform on this "
                    "machine); the configured URL is %(url)s. Fix the system parameter "
                    "%(param)s.") % {"url": integration.base_url,
                                     "param": BASE_URL_PARAMS[integration.environment]})

    @api.model
    def create(self, vals):
        check_system_context(self, (SKIP_CONNECTION_CHECK,))
        integration = super().create(vals)
        integration._check_connection_on_save()
        return integration

    @api.multi
    def write(self, vals):
        check_system_context(self, (SKIP_CONNECTION_CHECK,))
        result = super().write(vals)
        if "company_id" in vals:  # its TV users would sync through another company's account
            self.env["tv.user"].sudo().search(
                [("integration_id", "in", self.ids)])._check_integration_company()
            # the history follows its integration (the record rule reads the span's company)
            self.env.cr.execute(
                "UPDATE tv_subscriber_span s SET company_id = i.company_id FROM tv_integration i "
                "WHERE s.integration_id = i.id AND i.id = ANY(%s)", (self.ids,))
        if any(name in vals for name in CONNECTION_FIELDS):
            self._check_connection_on_save()
        return result

    def _check_connection_on_save(self):
        """Saving tests the connection: a failure refuses the save. Only the
        system's own paths (the demo data, the tests) may skip it."""
        if is_system(self.env) and self.env.context.get(SKIP_CONNECTION_CHECK):
            return
        for integration in self.filtered("active"):
            error = integration._test_connection()
            if error:
                raise UserError(error)

    # -- platform access -------------------------------------------------

    def _client(self, call_observer=None):
        """An Olé TV client with this integration's credentials (read as
        superuser: users without access to the secrets still sync)."""
        self.ensure_one()
        secrets = self.sudo()
        if not self.base_url:
            # the addon ships no URL (data/ir_config_parameter.xml): Olé TV gives them
            environments = dict(self._fields["environment"]._description_selection(self.env))
            raise UserError(_(
                "No API URL is configured for the %(environment)s environment. Set the system "
                "parameter %(param)s (Settings > Technical > System Parameters) to the URL "
                "Olé TV gave with the credentials."
            ) % {"environment": environments[self.environment],
                 "param": BASE_URL_PARAMS[self.environment]})
        return ole.OleTVClient(
            self.base_url, secrets.access_token or "", secrets.api_login or "",
            secrets.api_password or "", timeout=(3.05, self.timeout_seconds),
            call_observer=call_observer, require_https=self._tv_requires_https())

    def _test_connection(self):
        """Check the credentials; record and return the error text, or None."""
        self.ensure_one()
        values = {"connection_date": fields.Datetime.now()}
        error = None
        calls = CallRecorder()
        try:
            with self._client(calls) as client:
                info = client.check_connection()
            values.update(connection_state="ok", client_ip=info.client_ip,
                          connection_message=_("Connected to Olé TV (%s).") % self.base_url)
        except ole.OleTVError as exc:
            error = self._platform_error_message(exc)
            values.update(connection_state="failed", connection_message=error,
                          client_ip=getattr(exc, "client_ip", None) or self.client_ip)
        # the test's outcome: no connection field, so the write does not test again
        as_system(self).write(values)
        self.env["tv.api.call"]._record(self, calls)
        return error

    @api.multi
    def action_test_connection(self):
        self.ensure_one()
        check_tv_manager(self)
        PlatformSlots(self.env).take_or_refuse(self)
        error = self._test_connection()
        if error:
            raise UserError(error)
        return True

    # -- the move of a retired package (services/package_moves.py) ----------------

    def _tv_move_packages(self, old_package_id, new_package_id):
        check_move_manager(self)
        self.ensure_one()
        check = RpcArguments(self.env)
        packages = self.env["tv.package"].with_context(active_test=False)
        return (packages.browse(check.record_id(old_package_id, _("Retired package"))).exists(),
                packages.browse(check.record_id(new_package_id, _("Successor"))).exists())

    @api.multi
    def tv_move_package_preview(self, old_package_id, new_package_id):
        """What moving every customer of a retired package to its successor
        changes: {"plans", "addons" (the TV products' names), "tv_users"
        (how many sync)}. TV managers only; refused with the reason when the
        move would be."""
        old, new = self._tv_move_packages(old_package_id, new_package_id)
        return PackageMoves(as_system(self).env).preview(as_system(self), old, new)

    @api.multi
    def action_tv_move_package(self, old_package_id, new_package_id):
        """Move every customer of a retired package to its successor: the TV
        products giving it give the successor, and their TV users sync in
        the background (tv.package.move: its progress, Resume). TV managers
        only. Returns the move's id."""
        old, new = self._tv_move_packages(old_package_id, new_package_id)
        return PackageMoves(as_system(self).env).start(
            as_system(self), old, new, self.env.user).id

    @api.multi
    def action_sync_catalog(self):
        """Load the platform's packages and equipment models into Odoo."""
        self.ensure_one()
        check_tv_manager(self)
        PlatformSlots(self.env).take_or_refuse(self)
        return self._tv_sync_catalog()

    def _tv_sync_catalog(self):
        """The catalog's sync, its platform slot taken (or a fixture's)."""
        calls = CallRecorder()
        try:
            with self._client(calls) as client:
                packages = client.list_packages()
                equipment_models = client.list_equipment_models()
        except ole.OleTVError as exc:
            raise UserError(self._platform_error_message(exc))
        self.env["tv.api.call"]._record(self, calls)
        self.env["tv.package"]._sync_from_platform(self, packages)
        self.env["tv.equipment.model"]._sync_from_platform(self, equipment_models)
        as_system(self).write({"catalog_date": fields.Datetime.now()})
        self.message_post(body=_("Catalog synced: %(packages)d packages, %(equipment)d "
                                 "equipment models.") % {"packages": len(packages),
                                                         "equipment": len(equipment_models)})
        return True

    @api.model
    def _platform_error_message(self, exc):
        """A translated, secret-free explanation of a client exception
        (services/platform_errors.py)."""
        return platform_error_message(self, exc)

    # -- dashboard ------------------------------------------------------------

    awaiting_alert_days = fields.Integer(
        string="Alert after days awaiting activation", default=7,
        help="TV users still awaiting their first access after this many days are "
             "shown apart on the dashboard.")
    count_online = fields.Integer(compute="_compute_dashboard")
    count_offline = fields.Integer(compute="_compute_dashboard")
    count_pending = fields.Integer(compute="_compute_dashboard")
    count_error = fields.Integer(compute="_compute_dashboard")
    count_deleted = fields.Integer(compute="_compute_dashboard")
    count_awaiting = fields.Integer(compute="_compute_dashboard")
    count_awaiting_late = fields.Integer(compute="_compute_dashboard")

    def _tile_domain(self, tile):
        if tile == "awaiting_late":
            limit = fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now())
                                              - timedelta(days=self.awaiting_alert_days))
            return TILE_DOMAINS["awaiting"] + [("create_date", "<", limit)]
        return TILE_DOMAINS.get(tile, TILE_DOMAINS["online"])  # the context is the caller's

    def _compute_dashboard(self):
        users = self.env["tv.user"]
        for integration in self:
            for tile in list(TILE_DOMAINS) + ["awaiting_late"]:
                domain = [("integration_id", "=", integration.id)] + integration._tile_domain(tile)
                integration["count_%s" % tile] = users.search_count(domain)

    @api.multi
    def action_open_tv_users(self):
        self.ensure_one()
        tile = self.env.context.get("tv_tile", "online")
        action = self.env.ref("oletv_integration.action_tv_user").read()[0]
        action.update(
            domain=[("integration_id", "=", self.id)] + self._tile_domain(tile),
            context={"active_test": tile != "deleted"},
            name=_("TV users of %s") % self.name)
        return action

    # -- the platform's daily history -------------------------------------------

    @api.model
    def _cron_platform_history(self):
        """Queue each integration's observation of its company's day."""
        PlatformHistory(self.env).queue_days(self)
        return True

    @job(default_channel=channels.SYNC_CHANNEL)
    @api.model
    def _tv_history_job(self, integration_id, day):
        """Olé TV: observe an integration's subscribers on the platform for the day"""
        # the platform's history is the system's: whoever queued it was checked then
        return PlatformHistory(as_system(in_user_language(self)).env).observe_job(
            integration_id, day)

    # -- link existing subscribers --------------------------------------------

    @api.multi
    def link_existing_subscribers(self, csv_text, dry_run=True):
        """Link the TV users of a CSV to subscribers that already exist on
        the platform (for XML-RPC migrations). Returns one dict per row:
        ``row``, ``status`` (dry run: link / already_linked / error; else
        linked / already_linked / error), ``reason``, ``login``,
        ``account_number``, ``contract_id``, ``product_id``, ``tv_user_id``."""
        self.ensure_one()
        if not isinstance(csv_text, (str, bytes)):
            RpcArguments(self.env).text(csv_text, _("CSV"), optional=False)
        dry_run = RpcArguments(self.env).boolean(dry_run, _("Dry run"))
        plan = self._tv_link_plan(csv_text)
        if not dry_run:
            self._tv_link_apply(plan)
        return [row.as_dict() for row in plan]

    @api.multi
    def start_link_run(self, csv_text, filename=None):
        """Start linking the TV users of a CSV in the background (a
        migration's file, up to 100,000 rows): a run (tv.link.run) whose dry
        run is queued at once; its action_apply links once the dry run is
        done. Returns the run's id. A file over the caps or unreadable is
        refused and nothing is written."""
        self.ensure_one()
        check_link_manager(self)
        if not isinstance(csv_text, (str, bytes)):
            RpcArguments(self.env).text(csv_text, _("CSV"), optional=False)
        filename = RpcArguments(self.env).text(filename, _("File name"))
        return self.env["tv.link.run"]._tv_start(self, csv_text, filename or None).id

    def _tv_link_post_summary(self, filename, linked, already, errors):
        """The integration's chatter: a link's outcome."""
        self.message_post(body=_(
            "Existing Olé TV subscribers linked from %(file)s: %(linked)d linked, "
            "%(already)d already linked, %(errors)d errors.") % {
                "file": filename or _("a CSV file"), "linked": linked, "already": already,
                "errors": errors})

    def _tv_link_check_rights(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only TV Integration managers can link existing subscribers."))

    def _tv_link_plan(self, csv_data):
        """CSV text or bytes -> the plan's rows (services/subscriber_links.py). Reads only."""
        self.ensure_one()
        self._tv_link_check_rights()
        PlatformSlots(self.env).take_or_refuse(self)
        return SubscriberLinks(self).plan(csv_data)

    def _tv_link_apply(self, plan):
        """Link the plan's LINK rows, all or nothing (services/subscriber_links.py)."""
        self.ensure_one()
        self._tv_link_check_rights()
        return SubscriberLinks(self).apply(plan)

    # -- revenue assurance (services/revenue_dashboard.py, services/revenue_month.py) -----

    def _compute_revenue_line_count(self):
        """As the caller: who may not read the months sees none."""
        counts = RevenueDashboard(self).counts()
        for integration in self:
            integration.revenue_line_count, integration.revenue_leak_count = \
                counts[integration.id]

    def _compute_revenue_tile(self):
        """The dashboard's tile of the last month computed, as the caller."""
        tiles = RevenueDashboard(self).tile()
        for integration in self:
            integration.update(tiles[integration.id])

    def _tv_month_counts(self, month):
        """{package code: {"subscriber_days", "subscribers", "quantity"}}: what
        the platform counted for the month of `month` (its first day), by
        this integration's rule."""
        return PlatformHistory(as_system(self.env["tv.subscriber.span"]).env).month_counts(
            self, month)

    @api.multi
    def action_compute_revenue_month(self, month=None):
        """Compute (again) the revenue assurance of the month of `month`
        ('YYYY-MM-DD', any day of it; default: the company's previous
        month): its rows replace the month's. TV managers and invoicing
        managers of the integration's company."""
        self.ensure_one()
        check_revenue_manager(self)
        RevenueMonth(self, requested_month(self, month)).store()
        return self.action_open_revenue_lines()

    @api.multi
    def action_open_revenue_lines(self):
        """The integration's revenue assurance rows (a window action; from
        the dashboard's tile, its month's)."""
        return self._tv_revenue_action("action_tv_revenue_line",
                                       _("Revenue assurance of %s") % self.name)

    @api.multi
    def action_open_revenue_leaks(self):
        """The integration's leaks of the months computed (a window action;
        from the dashboard's tile, its month's not remedied)."""
        return self._tv_revenue_action("action_tv_revenue_leak",
                                       _("Revenue leaks of %s") % self.name)

    def _tv_revenue_action(self, xmlid, title):
        self.ensure_one()
        action = self.env.ref("oletv_integration.%s" % xmlid).read()[0]
        # display_name too: the web client's breadcrumb shows it before the name
        action.update(domain=RevenueDashboard(self).list_domain(self, action["res_model"]),
                      name=title, display_name=title)
        return action

    @api.multi
    def tv_month_leaks(self, month):
        """The leaks of the month of `month` ('YYYY-MM-DD'): a list of dicts
        (kind, contract_id, tv_user_id, product_id, amount); the same
        managers as the month's computation."""
        self.ensure_one()
        check_revenue_manager(self)
        day = RpcArguments(self.env).date(month, _("Month"))
        # False, not None: XML-RPC carries no None
        return [{name: False if value is None else value for name, value in row._asdict().items()}
                for row in RevenueMonth(self, day).leaks()]
