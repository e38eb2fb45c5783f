# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The message under each customer notice. A notice (mail.mail with a
tv_notice, mail_mail.py) inherits its sender, reply-to, subject, body and
attachments from a mail.message posted on the contract or the TV user, and
Odoo 11 lets whoever may write that record write or delete its messages:
a salesperson could redirect a queued notice's replies, or erase the record
that a late notice was sent. Those messages are the system's: only its own
code paths change or delete them (a contract with notices is not deleted
by a user either).

And a back-office user with no e-mail address of their own (an operator
account, as the demo's) acts on the TV records all the same: Odoo 11 asks
every message for a sender address, and refused the tracking of their
change ("Unable to send email"); the messages of the TV records then carry
their company's address (else the catchall) under their name."""
from email.utils import formataddr

from odoo import _, api, models
from odoo.exceptions import AccessError

from ..services.tv_roles import is_system


# the records whose chatter the TV roles write (their changes, tracked)
TV_THREADS = ("account.analytic.account", "tv.user", "tv.integration", "tv.delinquency.policy")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def create(self, values):
        if "email_from" not in values and values.get("model") in TV_THREADS \
                and not self.env.user.email:
            sender = self._tv_sender_without_address()
            if sender:
                values = dict(values, email_from=sender)
        return super().create(values)

    def _tv_sender_without_address(self):
        user = self.env.user
        params = self.env["ir.config_parameter"].sudo()
        alias, domain = params.get_param("mail.catchall.alias"), \
            params.get_param("mail.catchall.domain")
        address = user.company_id.email or (alias and domain and "%s@%s" % (alias, domain))
        return formataddr((user.name, address)) if address else False

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
