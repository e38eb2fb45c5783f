# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The translations of the addon's mail templates follow the templates'
editors (mail_template.py): Odoo 11 lets every employee write translations,
checking the translated record's access rights apart from its write()."""
from odoo import api, models

from .tv_roles import is_system

TEMPLATE_PREFIX = "mail.template,"


class IrTranslation(models.Model):
    _inherit = "ir.translation"

    @api.model
    def create(self, vals):
        self._tv_check_template_editor([vals])
        return super().create(vals)

    @api.multi
    def write(self, vals):
        if not is_system(self.env):
            self._tv_check_template_editor(self.read(["name", "res_id"]) + [vals])
        return super().write(vals)

    @api.multi
    def unlink(self):
        if not is_system(self.env):
            self._tv_check_template_editor(self.read(["name", "res_id"]))
        return super().unlink()

    def _tv_check_template_editor(self, rows):
        if is_system(self.env):
            return
        template_ids = [row.get("res_id") for row in rows if row.get("res_id")
                        and (row.get("name") or "").startswith(TEMPLATE_PREFIX)]
        if template_ids:
            self.env["mail.template"].browse(template_ids)._tv_check_editor()
