# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The message under each customer notice. A notice (mail.mail with a
tv_notice, mail_mail.py) inherits its sender, reply-to, subject, body and
attachments from a mail.message posted on the contract or the TV user, and
Odoo 11 lets whoever may write that record write or delete its messages:
a salesperson could redirect a queued notice's replies, or erase the record
that a late notice was sent. Those messages are the system's: only its own
code paths change or delete them (a contract with notices is not deleted
by a user either). Only flags kept for the message's readers stay theirs to
set (NOTICE_MESSAGE_READER_FLAGS: mail_tracking's "Mark as reviewed" of a
failed notice; make test's crowded stage checks it beside that addon).

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
# what a user may still set on a notice's message: flags that other addons
# keep on messages for their readers, which change nothing of what was sent
# (OCA mail_tracking's "needs action" of a failed delivery, cleared by its
# "Mark as reviewed"). A list of the allowed, not of the refused: another
# addon's field may be content (mail_tracking's email_cc is).
NOTICE_MESSAGE_READER_FLAGS = frozenset(["mail_tracking_needs_action"])


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def create(self, values):
        if values.get("model") in TV_THREADS and self._name == "mail.message" \
                and not is_system(self.env):
            self._tv_check_post(values)
            if "email_from" not in values and not self.env.user.email:
                sender = self._tv_sender_without_address(values)
                if sender:
                    values = dict(values, email_from=sender)
        return super().create(values)

    def _tv_check_post(self, values):
        """What a user posts on a TV record is in their own name, and a
        record of changes (tracking values) comes from one who may change
        the record: Odoo 11 lets any follower post, under any author, with
        any tracking values (a forged "who changed the policy")."""
        if values.get("author_id") and values["author_id"] != self.env.user.partner_id.id:
            raise AccessError(_("A message on a TV record is posted in its author's own name. "
                                "Nothing was posted."))
        if values.get("tracking_value_ids"):
            record = self.env[values["model"]].browse(values.get("res_id"))
            record.check_access_rights("write")
            record.check_access_rule("write")

    def _tv_sender_without_address(self, values):
        user = self.env.user
        record = self.env[values["model"]].sudo().browse(values.get("res_id")).exists()
        company = record.company_id if record and "company_id" in record._fields \
            and record.company_id else user.company_id
        params = self.env["ir.config_parameter"].sudo()
        alias, domain = params.get_param("mail.catchall.alias"), \
            params.get_param("mail.catchall.domain")
        address = company.email or (alias and domain and "%s@%s" % (alias, domain))
        return formataddr((user.name, address)) if address else False

    @api.multi
    def write(self, vals):
        if set(vals) - NOTICE_MESSAGE_READER_FLAGS:
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
