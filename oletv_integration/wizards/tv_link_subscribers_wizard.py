# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The wizard on the TV integration: upload a CSV, preview, confirm."""
import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..services.link_planner import ALREADY_LINKED, ERROR, LINK, LINKED


class TvLinkSubscribersWizard(models.TransientModel):
    _name = "tv.link.subscribers.wizard"
    _description = "Link existing TV subscribers"

    @api.model
    def _default_integration(self):
        if self.env.context.get("active_model") == "tv.integration":
            return self.env.context.get("active_id")
        return False

    integration_id = fields.Many2one(
        "tv.integration", string="TV integration", required=True,
        default=lambda self: self._default_integration(), ondelete="cascade")
    csv_file = fields.Binary(
        string="CSV file", attachment=False,
        help="Header line, then one line per TV user. Columns: contract (contract reference or "
             "name) or vat (customer VAT/document), login, and optionally account_number "
             "(platform account) and product (TV product code or name). Comma, semicolon or "
             "tab separated.")
    csv_filename = fields.Char(string="File name")
    state = fields.Selection([("upload", "Upload"), ("preview", "Preview"), ("done", "Done")],
                             default="upload", required=True)
    line_ids = fields.One2many("tv.link.subscribers.line", "wizard_id", string="Rows")
    link_count = fields.Integer(compute="_compute_counts", string="To link")
    linked_count = fields.Integer(compute="_compute_counts", string="Linked")
    already_count = fields.Integer(compute="_compute_counts", string="Already linked")
    error_count = fields.Integer(compute="_compute_counts", string="Errors")

    @api.depends("line_ids.status")
    def _compute_counts(self):
        for wizard in self:
            statuses = wizard.line_ids.mapped("status")
            wizard.link_count = statuses.count(LINK)
            wizard.linked_count = statuses.count(LINKED)
            wizard.already_count = statuses.count(ALREADY_LINKED)
            wizard.error_count = statuses.count(ERROR)

    def _csv_bytes(self):
        if not self.csv_file:
            raise UserError(_("Choose the CSV file first."))
        return base64.b64decode(self.csv_file)

    def _show_rows(self, plan, state):
        self.write({"state": state,
                    "line_ids": [(5, 0, 0)] + [(0, 0, row.line_values()) for row in plan]})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("Link existing subscribers")}

    @api.multi
    def action_preview(self):
        """Dry run: show what would happen to each row; nothing is linked."""
        self.ensure_one()
        return self._show_rows(self.integration_id._tv_link_plan(self._csv_bytes()), "preview")

    @api.multi
    def action_confirm(self):
        """Plan again (the platform may have changed) and link every valid
        row in one transaction."""
        self.ensure_one()
        plan = self.integration_id._tv_link_plan(self._csv_bytes())
        if not any(row.status == LINK for row in plan):
            raise UserError(_("No row can be linked: see the reasons in the preview."))
        self.integration_id._tv_link_apply(plan)
        self.integration_id._tv_link_post_summary(
            self.csv_filename, sum(1 for row in plan if row.status == LINKED),
            sum(1 for row in plan if row.status == ALREADY_LINKED),
            sum(1 for row in plan if row.status == ERROR))
        return self._show_rows(plan, "done")

    @api.multi
    def action_start_run(self):
        """A migration's file: plan and link it in the background (a link
        run, tv.link.run), then open the run, whose form shows its
        progress."""
        self.ensure_one()
        run_id = self.integration_id.start_link_run(self._csv_bytes(), self.csv_filename)
        return {"type": "ir.actions.act_window", "res_model": "tv.link.run", "res_id": run_id,
                "view_mode": "form", "target": "current", "name": _("Link run")}

    @api.multi
    def action_back(self):
        self.ensure_one()
        self.write({"state": "upload", "line_ids": [(5, 0, 0)]})
        return {"type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
                "view_mode": "form", "target": "new", "name": _("Link existing subscribers")}
