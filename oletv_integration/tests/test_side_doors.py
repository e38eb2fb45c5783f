# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Odoo's side doors, generated from the fields' classification
(services/owned_fields.py): every field the addon defines is classified, and
every role (and a user of the other company) is refused every OWNED field
and every SECRET one through every ORM path, with nothing changed in Odoo
or on the sandbox."""
from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from ..services.owned_fields import FIELD_CLASSES, OWNED, OWNED_MODELS, SECRET, field_class
from .security_common import RolesCase

ADDON = "oletv_integration"
ROLES = ("viewer", "operator", "manager", "clerk", "salesperson", "employee", "portal")
# what a hostile caller adds to a write, hoping a key bypasses a check
HOSTILE_CONTEXTS = ({}, {"tracking_disable": True, "recompute": False, "tz": "Pacific/Kiritimati",
                         "tv_tracking_author_id": 1})


def addon_fields(env):
    """(model name, field) for every field the addon defines."""
    for model_name in sorted(env.registry):
        model = env[model_name]
        for name, field in sorted(model._fields.items()):
            if field._module == ADDON:
                yield model_name, field


class TestFieldClassification(RolesCase):

    def test_every_field_of_the_addon_is_classified(self):
        missing = ["%s.%s" % (model, field.name) for model, field in addon_fields(self.env)
                   if field_class(model, field) is None]
        self.assertEqual(missing, [], "classify these fields in services/owned_fields.py")

    def test_the_classification_names_existing_fields(self):
        unknown = ["%s.%s" % (model, name)
                   for model, classes in FIELD_CLASSES.items()
                   for names in classes.values() for name in names
                   if name not in self.env[model]._fields]
        self.assertEqual(unknown, [])

    def test_derived_fields_are_owned_unless_declared(self):
        tv_user = self.env["tv.user"]
        for name in ("integration_id", "partner_id", "company_id", "desired_access", "online"):
            self.assertEqual(field_class("tv.user", tv_user._fields[name]), OWNED, name)
        contract = self.env["account.analytic.account"]
        self.assertEqual(field_class("account.analytic.account", contract._fields["tv_access"]),
                         OWNED)


class SideDoorCase(RolesCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tv_user = cls.make_live_tv_user("blocked")
        cls.contract._set_contract_status("blocked", block_reason="manual")
        cls.credential = cls.env["tv.integration.credential"].search(
            [("integration_id", "=", cls.integration.id)])
        cls.records = cls._records_per_model()
        cls.env["queue.job"].search([]).unlink()

    @classmethod
    def _records_per_model(cls):
        """One record of company A for each model carrying owned fields."""
        env = cls.env
        contract = cls.contract
        records = {
            "tv.user": cls.tv_user,
            "tv.integration": cls.integration,
            "tv.integration.credential": cls.credential,
            "tv.package": cls.pkg_basic,
            "tv.package.price": env["tv.package.price"].create(
                {"package_id": cls.pkg_basic.id, "platform_price": 20.0}),
            "tv.equipment.model": cls.equipment,
            "account.analytic.account": contract,
            "account.analytic.invoice.line": contract.recurring_invoice_line_ids[:1],
            # a contract template's line (OCA contract): it inherits the lines' fields
            "account.analytic.contract.line": env["account.analytic.contract"].create({
                "name": "TV template", "recurring_invoice_line_ids": [(0, 0, {
                    "product_id": cls.plain_product.id, "name": "Internet", "quantity": 1,
                    "uom_id": cls.plain_product.uom_id.id})]}).recurring_invoice_line_ids,
            "product.template": cls.tv_product.product_tmpl_id,
            "mail.mail": env["mail.mail"].create({"subject": "x", "tv_notice": "released",
                                                  "tv_company_id": cls.company_a.id}),
            "tv.api.call": env["tv.api.call"].create({
                "integration_id": cls.integration.id, "tv_user_id": cls.tv_user.id,
                "operation": "get_subscriber"}),
            "sale.order": cls._sale_order_of(contract),
            "account.invoice": cls._invoice_of(contract),
            "account.invoice.line": cls._invoice_of(contract).invoice_line_ids[:1],
            "tv.delinquency.policy": env["tv.delinquency.policy"].search(
                [("company_id", "=", cls.company_a.id)], limit=1)
            or env["tv.delinquency.policy"].create({"company_id": cls.company_a.id}),
        }
        return records

    @classmethod
    def _invoice_of(cls, contract):
        """The contract's invoice (a draft, its lines with their days)."""
        invoices = cls.env["account.invoice"].search([("contract_id", "=", contract.id)])
        return invoices[:1] or contract.recurring_create_invoice()

    @classmethod
    def _sale_order_of(cls, contract):
        order = cls.env["sale.order"].create({"partner_id": contract.partner_id.id})
        contract.tv_sale_order_id = order
        return order

    def setUp(self):
        super().setUp()
        self.requests_before = self.sandbox.stats()["total_requests"]

    def other_value(self, record, name):
        """A value unlike the record's, valid for the field's type; None when
        there is none to try (an empty x2many)."""
        field = record._fields[name]
        current = record.sudo()[name]
        if field.type in ("char", "text", "html"):
            return "hostile-%s" % name
        if field.type in ("integer", "float", "monetary"):
            return 4242
        if field.type == "boolean":
            return not current
        if field.type == "selection":
            values = [value for value, _label in field._description_selection(self.env)]
            return next(value for value in values if value != current)
        if field.type == "reference":
            return "%s,%d" % (self.contract._name, self.contract.id)
        if field.type == "date":
            return "2031-01-01"
        if field.type == "datetime":
            return "2031-01-01 00:00:00"
        if field.type == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "!=", current.id)],
                                                               limit=1)
            return other.id
        if field.type in ("one2many", "many2many"):
            return [(5, 0, 0)] if current else None
        return None

    def value_of(self, record, name):
        record.invalidate_cache()
        value = record.sudo()[name]
        return value.ids if hasattr(value, "ids") else value

    def assertWriteRefused(self, user, record, name, value, context):
        before = self.value_of(record, name)
        with self.assertRaises(AccessError, msg="%s wrote %s.%s with %r (context %r)" % (
                user.login, record._name, name, value, context)), self.env.cr.savepoint():
            self.rpc(user, record._name, "write", record.ids, {name: value}, context=context)
        self.assertEqual(self.value_of(record, name), before, "%s.%s" % (record._name, name))

    def refused_names(self, record):
        """The OWNED and SECRET fields the addon defines on the record's model."""
        return sorted(name for name, field in record._fields.items()
                      if field._module == ADDON and not (field.compute and not field.store
                                                         and not field.inverse)
                      and field_class(record._name, field) in (OWNED, SECRET))


