# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""A move of a package the platform retires to its successor: the TV
products that gave it give the successor (edited at the start), and their
TV users sync in the background, a chunk per job, with the move's progress
(services/package_moves.py). Every field is the system's
(services/owned_fields.py, OWNED_MODELS): TV managers start a move from the
integration (its wizard previews it first) and Resume one a crash left
running."""
from odoo import _, api, fields, models
from odoo.addons.queue_job.job import job
from odoo.exceptions import UserError

from ..core import channels
from ..services.package_moves import PackageMoves
from ..services.tv_roles import as_system, check_move_manager, in_user_language

STATES = [("running", "Running"), ("done", "Done")]


class TvPackageMove(models.Model):
    _name = "tv.package.move"
    _description = "Move of a Retired TV Package"
    _inherit = ["tv.field.guard"]
    _order = "id desc"

    integration_id = fields.Many2one("tv.integration", string="TV integration", required=True,
                                     ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="integration_id.company_id", store=True, readonly=True,
                                 string="Company")
    old_package_id = fields.Many2one("tv.package", string="Retired package", required=True,
                                     ondelete="restrict", readonly=True)
    new_package_id = fields.Many2one("tv.package", string="Successor", required=True,
                                     ondelete="restrict", readonly=True)
    product_tmpl_ids = fields.Many2many(
        "product.template", "tv_package_move_product_rel", "move_id", "product_tmpl_id",
        string="Products changed", readonly=True)
    state = fields.Selection(STATES, default="running", required=True, readonly=True,
                             index=True)
    user_id = fields.Many2one("res.users", string="Started by", readonly=True)
    date_start = fields.Datetime(string="Started on", readonly=True)
    date_done = fields.Datetime(string="Done on", readonly=True)
    total_count = fields.Integer(string="TV users", readonly=True)
    done_count = fields.Integer(string="TV users done", readonly=True)
    last_user_id = fields.Integer(string="Last TV user done", readonly=True,
                                  help="The chunks go by TV user id: the next starts after it.")
    progress = fields.Float(compute="_compute_progress", digits=(16, 1))

    @api.depends("total_count", "done_count", "state")
    def _compute_progress(self):
        for move in self:
            move.progress = 100.0 if move.state == "done" else (
                100.0 * move.done_count / move.total_count if move.total_count else 0.0)

    @api.multi
    def name_get(self):
        return [(move.id, _("%(old)s to %(new)s") % {
            "old": move.old_package_id.name, "new": move.new_package_id.name})
            for move in self]

    @api.multi
    def action_resume(self):
        """Queue the next chunk of a running move again (after a crash or a
        failed job): nothing is done twice that matters. TV managers only."""
        check_move_manager(self)
        for move in self:
            if move.state != "running":
                raise UserError(_("Only a running move can be resumed."))
            PackageMoves(as_system(move).env).queue(as_system(move))
        return True

    @job(default_channel=channels.JOB_CHANNEL)  # no platform call: the syncs make them
    @api.multi
    def _tv_move_chunk_job(self):
        """Olé TV: move a retired package, one chunk of TV users"""
        move = as_system(in_user_language(self)).exists()
        if not move:
            return _("The move no longer exists: nothing to do.")
        return PackageMoves(move.env).chunk(move)
