# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The files of the customer notices. Odoo 11 lets whoever may write a
record write or delete its attachments: every employee those of any mail
template, whoever may write a contract those of its messages. A file of a
template the addon ships goes into every notice, and a file of a notice's
message is the record of what was sent: the first is changed by those who
may change the template (mail_template.py), the second by the system only
(mail_message.py)."""
from odoo import api, models

from ..services.tv_roles import is_system


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.multi
    def write(self, vals):
        self._tv_check_notice_files()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._tv_check_notice_files()
        return super().unlink()

    def _tv_check_notice_files(self):
        if not self.ids or is_system(self.env):
            return
        templates, messages = self._tv_owners()
        if templates:
            self.env["mail.template"].browse(templates)._tv_check_editor()
        if messages:
            self.env["mail.message"].browse(messages)._tv_check_notice_messages()

    def _tv_owners(self):
        """(template ids, message ids) the attachments belong to, by their
        res_model/res_id or by the records' attachment lists."""
        cr = self.env.cr
        ids = tuple(self.ids)
        cr.execute("SELECT res_model, res_id FROM ir_attachment WHERE id IN %s "
                   "AND res_model IN ('mail.template', 'mail.message') AND res_id IS NOT NULL",
                   (ids,))
        owners = {"mail.template": set(), "mail.message": set()}
        for model, res_id in cr.fetchall():
            owners[model].add(res_id)
        cr.execute("SELECT email_template_id FROM email_template_attachment_rel "
                   "WHERE attachment_id IN %s", (ids,))
        owners["mail.template"].update(row[0] for row in cr.fetchall())
        cr.execute("SELECT message_id FROM message_attachment_rel WHERE attachment_id IN %s",
                   (ids,))
        owners["mail.message"].update(row[0] for row in cr.fetchall())
        return list(owners["mail.template"]), list(owners["mail.message"])
