# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The addon's mail templates (data/mail_template_tv_notices.xml): who may
edit them and what they may reach.

Odoo 11 lets every employee edit any mail template, and the notices are
rendered by the system (sudo: the daily policy, the jobs). So:

- the templates the addon ships are edited or deleted by TV managers and
  Settings only (`_tv_check_editor`);
- a TV notice is rendered with the figures handed in, never with records:
  `object` is a NoticeView of the plain values services/customer_notices.py prepares
  (`notice_object`), `ctx` holds the notice's figures and the language
  only, and there is no `user`. A template (or one of its translations,
  which Odoo lets employees edit apart from the template) that asks for
  anything else renders nothing, whatever rights the renderer has."""
from odoo import _, api, models, tools
from odoo.addons.mail.models.mail_template import format_amount, format_date, format_tz, \
    mako_safe_template_env, mako_template_env
from odoo.exceptions import AccessError, UserError

from ..services.notice_view import OBJECTS_KEY, NoticeView
from ..services.tv_roles import MANAGER_GROUP, is_system

EDITOR_GROUPS = (MANAGER_GROUP, "base.group_system")


class MailTemplate(models.Model):
    _inherit = "mail.template"

    @api.multi
    def write(self, vals):
        self._tv_check_editor()
        return super().write(vals)

    @api.multi
    def unlink(self):
        self._tv_check_editor()
        return super().unlink()

    def _tv_check_editor(self):
        if is_system(self.env) or any(self.env.user.has_group(group) for group in EDITOR_GROUPS):
            return
        shipped = self.env["ir.model.data"].sudo().search_count([
            ("module", "=", "oletv_integration"), ("model", "=", self._name),
            ("res_id", "in", self.ids)])
        if shipped:
            raise AccessError(_("The TV integration's mail templates can be changed by TV "
                                "managers and administrators only. Nothing was changed."))

    @api.model
    def render_template(self, template_txt, model, res_ids, post_process=False):
        objects = self.env.context.get(OBJECTS_KEY)
        if not isinstance(objects, dict):
            return super().render_template(template_txt, model, res_ids,
                                           post_process=post_process)
        multi = not isinstance(res_ids, int)
        ids = list(res_ids) if multi else [res_ids]
        jinja = mako_safe_template_env if self.env.context.get("safe") else mako_template_env
        template = jinja.from_string(tools.ustr(template_txt or ""))  # once for all records
        figures = self.env.context.get("tv_notices") or {}
        results = {res_id: self._tv_render_view(template, objects.get(res_id) or {},
                                                figures.get(res_id) or {})
                   for res_id in ids}
        if post_process:
            results = {res_id: self.render_post_process(text) for res_id, text in results.items()}
        return results if multi else results[ids[0]]

    def _tv_render_view(self, template, values, figures):
        """The compiled `template` rendered with `values` as `object` and this
        record's `figures`: no record and no environment."""
        env = self.env
        variables = {
            "format_date": lambda date, format=False: format_date(env, date, format),
            "format_tz": lambda dt, tz=False, format=False: format_tz(env, dt, tz, format),
            "format_amount": lambda amount, currency: format_amount(env, amount, currency),
            # this record's figures only, never the batch's other customers'
            "ctx": {"tv_notices": {values.get("id"): figures}, "lang": env.context.get("lang")},
            "object": NoticeView(values),
            "user": NoticeView({}),
        }
        try:
            rendered = template.render(variables)
        except Exception:
            raise UserError(_("The notice template could not be rendered with the notice's "
                              "figures: it may use only those the addon's documentation lists "
                              "(docs/configure.md, Customer notices)."))
        return "" if rendered == "False" else rendered
