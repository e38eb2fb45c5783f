# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The side doors an independent review found after the first round, and
the everyday flows each fix must leave working, all as the role that does
them (never as the superuser, whom the guard lets through)."""
import importlib.util
import os

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from ..services.rpc_arguments import RpcArguments
from ..models.tv_integration import is_loopback_url
from .test_side_doors import SideDoorCase

TEMPLATE = "oletv_integration.mail_template_tv_access_instructions"


class TestEverydayFlowsAsTheirRoles(SideDoorCase):

    def test_a_manager_syncs_the_catalog(self):
        self.integration.sudo().write({"catalog_date": False})
        self.rpc(self.users_a["manager"], "tv.integration", "action_sync_catalog",
                 self.integration.ids)
        self.integration.invalidate_cache()
        self.assertTrue(self.integration.catalog_date)

    def test_an_operator_recreates_a_tv_user_deleted_on_the_panel(self):
        self.tv_user.sudo().write({"platform_state": "deleted", "sync_state": "synced"})
        self.rpc(self.users_a["operator"], "tv.user", "action_recreate_on_platform",
                 self.tv_user.ids)
        self.tv_user.invalidate_cache()
        self.assertEqual((self.tv_user.platform_state, self.tv_user.account_number),
                         ("draft", False))

    def test_a_refused_create_lets_the_operator_fix_the_login(self):
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "use_main_email": False, "login": "taken@example.com"})
        user.sudo().write({"sync_state": "error", "sync_error": "Login taken"})
        self.rpc(self.users_a["operator"], "tv.user", "write", user.ids,
                 {"login": "free@example.com"})
        self.assertEqual(user.login, "free@example.com")

    def test_a_salesperson_moves_their_own_order_to_another_team(self):
        salesperson = self.users_a["salesperson"]
        order = self.env["sale.order"].create({"partner_id": self.partner.id,
                                               "user_id": salesperson.id})
        team = self.env["crm.team"].create({"name": "Equipe TV"})
        self.rpc(salesperson, "sale.order", "write", order.ids, {"team_id": team.id})
        self.assertEqual(order.team_id, team)

    def test_an_unknown_dashboard_tile_opens_the_default_list(self):
        action = self.rpc(self.users_a["viewer"], "tv.integration", "action_open_tv_users",
                          self.integration.ids, context={"tv_tile": "no-such-tile"})
        self.assertIn(("online", "=", True), [tuple(leaf) for leaf in action["domain"]])


class TestDefaultsAsSideDoors(SideDoorCase):

    def test_personal_defaults_do_not_set_owned_fields(self):
        operator = self.users_a["operator"]
        self.rpc(operator, "ir.default", "set", "tv.user", "account_number", "OLE-STOLEN",
                 user_id=True)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(operator, "tv.user", "create", {
                "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
                "use_main_email": False, "login": "defaults@example.com"})
        self.assertFalse(self.env["tv.user"].search([("account_number", "=", "OLE-STOLEN")]))

    def test_a_sale_order_confirmed_with_hostile_defaults(self):
        salesperson = self.users_a["salesperson"]
        buyer = self.env["res.partner"].create({"name": "Comprador",
                                                "email": "comprador@example.com"})
        order = self.env["sale.order"].create({
            "partner_id": buyer.id, "user_id": salesperson.id,
            "order_line": [(0, 0, {"product_id": self.tv_product.id, "name": "TV",
                                   "product_uom_qty": 1,
                                   "product_uom": self.tv_product.uom_id.id,
                                   "price_unit": 50.0})]})
        self.rpc(salesperson, "sale.order", "action_confirm", order.ids, context={
            "default_account_number": "OLE-STOLEN", "default_platform_state": "active",
            "default_trust_release_until": "2099-12-31", "default_contract_status": "active",
            "default_headers": "{'Bcc': 'x@evil.test'}"})
        contract = order.tv_contract_ids
        self.assertEqual(len(contract), 1)
        self.assertFalse(contract.trust_release_until)
        self.assertEqual(contract.tv_user_ids.mapped("account_number"), [False])
        self.assertEqual(contract.tv_user_ids.mapped("platform_state"), ["draft"])


class TestTemplateTranslations(SideDoorCase):

    def test_an_employee_cannot_rewrite_a_template_translation(self):
        template = self.env.ref(TEMPLATE)
        for role in ("employee", "salesperson", "clerk"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "ir.translation", "create", {
                    "name": "mail.template,body_html", "res_id": template.id,
                    "lang": "pt_BR", "type": "model", "src": template.body_html,
                    "value": "<p>Pague em http://evil.test</p>", "state": "translated"})
        existing = self.env["ir.translation"].search([
            ("name", "=", "mail.template,subject"), ("res_id", "=", template.id)], limit=1)
        if existing:
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a["employee"], "ir.translation", "write", existing.ids,
                         {"value": "Pague em http://evil.test"})

    def test_a_notice_sees_only_its_own_figures(self):
        template = self.env["mail.template"]
        ids = [self.contract.id, self.contract_b.id]
        rendered = template.with_context(
            tv_notices={ids[0]: {"total": "R$ 10,00"}, ids[1]: {"total": "R$ 99,00"}},
            tv_notice_objects={ids[0]: {"id": ids[0]}, ids[1]: {"id": ids[1]}},
        ).render_template("${ctx['tv_notices']|string}", "account.analytic.account", ids)
        self.assertIn("10,00", rendered[ids[0]])
        self.assertNotIn("99,00", rendered[ids[0]])
        self.assertNotIn("10,00", rendered[ids[1]])

    def test_an_isps_template_asking_for_more_still_sends(self):
        self.env.ref(TEMPLATE).write({
            "body_html": "<p>${object.login} ${object.user_id.name} ${user.signature}</p>"})
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 self.tv_user.ids)
        mail = self.env["mail.mail"].search([("model", "=", "account.analytic.account"),
                                             ("res_id", "=", self.contract.id)],
                                            order="id desc", limit=1)
        self.assertIn(self.tv_user.login, mail.body_html)


class TestMovesAndDerivedFields(SideDoorCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.integration_2 = cls.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({"name": "Olé TV A2"})
        package = cls.env["tv.package"].create({"integration_id": cls.integration_2.id,
                                                "code": "BASIC2", "name": "Básico 2",
                                                "kind": "main"})
        cls.tv_product_2 = cls.make_tv_product("TV A2", package, integration=cls.integration_2)

    def test_a_live_tv_user_keeps_its_integration(self):
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(self.users_a["operator"], "tv.user", "write", self.tv_user.ids,
                     {"product_id": self.tv_product_2.id})
        self.tv_user.invalidate_cache()
        self.assertEqual(self.tv_user.integration_id, self.integration)

    def test_recompute_false_leaves_no_stale_access(self):
        active = self.make_contract(self.partner, [self.tv_product_box])
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": active.id, "product_id": self.tv_product_box.id,
            "use_main_email": False, "login": "moving@example.com"})
        self.assertEqual(user.desired_access, "allowed")
        self.rpc(self.users_a["operator"], "tv.user", "write", user.ids,
                 {"contract_id": self.contract.id}, context={"recompute": False})
        # what the database holds once the request is over (an ORM read here
        # would recompute what the request left pending)
        self.env.cr.execute("SELECT desired_access FROM tv_user WHERE id = %s", user.ids)
        self.assertEqual(self.env.cr.fetchone()[0], "blocked")


class TestSmallDoors(SideDoorCase):

    def test_loopback_means_this_machine(self):
        for url in ("http://127.0.0.1:8099", "http://localhost:8099", "http://[::1]:8099",
                    "http://127.1.2.3"):
            self.assertTrue(is_loopback_url(url), url)
        for url in ("http://127.evil.test", "http://192.0.2.1", "http://localhost.evil.test"):
            self.assertFalse(is_loopback_url(url), url)

    def test_whole_numbers_are_ascii_digits(self):
        for bad in ("²", "1e3", "٣"):
            with self.assertRaises(UserError):
                RpcArguments(self.env).integer(bad, "Days")
        self.assertEqual(RpcArguments(self.env).integer(" 7 ", "Days"), 7)


class TestRoundThree(SideDoorCase):
    """What a second review found open after the first round."""

    def test_employees_and_portal_users_do_not_read_the_notices(self):
        notice = self.records["mail.mail"]
        for role in ("employee", "salesperson", "clerk", "portal"):
            found = self.rpc(self.users_a[role], "mail.mail", "search",
                             [("id", "=", notice.id)])
            self.assertEqual(found, [], role)
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "mail.mail", "write", notice.ids,
                         {"email_to": "x@evil.test"})
        self.assertEqual(self.rpc(self.users_a["viewer"], "mail.mail", "search",
                                  [("id", "=", notice.id)]), notice.ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["operator"], "mail.mail", "write", notice.ids,
                     {"email_to": "x@evil.test"})

    def test_the_message_under_a_notice_is_the_systems(self):
        """Writing the contract lets a salesperson write its messages in
        Odoo 11: not those of a notice (its reply-to, subject, deletion)."""
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 self.tv_user.ids)
        notice = self.env["mail.mail"].search([("tv_notice", "!=", False),
                                               ("model", "=", "account.analytic.account")],
                                              order="id desc", limit=1)
        message = notice.mail_message_id
        self.assertEqual(message.res_id, self.contract.id)
        for role in ("salesperson", "clerk", "operator"):
            for call in (("write", {"reply_to": "x@evil.test", "subject": "Pay here"}),
                         ("unlink",)):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.rpc(self.users_a[role], "mail.message", call[0], message.ids,
                             *call[1:])
        message.invalidate_cache()
        self.assertTrue(message.exists())
        self.assertNotEqual(message.reply_to, "x@evil.test")
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["salesperson"], "account.analytic.account", "unlink",
                     [message.res_id])

    def test_the_chatter_copy_of_a_notice_holds_no_content(self):
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 self.tv_user.ids)
        found = self.rpc(self.users_a["salesperson"], "mail.message", "search_read",
                         [("model", "=", "account.analytic.account"),
                          ("res_id", "=", self.contract.id)], ["body"])
        self.assertTrue(found)
        self.assertNotIn(self.tv_user.login, repr(found))

    def test_the_other_company_does_not_read_the_notices(self):
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 self.tv_user.ids)
        for role in ("viewer", "operator", "manager"):
            found = self.rpc(self.users_b[role], "mail.mail", "search_read",
                             [("tv_notice", "!=", False)], ["body_html"])
            self.assertNotIn(self.tv_user.login, repr(found), role)
        found = self.rpc(self.users_a["viewer"], "mail.mail", "search_read",
                         [("tv_notice", "!=", False)], ["body_html"])
        self.assertIn(self.tv_user.login, repr(found))

    def test_notices_sent_before_the_upgrade_are_closed_by_it(self):
        self.rpc(self.users_a["operator"], "tv.user", "action_tv_resend_access_instructions",
                 self.tv_user.ids)
        mail = self.env["mail.mail"].search([("tv_notice", "!=", False)], order="id desc",
                                            limit=1)
        # as 11.0.1.5.0 left it: no company, the content in the chatter copy
        self.env.cr.execute("UPDATE mail_mail SET tv_company_id = NULL WHERE id = %s", mail.ids)
        self.env.cr.execute("UPDATE mail_message SET body = %s WHERE id = %s",
                            (mail.body_html, mail.mail_message_id.id))
        self.env["mail.mail"].invalidate_cache()
        self.env["mail.message"].invalidate_cache()
        self.assertFalse(self.rpc(self.users_a["viewer"], "mail.mail", "search",
                                  [("id", "=", mail.id)]))  # no company: closed
        spec = importlib.util.spec_from_file_location("post_migration", os.path.join(
            os.path.dirname(os.path.dirname(__file__)), "migrations", "11.0.1.6.0",
            "post-migration.py"))
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "11.0.1.5.0")
        self.env["mail.mail"].invalidate_cache()
        self.env["mail.message"].invalidate_cache()
        self.assertEqual(mail.tv_company_id, self.contract.company_id)
        self.assertNotIn(self.tv_user.login, mail.mail_message_id.body)
        self.assertIn(self.tv_user.login, mail.body_html)
        self.assertEqual(self.rpc(self.users_a["viewer"], "mail.mail", "search",
                                  [("id", "=", mail.id)]), mail.ids)

    def test_a_translation_row_cannot_be_pointed_at_an_addon_template(self):
        template = self.env.ref(TEMPLATE)
        employee = self.users_a["employee"]
        # refused (or, in this Odoo, never filled from the context at all)
        with self.assertRaises((AccessError, psycopg2.IntegrityError)), \
                self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.rpc(employee, "ir.translation", "create", {
                "lang": "pt_BR", "type": "model", "src": "x",
                "value": "<p>Pague em http://evil.test</p>", "state": "translated"},
                context={"default_name": "mail.template,body_html",
                         "default_res_id": template.id})
        own = self.env["mail.template"].create({"name": "Employee's own",
                                                "model_id": template.model_id.id})
        row = self.env["ir.translation"].create({
            "name": "mail.template,subject", "res_id": own.id, "lang": "pt_BR",
            "type": "model", "src": "x", "value": "y", "state": "translated"})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(employee, "ir.translation", "write", row.ids, {"res_id": template.id})

    def test_the_integration_form_edits_its_packages(self):
        self.rpc(self.users_a["manager"], "tv.integration", "write", self.integration.ids,
                 {"package_ids": [(1, self.pkg_hbo.id, {"name": "HBO Max"})]})
        self.assertEqual(self.pkg_hbo.name, "HBO Max")

    def test_a_creation_whose_answer_never_came_stays_fixed(self):
        user = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "use_main_email": False, "login": "lost@example.com"})
        user.sudo().write({"sync_state": "error", "sync_error": "IP not allowed"})
        self.env["tv.api.call"].create({"integration_id": self.integration.id,
                                        "tv_user_id": user.id,
                                        "operation": "create_subscriber", "status_code": 504})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(self.users_a["operator"], "tv.user", "write", user.ids,
                     {"login": "other@example.com"})


class TestThirdReview(SideDoorCase):
    """The side doors the third review found: a TV product's variant moved to
    another template, the notices' files, a wizard naming other companies'
    records, a TV contract's invoicing changed by a salesperson."""

    @mute_logger("odoo.models")
    def test_a_tv_variant_stays_with_its_template(self):
        sales_manager = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Sales manager a", "login": "sales-manager-a",
            "company_id": self.company_a.id, "company_ids": [(6, 0, self.company_a.ids)],
            "groups_id": [(6, 0, [self.env.ref("sales_team.group_sale_manager").id])]})
        other = self.tv_product_box.product_tmpl_id
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(sales_manager, "product.product", "write", self.tv_product.ids,
                     {"product_tmpl_id": other.id})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(sales_manager, "product.template", "write", other.ids,
                     {"product_variant_ids": [(4, self.tv_product.id)]})
        self.tv_product.invalidate_cache()
        self.assertNotEqual(self.tv_product.product_tmpl_id, other)

    @mute_logger("odoo.models")
    def test_the_files_of_a_shipped_template_are_the_managers(self):
        template = self.env.ref(TEMPLATE)
        template.write({"attachment_ids": [(0, 0, {"name": "guide.pdf", "datas": "Z3VpZGU=",
                                                   "datas_fname": "guide.pdf"})]})
        attachment = template.attachment_ids
        for role in ("employee", "salesperson", "clerk", "operator"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "ir.attachment", "write", attachment.ids,
                         {"datas": "aG9zdGlsZQ=="})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "ir.attachment", "unlink", attachment.ids)
        self.rpc(self.users_a["manager"], "ir.attachment", "write", attachment.ids,
                 {"name": "guia.pdf"})
        self.assertEqual(attachment.name, "guia.pdf")

    @mute_logger("odoo.models")
    def test_the_files_of_a_notice_are_the_systems(self):
        message = self.contract.message_post(body="Late notice", attachment_ids=[])
        attachment = self.env["ir.attachment"].create({
            "name": "boleto.pdf", "datas": "Ym9sZXRv", "datas_fname": "boleto.pdf",
            "res_model": "mail.message", "res_id": message.id})
        message.write({"attachment_ids": [(4, attachment.id)]})
        self.env["mail.mail"].create({"mail_message_id": message.id, "tv_notice": "late_notice",
                                      "tv_company_id": self.company_a.id})
        for role in ("salesperson", "clerk", "operator", "manager"):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "ir.attachment", "write", attachment.ids,
                         {"datas": "aG9zdGlsZQ=="})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a[role], "ir.attachment", "unlink", attachment.ids)
        self.assertEqual(attachment.datas, b"Ym9sZXRv")

    @mute_logger("odoo.models")
    def test_a_wizard_names_nothing_the_caller_may_not_read(self):
        for user in (self.users_a["portal"], self.users_b["operator"]):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                wizard = self.rpc(user, "tv.plan.change.wizard", "create", {
                    "contract_id": self.contract.id, "tv_user_id": self.tv_user.id,
                    "new_product_id": self.tv_product_box.id})
                self.rpc(user, "tv.plan.change.wizard", "read", [wizard],
                         ["current_product_id", "integration_id", "next_period_date"])

    @mute_logger("odoo.models")
    def test_a_dialog_names_no_tv_user_nor_contract_to_others(self):
        """The plan change and suspension dialogs are transient: anyone may
        create one over XML-RPC and read back its TV user's login (a
        customer's e-mail) and contract's name, which Odoo reads as the
        system: only TV operators who read them create one."""
        dialogs = (("tv.plan.change.wizard", {
            "contract_id": self.contract.id, "tv_user_id": self.tv_user.id,
            "new_product_id": self.tv_product_box.id}, ["tv_user_id", "contract_id"]),
                   ("tv.request.suspension.wizard", {
                       "contract_id": self.contract.id, "date_from": "2030-01-01",
                       "date_to": "2030-02-01"}, ["contract_id"]))
        for user in (self.users_a["portal"], self.users_a["salesperson"],
                     self.users_a["clerk"], self.users_b["operator"]):
            for model, values, names in dialogs:
                seen = []
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    wizard = self.rpc(user, model, "create", values)
                    seen.append(self.rpc(user, model, "read", [wizard], names))
                for text in (self.tv_user.login, self.contract.name):
                    self.assertNotIn(text, repr(seen), (user.login, model))
        for model, values, names in dialogs:
            wizard = self.rpc(self.users_a["operator"], model, "create", values)
            self.assertTrue(self.rpc(self.users_a["operator"], model, "read", [wizard], names))

    @mute_logger("odoo.models")
    def test_a_tv_contract_s_invoicing_is_the_billing_users(self):
        before = (self.contract.date_end, self.contract.recurring_next_date)
        for vals in ({"date_end": "2030-01-01"}, {"recurring_next_date": "2000-01-01"},
                     {"recurring_rule_type": "daily"}):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.rpc(self.users_a["salesperson"], "account.analytic.account", "write",
                         self.contract.ids, vals)
        self.contract.invalidate_cache()
        self.assertEqual((self.contract.date_end, self.contract.recurring_next_date), before)
        billing = self.users_a["salesperson"]  # who also invoices
        billing.groups_id |= self.env.ref("account.group_account_invoice")
        self.rpc(billing, "account.analytic.account", "write", self.contract.ids,
                 {"date_end": "2030-01-01"})
        self.assertEqual(self.contract.date_end, "2030-01-01")
