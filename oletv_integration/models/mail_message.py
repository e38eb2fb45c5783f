# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The message under each customer notice. A notice (mail.mail with a
tv_notice, mail_mail.py) inherits its sender, reply-to, subject, body and
attachments from a mail.message posted on the contract or the TV user, and
Odoo 11 lets whoever may write that record write or delete its messages:
a salesperson could redirect a queued notice's replies, or erase the record
that a late notice was sent. Those messages are the system's: only its own
code paths change or delete them (a contract with notices is not deleted
by a user either)."""
from odoo import _, api, models
from odoo.exceptions import AccessError

from ..services.tv_roles import is_system


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.multi
    def write(self, vals):
        self._tv_check_notice_messages()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._tv_check_notice_messages()
        return super().unlink()

    def _tv_check_notice_messages(self):
        # the composer (mail.compose.message) inherits these methods: its ids
        # are not messages
        if self._name != "mail.message" or not self.ids or is_system(self.env):
            return
        self.env.cr.execute("SELECT 1 FROM mail_mail WHERE mail_message_id IN %s "
                            "AND tv_notice IS NOT NULL LIMIT 1", (tuple(self.ids),))
        if self.env.cr.fetchone():
            raise AccessError(_("The messages of the TV customer notices are the system's "
                                "record of what was sent: they cannot be changed or deleted. "
                                "Nothing was changed."))
