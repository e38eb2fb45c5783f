# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Audit trail: every call to the TV platform (operation, endpoint, HTTP
status, duration, redacted bodies, error), kept for the integration's
retention period. The client redacts secrets before they reach a record."""
from datetime import timedelta

from odoo import api, fields, models


class TvApiCall(models.Model):
    _name = "tv.api.call"
    _description = "TV platform API call"
    _order = "id desc"

    integration_id = fields.Many2one("tv.integration", required=True, ondelete="cascade",
                                     index=True)
    tv_user_id = fields.Many2one("tv.user", string="TV user", ondelete="cascade", index=True)
    operation = fields.Char(required=True)
    method = fields.Char(string="HTTP method")
    endpoint = fields.Char()
    status_code = fields.Integer(string="HTTP status")
    duration_ms = fields.Float(string="Duration (ms)", digits=(16, 1))
    request_body = fields.Text()
    response_body = fields.Text()
    error = fields.Text()
    attempt = fields.Integer(default=1)
    success = fields.Boolean(compute="_compute_success")

    @api.depends("status_code", "error")
    def _compute_success(self):
        for call in self:
            call.success = not call.error and 200 <= (call.status_code or 0) < 300

    @api.model
    def _record(self, integration, records, tv_user=None):
        """Store the client's CallRecords of one conversation."""
        for record in records:
            self.sudo().create({
                "integration_id": integration.id,
                "tv_user_id": tv_user.id if tv_user else False,
                "operation": record.operation, "method": record.method,
                "endpoint": record.endpoint, "status_code": record.status_code or 0,
                "duration_ms": record.duration_ms, "request_body": record.request_body,
                "response_body": record.response_body, "error": record.error,
                "attempt": record.attempt,
            })

    @api.model
    def _cron_purge(self):
        """Delete calls older than their integration's retention period."""
        integrations = self.env["tv.integration"].with_context(active_test=False)
        # a handful of integrations
        for integration in integrations.search([]):  # pylint: disable=no-search-all
            limit = fields.Datetime.to_string(
                fields.Datetime.from_string(fields.Datetime.now())
                - timedelta(days=integration.audit_retention_days))
            self.env.cr.execute(
                "DELETE FROM tv_api_call WHERE integration_id = %s AND create_date < %s",
                (integration.id, limit))
        return True


class CallRecorder(list):
    """The client's call_observer: keeps the CallRecords of one conversation."""

    def __call__(self, record):
        self.append(record)
