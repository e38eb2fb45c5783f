# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The translations of the addon's mail templates follow the templates'
editors (mail_template.py): Odoo 11 lets every employee write translations,
checking the translated record's access rights apart from its write(). The
rows are checked as they are before a change and as they are after it
(defaults from the context or ir.default included), as Odoo's own check."""
from odoo import api, models

from ..services.tv_roles import is_system

TEMPLATE_PREFIX = "mail.template,"


class IrTranslation(models.Model):
    _inherit = "ir.translation"

    @api.model
    def create(self, vals):
        translation = super().create(vals)
        translation._tv_check_template_editor()
        return translation

    @api.multi
    def write(self, vals):
        self._tv_check_template_editor()
        result = super().write(vals)
        self._tv_check_template_editor()
        return result

    @api.multi
    def unlink(self):
        self._tv_check_template_editor()
        return super().unlink()

    def _tv_check_template_editor(self):
        if is_system(self.env):
            return
        rows = self.sudo().read(["name", "res_id"])
        template_ids = [row["res_id"] for row in rows if row["res_id"]
                        and (row["name"] or "").startswith(TEMPLATE_PREFIX)]
        if template_ids:
            self.env["mail.template"].browse(template_ids)._tv_check_editor()
