# -*- coding: utf-8 -*-
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Revenue assurance of a month, as the roles that use it: the TV manager
sets the platform prices, the billing clerk registers Olé TV's vendor bill
(with a deliberate error: one package's quantity off by 3, one line of an
unknown product), a TV or invoicing manager computes the month, the clerk
reads it; what the ISP invoiced (customer invoices of TV products of one
and two packages, a refund) gives each package's revenue and margin. A
salesperson and a TV operator see neither the comparison nor the prices;
company B's users see nothing of company A's. The counted subscribers are
the test's own, to know each figure (test_platform_history.py sets a bill
against counts the daily job made on the sandbox)."""
import json
import xmlrpc.client
from datetime import timedelta
from unittest.mock import patch

from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from ..services.company_day import company_today
from .common import OleTVCase

MONTH = "2026-10-01"
ROLES = {
    "manager": ["oletv_integration.group_tv_manager"],
    "invoicing_manager": ["account.group_account_manager"],
    "clerk": ["account.group_account_invoice"],
    "operator": ["oletv_integration.group_tv_user"],
    "salesperson": ["sales_team.group_sale_salesman"],
}
# what the platform counted in October (a stand-in for PlatformHistory)
COUNTS = {"BASIC": {"subscriber_days": 62, "subscribers": 2, "quantity": 2.0},
          "FAMILY": {"subscriber_days": 45, "subscribers": 2, "quantity": 2.0},
          "HBO": {"subscriber_days": 40, "subscribers": 2, "quantity": 2.0}}


def make_users(env, company, tag):
    users = {}
    for role, groups in ROLES.items():
        users[role] = env["res.users"].with_context(no_reset_password=True).create({
            "name": "%s %s" % (role, tag), "login": "ra-%s-%s" % (role, tag),
            "email": "ra-%s-%s@example.com" % (role, tag),
            "company_id": company.id, "company_ids": [(6, 0, company.ids)],
            "groups_id": [(6, 0, [env.ref(group).id for group in groups])]})
    return users


class RevenueCase(OleTVCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.user.company_id
        cls.users = make_users(cls.env, cls.company, "a")
        cls.olé = cls.env["res.partner"].create({"name": "Olé TV Ltda", "supplier": True,
                                                 "is_company": True})
        cls.integration.write({"vendor_partner_id": cls.olé.id})
        cls.vendor_basic = cls.env["product.product"].create(
            {"name": "Olé TV - Básico (mensal)", "type": "service"})
        cls.vendor_hbo = cls.env["product.product"].create(
            {"name": "Olé TV - HBO (mensal)", "type": "service"})
        cls.vendor_support = cls.env["product.product"].create(
            {"name": "Taxa de suporte", "type": "service"})
        cls.tv_product_duo = cls.make_tv_product("TV Família + HBO", cls.pkg_family,
                                                 [cls.pkg_hbo])
        cls.revenue_account = cls.account("account.data_account_type_revenue")
        cls.expense_account = cls.account("account.data_account_type_expenses")
        cls.bia = cls.env["res.partner"].create({"name": "Bia Costa"})
        cls.caio = cls.env["res.partner"].create({"name": "Caio Reis"})

    @classmethod
    def account(cls, xmlid):
        return cls.env["account.account"].search(
            [("user_type_id", "=", cls.env.ref(xmlid).id),
             ("company_id", "=", cls.company.id)], limit=1)

    def set_prices(self, user):
        for package, price in ((self.pkg_basic, 20.0), (self.pkg_family, 30.0),
                               (self.pkg_hbo, 10.0)):
            package.sudo(user).write({"platform_price": price})
        self.pkg_basic.sudo(user).write({"vendor_product_id": self.vendor_basic.id})
        self.pkg_hbo.sudo(user).write({"vendor_product_id": self.vendor_hbo.id})

    def customer_invoice(self, partner, lines, day, kind="out_invoice", validate=True):
        invoice = self.env["account.invoice"].with_context(type=kind).create({
            "partner_id": partner.id, "type": kind, "date_invoice": day,
            "invoice_line_ids": [(0, 0, {
                "product_id": product.id, "name": product.name, "quantity": quantity,
                "price_unit": price, "account_id": self.revenue_account.id})
                for product, quantity, price in lines]})
        if validate:
            invoice.action_invoice_open()
        return invoice

    def invoice_october(self):
        """Ana: TV Básico 50; Bia: TV Família + HBO x2 at 60 (two packages);
        Caio: TV Básico 50 and internet; Ana's TV Básico refunded. Left out:
        a draft, an invoice of November."""
        self.customer_invoice(self.partner, [(self.tv_product, 1, 50.0)], "2026-10-05")
        self.customer_invoice(self.bia, [(self.tv_product_duo, 2, 60.0)], "2026-10-06")
        self.customer_invoice(self.caio, [(self.tv_product, 1, 50.0),
                                          (self.plain_product, 1, 99.0)], "2026-10-31")
        self.customer_invoice(self.partner, [(self.tv_product, 1, 50.0)], "2026-10-20",
                              kind="out_refund")
        self.customer_invoice(self.caio, [(self.tv_product, 1, 50.0)], "2026-10-10",
                              validate=False)
        self.customer_invoice(self.caio, [(self.tv_product, 1, 50.0)], "2026-11-01")

    def register_bill(self, clerk, billing_month=None, quantity_basic=5):
        """The clerk registers Olé TV's October bill (dated in November):
        Básico by its product (5 where 2 were counted: off by 3), Família
        by its code in the description, HBO by its product, and a support
        fee of no package."""
        values = {
            "partner_id": self.olé.id, "type": "in_invoice", "date_invoice": "2026-11-05",
            "invoice_line_ids": [(0, 0, {
                "product_id": product.id if product else False, "name": name,
                "quantity": quantity, "price_unit": price,
                "account_id": self.expense_account.id})
                for product, name, quantity, price in (
                    (self.vendor_basic, "Básico outubro", quantity_basic, 20.0),
                    (False, "Pacote FAMILY outubro", 2, 30.0),
                    (self.vendor_hbo, "HBO outubro", 2, 10.0),
                    (self.vendor_support, "Taxa de suporte", 1, 25.0))]}
        if billing_month:
            values["tv_billing_month"] = billing_month
        bill = self.env["account.invoice"].sudo(clerk).with_context(
            type="in_invoice").create(values)
        bill.sudo(clerk).action_invoice_open()
        return bill

    def compute(self, user, month=MONTH, integration=None):
        """`user` computes the month, the platform having counted COUNTS."""
        with patch.object(type(self.env["tv.integration"]), "_tv_month_counts",
                          lambda integration, first_day: dict(COUNTS)):
            (integration or self.integration).sudo(user).action_compute_revenue_month(month)

    def october_computed(self):
        """October as the roles make it: the manager's prices, the month's
        invoices, the clerk's bill with its errors, the manager's Compute."""
        self.set_prices(self.users["manager"])
        self.invoice_october()
        self.register_bill(self.users["clerk"])
        self.compute(self.users["manager"])

    def rows(self, user=None, month=MONTH):
        lines = self.env["tv.revenue.line"]
        lines = lines.sudo(user) if user else lines
        found = lines.search([("integration_id", "=", self.integration.id),
                              ("month", "=", month)])
        return {line.package_code or line.description: line for line in found}


class TestRevenueMonth(RevenueCase):

    def test_the_vendor_bill_error_is_found_with_the_right_amounts(self):
        self.october_computed()
        rows = self.rows(self.users["clerk"])
        basic = rows["BASIC"]
        self.assertEqual((basic.status, basic.counted_quantity, basic.bill_quantity,
                          basic.quantity_diff), ("differs", 2.0, 5.0, 3.0))
        self.assertAlmostEqual(basic.amount_diff, 60.0)  # 5 x 20 billed, 2 x 20 counted
        unknown = rows["Taxa de suporte"]
        self.assertEqual((unknown.status, unknown.package_id.id, unknown.bill_amount),
                         ("unknown_line", False, 25.0))
        self.assertAlmostEqual(unknown.amount_diff, 25.0)
        # recognised by its code in the description (no vendor product)
        self.assertEqual((rows["FAMILY"].status, rows["FAMILY"].bill_quantity), ("match", 2.0))
        self.assertEqual(rows["HBO"].status, "match")
        self.assertEqual(set(rows), {"BASIC", "FAMILY", "HBO", "Taxa de suporte"})

    def test_invoices_give_each_packages_revenue_and_margin(self):
        self.set_prices(self.users["manager"])
        self.invoice_october()
        self.tv_product.active = False  # archived since: its lines were invoiced all the same
        self.compute(self.users["invoicing_manager"])  # no bill yet: count x price
        rows = self.rows()
        expected = {  # lines, customers, quantity, revenue, platform cost, margin
            "BASIC": (2, 2, 1.0, 50.0, 40.0, 10.0),    # 50 + 50 - 50 (refund)
            "FAMILY": (1, 1, 2.0, 90.0, 60.0, 30.0),   # 120 split 30:10
            "HBO": (1, 1, 2.0, 30.0, 20.0, 10.0),
        }
        for code, figures in expected.items():
            row = rows[code]
            self.assertEqual((row.invoiced_lines, row.invoiced_customers, row.invoiced_quantity,
                              row.revenue, row.platform_cost, row.margin, row.status),
                             figures + ("no_bill",), code)
        self.assertEqual(rows["FAMILY"].platform_price, 30.0)

        self.register_bill(self.users["clerk"], billing_month=MONTH)
        self.compute(self.users["manager"])  # the bill's amounts are the cost now
        rows = self.rows()
        self.assertEqual((rows["BASIC"].platform_cost, rows["BASIC"].margin), (100.0, -50.0))
        self.assertEqual((rows["FAMILY"].platform_cost, rows["FAMILY"].margin), (60.0, 30.0))

    def test_a_package_of_no_price_shares_equally_and_a_bill_of_another_month_is_not_read(self):
        self.invoice_october()  # no price known: Família + HBO split 60 / 60
        self.register_bill(self.users["clerk"], billing_month="2026-09-01")
        self.compute(self.users["manager"])
        rows = self.rows()
        self.assertEqual((rows["FAMILY"].revenue, rows["HBO"].revenue), (60.0, 60.0))
        self.assertEqual(rows["BASIC"].status, "no_bill")
        self.assertNotIn("Taxa de suporte", rows)

    def test_computing_a_month_again_replaces_its_rows(self):
        self.october_computed()
        first = self.env["tv.revenue.line"].search([("integration_id", "=",
                                                     self.integration.id)])
        self.compute(self.users["manager"])
        again = self.env["tv.revenue.line"].search([("integration_id", "=",
                                                     self.integration.id)])
        self.assertEqual(len(again), len(first))
        self.assertFalse(first.exists())
        self.assertEqual(self.rows()["BASIC"].quantity_diff, 3.0)

    def test_the_bills_month_defaults_to_the_month_before_its_date(self):
        bill = self.env["account.invoice"].sudo(self.users["clerk"]).with_context(
            type="in_invoice").new({"partner_id": self.olé.id, "type": "in_invoice",
                                    "date_invoice": "2026-11-05"})
        self.assertTrue(bill.tv_platform_bill)
        bill._onchange_tv_billing_month()
        self.assertEqual(bill.tv_billing_month, "2026-10-01")
        other = self.env["account.invoice"].new({"partner_id": self.bia.id,
                                                 "type": "in_invoice"})
        self.assertFalse(other.tv_platform_bill)


class TestRevenueRoles(RevenueCase):

    def test_the_clerk_reads_the_month_but_neither_computes_it_nor_sets_prices(self):
        self.october_computed()
        clerk = self.users["clerk"]
        self.assertEqual(len(self.rows(clerk)), 4)
        self.assertEqual(self.pkg_basic.sudo(clerk).platform_price, 20.0)
        before = self.rows()["BASIC"].id
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.compute(clerk)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.pkg_basic.sudo(clerk).write({"platform_price": 1.0})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["tv.package.price"].sudo(clerk).search([]).write({"platform_price": 1.0})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.rows(clerk)["BASIC"].write({"bill_quantity": 2.0})
        self.assertEqual(self.rows()["BASIC"].id, before)
        self.pkg_basic.invalidate_cache()
        self.assertEqual(self.pkg_basic.platform_price, 20.0)

    @mute_logger("odoo.osv.expression", "odoo.models")
    def test_a_salesperson_and_a_tv_operator_see_no_comparison_nor_price(self):
        self.set_prices(self.users["manager"])
        self.invoice_october()
        self.compute(self.users["manager"])
        packages = self.env["tv.package"].search([("integration_id", "=",
                                                   self.integration.id)])
        for role in ("salesperson", "operator"):
            user = self.users[role]
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.env["tv.revenue.line"].sudo(user).search_read([], ["revenue"])
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.env["tv.package.price"].sudo(user).search_read([], ["platform_price"])
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.pkg_basic.sudo(user).read(["platform_price"])
            # the catalog itself stays readable, and a price finds no package
            self.assertNotIn("platform_price", self.pkg_basic.sudo(user).read()[0])
            self.assertEqual(self.env["tv.package"].sudo(user).search(
                [("integration_id", "=", self.integration.id),
                 ("platform_price", ">", 15.0)]), packages.sudo(user))
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.pkg_basic.sudo(user).write({"platform_price": 1.0})
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                self.compute(user)
            self.assertEqual(self.integration.sudo(user).revenue_line_count, 0)
        # the month Olé TV's bill covers is the billing users'
        bill = self.register_bill(self.users["clerk"])
        draft = self.env["account.invoice"].sudo(self.users["clerk"]).with_context(
            type="in_invoice").create({"partner_id": self.olé.id, "type": "in_invoice"})
        for record in (bill, draft):
            with self.assertRaises(AccessError), self.env.cr.savepoint():
                record.sudo(self.users["salesperson"]).write({"tv_billing_month": MONTH})
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["account.invoice"].sudo(self.users["salesperson"]).with_context(
                type="in_invoice").create({"partner_id": self.olé.id, "type": "in_invoice",
                                           "tv_billing_month": MONTH})
        self.assertFalse(draft.tv_billing_month)

    def test_the_integration_form_shows_the_revenue_side_to_its_readers_only(self):
        for role, shown, button in (("manager", True, True), ("invoicing_manager", True, True),
                                    ("clerk", True, False), ("operator", False, False)):
            view = self.env["tv.integration"].sudo(self.users[role]).fields_view_get(
                view_type="form")
            arch = view["arch"] + view["fields"]["package_ids"]["views"]["tree"]["arch"]
            # what the web client then reads: every field of the view, the packages' too
            values = self.integration.sudo(self.users[role]).read(list(view["fields"]))[0]
            self.pkg_basic.sudo(self.users[role]).read(
                list(view["fields"]["package_ids"]["views"]["tree"]["fields"]))
            self.assertFalse(values.get("revenue_line_count"))  # no month computed
            self.assertEqual("platform_price" in arch, shown, role)
            self.assertEqual("action_open_revenue_lines" in arch, shown, role)
            # Odoo 11 hides a node of groups the user lacks (never removes it)
            node = etree.fromstring(view["arch"]).find(
                ".//button[@name='action_compute_revenue_month']")
            self.assertEqual(node is not None and not json.loads(
                node.get("modifiers", "{}")).get("invisible") is True, button, role)
        bill_form = self.env["account.invoice"].sudo(self.users["clerk"]).fields_view_get(
            view_id=self.env.ref("account.invoice_supplier_form").id, view_type="form")
        self.assertIn("tv_billing_month", bill_form["arch"])

    def test_company_b_sees_none_of_company_as_months(self):
        self.set_prices(self.users["manager"])
        self.invoice_october()
        self.compute(self.users["manager"])
        company_b = self.env["res.company"].create({"name": "ISP B"})
        users_b = make_users(self.env, company_b, "b")
        integration_b = self.env["tv.integration"].with_context(
            tv_skip_connection_check=True).create({
                "name": "Olé TV B", "environment": "homologation",
                "company_id": company_b.id})
        self.env["tv.package"].create({"integration_id": integration_b.id, "code": "BASIC",
                                       "name": "Básico B", "kind": "main"})
        self.compute(users_b["manager"], integration=integration_b)
        for role in ("manager", "clerk", "invoicing_manager"):
            user = users_b[role]
            seen = self.env["tv.revenue.line"].sudo(user).search([])
            self.assertTrue(seen)
            self.assertEqual(seen.mapped("company_id"), company_b, role)
            self.assertFalse(self.env["tv.package.price"].sudo(user).search([]), role)
        self.assertTrue(self.rows(self.users["clerk"]))
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.compute(users_b["manager"])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.pkg_basic.sudo(users_b["manager"]).write({"platform_price": 1.0})


class TestRevenueLeaks(RevenueCase):

    def test_the_month_begins_and_ends_at_the_companys_midnight(self):
        """São Paulo is UTC-3: a TV user made at 23:00 on 30 September there
        (02:00 UTC on 1 October) was live in September; one deleted at 23:00
        on 31 August there (02:00 UTC on 1 September) was not."""
        self.company.partner_id.tz = "America/Sao_Paulo"
        late = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})
        late._tv_write_owned({"account_number": "OLE-1", "platform_state": "active",
                              "sync_state": "synced"})
        contract_caio = self.make_contract(self.caio, [self.tv_product])
        gone = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": contract_caio.id, "product_id": self.tv_product.id,
             "use_main_email": False, "login": "caio@example.com"})
        gone._tv_write_owned({"account_number": "OLE-2", "platform_state": "active",
                              "sync_state": "synced"})
        gone.active = False
        self.env.cr.execute("UPDATE tv_user SET create_date = %s, write_date = %s WHERE id = %s",
                            ("2026-10-01 02:00:00", "2026-10-01 02:00:00", late.id))
        self.env.cr.execute("UPDATE tv_user SET create_date = %s, write_date = %s WHERE id = %s",
                            ("2026-08-01 12:00:00", "2026-09-01 02:00:00", gone.id))
        self.env["tv.user"].invalidate_cache()
        leaks = self.integration.sudo(self.users["manager"]).tv_month_leaks("2026-09-01")
        self.assertEqual(sorted((row["kind"], row["contract_id"], row["tv_user_id"])
                                for row in leaks),
                         [("live_not_invoiced", self.contract.id, late.id)])

    def test_tv_invoiced_with_no_live_user_and_live_users_not_invoiced(self):
        today = company_today(self.company, self.env.ref("base.user_root"))
        month = today.replace(day=1)
        day = fields.Date.to_string(month)
        # the contract of Ana has a live TV user and no invoice this month
        live = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": self.contract.id, "product_id": self.tv_product.id})
        live._tv_write_owned({"account_number": "OLE-1", "platform_state": "active",
                              "sync_state": "synced"})
        # Bia's contract is invoiced for TV and has no TV user
        contract_bia = self.make_contract(self.bia, [self.tv_product])
        invoice = self.customer_invoice(self.bia, [(self.tv_product, 1, 50.0)], day,
                                        validate=False)
        invoice.invoice_line_ids.write({"account_analytic_id": contract_bia.id})
        invoice.action_invoice_open()
        # Caio's contract was blocked all month: his TV user is not live
        contract_caio = self.make_contract(self.caio, [self.tv_product])
        blocked = self.env["tv.user"].with_context(tv_no_platform_sync=True).create(
            {"contract_id": contract_caio.id, "product_id": self.tv_product.id,
             "use_main_email": False, "login": "caio@example.com"})
        blocked._tv_write_owned({"account_number": "OLE-2", "platform_state": "blocked",
                                 "sync_state": "synced"})
        contract_caio._set_contract_status("blocked", block_reason="manual")
        contract_caio.tv_status_change_ids.write({"date": fields.Datetime.to_string(
            month - timedelta(days=3))})
        leaks = self.integration.sudo(self.users["manager"]).tv_month_leaks(day)
        xmlrpc.client.dumps((leaks,), methodresponse=1)  # as Odoo answers it: no None
        found = sorted((row["kind"], row["contract_id"], row["tv_user_id"], row["amount"])
                       for row in leaks)
        self.assertEqual(found, [
            ("invoiced_not_live", contract_bia.id, False, 50.0),
            ("live_not_invoiced", self.contract.id, live.id, self.tv_product.lst_price)])
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.integration.sudo(self.users["clerk"]).tv_month_leaks(day)

        # stored with the month: the clerk reads them, the operator does not
        self.compute(self.users["manager"], month=day)
        stored = self.env["tv.revenue.leak"].sudo(self.users["clerk"]).search(
            [("integration_id", "=", self.integration.id), ("month", "=", day)])
        self.assertEqual(sorted((leak.kind, leak.contract_id.id, leak.tv_user_id.id,
                                 leak.amount) for leak in stored), [
            ("invoiced_not_live", contract_bia.id, False, 50.0),
            ("live_not_invoiced", self.contract.id, live.id, self.tv_product.lst_price)])
        self.assertEqual(self.integration.sudo(self.users["clerk"]).revenue_leak_count, 2)
        with self.assertRaises(AccessError), self.env.cr.savepoint():
            self.env["tv.revenue.leak"].sudo(self.users["operator"]).search([])
        self.compute(self.users["manager"], month=day)  # again: replaced, not added
        self.assertEqual(self.env["tv.revenue.leak"].search_count(
            [("integration_id", "=", self.integration.id)]), 2)
