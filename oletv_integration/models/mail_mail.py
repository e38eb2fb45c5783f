# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Customer notices in Odoo's mail queue, and their retries.

Odoo 11's mail queue never retries: a mail whose SMTP server could not be
reached, dropped the connection or answered a temporary (4xx) code is left
*Delivery Failed* (state `exception`) for good. The scheduled action *TV:
retry customer notices* puts the customer notices that failed that way
back in the queue (`outgoing`), up to `oletv_integration.notice_max_retries`
times (default 72: with the hourly mail queue, about three days); a
permanent refusal (5xx, no valid recipient) is left failed."""
from odoo import api, fields, models

from ..core import notice_rules as notices

MAX_RETRIES_PARAM = "oletv_integration.notice_max_retries"
DEFAULT_MAX_RETRIES = 72
NOTICE_SELECTION = [
    (notices.WELCOME, "Welcome"),
    (notices.ACCESS_INSTRUCTIONS, "Access instructions"),
    (notices.LATE_NOTICE, "Late notice"),
    (notices.REDUCED, "Reduced access"),
    (notices.BLOCKED, "Blocked"),
    (notices.RELEASED, "Released"),
    (notices.REQUEST, "Request received"),
]


class MailMail(models.Model):
    _name = "mail.mail"
    _inherit = ["mail.mail", "tv.field.guard"]

    tv_notice = fields.Selection(NOTICE_SELECTION, string="TV customer notice", readonly=True,
                                 index=True, copy=False)
    tv_company_id = fields.Many2one("res.company", string="TV notice company", readonly=True,
                                    copy=False, index=True)
    tv_notice_retries = fields.Integer(
        string="TV notice retries", readonly=True, copy=False, default=0,
        help="Times the notice was put back in the mail queue after a temporary delivery "
             "failure.")

    @api.model
    def _cron_tv_retry_notices(self):
        """Scheduled action (private): requeue the customer notices that
        failed for a temporary reason. Returns how many."""
        cap = int(self.env["ir.config_parameter"].sudo().get_param(
            MAX_RETRIES_PARAM, DEFAULT_MAX_RETRIES))
        failed = self.search([("tv_notice", "!=", False), ("state", "=", "exception"),
                              ("tv_notice_retries", "<", cap)])
        retry = failed.filtered(lambda mail: notices.is_temporary_failure(mail.failure_reason))
        for mail in retry:
            mail.write({"state": "outgoing", "tv_notice_retries": mail.tv_notice_retries + 1})
        return len(retry)
