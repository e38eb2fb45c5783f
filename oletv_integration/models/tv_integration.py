# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .. import oletv_client as ole
from .tv_api_call import CallRecorder
from .tv_roles import check_tv_manager

BASE_URL_PARAMS = {
    "production": "oletv_integration.production_url",
    "homologation": "oletv_integration.homologation_url",
}
# Changing any of these re-tests the connection on save.
CONNECTION_FIELDS = ("platform", "environment", "access_token", "api_login", "api_password")
MANAGER_GROUP = "oletv_integration.group_tv_manager"


class TvIntegration(models.Model):
    _name = "tv.integration"
    _description = "TV Integration"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(required=True, track_visibility="onchange")
    platform = fields.Selection(
        [("oletv", "Olé TV")], required=True, default="oletv",
        help="TV platform. Olé TV is the one implemented; the design leaves room for others.",
    )
    environment = fields.Selection(
        [("production", "Production"), ("homologation", "Homologation")],
        required=True, default="homologation", track_visibility="onchange",
        help="Production: real customers, real access. Homologation: the platform's test environment.",
    )
    base_url = fields.Char(
        string="API URL", compute="_compute_base_url",
        help="Taken from the system parameters oletv_integration.production_url "
             "and oletv_integration.homologation_url.",
    )
    access_token = fields.Char(groups=MANAGER_GROUP, copy=False)
    api_login = fields.Char(string="API login", groups=MANAGER_GROUP, copy=False)
    api_password = fields.Char(string="API password", groups=MANAGER_GROUP, copy=False)
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
        help="Capacity of this integration's job channel: how many TV users are synced at "
             "once. Keep it within the platform's rate limit. The job runner reads it at start.")
    timeout_seconds = fields.Integer(
        string="Platform timeout (s)", default=20,
        help="How long to wait for an answer from the platform.")
    audit_retention_days = fields.Integer(
        string="Keep API call log (days)", default=90)
    job_channel = fields.Char(compute="_compute_job_channel",
                              help="The queue_job channel of this integration's platform calls.")

    @api.depends("environment")
    def _compute_base_url(self):
        params = self.env["ir.config_parameter"].sudo()
        for integration in self:
            key = BASE_URL_PARAMS.get(integration.environment)
            integration.base_url = (params.get_param(key) or "").strip() if key else ""

    def _compute_job_channel(self):
        for integration in self:
            integration.job_channel = "root.oletv.integration_%d" % integration.id

    @api.constrains("max_concurrency", "timeout_seconds", "audit_retention_days")
    def _check_limits(self):
        for integration in self:
            if integration.max_concurrency < 1 or integration.timeout_seconds < 1 \
                    or integration.audit_retention_days < 1:
                raise ValidationError(_("Concurrency, timeout and retention must be at least 1."))

    @api.constrains("environment")
    def _check_production_uses_https(self):
        for integration in self:
            if integration.environment == "production" and integration.base_url \
                    and not integration.base_url.lower().startswith("https://"):
                raise ValidationError(_(
                    "The production environment must use an https:// URL; "
                    "the configured URL is %s. Fix the system parameter %s."
                ) % (integration.base_url, BASE_URL_PARAMS["production"]))

    @api.model
    def create(self, vals):
        integration = super().create(vals)
        integration._check_connection_on_save()
        return integration

    @api.multi
    def write(self, vals):
        result = super().write(vals)
        if any(name in vals for name in CONNECTION_FIELDS):
            self._check_connection_on_save()
        return result

    def _check_connection_on_save(self):
        """Saving tests the connection: a failure refuses the save."""
        if self.env.context.get("tv_skip_connection_check"):
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
            raise UserError(_(
                "No API URL is configured for the %s environment. Set the system parameter %s."
            ) % (dict(self._fields["environment"].selection)[self.environment],
                 BASE_URL_PARAMS[self.environment]))
        return ole.OleTVClient(
            self.base_url, secrets.access_token or "", secrets.api_login or "",
            secrets.api_password or "", timeout=(3.05, self.timeout_seconds),
            call_observer=call_observer, require_https=self.environment == "production")

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
            error = self.platform_error_message(exc)
            values.update(connection_state="failed", connection_message=error,
                          client_ip=getattr(exc, "client_ip", None) or self.client_ip)
        super(TvIntegration, self.sudo()).write(values)
        self.env["tv.api.call"]._record(self, calls)
        return error

    @api.multi
    def action_test_connection(self):
        self.ensure_one()
        check_tv_manager(self)
        error = self._test_connection()
        if error:
            raise UserError(error)
        return True

    @api.multi
    def action_sync_catalog(self):
        """Load the platform's packages and equipment models into Odoo."""
        self.ensure_one()
        check_tv_manager(self)
        calls = CallRecorder()
        try:
            with self._client(calls) as client:
                packages = client.list_packages()
                equipment_models = client.list_equipment_models()
        except ole.OleTVError as exc:
            raise UserError(self.platform_error_message(exc))
        self.env["tv.api.call"]._record(self, calls)
        self.env["tv.package"]._sync_from_platform(self, packages)
        self.env["tv.equipment.model"]._sync_from_platform(self, equipment_models)
        self.catalog_date = fields.Datetime.now()
        self.message_post(body=_("Catalog synced: %d packages, %d equipment models.")
                          % (len(packages), len(equipment_models)))
        return True

    @api.model
    def platform_error_message(self, exc):
        """A translated, secret-free explanation of a client exception."""
        detail = exc.message or ""
        if isinstance(exc, ole.IPNotAllowedError):
            if exc.client_ip:
                return _("Olé TV has not released this server's IP address. "
                         "Ask Olé TV to release IP %s for API access.") % exc.client_ip
            return _("Olé TV has not released this server's IP address. "
                     "Ask Olé TV to release your server's public IP for API access.")
        if isinstance(exc, ole.ConfigurationError):
            if exc.status_code:
                return _("Olé TV answered with a redirect (HTTP %(status)s), which is never "
                         "followed: the credentials must not leave for another address. "
                         "Check the API URL.") % {"status": exc.status_code}
            return _("The production environment must use an https:// API URL; the "
                     "configured URL is %(url)s. Fix the system parameter %(param)s.") % {
                         "url": self[:1].base_url or "", "param": BASE_URL_PARAMS["production"]}
        if isinstance(exc, ole.AuthenticationError):
            return _("Olé TV refused the credentials: check the access token, API login "
                     "and API password given by Olé TV. (%s)") % detail
        if isinstance(exc, ole.ForbiddenError):
            return _("Olé TV refused the operation: %s") % detail
        if isinstance(exc, ole.NotFoundError):
            return _("The subscriber does not exist on Olé TV (it may have been deleted "
                     "on the Olé TV panel). (%s)") % detail
        if isinstance(exc, ole.AwaitingActivationError):
            return _("The TV user has not accessed Olé TV yet; its access is applied "
                     "after the first access. (%s)") % detail
        if isinstance(exc, ole.LoginTakenError):
            return _("This login is already used by another Olé TV subscriber. (%s)") % detail
        if isinstance(exc, ole.ValidationError):
            fields_text = "; ".join("%s: %s" % item for item in sorted(exc.details.items()))
            return _("Olé TV rejected the data: %s") % (fields_text or detail)
        if isinstance(exc, ole.RateLimitedError):
            return _("Olé TV is limiting requests; try again in %s seconds.") % (
                exc.retry_after or 1)
        if isinstance(exc, ole.UnavailableError):
            return _("Olé TV could not be reached (platform down or network problem). "
                     "Try again later. (%s)") % detail
        return _("Olé TV error: %s") % detail
