# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A run of the link of existing subscribers in the background: a
migration's CSV planned (dry run), then linked, in queue_job jobs of one
chunk each, with its progress, counts and downloadable report. The work is
in services/link_runs.py; the rows are tv.link.run.line. Every field is the
system's (services/owned_fields.py, OWNED_MODELS): the managers read runs
and act through the buttons."""
import psycopg2

from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError

from ..core import channels
from ..core import sync_plan as plan
from ..services.link_planner import ALREADY_LINKED, ERROR, LINK, LINKED
from ..services.link_runs import APPLY, PHASE_STATES, PLAN, LinkRuns
from ..services.tv_roles import as_system, check_link_manager

STATES = [
    ("draft", "Draft"),
    ("planning", "Dry run in progress"),
    ("planned", "Dry run done"),
    ("applying", "Linking"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("cancelled", "Cancelled"),
]


class TvLinkRun(models.Model):
    _name = "tv.link.run"
    _description = "Link of existing TV subscribers (run)"
    _inherit = ["tv.field.guard"]
    _order = "id desc"

    name = fields.Char(readonly=True, default=lambda self: _("New"), copy=False)
    integration_id = fields.Many2one("tv.integration", string="TV integration", required=True,
                                     ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="integration_id.company_id", store=True, readonly=True,
                                 string="Company")
    state = fields.Selection(STATES, default="draft", required=True, readonly=True)
    phase = fields.Selection([(PLAN, "Dry run"), (APPLY, "Link")], default=PLAN, readonly=True)
    csv_filename = fields.Char(string="File name", readonly=True)
    csv_attachment_id = fields.Many2one("ir.attachment", string="CSV file", readonly=True,
                                        ondelete="set null")
    report_attachment_id = fields.Many2one("ir.attachment", string="Report", readonly=True,
                                           ondelete="set null")
    report_filename = fields.Char(related="report_attachment_id.datas_fname", readonly=True,
                                  string="Report file")
    user_id = fields.Many2one("res.users", string="Started by", readonly=True)
    date_start = fields.Datetime(string="Started on", readonly=True)
    date_planned = fields.Datetime(string="Dry run done on", readonly=True)
    date_done = fields.Datetime(string="Linked on", readonly=True)
    total_count = fields.Integer(string="Lines", compute="_compute_counts")
    done_count = fields.Integer(string="Lines done", compute="_compute_counts",
                                help="Lines done by the current phase (dry run or link).")
    link_count = fields.Integer(string="To link", compute="_compute_counts")
    linked_count = fields.Integer(string="Linked", compute="_compute_counts")
    already_count = fields.Integer(string="Already linked", compute="_compute_counts")
    error_count = fields.Integer(string="Errors", compute="_compute_counts")
    progress = fields.Float(compute="_compute_counts", digits=(16, 1))
    message = fields.Text(readonly=True)
    line_ids = fields.One2many("tv.link.run.line", "run_id", string="Rows", readonly=True)

    @api.depends("state", "phase")
    def _compute_counts(self):
        """From the lines (one query per run): the chunk jobs write only
        their lines, never the run, so they run side by side."""
        for run in self:
            if not run.id:
                continue
            counts = LinkRuns(self.env).counts(run)
            done = counts["planned"] if run.phase == PLAN else counts["applied"]
            run.update({
                "total_count": counts["total"], "done_count": done,
                "progress": 100.0 * done / counts["total"] if counts["total"] else 0.0,
                "link_count": counts[LINK], "linked_count": counts[LINKED],
                "already_count": counts[ALREADY_LINKED], "error_count": counts[ERROR]})

    @api.model_cr_context
    def _auto_init(self):
        result = super()._auto_init()
        # one run of an integration links at a time, whatever the timing of
        # two managers' clicks (action_apply checks first, for the message)
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS tv_link_run_one_applying_idx ON tv_link_run "
            "(integration_id) WHERE state = 'applying'")
        return result

    @api.model
    def _tv_start(self, integration, data, filename=None):
        """A new run (services/link_runs.py); the caller checked the rights."""
        return LinkRuns(as_system(self).env).start(integration, data, filename)

    def _tv_check_rights(self):
        check_link_manager(self)

    @api.multi
    def action_apply(self):
        """Link the rows of a run whose dry run is done, in the background
        (every chunk planned again first). At most one run of an
        integration links at a time."""
        self._tv_check_rights()
        for run in self:
            if run.state != "planned":
                raise UserError(_("Only a run whose dry run is done can be linked: %s is "
                                  "not.") % run.name)
            system = as_system(run)
            system._tv_start_applying({"phase": APPLY})
            LinkRuns(system.env).queue_phase(system, APPLY)
        return True

    def _tv_start_applying(self, values):
        """The run (as the system) links from now on: refused while another
        run of its integration links."""
        other = self.search([("integration_id", "=", self.integration_id.id),
                             ("state", "=", PHASE_STATES[APPLY]), ("id", "!=", self.id)],
                            limit=1)
        message = _("Another run is already linking subscribers of %(integration)s: one run "
                    "links at a time. Try again when it is done.") % {
                        "integration": self.integration_id.name}
        if other:
            raise UserError(message)
        try:
            with self.env.cr.savepoint():
                self.write(dict(values, state=PHASE_STATES[APPLY], message=False))
        except psycopg2.IntegrityError:  # the other run's click was simultaneous
            raise UserError(message)

    @api.multi
    def action_resume(self):
        """Queue the jobs of the run's chunks still to do again (after a
        failure, or jobs lost with a crashed worker); a job already waiting is
        kept."""
        self._tv_check_rights()
        for run in self:
            if run.state not in ("planning", "applying", "failed"):
                raise UserError(_("Only a run in progress or failed can be resumed: %s is "
                                  "not.") % run.name)
            system = as_system(run)
            if run.phase == APPLY:
                system._tv_start_applying({})
            else:
                system.write({"state": PHASE_STATES[PLAN], "message": False})
            LinkRuns(system.env).queue_phase(system, run.phase)
        return True

    @api.multi
    def action_cancel(self):
        """Stop the run after the chunk under way; rows linked already stay
        linked."""
        self._tv_check_rights()
        for run in self:
            if run.state in ("done", "cancelled"):
                raise UserError(_("%s is finished already.") % run.name)
        as_system(self).write({"state": "cancelled"})
        return True

    @api.multi
    def action_download_report(self):
        """The report (CSV), downloaded."""
        self.ensure_one()
        self._tv_check_rights()
        if not self.report_attachment_id:
            raise UserError(_("The report is written when the dry run or the link is done."))
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%d?download=true" % self.report_attachment_id.id}

    def _tv_as_system(self):
        """The run in the system's own path, in the language of the manager
        who started it (its messages, rows' reasons and report)."""
        run = self.sudo()
        return as_system(run, lang=run.user_id.lang or "en_US")

    @job(default_channel=channels.SYNC_CHANNEL, retry_pattern=plan.RETRY_PATTERN)
    @api.multi
    def _tv_link_chunk_job(self, phase, after, last):
        """Olé TV: link existing subscribers, one chunk"""
        if not self.sudo().exists():
            return _("The link run no longer exists: nothing to do.")
        run = self._tv_as_system()
        return LinkRuns(run.env).chunk(run, phase, after, last)

    @job(default_channel=channels.SYNC_CHANNEL, retry_pattern=plan.RETRY_PATTERN)
    @api.multi
    def _tv_link_accounts_job(self):
        """Olé TV: link existing subscribers, accounts from the platform's listing"""
        if not self.sudo().exists():
            return _("The link run no longer exists: nothing to do.")
        run = self._tv_as_system()
        return LinkRuns(run.env).accounts(run)

    @job(default_channel=channels.JOB_CHANNEL)  # no platform call
    @api.multi
    def _tv_link_finish_job(self, phase):
        """Olé TV: link existing subscribers, end of a phase"""
        if not self.sudo().exists():
            return _("The link run no longer exists: nothing to do.")
        run = self._tv_as_system()
        return LinkRuns(run.env).finish(run, phase)