class TestOwnedFieldsMatrix(SideDoorCase):

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_no_role_writes_an_owned_or_secret_field(self):
        tried = 0
        for model_name, record in sorted(self.records.items()):
            for name in self.refused_names(record):
                value = self.other_value(record, name)
                if value is None:
                    continue
                secret = field_class(model_name, record._fields[name]) == SECRET
                for role in ROLES:
                    if secret and role == "manager":
                        continue  # the managers' own job: test_manager_sets_credentials
                    for context in HOSTILE_CONTEXTS:
                        self.assertWriteRefused(self.users_a[role], record, name, value, context)
                        tried += 1
                self.assertWriteRefused(self.users_b["manager"], record, name, value, {})
        self.assertGreater(tried, 300)
        self.assertEqual(self.sandbox.stats()["total_requests"], self.requests_before)

    @mute_logger("odoo.models", "odoo.addons.base.ir.ir_model")
    def test_no_role_creates_with_an_owned_default(self):
        vals = {"contract_id": self.contract.id, "product_id": self.tv_product_box.id,
                "login": "hostile@example.com", "use_main_email": False}
        for role in ("operator", "manager"):
            for name, value in (("platform_state", "active"), ("integration_id",
                                                               self.integration_b.id),
                                ("desired_access", "allowed"), ("online", True)):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.rpc(self.users_a[role], "tv.user", "create", dict(vals, **{name: value}))
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.rpc(self.users_a[role], "tv.user", "create", vals,
                             context={"default_%s" % name: value})
        self.assertFalse(self.env["tv.user"].search([("login", "=", "hostile@example.com")]))

    def test_every_model_with_owned_fields_is_in_the_matrix(self):
        models_with_owned = {model for model, field in addon_fields(self.env)
                             if field_class(model, field) in (OWNED, SECRET)
                             and not self.env[model]._transient
                             and not self.env[model]._abstract
                             and not (field.compute and not field.store and not field.inverse)}
        history = set(OWNED_MODELS) - {"tv.api.call"}  # no role writes them (access rights)
        self.assertEqual(models_with_owned - set(self.records) - history, set())


