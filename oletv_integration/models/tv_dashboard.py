# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The TV back office dashboard: per integration, how many TV users are
Online/Offline, pending, failed, deleted on the platform, or awaiting their
first access for too long; each figure opens the matching list."""
from datetime import timedelta

from odoo import _, api, fields, models

# dashboard tile -> domain on tv.user (awaiting_late is built with the day limit)
TILE_DOMAINS = {
    "online": [("online", "=", True)],
    "offline": [("online", "=", False), ("platform_state", "in", ("awaiting_activation", "blocked"))],
    "pending": [("sync_state", "=", "pending")],
    "error": [("sync_state", "=", "error")],
    "deleted": [("platform_state", "=", "deleted"), ("to_delete", "=", False)],
    "awaiting": [("platform_state", "=", "awaiting_activation")],
}


class TvIntegration(models.Model):
    _inherit = "tv.integration"

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
        return TILE_DOMAINS[tile]

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
