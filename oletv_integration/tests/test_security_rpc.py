# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What each role must not do over XML-RPC is refused with a clear message
and leaves nothing changed, in Odoo and on the sandbox; nothing of company
A is readable or triggerable from company B."""
from odoo import fields
from odoo.exceptions import AccessError, ValidationError

from .security_common import RolesCase

NOT_OPERATORS = ("clerk", "salesperson", "viewer", "employee", "portal")


class TestForbiddenOverRpc(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tv_user = cls.make_live_tv_user()
        cls.product_manager = cls.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Product manager", "login": "product-manager-a",
            "groups_id": [(6, 0, [cls.env.ref("sales_team.group_sale_manager").id])]})

    def setUp(self):
        super().setUp()
        self.requests_before = self.sandbox.stats()["total_requests"]

    def snapshot(self):
        user = self.tv_user.with_context(active_test=False)
        user.invalidate_cache()
        self.contract.invalidate_cache()
        return (user.read(["account_number", "platform_state", "sync_state", "to_delete",
                           "active", "login"]),
                self.contract.read(["contract_status", "block_reason", "trust_release_until"]),
                self.tv_product.tv_locked, len(self.jobs()))

    def assertRefused(self, call, exception=AccessError, words=None):
        before = self.snapshot()
        with self.assertRaises(exception) as raised, self.env.cr.savepoint():
            call()
        message = raised.exception.name
        self.assertTrue(message)
        if words:
            self.assertIn(words, message)
        self.assertEqual(self.snapshot(), before)
        self.assertEqual(self.sandbox.stats()["total_requests"], self.requests_before)
        return message

    # -- 1: scheduled work and test-only context keys ----------------------

    def test_the_delinquency_cron_is_not_callable(self):
        self.assertFalse(hasattr(self.env["account.analytic.account"], "cron_tv_delinquency"))
        cron = self.env.ref("oletv_integration.cron_tv_delinquency")
        self.assertEqual(cron.code.strip(), "model._cron_tv_delinquency()")
        for user in self.users_a.values():
            self.assertRefused(lambda: self.rpc(user, "account.analytic.account",
                                                "_cron_tv_delinquency", "2035-01-01"),
                               words="Private methods")
        for method in ("_cron_reconcile", "_tv_sync_job", "_tv_request_sync"):
            self.assertRefused(lambda: self.rpc(self.users_a["operator"], "tv.user", method,
                                                self.tv_user.ids), words="Private methods")

    def test_the_day_of_a_trust_release_is_not_taken_from_the_context(self):
        self.env["tv.delinquency.policy"]._for_company(self.company_a) or \
            self.env["tv.delinquency.policy"].create({"company_id": self.company_a.id})
        self.contract._set_contract_status("blocked", block_reason="automatic")
        self.rpc(self.users_a["operator"], "account.analytic.account", "action_tv_trust_release",
                 self.contract.ids, days=2, context={"tv_delinquency_today": "2035-01-01"})
        today = fields.Date.from_string(fields.Date.context_today(self.env.user))
        self.assertEqual(self.contract.trust_release_until,
                         fields.Date.to_string(today + fields.date.resolution * 2))

    # -- 3: buttons check the caller's rights -----------------------------

    def test_buttons_need_write_access_on_the_tv_user(self):
        for role in NOT_OPERATORS:
            for method in ("action_sync_now", "action_create_on_platform",
                           "action_refresh_from_platform", "action_recreate_on_platform"):
                self.assertRefused(lambda: self.rpc(self.users_a[role], "tv.user", method,
                                                    self.tv_user.ids))
            self.assertRefused(lambda: self.rpc(self.users_a[role], "account.analytic.account",
                                                "action_tv_sync_now", self.contract.ids))

    # -- 4: who changes a contract's status ---------------------------------

    def test_only_tv_operators_change_a_contract_status(self):
        for role in NOT_OPERATORS:
            for method in ("action_contract_block", "action_contract_late_notice",
                           "action_contract_deactivate", "action_tv_bulk_block",
                           "action_contract_awaiting_signature"):
                self.assertRefused(lambda: self.rpc(self.users_a[role], "account.analytic.account",
                                                    method, self.contract.ids))
        message = self.assertRefused(lambda: self.rpc(
            self.users_a["clerk"], "account.analytic.account", "action_contract_block",
            self.contract.ids))
        self.assertIn("TV operators", message)

    # -- 5: fields the platform or the workflow owns --------------------------

    def test_owned_tv_user_fields_are_refused(self):
        values = {"account_number": "OLE-999999", "platform_state": "deleted",
                  "sync_state": "error", "to_delete": True, "active": False}
        for role in ("operator", "manager"):
            for name, value in values.items():
                self.assertRefused(lambda: self.rpc(self.users_a[role], "tv.user", "write",
                                                    self.tv_user.ids, {name: value}),
                                   words="only be changed by the system")
        self.assertRefused(lambda: self.rpc(self.users_a["operator"], "tv.user", "toggle_active",
                                            self.tv_user.ids))
        self.assertRefused(lambda: self.rpc(self.users_a["operator"], "tv.user", "create", {
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "login": "other@example.com", "use_main_email": False,
            "account_number": "OLE-STOLEN", "platform_state": "active"}))
        self.assertRefused(lambda: self.rpc(self.users_a["operator"], "tv.user", "create", {
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "login": "other@example.com", "use_main_email": False},
            context={"default_platform_state": "active"}))

    def test_owned_contract_fields_are_refused(self):
        values = {"contract_status": "blocked", "block_reason": "automatic",
                  "trust_release_until": "2035-01-01"}
        for role in ("salesperson", "operator", "manager"):
            for name, value in values.items():
                self.assertRefused(lambda: self.rpc(self.users_a[role], "account.analytic.account",
                                                    "write", self.contract.ids, {name: value}))
        self.assertRefused(lambda: self.rpc(
            self.users_a["salesperson"], "account.analytic.account", "create",
            {"name": "Blocked at birth", "contract_status": "blocked"}),
            words="only be changed by the system")

    def test_product_lock_is_refused(self):
        self.assertRefused(lambda: self.rpc(self.product_manager, "product.template", "write",
                                            self.tv_product.product_tmpl_id.ids,
                                            {"tv_locked": False}),
                           words="only be changed by the system")
        self.assertRefused(lambda: self.rpc(
            self.product_manager, "product.template", "write",
            self.tv_product.product_tmpl_id.ids, {"tv_main_package_id": self.pkg_family.id},
            context={"tv_unlock": True}), words="tv_unlock")
        self.assertEqual(self.tv_product.tv_main_package_id, self.pkg_basic)

    def test_system_context_keys_are_refused(self):
        operator = self.users_a["operator"]
        self.assertRefused(lambda: self.rpc(operator, "tv.user", "unlink", self.tv_user.ids,
                                            context={"tv_no_platform_sync": True}),
                           words="tv_no_platform_sync")
        self.assertRefused(lambda: self.rpc(operator, "tv.user", "write", self.tv_user.ids,
                                            {"login": "moved@example.com"},
                                            context={"tv_no_platform_sync": True}))
        self.assertRefused(lambda: self.rpc(operator, "tv.user", "create", {
            "contract_id": self.contract.id, "product_id": self.tv_product_box.id,
            "login": "other@example.com", "use_main_email": False},
            context={"tv_no_platform_sync": True}))


class TestTwoCompanies(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tv_user_a = cls.make_live_tv_user()
        cls.env["tv.api.call"].create({
            "integration_id": cls.integration.id, "tv_user_id": cls.tv_user_a.id,
            "operation": "get_subscriber", "request_body": "login=ana@example.com"})
        cls.env["tv.delinquency.policy"]._for_company(cls.company_a) or \
            cls.env["tv.delinquency.policy"].create({"company_id": cls.company_a.id})

    def of_company(self, company, integration, tv_user, contract):
        return {
            "tv.integration": integration,
            "tv.user": tv_user,
            "tv.api.call": self.env["tv.api.call"].search(
                [("integration_id", "=", integration.id)]),
            "tv.package": self.env["tv.package"].search([("integration_id", "=", integration.id)]),
            "tv.delinquency.policy": self.env["tv.delinquency.policy"].search(
                [("company_id", "=", company.id)]),
            "tv.trust.release": self.env["tv.trust.release"].search(
                [("company_id", "=", company.id)]),
            "account.analytic.account": contract,
        }

    def test_nothing_of_one_company_is_readable_from_the_other(self):
        side_a = self.of_company(self.company_a, self.integration, self.tv_user_a, self.contract)
        side_b = self.of_company(self.company_b, self.integration_b, self.tv_user_b,
                                 self.contract_b)
        self.assertTrue(side_b["tv.trust.release"] and side_b["tv.api.call"])
        for users, own, other in ((self.users_b, side_b, side_a), (self.users_a, side_a, side_b)):
            for role in ("manager", "operator", "viewer"):
                user = users[role]
                for model, records in other.items():
                    if not records:
                        continue
                    visible = self.env[model].sudo(user).search([("id", "in", records.ids)])
                    self.assertFalse(visible, (role, model))
                    with self.assertRaises(AccessError):
                        records.sudo(user).read(["display_name"])
                for model, records in own.items():
                    if model != "account.analytic.account" or role != "viewer":
                        self.assertEqual(
                            self.env[model].sudo(user).search([("id", "in", records.ids)]),
                            records.sudo(user), (role, model))

    def test_nothing_of_company_a_is_triggerable_from_company_b(self):
        operator_b, manager_b = self.users_b["operator"], self.users_b["manager"]
        requests_before = self.sandbox.stats()["total_requests"]
        calls = [
            ("tv.user", "action_sync_now", self.tv_user_a.ids),
            ("tv.user", "action_refresh_from_platform", self.tv_user_a.ids),
            ("tv.user", "unlink", self.tv_user_a.ids),
            ("account.analytic.account", "action_contract_block", self.contract.ids),
            ("account.analytic.account", "action_tv_trust_release", self.contract.ids),
            ("account.analytic.account", "action_tv_sync_now", self.contract.ids),
            ("tv.integration", "action_sync_catalog", self.integration.ids),
            ("tv.integration", "action_test_connection", self.integration.ids),
        ]
        for model, method, ids in calls:
            for user in (operator_b, manager_b):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.rpc(user, model, method, ids)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(manager_b, "tv.integration", "link_existing_subscribers",
                     self.integration.ids, "contract,login\nX,a@example.com\n")
        self.assertEqual(self.contract.contract_status, "active")
        self.assertEqual((self.tv_user_a.sync_state, self.tv_user_a.active), ("synced", True))
        self.assertFalse(self.jobs())
        self.assertEqual(self.sandbox.stats()["total_requests"], requests_before)

    def test_portal_requests_and_package_moves_stay_in_their_company(self):
        """tv.portal.request and tv.package.move (the customers' requests
        and the moves of retired packages) follow their company's rule:
        search, read and read_group of each role of one company find
        nothing of the other."""
        rows = {}
        sides = ((self.company_a, self.contract, self.integration, self.users_a, "a"),
                 (self.company_b, self.contract_b, self.integration_b, self.users_b, "b"))
        for company, contract, integration, users, tag in sides:
            request = self.env["tv.portal.request"].create({
                "partner_id": contract.partner_id.id, "user_id": users["portal"].id,
                "contract_id": contract.id, "kind": "resend", "token": tag * 32,
                "message": "sent"})
            package = self.env["tv.package"].search([("integration_id", "=", integration.id)],
                                                    limit=1)
            move = self.env["tv.package.move"].create({
                "integration_id": integration.id, "old_package_id": package.id,
                "new_package_id": package.id, "state": "done"})
            self.assertEqual((request.company_id, move.company_id), (company, company))
            rows[company] = (request, move)
        checked = set()
        for own, other, users in ((self.company_a, self.company_b, self.users_a),
                                  (self.company_b, self.company_a, self.users_b)):
            for role in ("manager", "operator", "viewer", "clerk"):
                for mine, theirs in zip(rows[own], rows[other]):
                    model = self.env[mine._name].sudo(users[role])
                    if not model.check_access_rights("read", raise_exception=False):
                        continue  # the moves: TV managers only
                    checked.add((mine._name, role))
                    both = [("id", "in", (mine | theirs).ids)]
                    self.assertEqual(model.search(both), mine.sudo(users[role]), role)
                    self.assertEqual([group["company_id"][0] for group in model.read_group(
                        both, ["company_id"], ["company_id"])], [own.id], role)
                    with self.assertRaises(AccessError):
                        theirs.sudo(users[role]).read(["display_name"])
        self.assertIn(("tv.portal.request", "clerk"), checked)
        self.assertIn(("tv.package.move", "manager"), checked)

    def test_a_leaks_link_wizard_shows_the_leak_to_its_readers_only(self):
        """The Link wizard of a revenue leak is transient: anyone creates one
        (Odoo 11 checks no access right on a wizard) or asks its onchange;
        the leak's account and login are read with the user's rights, so
        no one who may not read the leak reads them there."""
        leak = self.env["tv.revenue.leak"].create({
            "integration_id": self.integration.id, "company_id": self.company_a.id,
            "month": "2026-11-01", "kind": "unlinked_subscriber",
            "account_number": "OLE-LEAK-1", "login": "leaked.login@example.com"})
        wizard = "tv.revenue.leak.link.wizard"
        shown = ["account_number", "login", "integration_id"]
        spec = {"leak_id": "1", "account_number": "", "login": "", "integration_id": ""}
        # (the operator here has Billing: he reads the leaks, as the clerk)
        for user in (self.users_a["portal"], self.users_a["salesperson"],
                     self.users_a["employee"], self.users_a["viewer"],
                     self.users_b["manager"]):
            seen, refused = [], []
            try:
                with self.env.cr.savepoint():
                    wizard_id = self.rpc(user, wizard, "create", {
                        "leak_id": leak.id, "contract_id": self.contract.id})
                    seen.append(self.rpc(user, wizard, "read", [wizard_id], shown))
            except AccessError:
                refused.append("read")
            try:
                with self.env.cr.savepoint():
                    seen.append(self.rpc(user, wizard, "onchange", [], {"leak_id": leak.id},
                                         "leak_id", spec))
            except AccessError:
                refused.append("onchange")
            self.assertIn("read", refused, user.login)
            for text in ("OLE-LEAK-1", "leaked.login", self.integration.name):
                self.assertNotIn(text, repr(seen), user.login)
        manager = self.users_a["manager"]
        wizard_id = self.rpc(manager, wizard, "create", {
            "leak_id": leak.id, "contract_id": self.contract.id})
        [values] = self.rpc(manager, wizard, "read", [wizard_id], shown)
        self.assertEqual((values["account_number"], values["login"], values["integration_id"][0]),
                         ("OLE-LEAK-1", "leaked.login@example.com", self.integration.id))

    def test_an_addon_wizard_names_no_tv_user_to_others(self):
        """The add-on dialog (tv.addon.wizard) is transient: anyone may
        create one over XML-RPC, and Odoo shows its TV user's name (the
        login, a customer's e-mail) as the system. Only a TV operator who
        reads the TV user creates one or points it at a TV user."""
        package = self.env["tv.package"].search([
            ("integration_id", "=", self.integration.id), ("kind", "=", "additional"),
            ("extra_point", "=", False)], limit=1)
        addon = self.env["product.product"].create({
            "name": "Telecine", "type": "service", "is_tv_product": True,
            "tv_product_kind": "addon", "tv_integration_id": self.integration.id,
            "tv_additional_line_ids": [(0, 0, {"package_id": package.id})]})
        wizard = "tv.addon.wizard"
        values = {"tv_user_id": self.tv_user_a.id, "product_id": addon.id}
        for user in (self.users_a["portal"], self.users_a["salesperson"],
                     self.users_a["employee"], self.users_a["clerk"],
                     self.users_b["operator"]):
            seen = []
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                wizard_id = self.rpc(user, wizard, "create", values)
                seen.append(self.rpc(user, wizard, "read", [wizard_id], ["tv_user_id"]))
            self.assertNotIn(self.tv_user_a.login, repr(seen), user.login)
        # company B's operator, with a dialog of his own TV user, points it at A's
        operator_b = self.users_b["operator"]
        own = self.rpc(operator_b, wizard, "create", dict(values, tv_user_id=self.tv_user_b.id))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rpc(operator_b, wizard, "write", [own], {"tv_user_id": self.tv_user_a.id})
        operator = self.users_a["operator"]
        wizard_id = self.rpc(operator, wizard, "create", values)
        [read] = self.rpc(operator, wizard, "read", [wizard_id], ["tv_user_id"])
        self.assertEqual(read["tv_user_id"][0], self.tv_user_a.id)

    def test_a_tv_user_syncs_only_with_its_company_integration(self):
        contract = self.env["account.analytic.account"].create({
            "name": "Contract B with A's product", "company_id": self.company_b.id,
            "partner_id": self.contract_b.partner_id.id,
            "recurring_invoice_line_ids": [(0, 0, {
                "line_type": "tv", "product_id": self.tv_product.id, "name": "TV A",
                "quantity": 1, "uom_id": self.tv_product.uom_id.id, "specific_price": 50.0})]})
        with self.assertRaises(ValidationError) as raised, self.env.cr.savepoint():
            self.env["tv.user"].create({"contract_id": contract.id,
                                        "product_id": self.tv_product.id})
        self.assertIn("ISP B", raised.exception.name)
        self.assertFalse(self.jobs())
