# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Side doors on records: a package line re-pointed into a locked product,
creation fields after a create was requested, history kept when records are
deleted, TV contracts without a company, package lines across companies,
and the context keys a caller sends into the system's paths."""
import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .test_side_doors import SideDoorCase


class TestRecordSideDoors(SideDoorCase):

    def test_a_package_line_cannot_move_into_a_locked_product(self):
        draft = self.env["product.template"].create({"name": "Not a TV product yet"})
        line = self.env["product.tv.package.line"].create(
            {"product_tmpl_id": draft.id, "package_id": self.pkg_hbo.id})
        locked = self.tv_product.product_tmpl_id
        self.assertTrue(locked.tv_locked)
        before = locked.tv_additional_line_ids
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(self.users_a["manager"], "product.tv.package.line", "write", line.ids,
                     {"product_tmpl_id": locked.id})
        locked.invalidate_cache()
        self.assertEqual(locked.tv_additional_line_ids, before)
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(self.users_a["manager"], "product.tv.package.line", "create",
                     {"package_id": self.pkg_hbo.id},
                     context={"default_product_tmpl_id": locked.id})
        locked.invalidate_cache()
        self.assertEqual(locked.tv_additional_line_ids, before)

    def test_creation_fields_are_fixed_once_a_create_was_requested(self):
        user = self.env["tv.user"].create({
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "use_main_email": False, "login": "requested@example.com"})
        self.assertEqual((user.sync_state, user.account_number), ("pending", False))
        with self.assertRaises(UserError), self.env.cr.savepoint():
            self.rpc(self.users_a["operator"], "tv.user", "write", user.ids,
                     {"login": "other@example.com"})
        user.invalidate_cache()
        self.assertEqual(user.login, "requested@example.com")
        # saving what the form shows is not a change
        self.rpc(self.users_a["operator"], "tv.user", "write", user.ids,
                 {"login": "requested@example.com"})

    @mute_logger("odoo.sql_db")
    def test_deleting_keeps_the_history(self):
        call = self.records["tv.api.call"]
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.integration.unlink()
        draft = self.env["tv.user"].with_context(tv_no_platform_sync=True).create({
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "use_main_email": False, "login": "never@example.com"})
        never = self.env["tv.api.call"].create({
            "integration_id": self.integration.id, "tv_user_id": draft.id,
            "operation": "get_subscriber"})
        draft.unlink()
        self.assertTrue(never.exists())
        self.assertFalse(never.tv_user_id)
        self.assertTrue(call.exists())
        release = self.env["tv.trust.release"].search([("contract_id", "=", self.contract_b.id)])
        self.assertTrue(release)
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint():
            self.env.cr.execute("DELETE FROM account_analytic_account WHERE id = %s",
                                (self.contract_b.id,))

    @mute_logger("odoo.sql_db")
    def test_a_tv_contract_keeps_its_company(self):
        # the database already refuses it here (a NOT NULL from a dependency);
        # the addon's constraint holds where it does not
        with self.assertRaises((ValidationError, psycopg2.IntegrityError)), \
                self.env.cr.savepoint():
            self.contract.write({"company_id": False})
        self.contract.invalidate_cache()
        self.assertEqual(self.contract.company_id, self.company_a)

    def test_package_lines_follow_their_product_company(self):
        product_b = self.tv_product_b.product_tmpl_id
        line_b = self.env["product.tv.package.line"].create(
            {"product_tmpl_id": self.env["product.template"].create(
                {"name": "B draft", "company_id": self.company_b.id}).id,
             "package_id": self.pkg_b.id})
        self.assertTrue(product_b)
        found = self.rpc(self.users_a["manager"], "product.tv.package.line", "search",
                         [("id", "=", line_b.id)])
        self.assertEqual(found, [])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(self.users_a["manager"], "product.tv.package.line", "read", line_b.ids,
                     ["package_id"])


class TestSystemContext(SideDoorCase):

    def test_a_status_change_keeps_its_chatter_line_and_author(self):
        self.contract._set_contract_status("active")
        operator = self.users_a["operator"]
        before = self.contract.message_ids
        self.rpc(operator, "account.analytic.account", "action_contract_block",
                 self.contract.ids, context={"tracking_disable": True,
                                             "tv_tracking_author_id": self.partner.id})
        self.contract.invalidate_cache()
        self.assertEqual(self.contract.contract_status, "blocked")
        tracked = (self.contract.message_ids - before).filtered("tracking_value_ids")
        self.assertEqual(len(tracked), 1)
        self.assertEqual(tracked.author_id, operator.partner_id)
