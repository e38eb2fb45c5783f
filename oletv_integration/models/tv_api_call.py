# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Audit trail: every call to the TV platform (operation, endpoint, HTTP
status, duration, redacted bodies, error), kept for the integration's
retention period. The client redacts secrets before they reach a record."""
from datetime import timedelta
from urllib.parse import unquote

from odoo import _, api, fields, models

# The error column of a list shows this much of the error's first line.
ERROR_SUMMARY_LENGTH = 80


class TvApiCall(models.Model):
    _name = "tv.api.call"
    _description = "TV platform API call"
    _inherit = ["tv.field.guard"]
    _order = "id desc"

    integration_id = fields.Many2one("tv.integration", required=True, ondelete="restrict",
                                     index=True)
    tv_user_id = fields.Many2one("tv.user", string="TV user", ondelete="set null", index=True)
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
    # what the lists show an operator: words, a readable address, one line
    operation_label = fields.Char(string="Operation", compute="_compute_readable")
    endpoint_readable = fields.Char(string="Address", compute="_compute_readable")
    error_summary = fields.Char(string="Error", compute="_compute_readable")

    @api.depends("status_code", "error")
    def _compute_success(self):
        for call in self:
            call.success = not call.error and 200 <= (call.status_code or 0) < 300

    def _operation_labels(self):
        """The client's operation names (oletv_client/client.py) in words."""
        return {
            "check_connection": _("Test connection"),
            "list_packages": _("Read the package catalog"),
            "list_equipment_models": _("Read the equipment models"),
            "create_subscriber": _("Create subscriber"),
            "get_subscriber": _("Read subscriber"),
            "find_subscriber_by_login": _("Find subscriber by login"),
            "get_subscribers": _("Read subscribers"),
            "list_subscribers_page": _("List subscribers"),
            "billing_statement": _("Read the billing statement"),
            "block_subscriber": _("Block subscriber"),
            "release_subscriber": _("Release subscriber"),
            "change_packages": _("Change packages"),
            "delete_subscriber": _("Delete subscriber"),
        }

    @api.depends("operation", "endpoint", "error")
    def _compute_readable(self):
        labels = self._operation_labels()
        for call in self:
            call.operation_label = labels.get(call.operation, call.operation)
            call.endpoint_readable = unquote(call.endpoint or "")
            first_line = (call.error or "").strip().split("\n")[0]
            call.error_summary = first_line if len(first_line) <= ERROR_SUMMARY_LENGTH \
                else first_line[:ERROR_SUMMARY_LENGTH - 1] + "\u2026"

    @api.model
    def _record(self, integration, records, tv_user=None):
        """Store the client's CallRecords of one conversation."""
        return self._record_batch(integration, [(tv_user, records)])

    @api.model
    def _record_batch(self, integration, conversations):
        """Store the CallRecords of a sync batch, [(TV user or None,
        [records])], in one INSERT: a batch of 50 TV users makes 50 or more
        calls, and a create per call was a large part of a job's Odoo time.
        Every column is written here (the model has no other default nor a
        stored computed field); the system's own record, not the user's."""
        rows = [(integration.id, tv_user.id if tv_user else None, record.operation,
                 record.method, record.endpoint, record.status_code or 0, record.duration_ms,
                 record.request_body, record.response_body, record.error, record.attempt or 1,
                 self.env.uid, self.env.uid)
                for tv_user, records in conversations for record in records]
        if not rows:
            return self.browse()
        placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                                  "now() at time zone 'UTC', now() at time zone 'UTC')"]
                                 * len(rows))
        # pylint: disable=sql-injection
        # (the placeholders above are constant; every value is a parameter)
        self.env.cr.execute(
            "INSERT INTO tv_api_call (integration_id, tv_user_id, operation, method, endpoint, "
            "status_code, duration_ms, request_body, response_body, error, attempt, "
            "create_uid, write_uid, create_date, write_date) VALUES " + placeholders
            + " RETURNING id", [value for row in rows for value in row])
        self.env["tv.user"].invalidate_cache(["api_call_ids"])
        return self.browse([row[0] for row in self.env.cr.fetchall()])

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
