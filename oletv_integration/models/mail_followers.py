# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Who follows a TV record. Odoo 11 lets any employee (or portal user)
create a follower row for any document over XML-RPC, past the checks of
message_subscribe: a user of another company would then get the record's
notes and its tracked changes (a delinquency policy's ladder and billing
switches) and may post on it. On the TV records a user follows what they
may read, and makes others follow what they may change, as
message_subscribe asks."""
from odoo import api, models

from ..services.tv_roles import is_system
from .mail_message import TV_THREADS

FOLLOWING = ("res_model", "res_id", "partner_id", "channel_id")


class MailFollowers(models.Model):
    _inherit = "mail.followers"

    @api.model
    def create(self, vals):
        self._tv_check_following(vals.get("res_model"), vals.get("res_id"),
                                 vals.get("partner_id"), vals.get("channel_id"))
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if set(FOLLOWING) & set(vals):
            for follower in self:
                self._tv_check_following(
                    vals.get("res_model", follower.res_model), vals.get("res_id", follower.res_id),
                    vals.get("partner_id", follower.partner_id.id),
                    vals.get("channel_id", follower.channel_id.id))
        return super().write(vals)

    def _tv_check_following(self, model, res_id, partner_id, channel_id):
        if model not in TV_THREADS or is_system(self.env):
            return
        record = self.env[model].browse(res_id)
        operation = "read" if partner_id == self.env.user.partner_id.id and not channel_id \
            else "write"
        record.check_access_rights(operation)
        record.check_access_rule(operation)