class TestTvUserSideDoors(SideDoorCase):

    def test_a_tv_user_cannot_be_moved_to_another_account(self):
        for name, value in (("integration_id", self.integration_b.id),
                            ("partner_id", self.contract_b.partner_id.id),
                            ("company_id", self.company_b.id)):
            self.assertWriteRefused(self.users_a["operator"], self.tv_user, name, value, {})

    def test_a_blocked_contract_tv_user_cannot_be_released_by_its_desired_access(self):
        self.assertEqual(self.tv_user.desired_access, "blocked")
        self.assertWriteRefused(self.users_a["operator"], self.tv_user, "desired_access",
                                "allowed", {"tracking_disable": True})
        self.assertWriteRefused(self.users_a["operator"], self.contract, "tv_access",
                                "allowed", {})
        self.tv_user.invalidate_cache()
        self.assertEqual(self.tv_user.desired_access, "blocked")


class TestSecrets(SideDoorCase):
    """The credentials through every ORM path but read(): read_group,
    search domains (also through a related path), order, export,
    name_search; and the credentials model itself."""

    NON_MANAGERS = ("viewer", "operator", "clerk", "salesperson", "employee", "portal")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.password = cls.sandbox.password
        # a second integration of company A whose password sorts the other way
        cls.integration_2 = cls.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({
                "name": "Olé TV A2", "environment": "homologation",
                "access_token": "~token", "api_login": "~login", "api_password": "~password"})

    def assertNoLeak(self, user, call):
        """`call` is refused, or answers the same whatever the secret is."""
        try:
            with self.env.cr.savepoint():
                return call(user)
        except (AccessError, AssertionError):  # refused (grouping: not a stored field)
            return None

    @mute_logger("odoo.osv.expression", "odoo.models")
    def test_read_group_search_order_and_export_reach_no_secret(self):
        users = [self.users_a[role] for role in self.NON_MANAGERS] + [self.users_b["manager"]]
        for user in users:
            for name in ("api_password", "access_token", "api_login"):
                groups = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.integration", "read_group", [], [name], [name], lazy=False))
                self.assertFalse(groups and any(
                    group.get(name) for group in groups), (user.login, name, groups))
                first = (self.integration.sudo()[name] or "?")[0]
                for domain in ([(name, "=like", first + "%")],
                               [(name, "=like", "~%")]):
                    found = self.assertNoLeak(user, lambda u: self.rpc(
                        u, "tv.integration", "search", domain, context={"active_test": False}))
                    everything = self.assertNoLeak(user, lambda u: self.rpc(
                        u, "tv.integration", "search", [], context={"active_test": False}))
                    if found is not None:  # None: refused
                        self.assertEqual(found, everything, (user.login, domain))
                related = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.user", "search_count", [("integration_id.%s" % name, "=like", "zz%")]))
                all_users = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.user", "search_count", []))
                if related is not None:
                    self.assertEqual(related, all_users, (user.login, name))
                ascending = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.integration", "search", [], order="%s asc" % name))
                descending = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.integration", "search", [], order="%s desc" % name))
                self.assertEqual(ascending, descending, (user.login, name))
                exported = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.integration", "export_data", (self.integration | self.integration_2).ids,
                    [name]))
                self.assertNotIn(self.password, repr(exported))
                self.assertNotIn("~password", repr(exported))
                exported = self.assertNoLeak(user, lambda u: self.rpc(
                    u, "tv.user", "export_data", self.tv_user.ids,
                    ["integration_id/%s" % name]))
                self.assertNotIn(self.password, repr(exported))

    def test_the_credentials_model_is_the_managers_alone(self):
        for role in self.NON_MANAGERS:
            user = self.users_a[role]
            for method, args in (("search_read", ([], ["api_password"])),
                                 ("read_group", ([], ["api_password"], ["api_password"])),
                                 ("name_search", ("",))):
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    self.rpc(user, "tv.integration.credential", method, *args)
        # the other company's manager sees none of company A's
        found = self.rpc(self.users_b["manager"], "tv.integration.credential", "search_read",
                         [], ["api_password"])
        self.assertNotIn(self.password, repr(found))
        self.assertNotIn("~password", repr(found))

    def test_manager_sets_credentials(self):
        """The platform's credentials (saving tests them on the sandbox)."""
        manager = self.users_a["manager"]
        self.rpc(manager, "tv.integration", "write", self.integration_2.ids,
                 {"access_token": self.sandbox.token, "api_login": self.sandbox.login,
                  "api_password": self.password})
        self.assertEqual(self.rpc(manager, "tv.integration", "read", self.integration_2.ids,
                                  ["api_password"])[0]["api_password"], self.password)
        self.integration_2.invalidate_cache()
        self.assertEqual(self.integration_2.connection_state, "ok")
        credential = self.env["tv.integration.credential"].search(
            [("integration_id", "=", self.integration_2.id)])
        self.assertEqual((credential.api_password, credential.api_login),
                         (self.password, self.sandbox.login))
